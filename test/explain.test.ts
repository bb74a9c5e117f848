/**
 * `pbxlint explain`: the captures recorded from the real Kamailio (fixtures/explain/captures, made
 * by test/explain-live.test.ts) in every input format, the command line and its JSON contract,
 * the packet decoder on link types, IPv6, fragments and TCP segments built by hand, and
 * malformed or truncated captures.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../src/cli';
import { readCapture } from '../src/capture';
import { parseSipMessage } from '../src/capture/sip';
import { groupTransactions } from '../src/explain/transactions';
import { explainCapture } from '../src/explain';
import { loadOneRoot } from '../src/route';
import { checkOffice } from './explain/expected';
import { CFG } from './explain/record';
import { ethernet, ipv4, ipv6, nullLink, pcapFile, pcapngFileBE, tcp, udp } from './explain/pcap-writer';

const ROOT = path.resolve(__dirname, '..');
const CAPTURES = path.join(ROOT, 'fixtures/explain/captures');
const PORTS = JSON.parse(fs.readFileSync(path.join(CAPTURES, 'ports.json'), 'utf8')) as { LPORT: number; GWPORT: number };
const DEFINES = [`LPORT=${PORTS.LPORT}`, `GWPORT=${PORTS.GWPORT}`];
const model = loadOneRoot([CFG], { defines: DEFINES });
const recorded = readCapture(fs.readFileSync(path.join(CAPTURES, 'office-lo.pcap')));

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTTY: false, cwd: ROOT, env: {} });
  return { code, stdout, stderr };
}

describe('captures recorded from the real Kamailio', () => {
  const files: [string, string][] = [
    ['office-lo.pcap', 'pcap'],
    ['office-any-sll2.pcap', 'pcap'],
    ['office-any-sll.pcap', 'pcap'],
    ['office-lo.pcapng', 'pcapng'],
    ['office.ngrep.txt', 'ngrep'],
    ['office.sngrep.txt', 'sngrep'],
    ['office.headed.txt', 'headed'],
    ['office.raw.txt', 'raw-sip'],
  ];
  test.each(files)('%s: every failed transaction is explained with the line that produced it', (file, format) => {
    const capture = readCapture(fs.readFileSync(path.join(CAPTURES, file)));
    expect(capture.format).toBe(format);
    expect(capture.diagnostics).toEqual([]);
    const report = explainCapture(capture, model);
    expect(checkOffice(report)).toEqual([]);
    expect(report.summary).toMatchObject({ failed: 13, agree: 10, disagree: 3, not_simulated: 0 });
  });

  test('the link types of the recordings: Ethernet on lo, Linux cooked v1 and v2 on "any"', () => {
    const linkType = (f: string) => fs.readFileSync(path.join(CAPTURES, f)).readUInt32LE(20);
    expect([linkType('office-lo.pcap'), linkType('office-any-sll.pcap'), linkType('office-any-sll2.pcap')]).toEqual([1, 113, 276]);
  });

  test('frames: the request copies and replies of a transaction, numbered as Wireshark numbers them', () => {
    const report = explainCapture(recorded, model);
    const service = report.transactions.find((t) => t.ruri === 'sip:123@pbx.example.test')!;
    // Sent twice (a retransmission): one transaction, two requests, two replies.
    expect(service.frames).toHaveLength(4);
    expect(service.cseq).toBe('1 INVITE');
    expect(service.source).toMatch(/^127\.0\.0\.1:\d+$/);
    const tcpTwo = report.transactions.filter((t) => t.source === report.transactions.find((u) => u.ruri === 'sip:124@pbx.example.test')!.source);
    // Two INVITEs in one TCP segment share its frame.
    expect(tcpTwo.map((t) => t.frames![0])).toEqual([tcpTwo[0].frames![0], tcpTwo[0].frames![0], expect.any(Number)]);
  });

  test('raw SIP: the lines where each message starts', () => {
    const report = explainCapture(readCapture(fs.readFileSync(path.join(CAPTURES, 'office.raw.txt'))), model);
    const t = report.transactions[0];
    expect(t.frames).toBeUndefined();
    const lines = fs.readFileSync(path.join(CAPTURES, 'office.raw.txt'), 'utf8').split('\n');
    expect(lines[t.lines![0] - 1]).toBe(`INVITE ${t.ruri} SIP/2.0`);
    expect(lines[t.lines![1] - 1]).toMatch(/^SIP\/2\.0 404 /);
  });
});

describe('pbxlint explain (command line)', () => {
  const capture = 'fixtures/explain/captures/office-lo.pcap';
  const cfg = 'fixtures/explain/kamailio/kamailio.cfg';
  const defs = DEFINES.flatMap((d) => ['--define', d]);

  test('text: each failed transaction with the wire status, the verdict, the config line; exit 1 when some failure came from elsewhere', async () => {
    const r = await run(['explain', capture, cfg, ...defs]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/frame 5 {2}INVITE sip:123@pbx\.example\.test from 127\.0\.0\.1:\d+ → 404 No such service code\n.*\n {2}pbxlint: rejected → 404 — agrees with the wire\n {2}fixtures\/explain\/kamailio\/kamailio\.cfg:88 {2}sl_send_reply\("404", "No such service code"\);/);
    expect(r.stdout).toMatch(/pbxlint: routed — DISAGREES with the wire\n.*kamailio\.cfg:102 {2}t_relay\(\);\n {2}the configuration routes this to sip:02025551234@127\.0\.0\.1:\d+, yet 404 Number not in service came back: the next hop answered it/);
    expect(r.stdout).toMatch(/13 failed on the server: 10 explained by the configuration, 3 not/);
  });

  test('json: the contract {transactions: [{call_id, cseq, method, ruri, source, status, reason, frames, predicted, agrees, cause, explanation}]}', async () => {
    const r = await run(['explain', capture, cfg, ...defs, '--format', 'json']);
    const out = JSON.parse(r.stdout);
    expect(out.transactions).toHaveLength(13);
    for (const t of out.transactions) {
      expect(Object.keys(t)).toEqual(expect.arrayContaining(['call_id', 'cseq', 'method', 'ruri', 'source', 'status', 'reason', 'frames', 'predicted', 'agrees', 'cause', 'explanation']));
      expect(t.cseq).toMatch(/^\d+ [A-Z]+$/);
    }
    const scanner = out.transactions.find((t: { status: number | null }) => t.status === null);
    expect(scanner).toMatchObject({ reason: null, predicted: { verdict: 'rejected', status: null }, agrees: true, cause: { file: cfg, text: 'exit;' } });
    const service = out.transactions.find((t: { ruri: string }) => t.ruri === 'sip:123@pbx.example.test');
    expect(service).toMatchObject({ status: 404, reason: 'No such service code', predicted: { verdict: 'rejected', status: 404 }, agrees: true, cause: { file: cfg, line: 88, text: 'sl_send_reply("404", "No such service code");' } });
  });

  test('--server names the server when the configuration does not (and a request to another address is not the server\'s)', async () => {
    const r = await run(['explain', capture, cfg, ...defs, '--server', `127.0.0.1:${PORTS.GWPORT}`, '--format', 'json']);
    const out = JSON.parse(r.stdout);
    // Now the gateway is "the server": only the requests it received are explained.
    expect(out.transactions.map((t: { ruri: string }) => t.ruri.replace(/:\d+$/, ''))).toEqual(['sip:02025551234@127.0.0.1', 'sip:1001@127.0.0.1', 'sip:1003@127.0.0.1']);
    expect(out.server).toEqual([`127.0.0.1:${PORTS.GWPORT} (--server)`]);
  });

  test('--server takes IP addresses or * with a port; a name, a malformed value or port is a usage error (exit 2)', async () => {
    for (const bad of ['pbx.example.test:5060', 'foo:bar', '', '[::1', '127.0.0.1:99999']) {
      const r = await run(['explain', capture, cfg, ...defs, '--server', bad]);
      expect([bad, r.code, r.stderr]).toEqual([bad, 2, expect.stringMatching(/--server .*: give an IP address or \* with an optional port/)]);
    }
    for (const good of [`127.0.0.1:${PORTS.LPORT}`, `*:${PORTS.LPORT}`, '[::1]:5060', '::1']) expect([good, (await run(['explain', capture, cfg, ...defs, '--server', good])).code]).not.toEqual([good, 2]);
  });

  test('exit 2: no such capture, or a capture without SIP', async () => {
    expect((await run(['explain', 'fixtures/explain/nope.pcap', cfg])).code).toBe(2);
    const r = await run(['explain', 'README.md', cfg, ...defs]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no SIP message found/);
  });

  test('exit 0 when nothing disagrees, also when no failure could be simulated (the summary counts those apart)', async () => {
    // The Kamailio capture against a FreeSWITCH configuration: no sofia profile on the port the requests reached.
    const r = await run(['explain', capture, 'fixtures/explain/freeswitch']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/not simulated: no sofia profile listens on port \d+/);
    expect(r.stdout).toMatch(/13 failed on the server: 0 explained by the configuration, 0 not \(the failure came from elsewhere\), 13 not simulated\n$/);
  });

  test('exit 2 with what the input is: an empty file, binary that is no capture, a directory', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbxlint-explain-'));
    try {
      fs.writeFileSync(path.join(dir, 'empty.pcap'), '');
      fs.writeFileSync(path.join(dir, 'noise.bin'), Buffer.from([0x47, 0x49, 0x46, 0x38, 0x00, 0x01, 0x02]));
      const empty = await run(['explain', path.join(dir, 'empty.pcap'), cfg, ...defs]);
      expect([empty.code, empty.stderr]).toEqual([2, expect.stringMatching(/no SIP message found \(raw-sip; the file is empty\)/)]);
      const noise = await run(['explain', path.join(dir, 'noise.bin'), cfg, ...defs]);
      expect([noise.code, noise.stderr]).toEqual([2, expect.stringMatching(/neither pcap, pcapng nor text \(a NUL byte at offset 4,/)]);
      const directory = await run(['explain', dir, cfg, ...defs]);
      expect([directory.code, directory.stderr]).toEqual([2, expect.stringMatching(/a directory, not a capture file/)]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the README example is what the command prints', async () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const block = /```text\n\$ pbxlint (explain [^\n]+)\n([\s\S]*?)```/.exec(readme)!;
    const r = await run(block[1].split(' '));
    for (const line of block[2].split('\n').filter((l) => l && l !== '…')) expect(r.stdout).toContain(line);
  });

  test('explain --help names the inputs and options', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/pbxlint.js'), 'explain', '--help'], { encoding: 'utf8' });
    expect(r.stdout).toMatch(/pbxlint explain <capture> \[paths\.\.\]/);
    expect(r.stdout).toMatch(/--server/);
    expect(r.stdout).toMatch(/pcapng/);
  });
});

describe('packet decoding', () => {
  /** The recorded messages again, as packets of another kind. */
  const P = PORTS.LPORT;
  const msgs = recorded.messages;
  const udpMsgs = msgs.filter((m) => m.transport === 'UDP');

  test('BSD loopback (null) and Ethernet with an 802.1Q tag, IPv4', () => {
    const packets = udpMsgs.map((m) => ipv4(m.src!.ip, m.dst!.ip, 17, udp(m.src!.port, m.dst!.port, Buffer.from(m.text))));
    for (const [type, frames] of [
      [0, packets.map((p) => nullLink(p, false))],
      [1, packets.map((p) => ethernet(p, false, 7))],
    ] as [number, Buffer[]][]) {
      const c = readCapture(pcapFile(type, frames));
      expect(c.diagnostics).toEqual([]);
      expect(c.messages.map((m) => m.text)).toEqual(udpMsgs.map((m) => m.text));
    }
  });

  test('IPv6 (raw and null link, big-endian pcapng), extension headers and fragments', () => {
    const v6 = (ip: string) => (ip === '127.0.0.1' ? '::1' : ip);
    const frames: Buffer[] = [];
    udpMsgs.forEach((m, i) => {
      const dgram = udp(m.src!.port, m.dst!.port, Buffer.from(m.text));
      if (i % 3 === 0) {
        // In two fragments, the second first.
        const cut = 256;
        frames.push(ipv6(v6(m.src!.ip), v6(m.dst!.ip), 17, dgram.subarray(cut), { frag: { id: i, offset: cut, more: false } }));
        frames.push(ipv6(v6(m.src!.ip), v6(m.dst!.ip), 17, dgram.subarray(0, cut), { frag: { id: i, offset: 0, more: true }, destOpts: true }));
      } else frames.push(ipv6(v6(m.src!.ip), v6(m.dst!.ip), 17, dgram));
    });
    for (const file of [pcapFile(101, frames), pcapFile(0, frames.map((f) => nullLink(f, true))), pcapngFileBE(229, frames)]) {
      const c = readCapture(file);
      expect(c.diagnostics).toEqual([]);
      expect(c.messages.map((m) => m.text)).toEqual(udpMsgs.map((m) => m.text));
      expect(c.messages[0].src!.ip).toBe('::1');
      const report = explainCapture(c, model, { servers: [`[::1]:${P}`] });
      const expectedUdp = checkOffice(report).filter((p) => !/12[45]@|#2\)/.test(p) && !/sip:1002@pbx\.example\.test: not reported/.test(p));
      expect(expectedUdp).toEqual([]);
    }
  });

  test('IPv4 fragments reassemble into one datagram', () => {
    const big = udpMsgs.find((m) => m.text.length > 500)!;
    const dgram = udp(big.src!.port, big.dst!.port, Buffer.from(big.text));
    const frames = [ipv4(big.src!.ip, big.dst!.ip, 17, dgram.subarray(0, 200), { id: 9, offset: 0, more: true }), ipv4(big.src!.ip, big.dst!.ip, 17, dgram.subarray(200), { id: 9, offset: 200, more: false })];
    const c = readCapture(pcapFile(1, frames.map((f) => ethernet(f, false))));
    expect(c.messages.map((m) => m.text)).toEqual([big.text]);
    expect(c.messages[0].frame).toBe(2);
  });

  test('TCP: segments out of order, a retransmission, several messages per segment, one message over three segments', () => {
    const a = udpMsgs[2].text;
    const b = udpMsgs[3].text;
    const c = udpMsgs[4].text;
    const stream = Buffer.from(a + b + c);
    const isn = 0xfffffff0; // the sequence numbers wrap inside the stream
    const seg = (from: number, to: number) => tcp(5070, 5060, (isn + 1 + from) >>> 0, 0x18, stream.subarray(from, to));
    const cut1 = a.length + b.length + 30;
    const cut2 = cut1 + 40;
    const frames = [tcp(5070, 5060, isn, 0x02, Buffer.alloc(0)), seg(0, a.length + b.length), seg(cut2, stream.length), seg(cut1, cut2), seg(0, 100), seg(a.length + b.length, cut1)].map((s) => ethernet(ipv4('10.0.0.2', '10.0.0.1', 6, s), false));
    const cap = readCapture(pcapFile(1, frames));
    expect(cap.diagnostics).toEqual([]);
    expect(cap.messages.map((m) => m.text)).toEqual([a, b, c]);
    expect(cap.messages.map((m) => m.frame)).toEqual([2, 2, 6]);
    expect(cap.messages.every((m) => m.transport === 'TCP')).toBe(true);
  });

  test('TCP: a gap (bytes never captured) and a message cut off by the end of the capture are reported with their frames', () => {
    const a = Buffer.from(udpMsgs[2].text);
    const b = Buffer.from(udpMsgs[3].text);
    const frames = [tcp(5070, 5060, 1000, 0x18, a), tcp(5070, 5060, 1000 + a.length + 50, 0x18, b), tcp(5070, 5060, 1000 + a.length + 50 + b.length, 0x18, b.subarray(0, 100))].map((s) => ethernet(ipv4('10.0.0.2', '10.0.0.1', 6, s), false));
    const cap = readCapture(pcapFile(1, frames));
    expect(cap.messages.map((m) => m.text)).toEqual([a.toString(), b.toString()]);
    expect(cap.diagnostics).toEqual([
      { frame: 2, message: expect.stringMatching(/50 bytes missing before this frame/) },
      { frame: 3, message: expect.stringMatching(/the capture ends inside a message \(100 bytes of it\)/) },
    ]);
  });
});

