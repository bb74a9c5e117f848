/**
 * pbx_find_extension (main/pbx.c) over the model: in a context, first `[general] overrideswitch`,
 * then the context's own extensions in ext_cmp order, then its `switch` statements, then its
 * includes in file order, depth first, skipping contexts already searched (case-insensitively) and
 * includes whose time window is closed. Where the answer depends on something pbxlint cannot know
 * (the time of day, what a realtime/DUNDi switch answers) the search forks, and every branch says
 * what it rests on.
 *
 * A request with a `label` is E_FINDLABEL (`ast_findlabel_extension`, how pbx_parseable_goto
 * turns `Goto(ctx,exten,label)` into a priority): the same search, except that in each context
 * the lookup stops at the first matching extension whose label table has the label (see
 * pattern-classic.ts / pattern-trie.ts), and switches are asked `exists` as for E_MATCH
 * (pbx_find_extension picks `asw->exists` for every action but E_CANMATCH/E_MATCHMORE).
 */
import type { SourceLocation } from '../../core/location';
import type { AsteriskModel, DialplanSwitch, Include } from '../../model/asterisk';
import { dialplanIndex, type ContextIndex, type DialplanIndex, type DialplanExtension } from './dialplan-index';
import {
  buildContextIndex, cidCanMatch, cidMatches, intersects, isSubset, languageOf, LanguageTooComplex, withLanguageBudget,
  type LookupAlgorithm, type MatchMode, type Wanted,
} from '../../automata/asterisk/pattern';
import { describeTiming, timingMatches } from './timing';

/** AST_PBX_MAX_STACK: deeper include chains are not searched ("Maximum PBX stack exceeded"). */
const MAX_INCLUDE_STACK = 512;

export interface FindStep {
  kind: 'include' | 'switch';
  text: string;
  location: SourceLocation;
  context: string;
}

/** Something a branch assumes; `key` identifies the question, so contradictory branches can be pruned. */
export interface Condition {
  key: string;
  holds: boolean;
  text: string;
}

export type FindBranch =
  | { kind: 'extension'; extension: DialplanExtension; context: string; steps: FindStep[]; conditions: Condition[] }
  | { kind: 'switch'; sw: DialplanSwitch | { data: string; location: SourceLocation }; context: string; steps: FindStep[]; conditions: Condition[] }
  | { kind: 'none'; steps: FindStep[]; conditions: Condition[]; contextMissing: boolean };

export interface FindRequest {
  context: string;
  exten: string;
  callerId?: string;
  /** The priority wanted; not read when `label` is given (Asterisk passes 0). */
  priority: number;
  mode: MatchMode;
  time?: Date;
  /** E_FINDLABEL: the extension carrying this label is wanted instead (`mode` must be 'match'). */
  label?: string;
  /**
   * With `label`: skip the caller-ID test, so an extension found for some caller counts (for
   * rules, which have no caller). Always the classic walk: with extenpatternmatchnew=yes this
   * may find a label the trie would miss, never the other way round.
   */
  anyCaller?: boolean;
  /**
   * The caller's number is not known (a route query without a caller ID): where a caller-ID
   * match would decide the lookup, the search forks, one way taking the number to match it and
   * the other not (conditions keyed `caller:<cid>`). `callerId` is then not read.
   */
  callerUnknown?: boolean;
  /** With `callerUnknown`: whose number it is, when not the request's (a Set at run time). */
  callerTag?: CallerTag;
  /** With `callerUnknown`: what the path has already assumed, newest first (its caller facts count). */
  facts?: FactChain;
}

/**
 * A caller number known only at run time (Set(CALLERID(num)=${…})): its questions are keyed
 * `caller<key>:<cid>` instead of the request's `caller:<cid>`, and said of `subject`.
 */
export interface CallerTag {
  key: string;
  subject: string;
}

/** Facts a path has assumed, newest first (pbx.ts keeps them as such a chain). */
export interface FactChain {
  readonly key: string;
  readonly holds: boolean;
  readonly next: FactChain | undefined;
}

