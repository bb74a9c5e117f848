/**
 * What `pbxlint explain` must say about the recorded office scenario (test/explain/record.ts),
 * whatever the capture format: per failed transaction, the wire status, whether the
 * configuration explains it, and the configuration line that produces the predicted outcome.
 */
import * as fs from 'fs';
import type { ExplainedTransaction, ExplainReport } from '../../src/explain';
import { CFG } from './record';

/** The cfg's line number of the first line containing `text` after the line containing `after` (if given). */
export function cfgLine(text: string, after?: string): number {
  const lines = fs.readFileSync(CFG, 'utf8').split('\n');
  const start = after ? lines.findIndex((l) => l.includes(after)) : 0;
  const i = lines.findIndex((l, n) => n >= start && l.includes(text));
  if (i < 0) throw new Error(`no line "${text}" in ${CFG}`);
  return i + 1;
}

export interface Expected {
  ruri: string;
  /** Which occurrence of this R-URI (the scenario sends some twice, e.g. before and after a REGISTER). */
  nth?: number;
  status: number | null;
  agrees: boolean;
  line: () => number;
  /** Words the explanation or a hint must contain. */
  says?: RegExp[];
  /** More words, for captures that show addresses (not pasted SIP): the next hop's leg is in them. */
  saysWithAddresses?: RegExp[];
  /** Requests of the transaction seen (retransmissions). */
  requests?: number;
}

export const OFFICE_EXPECTED: Expected[] = [
  { ruri: 'sip:1001@pbx.example.test', status: 404, agrees: true, line: () => cfgLine('sl_send_reply("404", "Not Found")') },
  { ruri: 'sip:123@pbx.example.test', status: 404, agrees: true, line: () => cfgLine('"No such service code"'), requests: 2 },
  { ruri: 'sip:1001@example.com', status: 403, agrees: true, line: () => cfgLine('"Relaying forbidden"'), says: [/domain example\.com is not one the server serves/] },
  { ruri: 'sip:+12025551234@pbx.example.test', status: 404, agrees: true, line: () => cfgLine('sl_send_reply("404", "Not Found")'), says: [/dialled as \+12025551234, but the configuration has a route for 0012025551234 \(routed/] },
  { ruri: 'sip:02025551234@pbx.example.test', status: 404, agrees: false, line: () => cfgLine('t_relay()', 'route[PSTN]'), says: [/the next hop answered it/], saysWithAddresses: [/\S+:\d+ answered 404 Number not in service at (frame|line) \d+/] },
  { ruri: 'sip:999@pbx.example.test', status: 404, agrees: true, line: () => cfgLine('"No such service code"'), says: [/Request-URI user "999" is not the To user "1002"/] },
  { ruri: 'sip:1002@pbx.example.test', status: null, agrees: true, line: () => cfgLine('exit;', 'friendly-scanner') },
  { ruri: 'sip:pbx.example.test', status: 484, agrees: true, line: () => cfgLine('"Address Incomplete"') },
  { ruri: 'sip:1001@pbx.example.test', nth: 2, status: 486, agrees: false, line: () => cfgLine('t_relay();', 'record_route()'), says: [/routes this to 1001/, /next hop answered it/] },
  { ruri: 'sip:1003@pbx.example.test', status: 486, agrees: false, line: () => cfgLine('sl_send_reply("404", "Not Found")'), says: [/pbxlint predicts rejected → 404/, /runtime state or version differs/] },
  { ruri: 'sip:124@pbx.example.test', status: 404, agrees: true, line: () => cfgLine('"No such service code"') },
  { ruri: 'sip:1002@pbx.example.test', nth: 2, status: 404, agrees: true, line: () => cfgLine('sl_send_reply("404", "Not Found")') },
  { ruri: 'sip:125@pbx.example.test', status: 404, agrees: true, line: () => cfgLine('"No such service code"') },
];

/** Checks a report against the expectations; returns the problems (empty: all as expected). */
export function checkOffice(report: ExplainReport, expected: Expected[] = OFFICE_EXPECTED): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const byRuri = (ruri: string, nth: number): ExplainedTransaction | undefined => report.transactions.filter((t) => t.ruri === ruri)[nth - 1];
  for (const e of expected) {
    const nth = e.nth ?? 1;
    seen.set(e.ruri, Math.max(seen.get(e.ruri) ?? 0, nth));
    const t = byRuri(e.ruri, nth);
    const name = `${e.ruri}${e.nth ? ` (#${e.nth})` : ''}`;
    if (!t) {
      problems.push(`${name}: not reported`);
      continue;
    }
    if (t.status !== e.status) problems.push(`${name}: status ${t.status}, expected ${e.status}`);
    if (t.agrees !== e.agrees) problems.push(`${name}: agrees ${t.agrees}, expected ${e.agrees} (${t.explanation})`);
    if (t.cause?.line !== e.line()) problems.push(`${name}: cause line ${t.cause?.line} "${t.cause?.text}", expected ${e.line()}`);
    const words = [t.explanation, ...t.hints].join('\n');
    const withAddresses = report.format !== 'raw-sip' ? (e.saysWithAddresses ?? []) : [];
    for (const re of [...(e.says ?? []), ...withAddresses]) if (!re.test(words)) problems.push(`${name}: does not say ${re}: ${words}`);
    if (e.requests !== undefined) {
      const n = (t.frames ?? t.lines ?? []).length;
      if (n < e.requests * 2) problems.push(`${name}: ${n} messages, expected ${e.requests} requests and their replies`);
    }
  }
  const extra = report.transactions.filter((t) => (seen.get(t.ruri) ?? 0) < report.transactions.filter((u) => u.ruri === t.ruri).length);
  for (const t of extra) problems.push(`unexpected failed transaction ${t.method} ${t.ruri} → ${t.status}`);
  return problems;
}
