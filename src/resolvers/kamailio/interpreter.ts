/**
 * `pbxlint route` for Kamailio: an abstract interpreter of request_route. Kamailio has no built-in
 * routing or 404: every status comes from the script (../shared/docs/semantics/kamailio.md §1), so
 * the simulator runs the script on the request. Values it cannot know (registration state when not
 * given, database tables, functions it does not model) fork the path into both outcomes.
 *
 * Control flow follows kamailio/kamailio src/core/action.c: a module function returning 0 ends the
 * script (MODF_HANDLE_RETCODE), `return` gives 1, `return 0` exits, `exit`/`drop` end the script.
 * A path ends at its first final reply or relay: that is what the caller receives.
 *
 * Verdicts (shared JSON contract):
 * - routed: relayed (t_relay/forward…; target kind 'location' after a successful lookup(), else
 *   'relay'), or answered 2xx (target kind 'reply', e.g. "200 Keepalive"; a saved REGISTER is 200
 *   with target kind 'location'); status is null as for every routed answer;
 * - rejected: a final non-2xx reply, with its status and reason;
 * - rejected with status null: the script ended (exit, drop, end of request_route) without a
 *   final reply or relay; the caller's transaction times out (408 at the UAC).
 * The simulated request is an initial one (no To-tag, no Route, no credentials, no body) from a
 * client that is not behind NAT, carrying only the headers a simple UAC sends (state.ts hasHeader).
 */
import type { Expr, RouteBlock, Stmt } from '../../parsers/kamailio/ast';
import { routeKey, type KamailioModel } from '../../model/kamailio';
import { summarizeOutcomes, type RouteAnswer, type RouteOutcome, type RouteRequest } from '../types';
import { hostTests, readsRd } from './host-tests';
import { initialSym, observeComparison, observeSwitch, observeTruth, symOf, userAfterAssign, type ObserveCtx } from './observe';
import { callFunction, type Branch } from './functions';
import { checkSelf } from './myself';
import { ereMatch } from '../../automata/ere/ere';
import { cloneSt, readPv, readSelect, uriString, writePv, type PvContext, type SimRequest, type St } from './state';
import { ELEM_ERROR, ElemError, Unknown, asString, equals, exprText, isUnknown, truth, type Val } from './values';

/** Paths alive at once before the simulation gives up on more forks. */
const MAX_PATHS = 512;
/** Statements executed over all paths. */
const MAX_WORK = 40_000;
/** route() nesting (Kamailio's max_recursive_level default is 256). */
const MAX_DEPTH = 100;
const MAX_LOOP = 100;

export type Flow = 'next' | 'return' | 'exit' | 'break';
export interface Res {
  st: St;
  flow: Flow;
  rv?: Val;
}

export interface Interp extends PvContext {
  work: number;
  limited: string | null;
  notModelledSet: Set<string>;
  runRoute(name: string, st: St, depth: number, loc: Stmt['loc']): Res[];
  eval(e: Expr, st: St, depth: number): Branch[];
  step(st: St, loc: Stmt['loc'], kind: string, text: string): void;
  /** Coverage: the observer and what it needs (observe.ts); absent for route and lint. */
  obs?: ObserveCtx;
  /** The value of an expression without side effects (for observe.ts: constants concatenated with derived values). */
  pureValue(e: Expr, st: St): Val;
}

export const NO_REPLY = 'no reply: the client times out (408 at the UAC)';

/** The methods the core parses to an id of their own, in any case (parse_methods.c parse_method_name). */
const CORE_METHODS = new Set(['INVITE', 'CANCEL', 'ACK', 'BYE', 'INFO', 'REGISTER', 'SUBSCRIBE', 'NOTIFY', 'MESSAGE', 'OPTIONS', 'PRACK', 'UPDATE', 'REFER', 'PUBLISH', 'KDMQ', 'GET', 'POST', 'PUT', 'DELETE']);

/** `--to`: `sip:user@host:port`, `user@host` or a bare `user` (at the Request-URI host). */
function parseTo(to: string): { user: string | null; host?: string | null; port?: number; error?: string } {
  const t = to.trim().replace(/^<|>$/g, '');
  // A tel: To has no host: parse_uri.c TEL_URI_T takes the number (up to the parameters) as the user.
  const tel = /^tel:([^;]*)/i.exec(t);
  if (tel) return { user: tel[1] === '' ? null : tel[1], host: null };
  const m = /^(?:sips?:)?(?:([^@]*)@)?(\[[^\]]+\]|[^:;@]*)(?::([0-9]+))?(?:;.*)?$/i.exec(t);
  if (!/^sips?:/i.test(t) && !t.includes('@')) return { user: t === '' ? null : t };
  if (!m) return { user: null, error: `the To URI ${to} does not parse` };
  // parse_uri.c: an "@" with no user before it is a parse error (sanity_check answers 400).
  if (m[1] === '') return { user: null, host: m[2] || undefined, port: m[3] ? Number(m[3]) : undefined, error: 'the To URI has an "@" with no user before it' };
  return { user: m[1] ?? null, host: m[2] || undefined, port: m[3] ? Number(m[3]) : undefined };
}