const NO_STEPS: FindStep[] = [];
const NO_CONDITIONS: Condition[] = [];

/**
 * The common case of pbx_find_extension, without building a request or a branch: the extension
 * that `context` itself has for `exten` at `priority` (E_MATCH), when that ends the search — no
 * `overrideswitch` is searched first. Undefined when findExtension must search further.
 */
export function findLocalExtension(model: AsteriskModel, context: string, exten: string, callerId: string | undefined, priority: number, callerUnknown = false): DialplanExtension | undefined {
  if (model.dialplan.general.overrideswitch) return undefined;
  const local = dialplanIndex(model).contexts.get(context);
  if (!local) return undefined;
  const index = lookupIndexOf(local);
  // An unknown caller meeting caller-ID matches: the answer may fork.
  if (callerUnknown && index.hasCallerIdMatches) return undefined;
  return index.choose(exten, callerId, priority, 'match', model.dialplan.general.extenpatternmatchnew ? 'trie' : 'classic') ?? undefined;
}

/** The extension `ci` itself gives the request (before switches and includes), or null. */
function chooseIn(ci: ContextIndex, req: FindRequest, algorithm: LookupAlgorithm): DialplanExtension | null {
  const index = lookupIndexOf(ci);
  if (req.label === undefined) return index.choose(req.exten, req.callerId, req.priority, req.mode, algorithm);
  return index.chooseLabel(req.exten, req.callerId, req.label, algorithm, req.anyCaller);
}

/** The conditions' texts as shown (a condition said by a neighbour's sentence has none). */
export function conditionTexts(conditions: readonly Condition[]): string[] {
  const out: string[] = [];
  for (const c of conditions) if (c.text) out.push(c.text);
  return out;
}

/** What one context gives a lookup, and what that rests on about the caller's number. */
interface Choice {
  chosen: DialplanExtension | null;
  conditions: readonly Condition[];
}

/**
 * Caller-ID matches one lookup follows one by one for an unknown caller; past them, the caller
 * is taken to match none of the rest, and that way's condition says so. A blacklist of hundreds
 * of `s/5551234` lines would otherwise give hundreds of answers.
 */
const MAX_CALLER_CASES = 16;
/** Negative caller conditions listed one by one; more are said in one sentence. */
const MAX_LISTED_NEGATIVES = 3;
/** Where caller facts' keys start: `caller:` for the request's number, `caller@…:` for a tagged one. */
const CALLER_KEY = 'caller:';

function callerPrefix(req: FindRequest): string {
  return req.callerTag ? `caller${req.callerTag.key}:` : CALLER_KEY;
}

/** Whether the request's lookup in `ci` forks on the caller's number (see choicesIn). */
function forksOnCaller(ci: ContextIndex, req: FindRequest): boolean {
  return req.callerUnknown === true && !req.anyCaller && lookupIndexOf(ci).hasCallerIdMatches;
}

/**
 * For a caller whose number is not known, in a context with caller-ID matches (`matchcid` in
 * main/pbx.c decides each against the caller's number): one choice per way the number can be.
 * The first pass takes the number to match none of the caller-ID matches it meets (the ordinary
 * caller, listed first); each question it answers so queues a pass where the number matches that
 * one (after "no" to the earlier ones), and so on for the passes queued.
 */
