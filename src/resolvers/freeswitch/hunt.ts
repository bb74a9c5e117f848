/**
 * The XML dialplan hunt, as mod_dialplan_xml.c does it: `dialplan_hunt` finds the context (by
 * name, case-insensitively, else `global`) and walks its extensions in document order;
 * `parse_exten` evaluates each extension's conditions in order, adding the actions of a passing
 * condition (anti-actions of a failing one) to the call — actions collect per condition, and stay
 * collected even when a later condition fails — honouring `break`, nested conditions with
 * `require-nested`, `regex="all|any|xor"` and time attributes. An extension whose last condition
 * chain passed ends the hunt unless it has `continue="true"`.
 *
 * What cannot be known statically (a variable set by an API we do not model, the time of day when
 * --time is not given, a PCRE construct JavaScript lacks) forks the call into a world where the
 * condition passes and one where it fails, each carrying that assumption.
 */
import type { SourceLocation } from '../../core/location';
import type { DialplanAction, DialplanCondition, DialplanContext, DialplanExtension, FreeswitchModel } from '../../model/freeswitch';
import type { RouteRequest, RouteStep } from '../types';
import { expandVariables, isUnknown, shown, unknown, unknownParts } from './expand';
import { compileExpression, matchExpression, substituteCaptures } from '../../automata/pcre/pcre';
import type { Deriv } from '../../coverage/derive';
import { captureSyms, literalExpression, observeConditionTest, observeLiteralsFailed, templateSym, type FsObserve, type TemplateEnv } from './observe';
import { fromStrings, type Dfa } from '../../automata/dfa';
import { datetimeCheck, describeTime, firstSample, SAMPLE_COUNT, SAMPLE_WORDS, sampleTime, sampleVector } from './time';

export interface CollectedAction {
  application: string;
  data: string;
  location: SourceLocation;
  extension: string;
  context: string;
  /** Coverage: the data before capture substitution, the captures and how they derive from the dialled number. */
  cov?: { raw: string; captures: string[] | null; capSyms: (Deriv | null)[] | null };
}

export interface World {
  vars: Map<string, string>;
  steps: RouteStep[];
  conditions: string[];
  collected: CollectedAction[];
  /** Sample instants still possible given the time conditions this world assumed (time.ts); undefined: no assumption. */
  timeMask?: Uint32Array;
  /** The time conditions this world assumed to match. */
  timePasses: string[];
  /**
   * parse_exten created the caller extension in this hunt (switch_caller_extension_new runs for the
   * first action or anti-action, inline ones included): the hunt found a route even if nothing was queued.
   */
  extensionMade?: boolean;
  /** Coverage only: variables whose value derives from the dialled number (observe.ts). */
  sym?: Map<string, Deriv>;
  /** Coverage only: the user/ leg of the bridge being dialled whose user part derives from the dialled number. */
  legUser?: { text: string; ops: readonly import('../../coverage/derive').Op[]; why: string };
}

/** The caller profile fields conditions read (switch_caller.c switch_caller_get_field_by_name). */
export interface CallerProfile {
  destination: string;
  context: string;
  dialplan: string;
  callerIdNumber: string;
  callerIdName: string;
  networkAddr: string;
  username: string;
  source: string;
  /** Coverage only: how destination_number derives from the dialled number (null: a constant). */
  destSym?: Deriv | null;
}

export interface HuntEnv {
  model: FreeswitchModel;
  request: RouteRequest;
  notModelled: string[];
  /** Live worlds allowed; past it, branches are dropped (and reported). */
  budget: { worlds: number };
  /** Coverage: the observer (absent for route and lint). */
  obs?: FsObserve;
}

export const MAX_WORLDS = 512;
/** Copies of one `loop="N"` action that are simulated. */
const MAX_LOOP = 100;
/** mod_dialplan_xml.c MAX_RECUR: nested conditions deeper than this evaluate as false. */
const MAX_RECUR = 100;

export function cloneWorld(w: World): World {
  return { vars: new Map(w.vars), steps: [...w.steps], conditions: [...w.conditions], collected: [...w.collected], timeMask: w.timeMask, timePasses: [...w.timePasses], extensionMade: w.extensionMade, sym: w.sym && new Map(w.sym) };
}

