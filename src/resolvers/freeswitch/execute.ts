/**
 * Runs the applications the hunt collected, in order, the way the channel's EXECUTE state does
 * (switch_core_state_machine.c switch_core_standard_on_execute), modelling what decides the SIP
 * answer: `transfer` (restarts routing: mod_dptools transfer_function → switch_ivr_session_transfer),
 * `bridge` (mod_dptools audio_bridge_function; user/ legs through user_outgoing_channel, sofia/
 * legs through mod_sofia sofia_outgoing_channel), `respond`, `hangup`, `answer` and the
 * applications that take the call. A call that runs out of applications unanswered is hung up with
 * NORMAL_CLEARING; the caller gets what mod_sofia.c hangup_cause_to_sip maps the cause to.
 */
import type { SofiaProfile } from '../../model/freeswitch';
import { switchTrue } from '../../parsers/freeswitch/build';
import type { RouteOutcome, RouteTarget } from '../types';
import { causeFromString, causeName, hangupCauseToSip } from './causes';
import { expandVariables, findDomain, findUser, isUnknown, shown } from './expand';
import { canFork, cloneWorld, conditionsOf, findContext, hunt, lookupIn, templateEnvOf, trackSet, type CallerProfile, type CollectedAction, type HuntEnv, type World } from './hunt';
import { applyDeriv, describeDerived, isOpaque, pullBack as pullBackOps, type Deriv } from '../../coverage/derive';
import { observeRespond, observeShape, templateSym, caseFold } from './observe';
import { compile, complement, difference, union, EMPTY, type Dfa } from '../../automata/dfa';
import type { DirectoryDomain, DirectoryUser } from '../../model/freeswitch';

export interface Call {
  w: World;
  p: CallerProfile;
  answered: boolean;
  /** The application that answered (for the routed target). */
  answeredBy?: string;
  transfers: number;
  profile?: SofiaProfile;
}

/** Applications that take the call and keep it (answering it themselves): the call is routed to them. */
const TAKING_APPS = new Set([
  'voicemail', 'conference', 'ivr', 'fifo', 'valet_park', 'echo', 'delay_echo', 'park', 'socket', 'rxfax', 'txfax', 'eavesdrop',
  'intercept', 'record_fsv', 'play_fsv', 'esf_page_group', 'pickup', 'callcenter',
]);
/** Scripts: they decide the call's fate in code pbxlint does not run. */
const SCRIPT_APPS = new Set(['lua', 'javascript', 'python', 'perl', 'erlang', 'java', 'mono', 'managed', 'v8']);
/**
 * Applications with no effect on where the call goes or what the caller is answered. Not
 * execute_extension: switch_core_session_execute_exten (switch_core_session.c) hunts the named
 * extension and runs its applications on this call — a respond, bridge or hangup there decides the
 * call — so it is reported not modelled, as any application missing here. Nor deflect: mod_sofia.c
 * SWITCH_MESSAGE_INDICATE_DEFLECT sends a REFER and then hangs the channel up (BLIND_TRANSFER).
 */
const NEUTRAL_APPS = new Set([
  'set', 'export', 'unset', 'multiset', 'multiunset', 'set_global', 'set_profile_var', 'log', 'info', 'sleep', 'hash', 'bind_meta_app',
  'ring_ready', 'pre_answer', 'gentones', 'sched_hangup', 'record_session', 'start_dtmf', 'stop_dtmf', 'send_display', 'push', 'db', 'group',
  'event', 'privacy', 'limit', 'limit_hash', 'acknowledge_call', 'set_zombie_exec', 'sched_broadcast', 'displace_session', 'tone_detect',
  'wait_for_silence', 'send_dtmf', 'set_audio_level', 'enable_heartbeat', 'presence', 'unbind_meta_app', 'bind_digit_action', 'digit_action_set_realm',
  'clear_digit_action', 'export_vars', 'capture', 'jitterbuffer', 'media_reset', 'rename', 'soft_hold', 'strftime', 'system_time', 'cluechoo',
  'conference_set_auto_outcall', 'set_name', 'set_user', 'verbose_events', 'fax_detect', 'spandsp_start_fax_detection',
  'stop_displace_session', 'playback', 'endless_playback', 'loop_playback', 'mkdir', 'redirect_info', 'att_xfer',
  'play_and_get_digits', 'read', 'record', 'say', 'phrase', 'speak', 'detect_speech',
]);

function routed(call: Call, target: RouteTarget, reason: string): RouteOutcome {
  return { verdict: 'routed', status: null, reason, target, steps: call.w.steps, conditions: conditionsOf(call.w) };
}

function rejectedByCause(call: Call, cause: string, reason: string): RouteOutcome {
  const status = hangupCauseToSip(cause);
  return { verdict: 'rejected', status, reason: `${reason}: hangup cause ${cause} → SIP ${status} (mod_sofia hangup_cause_to_sip)`, target: null, steps: call.w.steps, conditions: conditionsOf(call.w) };
}