describe('malformed and truncated captures: diagnostics with a frame number, never a crash', () => {
  const file = fs.readFileSync(path.join(CAPTURES, 'office-lo.pcap'));
  const ng = fs.readFileSync(path.join(CAPTURES, 'office-lo.pcapng'));

  test('a pcap cut in the middle of a frame keeps the frames before it and names the cut one', () => {
    const cut = readCapture(file.subarray(0, Math.floor(file.length / 2)));
    expect(cut.messages.length).toBeGreaterThan(5);
    expect(cut.diagnostics).toEqual([{ frame: expect.any(Number), message: expect.stringMatching(/truncated .* the capture ends mid-frame/) }]);
    expect(cut.diagnostics[0].frame).toBe(cut.messages[cut.messages.length - 1].frame! + 1);
  });

  test('a pcapng cut mid-block, a corrupt block length', () => {
    const cut = readCapture(ng.subarray(0, ng.length - 150));
    expect(cut.diagnostics[0]).toEqual({ frame: expect.any(Number), message: expect.stringMatching(/frame truncated/) });
    const bad = Buffer.from(ng);
    const firstPacket = ng.readUInt32LE(4) + ng.readUInt32LE(ng.readUInt32LE(4) + 4); // after the SHB and the IDB
    bad.writeUInt32LE(7, firstPacket + 4);
    const r = readCapture(bad);
    expect(r.diagnostics.length).toBe(1);
  });

  test('every prefix and random corruption of a capture reads without throwing', () => {
    for (let n = 0; n < file.length; n += 97) expect(() => explainCapture(readCapture(file.subarray(0, n)), model)).not.toThrow();
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let i = 0; i < 200; i++) {
      const b = Buffer.from(i % 2 ? file : ng);
      for (let k = 0; k < 20; k++) b[24 + Math.floor(rnd() * (b.length - 24))] = Math.floor(rnd() * 256);
      expect(() => explainCapture(readCapture(b), model)).not.toThrow();
    }
  });

  test('text captures cut anywhere, with lines dropped or garbled, read without throwing', () => {
    let seed = 11;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (const name of ['office.ngrep.txt', 'office.sngrep.txt', 'office.headed.txt', 'office.raw.txt']) {
      const text = fs.readFileSync(path.join(CAPTURES, name), 'utf8');
      for (let n = 0; n < text.length; n += 1777) expect(() => explainCapture(readCapture(Buffer.from(text.slice(0, n))), model)).not.toThrow();
      for (let i = 0; i < 30; i++) {
        const lines = text.split('\n').filter(() => rnd() > 0.05).map((l) => (rnd() < 0.03 ? l.slice(0, Math.floor(rnd() * l.length)) : l));
        expect(() => explainCapture(readCapture(Buffer.from(lines.join('\n'))), model)).not.toThrow();
      }
    }
  });

  test('a truncated SIP datagram (snaplen) and an unknown link type are reported', () => {
    const m = udpMsgs0();
    const pkt = ethernet(ipv4('10.0.0.2', '10.0.0.1', 17, udp(5070, 5060, Buffer.from(m))), false);
    const short = pkt.subarray(0, pkt.length - 40);
    const c = readCapture(pcapFile(1, [short]));
    expect(c.diagnostics).toEqual([{ frame: 1, message: expect.stringMatching(/SIP datagram truncated by the capture/) }]);
    const other = readCapture(pcapFile(147, [pkt]));
    expect(other.diagnostics).toEqual([{ frame: 1, message: expect.stringMatching(/link type 147 is not read/) }]);
  });

  function udpMsgs0(): string {
    return recorded.messages.find((m) => m.transport === 'UDP' && m.text.startsWith('INVITE'))!.text;
  }
});

