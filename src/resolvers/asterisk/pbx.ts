/**
 * An abstract interpreter of the dialplan, modelled on __ast_pbx_run (main/pbx.c): each priority
 * is looked up with pbx_find_extension (so a missing priority can fall through to another matching
 * extension, as in Asterisk), its application is applied to an abstract channel (answered or not,
 * hangup cause, DIALSTATUS, known variables, Gosub/Macro stack), and the run ends when the call is
 * handed to a device or application, or the channel hangs up. Whatever cannot be known offline (a
 * registration, the time of day, a variable read from a database) forks the run; each path ends in
 * one RouteOutcome with the conditions it rests on.
 */
import type { SourceLocation } from '../../core/location';
import type { AsteriskModel, DialTarget, JumpTarget, Priority } from '../../model/asterisk';
import type { RouteOutcome, RouteRequest, RouteStep, RouteTarget } from '../types';
import { causeName, CAUSE, parseCause, sipStatusForCause } from './causes';
import { isRegistered, pjsipEndpointReachability, sipPeerReachability, type Reachability } from './channels';
import { RUN_APP, RUN_ARGS, RUN_MEMO, RUN_MEMO2, RUN_MEMO3, RUN_PRIORITY, RUN_STATIC, RUN_TARGETS, type RunStore } from '../../parsers/asterisk/dialplan-extension';
import { dialplanIndex, type DialplanExtension } from './dialplan-index';
import { checkCondition, substitute, type VarScope } from './expressions';
import { consistent, findExtension, type CallerTag, type Condition, type Facts, type FindBranch, type FindRequest, type FindStep } from './find';
import { describeTiming, timingMatches } from './timing';
import { KNOWN_APPLICATIONS } from './known-applications';
import { dialsOf, parseGotoSpec, separateArgs, splitCondition } from '../../parsers/asterisk/applications';
import { compose, extenTemplate, IDENTITY, lookupCell, pullBack, reportLiterals, type CellPrecision, type Derivation } from './lookup-cells';
import { complement, compile, countMembers, fromStrings, intersect, singleString } from '../../automata/dfa';
import { chars, CharSet, star } from '../../automata/regex';
import { nameLanguage } from '../../automata/asterisk/pattern-re';

/** The strings coverage maps (src/coverage/partition.ts DIALABLE_UNIVERSE; the resolver must not import coverage). */
const DIALABLE = compile(star(chars(CharSet.of('0123456789*#+abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'))));

const EMPTY_STRING = fromStrings(['']);

/** The dialled strings whose derived extension is empty, by derivation (the same few Gotos ask again and again). */
const emptyPreimages = new Map<string, ReturnType<typeof pullBack>>();
const emptyPreimagesByOffset = new Map<number, ReturnType<typeof pullBack>>();
function emptyPreimage(d: Derivation): ReturnType<typeof pullBack> {
  if (d.prefix === '' && d.length === undefined) {
    // ${EXTEN:k}, the usual one: by k, without a key to make.
    if (!emptyPreimagesByOffset.has(d.offset)) emptyPreimagesByOffset.set(d.offset, pullBack(EMPTY_STRING, d));
    return emptyPreimagesByOffset.get(d.offset);
  }
  const key = `${d.prefix}\u0000${d.offset}\u0000${d.length ?? ''}`;
  if (!emptyPreimages.has(key)) {
    if (emptyPreimages.size > 1000) emptyPreimages.clear();
    emptyPreimages.set(key, pullBack(EMPTY_STRING, d));
  }
  return emptyPreimages.get(key);
}

/** Numbers an extension may match for coverage to follow each one alone (see usesDialled). */
const MAX_NUMBERS_EACH = 2000;
const fewCache = new Map<string, boolean>();
/** Whether extension name `name` matches at most MAX_NUMBERS_EACH dialable strings. */
function fewMatches(name: string): boolean {
  let few = fewCache.get(name);
  if (few === undefined) {
    const n = countMembers(intersect(nameLanguage(name, 'match'), DIALABLE), MAX_NUMBERS_EACH + 1);
    few = n !== 'infinite' && n <= MAX_NUMBERS_EACH;
    if (fewCache.size > 10_000) fewCache.clear();
    fewCache.set(name, few);
  }
  return few;
}

/**
 * Coverage: how a channel's extension relates to the dialled string — a Derivation, OPAQUE (built
 * from it in a way not modelled), or undefined (it does not depend on the dialled string).
 */
const OPAQUE = 'opaque' as const;
type ExtenSource = Derivation | typeof OPAQUE | undefined;

const NO_FIND_STEPS: readonly FindStep[] = [];
const NO_CONDITIONS: readonly Condition[] = [];
const NOTHING_UNKNOWN: readonly string[] = [];
/**
 * Shared empty lists, never added to (frozen, so a mistake would throw): a path's conditions until
 * it has one (an outcome may keep this one: nothing changes an outcome's list in place), and a
 * simulation's outcomes until a path ends.
 */
const NO_CONDITION_TEXTS: string[] = Object.freeze([]) as unknown as string[];
const NO_OUTCOMES: RouteOutcome[] = Object.freeze([]) as unknown as RouteOutcome[];
/** A simulation's notModelled until it notes something: never added to (note() replaces it). */
const NOTHING_NOTED: string[] = [];

/** Technology names upper-cased, cached: the same few ("PJSIP") come back for every Dial. */
const uppered = new Map<string, string>();
function upper(s: string): string {
  if (s === 'PJSIP' || s === 'SIP') return s;
  let f = uppered.get(s);
  if (f === undefined) {
    f = s.toUpperCase();
    if (uppered.size < 10000) uppered.set(s, f);
  }
  return f;
}

/** Priorities one path may execute before pbxlint calls it a loop. */
const STEP_BUDGET = 400;
/** Paths one simulation may explore. */
const PATH_BUDGET = 256;
/** Local channels followed into the dialplan (Local/x@ctx inside Local/…). */
const MAX_LOCAL_DEPTH = 3;

/*
 * A path's variables, facts and Gosub/Macro stack are immutable lists, newest first: a fork shares
 * everything the path held before it instead of copying Maps and arrays, and a path that sets
 * nothing allocates nothing. Paths are short (STEP_BUDGET bounds them), so a walk down a list is
 * as quick as a hash lookup.
 */

/** One variable assignment; `value` undefined: set to something only known at run time. */
class Binding {
  constructor(
    readonly name: string,
    readonly value: string | undefined,
    readonly next: Binding | undefined,
    /** Coverage: the value was computed from the dialled string. */
    readonly tainted = false,
    /** Coverage: how a tainted value derives from the dialled string, where it is `prefix${EXTEN:k:n}` of it. */
    readonly derivation?: Derivation,
  ) {}
}

/** One assumption of a path (condition key → holds); the newest entry for a key wins. */
class FactList implements Facts {
  constructor(
    readonly key: string,
    readonly holds: boolean,
    readonly next: FactList | undefined,
  ) {}

  get(key: string): boolean | undefined {
    return this.key === key ? this.holds : this.next?.get(key);
  }
}

/** A condition as listed after it held `times` times in a row. */
function repeated(text: string, times: number): string {
  return times === 1 ? text : `${text} (${times} times in a row)`;
}

/** Where Return/MacroExit goes back to. */
class Frame {
  constructor(
    readonly context: string,
    readonly exten: string,
    readonly priority: number,
    readonly kind: 'gosub' | 'macro',
    /** The frame below this one. */
    readonly next: Frame | undefined,
    readonly source: ExtenSource = undefined,
  ) {}
}

/** One path through the dialplan: the abstract channel. It is the scope `${…}` reads from. */
class Channel implements VarScope {
  priority = 1;
  answered = false;
  cause = 0;
  /** DIALSTATUS: undefined when not set, or set to a value known only at run time (dialstatusAtRunTime). */
  dialstatus: string | undefined = undefined;
  dialstatusAtRunTime = false;
  vars: Binding | undefined = undefined;
  stack: Frame | undefined = undefined;
  /** The path's latest step (steps are a list, newest first, shared by forks); see stepsInOrder(). */
  lastStep: PathStep | undefined = undefined;
  stepCount = 0;
  /** What this path rests on, in words; the shared empty NO_CONDITION_TEXTS until the first. */
  conditions: string[] = NO_CONDITION_TEXTS;
  /** How many times in a row the last condition was added (a loop testing a run-time value again). */
  lastConditionTimes = 0;
  /** What this path has assumed so far, to prune contradictory branches. */
  facts: FactList | undefined = undefined;
  budget = STEP_BUDGET;
  lastApp: string | undefined = undefined;
  /** The sole literal extension the last lookup found locally: later priorities come from it directly. */
  current: DialplanExtension | undefined = undefined;
  currentContext: string | undefined = undefined;
  /**
   * The extension name `current` was found for. Compared instead of `current.matchName`: it is
   * usually the very same string as `exten`, so the test reads no other memory.
   */
  currentExten: string | undefined = undefined;
  /** Coverage only: how `exten` derives from the dialled string (see ExtenSource). */
  source: ExtenSource = undefined;

  constructor(
    private readonly sim: Simulation,
    public context: string,
    public exten: string,
  ) {}

