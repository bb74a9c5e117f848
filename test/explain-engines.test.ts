/**
 * `pbxlint explain` on Asterisk and FreeSWITCH: captures written by hand (an sngrep text save and
 * `ngrep -W byline` output) of small configurations of our own, with the statuses the real engines
 * answer in the recorded cases of ../shared/differential (a number no extension matches → 404 from
 * chan_pjsip before the dialplan; FreeSWITCH: no extension → 404, respond → its status, bridge to an
 * unregistered user → 480). The same messages are also explained from a pcap built from them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { readCapture } from '../src/capture';
import type { Capture } from '../src/capture';
import { explainCapture, type ExplainReport } from '../src/explain';
import { loadOneRoot } from '../src/route';
import { ethernet, ipv4, pcapFile, udp } from './explain/pcap-writer';

const ROOT = path.resolve(__dirname, '..');
const CAPTURES = path.join(ROOT, 'fixtures/explain/captures');
const asterisk = loadOneRoot([path.join(ROOT, 'fixtures/explain/asterisk')], {});
const freeswitch = loadOneRoot([path.join(ROOT, 'fixtures/explain/freeswitch')], {});

/** One row per failed transaction: R-URI, wire status, agrees, cause file:line (relative), and a phrase of the explanation. */
function rows(report: ExplainReport) {
  return report.transactions.map((t) => ({
    ruri: t.ruri,
    status: t.status,
    agrees: t.agrees,
    cause: t.cause ? `${path.relative(ROOT, t.cause.file)}:${t.cause.line}` : null,
  }));
}

/** The messages of a text capture as UDP packets in a pcap (the text gives the addresses). */
function asPcap(capture: Capture): Capture {
  const frames = capture.messages.map((m) => ethernet(ipv4(m.src!.ip, m.dst!.ip, 17, udp(m.src!.port, m.dst!.port, Buffer.from(m.text))), false));
  return readCapture(pcapFile(1, frames));
}

