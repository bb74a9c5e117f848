/**
 * Where an INVITE enters the dialplan, as sofia.c sofia_handle_sip_i_invite decides it:
 *  1. the inbound ACLs (`apply-inbound-acl list[:pass-ctx[:fail-ctx]]`), in order: the first list
 *     that allows the source address wins (its pass context, and with auth-calls the call counts
 *     as authenticated — as the directory user a `domain=` node stands for, if any); when none
 *     does, the last list's fail context applies, and a profile without auth-calls refuses the
 *     call with 403 unless there is one;
 *  2. with auth-calls and no ACL pass: the digest challenge (407); a caller answering it is looked
 *     up in the directory (sofia_reg.c sofia_reg_parse_auth: force-register-domain, else the
 *     realm) — missing → 403; found → its variables are set on the channel;
 *  3. the context: the ACL context, else `user_context`, else the profile's `context`
 *     (`_domain_` → the From host).
 */
import type { DirectoryUser, FreeswitchModel, SofiaProfile } from '../../model/freeswitch';
import type { RouteOutcome, RouteRequest, RouteStep } from '../types';
import { aclCanAllow, checkAcl } from './acl';
import { findDomain, findUser } from './expand';
import { cloneWorld, conditionsOf, type World } from './hunt';

export type Entry = { w: World; context: string } | { outcome: RouteOutcome };

export function stepAt(loc: { file: string; line: number; column: number }, kind: string, text: string): RouteStep {
  return { file: loc.file, line: loc.line, column: loc.column, kind, text };
}

/** The directory domain sofia looks a caller up in (sofia_reg.c sofia_reg_parse_auth: reg_domain, else the realm answered). */
export function authDomainName(model: FreeswitchModel, profile: SofiaProfile, request: RouteRequest): string | undefined {
  const realmSetting = profile.challengeRealm?.value;
  const realm = !realmSetting || realmSetting.toLowerCase() === 'auto_to' ? request.domain : realmSetting.toLowerCase() === 'auto_from' ? (request.fromDomain ?? request.domain) : realmSetting;
  return profile.forceRegisterDomain?.value || realm || (model.directory.domains.length === 1 ? model.directory.domains[0].name : undefined);
}

function reject(w: World, status: number, reason: string): Entry {
  return { outcome: { verdict: 'rejected', status, reason, target: null, steps: w.steps, conditions: conditionsOf(w) } };
}

function adoptUser(w: World, user: DirectoryUser, domainName: string): void {
  for (const [k, v] of user.variables) w.vars.set(k, v.value);
  w.vars.set('user_name', user.id);
  w.vars.set('domain_name', domainName);
}

function contextOf(profile: SofiaProfile, request: RouteRequest, w: World, aclContext: string | undefined): string {
  if (aclContext) return aclContext;
  const uc = w.vars.get('user_context');
  if (uc) return uc;
  const pc = profile.context?.value ?? 'default';
  return pc.toLowerCase() === '_domain_' ? (request.fromDomain ?? request.domain ?? pc) : pc;
}

interface AclState {
  w: World;
  ok: boolean;
  aclContext?: string;
  token?: string;
}

/** Step 1: the inbound ACLs, forked when the source address is not given (or cannot be checked). */
function aclPhase(model: FreeswitchModel, profile: SofiaProfile, request: RouteRequest, w: World, notModelled: string[]): AclState[] {
  const acls = profile.inboundAcls;
  if (acls.length === 0) return [{ w, ok: false }];
  if (request.sourceIp) {
    let aclContext: string | undefined;
    for (const acl of acls) {
      const r = checkAcl(model, acl.list, request.sourceIp);
      if ('unknown' in r) {
        notModelled.push(r.unknown);
        w.conditions.push(`${request.sourceIp} is not allowed by ACL "${acl.list}"`);
        aclContext = acl.failContext;
        continue;
      }
      if (r.ok) {
        w.steps.push(stepAt(acl.location, 'identify', `inbound ACL "${acl.list}" allows ${request.sourceIp}${r.token ? ` as ${r.token}` : ''}`));
        return [{ w, ok: true, aclContext: acl.passContext ?? aclContext, token: r.token }];
      }
      aclContext = acl.failContext;
    }
    w.steps.push(stepAt(acls[acls.length - 1].location, 'identify', `no inbound ACL (${acls.map((a) => a.list).join(', ')}) allows ${request.sourceIp}`));
    return [{ w, ok: false, aclContext }];
  }
  const names = acls.map((a) => a.list).join(', ');
  const passable = acls.filter((a) => aclCanAllow(model, a.list));
  if (passable.length === 0) {
    w.steps.push(stepAt(acls[0].location, 'identify', `inbound ACL ${names} allows no address (default deny, no allow node)`));
    return [{ w, ok: false, aclContext: acls[acls.length - 1].failContext }];
  }
  const allowed = cloneWorld(w);
  allowed.conditions.push(`the source address is allowed by inbound ACL ${names}`);
  const denied = cloneWorld(w);
  denied.conditions.push(`the source address is not allowed by inbound ACL ${names}`);
  return [
    { w: allowed, ok: true, aclContext: passable[0].passContext },
    { w: denied, ok: false, aclContext: acls[acls.length - 1].failContext },
  ];
}