  /** A copy to follow one way of a fork; `condition` and `assumed` are what that way rests on. */
  fork(condition?: string, assumed: readonly Condition[] = NO_CONDITIONS): Channel {
    const c = new Channel(this.sim, this.context, this.exten);
    c.priority = this.priority;
    c.answered = this.answered;
    c.cause = this.cause;
    c.dialstatus = this.dialstatus;
    c.dialstatusAtRunTime = this.dialstatusAtRunTime;
    c.vars = this.vars;
    c.stack = this.stack;
    c.lastStep = this.lastStep;
    c.stepCount = this.stepCount;
    c.conditions = this.conditions === NO_CONDITION_TEXTS ? NO_CONDITION_TEXTS : this.conditions.slice();
    c.lastConditionTimes = this.lastConditionTimes;
    if (condition) c.addCondition(condition);
    c.facts = this.facts;
    c.budget = this.budget;
    c.lastApp = this.lastApp;
    c.current = this.current;
    c.currentContext = this.currentContext;
    c.currentExten = this.currentExten;
    c.source = this.source;
    for (const a of assumed) c.assume(a);
    return c;
  }

  /** Takes a branch's condition as given; it is listed once, the first time it is assumed. */
  assume(c: Condition): void {
    // A condition without text is said by a neighbour's sentence (find.ts withoutImplied).
    if (c.text && this.facts?.get(c.key) === undefined) this.addCondition(c.text);
    this.facts = new FactList(c.key, c.holds, this.facts);
  }

  /**
   * A condition the path rests on, in words. The same one again right after itself (a loop whose
   * test reads a value known only at run time) is counted, not listed once per turn.
   */
  addCondition(text: string): void {
    const last = this.conditions.length - 1;
    if (last >= 0 && this.lastConditionTimes > 0 && this.conditions[last] === repeated(text, this.lastConditionTimes)) {
      this.conditions[last] = repeated(text, ++this.lastConditionTimes);
      return;
    }
    if (this.conditions === NO_CONDITION_TEXTS) this.conditions = [text];
    else this.conditions.push(text);
    this.lastConditionTimes = 1;
  }

  addStep(step: PathStep): void {
    step.prev = this.lastStep;
    this.lastStep = step;
    this.stepCount++;
  }

  /** The path's steps, first to last, in an array of their exact number. */
  stepsInOrder(): RouteStep[] {
    const out: RouteStep[] = new Array(this.stepCount);
    let i = this.stepCount;
    for (let s = this.lastStep; s !== undefined; s = s.prev) out[--i] = s;
    return out;
  }

  setVar(name: string, value: string | undefined, tainted = false, derivation?: Derivation): void {
    // DIALSTATUS is an ordinary channel variable (app_dial sets it with pbx_builtin_setvar_helper):
    // Set(DIALSTATUS=…) is what __ast_pbx_run's autofallthrough reads too.
    if (name === 'DIALSTATUS') {
      this.dialstatus = value;
      this.dialstatusAtRunTime = value === undefined;
      return;
    }
    this.vars = new Binding(name, value, this.vars, tainted, derivation);
  }

  /** Coverage: how the variable `name` derives from the dialled string (undefined: not known to, or not at all). */
  derivationOf(name: string): Derivation | undefined {
    for (let b = this.vars; b; b = b.next) if (b.name === name) return b.tainted ? b.derivation : undefined;
    return undefined;
  }

  /** Coverage: the channel's extension's derivation, for a variable that holds it as it is now. */
  sourceDerivation(): Derivation | undefined {
    return this.source !== undefined && this.source !== OPAQUE ? this.source : undefined;
  }

  /**
   * The caller number lookups made for this channel pass (S_COR(caller.id.number.valid, …)): the
   * request's, or what Set(CALLERID(num)=…) made it; null when that was set to a value known only
   * at run time.
   */
  callerNumber(): string | undefined | null {
    const b = this.callerBinding();
    return b ? b.value ?? null : this.sim.request.callerId;
  }

  /** The Set(CALLERID(num)=…) in effect, or undefined (the request's number). */
  callerBinding(): Binding | undefined {
    for (let b = this.vars; b; b = b.next) if (b.name === 'CALLERID(num)') return b;
    return undefined;
  }

  lookup(name: string): string | undefined {
    if (name === 'EXTEN') {
      if (this.source !== undefined) this.sim.dialledReads++;
      return this.exten;
    }
    if (name === 'CONTEXT') return this.context;
    if (name === 'PRIORITY') return String(this.priority);
    if (name === 'DIALSTATUS') return this.dialstatus;
    for (let b = this.vars; b; b = b.next) {
      if (b.name === name) {
        if (b.tainted) this.sim.dialledReads++;
        return b.value;
      }
    }
    if (name === 'CALLERID(num)') return this.sim.request.callerId;
    // ${GLOBAL(x)} (expressions.ts): a Set(GLOBAL(x)=…) of this path was found above by its name.
    if (name.startsWith('GLOBAL(') && name.endsWith(')')) return this.sim.model.dialplan.globals.get(name.slice(7, -1))?.value;
    return this.sim.model.dialplan.globals.get(name)?.value;
  }

  push(kind: Frame['kind']): void {
    this.stack = new Frame(this.context, this.exten, this.priority + 1, kind, this.stack, this.source);
  }

  /** Continues where a frame says. */
  resume(frame: Frame): void {
    this.context = frame.context;
    this.exten = frame.exten;
    this.priority = frame.priority;
    this.source = frame.source;
  }
}

export interface PbxRun {
  outcomes: RouteOutcome[];
  readonly notModelled: readonly string[];
}

/** Apps that hand the call to something that answers it: the simulation ends "routed" there. */
const TERMINAL_APPS = new Set(['voicemail', 'voicemailmain', 'queue', 'confbridge', 'meetme', 'park', 'parkedcall', 'echo', 'stasis', 'directory', 'followme', 'page', 'chanspy', 'extenspy', 'disa', 'pickup', 'pickupchan', 'musiconhold', 'waitexten', 'agentlogin', 'agentrequest', 'bridge', 'bridgewait', 'festival', 'minivmrecord', 'minivmgreet', 'sms', 'receivefax', 'sendfax', 'milliwatt', 'authenticate', 'vmauthenticate']);
/** Apps that answer an unanswered channel (unless told not to) and return. */
const ANSWERING_APPS = new Set(['answer', 'playback', 'background', 'read', 'record', 'saydigits', 'saynumber', 'sayalpha', 'sayphonetic', 'sayunixtime', 'controlplayback', 'playtones']);
/**
 * Apps with no effect on where the call goes. Not RaiseException: pbx_builtin_raise_exception →
 * pbx.c raise_exception jumps to the `e` extension (set_ext_pri(chan, "e", 0)); it is reported as
 * assumed to return (not modelled), as other known applications missing here are.
 */
const NEUTRAL_APPS = new Set(['noop', 'verbose', 'log', 'wait', 'waitfornoise', 'waitforsilence', 'ringing', 'progress', 'stopplaytones', 'mixmonitor', 'stopmixmonitor', 'monitor', 'stopmonitor', 'resetcdr', 'forkcdr', 'nocdr', 'cdr_setuserfield', 'sipaddheader', 'sipremoveheader', 'pjsipaddheader', 'senddtmf', 'userevent', 'dumpchan', 'system', 'trysystem', 'setmusiconhold', 'set', 'mset', 'setvar', 'importvar', 'exportvar', 'setcallerpres', 'setamaflags', 'sendtext', 'sendimage', 'sendurl', 'playtones', 'celgenuserevent', 'statsd', 'jabbersend', 'dbput', 'dbdel', 'dbdeltree', 'speechcreate', 'speechdestroy', 'gosubif', 'pjsipnotify', 'startmusiconhold', 'stopmusiconhold', 'stopplaymf', 'playmf', 'waitdigit', 'channelredirect', 'softhangup', 'hangupcausesclear', 'resetcdr', 'amd', 'chanisavail', 'pjsip_hangup']);

/** What execute() does with an application, by its case-folded name (pbx_findapp compares with strcasecmp). */
const enum AppAction {
  /** Not handled by name: terminal, answering, neutral or unknown (see AppInfo's flags). */
  Other,
  Hangup,
  Busy,
  Congestion,
  /** Goto, Gosub, Macro, MacroExclusive. */
  Jump,
  /** GotoIf, GosubIf. */
  JumpIf,
  GotoIfTime,
  /** Return, MacroExit. */
  Return,
  Dial,
  Set,
  MSet,
}

const ACTIONS: Record<string, AppAction> = {
  hangup: AppAction.Hangup, busy: AppAction.Busy, congestion: AppAction.Congestion,
  goto: AppAction.Jump, gosub: AppAction.Jump, macro: AppAction.Jump, macroexclusive: AppAction.Jump,
  gotoif: AppAction.JumpIf, gosubif: AppAction.JumpIf, gotoiftime: AppAction.GotoIfTime,
  return: AppAction.Return, macroexit: AppAction.Return, dial: AppAction.Dial, set: AppAction.Set, mset: AppAction.MSet,
};

/**
 * An application name as written, classified once: every priority of every simulation needs
 * this, and one Map lookup by the (interned) name replaces case folding and four Set lookups.
 */
class AppInfo {
  readonly lower: string;
  readonly action: AppAction;
  readonly terminal: boolean;
  readonly answering: boolean;
  /** Asterisk registers it (or the name is built at run time, so pbxlint cannot tell). */
  readonly known: boolean;
  readonly neutral: boolean;
  /** "VoiceMail(": how a step or target names a call of it starts. */
  readonly opening: string;

  constructor(name: string) {
    const lower = name.toLowerCase();
    this.opening = `${name}(`;
    this.lower = lower;
    this.action = Object.prototype.hasOwnProperty.call(ACTIONS, lower) ? ACTIONS[lower] : AppAction.Other;
    this.terminal = TERMINAL_APPS.has(lower);
    this.answering = ANSWERING_APPS.has(lower);
    this.known = KNOWN_APPLICATIONS.has(lower) || lower.includes('$');
    this.neutral = NEUTRAL_APPS.has(lower);
  }
}

