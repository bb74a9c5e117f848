/**
 * Records the `pbxlint explain` fixtures from a real Kamailio: starts it on 127.0.0.1 (free ports)
 * with fixtures/explain/kamailio/kamailio.cfg, captures the loopback with tcpdump (Ethernet on lo,
 * Linux cooked v1 and v2 on "any"), and sends the scenario below over UDP and TCP. A second socket
 * plays the PSTN gateway and the registered phone: it answers every INVITE it gets (404 for a
 * gateway number, 486 for a phone). The text formats are made from the recorded pcap: ngrep's own
 * output (`ngrep -I`) when ngrep is installed, sngrep's text save and headed dumps in their formats.
 */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as dgram from 'dgram';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { randomBytes } from 'crypto';
import { readCapture } from '../../src/capture';
import { formatEndpoint, type CapturedMessage } from '../../src/capture/types';
import { startKamailio } from '../kamailio-oracle/kamailio';
import { freeUdpPort } from '../kamailio-oracle/sip';

export const CFG = path.resolve(__dirname, '../../fixtures/explain/kamailio/kamailio.cfg');

export function toolPath(name: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}

const rand = () => randomBytes(6).toString('hex');

interface Msg {
  method: string;
  ruri: string;
  to?: string;
  fromUser?: string;
  userAgent?: string;
  contact?: string;
  branch?: string;
  callId?: string;
}

function request(m: Msg, transport: 'UDP' | 'TCP', localPort: number): { text: string; callId: string } {
  const callId = m.callId ?? `${rand()}@127.0.0.1`;
  const fromUser = m.fromUser ?? '2001';
  const lines = [
    `${m.method} ${m.ruri} SIP/2.0`,
    `Via: SIP/2.0/${transport} 127.0.0.1:${localPort};branch=${m.branch ?? `z9hG4bK${rand()}`};rport`,
    'Max-Forwards: 70',
    `From: <sip:${fromUser}@pbx.example.test>;tag=${rand()}`,
    `To: <${m.to ?? m.ruri}>`,
    `Call-ID: ${callId}`,
    `CSeq: 1 ${m.method}`,
    `Contact: <${m.contact ?? `sip:${fromUser}@127.0.0.1:${localPort}`}>`,
  ];
  if (m.method === 'REGISTER') lines.push('Expires: 3600');
  lines.push(`User-Agent: ${m.userAgent ?? 'explain-recorder'}`, 'Content-Length: 0', '', '');
  return { text: lines.join('\r\n'), callId };
}

/** The gateway / phone: answers each INVITE with a final response built from the request (RFC 3261 §8.2.6). */
function answerer(socket: dgram.Socket): void {
  socket.on('message', (buf, rinfo) => {
    const text = buf.toString();
    const first = text.slice(0, text.indexOf('\r\n'));
    if (!first.startsWith('INVITE ')) return;
    const user = /^INVITE sip:([^@;>]+)@/.exec(first)?.[1] ?? '';
    const [status, reason] = user.startsWith('0') ? ['404', 'Number not in service'] : ['486', 'Busy Here'];
    const headers = text.split('\r\n').filter((l) => /^(Via|From|Call-ID|CSeq|To)\s*:/i.test(l));
    const out = [`SIP/2.0 ${status} ${reason}`, ...headers.map((h) => (/^To\s*:/i.test(h) ? `${h};tag=${rand()}` : h)), 'Content-Length: 0', '', ''].join('\r\n');
    socket.send(out, rinfo.port, rinfo.address);
  });
}