/**
 * Why a Request-URI host does not parse, or undefined: kamailio src/core/parser/parse_uri.c
 * parse_uri, states URI_HOST / URI_HOST_P: '[' opens an IPv6 reference, else the first character
 * is alphanumeric and the others alphanumerics, '.', '-' or one of the core's uri_host_extra_chars
 * (cfg.y URI_HOST_EXTRA_CHARS; none by default). Kamailio then runs the script with no parsed
 * Request-URI ($rU, $rd, $ru read $null), as for "sip:@host".
 */
function badHost(model: KamailioModel, host: string): string | undefined {
  if (host.startsWith('[')) return undefined;
  const extra = model.globals.filter((p) => !p.group && p.name === 'uri_host_extra_chars').pop()?.value.replace(/^"|"$/g, '') ?? '';
  const ok = (c: string, first: boolean) => /[A-Za-z0-9]/.test(c) || (!first && (c === '.' || c === '-' || extra.includes(c)));
  for (let i = 0; i < host.length; i++) if (!ok(host[i], i === 0)) return `the host "${host}" has ${JSON.stringify(host[i])} ${i === 0 ? 'first' : `at ${i + 1}`} (parse_uri.c: a host starts with a letter or digit, then letters, digits, '.', '-')`;
  return undefined;
}

export function makeRequest(model: KamailioModel, r: RouteRequest): SimRequest {
  const tel = r.scheme === 'tel';
  // A tel: URI has no host (parse_uri.c TEL_URI_T: the number becomes the user, the host is empty).
  const host: Val = tel ? null : r.domain !== undefined && r.domain !== '' ? r.domain : new Unknown('the Request-URI host is not given (use sip:user@host or --domain)');
  const method = r.method;
  const methodId = CORE_METHODS.has(method.toUpperCase()) ? method.toUpperCase() : method;
  const isRegister = methodId === 'REGISTER';
  // $rU is the user part as it stands in the URI, escapes kept (parse_uri.c does not unescape).
  const written = r.rawUser ?? r.user;
  const user = written === '' ? null : written;
  const registered = r.registered;
  // --from-domain may carry a port (host:port); $fd is the host alone, from_uri==myself uses the port.
  const fm = r.fromDomain !== undefined ? /^(\[[^\]]+\]|[^:]+)(?::([0-9]+))?$/.exec(r.fromDomain) : null;
  const fromHost = r.fromDomain !== undefined ? (fm ? fm[1] : r.fromDomain) : undefined;
  const fromPort = fm?.[2] ? Number(fm[2]) : undefined;
  // The To: --to when given; else the Request-URI, except that a REGISTER's target user names the
  // AOR (RFC 3261 10.2: the Request-URI is the registrar's domain, the AOR is in To), falling back
  // to the From user (a phone registering itself sends From = To).
  const to = r.to !== undefined ? parseTo(r.to) : null;
  const ruriUser = isRegister && !to ? null : user;
  const toUser: Val = to ? to.user : isRegister ? (user ?? (r.fromUser !== undefined && r.fromUser !== '' ? r.fromUser : null)) : user;
  const toDomain: Val = to?.host !== undefined ? to.host : host;
  const toPort = !to ? r.port : to.host === null ? undefined : to.host !== undefined ? to.port : r.port;
  const malformed = r.ruriMalformed ?? (typeof host === 'string' ? badHost(model, host) : undefined);
  return {
    method,
    methodId,
    ruri: { scheme: r.scheme ?? 'sip', user: ruriUser, host, port: tel ? undefined : r.port, transport: r.transport, userPhone: r.userPhone, params: tel ? undefined : r.uriParams, unparsed: malformed },
    ruriError: malformed ? `the Request-URI does not parse: ${malformed}` : undefined,
    // A REGISTER's From is normally its To (the AOR) unless given.
    fromUser: r.fromUser !== undefined ? r.fromUser : isRegister ? toUser : new Unknown('the From user is not given (--from-user)'),
    fromDomain: fromHost !== undefined ? fromHost : isRegister ? toDomain : new Unknown('the From host is not given (--from-domain)'),
    fromPort: fromHost !== undefined ? fromPort : isRegister ? toPort : undefined,
    toUser,
    toDomain,
    toPort,
    toError: to?.error,
    sourceIp: r.sourceIp !== undefined ? r.sourceIp : new Unknown('the source IP is not given (--source-ip)'),
    userAgent: r.userAgent ?? null,
    registered,
  };
}