const appInfos = new Map<string, AppInfo>();
function appInfo(name: string): AppInfo {
  let info = appInfos.get(name);
  if (info === undefined) {
    info = new AppInfo(name);
    if (appInfos.size < 10000) appInfos.set(name, info);
  }
  return info;
}

/**
 * Runs the dialplan from `exten` in `context`. `first`, when given, is what the lookup of priority
 * 1 found (in `firstContext`, through `firstVia`), and `assumed` what that lookup rested on.
 */
export function runDialplan(
  model: AsteriskModel,
  request: RouteRequest,
  context: string,
  exten: string,
  assumed: readonly Condition[] = NO_CONDITIONS,
  first?: DialplanExtension,
  firstVia: readonly FindStep[] = NO_FIND_STEPS,
  firstContext = context,
  depth = 0,
): PbxRun {
  const sim = new Simulation(model, request, depth);
  const channel = new Channel(sim, context, exten);
  // Coverage: the entry's extension is the dialled string itself (not 's' for an empty one, nor a
  // Local channel's number, whose Dial already said whether it used the dialled string).
  if (request.observe && depth === 0 && exten === request.user) channel.source = IDENTITY;
  if (request.observe && depth === 0 && assumed.length === 0 && firstVia.length === 0 && firstContext === context) sim.startedAtEntry = true;
  for (const c of assumed) channel.facts = new FactList(c.key, c.holds, channel.facts);
  // The lookup of priority 1 the caller already made (chan_pjsip's existence check) is not
  // repeated: its extension runs first, as the run loop's first step would (one priority spent).
  if (first) {
    channel.budget--;
    if (sim.execute(channel, first, firstContext, firstVia)) sim.run(channel);
  } else sim.run(channel);
  return sim;
}

const callerIdMatchSearches = new WeakMap<AsteriskModel, Map<string, boolean>>();
/** Whether a lookup in `context` (its extensions and, transitively, its includes') can meet a caller-ID match (`exten/cid`). */
function searchHasCallerIdMatches(model: AsteriskModel, context: string): boolean {
  let known = callerIdMatchSearches.get(model);
  if (!known) callerIdMatchSearches.set(model, (known = new Map()));
  let answer = known.get(context);
  if (answer === undefined) {
    const index = dialplanIndex(model);
    const seen = new Set<string>();
    const stack = [context];
    answer = false;
    while (stack.length && !answer) {
      const name = stack.pop()!;
      if (seen.has(name.toLowerCase())) continue;
      seen.add(name.toLowerCase());
      const ci = index.contexts.get(name);
      if (!ci) continue;
      answer = ci.sorted.some((e) => e.cid !== undefined);
      for (const inc of ci.context.includes) stack.push(inc.context);
    }
    known.set(context, answer);
  }
  return answer;
}

const callerIdMatchPlans = new WeakMap<AsteriskModel, boolean>();
/** Whether any extension of the dialplan has a caller-ID match. */
function dialplanHasCallerIdMatches(model: AsteriskModel): boolean {
  let answer = callerIdMatchPlans.get(model);
  if (answer === undefined) {
    answer = false;
    for (const ci of dialplanIndex(model).contexts.values()) if (ci.sorted.some((e) => e.cid !== undefined)) answer = true;
    callerIdMatchPlans.set(model, answer);
  }
  return answer;
}

/** One simulation of the dialplan from one starting point: every path it explores and how each ends. */
class Simulation implements PbxRun {
  /** The shared empty NO_OUTCOMES until the first path ends. */
  outcomes: RouteOutcome[] = NO_OUTCOMES;
  /** Shared and empty until the first note (most simulations make none). */
  notModelled: string[] = NOTHING_NOTED;
  /** Coverage: how many times a value from the dialled string was read (${EXTEN}, variables set from it). */
  dialledReads = 0;
  /** Where the dialplan's run lines are kept (DialplanExtension.runLines). */
  private readonly runs: RunStore;
  /**
   * Where each Set(CALLERID(num)=…) to a value known only at run time was made, and the caller
   * tag given to it on first use (see callerTagOf). Made with the first such Set: most
   * simulations have none, and a route query makes a simulation.
   */
  private callerSets: Map<Binding, { at?: SourceLocation; tag?: CallerTag }> | undefined = undefined;
  /** Coverage: the simulation started from chan_pjsip's own lookup, with nothing assumed (runDialplan at depth 0, under an observer). */
  startedAtEntry = false;

  constructor(
    readonly model: AsteriskModel,
    readonly request: RouteRequest,
    /** How many Local channels deep this simulation is. */
    private readonly depth: number,
  ) {
    this.runs = dialplanIndex(model).runs;
  }

  note(s: string): void {
    if (this.notModelled === NOTHING_NOTED) this.notModelled = [s];
    else if (!this.notModelled.includes(s)) this.notModelled.push(s);
  }

  /** The path ends: one outcome with the path's steps and conditions. */
  finish(ch: Channel, verdict: RouteOutcome['verdict'], status: number | null, reason: string, target: RouteTarget | null): void {
    if (this.outcomes.length >= PATH_BUDGET) return this.pathBudgetSpent();
    const outcome: RouteOutcome = { verdict, status, reason, target, steps: ch.stepsInOrder(), conditions: ch.conditions };
    // Most simulations end one way: an array of one, not one grown for more.
    if (this.outcomes === NO_OUTCOMES) this.outcomes = [outcome];
    else this.outcomes.push(outcome);
  }

  /** The call ends without being handed anywhere else: answered → routed to the last application; otherwise the cause decides. */
  hangup(ch: Channel, why: string): void {
    if (ch.answered) {
      this.finish(ch, 'routed', null, `answered by the PBX (${ch.lastApp ?? 'Answer'}), then ${why}`, { kind: 'application', name: ch.lastApp ?? 'Answer' });
      return;
    }
    const status = sipStatusForCause(ch.cause);
    this.finish(ch, 'rejected', status, `${why}; hangup cause ${causeName(ch.cause)} → SIP ${status} (chan_pjsip hangup_cause2sip${status === 603 ? '; no mapping gives 603' : ''})`, null);
  }

  /**
   * The lookup __ast_pbx_run makes for each priority (ast_spawn_extension / ast_exists_extension):
   * with the channel's caller number as it is now, so after Set(CALLERID(num)=…) a caller-ID
   * match is tested against the new number.
   */
  lookup(ch: Channel, exten: string, priority: number, precision: CellPrecision = 'winner'): FindBranch[] {
    return findExtension(this.model, this.findRequest(ch, ch.context, exten, priority, undefined, precision));
  }

  /**
   * A lookup from `ch` (E_MATCH, or E_FINDLABEL with `label`) with the channel's caller number as
   * it is now: known, the request's unknown one, or one Set at run time (tagged, callerTagOf).
   */
  findRequest(ch: Channel, context: string, exten: string, priority: number, label: string | undefined, precision: CellPrecision = 'winner', source: ExtenSource = exten === ch.exten ? ch.source : undefined): FindRequest {
    const callerId = ch.callerNumber();
    const req: FindRequest = { context, exten, callerId: callerId ?? undefined, callerUnknown: callerId == null, callerTag: callerId === null ? this.callerTagOf(ch) : undefined, facts: ch.facts, priority, mode: 'match', label, time: this.request.time };
    if (this.request.observe) {
      // Coverage: after Set(CALLERID(num)=${EXTEN}…) the caller number is the dialled one (or
      // built from it), and pbx_find_extension (main/pbx.c) tests each caller-ID match against it
      // (matchcid with the number __ast_pbx_run passes, S_COR(caller.id.number.valid, …)): a
      // test on the dialled string no cell states, whatever string is looked up.
      if (callerId !== null && ch.callerBinding()?.tainted && searchHasCallerIdMatches(this.model, context)) {
        this.request.observe.opaque(`the lookup of ${exten}@${context} matches caller IDs against a caller number set from the dialled number`);
      }
      if (source !== undefined) this.observeLookup(req, source, precision, ch);
    }
    return req;
  }

  /**
   * Coverage (PathObserver.literals' sameAs): whether `ch`, looking up `req`, is as chan_pjsip's
   * own lookup of the same name in the same context at priority 1 would leave a new channel, so
   * that what runs from the extension found (and so the answer) is the same as for that name
   * dialled into that context directly. The channel holds nothing a run could read besides its
   * context and extension name: no variable (nor a Set caller number), no Gosub/Macro frame, no
   * assumption or condition, not answered, no cause or DIALSTATUS; the lookup is at priority 1 by
   * E_MATCH; the simulation started from chan_pjsip's lookup with nothing assumed, has made no
   * note nor ended any other path, and is not a Local channel's. (A run reads of the request only
   * the caller number, time and registrations besides the dialled string, which the promise's
   * "the same request otherwise" covers.) The priorities spent before differ: what the name's own run spent is compared
   * with what this channel has left (reportLiterals' budgetLeft; one less, whether or not the
   * run loop has counted the priority this lookup is for).
   */
  entryLike(ch: Channel, req: FindRequest): boolean {
    return this.depth === 0 && this.startedAtEntry && req.priority === 1 && req.label === undefined && req.mode === 'match'
      && ch.vars === undefined && ch.stack === undefined && ch.facts === undefined && ch.conditions.length === 0 && !ch.answered && ch.cause === 0 && ch.dialstatus === undefined && !ch.dialstatusAtRunTime && ch.lastApp === undefined
      && this.callerSets === undefined && this.notModelled === NOTHING_NOTED && this.outcomes === NO_OUTCOMES;
  }