function step(call: Call, a: CollectedAction, kind: string, text: string): void {
  call.w.steps.push({ file: a.location.file, line: a.location.line, column: a.location.column, kind, text, context: a.context, extension: a.extension });
}

function fork(call: Call): Call {
  return { ...call, w: cloneWorld(call.w) };
}

function expand(env: HuntEnv, call: Call, s: string): string {
  return expandVariables(s, lookupIn(env, call.w, call.p), env.model);
}

/** Hangs the call up with `cause`: an answered caller already had its 200 OK, an unanswered one gets the mapped status. */
function hangupWith(call: Call, cause: string, reason: string): RouteOutcome {
  if (call.answered) return routed(call, { kind: 'application', name: call.answeredBy ?? 'answer' }, `the call was answered (${call.answeredBy ?? 'answer'}), then ${reason} (${cause})`);
  return rejectedByCause(call, cause, reason);
}

/**
 * Starts routing for `call`: switch_core_state_machine.c switch_core_standard_on_routing tries the
 * dialplans of the comma-separated list in order (`name[:arg]`; one whose module is not loaded is
 * skipped) until one returns an extension, then executes it; none → "No Route, Aborting"
 * (NO_ROUTE_DESTINATION).
 */
export function route(env: HuntEnv, call: Call, dialplan: string): RouteOutcome[] {
  const names = dialplan.split(',').map((d) => d.split(':')[0].trim()).filter((d) => d !== '');
  return tryDialplans(env, call, names.length ? names : ['XML'], 0, false);
}

function tryDialplans(env: HuntEnv, call: Call, names: string[], index: number, triedXml: boolean): RouteOutcome[] {
  if (index >= names.length) {
    const why = triedXml ? `no extension in context "${call.p.context}" collected an action for ${call.p.destination}` : `no dialplan of "${names.join(',')}" is loaded (mod_enum is not in modules.conf.xml)`;
    return [rejectedByCause(call, 'NO_ROUTE_DESTINATION', why)];
  }
  const dp = names[index];
  const next = (c: Call) => tryDialplans(env, c, names, index + 1, triedXml || dp.toLowerCase() === 'xml');
  if (dp.toLowerCase() === 'enum') {
    const hasEnum = !env.model.modules.known || [...env.model.modules.names].some((m) => m.toLowerCase() === 'mod_enum');
    if (!hasEnum) return next(call); // mod_enum is not in modules.conf.xml: no "enum" dialplan interface
    return enumDialplan(env, call);
  }
  if (dp.toLowerCase() !== 'xml') {
    env.notModelled.push(`dialplan "${dp}"`);
    return [routed(call, { kind: 'unknown', name: `dialplan ${dp}` }, `routing continues in the ${dp} dialplan, which pbxlint does not simulate`)];
  }
  const ctx = findContext(env.model, call.p.context);
  if (!ctx) {
    // dialplan_hunt: "Context %s not found" → no extension → the next dialplan, else "No Route, Aborting".
    if (index + 1 < names.length) return next(call);
    return [rejectedByCause(call, 'NO_ROUTE_DESTINATION', `context "${call.p.context}" does not exist (and there is no "global" context)`)];
  }
  const out: RouteOutcome[] = [];
  const start = call.w.collected.length;
  call.w.extensionMade = false;
  for (const w of hunt(env, call.w, call.p, ctx)) {
    const c: Call = { ...call, w };
    if (!w.extensionMade) {
      const more = index + 1 < names.length;
      w.steps.push({ file: ctx.location.file, line: ctx.location.line, column: ctx.location.column, kind: 'reply', context: ctx.name, text: `no condition of the ${ctx.extensions.length} extension(s) in "${ctx.name}" added an action for ${call.p.destination}: ${more ? `the next dialplan (${names[index + 1]}) is tried` : '"No Route, Aborting"'}` });
      out.push(...next(c));
      continue;
    }
    out.push(...execute(env, c, start));
  }
  return out;
}

/**
 * mod_enum.c enum_dialplan_hunt: enum_lookup returns SWITCH_STATUS_SUCCESS whatever the DNS said
 * (1.10.12), so the enum dialplan always returns an extension — hangup_after_bridge=true and one
 * `bridge` per supported NAPTR record. No record, or no DNS answer at all, leaves it empty:
 * switch_core_standard_on_execute runs nothing and hangs up with NORMAL_CLEARING (480), not 404.
 */