/**
 * A variable's value as switch_channel.c switch_channel_get_variable_dup reads it: the channel
 * variable, else the caller profile's field of that name (switch_caller_get_field_by_name: after a
 * transfer `${destination_number}` is the new destination), else the global one.
 */
export function lookupIn(env: HuntEnv, w: World, p?: CallerProfile) {
  return (name: string): string | undefined => {
    const v = w.vars.get(name);
    if (v !== undefined) return v;
    const f = p && profileVariable(p, name);
    if (f !== undefined) return f;
    const g = env.model.vars.get(name);
    return g?.value;
  };
}

/** The caller-profile fields a variable read falls back to (switch_caller_get_field_by_name, strcasecmp); undefined: not one of them. */
export function profileVariable(p: CallerProfile, name: string): string | undefined {
  switch (name.toLowerCase()) {
    case 'destination_number': case 'context': case 'dialplan': case 'caller_id_number': case 'ani': case 'caller_id_name':
    case 'network_addr': case 'username': case 'source': case 'uuid': case 'chan_name':
      return profileField(p, name.toLowerCase());
    default:
      return undefined;
  }
}

/** Coverage: how values built from variables and captures derive from the dialled number, for this world and caller profile. */
export function templateEnvOf(env: HuntEnv, w: World, p: CallerProfile, captures?: { captures: string[] | null; capSyms: (Deriv | null)[] | null }): TemplateEnv {
  return { vars: w.sym, lookup: lookupIn(env, w, p), model: env.model, destSym: p.destSym, hasVar: (n) => w.vars.has(n), ...(captures ?? {}) };
}

function profileField(p: CallerProfile, name: string): string {
  switch (name) {
    case 'destination_number': return p.destination;
    case 'context': return p.context;
    case 'dialplan': return p.dialplan;
    case 'caller_id_number': case 'ani': return p.callerIdNumber;
    case 'caller_id_name': return p.callerIdName;
    case 'network_addr': return p.networkAddr;
    case 'username': return p.username;
    case 'source': return p.source;
    case 'uuid': case 'chan_name': return unknown(name);
    default: return ''; // switch_caller_get_field_by_name returns NULL → parse_exten uses ""
  }
}

type TestResult = { kind: 'pass'; captures: string[]; capSyms?: (Deriv | null)[] | null } | { kind: 'fail' } | { kind: 'unknown'; why: string };

function fieldValue(env: HuntEnv, w: World, p: CallerProfile, field: string): string {
  return field.includes('$') ? expandVariables(field, lookupIn(env, w, p), env.model) : profileField(p, field);
}

/** One `field` =~ `expression` test, as switch_regex_perform runs it. */
function test(env: HuntEnv, w: World, p: CallerProfile, field: string, expression: string): TestResult {
  const data = fieldValue(env, w, p, field);
  const expr = expandVariables(expression, lookupIn(env, w, p), env.model);
  if (isUnknown(data)) return { kind: 'unknown', why: `${unknownParts(data).join(', ')} (in field ${field}) is not known statically` };
  if (isUnknown(expr)) return { kind: 'unknown', why: `${unknownParts(expr).join(', ')} (in expression) is not known statically` };
  const m = matchExpression(compileExpression(expr), data);
  let capSyms: (Deriv | null)[] | null = null;
  if (env.obs && w.sym) {
    const tenv = templateEnvOf(env, w, p);
    const fieldSym = field.includes('$') ? templateSym(field, tenv) : field === 'destination_number' ? (p.destSym ?? null) : null;
    const exprDerived = templateSym(expression, tenv) !== null;
    observeConditionTest(env.obs, fieldSym, exprDerived, expr, m.kind === 'match' ? 'pass' : m.kind === 'nomatch' ? 'fail' : 'unknown', `${field} =~ /${expression}/`, typeof data === 'string' ? data.length : undefined);
    if (m.kind === 'match') capSyms = captureSyms(fieldSym, expr);
  }
  if (m.kind === 'unknown') {
    env.notModelled.push(m.why);
    return { kind: 'unknown', why: m.why };
  }
  return m.kind === 'match' ? { kind: 'pass', captures: m.captures, capSyms } : { kind: 'fail' };
}