  /** Coverage: reports the lookup's cell over the dialled string (lookup-cells.ts). */
  observeLookup(req: FindRequest, source: Derivation | typeof OPAQUE, precision: CellPrecision, ch?: Channel): void {
    const observe = this.request.observe!;
    if (source === OPAQUE) {
      observe.opaque(`the lookup of ${req.exten}@${req.context} uses a string built from the dialled number in a way pbxlint does not model`);
      return;
    }
    const { cell, opaque } = lookupCell(this.model, req, precision);
    if (opaque) observe.opaque(opaque);
    // (Only where few dialled strings share the literal: Σ^offset of them.)
    if (cell.single !== undefined && source !== IDENTITY && source.offset >= 0 && source.offset <= 2) {
      // A literal's cell, seen through a derivation: the dialled string itself is a finer cell
      // (sound: every string of it takes the same branch), and the one coverage takes out cheaply.
      observe.test(singleString(this.request.user), `lookup of ${req.exten} in [${req.context}]`);
    } else {
      const plain = source.prefix === '' && source.offset === 0 && source.length === undefined;
      observe.test(plain ? cell : () => pullBack(cell, source) ?? cell, `lookup of ${req.exten} in [${req.context}]`);
      if (source.offset !== 0 || source.length !== undefined || source.prefix !== '') {
        // pullBack handles every Derivation compose() makes; a failure here would be a bug.
        if (pullBack(cell, source) === undefined) observe.opaque(`\${EXTEN:${source.offset}${source.length !== undefined ? `:${source.length}` : ''}} is not modelled`);
      }
    }
    // Right after the lookup's own test, which the hint is about (PathObserver.literals).
    if (cell.single !== undefined && observe.literals) reportLiterals(this.model, observe, req, source, ch !== undefined && this.entryLike(ch, req) ? { budgetLeft: ch.budget - 1 } : undefined);
  }

  /**
   * Which unknown number a lookup's caller-ID questions are about (find.ts CallerTag) when the
   * channel's number was Set at run time to a value pbxlint cannot know: that Set's, so what was
   * assumed about the caller before does not carry over. (The request's own number has none.)
   */
  callerTagOf(ch: Channel): CallerTag {
    const sets = (this.callerSets ??= new Map());
    const binding = ch.callerBinding()!;
    let set = sets.get(binding);
    if (set === undefined) sets.set(binding, (set = {}));
    if (set.tag === undefined) {
      const where = set.at ? `${set.at.file}:${set.at.line}` : 'run time';
      let n = 0;
      for (const s of sets.values()) if (s.tag) n++;
      set.tag = { key: `@${where}#${n + 1}`, subject: `the caller number set at ${where}` };
    }
    return set.tag;
  }

  exists(ch: Channel, exten: string): boolean {
    for (const b of this.lookup(ch, exten, 1, 'found')) if (b.kind !== 'none' && consistent(b.conditions, ch.facts)) return true;
    return false;
  }

  /** Said once the simulation has as many outcomes as it follows: the answer may miss ways. */
  pathBudgetSpent(): void {
    this.note(`more than ${PATH_BUDGET} ways through the dialplan: pbxlint followed the first ${PATH_BUDGET}, and the answer may miss others`);
  }

  /** Runs one path to its end (forks run to theirs, depth first). */
  run(ch: Channel): void {
    for (;;) {
      if (this.outcomes.length >= PATH_BUDGET) return this.pathBudgetSpent();
      if (--ch.budget < 0) {
        this.note('the dialplan loops (more than ' + STEP_BUDGET + ' priorities on one path)');
        this.finish(ch, 'rejected', null, `the dialplan loops through [${ch.context}] without ending; pbxlint stopped after ${STEP_BUDGET} priorities`, null);
        return;
      }
      // The sole literal found last time is found again for any of its priorities (nothing sorts before it).
      const cur = ch.current;
      if (cur && ch.context === ch.currentContext && ch.exten === ch.currentExten && cur.hasPriority(ch.priority)) {
        if (!this.execute(ch, cur, ch.context, NO_FIND_STEPS)) return;
        continue;
      }
      ch.current = undefined;
      if (!this.follow(ch, this.lookup(ch, ch.exten, ch.priority), executeBranch)) return;
    }
  }

  /**
   * Goes on from what a lookup found: where several branches fit what the channel has assumed,
   * each runs as a fork of its own (and false is returned); otherwise the channel assumes what the
   * one branch rests on and `go` takes it there (true: keep running it).
   */
  follow(ch: Channel, branches: FindBranch[], go: (sim: Simulation, ch: Channel, b: FindBranch) => boolean): boolean {
    let only: FindBranch | undefined;
    let possible = 0;
    for (const b of branches) {
      if (!consistent(b.conditions, ch.facts)) continue;
      only ??= b;
      possible++;
    }
    if (possible > 1) {
      for (const b of branches) {
        if (!consistent(b.conditions, ch.facts)) continue;
        const c = ch.fork(undefined, b.conditions);
        if (go(this, c, b)) this.run(c);
      }
      return false;
    }
    only ??= branches[0];
    for (const c of only.conditions) ch.assume(c);
    return go(this, ch, only);
  }

  /** Executes what a lookup found; returns true to keep running the same channel. */
  executeBranch(ch: Channel, b: FindBranch): boolean {
    if (b.kind === 'extension') return this.execute(ch, b.extension, b.context, b.steps);
    if (b.kind === 'switch') {
      this.note(`switch ${b.sw.data} (what it answers is decided at run time)`);
      this.finish(ch, 'routed', null, `handed to switch ${b.sw.data} in [${b.context}]`, { kind: 'switch', name: b.sw.data });
      return false;
    }
    return this.noPriority(ch);
  }

  /** No priority here: back from a Macro, the invalid-extension handler, or the end of the extension. */
  noPriority(ch: Channel): boolean {
    const frame = ch.stack;
    if (frame?.kind === 'macro' && ch.priority > 1) {
      ch.stack = frame.next;
      ch.resume(frame);
      return true;
    }
    if (!this.exists(ch, ch.exten)) {
      if (ch.exten !== 'i' && this.exists(ch, 'i')) {
        ch.addStep(new NoteStep({ file: this.model.dialplan.file ?? this.model.root, line: dialplanIndex(this.model).contexts.get(ch.context)?.context.locations[0].line ?? 1, kind: 'invalid', text: `no extension ${ch.exten} in [${ch.context}]: the PBX continues at extension i (INVALID_EXTEN=${ch.exten})`, context: ch.context }));
        ch.setVar('INVALID_EXTEN', ch.exten, ch.source !== undefined, ch.sourceDerivation());
        ch.exten = 'i';
        ch.source = undefined;
        ch.priority = 1;
        return true;
      }
      this.hangup(ch, `${ch.exten}@${ch.context} does not exist and [${ch.context}] has no "i" extension ("sent to invalid extension but no invalid handler")`);
      return false;
    }
    if (ch.answered) {
      this.hangup(ch, `the dialplan ends after priority ${ch.priority - 1} of ${ch.exten}@${ch.context}`);
      return false;
    }
    if (!this.model.dialplan.general.autofallthrough) {
      this.hangup(ch, `the dialplan ends (autofallthrough=no: Asterisk waits for more digits, then hangs up)`);
      return false;
    }
    // main/pbx.c __ast_pbx_run, autofallthrough: DIALSTATUS compared with strcasecmp —
    // CONGESTION/CHANUNAVAIL → indicate_congestion, BUSY → indicate_busy; chan_pjsip_indicate
    // answers an unanswered call 503 / 486.
    const status = ch.dialstatus?.toUpperCase();
    if (status === 'CHANUNAVAIL' || status === 'CONGESTION') {
      this.finish(ch, 'rejected', 503, `the dialplan ends with DIALSTATUS=${ch.dialstatus}; autofallthrough indicates congestion → 503 (chan_pjsip_indicate)`, null);
      return false;
    }
    if (status === 'BUSY') {
      this.finish(ch, 'rejected', 486, `the dialplan ends with DIALSTATUS=${ch.dialstatus}; autofallthrough indicates busy → 486 (chan_pjsip_indicate)`, null);
      return false;
    }
    if (ch.dialstatusAtRunTime) this.note('DIALSTATUS set to a value known only at run time: where the dialplan then ends, CONGESTION/CHANUNAVAIL would give 503 and BUSY 486 instead');
    this.hangup(ch, `the dialplan ends after priority ${ch.priority - 1} of ${ch.exten}@${ch.context} (autofallthrough)`);
    return false;
  }