function enumDialplan(env: HuntEnv, call: Call): RouteOutcome[] {
  const found = fork(call);
  found.w.conditions.push(`an ENUM (DNS NAPTR) lookup of ${call.p.destination} finds a route`);
  const none = fork(call);
  none.w.conditions.push(`an ENUM lookup of ${call.p.destination} finds no record (or gets no DNS answer)`);
  return [
    routed(found, { kind: 'relay', name: `ENUM route for ${call.p.destination}` }, 'mod_enum bridges to the URI the ENUM record gives'),
    rejectedByCause(none, 'NORMAL_CLEARING', `mod_enum finds no ENUM record for ${call.p.destination}: the enum dialplan returns an extension without applications, and the call hangs up`),
  ];
}

function execute(env: HuntEnv, call: Call, from: number): RouteOutcome[] {
  const actions = call.w.collected;
  for (let i = from; i < actions.length; i++) {
    const a = actions[i];
    const app = a.application.toLowerCase();
    const data = expand(env, call, a.data);
    const dsym = call.w.sym ? dataSym(env, call, a) : null;
    switch (app) {
      case 'set':
      case 'export':
      case 'set_global': {
        if (call.w.sym && !data.startsWith('nolocal:')) trackSet(env, call.w, call.p, a.cov ?? { raw: a.data, captures: null, capSyms: null }, a.cov?.raw ?? a.data);
        const d = data.replace(/^nolocal:/, '');
        const eq = d.indexOf('=');
        if (eq > 0 && !data.startsWith('nolocal:')) call.w.vars.set(d.slice(0, eq), d.slice(eq + 1));
        continue;
      }
      case 'unset':
        call.w.sym?.delete(data.trim());
        call.w.vars.delete(data.trim());
        continue;
      case 'answer':
        if (!call.answered) step(call, a, 'answer', 'answer: the caller gets 200 OK');
        call.answered = true;
        call.answeredBy = call.answeredBy ?? 'answer';
        continue;
      case 'hangup': {
        if (dsym) env.obs?.observe.opaque(`hangup with a cause derived from the dialled number`);
        const cause = data.trim() === '' ? 'NORMAL_CLEARING' : (causeName(causeFromString(data) ?? 16) ?? 'NORMAL_CLEARING');
        step(call, a, 'hangup', `hangup ${cause}`);
        return [hangupWith(call, cause, `hangup ${data.trim() || ''}`.trim())];
      }
      case 'respond': {
        if (dsym && env.obs) observeRespond(env.obs, dsym, data, `respond ${a.data}`);
        // mod_sofia: respond CODE [reason] sends that status (before answer).
        const code = Number(/^\s*(\d{3})/.exec(data)?.[1]);
        if (!Number.isFinite(code)) {
          env.notModelled.push(`respond "${shown(data)}"`);
          continue;
        }
        step(call, a, 'reply', `respond ${data.trim()}`);
        if (code >= 300 && !call.answered) return [{ verdict: 'rejected', status: code, reason: `respond ${shown(data).trim()}`, target: null, steps: call.w.steps, conditions: conditionsOf(call.w) }];
        if (code >= 200 && code < 300) {
          call.answered = true;
          call.answeredBy = call.answeredBy ?? 'respond';
        }
        continue;
      }
      case 'transfer': {
        // mod_dptools transfer_function: no data → nothing happens; -bleg transfers the bridged
        // partner, and a call still in its dialplan has none ("No B-leg present."): nothing happens.
        const first = data.trim().split(/\s+/)[0] ?? '';
        if (first === '' || first.toLowerCase() === '-bleg') {
          if (dsym !== null && env.obs) observeTransferNoop(env, a, dsym, first);
          step(call, a, 'transfer', `transfer ${shown(data)}: ${first === '' ? 'no extension given' : 'no B-leg present'}, nothing happens (mod_dptools transfer_function)`);
          continue;
        }
        return transfer(env, call, a, data, dsym);
      }
      case 'bridge':
        return bridge(env, call, a, data, i, dsym);
      case 'redirect':
        step(call, a, 'reply', `redirect ${shown(data)}: 302 Moved Temporarily`);
        return [{ verdict: 'routed', status: null, reason: `redirected (302) to ${shown(data)}`, target: { kind: 'relay', name: shown(data) }, steps: call.w.steps, conditions: conditionsOf(call.w) }];
      default:
        break;
    }
    if (TAKING_APPS.has(app)) {
      step(call, a, 'application', `${a.application}${data ? ` ${shown(data)}` : ''}: takes the call`);
      return [routed(call, { kind: 'application', name: a.application, detail: shown(data) || undefined }, `${a.application} answers and handles the call`)];
    }
    if ((app === 'playback' || app === 'endless_playback') && /^local_stream:\/\//.test(data)) {
      step(call, a, 'application', `${a.application} ${shown(data)}: music on hold that never ends`);
      return [routed(call, { kind: 'application', name: a.application, detail: shown(data) }, `${a.application} plays ${shown(data)} (a never-ending stream) to the caller`)];
    }
    if (SCRIPT_APPS.has(app)) {
      env.notModelled.push(`${a.application} script ${shown(data)}`);
      step(call, a, 'application', `${a.application} ${shown(data)}: a script decides (not simulated)`);
      return [routed(call, { kind: 'application', name: a.application, detail: shown(data) }, `the ${a.application} script decides what happens`)];
    }
    if (!NEUTRAL_APPS.has(app)) env.notModelled.push(`application ${a.application}`);
  }
  // switch_core_standard_on_execute: "has executed the last dialplan instruction, hanging up" → NORMAL_CLEARING.
  // The step names the last application run and the extension that queued it (with continue="true"
  // extensions, not necessarily the last one that matched).
  const lastApp = actions.length > from ? actions[actions.length - 1] : undefined;
  if (lastApp) step(call, lastApp, 'hangup', `${lastApp.application} was the last application queued (by extension "${lastApp.extension}"): the call hangs up ${call.answered ? 'after it' : 'unanswered (NORMAL_CLEARING)'}`);
  if (call.answered) return [routed(call, { kind: 'application', name: call.answeredBy ?? 'answer' }, 'the call was answered; the dialplan then ran out of applications')];
  return [rejectedByCause(call, 'NORMAL_CLEARING', 'the dialplan ran out of applications without answering the call')];
}