interface CondOutcome {
  w: World;
  proceed: boolean;
  /** parse_exten's `anti_action`: true → anti-actions run, false → actions run. */
  anti: boolean;
  captures: string[] | null;
  capSyms?: (Deriv | null)[] | null;
}

function describe(c: DialplanCondition): string {
  if (c.regexMode) return `regex="${c.regexMode}" (${c.regexes.map((r) => `${r.field} =~ /${r.expression}/`).join(', ')})`;
  const parts: string[] = [];
  if (c.field !== undefined) parts.push(`${c.field} =~ /${c.expression ?? ''}/`);
  if (Object.keys(c.time).length) parts.push(describeTime(c.time));
  return parts.join(' and ') || 'unconditional';
}

function timeOf(env: HuntEnv, attrs: Record<string, string>): 1 | 0 | -1 | 'fork' {
  if (Object.keys(attrs).filter((k) => k !== 'tz' && k !== 'tz-offset').length === 0) return -1;
  if (!env.request.time) return 'fork';
  const r = datetimeCheck(attrs, env.request.time);
  if (typeof r === 'string') {
    env.notModelled.push(`time condition with ${r}`);
    return 'fork';
  }
  return r;
}

function restrict(mask: Uint32Array | undefined, vec: Uint32Array, want: 0 | 1): Uint32Array | null {
  const out = new Uint32Array(SAMPLE_WORDS);
  let any = 0;
  for (let i = 0; i < SAMPLE_WORDS; i++) {
    const v = (mask === undefined ? 0xffffffff : mask[i]) & (want ? vec[i] : ~vec[i]);
    out[i] = v;
    any |= v;
  }
  // bits past SAMPLE_COUNT in the last word are not samples
  const tail = SAMPLE_COUNT & 31;
  if (tail) {
    out[SAMPLE_WORDS - 1] &= (1 << tail) - 1;
    any = 0;
    for (let i = 0; i < SAMPLE_WORDS; i++) any |= out[i];
  }
  return any ? out : null;
}

/** A time condition without --time: the worlds where it matches and where it does not, keeping only combinations some instant satisfies. */
function forkOnTime(env: HuntEnv, w: World, attrs: Record<string, string>): { w: World; time: 1 | 0 }[] {
  // year and date-time are not periodic: the reference year of the samples cannot stand for them.
  const vec = 'year' in attrs || 'date-time' in attrs ? 'dated' : sampleVector(attrs);
  const what = describeTime(attrs);
  if (typeof vec === 'string') {
    if (vec !== 'dated') env.notModelled.push(`time condition with ${vec}`);
    if (!canFork(env)) return [{ w, time: 0 }];
    const a = cloneWorld(w);
    a.conditions.push(`time matches ${what}`);
    const b = cloneWorld(w);
    b.conditions.push(`time does not match ${what}`);
    return [{ w: a, time: 1 }, { w: b, time: 0 }];
  }
  const yes = restrict(w.timeMask, vec, 1);
  const no = restrict(w.timeMask, vec, 0);
  if (yes && !no) return [{ w, time: 1 }];
  if (no && !yes) return [{ w, time: 0 }];
  if (!yes || !canFork(env)) return [{ w, time: 0 }];
  const a = cloneWorld(w);
  a.timeMask = yes;
  a.timePasses.push(what);
  const b = cloneWorld(w);
  b.timeMask = no as Uint32Array;
  return [{ w: a, time: 1 }, { w: b, time: 0 }];
}

/** The assumptions an outcome rests on, with the time ones summed up as one example instant. */
export function conditionsOf(w: World): string[] {
  if (!w.timeMask) return w.conditions;
  const first = firstSample(w.timeMask);
  const t = w.timePasses.length ? `time matches ${w.timePasses.join(' and ')}` : 'time matches none of the time conditions';
  return [...w.conditions, `${t} (e.g. ${sampleTime(first)})`];
}