  /**
   * Executes the channel's priority of `ext`, found in `context` (through `via`); returns true to
   * keep running the same channel. What a line without `${…}` works out the same every time is
   * kept in its RUN_MEMO slots: Set, the name and value (RUN_MEMO, RUN_MEMO2); a terminal
   * application, how it is shown and the outcome's reason; Dial, see dial().
   */
  execute(ch: Channel, ext: DialplanExtension, context: string, via: readonly FindStep[]): boolean {
    // The line as runLines() keeps it: what is read here is in one array (the Priority object
    // itself is only handed on, to steps and messages).
    const run = ext.runLines(this.runs);
    const at = ext.runIndex(ch.priority);
    const p = run[at + RUN_PRIORITY] as Priority;
    const appName = run[at + RUN_APP] as string;
    const args = run[at + RUN_ARGS] as string;
    const targets = run[at + RUN_TARGETS] as DialTarget[] | JumpTarget[] | undefined;
    ch.current = ext.soleLiteral && context === ch.context && via.length === 0 ? ext : undefined;
    ch.currentContext = ch.context;
    ch.currentExten = ch.exten;
    const info = appInfo(appName);
    const app = info.lower;
    const readsBefore = this.dialledReads;
    // The arguments with ${…} evaluated; `unknown` names what could not be. (Kept as two values,
    // not the result object, so the compiler can drop that object.)
    const { value, unknown } = run[at + RUN_STATIC] ? { value: args, unknown: NOTHING_UNKNOWN } : substitute(args, ch);
    // Coverage: an application whose arguments read the dialled number decides on it in a way
    // not modelled — except a jump (its extension is followed, see jump()), Set (the variable
    // carries the taint) and applications with no effect on where the call goes.
    if (this.dialledReads !== readsBefore && this.request.observe && info.action !== AppAction.Jump && info.action !== AppAction.Set && info.action !== AppAction.MSet && info.action !== AppAction.JumpIf && !(info.neutral && info.action === AppAction.Other)) {
      this.usesDialled(ch, ext, `${appName}(${args}) at ${shortLoc(p.location)} uses the dialled number`);
    }
    // What answered the call, for "routed → Playback(hello-world)" when it later hangs up.
    if (info.answering) ch.lastApp = `${info.opening}${unknown.length ? args : value})`;
    const evaluated = value !== args && !unknown.length ? value : undefined;
    const firstVia = ch.stepCount === 0 && via.length ? via : undefined;
    ch.addStep(evaluated === undefined && firstVia === undefined ? new PriorityStep(p, context, ext) : new PriorityStepWith(p, context, ext, evaluated, firstVia));

    switch (info.action) {
      case AppAction.Hangup: {
        const c = parseCause(value);
        ch.cause = c > 0 ? c : ch.cause > 0 ? ch.cause : CAUSE.NORMAL_CLEARING;
        this.hangup(ch, `Hangup(${args})`);
        return false;
      }
      case AppAction.Busy:
        if (ch.answered) return next(ch);
        this.finish(ch, 'rejected', 486, 'Busy() indicates busy before answer → 486 (chan_pjsip_indicate)', null);
        return false;
      case AppAction.Congestion:
        if (ch.answered) return next(ch);
        this.finish(ch, 'rejected', 503, 'Congestion() indicates congestion before answer → 503 (chan_pjsip_indicate)', null);
        return false;
      case AppAction.Jump:
        return this.jump(ch, p, app, value, lineJumps(targets, p)[0] ?? null);
      case AppAction.JumpIf: {
        const { condition } = splitCondition(args);
        const condReads = this.dialledReads;
        const cond = substitute(condition, ch);
        if (this.dialledReads !== condReads && this.request.observe) this.request.observe.opaque(`the condition of ${appName}(${args}) at ${shortLoc(p.location)} reads the dialled number`);
        const ifTrue = lineJumps(targets, p).find((j) => j.branch === 'true') ?? null;
        const ifFalse = lineJumps(targets, p).find((j) => j.branch === 'false') ?? null;
        if (!cond.unknown.length) return this.jump(ch, p, app, value, checkCondition(cond.value) ? ifTrue : ifFalse);
        this.note(`condition ${condition} of ${appName} (${p.location.file}:${p.location.line}) depends on ${cond.unknown.join(', ')}`);
        this.forkOnJump(ch, `${condition} is true`, ifTrue);
        this.forkOnJump(ch, `${condition} is false`, ifFalse);
        return false;
      }
      case AppAction.GotoIfTime: {
        const { condition } = splitCondition(args);
        const ifTrue = lineJumps(targets, p).find((j) => j.branch === 'true') ?? null;
        const ifFalse = lineJumps(targets, p).find((j) => j.branch === 'false') ?? null;
        if (this.request.time) return this.jump(ch, p, app, value, timingMatches(condition, this.request.time) ? ifTrue : ifFalse);
        this.forkOnJump(ch, `the time is within ${describeTiming(condition)}`, ifTrue);
        this.forkOnJump(ch, `the time is outside ${describeTiming(condition)}`, ifFalse);
        return false;
      }
      case AppAction.Return: {
        const frame = ch.stack;
        if (!frame) {
          this.hangup(ch, `${appName}() with nothing to return to (the application fails)`);
          return false;
        }
        ch.stack = frame.next;
        ch.resume(frame);
        return true;
      }
      case AppAction.Dial: {
        // A channel whose every destination failed continues at the next priority.
        const failed = this.dial(ch, p, args, value, unknown, targets as DialTarget[] | undefined, ext, at);
        if (failed) {
          failed.priority++;
          this.run(failed);
        }
        return false;
      }
      case AppAction.Set:
        if (run[at + RUN_STATIC]) {
          // Arguments without `${…}` assign the same every time: parsed once, the name and value
          // kept with the line ('' for a line that assigns nothing), so the arguments' text (a
          // slice of the whole file, elsewhere in memory) is not read again.
          let name = run[at + RUN_MEMO] as string | undefined;
          let assigned: string;
          if (name === undefined) {
            const a = parseAssignment(args);
            ext.remember(at, (name = a?.name ?? ''), (assigned = a?.value ?? ''));
          } else assigned = run[at + RUN_MEMO2] as string;
          if (name !== '') ch.setVar(name, assigned);
        } else this.assign(ch, args, false, p.location);
        return next(ch);
      case AppAction.MSet:
        for (const a of separateArgs(args)) this.assign(ch, a, run[at + RUN_STATIC] === true, p.location);
        return next(ch);
      default:
        break;
    }
    if (info.terminal) {
      // A line without `${…}` is shown the same every time: its texts are kept with it.
      // (The target too: one object for every answer it ends, which coverage keeps by the 100,000.)
      let shown = run[at + RUN_MEMO] as string | undefined;
      let reason: string;
      let target: RouteTarget;
      if (shown === undefined) {
        shown = `${info.opening}${unknown.length ? args : value})`;
        reason = `handed to ${shown}`;
        target = { kind: 'application', name: shown };
        if (run[at + RUN_STATIC]) ext.remember(at, shown, reason, target);
      } else {
        reason = run[at + RUN_MEMO2] as string;
        target = run[at + RUN_MEMO3] as RouteTarget;
      }
      this.finish(ch, 'routed', null, reason, target);
      return false;
    }
    if (info.answering) {
      const noAnswer = (app === 'playback' && /noanswer/i.test(args)) || (app === 'background' && /(^|,)[^,]*n/.test(separateArgs(args)[1] ?? ''));
      if (!noAnswer && app !== 'playtones') ch.answered = true;
      return next(ch);
    }
    if (!info.known) {
      // pbx_extension_helper: "No application '%s' for extension" → -1 → the channel hangs up
      // (unless a module outside Asterisk provides it; said in the answer).
      this.note(`${appName} (${p.location.file}:${p.location.line}) is not an Asterisk application; if no other module provides it, Asterisk hangs up there`);
      this.hangup(ch, `no application "${appName}" (Asterisk logs "No application '${appName}' for extension" and hangs up)`);
      return false;
    }
    if (!info.neutral) this.note(`application ${appName} (${p.location.file}:${p.location.line}) is assumed to return and continue`);
    return next(ch);
  }

  /** One `NAME=value` of Set()/MSet(); `isStatic`: the arguments hold no `$` (nothing to evaluate). */
  assign(ch: Channel, assignment: string, isStatic: boolean, at: SourceLocation): void {
    const a = parseAssignment(assignment);
    if (a === undefined) return;
    if (isStatic) {
      ch.setVar(a.name, a.value);
      return;
    }
    const reads = this.dialledReads;
    const v = substitute(a.value, ch);
    const tainted = this.dialledReads !== reads;
    ch.setVar(a.name, v.unknown.length ? undefined : v.value, tainted, tainted && !v.unknown.length && this.request.observe ? valueDerivation(ch, a.value) : undefined);
    // A caller number known only at run time: where it was set names the questions about it.
    if (v.unknown.length && a.name === 'CALLERID(num)') (this.callerSets ??= new Map()).set(ch.vars!, { at });
  }

  /** Goto/Gosub/Macro, or the branch GotoIf chose (null: no target, go on). Returns true to keep running. */
  jump(ch: Channel, p: Priority, app: string, evaluatedArgs: string, to: JumpTarget | null): boolean {
    if (!to) return next(ch);
    let target = to;
    // Coverage: where the target's extension comes from (undefined: it does not depend on the dialled string).
    let source: ExtenSource = to.extension === undefined ? ch.source : undefined;
    if (target.dynamic) {
      if (this.request.observe) source = this.jumpSource(ch, target, p);
      const resolved = parseGotoSpec(substitute(gotoSpecText(target), ch).value, target.app, target.location, target.returns, target.branch);
      if (!resolved || resolved.dynamic) {
        this.note(`${p.app} target built at run time (${p.location.file}:${p.location.line})`);
        this.finish(ch.fork(`the run-time target of ${p.app}(${p.args}) routes`), 'routed', null, `${p.app} to a destination known only at run time`, { kind: 'dynamic', name: `${p.app}(${p.args})` });
        this.finish(ch.fork(`the run-time target of ${p.app}(${p.args}) does not route`), 'rejected', null, `${p.app} to a destination known only at run time, which may not exist`, null);
        return false;
      }
      target = resolved;
    }
    const macro = app.startsWith('macro');
    if (target.returns) {
      ch.push(macro ? 'macro' : 'gosub');
      setArguments(ch, app, evaluatedArgs, this.request.observe ? this.argumentsReadingDialled(ch, app, p.args) : undefined);
    }
    if (target.returns && !macro && /^\d+$/.test(target.priority)) {
      // app_stack Gosub checks the destination first ("Attempt to reach a non-existent destination
      // for Gosub"): where it is missing (for some callers, at some times) the application fails.
      const ctx = target.context ?? ch.context;
      const ex = target.extension ?? ch.exten;
      const probe = findExtension(this.model, this.findRequest(ch, ctx, ex, parseInt(target.priority, 10), undefined, 'found', source));
      const fails = `Gosub to ${ex},${target.priority}@${ctx}, which does not exist (the application fails)`;
      return this.follow(ch, probe, (sim, c, b) => {
        if (b.kind !== 'none') return sim.jumpTo(c, target, p, source);
        sim.hangup(c, fails);
        return false;
      });
    }
    return this.jumpTo(ch, target, p, source);
  }

