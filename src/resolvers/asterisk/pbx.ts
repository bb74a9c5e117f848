/**
 * An abstract interpreter of the dialplan, modelled on __ast_pbx_run (main/pbx.c): each priority
 * is looked up with pbx_find_extension (so a missing priority can fall through to another matching
 * extension, as in Asterisk), its application is applied to an abstract channel (answered or not,
 * hangup cause, DIALSTATUS, known variables, Gosub/Macro stack), and the run ends when the call is
 * handed to a device or application, or the channel hangs up. Whatever cannot be known offline (a
 * registration, the time of day, a variable read from a database) forks the run; each path ends in
 * one RouteOutcome with the conditions it rests on.
 */
import type { AsteriskModel, JumpTarget, Priority } from '../../model/asterisk';
import type { RouteOutcome, RouteRequest, RouteStep, RouteTarget } from '../types';
import { causeName, CAUSE, parseCause, sipStatusForCause } from './causes';
import { isRegistered, pjsipEndpointReachability, sipPeerReachability, type Reachability } from './channels';
import { dialplanIndex, type RegisteredExtension } from './dialplan-index';
import { checkCondition, substitute } from './expressions';
import { consistent, findExtension, type Condition, type FindBranch } from './find';
import { extensionMatches } from './pattern';
import { describeTiming, timingMatches } from './timing';
import { KNOWN_APPLICATIONS } from './known-applications';
import { dialsOf, parseGotoSpec, separateArgs, splitCondition } from '../../parsers/asterisk/applications';

const NO_FIND_STEPS: FindBranch['steps'] = [];
const NO_FIND_CONDITIONS: Condition[] = [];

/**
 * Case-folded application and technology names, cached: the same few names ("Dial", "PJSIP") are
 * folded for every priority of every simulation, and a fresh string each time would be hashed anew
 * by every Set lookup.
 */
const folded = new Map<string, string>();
function fold(s: string, up: boolean): string {
  const key = up ? `^${s}` : s;
  let f = folded.get(key);
  if (f === undefined) {
    f = up ? s.toUpperCase() : s.toLowerCase();
    if (folded.size < 10000) folded.set(key, f);
  }
  return f;
}
const lower = (s: string) => fold(s, false);
const upper = (s: string) => fold(s, true);

/** Priorities one path may execute before pbxlint calls it a loop. */
const STEP_BUDGET = 400;
/** Paths one simulation may explore. */
const PATH_BUDGET = 256;
/** Local channels followed into the dialplan (Local/x@ctx inside Local/…). */
const MAX_LOCAL_DEPTH = 3;

interface Frame {
  context: string;
  exten: string;
  priority: number;
  kind: 'gosub' | 'macro';
}

interface Channel {
  context: string;
  exten: string;
  priority: number;
  answered: boolean;
  cause: number;
  dialstatus?: string;
  vars: Map<string, string | undefined>;
  stack: Frame[];
  steps: RouteStep[];
  conditions: string[];
  /** What this path has assumed so far (condition key → holds), to prune contradictory branches. */
  facts: Map<string, boolean>;
  budget: number;
  lastApp?: string;
  /** The sole literal extension the last lookup found locally: later priorities come from it directly. */
  current?: RegisteredExtension;
  currentContext?: string;
  /** The lookup of priority 1 the caller already made (chan_pjsip's existence check): not repeated. */
  firstLookup?: FindBranch;
}

export interface PbxRun {
  outcomes: RouteOutcome[];
  notModelled: string[];
}

