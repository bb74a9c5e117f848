/**
 * `pbxlint test`: runs each case of a routing-assertions file through routeCommand — the same
 * code `pbxlint route` runs — and compares the answer with what the case expects.
 */
import type { Platform } from '../core/findings';
import type { LoadOptions } from '../engines/types';
import { RouteUsageError, type RouteAnswer } from '../resolvers/types';
import { ignoredOptionNotes, routeCommand } from '../route';
import type { ResolvedConfig } from '../config';
import type { AssertionCase, AssertionFile, TargetExpectation } from './load';

export interface CaseResult {
  case: AssertionCase;
  passed: boolean;
  /** Why it failed, one line per unmet expectation. */
  failures: string[];
  /** Case fields the engine does not read ("from.originate has no meaning for Kamailio; ignored"): said, not failed. */
  notes: string[];
  answer?: RouteAnswer;
}

export interface RunContext {
  /** Paths from the command line (override the file's and the config's). */
  paths?: string[];
  platform?: Platform;
  load: LoadOptions;
  config?: ResolvedConfig;
}

function describeAnswer(a: RouteAnswer): string {
  if (a.verdict === 'routed') return `routed${a.target ? ` → ${a.target.name}` : ''}`;
  if (a.verdict === 'rejected') return `rejected${a.status !== null ? ` → ${a.status}` : ''}`;
  return `depends (${a.reason})`;
}

function targetMatches(expect: TargetExpectation, name: string): boolean {
  if (typeof expect === 'string') return name.includes(expect);
  if ('equals' in expect) return name === expect.equals;
  return name.includes(expect.contains);
}

const targetText = (t: TargetExpectation) => (typeof t === 'string' ? `"${t}"` : 'equals' in t ? `exactly "${t.equals}"` : `"${t.contains}"`);

/** Where the call went, as `context` and `extension@context` for every step of every outcome. */
function visited(a: RouteAnswer): Set<string> {
  const out = new Set<string>();
  for (const s of [...a.steps, ...a.outcomes.flatMap((o) => o.steps)]) {
    if (s.context === undefined) continue;
    out.add(s.context);
    if (s.extension !== undefined) out.add(`${s.extension}@${s.context}`);
  }
  return out;
}

export function checkAnswer(c: AssertionCase, a: RouteAnswer): string[] {
  const failures: string[] = [];
  const e = c.expect;
  const got = describeAnswer(a);
  if (e.verdict && a.verdict !== e.verdict) failures.push(`expected verdict ${e.verdict}, got ${got}`);
  if (e.status !== undefined && a.status !== e.status) {
    failures.push(`expected status ${e.status}, got ${a.status === null ? got : `${a.status} (${got})`}${a.verdict === 'depends' ? '; give `registered:` (or time:) to decide' : ''}`);
  }
  if (e.target !== undefined) {
    const name = a.target?.name;
    if (name === undefined || !targetMatches(e.target, name)) failures.push(`expected target ${targetText(e.target)}, got ${name ? `"${name}"` : got}${a.verdict === 'depends' ? '; give `registered:` (or time:) to decide' : ''}`);
  }
  if (e.via) {
    const seen = visited(a);
    for (const v of e.via) if (!seen.has(v)) failures.push(`expected the call to pass through ${v}; it went through ${[...seen].filter((s) => !s.includes('@')).join(', ') || 'no dialplan context'}`);
  }
  if (e.reason !== undefined && !a.reason.includes(e.reason)) failures.push(`expected the reason to contain "${e.reason}", got "${a.reason}"`);
  return failures;
}

export function runCase(file: AssertionFile, c: AssertionCase, ctx: RunContext): CaseResult {
  const config = ctx.config;
  const paths = ctx.paths?.length ? ctx.paths : (c.root ?? file.paths ?? (config?.roots.length ? config.roots.map((r) => r.path) : [file.dir]));
  const platform = ctx.platform ?? c.platform ?? file.platform ?? config?.platform;
  const load: LoadOptions = {
    defines: ctx.load.defines ?? file.defines ?? config?.load.defines,
    vars: { ...config?.load.vars, ...file.vars, ...ctx.load.vars },
    myself: ctx.load.myself ?? file.myself ?? config?.load.myself,
  };
  let time: Date | undefined;
  if (c.time !== undefined) {
    time = new Date(c.time);
    if (Number.isNaN(time.getTime())) return { case: c, passed: false, failures: [`time: not a date: ${c.time}`], notes: [] };
  }
  try {
    const { answer, model } = routeCommand(c.dial, paths, {
      platform,
      ...load,
      ...c.from,
      domain: c.domain,
      method: c.method,
      to: c.to,
      registered: c.registered ?? file.registered ?? config?.registered,
      time,
    });
    const failures = checkAnswer(c, answer);
    const f = c.from;
    const notes = ignoredOptionNotes(
      model.platform,
      { context: f.context, endpoint: f.endpoint, originate: f.originate, profile: f.profile, 'caller-id': f.callerId, 'user-agent': f.userAgent, to: c.to },
      (n) => (n === 'to' ? 'to' : `from.${n}`),
    );
    return { case: c, passed: failures.length === 0, failures, notes, answer };
  } catch (e) {
    if (e instanceof RouteUsageError) return { case: c, passed: false, failures: [`cannot simulate this call: ${e.message}`], notes: [] };
    throw e;
  }
}

export function runAssertionFile(file: AssertionFile, ctx: RunContext): CaseResult[] {
  return file.cases.map((c) => runCase(file, c, ctx));
}
