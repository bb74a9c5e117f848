/**
 * `pbxlint route` for FreeSWITCH: where a call enters (sofia.c sofia_handle_sip_i_invite: the
 * ACL context, else the authenticated user's `user_context`, else the profile's `context`), what
 * sofia answers a caller that must authenticate and cannot (sofia_reg.c
 * sofia_reg_handle_register_token: 407 challenge, 403 for a user missing from the directory), then
 * the XML dialplan hunt (hunt.ts) and the applications it collected (execute.ts).
 */
import { parseDialTarget } from '../../core/sip-uri';
import type { FreeswitchModel, SofiaProfile } from '../../model/freeswitch';
import { RouteUsageError, summarizeOutcomes, type RouteOutcome, type RouteRequest, type RouteStep, type Resolver } from '../types';
import { findDomain, findUser, unknown } from './expand';
import { route, type Call } from './execute';
import { MAX_WORLDS, type CallerProfile, type HuntEnv, type World } from './hunt';
import { authDomainName, enter, stepAt, type Entry } from './entry';
import { initialVarSyms } from './observe';
import { IDENTITY } from '../../coverage/derive';

/** The Max-Forwards an INVITE is assumed to carry (RFC 3261 8.1.1.6: 70). */
export const INVITE_MAX_FORWARDS = 70;

/** The methods sofia-sip parses to a code of their own (sip_parser.c sip_method_d), case-sensitive. */
const SOFIA_METHODS = new Set(['ACK', 'BYE', 'CANCEL', 'INVITE', 'INFO', 'MESSAGE', 'NOTIFY', 'OPTIONS', 'PRACK', 'PUBLISH', 'REGISTER', 'REFER', 'SUBSCRIBE', 'UPDATE']);

export function findProfile(model: FreeswitchModel, name: string): SofiaProfile | undefined {
  const n = name.toLowerCase();
  return model.profiles.find((p) => p.name.toLowerCase() === n) ?? model.profiles.find((p) => p.aliases.some((a) => a.toLowerCase() === n));
}

/**
 * destination_number as sofia.c sofia_handle_sip_i_invite sets it: the Request-URI user; a URI
 * without one (`sip:host`, url_user NULL) takes the To user (--to; by default the To is the
 * Request-URI, without user too), then the From user, and else "service". `sip:@host` has a
 * user, the empty one.
 */
function destinationNumber(req: RouteRequest): string {
  if (hasUser(req)) return req.user;
  const to = req.to?.trim().replace(/^<|>$/g, '');
  const toUser = to === undefined ? '' : /^(sips?|tel):/i.test(to) ? parseDialTarget(to).user : to.split('@')[0];
  return toUser || req.fromUser || 'service';
}

function hasUser(req: RouteRequest): boolean {
  return req.user !== '' || req.ruriMalformed !== undefined;
}

function describeRequest(req: RouteRequest, profile: SofiaProfile | undefined): string {
  const ruri = `sip:${hasUser(req) ? `${req.user}${req.domain ? '@' : ''}` : ''}${req.domain ?? ''}`;
  const from = req.fromUser ? ` from ${req.fromUser}${req.fromDomain ? `@${req.fromDomain}` : ''}` : '';
  const where = req.context ? ` in context ${req.context}` : profile ? ` on sofia profile ${profile.name}` : '';
  return `${req.method} ${ruri}${from}${where}`;
}