/** Apps that hand the call to something that answers it: the simulation ends "routed" there. */
const TERMINAL_APPS = new Set(['voicemail', 'voicemailmain', 'queue', 'confbridge', 'meetme', 'park', 'parkedcall', 'echo', 'stasis', 'directory', 'followme', 'page', 'chanspy', 'extenspy', 'disa', 'pickup', 'pickupchan', 'musiconhold', 'waitexten', 'agentlogin', 'agentrequest', 'bridge', 'bridgewait', 'festival', 'minivmrecord', 'minivmgreet', 'sms', 'receivefax', 'sendfax', 'milliwatt', 'authenticate', 'vmauthenticate']);
/** Apps that answer an unanswered channel (unless told not to) and return. */
const ANSWERING_APPS = new Set(['answer', 'playback', 'background', 'read', 'record', 'saydigits', 'saynumber', 'sayalpha', 'sayphonetic', 'sayunixtime', 'controlplayback', 'playtones']);
/** Apps with no effect on where the call goes. */
const NEUTRAL_APPS = new Set(['noop', 'verbose', 'log', 'wait', 'waitfornoise', 'waitforsilence', 'ringing', 'progress', 'stopplaytones', 'mixmonitor', 'stopmixmonitor', 'monitor', 'stopmonitor', 'resetcdr', 'forkcdr', 'nocdr', 'cdr_setuserfield', 'sipaddheader', 'sipremoveheader', 'pjsipaddheader', 'senddtmf', 'userevent', 'dumpchan', 'system', 'trysystem', 'setmusiconhold', 'set', 'mset', 'setvar', 'importvar', 'exportvar', 'setcallerpres', 'setamaflags', 'sendtext', 'sendimage', 'sendurl', 'playtones', 'raiseexception', 'celgenuserevent', 'statsd', 'jabbersend', 'dbput', 'dbdel', 'dbdeltree', 'speechcreate', 'speechdestroy', 'gosubif', 'pjsipnotify', 'startmusiconhold', 'stopmusiconhold', 'stopplaymf', 'playmf', 'waitdigit', 'channelredirect', 'softhangup', 'hangupcausesclear', 'resetcdr', 'amd', 'chanisavail', 'pjsip_hangup']);

