/**
 * `pbxlint explain` reads a captured method as written and simulates every method token, as
 * `route` does: each engine's resolver decides what a lower-case `invite` or an extension method
 * (HELLO) gets — sofia-sip 501 (case-sensitive names), chan_pjsip 501 after identification (its six
 * own methods in any case), chan_sip 501 (names in any case), Kamailio its script. Raw SIP pasted
 * by hand, with the answers the engines' sources give (see the resolvers' comments).
 */
import * as path from 'path';
import { readCapture } from '../src/capture';
import { explainCapture, type ExplainReport } from '../src/explain';
import { loadOneRoot } from '../src/route';

const ROOT = path.resolve(__dirname, '..');

let seq = 0;
/** A request from `from` (the top Via gives the source) and the server's final answer, as raw SIP. */
function exchange(method: string, ruri: string, from: string, status: number, reason: string, toTag?: string): string {
  seq++;
  const common = [`From: <sip:caller@${from}>;tag=f${seq}`, `To: <${ruri}>${toTag ? `;tag=${toTag}` : ''}`, `Call-ID: m${seq}@${from}`, `CSeq: 1 ${method}`];
  const request = [`${method} ${ruri} SIP/2.0`, `Via: SIP/2.0/UDP ${from}:5060;branch=z9hG4bKm${seq}`, 'Max-Forwards: 70', ...common, `Contact: <sip:caller@${from}:5060>`, 'Content-Length: 0', '', ''];
  const response = [`SIP/2.0 ${status} ${reason}`, `Via: SIP/2.0/UDP ${from}:5060;branch=z9hG4bKm${seq};received=${from}`, ...common.map((h) => (h.startsWith('To:') && !toTag ? `${h};tag=srv${seq}` : h)), 'Content-Length: 0', '', ''];
  return [...request, ...response].join('\r\n');
}

const rows = (r: ExplainReport) => r.transactions.map((t) => ({ method: t.method, status: t.status, predicted: t.predicted?.status ?? null, agrees: t.agrees }));

describe('explain: methods as captured, extension methods simulated', () => {
  test('chan_pjsip: HELLO 501, a lower-case invite is an INVITE, a BYE outside a dialog 481', () => {
    const model = loadOneRoot([path.join(ROOT, 'fixtures/explain/asterisk')], {});
    const text = [
      exchange('HELLO', 'sip:100@198.51.100.10', '203.0.113.5', 501, 'Not Implemented'),
      exchange('invite', 'sip:+12125550123@198.51.100.10', '203.0.113.5', 404, 'Not Found'),
      exchange('BYE', 'sip:100@198.51.100.10', '203.0.113.77', 481, 'Call/Transaction Does Not Exist'),
    ].join('');
    const report = explainCapture(readCapture(Buffer.from(text)), model);
    expect(rows(report)).toEqual([
      { method: 'HELLO', status: 501, predicted: 501, agrees: true },
      { method: 'invite', status: 404, predicted: 404, agrees: true },
      { method: 'BYE', status: 481, predicted: 481, agrees: true },
    ]);
    expect(report.summary).toMatchObject({ disagree: 0, not_simulated: 0 });
  });

  test('chan_sip: HELLO and a lower-case xmethod get 501, from the provider peer or from a source no peer matches (handle_incoming does not identify)', () => {
    const model = loadOneRoot([path.join(ROOT, 'fixtures/explain/asterisk-chan-sip')], {});
    const text = [
      exchange('HELLO', 'sip:100@198.51.100.30', '203.0.113.9', 501, 'Method Not Implemented'),
      exchange('xmethod', 'sip:100@198.51.100.30', '203.0.113.9', 501, 'Method Not Implemented'),
      exchange('HELLO', 'sip:100@198.51.100.30', '192.0.2.200', 501, 'Method Not Implemented'),
      exchange('bye', 'sip:100@198.51.100.30', '192.0.2.200', 481, 'Call leg/transaction does not exist'),
    ].join('');
    const report = explainCapture(readCapture(Buffer.from(text)), model);
    expect(rows(report)).toEqual([
      { method: 'HELLO', status: 501, predicted: 501, agrees: true },
      { method: 'xmethod', status: 501, predicted: 501, agrees: true },
      { method: 'HELLO', status: 501, predicted: 501, agrees: true },
      { method: 'bye', status: 481, predicted: 481, agrees: true },
    ]);
  });

  test('FreeSWITCH: sofia-sip answers HELLO and a lower-case invite with 501 (case-sensitive names)', () => {
    const model = loadOneRoot([path.join(ROOT, 'fixtures/explain/freeswitch')], {});
    const text = [exchange('HELLO', 'sip:1000@198.51.100.20:5080', '203.0.113.5', 501, 'Not Implemented'), exchange('invite', 'sip:1000@198.51.100.20:5080', '203.0.113.5', 501, 'Not Implemented')].join('');
    const report = explainCapture(readCapture(Buffer.from(text)), model);
    expect(rows(report)).toEqual([
      { method: 'HELLO', status: 501, predicted: 501, agrees: true },
      { method: 'invite', status: 501, predicted: 501, agrees: true },
    ]);
  });

  test('Kamailio: the script runs on HELLO and on a lower-case invite like on any method (is_method compares in any case)', () => {
    const model = loadOneRoot([path.join(ROOT, 'fixtures/explain/kamailio/kamailio.cfg')], { defines: ['LPORT=5060', 'GWPORT=5070'] });
    const text = [exchange('HELLO', 'sip:123@pbx.example.test', '127.0.0.1', 404, 'No such service code'), exchange('invite', 'sip:1009@pbx.example.test', '127.0.0.1', 404, 'Not Found')].join('');
    const report = explainCapture(readCapture(Buffer.from(text)), model, { servers: ['*:5060'] });
    expect(rows(report)).toEqual([
      { method: 'HELLO', status: 404, predicted: 404, agrees: true },
      { method: 'invite', status: 404, predicted: 404, agrees: true },
    ]);
  });
});