/** C atoi: optional blanks and sign, then digits; 0 when there are none. */
function atoi(s: string): number {
  const m = /^\s*([+-]?\d+)/.exec(s);
  return m ? parseInt(m[1], 10) : 0;
}

/** transfer <extension> [<dialplan> [<context>]] — missing parts stay those of the current call. */
function transfer(env: HuntEnv, call: Call, a: CollectedAction, data: string, dsym: Deriv | null): RouteOutcome[] {
  const argv = data.trim().split(/\s+/);
  let destSym: Deriv | null = null;
  if (dsym !== null && env.obs) {
    // coverage: the derived part (never whitespace: the dialable alphabet has none) must be the
    // first argument — a value starting with the derived part shifts the arguments when it is empty
    const shape = transferShape(env, call, a, dsym);
    if (shape === null) env.obs.observe.opaque(`transfer ${a.cov?.raw ?? a.data}: ${isOpaque(dsym) ? dsym.opaque : 'the arguments are built from the dialled number'}`);
    else destSym = shape;
  }
  if (argv[0].toLowerCase() === '-both') argv.shift(); // no B-leg to transfer: only this call goes
  const [extension, dialplan, context] = argv;
  const dest = extension || 'service'; // switch_ivr_session_transfer: no extension → "service"
  if (isUnknown(dest) || (context !== undefined && isUnknown(context))) {
    env.notModelled.push(`transfer to ${shown(data)}`);
    step(call, a, 'transfer', `transfer ${shown(data)}: destination only known at run time`);
    return [routed(call, { kind: 'unknown', name: `transfer ${shown(data)}` }, 'transferred to a destination computed at run time')];
  }
  if (env.request.transfers !== undefined && call.transfers >= env.request.transfers) {
    step(call, a, 'transfer', `transfer to ${dest}: not followed (the question was about this context only)`);
    return [routed(call, { kind: 'transfer', name: dest }, 'transferred on (not followed)')];
  }
  // switch_ivr.c switch_ivr_session_transfer: the budget is max_session_transfers when set, else
  // max_forwards (from the INVITE's Max-Forwards), else 70; it is decremented (atoi − 1) on every
  // transfer, and at ≤ 0 the channel is hung up with EXCHANGE_ROUTING_ERROR (483 Too Many Hops)
  // instead of transferring — the application stops there.
  const lookup = lookupIn(env, call.w, call.p);
  const sessionBudget = lookup('max_session_transfers');
  const budgetVar = sessionBudget !== undefined && sessionBudget !== '' ? 'max_session_transfers' : 'max_forwards';
  const budget = lookup(budgetVar);
  if (budget !== undefined && isUnknown(budget)) {
    env.notModelled.push(`transfer with ${budgetVar} set to a value only known at run time`);
  }
  const left = budget === undefined || budget === '' || isUnknown(budget) ? 70 : atoi(budget) - 1;
  if (left <= 0) {
    step(call, a, 'transfer', `transfer ${shown(data)}: ${budgetVar} is used up (a transfer loop): hangup EXCHANGE_ROUTING_ERROR`);
    return [hangupWith(call, 'EXCHANGE_ROUTING_ERROR', `${call.transfers} transfers used up ${budgetVar} (switch_ivr_session_transfer)`)];
  }
  call.w.vars.set(budgetVar, String(left));
  // switch_ivr_session_transfer: missing dialplan/context → force_transfer_dialplan/_context, else
  // the caller profile's (an "inline" dialplan becomes XML); a missing extension is "service".
  const force = (name: string) => {
    const v = lookup(name);
    return v === undefined || v === '' || isUnknown(v) ? undefined : v;
  };
  const ctx = context ?? force('force_transfer_context') ?? (call.p.context || 'default');
  const profileDialplan = call.p.dialplan.toLowerCase() === 'inline' ? '' : call.p.dialplan;
  const dp = dialplan ?? force('force_transfer_dialplan') ?? (profileDialplan || 'XML');
  step(call, a, 'transfer', `transfer to ${dest} in context "${ctx}" (${dp} dialplan)`);
  const next: Call = { ...call, transfers: call.transfers + 1, p: { ...call.p, destination: dest, context: ctx, dialplan: dp, ...(call.w.sym ? { destSym } : {}) } };
  return route(env, next, dp);
}