export function runDialplan(model: AsteriskModel, request: RouteRequest, start: { context: string; exten: string; assumed?: Condition[]; firstLookup?: FindBranch }, depth = 0): PbxRun {
  const outcomes: RouteOutcome[] = [];
  const notModelled: string[] = [];
  const note = (s: string) => {
    if (!notModelled.includes(s)) notModelled.push(s);
  };
  const finish = (ch: Channel, o: Omit<RouteOutcome, 'steps' | 'conditions'>) => {
    if (outcomes.length < PATH_BUDGET) outcomes.push({ verdict: o.verdict, status: o.status, reason: o.reason, target: o.target, steps: ch.steps, conditions: ch.conditions });
  };
  const fork = (ch: Channel, condition?: string, assumed: Condition[] = []): Channel => {
    const facts = new Map(ch.facts);
    const conditions = condition ? [...ch.conditions, condition] : [...ch.conditions];
    for (const c of assumed) {
      if (!facts.has(c.key)) conditions.push(c.text);
      facts.set(c.key, c.holds);
    }
    return { ...ch, vars: new Map(ch.vars), stack: [...ch.stack], steps: [...ch.steps], conditions, facts };
  };
  const lookupVar = (ch: Channel) => (name: string): string | undefined => {
    if (name === 'EXTEN') return ch.exten;
    if (name === 'CONTEXT') return ch.context;
    if (name === 'PRIORITY') return String(ch.priority);
    if (name === 'DIALSTATUS') return ch.dialstatus;
    if (ch.vars.has(name)) return ch.vars.get(name);
    if (name === 'CALLERID(num)') return request.callerId;
    return model.dialplan.globals.get(name)?.value;
  };

  /** The call ends without being handed anywhere else: answered → routed to the last application; otherwise the cause decides. */
  const hangup = (ch: Channel, why: string) => {
    if (ch.answered) {
      finish(ch, { verdict: 'routed', status: null, reason: `answered by the PBX (${ch.lastApp ?? 'Answer'}), then ${why}`, target: { kind: 'application', name: ch.lastApp ?? 'Answer' } });
      return;
    }
    const status = sipStatusForCause(ch.cause);
    finish(ch, { verdict: 'rejected', status, reason: `${why}; hangup cause ${causeName(ch.cause)} → SIP ${status} (chan_pjsip hangup_cause2sip${status === 603 ? '; no mapping gives 603' : ''})`, target: null });
  };

  const exists = (ch: Channel, exten: string) => findExtension(model, { context: ch.context, exten, callerId: request.callerId, priority: 1, mode: 'match', time: request.time }).some((b) => b.kind !== 'none' && consistent(b.conditions, ch.facts));

  const step = (ch: Channel, p: Priority, ext: RegisteredExtension, context: string, evaluatedArgs: string | undefined, via?: FindBranch) => {
    const viaText = via && via.steps.length ? ` (via ${via.steps.map((s) => `${s.text} at ${shortLoc(s.location)}`).join(', ')})` : '';
    ch.steps.push(new PriorityStep(p, context, ext.name, evaluatedArgs, viaText));
  };

  const jumpTo = (ch: Channel, target: JumpTarget, at: Priority): 'ok' | 'fail' => {
    const ctx = target.context ?? ch.context;
    const exten = target.extension ?? ch.exten;
    let pri: number;
    const rel = /^([+-])(\d+)$/.exec(target.priority);
    if (rel) pri = ch.priority + (rel[1] === '+' ? 1 : -1) * parseInt(rel[2], 10);
    else if (/^\d+$/.test(target.priority)) pri = parseInt(target.priority, 10);
    else {
      const label = findLabel(model, ctx, exten, target.priority);
      if (label === undefined) {
        ch.steps.push({ file: at.location.file, line: at.location.line, column: at.location.column, kind: 'jump', text: `${at.app}: no label "${target.priority}" in ${exten}@${ctx} — the application fails and the channel hangs up` });
        return 'fail';
      }
      pri = label;
    }
    ch.context = ctx;
    ch.exten = exten;
    ch.priority = pri;
    return 'ok';
  };

  /** Dial(): fork on registration where unknown; the first reachable destination routes the call. */
  const dial = (ch: Channel, p: Priority, args: string): Channel[] => {
    // Static arguments were parsed when the dialplan loaded; only `${…}` needs a fresh parse.
    const sub = args.includes('$') ? substitute(args, lookupVar(ch)) : { value: args, unknown: [] as string[] };
    const targets = sub.value === args ? p.dials : dialsOf(p.app, sub.value, p.location, p.appColumn);
    if (sub.unknown.length || targets.some((t) => t.dynamic)) {
      note(`Dial destination built at run time from ${sub.unknown.join(', ')} (${p.location.file}:${p.location.line})`);
      const routed = fork(ch, `the run-time value of ${sub.unknown.join(', ')} names a reachable destination`);
      finish(routed, { verdict: 'routed', status: null, reason: `Dial(${args}) to a destination known only at run time`, target: { kind: 'dynamic', name: args.split(',')[0] } });
      const failed = fork(ch, `the run-time value of ${sub.unknown.join(', ')} names no reachable destination`);
      failed.dialstatus = 'CHANUNAVAIL';
      failed.cause = CAUSE.NO_ROUTE_DESTINATION;
      return [failed];
    }
    let states: { ch: Channel; reached?: { target: RouteTarget; why: string } }[] = [{ ch }];
    let lastCause: number = CAUSE.NO_ROUTE_DESTINATION;
    for (const t of targets) {
      const tech = upper(t.tech);
      const next: typeof states = [];
      for (const s of states) {
        if (s.reached) {
          next.push(s);
          continue;
        }
        let r: Reachability;
        if (tech === 'PJSIP') r = pjsipEndpointReachability(model, t.resource);
        else if (tech === 'SIP') r = sipPeerReachability(model, t.resource);
        else if (tech === 'LOCAL') {
          const localOutcomes = depth < MAX_LOCAL_DEPTH ? runDialplan(model, request, { context: t.resource, exten: t.number ?? '' }, depth + 1) : { outcomes: [], notModelled: [] };
          localOutcomes.notModelled.forEach(note);
          const anyRouted = localOutcomes.outcomes.some((o) => o.verdict === 'routed');
          const allRouted = localOutcomes.outcomes.length > 0 && localOutcomes.outcomes.every((o) => o.verdict === 'routed');
          r = allRouted
            ? { state: 'reachable', why: `Local/${t.number}@${t.resource} routes (${localOutcomes.outcomes[0].reason})` }
            : anyRouted
              ? { state: 'registration', aors: [], why: `Local/${t.number}@${t.resource} routes only under some conditions`, causeIfNot: CAUSE.NO_ROUTE_DESTINATION }
              : { state: 'unreachable', cause: CAUSE.NO_ROUTE_DESTINATION, why: `Local/${t.number}@${t.resource} does not route (${localOutcomes.outcomes[0]?.reason ?? 'no such extension'})` };
        } else {
          note(`Dial to ${t.tech}/ channels is not checked (${p.location.file}:${p.location.line})`);
          r = { state: 'reachable', why: `${t.tech} channel (not checked by pbxlint)` };
        }
        const target: RouteTarget = { kind: tech === 'LOCAL' ? 'local' : 'endpoint', name: t.raw, detail: r.why };
        if (r.state === 'reachable') next.push({ ch: s.ch, reached: { target, why: r.why } });
        else if (r.state === 'unreachable') {
          lastCause = r.cause;
          s.ch.steps.push({ file: p.location.file, line: p.location.line, column: p.appColumn, kind: 'dial', text: `${t.raw}: ${r.why}` });
          next.push(s);
        } else if (request.registered !== undefined) {
          if (isRegistered(request.registered, r.aors)) next.push({ ch: s.ch, reached: { target, why: `${r.why}; registered (--registered)` } });
          else {
            lastCause = r.causeIfNot;
            s.ch.steps.push({ file: p.location.file, line: p.location.line, column: p.appColumn, kind: 'dial', text: `${t.raw}: not registered — ${r.why}` });
            next.push(s);
          }
        } else {
          const reg = fork(s.ch, `${t.raw} is registered`);
          next.push({ ch: reg, reached: { target, why: `${r.why}; registered` } });
          const unreg = fork(s.ch, `${t.raw} is not registered`);
          unreg.steps.push({ file: p.location.file, line: p.location.line, column: p.appColumn, kind: 'dial', text: `${t.raw}: not registered — ${r.why}` });
          next.push({ ch: unreg });
        }
      }
      states = next;
    }
    const continuing: Channel[] = [];
    for (const s of states) {
      if (s.reached) {
        finish(s.ch, { verdict: 'routed', status: null, reason: `Dial reaches ${s.reached.target.name}: ${s.reached.why}`, target: s.reached.target });
      } else {
        // app_dial: every destination failed; DIALSTATUS=CHANUNAVAIL and the last failure's cause is copied to the caller.
        s.ch.dialstatus = 'CHANUNAVAIL';
        s.ch.cause = lastCause;
        continuing.push(s.ch);
      }
    }
    return continuing;
  };

  const run = (ch: Channel): void => {
    for (;;) {
      if (outcomes.length >= PATH_BUDGET) return;
      if (--ch.budget < 0) {
        note('the dialplan loops (more than ' + STEP_BUDGET + ' priorities on one path)');
        finish(ch, { verdict: 'rejected', status: null, reason: `the dialplan loops through [${ch.context}] without ending; pbxlint stopped after ${STEP_BUDGET} priorities`, target: null });
        return;
      }
      // pbx_find_extension would find the same sole literal again (nothing sorts before it).
      if (ch.firstLookup) {
        const first = ch.firstLookup;
        ch.firstLookup = undefined;
        if (!execute(ch, first)) return;
        continue;
      }
      const cur = ch.current;
      if (cur && ch.context === ch.currentContext && ch.exten === cur.matchName && cur.hasPriority(ch.priority)) {
        if (!execute(ch, { kind: 'extension', extension: cur, context: ch.context, steps: NO_FIND_STEPS, conditions: NO_FIND_CONDITIONS })) return;
        continue;
      }
      ch.current = undefined;
      const branches = findExtension(model, { context: ch.context, exten: ch.exten, callerId: request.callerId, priority: ch.priority, mode: 'match', time: request.time });
      const possible = branches.filter((b) => consistent(b.conditions, ch.facts));
      if (possible.length > 1) {
        for (const b of possible) {
          const c = fork(ch, undefined, b.conditions);
          if (execute(c, b)) run(c);
        }
        return;
      }
      const only = possible[0] ?? branches[0];
      for (const c of only.conditions) {
        if (!ch.facts.has(c.key)) ch.conditions.push(c.text);
        ch.facts.set(c.key, c.holds);
      }
      if (!execute(ch, only)) return;
    }
  };

  /** Executes the priority a lookup found; returns true to keep running the same channel. */
  const execute = (ch: Channel, b: FindBranch): boolean => {
    if (b.kind === 'switch') {
      note(`switch ${b.sw.data} (what it answers is decided at run time)`);
      finish(ch, { verdict: 'routed', status: null, reason: `handed to switch ${b.sw.data} in [${b.context}]`, target: { kind: 'switch', name: b.sw.data } });
      return false;
    }
    if (b.kind === 'none') {
      // No priority here: back from a Macro, the invalid-extension handler, or the end of the extension.
      const frame = ch.stack[ch.stack.length - 1];
      if (frame?.kind === 'macro' && ch.priority > 1) {
        ch.stack.pop();
        ch.context = frame.context;
        ch.exten = frame.exten;
        ch.priority = frame.priority;
        return true;
      }
      if (!exists(ch, ch.exten)) {
        if (ch.exten !== 'i' && exists(ch, 'i')) {
          ch.steps.push({ file: model.dialplan.file ?? model.root, line: dialplanIndex(model).contexts.get(ch.context)?.context.locations[0].line ?? 1, kind: 'invalid', text: `no extension ${ch.exten} in [${ch.context}]: the PBX continues at extension i (INVALID_EXTEN=${ch.exten})`, context: ch.context });
          ch.vars.set('INVALID_EXTEN', ch.exten);
          ch.exten = 'i';
          ch.priority = 1;
          return true;
        }
        hangup(ch, `${ch.exten}@${ch.context} does not exist and [${ch.context}] has no "i" extension ("sent to invalid extension but no invalid handler")`);
        return false;
      }
      if (ch.answered) {
        hangup(ch, `the dialplan ends after priority ${ch.priority - 1} of ${ch.exten}@${ch.context}`);
        return false;
      }
      if (!model.dialplan.general.autofallthrough) {
        hangup(ch, `the dialplan ends (autofallthrough=no: Asterisk waits for more digits, then hangs up)`);
        return false;
      }
      if (ch.dialstatus === 'CHANUNAVAIL' || ch.dialstatus === 'CONGESTION') {
        finish(ch, { verdict: 'rejected', status: 503, reason: `the dialplan ends after a failed Dial (DIALSTATUS=${ch.dialstatus}); autofallthrough indicates congestion → 503 (chan_pjsip_indicate)`, target: null });
        return false;
      }
      if (ch.dialstatus === 'BUSY') {
        finish(ch, { verdict: 'rejected', status: 486, reason: 'the dialplan ends after a busy Dial; autofallthrough indicates busy → 486', target: null });
        return false;
      }
      hangup(ch, `the dialplan ends after priority ${ch.priority - 1} of ${ch.exten}@${ch.context} (autofallthrough)`);
      return false;
    }
    const ext = b.extension;
    const p = ext.priorities.get(ch.priority)!;
    ch.current = ext.soleLiteral && b.context === ch.context && b.steps.length === 0 ? ext : undefined;
    ch.currentContext = ch.context;
    const app = lower(p.app);
    const known = substitute(p.args, lookupVar(ch));
    // What answered the call, for "routed → Playback(hello-world)" when it later hangs up.
    if (ANSWERING_APPS.has(app)) ch.lastApp = `${p.app}(${known.unknown.length ? p.args : known.value})`;
    step(ch, p, ext, b.context, known.value !== p.args && !known.unknown.length ? known.value : undefined, ch.steps.length === 0 ? b : undefined);
    const next = () => {
      ch.priority++;
      return true;
    };
    const doJump = (target: JumpTarget | null): boolean => {
      if (!target) return next();
      if (target.dynamic) {
        const resolved = parseGotoSpec(substitute([target.context, target.extension, target.priority].filter((x) => x !== undefined).join(','), lookupVar(ch)).value, target.app, target.location, target.returns, target.branch);
        if (!resolved || resolved.dynamic) {
          note(`${p.app} target built at run time (${p.location.file}:${p.location.line})`);
          finish(fork(ch, `the run-time target of ${p.app}(${p.args}) routes`), { verdict: 'routed', status: null, reason: `${p.app} to a destination known only at run time`, target: { kind: 'dynamic', name: `${p.app}(${p.args})` } });
          finish(fork(ch, `the run-time target of ${p.app}(${p.args}) does not route`), { verdict: 'rejected', status: null, reason: `${p.app} to a destination known only at run time, which may not exist`, target: null });
          return false;
        }
        target = resolved;
      }
      if (target.returns) {
        ch.stack.push({ context: ch.context, exten: ch.exten, priority: ch.priority + 1, kind: app.startsWith('macro') ? 'macro' : 'gosub' });
        setArguments(ch, app, known.value);
      }
      if (target.returns && !app.startsWith('macro')) {
        // app_stack Gosub checks the destination first ("Attempt to reach a non-existent destination for Gosub").
        const ctx = target.context ?? ch.context;
        const ex = target.extension ?? ch.exten;
        const probe = findExtension(model, { context: ctx, exten: ex, callerId: request.callerId, priority: /^\d+$/.test(target.priority) ? parseInt(target.priority, 10) : 1, mode: 'match', time: request.time });
        if (probe.every((x) => x.kind === 'none') && /^\d+$/.test(target.priority)) {
          hangup(ch, `Gosub to ${ex},${target.priority}@${ctx}, which does not exist (the application fails)`);
          return false;
        }
      }
      if (jumpTo(ch, target, p) === 'fail') {
        hangup(ch, `${p.app} to a missing label`);
        return false;
      }
      return true;
    };

    switch (app) {
      case 'hangup': {
        const c = parseCause(known.value);
        ch.cause = c > 0 ? c : ch.cause > 0 ? ch.cause : CAUSE.NORMAL_CLEARING;
        hangup(ch, `Hangup(${p.args})`);
        return false;
      }
      case 'busy':
        if (ch.answered) return next();
        finish(ch, { verdict: 'rejected', status: 486, reason: 'Busy() indicates busy before answer → 486 (chan_pjsip_indicate)', target: null });
        return false;
      case 'congestion':
        if (ch.answered) return next();
        finish(ch, { verdict: 'rejected', status: 503, reason: 'Congestion() indicates congestion before answer → 503 (chan_pjsip_indicate)', target: null });
        return false;
      case 'goto':
        return doJump(p.jumps[0] ?? null);
      case 'gotoif':
      case 'gosubif': {
        const { condition } = splitCondition(p.args);
        const cond = substitute(condition, lookupVar(ch));
        const ifTrue = p.jumps.find((j) => j.branch === 'true') ?? null;
        const ifFalse = p.jumps.find((j) => j.branch === 'false') ?? null;
        if (!cond.unknown.length) return doJump(checkCondition(cond.value) ? ifTrue : ifFalse);
        note(`condition ${condition} of ${p.app} (${p.location.file}:${p.location.line}) depends on ${cond.unknown.join(', ')}`);
        const t = fork(ch, `${condition} is true`);
        if (runAfterJump(t, ifTrue)) run(t);
        const f = fork(ch, `${condition} is false`);
        if (runAfterJump(f, ifFalse)) run(f);
        return false;
      }
      case 'gotoiftime': {
        const { condition } = splitCondition(p.args);
        const ifTrue = p.jumps.find((j) => j.branch === 'true') ?? null;
        const ifFalse = p.jumps.find((j) => j.branch === 'false') ?? null;
        if (request.time) return doJump(timingMatches(condition, request.time) ? ifTrue : ifFalse);
        const t = fork(ch, `the time is within ${describeTiming(condition)}`);
        if (runAfterJump(t, ifTrue)) run(t);
        const f = fork(ch, `the time is outside ${describeTiming(condition)}`);
        if (runAfterJump(f, ifFalse)) run(f);
        return false;
      }
      case 'gosub':
      case 'macro':
      case 'macroexclusive':
        return doJump(p.jumps[0] ?? null);
      case 'return':
      case 'macroexit': {
        const frame = ch.stack.pop();
        if (!frame) {
          hangup(ch, `${p.app}() with nothing to return to (the application fails)`);
          return false;
        }
        ch.context = frame.context;
        ch.exten = frame.exten;
        ch.priority = frame.priority;
        return true;
      }
      case 'dial':
        // Channels whose every destination failed continue at the next priority.
        for (const failed of dial(ch, p, p.args)) {
          failed.priority++;
          run(failed);
        }
        return false;
      case 'set':
      case 'mset': {
        const assignments = app === 'set' ? [p.args] : separateArgs(p.args);
        for (const a of assignments) {
          const eq = a.indexOf('=');
          if (eq <= 0) continue;
          let name = a.slice(0, eq).trim().replace(/^_+/, '');
          // Set(CALLERID(num)=…) changes what ${CALLERID(num)} reads afterwards.
          if (/^callerid\((num|number)\)$/i.test(name)) name = 'CALLERID(num)';
          const v = substitute(a.slice(eq + 1), lookupVar(ch));
          ch.vars.set(name, v.unknown.length ? undefined : v.value);
        }
        return next();
      }
      default:
        break;
    }
    if (TERMINAL_APPS.has(app)) {
      const shown = `${p.app}(${known.unknown.length ? p.args : known.value})`;
      finish(ch, { verdict: 'routed', status: null, reason: `handed to ${shown}`, target: { kind: 'application', name: shown } });
      return false;
    }
    if (ANSWERING_APPS.has(app)) {
      const noAnswer = (app === 'playback' && /noanswer/i.test(p.args)) || (app === 'background' && /(^|,)[^,]*n/.test(separateArgs(p.args)[1] ?? ''));
      if (!noAnswer && app !== 'playtones') ch.answered = true;
      return next();
    }
    if (!KNOWN_APPLICATIONS.has(app) && !app.includes('$')) {
      // pbx_extension_helper: "No application '%s' for extension" → -1 → the channel hangs up
      // (unless a module outside Asterisk provides it; said in the answer).
      note(`${p.app} (${p.location.file}:${p.location.line}) is not an Asterisk application; if no other module provides it, Asterisk hangs up there`);
      hangup(ch, `no application "${p.app}" (Asterisk logs "No application '${p.app}' for extension" and hangs up)`);
      return false;
    }
    if (!NEUTRAL_APPS.has(app)) note(`application ${p.app} (${p.location.file}:${p.location.line}) is assumed to return and continue`);
    return next();
  };

  /** After a conditional jump: false when the jump ended the path. */
  const runAfterJump = (ch: Channel, target: JumpTarget | null): boolean => {
    if (!target) {
      ch.priority++;
      return true;
    }
    const ctx = target.context ?? ch.context;
    if (target.returns) ch.stack.push({ context: ch.context, exten: ch.exten, priority: ch.priority + 1, kind: 'gosub' });
    if (target.dynamic) {
      finish(ch, { verdict: 'routed', status: null, reason: `jump to a destination known only at run time`, target: { kind: 'dynamic', name: `${target.app}` } });
      return false;
    }
    const at = { ...({} as Priority), app: target.app, location: target.location, appColumn: target.location.column } as Priority;
    if (jumpTo(ch, { ...target, context: ctx }, at) === 'fail') {
      hangup(ch, `${target.app} to a missing label`);
      return false;
    }
    return true;
  };

  const facts = new Map<string, boolean>();
  for (const c of start.assumed ?? []) facts.set(c.key, c.holds);
  const channel: Channel = { context: start.context, exten: start.exten, priority: 1, answered: false, cause: 0, vars: new Map(), stack: [], steps: [], conditions: [], facts, budget: STEP_BUDGET, firstLookup: start.firstLookup };
  run(channel);
  return { outcomes, notModelled };
}