async function startTcpdump(bin: string, args: string[]): Promise<ChildProcess> {
  // --immediate-mode: with TPACKET_V3, libpcap hands packets over a block at a time, and the block
  // still open when tcpdump is stopped is lost.
  const p = spawn(bin, ['--immediate-mode', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  p.stderr?.on('data', (b) => (err += b.toString()));
  const started = Date.now();
  while (!/listening on/.test(err)) {
    if (p.exitCode !== null || Date.now() - started > 10000) throw new Error(`tcpdump did not start: ${err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return p;
}

async function stopTcpdump(p: ChildProcess): Promise<void> {
  const exited = new Promise<void>((r) => p.on('exit', () => r()));
  p.kill('SIGINT');
  await exited;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Recording {
  P: number;
  D: number;
  files: Record<string, string>;
}

/** Records every capture format into `dir`; returns the ports (the cfg's LPORT and GWPORT). */
export async function record(kamailio: string, tcpdump: string, dir: string): Promise<Recording> {
  const gw = dgram.createSocket('udp4');
  await new Promise<void>((r) => gw.bind(0, '127.0.0.1', r));
  const D = gw.address().port;
  answerer(gw);
  const P = await freeUdpPort();
  const kam = await startKamailio(kamailio, { cfg: CFG, port: P, defines: [`LPORT=${P}`, `GWPORT=${D}`] });
  const client = dgram.createSocket('udp4');
  await new Promise<void>((r) => client.bind(0, '127.0.0.1', r));
  const C = client.address().port;
  const finals = new Map<string, string>();
  client.on('message', (b) => {
    const t = b.toString();
    const m = /^SIP\/2\.0 ([2-6][0-9]{2})/.exec(t);
    const cid = /^Call-ID:\s*(.+)$/im.exec(t)?.[1].trim();
    if (m && cid) finals.set(cid, m[1]);
  });
  const udp = async (m: Msg, waitMs = 1500, copies = 1) => {
    const { text, callId } = request(m, 'UDP', C);
    for (let i = 0; i < copies; i++) {
      client.send(text, P, '127.0.0.1');
      await sleep(60);
    }
    const t0 = Date.now();
    while (!finals.has(callId) && Date.now() - t0 < waitMs) await sleep(20);
    return finals.get(callId);
  };
  const files: Record<string, string> = {
    eth: path.join(dir, 'office-lo.pcap'),
    sll2: path.join(dir, 'office-any-sll2.pcap'),
    sll: path.join(dir, 'office-any-sll.pcap'),
  };
  const filter = `port ${P} or port ${D}`;
  let dumps: ChildProcess[] = [];
  try {
    // Registered before the capture starts: the capture cannot show it (a runtime-state disagreement).
    await udp({ method: 'REGISTER', ruri: 'sip:pbx.example.test', to: 'sip:1003@pbx.example.test', fromUser: '1003', contact: `sip:1003@127.0.0.1:${D}` });
    dumps = [
      await startTcpdump(tcpdump, ['-i', 'lo', '-U', '-s', '0', '-w', files.eth, filter]),
      await startTcpdump(tcpdump, ['-i', 'any', '-y', 'LINUX_SLL2', '-U', '-s', '0', '-w', files.sll2, filter]),
      await startTcpdump(tcpdump, ['-i', 'any', '-y', 'LINUX_SLL', '-U', '-s', '0', '-w', files.sll, filter]),
    ];
    await sleep(300);
    await udp({ method: 'OPTIONS', ruri: 'sip:pbx.example.test' });
    await udp({ method: 'INVITE', ruri: 'sip:1001@pbx.example.test' });
    await udp({ method: 'INVITE', ruri: 'sip:123@pbx.example.test' }, 1500, 2);
    await udp({ method: 'INVITE', ruri: 'sip:1001@example.com' });
    await udp({ method: 'INVITE', ruri: 'sip:+12025551234@pbx.example.test' });
    await udp({ method: 'INVITE', ruri: 'sip:02025551234@pbx.example.test' });
    await udp({ method: 'INVITE', ruri: 'sip:999@pbx.example.test', to: 'sip:1002@pbx.example.test' });
    await udp({ method: 'INVITE', ruri: 'sip:1002@pbx.example.test', userAgent: 'friendly-scanner' }, 600);
    await udp({ method: 'INVITE', ruri: 'sip:pbx.example.test' });
    await udp({ method: 'REGISTER', ruri: 'sip:pbx.example.test', to: 'sip:1001@pbx.example.test', fromUser: '1001', contact: `sip:1001@127.0.0.1:${D}` });
    await udp({ method: 'INVITE', ruri: 'sip:1001@pbx.example.test' });
    await udp({ method: 'INVITE', ruri: 'sip:1003@pbx.example.test' });
    // TCP: two requests in one segment, then one request split across two segments.
    const sock = net.connect({ host: '127.0.0.1', port: P });
    await new Promise<void>((r, j) => {
      sock.once('connect', () => r());
      sock.once('error', j);
    });
    sock.setNoDelay(true);
    let got = '';
    sock.on('data', (b) => (got += b.toString()));
    const T = sock.localPort!;
    const a = request({ method: 'INVITE', ruri: 'sip:124@pbx.example.test' }, 'TCP', T).text;
    const b = request({ method: 'INVITE', ruri: 'sip:1002@pbx.example.test' }, 'TCP', T).text;
    sock.write(a + b);
    await sleep(400);
    const c = request({ method: 'INVITE', ruri: 'sip:125@pbx.example.test' }, 'TCP', T).text;
    const cut = c.indexOf('Call-ID');
    sock.write(c.slice(0, cut));
    await sleep(150);
    sock.write(c.slice(cut));
    const t0 = Date.now();
    while ((got.match(/^SIP\/2\.0 404/gm) ?? []).length < 3 && Date.now() - t0 < 3000) await sleep(20);
    sock.destroy();
    await sleep(300);
  } finally {
    for (const d of dumps) await stopTcpdump(d);
    client.close();
    gw.close();
    await kam.stop();
  }
  return { P, D, files: { ...files, ...writeTextFormats(files.eth, dir, P, D) } };
}

/** The other formats, from the Ethernet pcap: pcapng (editcap), ngrep's own output, sngrep's text save, a headed dump, raw SIP. */
function writeTextFormats(pcap: string, dir: string, P: number, D: number): Record<string, string> {
  const out: Record<string, string> = {};
  const editcap = toolPath('editcap');
  if (editcap) {
    out.pcapng = path.join(dir, 'office-lo.pcapng');
    spawnSync(editcap, ['-F', 'pcapng', pcap, out.pcapng]);
  }
  const ngrep = toolPath('ngrep');
  if (ngrep) {
    out.ngrep = path.join(dir, 'office.ngrep.txt');
    const r = spawnSync(ngrep, ['-I', pcap, '-W', 'byline', '-t', '-q', '.'], { encoding: 'utf8' });
    fs.writeFileSync(out.ngrep, r.stdout.replace(pcap, path.basename(pcap)));
  }
  const { messages } = readCapture(fs.readFileSync(pcap));
  const date = (m: CapturedMessage) => {
    const d = new Date(m.time ?? 0);
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    const us = Math.round(((m.time ?? 0) % 1000) * 1000);
    return { day: `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}`, time: `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(us, 6)}` };
  };
  // sngrep src/curses/ui_save.c save_msg_txt: "date time src -> dst\npayload\n\n".
  out.sngrep = path.join(dir, 'office.sngrep.txt');
  fs.writeFileSync(out.sngrep, messages.map((m) => `${date(m).day} ${date(m).time} ${formatEndpoint(m.src)} -> ${formatEndpoint(m.dst)}\n${m.text}\n\n`).join(''));
  out.headed = path.join(dir, 'office.headed.txt');
  fs.writeFileSync(out.headed, messages.map((m) => `${m.transport === 'TCP' ? 'T' : 'U'} ${date(m).day} ${date(m).time} ${formatEndpoint(m.src)} -> ${formatEndpoint(m.dst)}\n${m.text.replace(/\r\n/g, '\n')}\n`).join('\n'));
  // Raw SIP as pasted from a phone's log: only what passed between the phones and the server.
  out.raw = path.join(dir, 'office.raw.txt');
  fs.writeFileSync(out.raw, messages.filter((m) => m.src?.port !== D && m.dst?.port !== D && (m.src?.port === P || m.dst?.port === P)).map((m) => m.text.replace(/\r\n/g, '\n')).join('\n'));
  return out;
}