// ---------------------------------------------------------------- bridge

type LegResult = { call: Call; ok: true; target: RouteTarget } | { call: Call; ok: false; cause: string };

/** Splits at top-level separators, ignoring those inside {…}, […] and <…>. */
function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '{' || c === '[' || c === '<') depth++;
    else if ((c === '}' || c === ']' || c === '>') && depth > 0) depth--;
    if (depth === 0 && s.startsWith(sep, i)) {
      out.push(cur);
      cur = '';
      i += sep.length - 1;
      continue;
    }
    cur += c;
  }
  out.push(cur);
  return out;
}

function stripVars(s: string): string {
  let t = s.trim();
  for (;;) {
    const m = /^(\{[^}]*\}|\[[^\]]*\]|<[^>]*>)/.exec(t);
    if (!m) return t.trim();
    t = t.slice(m[0].length).trim();
  }
}

function isRegistered(env: HuntEnv, call: Call, user: string, domain: string): boolean | undefined {
  const reg = env.request.registered;
  if (reg === undefined) return undefined;
  const u = user.toLowerCase();
  const d = domain.toLowerCase();
  return reg.some((r) => {
    const at = r.lastIndexOf('@');
    if (at < 0) return r.toLowerCase() === u;
    return r.slice(0, at).toLowerCase() === u && r.slice(at + 1).toLowerCase() === d;
  });
}

/** A registration-dependent leg: registered → bridged to `target`; not → USER_NOT_REGISTERED (sofia_contact returns error/user_not_registered). */
function registrationLeg(env: HuntEnv, call: Call, user: string, domain: string, target: RouteTarget): LegResult[] {
  const r = isRegistered(env, call, user, domain);
  if (r === true) return [{ call, ok: true, target }];
  if (r === false) return [{ call, ok: false, cause: 'USER_NOT_REGISTERED' }];
  if (!canFork(env)) return [{ call, ok: false, cause: 'USER_NOT_REGISTERED' }];
  const yes = fork(call);
  yes.w.conditions.push(`${user}@${domain} is registered`);
  const no = fork(call);
  no.w.conditions.push(`${user}@${domain} is not registered`);
  return [
    { call: yes, ok: true, target },
    { call: no, ok: false, cause: 'USER_NOT_REGISTERED' },
  ];
}

function sofiaProfileByName(env: HuntEnv, name: string): SofiaProfile | undefined {
  const n = name.toLowerCase();
  return env.model.profiles.find((p) => p.name.toLowerCase() === n) ?? env.model.profiles.find((p) => p.aliases.some((a) => a.toLowerCase() === n));
}