  /**
   * Coverage: an application's arguments read the dialled number, so the outcome may differ from
   * number to number. When the extension running matches few numbers (a finite pattern such as
   * `_1XXX`) and the channel's extension is the dialled number itself, each number is its own
   * cell — exact, and a handful of classes. Otherwise the class is not modelled, with `why`.
   */
  usesDialled(ch: Channel, ext: DialplanExtension, why: string): void {
    const observe = this.request.observe!;
    const src = ch.source;
    if (src !== undefined && src !== OPAQUE && src.prefix === '' && src.offset === 0 && src.length === undefined && fewMatches(ext.matchName)) {
      observe.test(singleString(this.request.user), why);
      return;
    }
    observe.opaque(why);
  }

  /**
   * Coverage: which of a Gosub's or Macro's arguments (as written) read the dialled number, so that
   * the ${ARGn} they become carry it as a Set variable does (Channel.lookup counts a read of one).
   * Without it a subroutine's VoiceMail(${ARG1}@…) called with ${EXTEN} was one outcome for a whole
   * pattern's class. Undefined: every argument is taken to read it (the written arguments and the
   * evaluated ones do not line up, a value having a comma).
   */
  argumentsReadingDialled(ch: Channel, app: string, raw: string): boolean[] | undefined {
    const before = this.dialledReads;
    const list = argumentList(app, raw);
    const out = list.map((a) => {
      const at = this.dialledReads;
      if (a.includes('$')) substitute(a, ch);
      return this.dialledReads !== at;
    });
    this.dialledReads = before;
    return out;
  }

  /**
   * Coverage: how a run-time jump target's extension derives from the dialled string —
   * `prefix${EXTEN:k:n}` is followed; a context or priority read from it, or an extension built
   * otherwise from it, is OPAQUE.
   */
  jumpSource(ch: Channel, target: JumpTarget, p: Priority): ExtenSource {
    const reads = (text: string | undefined) => {
      if (text === undefined || !text.includes('$')) return false;
      const before = this.dialledReads;
      substitute(text, ch);
      return this.dialledReads !== before;
    };
    if (reads(target.context) || reads(target.priority)) {
      this.request.observe!.opaque(`${p.app}(${p.args}) at ${shortLoc(p.location)} builds its context or priority from the dialled number`);
      return OPAQUE;
    }
    if (target.extension === undefined) return ch.source;
    if (!reads(target.extension)) return undefined;
    // `prefix${EXTEN:k:n}`, or the same of a variable Set from the number that way (Set(X=${EXTEN:1}), ${MACRO_EXTEN}).
    const t: ValueTemplate | undefined = extenTemplate(target.extension) ?? variableTemplate(target.extension);
    const from = t?.variable !== undefined ? ch.derivationOf(t.variable) : ch.source;
    if (t && from !== undefined && from !== OPAQUE) {
      const d = compose(from, t.prefix, t.offset, t.length);
      if (d === 'constant') return undefined;
      const empty = d && emptyPreimage(d);
      if (d && empty) {
        // An extension that comes out empty is the channel's own (pbx_parseable_goto): whether
        // it is empty is a test on the dialled string too.
        const isEmpty = substitute(target.extension, ch).value === '';
        this.request.observe!.test(isEmpty ? empty : complement(empty), `${p.app} target ${target.extension} is empty`);
        return isEmpty ? ch.source : d;
      }
    }
    return OPAQUE;
  }

  /**
   * Moves the channel to a jump's target; returns true to keep running it. A priority that is a
   * label is looked up as pbx_parseable_goto does (main/pbx.c pbx_parse_location →
   * ast_findlabel_extension with the channel's caller number): the whole pbx_find_extension
   * search, includes and switches too. Where that search forks (a timed include, a switch),
   * each way runs as its own channel and false is returned; a label not found ends the path.
   */
  jumpTo(ch: Channel, target: JumpTarget, at: { app: string; location: SourceLocation }, source: ExtenSource = target.extension === undefined ? ch.source : undefined): boolean {
    const ctx = target.context ?? ch.context;
    const exten = target.extension ?? ch.exten;
    let pri: number;
    const rel = /^([+-])(\d+)$/.exec(target.priority);
    if (rel) pri = ch.priority + (rel[1] === '+' ? 1 : -1) * parseInt(rel[2], 10);
    else if (/^\d+$/.test(target.priority)) pri = parseInt(target.priority, 10);
    else {
      const label = target.priority;
      return this.follow(ch, this.findLabel(ch, ctx, exten, label, source), (sim, c, b) => sim.toLabel(c, b, ctx, exten, label, at, source));
    }
    ch.context = ctx;
    ch.exten = exten;
    ch.priority = pri;
    ch.source = source;
    return true;
  }

  /**
   * `ast_findlabel_extension(chan, ctx, exten, label, callerid)` as pbx_parse_location calls it:
   * callerid is S_COR(caller.id.number.valid, caller.id.number.str, NULL), the channel's caller
   * number as it is now (Set(CALLERID(num)=…) changes it), not necessarily the request's.
   */
  findLabel(ch: Channel, context: string, exten: string, label: string, source: ExtenSource = exten === ch.exten ? ch.source : undefined): FindBranch[] {
    return findExtension(this.model, this.findRequest(ch, context, exten, 0, label, 'winner', source));
  }

  /** Goes on from one way a label lookup ended; true to keep running the channel at the label's priority. */
  toLabel(ch: Channel, b: FindBranch, context: string, exten: string, label: string, at: { app: string; location: SourceLocation }, source: ExtenSource): boolean {
    if (b.kind === 'extension') {
      // ast_explicit_goto sets context, extension and priority; the next lookup starts there.
      ch.context = context;
      ch.exten = exten;
      ch.source = source;
      ch.priority = b.extension.registeredLabels.get(label)!;
      return true;
    }
    if (b.kind === 'switch') {
      // pbx_extension_helper: a switch that claims the extension is executed (exec, priority 0)
      // and what it returns is taken as the label's priority.
      this.note(`switch ${b.sw.data}: when it claims ${exten} during the lookup of label "${label}", Asterisk runs the switch and takes what it returns as the priority (pbx_extension_helper); not modelled`);
      this.finish(ch, 'routed', null, `${at.app}: the lookup of label "${label}" is handed to switch ${b.sw.data} in [${b.context}]`, { kind: 'switch', name: b.sw.data });
      return false;
    }
    ch.addStep(new NoteStep({ file: at.location.file, line: at.location.line, column: at.location.column, kind: 'jump', text: `${at.app}: no label "${label}" in ${exten}@${context} — the application fails and the channel hangs up` }));
    this.hangup(ch, `${at.app} to a missing label`);
    return false;
  }

  /** One way of a condition pbxlint cannot decide: a fork that takes `target` (null: falls through). */
  forkOnJump(ch: Channel, condition: string, target: JumpTarget | null): void {
    const c = ch.fork(condition);
    if (this.afterJump(c, target)) this.run(c);
  }

  /** After a conditional jump: false when the jump ended the path. */
  afterJump(ch: Channel, target: JumpTarget | null): boolean {
    if (!target) {
      ch.priority++;
      return true;
    }
    if (target.returns) ch.push('gosub');
    if (target.dynamic) {
      this.finish(ch, 'routed', null, `jump to a destination known only at run time`, { kind: 'dynamic', name: `${target.app}` });
      return false;
    }
    return this.jumpTo(ch, target, target);
  }

  /**
   * Dial(): the first reachable destination routes the call; where reachability depends on a
   * registration pbxlint was not told about, the path forks. Returns the channel that goes on to
   * the next priority when every destination failed (at most one: each fork's registered side
   * ends the path there).
   */
  dial(ch: Channel, p: Priority, args: string, value: string, unknown: readonly string[], parsed: DialTarget[] | undefined, ext: DialplanExtension, at: number): Channel | undefined {
    if (unknown.length) return this.dialUnknown(ch, p, args, unknown);
    // A line's own arguments (no `${…}`): its destinations were worked out once, with the
    // reachability of PJSIP and SIP ones (it depends on the model alone); kept with the line.
    let first: DialDestination | null;
    let lastCause: number = CAUSE.NO_ROUTE_DESTINATION;
    if (value === args) {
      const run = ext.runLines(this.runs);
      const kept = run[at + RUN_MEMO] as Reachability | DialDestination | null | undefined;
      if (kept === undefined) {
        first = this.dialDestinations(parsed ?? p.dials);
        // One destination whose reachability the model alone decides (the usual line) is kept
        // as its parts, beside the line; anything else as the list of destinations.
        if (first !== null && first.next === null && !first.anyDynamic && first.reach !== undefined) ext.remember(at, first.reach, first.texts);
        else ext.remember(at, first);
      } else if (run[at + RUN_MEMO2] !== undefined) {
        const cause = this.destination(ch, p, run[at + RUN_MEMO2] as DialTexts, kept as Reachability);
        if (cause < 0) return undefined;
        return this.allFailed(ch, cause);
      } else first = kept as DialDestination | null;
    } else first = this.dialDestinations(dialsOf(p.app, value, p.location, p.appColumn));
    if (first?.anyDynamic) return this.dialUnknown(ch, p, args, unknown);
    for (let d = first; d !== null; d = d.next) {
      let cause: number;
      if (d.reach !== undefined) cause = this.destination(ch, p, d.texts!, d.reach);
      else {
        const r = this.reachability(d.target, d.tech, p, ch);
        cause = this.destination(ch, p, new DialTexts(d.raw, d.tech, r.why), r);
      }
      if (cause < 0) return undefined;
      lastCause = cause;
    }
    return this.allFailed(ch, lastCause);
  }

