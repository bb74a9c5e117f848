/**
 * `pbxlint route` for FreeSWITCH: where a call enters (sofia.c sofia_handle_sip_i_invite: the
 * ACL context, else the authenticated user's `user_context`, else the profile's `context`), what
 * sofia answers a caller that must authenticate and cannot (sofia_reg.c
 * sofia_reg_handle_register_token: 407 challenge, 403 for a user missing from the directory), then
 * the XML dialplan hunt (hunt.ts) and the applications it collected (execute.ts).
 */
import type { FreeswitchModel, SofiaProfile } from '../../model/freeswitch';
import { RouteUsageError, summarizeOutcomes, type RouteOutcome, type RouteRequest, type RouteStep, type Resolver } from '../types';
import { findDomain, findUser } from './expand';
import { route, type Call } from './execute';
import { MAX_WORLDS, type CallerProfile, type HuntEnv, type World } from './hunt';

export function findProfile(model: FreeswitchModel, name: string): SofiaProfile | undefined {
  const n = name.toLowerCase();
  return model.profiles.find((p) => p.name.toLowerCase() === n) ?? model.profiles.find((p) => p.aliases.some((a) => a.toLowerCase() === n));
}

function describeRequest(req: RouteRequest, profile: SofiaProfile | undefined): string {
  const ruri = `sip:${req.user}${req.domain ? `@${req.domain}` : ''}`;
  const from = req.fromUser ? ` from ${req.fromUser}${req.fromDomain ? `@${req.fromDomain}` : ''}` : '';
  const where = req.context ? ` in context ${req.context}` : profile ? ` on sofia profile ${profile.name}` : '';
  return `${req.method} ${ruri}${from}${where}`;
}

function stepAt(loc: { file: string; line: number; column: number }, kind: string, text: string): RouteStep {
  return { file: loc.file, line: loc.line, column: loc.column, kind, text };
}

export const freeswitchResolver: Resolver<FreeswitchModel> = {
  route(model, request) {
    const notModelled: string[] = [];
    const env: HuntEnv = { model, request, notModelled, budget: { worlds: MAX_WORLDS } };
    let profile: SofiaProfile | undefined;
    if (request.profile !== undefined) {
      profile = findProfile(model, request.profile);
      if (!profile) throw new RouteUsageError(`no sofia profile "${request.profile}" (profiles: ${model.profiles.map((p) => p.name).join(', ') || 'none'})`);
    } else if (request.context === undefined) {
      if (model.profiles.length === 1) profile = model.profiles[0];
      else if (model.profiles.length > 1) throw new RouteUsageError(`name the sofia profile that receives the call (--profile ${model.profiles.map((p) => p.name).join('|')}) or a dialplan context (--context)`);
    }
    const description = describeRequest(request, profile);
    if (request.method === 'REGISTER') return summarizeOutcomes('freeswitch', description, [register(model, profile, request)], notModelled);
    if (request.method !== 'INVITE') {
      notModelled.push(`${request.method} requests (only INVITE and REGISTER are simulated; this one is routed like an INVITE)`);
    }

    const w: World = { vars: new Map(), steps: [], conditions: [], collected: [], timePasses: [] };
    const vars = w.vars;
    // Channel variables sofia sets from the INVITE (sofia_handle_sip_i_invite); anything else is unset ("").
    vars.set('sip_req_user', request.user);
    vars.set('sip_to_user', request.user);
    vars.set('destination_number', request.user);
    if (request.domain) {
      vars.set('sip_req_host', request.domain);
      vars.set('sip_to_host', request.domain);
    }
    if (request.fromUser) vars.set('sip_from_user', request.fromUser);
    const fromHost = request.fromDomain ?? request.domain;
    if (fromHost) vars.set('sip_from_host', fromHost);
    if (request.sourceIp) vars.set('sip_network_ip', request.sourceIp);
    if (profile) vars.set('sofia_profile_name', profile.name);

    let context = request.context;
    if (context === undefined && profile) {
      const entry = authenticate(model, profile, request, w, notModelled);
      if ('outcome' in entry) return summarizeOutcomes('freeswitch', description, [entry.outcome], notModelled);
      context = entry.context;
    }
    if (context === undefined) context = 'default'; // dialplan_hunt: a NULL context is "default"
    const dialplan = profile?.params.get('dialplan')?.value || 'XML';
    const p: CallerProfile = {
      destination: request.user,
      context,
      dialplan,
      callerIdNumber: request.callerId ?? request.fromUser ?? '',
      callerIdName: request.fromUser ?? '',
      networkAddr: request.sourceIp ?? '',
      username: request.fromUser ?? '',
      source: 'mod_sofia',
    };
    const call: Call = { w, p, answered: false, transfers: 0, profile };
    const paths: RouteOutcome[] = route(env, call, dialplan);
    return summarizeOutcomes('freeswitch', description, dropIrrelevantTime(paths), notModelled);
  },
};