function leg(env: HuntEnv, call: Call, raw: string): LegResult[] {
  const s = stripVars(raw);
  // ${sofia_contact([profile/]user@domain)} (mod_sofia.c sofia_contact_function): the registered contact, else error/user_not_registered.
  const sc = /^\u0001\$\{sofia_contact\((?:[^/)]*\/)?([^@)]+)@([^)]+)\)\}\u0001$/.exec(s);
  if (sc && !isUnknown(sc[1]) && !isUnknown(sc[2])) {
    const domain = findDomain(env.model, sc[2]);
    const u = domain && findUser(domain, sc[1]);
    if (!u) return [{ call, ok: false, cause: 'USER_NOT_REGISTERED' }];
    return registrationLeg(env, call, u.id, domain.name, { kind: 'user', name: `user/${u.id}@${domain.name}` });
  }
  if (isUnknown(s)) {
    env.notModelled.push(`bridge to ${shown(s)}`);
    return [{ call, ok: true, target: { kind: 'unknown', name: shown(s) } }];
  }
  const slash = s.indexOf('/');
  const tech = (slash < 0 ? s : s.slice(0, slash)).toLowerCase();
  const rest = slash < 0 ? '' : s.slice(slash + 1);
  switch (tech) {
    case 'user': {
      // mod_dptools user_outgoing_channel: no @domain → the default domain (switch_core_get_domain).
      const at = rest.indexOf('@');
      const user = at < 0 ? rest : rest.slice(0, at);
      const domainName = at < 0 ? (lookupIn(env, call.w, call.p)('domain') ?? '') : rest.slice(at + 1);
      const domain = findDomain(env.model, domainName);
      const u = domain && findUser(domain, user);
      if (env.obs && call.w.legUser && call.w.legUser.text === s) observeDirectoryUser(env, call.w.legUser, domain, u);
      if (!u) return [{ call, ok: false, cause: 'SUBSCRIBER_ABSENT' }];
      const dial = u.params.get('dial-string')?.value;
      if (dial === undefined) return [{ call, ok: false, cause: 'MANDATORY_IE_MISSING' }];
      const target: RouteTarget = { kind: 'user', name: `user/${u.id}@${domain.name}` };
      if (/sofia_contact|verto_contact/.test(dial)) return registrationLeg(env, call, u.id, domain.name, target);
      env.notModelled.push(`dial-string of ${u.id}@${domain.name} without sofia_contact`);
      return [{ call, ok: true, target }];
    }
    case 'sofia': {
      const parts = rest.split('/');
      if (parts[0].toLowerCase() === 'gateway') {
        const gw = parts[1] ?? '';
        const found = env.model.profiles.some((p) => p.gateways.some((g) => g.name === gw));
        // mod_sofia.c sofia_outgoing_channel: "Invalid Gateway" → INVALID_GATEWAY.
        if (!found) return [{ call, ok: false, cause: 'INVALID_GATEWAY' }];
        const c = fork(call);
        c.w.conditions.push(`gateway ${gw} answers`);
        return [{ call: c, ok: true, target: { kind: 'gateway', name: `sofia/gateway/${gw}/${parts.slice(2).join('/')}` } }];
      }
      if (parts.length < 2) return [{ call, ok: false, cause: 'INVALID_URL' }];
      const profile = sofiaProfileByName(env, parts[0]);
      if (!profile) return [{ call, ok: false, cause: 'INVALID_PROFILE' }];
      const dest = parts.slice(1).join('/');
      const pct = dest.indexOf('%');
      if (pct > 0 && !dest.includes('@')) return registrationLeg(env, call, dest.slice(0, pct), dest.slice(pct + 1), { kind: 'user', name: `sofia/${profile.name}/${dest}` });
      return [{ call, ok: true, target: { kind: 'relay', name: `sofia/${profile.name}/${dest}` } }];
    }
    case 'error':
      return [{ call, ok: false, cause: causeName(causeFromString(rest) ?? 0) }];
    case 'loopback': {
      const m = /^app=([^:\s]+)/.exec(rest);
      if (m) return [{ call, ok: true, target: { kind: 'application', name: m[1], detail: `loopback/${rest}` } }];
      env.notModelled.push(`loopback/${rest}`);
      return [{ call, ok: true, target: { kind: 'endpoint', name: `loopback/${rest}` } }];
    }
    default:
      env.notModelled.push(`bridge to ${tech}/ channels`);
      return [{ call, ok: true, target: { kind: 'endpoint', name: s } }];
  }
}

/** The outcomes of one dial string: failover groups (`|`) tried in order, legs of a group (`,`, `:_:`) rung at once. */
function dial(env: HuntEnv, call: Call, dialString: string): LegResult[] {
  const groups = splitTop(dialString, '|');
  let pending: Call[] = [call];
  const done: LegResult[] = [];
  for (let g = 0; g < groups.length; g++) {
    const legs = splitTop(groups[g], ':_:').flatMap((x) => splitTop(x, ','));
    const failed: { call: Call; cause: string }[] = [];
    for (const c of pending) {
      // Every leg of the group, forking the worlds leg by leg.
      let worlds: { call: Call; ok?: RouteTarget; cause?: string }[] = [{ call: c }];
      for (const l of legs) {
        if (l.trim() === '') continue;
        const nextWorlds: typeof worlds = [];
        for (const w of worlds) {
          if (w.ok) {
            nextWorlds.push(w);
            continue;
          }
          for (const r of leg(env, w.call, l)) nextWorlds.push(r.ok ? { call: r.call, ok: r.target } : { call: r.call, cause: r.cause });
        }
        worlds = nextWorlds;
      }
      for (const w of worlds) {
        if (w.ok) done.push({ call: w.call, ok: true, target: w.ok });
        else failed.push({ call: w.call, cause: w.cause ?? 'NORMAL_CLEARING' });
      }
    }
    if (g === groups.length - 1) for (const f of failed) done.push({ call: f.call, ok: false, cause: f.cause });
    pending = failed.map((f) => f.call);
    if (pending.length === 0) break;
  }
  return done;
}

/**
 * switch_channel.c switch_channel_handle_cause, after a failed bridge: go on with the dialplan when
 * continue_on_fail is true or lists the cause (name or number), or failure_causes does not list it;
 * with neither set, only NO_ANSWER, NO_USER_RESPONSE and ORIGINATOR_CANCEL go on. Otherwise the
 * channel is hung up with the cause.
 */