export const freeswitchResolver: Resolver<FreeswitchModel> = {
  route(model, request) {
    const notModelled: string[] = [];
    const env: HuntEnv = { model, request, notModelled, budget: { worlds: MAX_WORLDS }, obs: request.observe ? { observe: request.observe, model } : undefined };
    let profile: SofiaProfile | undefined;
    if (request.profile !== undefined) {
      profile = findProfile(model, request.profile);
      if (!profile) throw new RouteUsageError(`no sofia profile "${request.profile}" (profiles: ${model.profiles.map((p) => p.name).join(', ') || 'none'})`);
    } else if (request.context === undefined) {
      if (model.profiles.length === 1) profile = model.profiles[0];
      else if (model.profiles.length > 1) throw new RouteUsageError(`name the sofia profile that receives the call (--profile ${model.profiles.map((p) => p.name).join('|')}) or a dialplan context (--context)`);
    }
    const description = describeRequest(request, profile);
    if (!SOFIA_METHODS.has(request.method)) {
      // sofia-sip answers a method it does not know before FreeSWITCH sees the request: method names
      // are case-sensitive (sip_parser.c sip_method_d), mod_sofia's Allow lists only standard ones
      // (sofia.c nua_set_params), and nua_server.c nua_stack_process_request → nta_check.c
      // nta_check_method replies 501 Not Implemented to an unknown method.
      const reason = `sofia-sip does not know the method ${request.method} (names are case-sensitive): 501 Not Implemented before the dialplan`;
      return summarizeOutcomes('freeswitch', description, [{ verdict: 'rejected', status: 501, reason, target: null, steps: [], conditions: [] }], notModelled);
    }
    if (request.method === 'REGISTER') return summarizeOutcomes('freeswitch', description, [register(model, profile, request)], notModelled);
    if (request.method !== 'INVITE') {
      notModelled.push(`${request.method} requests (only INVITE and REGISTER are simulated; this one is routed like an INVITE)`);
    }

    const w: World = { vars: new Map(), steps: [], conditions: [], collected: [], timePasses: [] };
    if (env.obs) w.sym = initialVarSyms();
    const vars = w.vars;
    // Channel variables sofia sets from the INVITE (sofia_handle_sip_i_invite); anything else is unset ("").
    const destination = destinationNumber(request);
    if (hasUser(request)) {
      vars.set('sip_req_user', request.user);
      vars.set('sip_to_user', request.user);
    }
    // destination_number is not a channel variable: ${destination_number} reads the caller
    // profile's field (hunt.ts lookupIn), which a transfer changes.
    if (request.domain) {
      vars.set('sip_req_host', request.domain);
      vars.set('sip_to_host', request.domain);
    }
    if (request.fromUser) vars.set('sip_from_user', request.fromUser);
    const fromHost = request.fromDomain ?? request.domain;
    if (fromHost) vars.set('sip_from_host', fromHost);
    if (request.sourceIp) vars.set('sip_network_ip', request.sourceIp);
    if (profile) vars.set('sofia_profile_name', profile.name);
    // sofia.c sofia_handle_sip_i_invite copies the INVITE's Max-Forwards into max_forwards; a
    // UAC sends 70 (RFC 3261 8.1.1.6). switch_ivr_session_transfer counts transfers down from it.
    vars.set('max_forwards', String(INVITE_MAX_FORWARDS));

    const dialplan = profile?.params.get('dialplan')?.value || 'XML';
    const entries: Entry[] = request.context === undefined && profile ? enter(model, profile, request, w, notModelled) : [{ w, context: request.context ?? 'default' }]; // dialplan_hunt: no context is "default"
    const paths: RouteOutcome[] = [];
    for (const e of entries) {
      if ('outcome' in e) {
        paths.push(e.outcome);
        continue;
      }
      const p: CallerProfile = {
        destination,
        context: e.context,
        dialplan,
        // sofia takes these from the INVITE (From user and display name, the source address):
        // what the request does not give is not known, so conditions on it fork (hunt.ts test()).
        callerIdNumber: request.callerId ?? request.fromUser ?? unknown('caller_id_number'),
        callerIdName: request.fromUser ?? unknown('caller_id_name'),
        networkAddr: request.sourceIp ?? unknown('network_addr'),
        username: request.fromUser ?? unknown('username'),
        source: 'mod_sofia',
      };
      if (env.obs) p.destSym = IDENTITY;
      const call: Call = { w: e.w, p, answered: false, transfers: 0, profile };
      paths.push(...route(env, call, dialplan));
    }
    return summarizeOutcomes('freeswitch', description, dropIrrelevantTime(paths), notModelled);
  },
};

/**
 * REGISTER (sofia_reg.c sofia_reg_handle_register_token): refused (403) when the profile has
 * disable-register; challenged (401) without credentials; 403 "Can't find user" when the user is
 * not in the directory domain (or is a pointer); otherwise 200 OK.
 */
function register(model: FreeswitchModel, profile: SofiaProfile | undefined, request: RouteRequest): RouteOutcome {
  const reject = (status: number, reason: string, steps: RouteStep[] = []): RouteOutcome => ({ verdict: 'rejected', status, reason, target: null, steps, conditions: [] });
  if (!profile) throw new RouteUsageError('REGISTER: name the sofia profile that receives it (--profile)');
  const disable = profile.params.get('disable-register');
  if (disable && /^(true|yes|on|1)$/i.test(disable.value)) return reject(403, `profile ${profile.name} has disable-register`, [stepAt(disable.location, 'reply', 'disable-register: 403 Forbidden')]);
  if (request.fromUser === undefined) return reject(401, `REGISTER without credentials is challenged (401); give --from-user to simulate a phone that answers the challenge`, [stepAt(profile.location, 'reply', `sofia profile ${profile.name}: 401 Unauthorized challenge`)]);
  const domainName = authDomainName(model, profile, request);
  const domain = domainName !== undefined ? findDomain(model, domainName) : undefined;
  const user = domain && findUser(domain, request.fromUser);
  const at = profile.forceRegisterDomain?.location ?? profile.location;
  if (!domain || !user || user.pointer) {
    return reject(403, `"Can't find user [${request.fromUser}@${domainName ?? ''}]"${user?.pointer ? ' (a pointer cannot register)' : ''}: AUTH_FORBIDDEN → 403`, [stepAt(at, 'reply', `directory lookup of ${request.fromUser}@${domainName ?? '(no domain)'} fails → 403 Forbidden`)]);
  }
  return {
    verdict: 'routed',
    status: null,
    reason: `${user.id}@${domain.name} registers (200 OK) once its password matches`,
    target: { kind: 'registrar', name: `${user.id}@${domain.name}` },
    steps: [stepAt(user.location, 'identify', `directory user ${user.id}@${domain.name}`)],
    conditions: ['the password matches'],
  };
}

/**
 * An outcome reached at several different times does not depend on the time: its time assumptions
 * are dropped, so `depends` answers list only what decides between outcomes.
 */
function dropIrrelevantTime(paths: RouteOutcome[]): RouteOutcome[] {
  const key = (o: RouteOutcome) => `${o.verdict}\0${o.status}\0${o.target?.kind ?? ''}\0${o.target?.name ?? ''}`;
  const isTime = (c: string) => c.startsWith('time matches') || c.startsWith('time does not match');
  const times = new Map<string, Set<string>>();
  for (const o of paths) {
    const k = key(o);
    if (!times.has(k)) times.set(k, new Set());
    (times.get(k) as Set<string>).add(o.conditions.filter(isTime).join('\0'));
  }
  return paths.map((o) => ((times.get(key(o)) as Set<string>).size > 1 ? { ...o, conditions: o.conditions.filter((c) => !isTime(c)) } : o));
}