export function describeRequest(req: SimRequest, r: RouteRequest): string {
  const ruri = uriString(req.ruri);
  const ruriText = isUnknown(ruri) ? `sip:${req.ruri.user && !isUnknown(req.ruri.user) ? `${req.ruri.user}@` : ''}<host?>${req.ruri.port ? `:${req.ruri.port}` : ''}` : ruri;
  const host = isUnknown(req.toDomain) ? '<host?>' : (req.toDomain ?? '');
  const toUser = req.toUser && !isUnknown(req.toUser) ? req.toUser : '';
  const toUri = req.toDomain === null ? `tel:${toUser}` : `sip:${toUser ? `${toUser}@` : ''}${host}${req.toPort ? `:${req.toPort}` : ''}`;
  const to = req.methodId === 'REGISTER' || r.to !== undefined ? ` (To ${toUri})` : '';
  const from = !isUnknown(req.fromUser) && !isUnknown(req.fromDomain) ? ` from sip:${req.fromUser ? `${req.fromUser}@` : ''}${req.fromDomain ?? ''}${req.fromPort ? `:${req.fromPort}` : ''}` : '';
  const reg = r.registered === undefined ? 'registration state unknown' : r.registered.length ? `registered: ${r.registered.length > 5 ? `${r.registered.slice(0, 5).join(', ')} and ${r.registered.length - 5} more` : r.registered.join(', ')}` : 'nobody registered';
  return `${req.method} ${ruriText}${to}${from} into request_route (${reg})`;
}

export function simulate(model: KamailioModel, request: RouteRequest): RouteAnswer {
  // KEMI: Kamailio calls the script's ksr_request_route instead of request_route (core/kemi.c).
  if (model.kemi) {
    // coverage: the KEMI interpreter reports no tests on the dialled number, so its map would be one
    // class whatever the script does — say so instead.
    request.observe?.opaque(`routing is in the KEMI script (${model.kemi.engine}): its tests on the number are not mapped`);
    return (require('./kemi') as typeof import('./kemi')).simulateKemi(model, request);
  }
  const { interp, req, text } = newInterp(model, request);
  if (!model.requestRoute) {
    return summarizeOutcomes('kamailio', text, [{ verdict: 'rejected', status: null, reason: `no request_route in the configuration: ${NO_REPLY}`, target: null, steps: [], conditions: [] }]);
  }
  const start = startState(req);
  if (interp.obs) start.sym = initialSym(req.method);
  const main = model.requestRoute;
  interp.step(start, main.loc, 'route', 'request_route');
  const results = execList(interp, main.body, start, 0);
  const outcomes = results.map((r) => outcomeOf(r.st, req.methodId === 'ACK'));
  if (interp.limited) interp.notModelledSet.add(interp.limited);
  return summarizeOutcomes('kamailio', text, outcomes, [...interp.notModelledSet]);
}

/** The state a request starts with. */
export function startState(req: SimRequest): St {
  return { ruri: { ...req.ruri }, du: null, vars: new Map(), flags: new Set(), rc: 1, armed: new Set(), transaction: false, steps: [], conditions: [], assumed: new Map() };
}

/** An interpreter of the cfg's route blocks for one request (the KEMI simulator calls route blocks through it too). */
export function newInterp(model: KamailioModel, request: RouteRequest): { interp: Interp; req: SimRequest; text: string } {
  const req = makeRequest(model, request);
  const notModelledSet = new Set<string>();
  const text = describeRequest(req, request);
  const interp: Interp = {
    model,
    req,
    work: 0,
    limited: null,
    notModelledSet,
    notModelled: (what) => notModelledSet.add(what),
    runRoute: (name, st, depth, loc) => runRoute(interp, name, st, depth, loc),
    eval: (e, st, depth) => evalExpr(interp, e, st, depth),
    step: (st, loc, kind, t) => {
      st.steps.push({ file: loc.file, line: loc.line, column: loc.column, kind, text: t });
    },
    obs: request.observe ? { observe: request.observe, req, domainClass: request.domainClass, hostTests: request.domainClass ? hostTests(model) : undefined } : undefined,
    pureValue: (e, st) => pureValue(interp, e, st),
  };
  return { interp, req, text };
}

/** `ack`: the request is an ACK, which has no response at all (RFC 3261 17.1.1.3). */
export function outcomeOf(st: St, ack = false): RouteOutcome {
  const f = st.final;
  // An ACK has no response at all (RFC 3261 17.1.1.3), so nothing times out either.
  if (!f) return { verdict: 'rejected', status: null, reason: ack ? 'no reply (an ACK is never answered)' : NO_REPLY, target: null, steps: st.steps, conditions: st.conditions };
  if (f.kind === 'relay') return { verdict: 'routed', status: null, reason: f.reason, target: f.target, steps: st.steps, conditions: st.conditions };
  const s = f.status;
  if (s !== null && s >= 200 && s < 300) return { verdict: 'routed', status: null, reason: `${s} ${f.reason}`, target: f.target ?? { kind: 'reply', name: `${s} ${f.reason}` }, steps: st.steps, conditions: st.conditions };
  return { verdict: 'rejected', status: s, reason: f.reason, target: null, steps: st.steps, conditions: st.conditions };
}