function choicesIn(ci: ContextIndex, req: FindRequest, algorithm: LookupAlgorithm, assumed: readonly Condition[]): Choice[] {
  const index = lookupIndexOf(ci);
  const want: Wanted = req.label === undefined ? req.priority : { label: req.label };
  const prefix = callerPrefix(req);
  const subject = req.callerTag?.subject;
  const out: Choice[] = [];
  const queue: Condition[][] = [[]];
  for (let q = 0; q < queue.length; q++) {
    const made = queue[q];
    let passedOver = 0;
    const chosen = index.chooseForCaller(req.exten, want, req.mode, algorithm, (cid) => {
      const known = callerAnswer(cid, prefix, made, assumed, req.facts);
      if (known !== undefined) return known;
      // A "start of" question where the path already knows the number does not match: said as such.
      const notWhole = cid[0] === STARTS && callerAnswer(cid.slice(1), prefix, made, assumed, req.facts) === false;
      if (queue.length < MAX_CALLER_CASES) queue.push([...made, callerCondition(cid, true, prefix, subject, notWhole)]);
      else passedOver++;
      made.push(callerCondition(cid, false, prefix, subject, notWhole));
      return false;
    });
    out.push({ chosen, conditions: withoutImplied(made, prefix, subject, passedOver, req.exten, ci.context.name) });
  }
  return out;
}

/**
 * A question about the caller's number is one of (the part of the key after `caller:`):
 * - a number (`5551234`, or '' for none): the caller's number is that;
 * - a pattern (`_555XXXX`): the number matches it (matchcid, and the trie's E_MATCH walk);
 * - `^` + a pattern: the number matches it or is the start of a number that does (the trie's
 *   E_CANMATCH walk of the caller's number, pattern.ts cidCanMatch).
 */
const STARTS = '^';

/**
 * `caller:<cid>` condition: the caller's number matches (or not) a CID match as Asterisk stores
 * it (`_` for a pattern, '' for no number; `^` for "matches or is the start of", see STARTS).
 * `subject`: a number Set at run time, said as such.
 */
function callerCondition(cid: string, holds: boolean, prefix: string, subject: string | undefined, notWhole = false): Condition {
  const who = subject ?? 'the caller number';
  const text = cid[0] === STARTS
    ? notWhole
      ? `${who} is ${holds ? '' : 'not '}the start of a number matching ${cid.slice(1)}`
      : holds ? `${who} matches ${cid.slice(1)} or is the start of such a number` : `${who} neither matches ${cid.slice(1)} nor is the start of such a number`
    : cid === ''
    ? subject ? `${who} is ${holds ? '' : 'not '}empty` : holds ? 'the call has no caller number' : 'the call has a caller number'
    : cid[0] === '_'
      ? `${who} ${holds ? 'matches' : 'does not match'} ${cid}`
      : `${who} is ${holds ? '' : 'not '}${cid}`;
  return { key: prefix + cid, holds, text };
}

/**
 * Whether the caller's number matches `cid`, as far as what is assumed decides it: the same
 * question answered before; a known number (a literal CID match, or none) answers every CID
 * match; a number known not to match a pattern is not one of its numbers; a pattern known to
 * match answers the patterns that contain it or exclude it (pattern-language.ts, within a small
 * budget). Undefined: not decided. Known negatives are only compared cheaply: a context can
 * have hundreds of CID matches, each asked against all of them.
 */
function callerAnswer(cid: string, prefix: string, made: readonly Condition[], assumed: readonly Condition[], facts: FactChain | undefined): boolean | undefined {
  const key = prefix + cid;
  if (cid[0] === STARTS) return startsAnswer(cid, prefix, made, assumed, facts);
  const asksNumber = cid[0] !== '_';
  let positives: string[] | undefined;
  const decide = (c: { key: string; holds: boolean }): boolean | undefined => {
    if (!c.key.startsWith(prefix)) return undefined;
    if (c.key === key) return c.holds;
    const other = c.key.slice(prefix.length);
    if (other[0] === STARTS) {
      // Matching a pattern is one way of "matches or is the start of": a no there is a no here;
      // a known number that is neither cannot match.
      if (c.holds) return undefined;
      return !asksNumber ? (other.slice(1) === cid ? false : undefined) : cidCanMatch(other.slice(1), cid) ? false : undefined;
    }
    const otherIsNumber = other[0] !== '_';
    if (c.holds) {
      if (otherIsNumber) return cidMatches(cid, other);
      (positives ??= []).push(other);
    } else if (asksNumber && !otherIsNumber && cidMatches(other, cid)) return false;
    return undefined;
  };
  for (const c of made) { const d = decide(c); if (d !== undefined) return d; }
  for (const c of assumed) { const d = decide(c); if (d !== undefined) return d; }
  for (let f = facts; f; f = f.next) { const d = decide(f); if (d !== undefined) return d; }
  if (positives) for (const other of positives) { const d = knownMatchDecides(other, cid); if (d !== undefined) return d; }
  return undefined;
}