/**
 * A condition with `regex="all|any|xor"` and <regex> children, as parse_exten runs it: the regexes
 * in order — "any" stops at the first pass, "all" at the first failure, "xor" never; a <regex>
 * with a field sets `proceed` to its result (its own time attributes are only logged), one without
 * a field passes or fails on its time attributes (a failure leaves `proceed` as it was). The
 * last evaluated regex that has a field, contains "(" and was not the one that stopped the loop is
 * saved: `proceed` and the captures for $N become its own (`save_proceed`, `save_re`). Actions run
 * when exactly one passed (xor), none failed (all) or one passed (any) — or the condition's own
 * time attributes matched.
 */
function regexCondition(env: HuntEnv, w: World, p: CallerProfile, c: DialplanCondition, proceedIn: boolean, time: 1 | 0 | -1): Omit<CondOutcome, 'w'> | { why: string } {
  const all = c.regexMode === 'all';
  const xor = c.regexMode === 'xor';
  let proceed = proceedIn;
  let pass = 0;
  let fail = 0;
  let saved: { proceed: boolean; captures: string[]; capSyms: (Deriv | null)[] | null } | null = null;
  let stopper: { captures: string[]; capSyms: (Deriv | null)[] | null; expression: string } | null = null;
  for (const r of c.regexes) {
    if (r.field !== undefined) {
      const res = test(env, w, p, r.field, r.expression);
      if (res.kind === 'unknown') return { why: res.why };
      proceed = res.kind === 'pass';
      if (res.kind === 'pass') {
        pass++;
        if (!all && !xor) {
          stopper = { captures: res.captures, capSyms: res.capSyms ?? null, expression: r.expression };
          break;
        }
      } else {
        fail++;
        if (all && !xor) break;
      }
      // A failed saved regex still substitutes, with a match count of 0: every $N is empty.
      if (r.expression.includes('(')) saved = { proceed, captures: res.kind === 'pass' ? res.captures : [], capSyms: res.kind === 'pass' ? (res.capSyms ?? null) : null };
      continue;
    }
    const rt = timeOf(env, r.time);
    if (rt === 'fork') return { why: `time ${describeTime(r.time)}` };
    if (rt === 1 || rt === -1) {
      pass++;
      proceed = true;
      if (!all && !xor) break;
    } else {
      fail++;
      if (all) break;
    }
  }
  if (saved) proceed = saved.proceed;
  const ok = xor ? pass === 1 : all ? fail === 0 : pass > 0;
  // $N: the saved regex's captures; else those of the regex that stopped the loop, if it has a group.
  const from = saved ?? (stopper && stopper.expression.includes('(') ? stopper : null);
  return { proceed, anti: !(ok || time === 1), captures: from ? from.captures : null, capSyms: from ? from.capSyms : null };
}

/** The outcomes of evaluating one condition (before its actions are added). */
function evalCondition(env: HuntEnv, w: World, p: CallerProfile, c: DialplanCondition, proceedIn: boolean): CondOutcome[] {
  const out: CondOutcome[] = [];
  const times: { w: World; time: 1 | 0 | -1 }[] = [];
  const t = timeOf(env, c.time);
  if (t === 'fork') times.push(...forkOnTime(env, w, c.time));
  else times.push({ w, time: t });

  for (const { w: tw, time } of times) {
    let anti = true;
    let proceed = proceedIn;
    if (time === 1) {
      anti = false;
      proceed = true;
    } else if (time === 0) proceed = false;

    if (c.regexMode) {
      const r = regexCondition(env, tw, p, c, proceed, time);
      if ('why' in r) forkUnknown(env, tw, c, r.why, out);
      else out.push({ w: tw, ...r });
      continue;
    }

    if (c.field !== undefined) {
      const r = test(env, tw, p, c.field, c.expression ?? '');
      if (r.kind === 'unknown' && !canFork(env)) {
        out.push({ w: tw, proceed: false, anti, captures: null });
        continue;
      }
      if (r.kind === 'unknown') {
        // The time part (if any) already decided `anti` for a pass; the regex decides proceed.
        const a = cloneWorld(tw);
        a.conditions.push(`${shown(c.field)} =~ /${c.expression ?? ''}/ matches (${r.why})`);
        const b = cloneWorld(tw);
        b.conditions.push(`${shown(c.field)} =~ /${c.expression ?? ''}/ does not match (${r.why})`);
        out.push({ w: a, proceed: true, anti: false, captures: unknownCaptures() }, { w: b, proceed: false, anti, captures: null });
        continue;
      }
      if (r.kind === 'pass') out.push({ w: tw, proceed: true, anti: false, captures: r.captures, capSyms: r.capSyms ?? null });
      // Failed, but the condition's time attributes matched: the actions run, and parse_exten still
      // substitutes $N with a match count of 0 — every $N is empty.
      else out.push({ w: tw, proceed: false, anti, captures: [] });
      continue;
    }
    if (time === -1) {
      anti = false;
      proceed = true;
    }
    out.push({ w: tw, proceed, anti, captures: null });
  }
  return out;
}