function runRoute(ip: Interp, name: string, st: St, depth: number, loc: Stmt['loc']): Res[] {
  const block: RouteBlock | undefined = ip.model.routes.get(routeKey('request', name));
  if (!block) {
    // cfg.y resolves route names when the config is fixed up: Kamailio refuses to start.
    ip.step(st, loc, 'route', `route(${name}): no such route block; Kamailio refuses to start (route.c fix_actions: route not found)`);
    return [{ st, flow: 'exit' }];
  }
  if (depth >= MAX_DEPTH) {
    ip.limited = `route(${name}) nested deeper than ${MAX_DEPTH}`;
    return [{ st, flow: 'exit' }];
  }
  ip.step(st, loc, 'route', `route(${name})`);
  return execList(ip, block.body, st, depth + 1).map((r) => {
    if (r.flow === 'exit') return r;
    // return n from a sub-route sets $rc; falling off the end returns 1
    r.st.rc = r.flow === 'return' ? (r.rv ?? 1) : 1;
    return { st: r.st, flow: 'next' as Flow, rv: r.st.rc };
  });
}

function execList(ip: Interp, stmts: Stmt[], st: St, depth: number): Res[] {
  let cur: Res[] = [{ st, flow: 'next' }];
  for (const s of stmts) {
    const next: Res[] = [];
    for (const r of cur) {
      if (r.flow !== 'next' || r.st.final) next.push(r.st.final && r.flow === 'next' ? { ...r, flow: 'exit' } : r);
      else next.push(...execStmt(ip, s, r.st, depth));
    }
    cur = next;
    if (cur.every((r) => r.flow !== 'next')) break;
  }
  return cur;
}

function forkLimit(ip: Interp, branches: number): boolean {
  ip.work++;
  if (ip.work > MAX_WORK) {
    ip.limited = `simulation stopped after ${MAX_WORK} steps (loops or too many paths)`;
    return true;
  }
  if (branches > MAX_PATHS) {
    ip.limited = `more than ${MAX_PATHS} paths; later forks were not followed`;
    return true;
  }
  return false;
}

/**
 * Splits a state on an unknown truth value: both outcomes, each remembered as an assumption so
 * that a later test of the same unknown on this path agrees with it.
 */
export function resolveTruth(ip: Interp, st: St, v: Val, loc: Stmt['loc'], what: string | null): { st: St; value: boolean }[] {
  const t = truth(v);
  if (!(t instanceof Unknown)) return [{ st, value: t }];
  const prior = st.assumed.get(t.why);
  if (prior !== undefined) {
    const value = t.neg ? !prior : prior;
    if (what) ip.step(st, loc, 'condition', `if (${what}) → ${value} (as assumed before: ${prior ? '' : 'not '}${t.why})`);
    return [{ st, value }];
  }
  const yes = cloneSt(st);
  yes.assumed.set(t.why, true);
  yes.conditions.push(t.why);
  const no = st;
  no.assumed.set(t.why, false);
  no.conditions.push(`not (${t.why})`);
  if (what) {
    ip.step(yes, loc, 'condition', `if (${what}) → ${!t.neg} (assumed: ${t.why})`);
    ip.step(no, loc, 'condition', `if (${what}) → ${t.neg} (assumed: not ${t.why})`);
  }
  return [
    { st: yes, value: !t.neg },
    { st: no, value: t.neg },
  ];
}

/** Evaluates a condition and splits the state on it. */
function decide(ip: Interp, cond: Expr, st: St, depth: number, loc: Stmt['loc']): { st: St; value: boolean | 'exit' }[] {
  const out: { st: St; value: boolean | 'exit' }[] = [];
  for (const b of ip.eval(cond, st, depth)) {
    if (b.exit) {
      out.push({ st: b.st, value: 'exit' });
      continue;
    }
    if (ip.obs) observeTruth(ip.obs, cond, b.st, (x) => ip.pureValue(x, b.st));
    const t = truth(b.v);
    if (t instanceof Unknown) out.push(...resolveTruth(ip, b.st, b.v, loc, exprText(cond)));
    else {
      ip.step(b.st, loc, 'condition', `if (${exprText(cond)}) → ${t}`);
      out.push({ st: b.st, value: t });
    }
  }
  return out;
}