/** callerAnswer for a `^pattern` question: from the same question, a known number, or the pattern known to match. */
function startsAnswer(cid: string, prefix: string, made: readonly Condition[], assumed: readonly Condition[], facts: FactChain | undefined): boolean | undefined {
  const key = prefix + cid;
  const pattern = cid.slice(1);
  const decide = (c: { key: string; holds: boolean }): boolean | undefined => {
    if (!c.key.startsWith(prefix)) return undefined;
    if (c.key === key) return c.holds;
    if (!c.holds) return undefined;
    const other = c.key.slice(prefix.length);
    if (other[0] === STARTS) return undefined;
    if (other[0] !== '_') return cidCanMatch(pattern, other);
    return other === pattern ? true : undefined;
  };
  for (const c of made) { const d = decide(c); if (d !== undefined) return d; }
  for (const c of assumed) { const d = decide(c); if (d !== undefined) return d; }
  for (let f = facts; f; f = f.next) { const d = decide(f); if (d !== undefined) return d; }
  return undefined;
}

/** Answers of knownMatchDecides, by pattern pair (a long route query asks the same pairs on every path). */
const decidedPairs = new Map<string, boolean | undefined>();

/** What "the number matches pattern `known`" says about matching `cid`: false when they share no number, true when `cid` has all of `known`'s. */
function knownMatchDecides(known: string, cid: string): boolean | undefined {
  const pair = `${known}\u0000${cid}`;
  if (decidedPairs.has(pair)) return decidedPairs.get(pair);
  let answer: boolean | undefined;
  try {
    answer = withLanguageBudget(2000, () => {
      const knownLanguage = languageOf([known]);
      const asked = languageOf([cid]);
      if (!intersects(knownLanguage, asked)) return false;
      return isSubset(knownLanguage, asked) ? true : undefined;
    });
  } catch (e) {
    if (!(e instanceof LanguageTooComplex)) throw e;
  }
  if (decidedPairs.size >= 10_000) decidedPairs.clear();
  decidedPairs.set(pair, answer);
  return answer;
}

/**
 * A way's conditions as they are shown: those a known number (a literal CID match that holds)
 * implies are dropped, and a long run of "does not match" becomes one sentence (each keeps its
 * key, so later lookups on the path still see it).
 */
function withoutImplied(made: Condition[], prefix: string, subject: string | undefined, passedOver: number, exten: string, context: string): Condition[] {
  const cidOf = (c: Condition) => c.key.slice(prefix.length);
  const number = made.find((c) => c.holds && cidOf(c)[0] !== '_' && cidOf(c)[0] !== STARTS);
  const kept = number ? made.filter((c) => c === number || callerAnswer(cidOf(c), prefix, [number], NO_CONDITIONS, undefined) === undefined) : made;
  const negatives = kept.filter((c) => !c.holds);
  if (negatives.length <= MAX_LISTED_NEGATIVES && !passedOver) return kept;
  const cids = negatives.map((c) => cidOf(c) || '(no number)');
  const listed = cids.slice(0, MAX_LISTED_NEGATIVES).join(', ');
  const more = passedOver ? `; ${passedOver} of them are not followed one by one, pass --caller-id to follow one` : '';
  const summary = `${subject ?? 'the caller number'} matches none of the ${negatives.length} caller-ID matches of ${exten} in [${context}] (${listed}${negatives.length > MAX_LISTED_NEGATIVES ? ', …' : ''}${more})`;
  return kept.map((c) => (c === negatives[0] ? { ...c, text: summary } : !c.holds ? { ...c, text: '' } : c));
}