describe('Asterisk (chan_pjsip): an sngrep text save written by hand', () => {
  const capture = readCapture(fs.readFileSync(path.join(CAPTURES, 'asterisk-office.sngrep.txt')));
  const expected = [
    // The provider, identified by its address (identify itsp-identify), sends E.164 to a ten-digit context.
    { ruri: 'sip:+12125550123@198.51.100.10', status: 404, agrees: true, cause: 'fixtures/explain/asterisk/extensions.conf:6' },
    // Phone 1001 without credentials: challenged because the endpoint has auth=.
    { ruri: 'sip:1234@198.51.100.10', status: 401, agrees: true, cause: 'fixtures/explain/asterisk/pjsip.conf:31' },
    // … and with them (the endpoint found by the authenticating user): no extension for 1234.
    { ruri: 'sip:1234@198.51.100.10', status: 404, agrees: true, cause: 'fixtures/explain/asterisk/extensions.conf:12' },
    // Routed to the provider by Dial; the provider's 404 came back.
    { ruri: 'sip:92125550123@198.51.100.10', status: 404, agrees: false, cause: 'fixtures/explain/asterisk/extensions.conf:15' },
    // A scanner no endpoint identifies: the artificial endpoint's 401.
    { ruri: 'sip:100@198.51.100.10', status: 401, agrees: true, cause: null },
    // After 1001 registered (REGISTER answered 200 in the capture): a DID rings it, and it is busy.
    { ruri: 'sip:2125550150@198.51.100.10', status: 486, agrees: false, cause: 'fixtures/explain/asterisk/extensions.conf:9' },
  ];

  test.each([
    ['sngrep text', capture],
    ['pcap', asPcap(capture)],
  ])('%s: every failed transaction with its cause', (_kind, c) => {
    expect(c.diagnostics).toEqual([]);
    const report = explainCapture(c, asterisk);
    expect(rows(report)).toEqual(expected);
    const [, challenged, retried, routed, , did] = report.transactions;
    expect(did.explanation).toMatch(/routes this to PJSIP\/1001, yet 486 Busy Here came back: the next hop answered it \(the server's own call to 192\.0\.2\.50:5062/);
    expect(challenged.explanation).toMatch(/endpoint 1001 has auth=1001-auth: chan_pjsip challenges a request without credentials.*then pbxlint predicts rejected → 404/);
    expect(retried.explanation).toMatch(/entry: endpoint 1001 authenticates as 1001/);
    expect(routed.explanation).toMatch(/routes this to PJSIP\/itsp\/2125550123, yet 404 Not Found came back: the next hop answered it \(the server's own call to 203\.0\.113\.5:5060 \(Call-ID as-out-7@198\.51\.100\.10\) got 404 Not Found/);
    // The server binds 0.0.0.0:5060: its address is the one receiving the most requests on 5060.
    expect(report.server[0]).toMatch(/^198\.51\.100\.10:5060 \(transport transport-udp/);
  });
});

describe('FreeSWITCH: `ngrep -W byline` output written by hand', () => {
  const capture = readCapture(fs.readFileSync(path.join(CAPTURES, 'freeswitch-office.ngrep.txt')));
  const expected = [
    { ruri: 'sip:+12125550100@198.51.100.20:5080', status: 404, agrees: true, cause: 'fixtures/explain/freeswitch/dialplan/inbound.xml:2' },
    { ruri: 'sip:5555@office.example.test', status: 404, agrees: true, cause: 'fixtures/explain/freeswitch/dialplan/office.xml:2' },
    { ruri: 'sip:*71@office.example.test', status: 486, agrees: true, cause: 'fixtures/explain/freeswitch/dialplan/office.xml:10' },
    { ruri: 'sip:2125550100@198.51.100.20:5080', status: 480, agrees: true, cause: 'fixtures/explain/freeswitch/dialplan/office.xml:5' },
    // After 1000 registered (REGISTER answered 200 in the capture): bridged, and 1000 was busy.
    { ruri: 'sip:2125550100@198.51.100.20:5080', status: 486, agrees: false, cause: 'fixtures/explain/freeswitch/dialplan/office.xml:5' },
    // The same number on the phones' profile (port 5060): context office.
    { ruri: 'sip:2125550100@office.example.test', status: 404, agrees: true, cause: 'fixtures/explain/freeswitch/dialplan/office.xml:2' },
  ];

  test.each([
    ['ngrep', capture],
    ['pcap', asPcap(capture)],
  ])('%s: every failed transaction with its cause; the profile by the port', (_kind, c) => {
    expect(c.diagnostics).toEqual([]);
    const report = explainCapture(c, freeswitch);
    expect(rows(report)).toEqual(expected);
    const [e164, , , , busy, wrongProfile] = report.transactions;
    expect(e164.explanation).toMatch(/entry: sofia profile carrier listens on port 5080/);
    expect(e164.hints.join('\n')).toMatch(/dialled as \+12125550100, but the configuration has a route for 12125550100/);
    expect(busy.explanation).toMatch(/routes this to user\/1000@office\.example\.test, yet 486 Busy Here came back: the next hop answered it \(the server's own call to 192\.0\.2\.61:5060/);
    expect(wrongProfile.explanation).toMatch(/entry: sofia profile lan listens on port 5060/);
  });

  test('a port no profile listens on: not simulated, and the explanation says why', () => {
    const text = fs.readFileSync(path.join(CAPTURES, 'freeswitch-office.ngrep.txt'), 'utf8').replace(/198\.51\.100\.20:5080/g, '198.51.100.20:5099');
    const report = explainCapture(readCapture(Buffer.from(text)), freeswitch, { servers: ['198.51.100.20:5099', '198.51.100.20:5060'] });
    const carrier = report.transactions.filter((t) => t.ruri.includes(':5099'));
    expect(carrier.length).toBeGreaterThan(0);
    for (const t of carrier) expect(t).toMatchObject({ predicted: null, agrees: null, explanation: expect.stringMatching(/no sofia profile listens on port 5099 \(profiles: lan:5060, carrier:5080\)/) });
  });
});

describe('registrations over time', () => {
  /** A message in `ngrep -W byline` form: header lines ending in ".", then a "." line. */
  const message = (n: number, from: string, to: string, lines: string[]) => `U 2026/11/30 10:01:${String(n).padStart(2, '0')}.000000 ${from} -> ${to} #${100 + n}\n${[...lines, 'Content-Length: 0', ''].map((l) => `${l}.`).join('\n')}\n\n`;
  const phone = '192.0.2.61:5060';
  const server5060 = '198.51.100.20:5060';
  const carrier = '203.0.113.5:5060';
  const server5080 = '198.51.100.20:5080';
  const register = (n: number, expires: number) => [
    message(n, phone, server5060, [`REGISTER sip:office.example.test SIP/2.0`, `Via: SIP/2.0/UDP ${phone};branch=z9hG4bKrr${n}`, `From: <sip:1000@office.example.test>;tag=r${n}`, `To: <sip:1000@office.example.test>`, `Call-ID: reg-${n}@192.0.2.61`, `CSeq: ${n} REGISTER`, `Contact: <sip:1000@${phone}>`, `Expires: ${expires}`]),
    message(n + 1, server5060, phone, [`SIP/2.0 200 OK`, `Via: SIP/2.0/UDP ${phone};branch=z9hG4bKrr${n}`, `From: <sip:1000@office.example.test>;tag=r${n}`, `To: <sip:1000@office.example.test>;tag=s${n}`, `Call-ID: reg-${n}@192.0.2.61`, `CSeq: ${n} REGISTER`]),
  ];
  const call = (n: number, status: string) => [
    message(n, carrier, server5080, [`INVITE sip:2125550100@${server5080} SIP/2.0`, `Via: SIP/2.0/UDP ${carrier};branch=z9hG4bKcc${n}`, `From: <sip:2025550000@203.0.113.5>;tag=c${n}`, `To: <sip:2125550100@198.51.100.20>`, `Call-ID: call-${n}@203.0.113.5`, `CSeq: 1 INVITE`]),
    message(n + 1, server5080, carrier, [`SIP/2.0 ${status}`, `Via: SIP/2.0/UDP ${carrier};branch=z9hG4bKcc${n}`, `From: <sip:2025550000@203.0.113.5>;tag=c${n}`, `To: <sip:2125550100@198.51.100.20>;tag=t${n}`, `Call-ID: call-${n}@203.0.113.5`, `CSeq: 1 INVITE`]),
  ];

  test('FreeSWITCH: registered, unregistered (Expires: 0), registered again — each call sees the registrations answered before it', () => {
    const text = [...call(1, '480 Temporarily Unavailable'), ...register(3, 600), ...call(5, '486 Busy Here'), ...register(7, 0), ...call(9, '480 Temporarily Unavailable'), ...register(11, 600), ...call(13, '486 Busy Here')].join('');
    const capture = readCapture(Buffer.from(text));
    expect(capture.diagnostics).toEqual([]);
    const report = explainCapture(capture, freeswitch);
    // Unregistered: bridging to user/1000 gives 480, as on the wire; registered: pbxlint predicts
    // the call is bridged (the phone's 486 is the next hop's answer, not the configuration's).
    expect(report.transactions.map((t) => [t.status, t.agrees, t.predicted?.verdict])).toEqual([
      [480, true, 'rejected'],
      [486, false, 'routed'],
      [480, true, 'rejected'],
      [486, false, 'routed'],
    ]);
  });
});

describe('Asterisk (chan_sip): raw SIP pasted by hand', () => {
  test('the provider is the peer whose host= is the source address (the top Via, as the capture has no addresses)', () => {
    const model = loadOneRoot([path.join(ROOT, 'fixtures/explain/asterisk-chan-sip')], {});
    const report = explainCapture(readCapture(fs.readFileSync(path.join(CAPTURES, 'asterisk-chan-sip.raw.txt'))), model);
    expect(report.format).toBe('raw-sip');
    expect(rows(report)).toEqual([{ ruri: 'sip:+13135550111@198.51.100.30', status: 404, agrees: true, cause: 'fixtures/explain/asterisk-chan-sip/extensions.conf:2' }]);
    expect(report.transactions[0]).toMatchObject({ source: '203.0.113.9:5060', lines: [1, 11], explanation: expect.stringMatching(/chan_sip answers 404 .*\(entry: chan_sip peer provider: host=203\.0\.113\.9 \(sip\.conf:9\)\)/) });
  });
});