describe('text captures', () => {
  test('ngrep -W byline: several messages under one header, dots for CRs, "#" separators', () => {
    const inv = 'INVITE sip:123@pbx.example.test SIP/2.0.\nVia: SIP/2.0/TCP 10.0.0.2:5070;branch=z9hG4bK1.\nFrom: <sip:a@x>;tag=1.\nTo: <sip:123@pbx.example.test>.\nCall-ID: c1.\nCSeq: 1 INVITE.\nContent-Length: 0.\n.\n';
    const text = `interface: lo (127.0.0.0/255.0.0.0)\nfilter: port 5060\n#\nT 10.0.0.2:5070 -> 10.0.0.1:5060 [AP] #4\n${inv}${inv.replace(/c1/, 'c2').replace('z9hG4bK1', 'z9hG4bK2')}\n#\n`;
    const c = readCapture(Buffer.from(text));
    expect(c.format).toBe('ngrep');
    expect(c.messages.map((m) => [m.line, m.transport, m.src, m.text.split('\r\n')[4]])).toEqual([
      [5, 'TCP', { ip: '10.0.0.2', port: 5070 }, 'Call-ID: c1'],
      [13, 'TCP', { ip: '10.0.0.2', port: 5070 }, 'Call-ID: c2'],
    ]);
  });

  test('IPv6 addresses in headers, bare (as ngrep prints them) or bracketed', () => {
    const msg = 'OPTIONS sip:pbx.example.test SIP/2.0\nVia: SIP/2.0/UDP [2001:db8::2]:5070;branch=z9hG4bK9\nFrom: <sip:a@x>;tag=1\nTo: <sip:pbx.example.test>\nCall-ID: v6\nCSeq: 1 OPTIONS\nContent-Length: 0\n\n';
    for (const head of ['U 2001:db8::2:5070 -> 2001:db8::1:5060', 'U 2026/01/02 03:04:05.000006 [2001:db8::2]:5070 -> [2001:db8::1]:5060']) {
      const c = readCapture(Buffer.from(`${head}\n${msg}`));
      expect(c.messages.map((m) => [m.src, m.dst])).toEqual([[{ ip: '2001:db8::2', port: 5070 }, { ip: '2001:db8::1', port: 5060 }]]);
    }
  });

  test('text that holds no SIP gives a diagnostic and no messages', () => {
    const c = readCapture(Buffer.from('U 1.2.3.4:5060 -> 5.6.7.8:5060\nhello\n'));
    expect(c.messages).toEqual([]);
    expect(c.diagnostics).toEqual([{ line: 1, message: expect.stringMatching(/not a SIP message/) }]);
  });
});