/**
 * The context's lookup index, built on its first lookup and kept with the context. The trie starts
 * from what was registered when loading first looked up in the context, if it did
 * (DialplanContext.trieBuiltAfter: a label priority, pbx_config → ast_findlabel_extension2).
 */
export function lookupIndexOf(ci: ContextIndex) {
  return (ci.lookup ??= buildContextIndex(ci.sorted, { trieBuiltAfter: ci.context.trieBuiltAfter }));
}

export function findExtension(model: AsteriskModel, req: FindRequest): FindBranch[] {
  const index = dialplanIndex(model);
  const algorithm = model.dialplan.general.extenpatternmatchnew ? 'trie' : 'classic';

  // Fast path, the common case: found locally, or a context with nothing else to search.
  const local = index.contexts.get(req.context);
  if (local && !model.dialplan.general.overrideswitch && !forksOnCaller(local, req)) {
    const chosen = chooseIn(local, req, algorithm);
    if (chosen) return [{ kind: 'extension', extension: chosen, context: req.context, steps: NO_STEPS, conditions: NO_CONDITIONS }];
    if (!local.context.switches.length && !local.context.includes.length) return [{ kind: 'none', steps: NO_STEPS, conditions: NO_CONDITIONS, contextMissing: false }];
  }

  const out: FindBranch[] = [];
  const root = search({ model, index, req, algorithm }, req.context, { visited: [], steps: [], conditions: [] });
  out.push(...root.done);
  const missing = !index.contexts.has(req.context);
  for (const s of root.notFound) out.push({ kind: 'none', steps: s.steps, conditions: s.conditions, contextMissing: missing });
  return out;
}

/** What one lookup searches with. */
interface Search {
  model: AsteriskModel;
  index: DialplanIndex;
  req: FindRequest;
  algorithm: LookupAlgorithm;
}

/** One way the search can be at: where it has been, and what it assumed to get there. */
interface State {
  visited: string[];
  steps: FindStep[];
  conditions: Condition[];
}

/**
 * Searches one context, then its switches and includes. Returns the branches where the search
 * ended (found or switch), and the "not found here" continuations as states to keep searching from.
 */