function unknownCaptures(): string[] {
  return Array.from({ length: 10 }, (_, i) => unknown(`$${i}`));
}

/** Whether one more world may be made; past the budget the branch is not explored, and that is reported. */
export function canFork(env: HuntEnv): boolean {
  if (env.budget.worlds > 0) {
    env.budget.worlds--;
    return true;
  }
  env.notModelled.push(`more than ${MAX_WORLDS} branches (unknown values, time conditions): only the "fails" side of the rest was followed`);
  return false;
}

function forkUnknown(env: HuntEnv, w: World, c: DialplanCondition, why: string, out: CondOutcome[]): void {
  if (!canFork(env)) {
    out.push({ w, proceed: false, anti: true, captures: null });
    return;
  }
  const a = cloneWorld(w);
  a.conditions.push(`${describe(c)} passes (${why})`);
  const b = cloneWorld(w);
  b.conditions.push(`${describe(c)} fails (${why})`);
  out.push({ w: a, proceed: true, anti: false, captures: unknownCaptures() }, { w: b, proceed: false, anti: true, captures: null });
}

function addActions(env: HuntEnv, o: CondOutcome, c: DialplanCondition, ext: DialplanExtension, p: CallerProfile): void {
  const list: DialplanAction[] = o.anti ? c.antiActions : c.actions;
  // parse_exten substitutes captures only when the expression has a group.
  const substitute = !o.anti && o.captures !== null && (c.regexMode !== undefined || (c.expression ?? '').includes('('));
  for (const a of list) {
    o.w.extensionMade = true;
    const data = substitute ? substituteCaptures(a.data, o.captures as string[]) : a.data;
    const cov = o.w.sym ? { raw: a.data, captures: substitute ? (o.captures as string[]) : null, capSyms: substitute ? (o.capSyms ?? null) : null } : undefined;
    // loop="N": added (or run inline) N times; loop="0" adds nothing, though the extension exists.
    // Copies past MAX_LOOP cannot change the outcome (the same application again: one that ends the
    // call ended it at the first copy), so they are not materialised.
    for (let n = Math.min(a.loop ?? 1, MAX_LOOP); n > 0; n--) {
      if (a.inline) {
        // inline="true" runs now, during the hunt; only `set` changes what later conditions see.
        if (a.application === 'set' || a.application === 'export') {
          const eq = data.indexOf('=');
          if (eq > 0 && o.w.sym && cov) trackSet(env, o.w, p, cov, a.data);
          if (eq > 0) o.w.vars.set(data.slice(0, eq), expandVariables(data.slice(eq + 1), lookupIn(env, o.w, p), env.model));
        } else env.notModelled.push(`inline ${a.application} in extension ${ext.name}`);
        continue;
      }
      o.w.collected.push({ application: a.application, data, location: a.location, extension: ext.name, context: p.context, ...(cov ? { cov } : {}) });
    }
  }
}

interface ExtResult {
  w: World;
  proceed: boolean;
}