function continueOnFail(env: HuntEnv, call: Call, cause: string): boolean {
  if (cause === 'ATTENDED_TRANSFER') return false;
  const get = (n: string) => {
    const v = lookupIn(env, call.w, call.p)(n);
    return v === undefined || v === '' ? undefined : v;
  };
  const code = String(causeFromString(cause) ?? '');
  const listed = (v: string) => v.split(',').some((x) => x.trim().toUpperCase() === cause || x.trim() === code);
  const cof = get('continue_on_fail');
  const fc = get('failure_causes');
  if (cof === undefined && fc === undefined) return cause === 'NO_ANSWER' || cause === 'NO_USER_RESPONSE' || cause === 'ORIGINATOR_CANCEL';
  if (fc !== undefined && !listed(fc)) return true;
  if (cof !== undefined && (switchTrue(cof) || listed(cof))) return true;
  return false;
}

function bridge(env: HuntEnv, call: Call, a: CollectedAction, data: string, index: number, dsym: Deriv | null): RouteOutcome[] {
  const out: RouteOutcome[] = [];
  const legUser = dsym !== null ? bridgeShape(env, call, a, dsym, data) : null;
  for (const r of dial(env, call, data)) {
    const c = r.call;
    if (r.ok) {
      // coverage: a target named after the dialled number is named by its derivation (one name per class)
      if (dsym !== null && !isOpaque(dsym) && legUser !== 'user') r.target = { ...r.target, name: `bridge ${describeDerived(dsym)}` };
      step(c, a, 'bridge', `bridge ${shown(data)}: ${r.target.name} answers`);
      out.push(routed(c, r.target, `bridged to ${r.target.name}`));
      continue;
    }
    step(c, a, 'bridge', `bridge ${shown(data)} fails: ${r.cause} (${hangupCauseToSip(r.cause)})`);
    if (continueOnFail(env, c, r.cause)) {
      c.w.steps[c.w.steps.length - 1].text += '; continue_on_fail: the dialplan goes on';
      out.push(...execute(env, c, index + 1));
      continue;
    }
    out.push(hangupWith(c, r.cause, `bridge ${shown(data)} failed`));
  }
  return out;
}

/** Coverage: how the data of an action derives from the dialled number (captures substituted, variables expanded). */
function dataSym(env: HuntEnv, call: Call, a: CollectedAction): Deriv | null {
  return templateSym(a.cov?.raw ?? a.data, templateEnvOf(env, call.w, call.p, { captures: a.cov?.captures ?? null, capSyms: a.cov?.capSyms ?? null }));
}

/**
 * Coverage: a transfer that does nothing (its first argument empty, or `-bleg` without a partner;
 * mod_dptools.c transfer_function: zstr(data) / switch_separate_string giving no argument, "No
 * B-leg present.") whose data derives from the dialled number: whether it does nothing is a test on
 * the number — `^0(\d*)$` then `transfer $1` does nothing for 0 and transfers 1234 for 01234.
 * Reported: the derived part empty (the constants around it being blanks), or `-bleg ` spelt by the
 * constant prefix alone (the number cannot change it); anything else opaque.
 */
function observeTransferNoop(env: HuntEnv, a: CollectedAction, dsym: Deriv, first: string): void {
  const obs = env.obs!;
  const why = `transfer ${a.cov?.raw ?? a.data}`;
  if (isOpaque(dsym)) return obs.observe.opaque(`${why}: ${dsym.opaque}`);
  const ops = dsym.ops;
  let k = ops.length;
  const suf = ops[k - 1]?.k === 'suffix' ? (ops[--k] as { s: string }).s : '';
  const pre = ops[k - 1]?.k === 'prefix' ? (ops[--k] as { s: string }).s : '';
  const inner = { ops: ops.slice(0, k) };
  if (first !== '') {
    if (!/^\s*-bleg\s/i.test(pre)) obs.observe.opaque(`${why}: whether the first argument is -bleg depends on the dialled number`);
    return;
  }
  // (blanks inside the derivation — a constant joined in before a cut — are not the derived part's emptiness)
  const value = applyDeriv(inner, env.request.user);
  if (/\S/.test(pre + suf) || value !== '') return obs.observe.opaque(`${why}: an empty first argument around constant text`);
  observeShape(obs, inner, value, '', true, 'the transfer destination is not empty');
}

/**
 * Coverage: `transfer <dest> …` where the data derives from the dialled number as pre·u·suf; the
 * destination is pre·u when pre has no whitespace and suf is empty or starts with whitespace, and
 * pre·u is not empty (an empty first argument would shift the others): that emptiness is a test.
 */
function transferShape(env: HuntEnv, call: Call, a: CollectedAction, dsym: Deriv): Deriv | null {
  if (isOpaque(dsym)) return null;
  const ops = dsym.ops;
  const last = ops[ops.length - 1];
  const suf = last?.k === 'suffix' ? last.s : '';
  const inner = last?.k === 'suffix' ? { ops: ops.slice(0, -1) } : { ops };
  if (suf !== '' && !/^\s/.test(suf)) return null;
  const innerValue = applyDeriv(inner, env.request.user);
  if (/\s/.test(innerValue)) return null;
  const nonEmpty = observeShape(env.obs!, inner, innerValue, '', true, 'the transfer destination is not empty');
  return nonEmpty ? inner : null;
}