function execStmt(ip: Interp, s: Stmt, st: St, depth: number): Res[] {
  if (forkLimit(ip, 0)) return [{ st, flow: 'exit' }];
  switch (s.k) {
    case 'call': {
      const branches = ip.eval({ k: 'call', name: s.name, args: s.args, loc: s.loc }, st, depth);
      return branches.map((b) => ({ st: b.st, flow: b.exit || b.st.final ? 'exit' : 'next' }));
    }
    case 'assign': {
      return ip.eval(s.value, st, depth).map((b) => {
        if (b.exit) return { st: b.st, flow: 'exit' as Flow };
        let v = b.v;
        if (s.op === '+=') {
          const old = readPv(s.target, b.st, ip);
          v = isUnknown(old) || isUnknown(v) ? new Unknown(`${s.target}`) : typeof old === 'number' && typeof v === 'number' ? old + v : `${asString(old) ?? ''}${asString(v) ?? ''}`;
        }
        const before = /^\$(rU|rd|ru|rp|du)$/.test(s.target) ? true : false;
        if (ip.obs && b.st.sym) trackAssignment(ip, s.target, s.op, s.value, b.st);
        writePv(s.target, v, b.st, ip);
        if (before) ip.step(b.st, s.loc, 'rewrite', `${s.target} = ${fmt(v)} → R-URI ${fmt(uriString(b.st.ruri))}`);
        return { st: b.st, flow: 'next' as Flow };
      });
    }
    case 'if': {
      const out: Res[] = [];
      for (const d of decide(ip, s.cond, st, depth, s.loc)) {
        if (d.value === 'exit') out.push({ st: d.st, flow: 'exit' });
        else if (d.value) out.push(...execList(ip, s.then, d.st, depth));
        else if (s.else) out.push(...execList(ip, s.else, d.st, depth));
        else out.push({ st: d.st, flow: 'next' });
      }
      if (forkLimit(ip, out.length)) return out.slice(0, MAX_PATHS);
      return out;
    }
    case 'switch':
      return execSwitch(ip, s, st, depth);
    case 'while': {
      let live: Res[] = [{ st, flow: 'next' }];
      const done: Res[] = [];
      for (let n = 0; n < MAX_LOOP && live.length; n++) {
        const nextLive: Res[] = [];
        for (const r of live) {
          for (const d of decide(ip, s.cond, r.st, depth, s.loc)) {
            if (d.value === 'exit') done.push({ st: d.st, flow: 'exit' });
            else if (!d.value) done.push({ st: d.st, flow: 'next' });
            else
              for (const b of execList(ip, s.body, d.st, depth)) {
                if (b.flow === 'break') done.push({ st: b.st, flow: 'next' });
                else if (b.flow === 'next') nextLive.push(b);
                else done.push(b);
              }
          }
        }
        live = nextLive;
        if (forkLimit(ip, live.length + done.length)) break;
      }
      if (live.length) {
        ip.limited = `while loop at ${s.loc.file}:${s.loc.line} ran more than ${MAX_LOOP} times`;
        done.push(...live.map((r) => ({ st: r.st, flow: 'exit' as Flow })));
      }
      return done;
    }
    case 'return': {
      if (!s.value) return [{ st, flow: 'return', rv: 1 }];
      return ip.eval(s.value, st, depth).map((b) => {
        if (b.exit) return { st: b.st, flow: 'exit' as Flow };
        const n = typeof b.v === 'boolean' ? (b.v ? 1 : 0) : b.v;
        // action.c: return 0 also sets EXIT_R_F
        if (n === 0 || n === '0') {
          ip.step(b.st, s.loc, 'exit', 'return 0: ends the script');
          return { st: b.st, flow: 'exit' as Flow };
        }
        return { st: b.st, flow: 'return' as Flow, rv: n };
      });
    }
    case 'exit':
    case 'drop':
      ip.step(st, s.loc, 'exit', st.final ? s.k : `${s.k}: the script ends${st.final ? '' : ' with nothing sent'}`);
      return [{ st, flow: 'exit' }];
    case 'break':
      return [{ st, flow: 'break' }];
    case 'block':
      return execList(ip, s.body, st, depth);
  }
}

function execSwitch(ip: Interp, s: Extract<Stmt, { k: 'switch' }>, st: St, depth: number): Res[] {
  const out: Res[] = [];
  for (const b of ip.eval(s.subject, st, depth)) {
    if (b.exit) {
      out.push({ st: b.st, flow: 'exit' });
      continue;
    }
    // Which case each path starts at; fall-through runs the following bodies until break.
    const starts: { st: St; index: number }[] = [];
    if (isUnknown(b.v)) {
      s.cases.forEach((c, i) => {
        const st2 = cloneSt(b.st);
        st2.conditions.push(`${exprText(s.subject)} is ${c.value ? exprText(c.value) : 'none of the cases'} (${(b.v as Unknown).why})`);
        starts.push({ st: st2, index: i });
      });
      if (!s.cases.some((c) => !c.value)) {
        const st2 = cloneSt(b.st);
        st2.conditions.push(`${exprText(s.subject)} matches no case`);
        starts.push({ st: st2, index: s.cases.length });
      }
    } else {
      let idx = s.cases.findIndex((c) => {
        if (!c.value) return false;
        const cv = c.value.k === 'str' ? c.value.value : c.value.k === 'num' ? c.value.value : c.value.k === 'id' ? c.value.name : null;
        return equals(b.v, cv) === true;
      });
      if (idx < 0) idx = s.cases.findIndex((c) => !c.value);
      if (idx < 0) idx = s.cases.length;
      if (ip.obs) {
        const values = s.cases.map((c) => (!c.value ? null : c.value.k === 'str' ? c.value.value : c.value.k === 'num' ? c.value.value : c.value.k === 'id' ? c.value.name : null));
        const compared = s.cases.map((c, i) => ({ c, i })).filter((x) => x.c.value);
        const takenAt = compared.findIndex((x) => x.i === idx);
        observeSwitch(ip.obs, s.subject, b.st, b.v, compared.map((x) => values[x.i]), takenAt < 0 ? compared.length : takenAt, (x) => ip.pureValue(x, b.st));
      }
      ip.step(b.st, s.loc, 'condition', `switch (${exprText(s.subject)}) = ${fmt(b.v)} → ${idx < s.cases.length ? (s.cases[idx].value ? `case ${exprText(s.cases[idx].value!)}` : 'default') : 'no case'}`);
      starts.push({ st: b.st, index: idx });
    }
    for (const start of starts) {
      let live: Res[] = [{ st: start.st, flow: 'next' }];
      for (let i = start.index; i < s.cases.length && live.some((r) => r.flow === 'next'); i++) {
        const next: Res[] = [];
        for (const r of live) {
          if (r.flow !== 'next') next.push(r);
          else next.push(...execList(ip, s.cases[i].body, r.st, depth));
        }
        live = next;
      }
      out.push(...live.map((r) => (r.flow === 'break' ? { st: r.st, flow: 'next' as Flow } : r)));
    }
  }
  return out;
}