export function enter(model: FreeswitchModel, profile: SofiaProfile, request: RouteRequest, w0: World, notModelled: string[]): Entry[] {
  if (profile.context) w0.steps.push(stepAt(profile.context.location, 'identify', `sofia profile ${profile.name}: context "${profile.context.value}"`));
  const out: Entry[] = [];
  for (const s of aclPhase(model, profile, request, w0, notModelled)) {
    const w = s.w;
    if (s.ok) {
      if (profile.authCalls) {
        w.vars.set('sip_authorized', 'true');
        if (s.token) {
          // sofia.c: "Authenticating user <token>" — the ACL's directory user, as if it had digest-authenticated.
          const at = s.token.lastIndexOf('@');
          const d = findDomain(model, s.token.slice(at + 1));
          const u = d && findUser(d, s.token.slice(0, at));
          if (u && d) adoptUser(w, u, d.name);
        }
      }
      out.push({ w, context: contextOf(profile, request, w, s.aclContext) });
      continue;
    }
    if (!profile.authCalls) {
      if (profile.inboundAcls.length && !s.aclContext) {
        w.steps.push(stepAt(profile.inboundAcls[0].location, 'reply', 'the inbound ACL refuses the source address and auth-calls is off: 403 Forbidden'));
        out.push(reject(w, 403, `profile ${profile.name} applies inbound ACL ${profile.inboundAcls.map((a) => a.list).join(', ')} without auth-calls: a refused address gets 403`));
        continue;
      }
      out.push({ w, context: contextOf(profile, request, w, s.aclContext) });
      continue;
    }
    out.push(digest(model, profile, request, w, s.aclContext));
  }
  return out;
}

/** Step 2: auth-calls without an ACL pass — the challenge, and the directory lookup of a caller that answers it. */
function digest(model: FreeswitchModel, profile: SofiaProfile, request: RouteRequest, w: World, aclContext: string | undefined): Entry {
  if (request.fromUser === undefined) {
    w.steps.push(stepAt(profile.authCallsLocation ?? profile.location, 'reply', 'auth-calls is on: sofia challenges the INVITE with 407 Proxy Authentication Required'));
    return reject(w, 407, `profile ${profile.name} has auth-calls=true: the INVITE is challenged (407); give --from-user to simulate a caller that authenticates as a directory user`);
  }
  const domainName = authDomainName(model, profile, request);
  const domain = domainName !== undefined ? findDomain(model, domainName) : undefined;
  const user = domain && findUser(domain, request.fromUser);
  if (!domain || !user || user.pointer) {
    const where = profile.forceRegisterDomain?.location ?? profile.location;
    w.steps.push(stepAt(where, 'reply', `sofia looks up ${request.fromUser}@${domainName ?? '(no domain)'} in the directory: ${!domain ? 'no such domain' : !user ? 'no such user' : 'a pointer cannot authenticate'} → 403 Forbidden`));
    return reject(w, 403, `caller ${request.fromUser} cannot authenticate: "Can't find user [${request.fromUser}@${domainName ?? ''}]" (sofia_reg.c sofia_reg_parse_auth → AUTH_FORBIDDEN)`);
  }
  adoptUser(w, user, domain.name);
  w.vars.set('sip_authorized', 'true');
  const uc = user.variables.get('user_context');
  w.steps.push(stepAt(user.location, 'identify', `caller authenticates as ${user.id}@${domain.name}${uc ? `; user_context "${uc.value}"` : ''}`));
  return { w, context: contextOf(profile, request, w, aclContext) };
}