/**
 * Coverage: a bridge whose dial string derives from the dialled number. Modelled: the derived part
 * free of separators (`,` `|` `:` `{` `}` `[` `]` `<` `>` `/` `@` `%`, a test) inside one leg that is
 * a gateway leg (the number goes along: nothing is decided on it) or the user part of a user/ leg
 * (the directory look-up: `user`, observed in leg()). Anything else is opaque.
 */
function bridgeShape(env: HuntEnv, call: Call, a: CollectedAction, dsym: Deriv, data: string): 'gateway' | 'user' | null {
  const obs = env.obs!;
  const why = `bridge ${a.cov?.raw ?? a.data}`;
  if (isOpaque(dsym)) {
    obs.observe.opaque(`${why}: ${dsym.opaque}`);
    return null;
  }
  const ops = dsym.ops;
  let k = ops.length;
  const suf = ops[k - 1]?.k === 'suffix' ? (ops[--k] as { s: string }).s : '';
  const pre = ops[k - 1]?.k === 'prefix' ? (ops[--k] as { s: string }).s : '';
  const inner = { ops: ops.slice(0, k) };
  const u = applyDeriv(inner, env.request.user);
  if (!observeShape(obs, inner, u, ',|:{}[]<>/@%', true, `${why}: the number part has no separator and is not empty`)) {
    obs.observe.opaque(`${why}: a number with separators or an empty one in the dial string`);
    return null;
  }
  void data;
  const legStart = Math.max(pre.lastIndexOf(','), pre.lastIndexOf('|'), pre.lastIndexOf(':_:') >= 0 ? pre.lastIndexOf(':_:') + 2 : -1) + 1;
  const legPre = pre.slice(legStart).replace(/^\s*(\{[^}]*\}|\[[^\]]*\]|<[^>]*>)*\s*/, '');
  if (/^sofia\/gateway\/[^/]+\//i.test(legPre)) return 'gateway';
  if (/^user\/$/i.test(legPre) && /^(@|$|[,|]|:_:)/.test(suf)) {
    const at = suf.search(/[,|]|:_:/);
    call.w.legUser = { text: legPre + u + (at < 0 ? suf : suf.slice(0, at)).trim(), ops: inner.ops, why };
    return 'user';
  }
  obs.observe.opaque(`${why}: a dial string built from the dialled number`);
  return null;
}

/**
 * Coverage: the directory look-up of a user/ leg whose user part derives from the dialled number
 * (expand.ts findUser: by id, then by number-alias, case-insensitively): the cell of the user found.
 */
function observeDirectoryUser(env: HuntEnv, leg: { ops: readonly import('../../coverage/derive').Op[]; why: string }, domain: DirectoryDomain | undefined, found: DirectoryUser | undefined): void {
  const users = domain?.users ?? [];
  env.obs!.observe.test(() => {
    const langs = directoryLanguages(users);
    let cell: Dfa;
    if (!found) cell = langs.noUser;
    else {
      // by id when the value is its id (the first such user is the one found), else by its alias where no id matches
      cell = isIdMatch(found, leg, env) ? compile(caseFold(found.id)) : difference(compile(caseFold(found.numberAlias ?? '')), langs.ids);
    }
    return pullBackOps(leg, cell);
  }, `${leg.why}: the directory user`);
}

/**
 * The languages of one domain's directory look-up, made once per list of users (every call that
 * bridges to a user/ leg asks for them; made per call, FreeSWITCH's vanilla configuration spent
 * 4 s of its 7 s coverage building the same unions again).
 */
function directoryLanguages(users: readonly DirectoryUser[]): { ids: Dfa; noUser: Dfa } {
  let langs = directoryLanguagesOf.get(users);
  if (!langs) {
    const ids = users.reduce<Dfa>((acc, x) => union(acc, compile(caseFold(x.id))), EMPTY);
    const withAliases = users.reduce<Dfa>((acc, x) => (x.numberAlias === undefined ? acc : union(acc, compile(caseFold(x.numberAlias)))), ids);
    langs = { ids, noUser: complement(withAliases) };
    directoryLanguagesOf.set(users, langs);
  }
  return langs;
}
const directoryLanguagesOf = new WeakMap<readonly DirectoryUser[], { ids: Dfa; noUser: Dfa }>();

function isIdMatch(found: DirectoryUser, leg: { ops: readonly import('../../coverage/derive').Op[] }, env: HuntEnv): boolean {
  return applyDeriv(leg, env.request.user).toLowerCase() === found.id.toLowerCase();
}