/**
 * One executed priority. Its text is built only when read: most simulations (rules, `pbxlint
 * test`, benchmarks) never print their steps. Serialises to a plain RouteStep.
 */
class PriorityStep implements RouteStep {
  readonly kind = 'priority';

  constructor(
    private readonly p: Priority,
    readonly context: string,
    readonly extension: string,
    /** The arguments after ${…} substitution, when that changed them. */
    private readonly evaluatedArgs: string | undefined,
    private readonly via: string,
  ) {}

  get file(): string {
    return this.p.location.file;
  }

  get line(): number {
    return this.p.location.line;
  }

  get column(): number {
    return this.p.location.column;
  }

  get priority(): number {
    return this.p.number;
  }

  get text(): string {
    const { app, args } = this.p;
    return `${app}(${args})${this.evaluatedArgs !== undefined ? ` → ${app}(${this.evaluatedArgs})` : ''}${this.via}`;
  }

  toJSON(): RouteStep {
    return { file: this.file, line: this.line, column: this.column, kind: this.kind, text: this.text, context: this.context, extension: this.extension, priority: this.priority };
  }
}

/** Macro(name,a,b) and Gosub(…(a,b)) set ${ARG1}, ${ARG2}…; Macro also ${MACRO_EXTEN} and ${MACRO_CONTEXT}. */
function setArguments(ch: Channel, app: string, args: string): void {
  let list: string[];
  if (app.startsWith('macro')) {
    list = separateArgs(args).slice(1);
    ch.vars.set('MACRO_EXTEN', ch.exten);
    ch.vars.set('MACRO_CONTEXT', ch.context);
  } else {
    const open = args.indexOf('(');
    list = open >= 0 ? separateArgs(args.slice(open + 1, args.lastIndexOf(')') >= 0 ? args.lastIndexOf(')') : undefined)) : [];
  }
  list.forEach((v, i) => ch.vars.set(`ARG${i + 1}`, v.includes('${') ? undefined : v));
}

function shortLoc(l: { file: string; line: number }): string {
  const slash = l.file.lastIndexOf('/');
  return `${slash >= 0 ? l.file.slice(slash + 1) : l.file}:${l.line}`;
}

/** E_FINDLABEL: the first extension matching `exten` in `context` that carries `label`. */
export function findLabel(model: AsteriskModel, context: string, exten: string, label: string): number | undefined {
  const ci = dialplanIndex(model).contexts.get(context);
  if (!ci) return undefined;
  for (const e of ci.sorted) if (extensionMatches(e.matchName, exten, 'match') && e.labels.has(label)) return e.labels.get(label);
  return undefined;
}