  /**
   * One destination of a Dial (`raw`, technology `tech` upper-cased, reachability `r`): -1 when
   * the call is routed there (the path ends), else the cause of its failure (the channel goes on
   * to the next destination).
   */
  destination(ch: Channel, p: Priority, texts: DialTexts, r: Reachability): number {
    const raw = texts.raw;
    if (r.state === 'unreachable') {
      ch.addStep(new DialFailureStep(p, raw, r.why, false));
      return r.cause;
    }
    if (r.state === 'reachable') {
      this.finish(ch, 'routed', null, texts.reaches, texts.target);
      return -1;
    }
    if (this.request.registered !== undefined) {
      if (isRegistered(this.request.registered, r.aors, r.aorLengths)) {
        this.finish(ch, 'routed', null, `${texts.reaches}; registered (--registered)`, texts.target);
        return -1;
      }
      ch.addStep(new DialFailureStep(p, raw, r.why, true));
      return r.causeIfNot;
    }
    this.finish(ch.fork(texts.registered), 'routed', null, texts.reachesRegistered, texts.target);
    // The channel itself goes on as the unregistered side.
    ch.addCondition(texts.notRegistered);
    ch.addStep(new DialFailureStep(p, raw, r.why, true));
    return r.causeIfNot;
  }

  /** After every destination of a Dial failed, the last with `lastCause`: the channel that goes on. */
  allFailed(ch: Channel, lastCause: number): Channel {
    // app_dial: DIALSTATUS=CHANUNAVAIL and the last failure's cause is copied to the caller.
    ch.setVar('DIALSTATUS', 'CHANUNAVAIL');
    ch.cause = lastCause;
    return ch;
  }

  /** A Dial whose destination is known only at run time: both ways. */
  dialUnknown(ch: Channel, p: Priority, args: string, unknown: readonly string[]): Channel {
    this.note(`Dial destination built at run time from ${unknown.join(', ')} (${p.location.file}:${p.location.line})`);
    const routed = ch.fork(`the run-time value of ${unknown.join(', ')} names a reachable destination`);
    this.finish(routed, 'routed', null, `Dial(${args}) to a destination known only at run time`, { kind: 'dynamic', name: args.split(',')[0] });
    const failed = ch.fork(`the run-time value of ${unknown.join(', ')} names no reachable destination`);
    failed.setVar('DIALSTATUS', 'CHANUNAVAIL');
    failed.cause = CAUSE.NO_ROUTE_DESTINATION;
    return failed;
  }

  /** Destinations as dial() reads them (see DialDestination), first to last; null when there are none. */
  dialDestinations(targets: readonly DialTarget[]): DialDestination | null {
    const dynamic = anyDynamic(targets);
    let d: DialDestination | null = null;
    for (let i = targets.length - 1; i >= 0; i--) {
      const t = targets[i];
      const tech = upper(t.tech);
      d = new DialDestination(dynamic, t, tech, t.raw, tech === 'PJSIP' ? pjsipEndpointReachability(this.model, t.resource) : tech === 'SIP' ? sipPeerReachability(this.model, t.resource) : undefined, d);
    }
    return d;
  }

  /**
   * The request a Local channel's dialplan run answers: its caller number is this channel's as it
   * is now. core_unreal.c ast_unreal_call_setup makes the ;2 channel's caller the ;1 channel's
   * connected line, which app_dial (dial_exec_full, ast_connected_line_copy_from_caller) made from
   * the dialling channel's caller — so after Set(CALLERID(num)=…) the Local channel's lookups
   * (core_local.c local_call's ast_exists_extension, then its own PBX) match that number.
   */
  localRequest(ch: Channel): RouteRequest {
    const set = ch.callerBinding();
    if (!set) return this.request;
    if (set.tainted && this.request.observe && dialplanHasCallerIdMatches(this.model)) {
      // Coverage: the Local channel's caller-ID matches would test a number built from the dialled one.
      this.request.observe.opaque('a Local channel matches caller IDs against a caller number set from the dialled number');
    }
    // A number known only at run time: the Local channel's caller is unknown (its lookups fork on it).
    return { ...this.request, callerId: set.value };
  }

  /** Whether one Dial() destination would get a channel. */
  reachability(t: DialTarget, tech: string, p: Priority, ch: Channel): Reachability {
    if (tech === 'PJSIP') return pjsipEndpointReachability(this.model, t.resource);
    if (tech === 'SIP') return sipPeerReachability(this.model, t.resource);
    if (tech === 'LOCAL') {
      if (this.depth >= MAX_LOCAL_DEPTH) {
        // Not "does not route": pbxlint stopped following, which says nothing about the dialplan.
        this.note(`Local channels nested deeper than ${MAX_LOCAL_DEPTH}: Local/${t.number ?? ''}@${t.resource} is not followed (${p.location.file}:${p.location.line})`);
        return { state: 'reachable', why: `Local/${t.number ?? ''}@${t.resource} (not followed: Local channels nested deeper than ${MAX_LOCAL_DEPTH})` };
      }
      const local = this.depth < MAX_LOCAL_DEPTH ? runDialplan(this.model, this.localRequest(ch), t.resource, t.number ?? '', NO_CONDITIONS, undefined, NO_FIND_STEPS, t.resource, this.depth + 1) : { outcomes: [], notModelled: [] };
      for (const n of local.notModelled) this.note(n);
      const anyRouted = local.outcomes.some((o) => o.verdict === 'routed');
      const allRouted = local.outcomes.length > 0 && local.outcomes.every((o) => o.verdict === 'routed');
      return allRouted
        ? { state: 'reachable', why: `Local/${t.number}@${t.resource} routes (${local.outcomes[0].reason})` }
        : anyRouted
          ? { state: 'registration', aors: [], aorLengths: 0, why: `Local/${t.number}@${t.resource} routes only under some conditions`, causeIfNot: CAUSE.NO_ROUTE_DESTINATION }
          : { state: 'unreachable', cause: CAUSE.NO_ROUTE_DESTINATION, why: `Local/${t.number}@${t.resource} does not route (${local.outcomes[0]?.reason ?? 'no such extension'})` };
    }
    this.note(`Dial to ${t.tech}/ channels is not checked (${p.location.file}:${p.location.line})`);
    return { state: 'reachable', why: `${t.tech} channel (not checked by pbxlint)` };
  }
}

/**
 * One destination of a Dial line as dial() reads it: the target, its technology upper-cased, its
 * text, its reachability when that depends on the model alone (else undefined), and the line's
 * next destination; `anyDynamic` is said of the whole line. A static line with several
 * destinations, or one whose reachability depends on more than the model, keeps its first one
 * (dial() keeps a plain one-destination line as its parts instead, in the line's own slots).
 */
class DialDestination {
  constructor(
    /** Some destination of the line is built at run time. */
    readonly anyDynamic: boolean,
    readonly target: DialTarget,
    readonly tech: string,
    readonly raw: string,
    readonly reach: Reachability | undefined,
    readonly next: DialDestination | null,
  ) {
    this.texts = reach !== undefined ? new DialTexts(raw, tech, reach.why) : undefined;
  }

  /** What answers say of it, when its reachability is known from the model (made once, with the line's memo). */
  readonly texts: DialTexts | undefined;
}

/** A run-time target as written, `context,extension,priority` (parts it lacks left out): made without an array per jump. */
function gotoSpecText(t: JumpTarget): string {
  let spec = t.context !== undefined ? `${t.context},` : '';
  if (t.extension !== undefined) spec += `${t.extension},`;
  return spec + t.priority;
}

/** A jumping line's targets, as runLines() keeps them (or from the line itself). */
function lineJumps(targets: DialTarget[] | JumpTarget[] | undefined, p: Priority): JumpTarget[] {
  return (targets as JumpTarget[] | undefined) ?? p.jumps;
}

/** `NAME=value` as Set() reads it: the variable's name as Set assigns it, and the value as written. */
class Assignment {
  constructor(
    readonly name: string,
    readonly value: string,
  ) {}
}

function parseAssignment(assignment: string): Assignment | undefined {
  const eq = assignment.indexOf('=');
  if (eq <= 0) return undefined;
  let name = assignment.slice(0, eq);
  // Trimmed only when an end may be white space (most names are plain ASCII without blanks).
  if (!plainEnd(name.charCodeAt(0)) || !plainEnd(name.charCodeAt(eq - 1))) name = name.trim();
  // `_NAME` and `__NAME` (inheritance) set NAME.
  if (name.charCodeAt(0) === 0x5f) name = name.replace(/^_+/, '');
  // Set(CALLERID(num)=…) changes what ${CALLERID(num)} reads afterwards (the length test spares
  // the regex for every other name).
  if ((name.length === 13 || name.length === 16) && name.charCodeAt(8) === 0x28 && /^callerid\((num|number)\)$/i.test(name)) name = 'CALLERID(num)';
  return new Assignment(name, assignment.slice(eq + 1));
}