/** The directory domain sofia looks a caller up in (sofia_reg.c sofia_reg_parse_auth: reg_domain, else the realm). */
function authDomainName(model: FreeswitchModel, profile: SofiaProfile, request: RouteRequest): string | undefined {
  const realmSetting = profile.challengeRealm?.value;
  const realm = !realmSetting || realmSetting.toLowerCase() === 'auto_to' ? request.domain : realmSetting.toLowerCase() === 'auto_from' ? (request.fromDomain ?? request.domain) : realmSetting;
  return profile.forceRegisterDomain?.value || realm || (model.directory.domains.length === 1 ? model.directory.domains[0].name : undefined);
}

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

/**
 * Authentication and the entry context on a profile. With `auth-calls`, sofia challenges every
 * INVITE (407) unless an inbound ACL passes it; a caller who answers the challenge is looked up in
 * the directory domain `force-register-domain` (else the realm it answered: challenge-realm
 * auto_to → To host, auto_from → From host) — missing → 403. The authenticated user's variables are
 * set on the channel, and its `user_context` chooses the context.
 */
function authenticate(model: FreeswitchModel, profile: SofiaProfile, request: RouteRequest, w: World, notModelledNote: string[]): { context: string } | { outcome: RouteOutcome } {
  const profileContext = profile.context?.value ?? 'default';
  const ctxOf = (fallback: string) => (fallback.toLowerCase() === '_domain_' ? (request.fromDomain ?? request.domain ?? fallback) : fallback);
  if (profile.context) w.steps.push(stepAt(profile.context.location, 'identify', `sofia profile ${profile.name}: context "${profile.context.value}"`));
  if (!profile.authCalls || request.fromUser === undefined) {
    if (profile.authCalls) {
      if (profile.applyInboundAcl) {
        // sofia.c: an address the inbound ACL allows is authenticated without a challenge; ACL lists are not evaluated here.
        w.conditions.push(`the source address is not allowed by inbound ACL "${profile.applyInboundAcl.value}"`);
        if (request.sourceIp) notModelledNote.push(`inbound ACL "${profile.applyInboundAcl.value}" for ${request.sourceIp}`);
      }
      const where = profile.authCallsLocation ?? profile.location;
      w.steps.push(stepAt(where, 'reply', `auth-calls is on: sofia challenges the INVITE with 407 Proxy Authentication Required`));
      return {
        outcome: {
          verdict: 'rejected',
          status: 407,
          reason: `profile ${profile.name} has auth-calls=true: the INVITE is challenged (407); give --from-user to simulate a caller that authenticates as a directory user`,
          target: null,
          steps: w.steps,
          conditions: w.conditions,
        },
      };
    }
    return { context: ctxOf(profileContext) };
  }
  const domainName = authDomainName(model, profile, request);
  const domain = domainName !== undefined ? findDomain(model, domainName) : undefined;
  const user = domain && findUser(domain, request.fromUser);
  if (!domain || !user || user.pointer) {
    const where = profile.forceRegisterDomain?.location ?? profile.location;
    w.steps.push(stepAt(where, 'reply', `sofia looks up ${request.fromUser}@${domainName ?? '(no domain)'} in the directory: ${!domain ? 'no such domain' : !user ? 'no such user' : 'a pointer cannot authenticate'} → 403 Forbidden`));
    return {
      outcome: {
        verdict: 'rejected',
        status: 403,
        reason: `caller ${request.fromUser} cannot authenticate: "Can't find user [${request.fromUser}@${domainName ?? ''}]" (sofia_reg.c sofia_reg_parse_auth → AUTH_FORBIDDEN)`,
        target: null,
        steps: w.steps,
        conditions: w.conditions,
      },
    };
  }
  for (const [k, v] of user.variables) w.vars.set(k, v.value);
  w.vars.set('user_name', user.id);
  w.vars.set('domain_name', domain.name);
  w.vars.set('sip_authorized', 'true');
  const uc = user.variables.get('user_context');
  w.steps.push(stepAt(user.location, 'identify', `caller authenticates as ${user.id}@${domain.name}${uc ? `; user_context "${uc.value}"` : ''}`));
  return { context: uc ? uc.value : ctxOf(profileContext) };
}