/** mod_dialplan_xml.c parse_exten over `conds` (an extension's, or a condition's nested ones). */
function parseConditions(env: HuntEnv, w: World, p: CallerProfile, ext: DialplanExtension, conds: DialplanCondition[], recur: number, requireNested: boolean): ExtResult[] {
  if (recur > MAX_RECUR) return [{ w, proceed: false }];
  const finish = (r: ExtResult): ExtResult => ({ w: r.w, proceed: requireNested ? r.proceed : true });
  const loop = (cw: World, i: number, proceed: boolean): ExtResult[] => {
    if (i >= conds.length) return [finish({ w: cw, proceed })];
    const c = conds[i];
    const results: ExtResult[] = [];
    for (const o of evalCondition(env, cw, p, c, proceed)) {
      addActions(env, o, c, ext, p);
      // parse_exten sets proceed = 1 after queueing each anti-action: a failed condition that has
      // anti-actions counts as passed — the extension matches (the hunt stops unless continue="true")
      // and its nested conditions are parsed.
      if (o.anti && c.antiActions.length > 0) o.proceed = true;
      const brk = (!o.anti && c.break === 'on-true') || (o.anti && c.break === 'on-false') || c.break === 'always';
      if (brk) {
        results.push(finish({ w: o.w, proceed: o.proceed }));
        continue;
      }
      if (o.proceed && c.conditions.length) {
        for (const n of parseConditions(env, o.w, p, ext, c.conditions, recur + 1, c.requireNested)) {
          if (!n.proceed) {
            if (c.break === 'never') results.push(...loop(n.w, i + 1, false));
            else results.push(finish({ w: n.w, proceed: false }));
          } else results.push(...loop(n.w, i + 1, true));
        }
        continue;
      }
      results.push(...loop(o.w, i + 1, o.proceed));
    }
    return results;
  };
  return loop(w, 0, false);
}

/** mod_dialplan_xml.c switch_xml_find_child: the first context with that name (strcasecmp), else `global`. */
export function findContext(model: FreeswitchModel, name: string): DialplanContext | undefined {
  const lc = name.toLowerCase();
  return model.dialplan.contexts.find((c) => c.name.toLowerCase() === lc) ?? model.dialplan.contexts.find((c) => c.name.toLowerCase() === 'global');
}

/**
 * dialplan_hunt for one world: the worlds after the hunt, each with the actions it collected
 * appended to `collected` (start index `from`).
 */
export function hunt(env: HuntEnv, w: World, p: CallerProfile, context: DialplanContext): World[] {
  let active: { w: World; done: boolean }[] = [{ w, done: false }];
  const runs = literalRuns(context);
  const exts = context.extensions;
  for (let i = 0; i < exts.length; i++) {
    const ext = exts[i];
    if (active.every((a) => a.done)) break;
    const run = runs.get(i);
    if (run !== undefined && !isUnknown(p.destination)) {
      // The run's extensions before the one whose literal is the destination (or all of them)
      // fail, adding nothing: skipped at once (their tests as one cell, for coverage).
      const to = matchingIn(run, p.destination) ?? run.end;
      if (to > i) {
        for (const a of active) {
          if (a.done || !env.obs || !a.w.sym) continue;
          let cache = run.failed.get(to);
          if (cache === undefined) run.failed.set(to, (cache = new Map()));
          // (The literals are copied only when the cell is built: most numbers never need it.)
          const failed = to - i;
          observeLiteralsFailed(env.obs, p.destSym ?? null, cache, () => fromStrings(run.literals.slice(0, failed)), `destination_number is none of ${failed} literal conditions from extension "${ext.name}" on`);
        }
        i = to - 1;
        continue;
      }
    }
    const next: { w: World; done: boolean }[] = [];
    for (const a of active) {
      if (a.done) {
        next.push(a);
        continue;
      }
      const before = a.w.collected.length;
      for (const r of parseConditions(env, a.w, p, ext, ext.conditions, 0, true)) {
        const added = r.w.collected.length - before;
        if (added > 0 || r.proceed) {
          r.w.steps.push({
            file: ext.location.file,
            line: ext.location.line,
            column: ext.location.column,
            kind: 'extension',
            context: context.name,
            extension: ext.name,
            text: `extension "${ext.name}": ${r.proceed ? 'matched' : 'a condition failed'}${added ? `, ${added} action(s) collected` : ''}${r.proceed && ext.continue ? ' (continue="true": the hunt goes on)' : ''}`,
          });
        }
        next.push({ w: r.w, done: r.proceed && !ext.continue });
      }
    }
    active = next;
  }
  return active.map((a) => a.w);
}