/** A character String.prototype.trim never removes (printable ASCII). */
function plainEnd(c: number): boolean {
  return c > 0x20 && c < 0x7f;
}

/** How run() goes on from a lookup's branch (a module-level function: nothing allocated per lookup). */
function executeBranch(sim: Simulation, ch: Channel, b: FindBranch): boolean {
  return sim.executeBranch(ch, b);
}

/** The common way on: the next priority. */
function next(ch: Channel): boolean {
  ch.priority++;
  return true;
}

function anyDynamic(targets: readonly DialTarget[]): boolean {
  for (const t of targets) if (t.dynamic) return true;
  return false;
}

/**
 * What answers say of one Dial destination (`raw`, technology `tech`, reachability text `why`),
 * each text made when first asked. Kept with the line's memo (dial()), so every call of the line
 * gets the same strings and one target object: coverage keeps 100,000 answers' conditions and
 * targets, and shared ones cost the garbage collector nothing to move.
 */
class DialTexts {
  private _target: RouteTarget | undefined = undefined;
  private _reaches: string | undefined = undefined;
  private _reachesRegistered: string | undefined = undefined;
  private _registered: string | undefined = undefined;
  private _notRegistered: string | undefined = undefined;

  constructor(
    readonly raw: string,
    readonly tech: string,
    private readonly why: string,
  ) {}

  get target(): RouteTarget {
    return (this._target ??= { kind: this.tech === 'LOCAL' ? 'local' : 'endpoint', name: this.raw, detail: this.why });
  }

  get reaches(): string {
    return (this._reaches ??= `Dial reaches ${this.raw}: ${this.why}`);
  }

  get reachesRegistered(): string {
    return (this._reachesRegistered ??= `${this.reaches}; registered`);
  }

  get registered(): string {
    return (this._registered ??= `${this.raw} is registered`);
  }

  get notRegistered(): string {
    return (this._notRegistered ??= `${this.raw} is not registered`);
  }
}

/**
 * A step of a path. Each knows the step before it: a path's steps are an immutable list, newest
 * first, which a fork shares instead of copying, and which becomes an array of the exact size only
 * when the path ends (no array grown step by step).
 */
abstract class PathStep implements RouteStep {
  prev: PathStep | undefined = undefined;
  abstract readonly kind: string;
  abstract readonly file: string;
  abstract readonly line: number;
  abstract readonly text: string;
}

/** A step whose fields are known when it is made (kept as the plain RouteStep it serialises to). */
class NoteStep extends PathStep {
  constructor(private readonly step: RouteStep) {
    super();
  }

  get kind(): string {
    return this.step.kind;
  }

  get file(): string {
    return this.step.file;
  }

  get line(): number {
    return this.step.line;
  }

  get column(): number | undefined {
    return this.step.column;
  }

  get text(): string {
    return this.step.text;
  }

  get context(): string | undefined {
    return this.step.context;
  }

  toJSON(): RouteStep {
    return this.step;
  }
}

/**
 * One executed priority. Its text is built only when read: most simulations (rules, `pbxlint
 * test`, benchmarks) never print their steps. Serialises to a plain RouteStep.
 */
class PriorityStep extends PathStep {
  get kind(): string {
    return 'priority';
  }

  constructor(
    private readonly p: Priority,
    readonly context: string,
    /** The extension as registered (its name is read when the step is printed). */
    private readonly registered: DialplanExtension,
  ) {
    super();
  }

  /** The arguments after ${…} substitution, when that changed them. */
  get evaluatedArgs(): string | undefined {
    return undefined;
  }

  /** The includes/switches the lookup went through, on the first step of a path. */
  get via(): readonly FindStep[] | undefined {
    return undefined;
  }

  get extension(): string {
    return this.registered.name;
  }

  get file(): string {
    return this.p.file;
  }

  get line(): number {
    return this.p.line;
  }

  get column(): number {
    return this.p.column;
  }

  get priority(): number {
    return this.p.number;
  }

  get text(): string {
    const { app, args } = this.p;
    const via = this.via ? ` (via ${this.via.map((s) => `${s.text} at ${shortLoc(s.location)}`).join(', ')})` : '';
    const evaluated = this.evaluatedArgs;
    return `${app}(${args})${evaluated !== undefined ? ` → ${app}(${evaluated})` : ''}${via}`;
  }

  toJSON(): RouteStep {
    return { file: this.file, line: this.line, column: this.column, kind: this.kind, text: this.text, context: this.context, extension: this.extension, priority: this.priority };
  }
}

/** A priority step with evaluated arguments or the lookup's way there (most steps have neither, and are smaller without). */
class PriorityStepWith extends PriorityStep {
  constructor(
    p: Priority,
    context: string,
    registered: DialplanExtension,
    private readonly evaluated: string | undefined,
    private readonly lookupVia: readonly FindStep[] | undefined,
  ) {
    super(p, context, registered);
  }

  override get evaluatedArgs(): string | undefined {
    return this.evaluated;
  }

  override get via(): readonly FindStep[] | undefined {
    return this.lookupVia;
  }
}

/** A Dial() destination that got no channel; text built only when read, like PriorityStep's. */
class DialFailureStep extends PathStep {
  get kind(): string {
    return 'dial';
  }

  constructor(
    private readonly p: Priority,
    /** The destination as written (`PJSIP/1001`). */
    private readonly destination: string,
    private readonly why: string,
    private readonly unregistered: boolean,
  ) {
    super();
  }

  get file(): string {
    return this.p.location.file;
  }

  get line(): number {
    return this.p.location.line;
  }

  get column(): number {
    return this.p.appColumn;
  }

  get text(): string {
    return `${this.destination}: ${this.unregistered ? 'not registered — ' : ''}${this.why}`;
  }

  toJSON(): RouteStep {
    return { file: this.file, line: this.line, column: this.column, kind: this.kind, text: this.text };
  }
}

/** The arguments Macro(name,a,b) and Gosub(…(a,b)) pass (a, b). */
function argumentList(app: string, args: string): string[] {
  if (app.startsWith('macro')) return separateArgs(args).slice(1);
  const open = args.indexOf('(');
  return open >= 0 ? separateArgs(args.slice(open + 1, args.lastIndexOf(')') >= 0 ? args.lastIndexOf(')') : undefined)) : [];
}

/**
 * Macro(name,a,b) and Gosub(…(a,b)) set ${ARG1}, ${ARG2}…; Macro also ${MACRO_EXTEN} and
 * ${MACRO_CONTEXT}. `readsDialled`: coverage, which arguments as written read the dialled number
 * (Simulation.argumentsReadingDialled); each such ${ARGn} is tainted, all of them when the lists
 * do not line up.
 */
function setArguments(ch: Channel, app: string, args: string, readsDialled?: boolean[]): void {
  if (app.startsWith('macro')) {
    ch.setVar('MACRO_EXTEN', ch.exten, ch.source !== undefined, ch.sourceDerivation());
    ch.setVar('MACRO_CONTEXT', ch.context);
  }
  const list = argumentList(app, args);
  const aligned = readsDialled !== undefined && readsDialled.length === list.length;
  const anyReads = readsDialled !== undefined && readsDialled.includes(true);
  list.forEach((v, i) => ch.setVar(`ARG${i + 1}`, v.includes('${') ? undefined : v, aligned ? readsDialled[i] : anyReads));
}

/**
 * Coverage: how a value written `prefix${VAR:k:n}` derives from the dialled string, where VAR is
 * ${EXTEN} or a variable that holds a derivation of it (the same substring rules apply:
 * pbx_substitute_variables's substring of the variable's value).
 */
function valueDerivation(ch: Channel, text: string): Derivation | undefined {
  const t: ValueTemplate | undefined = extenTemplate(text) ?? variableTemplate(text);
  if (!t) return undefined;
  const from = t.variable !== undefined ? ch.derivationOf(t.variable) : ch.sourceDerivation();
  if (!from) return undefined;
  const d = compose(from, t.prefix, t.offset, t.length);
  return d === 'constant' ? undefined : d;
}

/** `prefix${EXTEN:k:n}` (no `variable`), or the same of another variable. */
interface ValueTemplate {
  prefix: string;
  variable?: string;
  offset?: number;
  length?: number;
}

/** `prefix${NAME}` / `prefix${NAME:k}` / `prefix${NAME:k:n}` of a variable other than EXTEN. */
function variableTemplate(text: string): { prefix: string; variable: string; offset?: number; length?: number } | undefined {
  const m = /^([^$]*)\$\{([A-Za-z_][A-Za-z0-9_]*)(?::(-?\d+)(?::(-?\d+))?)?\}$/.exec(text);
  // (The names Channel.lookup answers before the variables are not ones a Set changes.)
  if (!m || m[2] === 'EXTEN' || m[2] === 'CONTEXT' || m[2] === 'PRIORITY' || m[2] === 'DIALSTATUS') return undefined;
  return { prefix: m[1], variable: m[2], offset: m[3] === undefined ? undefined : parseInt(m[3], 10), length: m[4] === undefined ? undefined : parseInt(m[4], 10) };
}

function shortLoc(l: { file: string; line: number }): string {
  const slash = l.file.lastIndexOf('/');
  return `${slash >= 0 ? l.file.slice(slash + 1) : l.file}:${l.line}`;
}