export function fmt(v: Val): string {
  if (v instanceof Unknown) return `<${v.why}>`;
  if (v === null) return '$null';
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
}

/** `X == myself` when X itself is not known: the condition names the check, the hint says what to give. */
function unknownSelf(ip: Interp, what: string, u: Unknown): Unknown {
  ip.notModelled(u.why);
  return new Unknown(`${what} is one of the server's own addresses`);
}

/** The operand of `… == myself`: which URI or address is checked, and how (route.c comp_myself). */
function myselfCheck(ip: Interp, operand: Expr, st: St): boolean | Unknown | ElemError {
  const req = ip.req;
  if (operand.k === 'id') {
    if (operand.name === 'uri') {
      // route.c eval_elem URI_O with MYSELF_ST: parse_sip_msg_uri fails → -1, false for == and != alike.
      if (st.ruri.unparsed) return ELEM_ERROR;
      if (isUnknown(st.ruri.host)) return unknownSelf(ip, 'the Request-URI host', st.ruri.host);
      const host = asString(st.ruri.host) ?? '';
      const port = st.ruri.port ?? (st.ruri.transport === 'tls' ? 5061 : 5060);
      // route.c check_self_op calls check_self(host, port, 0): the transport is not compared
      // (kamailio 5.6.3 src/core/route.c; proto 0 matches any socket and alias, name_alias.h).
      return checkSelf(ip.model, host as string, port, undefined, ip.notModelled);
    }
    // from_uri/to_uri == myself compare the URI's port too, 5060 when it has none (route.c, like uri==myself)
    if (operand.name === 'from_uri') return isUnknown(req.fromDomain) ? unknownSelf(ip, 'the From host', req.fromDomain) : checkSelf(ip.model, String(req.fromDomain ?? ''), req.fromPort ?? 5060, undefined, ip.notModelled);
    if (operand.name === 'to_uri') return isUnknown(req.toDomain) ? unknownSelf(ip, 'the To host', req.toDomain) : checkSelf(ip.model, String(req.toDomain ?? ''), req.toPort ?? 5060, undefined, ip.notModelled);
    if (operand.name === 'src_ip' || operand.name === 'dst_ip') {
      if (operand.name === 'dst_ip') return true;
      return isUnknown(req.sourceIp) ? unknownSelf(ip, 'the source IP', req.sourceIp) : checkSelf(ip.model, String(req.sourceIp), undefined, undefined, ip.notModelled);
    }
  }
  ip.notModelled(`${exprText(operand)} == myself`);
  return new Unknown(`${exprText(operand)} is myself`);
}

/** Core keywords used as operands (cfg.y exp_elem: uri, method, src_ip, …). */
function keywordValue(ip: Interp, name: string, st: St): Val | undefined {
  const req = ip.req;
  switch (name) {
    case 'uri':
      return uriString(st.ruri);
    case 'method':
      return req.method;
    case 'from_uri':
      return readPv('$fu', st, ip);
    case 'to_uri':
      return readPv('$tu', st, ip);
    case 'src_ip':
      return req.sourceIp;
    case 'proto':
      return req.ruri.transport ?? 'udp';
    case 'af':
      return 'inet';
    case 'udp':
    case 'tcp':
    case 'tls':
    case 'sctp':
    case 'inet':
    case 'inet6':
      return name;
    case 'msg:len':
      return 400;
    case 'myself':
      return new Unknown('myself');
  }
  return undefined;
}

function ipInNet(ip: string, net: string, bits: number): boolean {
  const toInt = (s: string) => s.split('.').reduce((a, b) => (a << 8) + Number(b), 0) >>> 0;
  if (!/^[0-9.]+$/.test(ip) || !/^[0-9.]+$/.test(net)) return false;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (toInt(ip) & mask) === (toInt(net) & mask);
}