/**
 * A run of consecutive extensions that each test only `destination_number` against one literal
 * (`^2025550100$`): no other condition, no time, regex list, nested condition, anti-action or
 * continue="true". parse_exten adds nothing for one whose test fails (no anti-action), so a
 * destination that is not the first literal of the run equal to it fails every extension before
 * that one, and the hunt goes straight there — a FreeSWITCH public context of 10,000 DID
 * extensions is one lookup per call, not 10,000 expressions.
 */
interface LiteralRun {
  /** Index of the first extension past the run. */
  end: number;
  /** The run's literals in order (literals[k] is extension start + k's). */
  literals: string[];
  /** The index of the first extension of the run with each literal. */
  first: Map<string, number>;
  /** Coverage cells of "failed the first n extensions of the run", by n's end index (observeLiteralsFailed). */
  failed: Map<number, Map<string, Dfa>>;
}

/** The shortest run worth indexing (shorter runs are hunted one by one as ever). */
const MIN_LITERAL_RUN = 8;

const runsOf = new WeakMap<DialplanContext, Map<number, LiteralRun>>();
/** The literal runs of a context, by their first extension's index (made once per context). */
function literalRuns(context: DialplanContext): Map<number, LiteralRun> {
  let runs = runsOf.get(context);
  if (runs !== undefined) return runs;
  runs = new Map();
  const exts = context.extensions;
  for (let i = 0; i < exts.length; ) {
    let j = i;
    const literals: string[] = [];
    for (; j < exts.length; j++) {
      const lit = destinationLiteral(exts[j]);
      if (lit === undefined) break;
      literals.push(lit);
    }
    if (j - i >= MIN_LITERAL_RUN) {
      const first = new Map<string, number>();
      literals.forEach((l, k) => {
        if (!first.has(l)) first.set(l, i + k);
      });
      runs.set(i, { end: j, literals, first, failed: new Map() });
    }
    i = j > i ? j : i + 1;
  }
  runsOf.set(context, runs);
  return runs;
}

/**
 * The literal an extension's only condition tests destination_number against, when that is all
 * it does (see LiteralRun; observe.ts literalExpression: a PCRE matching the literal alone, and
 * the literal followed by a newline, which `$` allows: matchingIn).
 */
function destinationLiteral(ext: DialplanExtension): string | undefined {
  if (ext.continue || ext.conditions.length !== 1) return undefined;
  const c = ext.conditions[0];
  if (c.field !== 'destination_number' || c.regexMode !== undefined || c.expression === undefined || c.antiActions.length || c.conditions.length || Object.keys(c.time).length) return undefined;
  return literalExpression(c.expression);
}

/** The extension of `run` whose literal `value` matches first (PCRE's `$` also before a final newline). */
function matchingIn(run: LiteralRun, value: string): number | undefined {
  const exact = run.first.get(value);
  const chopped = value.endsWith('\n') ? run.first.get(value.slice(0, -1)) : undefined;
  return exact === undefined ? chopped : chopped === undefined ? exact : Math.min(exact, chopped);
}

/**
 * Coverage: `set name=value` with the value derived from the dialled number (or not any more).
 * The name part is taken as written; a name built from the number is opaque.
 */
export function trackSet(env: HuntEnv, w: World, p: CallerProfile, cov: NonNullable<CollectedAction['cov']>, raw: string): void {
  const sym = w.sym as Map<string, Deriv>;
  const body = raw.replace(/^nolocal:/, '');
  const eq = body.indexOf('=');
  if (eq <= 0) return;
  const name = body.slice(0, eq);
  const tenv = templateEnvOf(env, w, p, cov);
  if (templateSym(name, tenv) !== null) {
    env.obs?.observe.opaque(`set ${name}: a variable name built from the dialled number`);
    return;
  }
  const concreteName = expandVariables(cov.captures ? substituteCaptures(name, cov.captures) : name, lookupIn(env, w, p), env.model);
  const s = templateSym(body.slice(eq + 1), tenv);
  if (s === null) sym.delete(concreteName);
  else sym.set(concreteName, s);
}
