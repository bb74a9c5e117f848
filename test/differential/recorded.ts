/**
 * The answers recorded from the real engines under ../shared/differential (Asterisk 22.10.1,
 * FreeSWITCH 1.10.12), read as their READMEs describe them, and compared with pbxlint's own
 * answer to the same request under the same conditions. Used by test/differential.test.ts (and
 * by anything else that must agree with the engines: route, coverage).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { RouteAnswer, RouteRequest, RouteStep } from '../../src/resolvers/types';

export const DIFFERENTIAL = path.resolve(__dirname, '../../../shared/differential');

/** One recorded query and pbxlint's disagreement with it, if any. */
export interface Comparison {
  /** `<case> <query>`: the key of the known-limitations lists. */
  key: string;
  agrees: boolean;
  want: string;
  got: string;
}

export function caseDirs(engine: 'asterisk' | 'freeswitch'): string[] {
  const dir = path.join(DIFFERENTIAL, engine);
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, 'expected.jsonl')))
    .map((e) => path.join(dir, e.name))
    .sort();
}

export function readJsonl<T>(file: string): T[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

// ---------------------------------------------------------------- Asterisk

export interface AsteriskRecord {
  query: string;
  number: string;
  context: string;
  callerid: string | null;
  matched: boolean;
  match_context: string | null;
  match_extension: string | null;
  match_callerid?: string;
  file: string | null;
  line: number | null;
  executed: string | null;
}

/**
 * The request the recording made: `channel originate Local/NUMBER@context` (or a probe that set
 * CALLERID(num) first and did Goto(context,NUMBER,1)), so `originate`: a Local channel, with no
 * SIP channel driver before the dialplan (chan_pjsip's pickup code `*8` is an ordinary extension
 * there, and nothing answers 484). A query without a caller ID was a call with no caller number,
 * so callerId is '' (not "unknown", which would fork).
 */
export function asteriskRequest(r: AsteriskRecord): RouteRequest {
  return { user: r.number, method: 'INVITE', context: r.context, callerId: r.callerid ?? '', originate: true };
}

/** The chosen extension's priority 1: the first dialplan step of the (first) path. */
function chosenPriorityOne(answer: RouteAnswer): RouteStep | undefined {
  const steps = answer.outcomes.length ? answer.outcomes[0].steps : answer.steps;
  return steps.find((s) => s.context !== undefined && s.extension !== undefined && s.priority === 1);
}

export function compareAsterisk(caseDir: string, r: AsteriskRecord, answer: RouteAnswer): Comparison {
  const key = `${path.basename(caseDir)} ${r.query}`;
  const want = r.matched ? `${r.match_context}:${r.match_extension}${r.match_callerid !== undefined ? `/${r.match_callerid}` : ''} at ${r.file}:${r.line}` : 'no extension (the Local channel refuses the call)';
  const step = chosenPriorityOne(answer);
  let got: string;
  let agrees: boolean;
  if (step) {
    const file = path.relative(caseDir, step.file);
    got = `${step.context}:${step.extension} at ${file}:${step.line}`;
    agrees = r.matched && file === r.file && step.line === r.line;
  } else {
    got = `${answer.verdict}${answer.status !== null ? ` ${answer.status}` : ''}: ${answer.reason}`;
    // The record's "no match" is core_local.c's priority-1 test failing: the origination fails,
    // with no SIP status (no dialplan step either: the else branch).
    agrees = !r.matched && answer.verdict === 'rejected' && answer.status === null;
  }
  return { key, agrees, want, got };
}

// ---------------------------------------------------------------- FreeSWITCH

export interface FreeswitchRecord {
  request: string;
  profile: string;
  from_user: string;
  status: number;
  reason: string;
  context: string | null;
  extension: string | null;
  last_app_from?: string;
  note?: string;
}

export interface FreeswitchCase {
  profiles: Record<string, { port: number; context: string; auth_calls: boolean }>;
  domain: string;
  registered: string[];
}

/** `INVITE sip:NUMBER@HOST from=USER [profile=NAME] [auth=none]` under the README's conditions. */
export function freeswitchRequest(line: string, c: FreeswitchCase): RouteRequest {
  const m = /^INVITE sip:(.*)@(\S+) from=(\S*)((?: \w+=\S*)*)\s*$/.exec(line);
  if (!m) throw new Error(`unreadable request line: ${line}`);
  const opts = new Map([...m[4].matchAll(/(\w+)=(\S*)/g)].map((x) => [x[1], x[2]] as const));
  return {
    user: m[1],
    domain: m[2],
    method: 'INVITE',
    profile: opts.get('profile') ?? 'lab',
    // The From user is also the caller ID number; every request came from 127.0.0.1. In pbxlint a
    // From user on an auth-calls profile is a caller answering the digest challenge as that user;
    // `auth=none` (README: sent without credentials) is a caller that does not answer it, so no
    // From user then (sofia_reg.c sofia_reg_handle_register_token: no Authorization → 407).
    fromUser: opts.get('auth') === 'none' ? undefined : m[3],
    callerId: m[3],
    sourceIp: '127.0.0.1',
    registered: c.registered,
  };
}

export function compareFreeswitch(caseDir: string, r: FreeswitchRecord, answer: RouteAnswer): Comparison {
  const key = `${path.basename(caseDir)} ${r.request}`;
  const want = `${r.status} ${r.reason}${r.last_app_from ? ` (by ${r.context}/${r.last_app_from})` : ''}`;
  // README: 200 = the call was answered. A routed answer pbxlint cannot pin down (a transfer or a
  // dialplan it does not simulate: target kind "unknown") is no such claim.
  const status = answer.verdict === 'routed' ? (answer.target?.kind === 'unknown' ? null : 200) : answer.status;
  const steps = answer.outcomes.length === 1 ? answer.outcomes[0].steps : answer.steps;
  const last = [...steps].reverse().find((s) => s.extension !== undefined);
  const by = last ? ` (by ${last.context}/${last.extension})` : '';
  const got = `${answer.verdict === 'depends' ? 'depends' : status} ${answer.reason}${by}`;
  let agrees = answer.verdict !== 'depends' && status === r.status;
  // Where an application ran, the extension that queued the last one must be the one pbxlint names.
  // (An answer naming no extension at all — e.g. "no route" — does not agree with one where an application ran.)
  if (agrees && r.last_app_from) agrees = last !== undefined && last.context === r.context && last.extension === r.last_app_from;
  // No application ran but the dialplan was reached: no extension matched (NO_ROUTE_DESTINATION), and pbxlint must say so.
  if (agrees && !r.last_app_from && r.context !== null) agrees = answer.verdict === 'rejected' && /NO_ROUTE_DESTINATION/.test(answer.reason);
  return { key, agrees, want, got };
}

// ---------------------------------------------------------------- known limitations

/**
 * `test/differential/known-<engine>.txt`: one disagreement per line, `<case> <query>` then two or
 * more spaces and the reason. Blank lines and `#` lines are comments.
 */
export function knownLimitations(engine: string): Map<string, string> {
  const file = path.join(__dirname, `known-${engine}.txt`);
  const out = new Map<string, string>();
  if (!fs.existsSync(file)) return out;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const m = /^(.*?\S)\s{2,}(.*)$/.exec(line);
    out.set(m ? m[1] : line.trim(), m ? m[2] : '');
  }
  return out;
}