function evalExpr(ip: Interp, e: Expr, st: St, depth: number): Branch[] {
  switch (e.k) {
    case 'str':
      // A string in an expression is a plain value (rvalue.c); only function parameters expand
      // pseudo-variables (fparam format strings).
      return [{ st, v: e.value }];
    case 'num':
      return [{ st, v: Number.isFinite(e.value) ? e.value : e.raw }];
    case 'pv':
      return [{ st, v: readPv(e.raw, st, ip) }];
    case 'sel':
      return [{ st, v: readSelect(e.raw.slice(1), ip) }];
    case 'id': {
      const kv = keywordValue(ip, e.name, st);
      if (kv !== undefined) return [{ st, v: kv }];
      const def = ip.model.defines.get(e.name);
      if (def) return [{ st, v: def.value ?? 1 }];
      // A bare word in an expression is a module function called without parentheses.
      return callFunction(ip, e.name, [], st, depth, e.loc);
    }
    case 'call':
      if (e.name === 'route') {
        const target = e.args[0];
        const name = target?.k === 'id' ? target.name : target?.k === 'str' ? target.value : target?.k === 'num' ? target.raw : null;
        if (name === null) {
          ip.notModelled(`route(${target ? exprText(target) : ''}) with a computed name`);
          return [{ st, v: new Unknown(`route(${target ? exprText(target) : ''})`) }];
        }
        return ip.runRoute(name, st, depth, e.loc).map((r) => ({ st: r.st, v: r.st.rc, exit: r.flow === 'exit' }));
      }
      if (e.name === 'strempty' || e.name === 'strlen') {
        return ip.eval(e.args[0] ?? { k: 'str', value: '', loc: e.loc }, st, depth).map((b) => {
          const s = asString(b.v);
          if (isUnknown(s)) return { ...b, v: s };
          return { ...b, v: e.name === 'strempty' ? !s : (s ?? '').length };
        });
      }
      return callFunction(ip, e.name, e.args, st, depth, e.loc);
    case 'unop': {
      if (e.op === 'defined') {
        return ip.eval(e.e, st, depth).map((b) => ({ ...b, v: isUnknown(b.v) ? b.v : b.v !== null }));
      }
      return ip.eval(e.e, st, depth).map((b) => {
        if (b.exit) return b;
        if (e.op === '!') {
          // !(-1) of a core test that failed is 0 (rvalue.c: a non-zero int is true), see ElemError.
          if (b.v instanceof ElemError) return { ...b, v: false };
          const t = truth(b.v);
          return { ...b, v: isUnknown(t) ? t.not() : !t };
        }
        if (isUnknown(b.v)) return b;
        const n = Number(b.v);
        return { ...b, v: e.op === '-' ? -n : ~n };
      });
    }
    case 'binop':
      return evalBinop(ip, e, st, depth);
  }
}

function evalBinop(ip: Interp, e: Extract<Expr, { k: 'binop' }>, st: St, depth: number): Branch[] {
  const op = e.op;
  if ((op === '==' || op === '!=') && (e.r.k === 'id' && e.r.name === 'myself')) {
    const r = myselfCheck(ip, e.l, st);
    // check_self_op's -1 stays -1 for == and != alike (route.c eval_elem: parse_sip_msg_uri failed).
    return [{ st, v: r instanceof ElemError ? r : isUnknown(r) ? (op === '==' ? r : r.not()) : op === '==' ? r : !r }];
  }
  if (op === '&&' || op === '||') {
    // Short-circuit (rvalue.c); an unknown operand splits the path here.
    const out: Branch[] = [];
    for (const l of ip.eval(e.l, st, depth)) {
      if (l.exit) {
        out.push(l);
        continue;
      }
      if (ip.obs) observeTruth(ip.obs, e.l, l.st, (x) => ip.pureValue(x, l.st));
      // A core test's -1 (ElemError) is a non-zero int, true, as an operand of && and ||.
      for (const lt of resolveTruth(ip, l.st, l.v instanceof ElemError ? true : l.v, e.loc, null)) {
        if (op === '&&' ? !lt.value : lt.value) {
          out.push({ st: lt.st, v: lt.value });
          continue;
        }
        for (const r of ip.eval(e.r, lt.st, depth)) {
          if (r.exit) {
            out.push(r);
            continue;
          }
          if (ip.obs) observeTruth(ip.obs, e.r, r.st, (x) => ip.pureValue(x, r.st));
          for (const rt of resolveTruth(ip, r.st, r.v instanceof ElemError ? true : r.v, e.loc, null)) out.push({ st: rt.st, v: rt.value });
        }
      }
    }
    return out;
  }
  const out: Branch[] = [];
  for (const l of ip.eval(e.l, st, depth)) {
    if (l.exit) {
      out.push(l);
      continue;
    }
    for (const r of ip.eval(e.r, l.st, depth)) {
      if (r.exit) {
        out.push(r);
        continue;
      }
      const v = binValue(ip, e, l.v, r.v);
      if (ip.obs) observeComparison(ip.obs, e, r.st, l.v, r.v, v, (x) => ip.pureValue(x, r.st));
      out.push({ st: r.st, v });
    }
  }
  return out;
}