function search(env: Search, contextName: string, state: State): { done: FindBranch[]; notFound: State[] } {
  const { model, index, req, algorithm } = env;
  if (state.visited.length >= MAX_INCLUDE_STACK) return { done: [], notFound: [state] };
  if (state.visited.some((v) => v === contextName.toLowerCase())) return { done: [], notFound: [state] };
  const ci = index.contexts.get(contextName);
  if (!ci) return { done: [], notFound: [state] };
  const done: FindBranch[] = [];
  let pending: State[] = [state];

  const osw = model.dialplan.general.overrideswitch;
  if (osw) {
    done.push(...pending.map((s) => ({ kind: 'switch' as const, sw: { data: osw.value, location: osw.location }, context: contextName, steps: [...s.steps, { kind: 'switch' as const, text: `overrideswitch ${osw.value} answers`, location: osw.location, context: contextName }], conditions: [...s.conditions, { key: `switch:${osw.value}:${req.exten}`, holds: true, text: `overrideswitch ${osw.value} has ${req.exten}` }] })));
    pending = pending.map((s) => ({ ...s, conditions: [...s.conditions, { key: `switch:${osw.value}:${req.exten}`, holds: false, text: `overrideswitch ${osw.value} does not have ${req.exten}` }] }));
  }

  // Without a fork on the caller, one choice for every state.
  const single = forksOnCaller(ci, req) ? undefined : [{ chosen: chooseIn(ci, req, algorithm), conditions: NO_CONDITIONS }];
  const notFound: State[] = [];
  for (const s of pending) {
    for (const choice of single ?? choicesIn(ci, req, algorithm, s.conditions)) {
      const conditions = choice.conditions.length ? [...s.conditions, ...choice.conditions] : s.conditions;
      if (choice.chosen) done.push({ kind: 'extension', extension: choice.chosen, context: contextName, steps: s.steps, conditions });
      else notFound.push(choice.conditions.length ? { ...s, conditions } : s);
    }
  }
  if (!notFound.length) return { done, notFound: [] };
  pending = notFound;
  for (const sw of ci.context.switches) {
    // A switch (Realtime, DUNDi, Loopback, IAX2…) answers at run time: both ways.
    for (const s of pending) done.push({ kind: 'switch', sw, context: contextName, steps: [...s.steps, { kind: 'switch', text: `${sw.kind} => ${sw.data} may have ${req.exten}`, location: sw.location, context: contextName }], conditions: [...s.conditions, { key: `switch:${sw.data}:${req.exten}`, holds: true, text: `${sw.kind} ${sw.data} has ${req.exten}` }] });
    pending = pending.map((s) => ({ ...s, conditions: [...s.conditions, { key: `switch:${sw.data}:${req.exten}`, holds: false, text: `${sw.kind} ${sw.data} does not have ${req.exten}` }] }));
  }
  pending = pending.map((s) => ({ ...s, visited: [...s.visited, contextName.toLowerCase()] }));
  for (const inc of ci.context.includes) {
    const next: State[] = [];
    for (const s of pending) {
      for (const [active, cond] of includeStates(inc, req.time)) {
        if (!active) {
          next.push({ ...s, conditions: cond ? [...s.conditions, cond] : s.conditions });
          continue;
        }
        const step: FindStep = { kind: 'include', text: `include => ${inc.context}${inc.timing ? `,${inc.timing}` : ''}`, location: inc.location, context: contextName };
        const r = search(env, inc.context, { visited: s.visited, steps: [...s.steps, step], conditions: cond ? [...s.conditions, cond] : s.conditions });
        done.push(...r.done);
        // Not found through this include: continue with the next include, without its steps.
        for (const nf of r.notFound) next.push({ ...nf, steps: s.steps, visited: nf.visited });
      }
    }
    pending = next;
  }
  return { done, notFound: pending };
}

/** Whether an include is searched: always, per --time, or both ways when the time is unknown. */
function includeStates(inc: Include, time: Date | undefined): [boolean, Condition | undefined][] {
  if (!inc.timing) return [[true, undefined]];
  const desc = describeTiming(inc.timing);
  if (time) return [[timingMatches(inc.timing, time), undefined]];
  const key = `time:${inc.timing}`;
  return [
    [true, { key, holds: true, text: `the time is within ${desc} (include ${inc.context})` }],
    [false, { key, holds: false, text: `the time is outside ${desc} (include ${inc.context})` }],
  ];
}

/** What a path has assumed so far: condition key → holds (a Map will do). */
export interface Facts {
  get(key: string): boolean | undefined;
}

/** False when a branch assumes the opposite of what a path already assumed. */
export function consistent(conditions: readonly Condition[], facts: Facts | undefined): boolean {
  if (facts === undefined) return true;
  for (const c of conditions) {
    const held = facts.get(c.key);
    if (held !== undefined && held !== c.holds) return false;
  }
  return true;
}

/**
 * Whether `Goto(context,exten,label)` can find its label for some call: an E_FINDLABEL search
 * (findExtension with `label`) ignoring caller-ID matches, where any branch (any side of a
 * timed include) finds an extension carrying it, or a switch may claim the extension (what
 * happens then is the switch's). For rules, which have no caller and no time.
 */
export function labelMayBeFound(model: AsteriskModel, context: string, exten: string, label: string): boolean {
  for (const b of findExtension(model, { context, exten, priority: 0, mode: 'match', label, anyCaller: true })) if (b.kind !== 'none') return true;
  return false;
}