describe('SIP messages and transactions (RFC 3261)', () => {
  const invite = (branch: string, extra = '') =>
    `INVITE sip:1001@pbx.example.test;user=phone SIP/2.0\r\nv: SIP/2.0/UDP 10.0.0.2:5070;branch=${branch};rport, SIP/2.0/TCP proxy.example.test;branch=z9hG4bKp\r\nf: "Smith, J" <sip:2001@example.test>;tag=a\r\nt: sip:1001@pbx.example.test\r\ni: call-1\r\nCSeq: 7 INVITE\r\nSubject: a folded\r\n  header line\r\n${extra}l: 4\r\n\r\nbodyEXTRA`;

  test('compact headers, several Vias on one line, a comma in a display name, folded lines, the body by Content-Length', () => {
    const { message, problem } = parseSipMessage(invite('z9hG4bK1'));
    expect(problem).toBeUndefined();
    expect(message).toMatchObject({ kind: 'request', method: 'INVITE', callId: 'call-1', cseq: { number: 7, method: 'INVITE' }, body: 'body', target: { user: '1001', host: 'pbx.example.test' } });
    expect(message!.vias.map((v) => [v.transport, v.host, v.port, v.branch])).toEqual([
      ['UDP', '10.0.0.2', 5070, 'z9hG4bK1'],
      ['TCP', 'proxy.example.test', undefined, 'z9hG4bKp'],
    ]);
    expect(message!.from).toMatchObject({ user: '2001', host: 'example.test', tag: 'a' });
    expect(message!.to).toMatchObject({ user: '1001', tag: undefined });
    expect(message!.headers.get('subject')).toEqual(['a folded header line']);
  });

  test('a retransmission is the same transaction; ACK joins its INVITE; CANCEL is its own; a response without its request is reported', () => {
    const reply = (status: string, branch: string, method = 'INVITE') => `SIP/2.0 ${status}\r\nVia: SIP/2.0/UDP 10.0.0.2:5070;branch=${branch};received=10.0.0.2\r\nFrom: <sip:2001@example.test>;tag=a\r\nTo: <sip:1001@pbx.example.test>;tag=b\r\nCall-ID: call-1\r\nCSeq: 7 ${method}\r\nContent-Length: 0\r\n\r\n`;
    const ack = invite('z9hG4bK1').replace(/^INVITE/, 'ACK').replace('CSeq: 7 INVITE', 'CSeq: 7 ACK');
    const cancel = invite('z9hG4bK1').replace(/^INVITE/, 'CANCEL').replace('CSeq: 7 INVITE', 'CSeq: 7 CANCEL');
    const texts = [invite('z9hG4bK1'), invite('z9hG4bK1'), cancel, reply('200 OK', 'z9hG4bK1', 'CANCEL'), reply('487 Request Terminated', 'z9hG4bK1'), ack, reply('404 Not Found', 'z9hG4bKother')];
    const g = groupTransactions(texts.map((text, i) => ({ frame: i + 1, transport: 'UDP', text })));
    expect(g.transactions.map((t) => [t.method, t.requests.length, t.responses.map((r) => r.sip.status), t.acks.length])).toEqual([
      ['INVITE', 2, [487], 1],
      ['CANCEL', 1, [200], 0],
    ]);
    expect(g.dialogs).toHaveLength(1);
    const report = explainCapture({ format: 'raw-sip', messages: texts.map((text, i) => ({ frame: i + 1, transport: 'UDP', text })), diagnostics: [] }, model);
    expect(report.transactions.map((t) => [t.method, t.status])).toEqual([['INVITE', 487]]);
    expect(report.transactions[0].explanation).toMatch(/^the caller cancelled it \(CANCEL at frame 3\); /);
    expect(g.diagnostics).toEqual([{ frame: 7, message: expect.stringMatching(/404 Not Found for INVITE \(Call-ID call-1\) matches no captured request/) }]);
  });
});