function binValue(ip: Interp, e: Extract<Expr, { k: 'binop' }>, l: Val, r: Val): Val {
  const op = e.op;
  if (op === '=~') {
    if (isUnknown(l)) return l;
    if (isUnknown(r)) return r;
    // $null is "" to =~ (kamailio 5.6.3 src/core/rvalue.c rval_get_tmp_str: "handle undefined
    // => result \"\", return success"), so `$rU =~ "^[0-9]*$"` is true for a URI without user.
    const m = ereMatch(String(asString(r) ?? ''), String(asString(l) ?? ''));
    if (m === null) {
      ip.notModelled(`regular expression ${JSON.stringify(asString(r))}`);
      return new Unknown(`${exprText(e.l)} matches ${JSON.stringify(asString(r))}`);
    }
    return m;
  }
  if (op === '==' || op === '!=' || op === 'eq' || op === 'ne' || op === 'ieq' || op === 'ine') {
    // method == "INVITE" compares case-insensitively (route.c METHOD_O)
    if (e.l.k === 'id' && e.l.name === 'method' && typeof l === 'string' && typeof r === 'string') {
      const m = l.toUpperCase() === r.toUpperCase();
      return op === '==' || op === 'eq' || op === 'ieq' ? m : !m;
    }
    // src_ip == 10.0.0.0/8
    if (e.l.k === 'id' && e.l.name === 'src_ip' && e.r.k === 'binop' && e.r.op === '/') {
      if (isUnknown(l)) return l;
      const net = e.r.l.k === 'num' ? e.r.l.raw : '';
      const bits = e.r.r.k === 'num' ? Number(e.r.r.raw) : 32;
      const m = ipInNet(String(l), net, bits);
      return op === '==' ? m : !m;
    }
    let res: boolean | Unknown;
    if (op === 'ieq' || op === 'ine') res = isUnknown(l) ? l : isUnknown(r) ? r : Number(l) === Number(r);
    else if (op === 'eq' || op === 'ne') res = isUnknown(l) ? l : isUnknown(r) ? r : asString(l) === asString(r);
    else res = equals(l, r);
    if (isUnknown(res)) return new Unknown(`${exprText(e)} (${res.why})`);
    return op === '==' || op === 'eq' || op === 'ieq' ? res : !res;
  }
  if (isUnknown(l)) return l;
  if (isUnknown(r)) return r;
  if (op === '+' && (typeof l === 'string' || typeof r === 'string' || l === null || r === null)) return `${asString(l) ?? ''}${asString(r) ?? ''}`;
  const a = Number(l);
  const b = Number(r);
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return b === 0 ? new Unknown('division by zero') : Math.trunc(a / b);
    case '%':
      return b === 0 ? new Unknown('modulo by zero') : a % b;
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    case '>=':
      return a >= b;
    case '&':
      return a & b;
    case '|':
      return a | b;
    case '^':
      return a ^ b;
    case '<<':
      return a << b;
    case '>>':
      return a >> b;
  }
  ip.notModelled(`operator ${op}`);
  return new Unknown(exprText(e));
}

/** An expression's value when it has no side effects (literals, pseudo-variables, operators on them); Unknown otherwise. */
function pureValue(ip: Interp, e: Expr, st: St): Val {
  switch (e.k) {
    case 'str':
      return e.value;
    case 'num':
      return Number.isFinite(e.value) ? e.value : e.raw;
    case 'pv':
      return readPv(e.raw, st, ip);
    case 'binop': {
      if (e.op === '&&' || e.op === '||') break;
      const l = pureValue(ip, e.l, st);
      const r = pureValue(ip, e.r, st);
      return binValue(ip, e, l, r);
    }
    case 'id': {
      const kv = keywordValue(ip, e.name, st);
      if (kv !== undefined) return kv;
      break;
    }
  }
  return new Unknown(exprText(e));
}

/** Coverage: what an assignment does to the derivations the path tracks (observe.ts). */
function trackAssignment(ip: Interp, target: string, op: string, value: Expr, st: St): void {
  const obs = ip.obs as ObserveCtx;
  const sym = st.sym!;
  let s = symOf(obs, value, st, (x) => pureValue(ip, x, st));
  if (op === '+=') {
    const old = symOf(obs, { k: 'pv', raw: target, loc: value.loc } as Expr, st);
    if (old !== null || s !== null) s = { opaque: `${target} += … with a value derived from the dialled number` };
  }
  // a copy of the Request-URI host: later tests on it would tell apart hosts of one class of the domain map
  if (s === null && obs.domainClass && obs.domainClass !== 'exact' && readsRd(value) && st.ruri.host === obs.req.ruri.host) s = { opaque: `${target} holds a value computed from the Request-URI host, which the domain map does not split hosts by` };
  const m = /^\$(\w+)(?:\((.*)\))?$/.exec(target);
  const name = m?.[1] ?? '';
  if (name === 'rU') sym.user = userAfterAssign(s);
  else if (name === 'ru') sym.user = s === null ? null : { opaque: `$ru assigned a value derived from the dialled number` };
  else if (name === 'du') {
    if (s === null) sym.vars.delete('du');
    else sym.vars.set('du', s);
  } else if (['var', 'avp', 'xavp', 'xavu', 'xavi', 'shv', 'sht', 'dlg_var'].includes(name)) {
    const key = `${name}:${m?.[2]}`;
    if (s === null) sym.vars.delete(key);
    else sym.vars.set(key, s);
  }
}
