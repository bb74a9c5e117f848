/**
 * `pbxlint coverage` for FreeSWITCH: every sofia profile (an INVITE from an anonymous caller, and
 * one from a caller authenticated in each user context its directory gives — sofia.c takes the
 * context from the ACL, then the user's user_context, then the profile's), or the dialplan context
 * given; each one's destination numbers partitioned by the simulator itself (hunt.ts and
 * execute.ts report their tests on destination_number and what derives from it through
 * RouteRequest.observe, resolvers/freeswitch/observe.ts). Plus the domain map of each profile: the
 * Request-URI hosts it treats as its own (its domains, aliases, the directory domains) and the rest.
 */
import type { FreeswitchModel, SofiaProfile } from '../model/freeswitch';
import { freeswitchResolver } from '../resolvers/freeswitch';
import { authDomainName } from '../resolvers/freeswitch/entry';
import { findDomain } from '../resolvers/freeswitch/expand';
import { findContext } from '../resolvers/freeswitch/hunt';
import { findProfile } from '../resolvers/freeswitch/index';
import { RouteUsageError, type RouteAnswer, type RouteRequest } from '../resolvers/types';
import type { CoverageEngine, CoverageEntry, CoverageOptions, CoverageVia, DomainClass } from './types';
import { caselessHost } from './domains';

/** The deciding condition: the last extension that matched on the path, else the last reply. */
function via(answer: RouteAnswer): CoverageVia | null {
  const steps = answer.verdict === 'depends' ? answer.steps : (answer.outcomes[0]?.steps ?? answer.steps);
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i];
    if (s.kind === 'extension' && /: matched/.test(s.text)) return { file: s.file, line: s.line, context: s.context, extension: s.extension };
  }
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i];
    if (s.kind === 'reply' || s.kind === 'transfer' || s.kind === 'bridge') return { file: s.file, line: s.line, context: s.context, extension: s.extension };
  }
  const last = steps[steps.length - 1];
  return last ? { file: last.file, line: last.line } : null;
}

/** The caller contexts of a profile with auth-calls: one directory user per distinct user_context (and one without). */
function authenticatedCallers(model: FreeswitchModel, profile: SofiaProfile, base: RouteRequest): { user: string; domain: string; context: string; host?: string }[] {
  const domainName = authDomainName(model, profile, base);
  // without a host to authenticate against, each directory domain in turn (as the Request-URI host)
  const domains = domainName !== undefined ? [findDomain(model, domainName)].filter((d) => d !== undefined) : model.directory.domains;
  const byContext = new Map<string, { user: string; domain: string; context: string; host?: string }>();
  for (const domain of domains) {
    for (const u of domain.users) {
      if (u.pointer) continue;
      const ctx = u.variables.get('user_context')?.value ?? profile.context?.value ?? 'default';
      if (!byContext.has(ctx)) byContext.set(ctx, { user: u.id, domain: domain.name, context: ctx, host: domainName === undefined ? domain.name : undefined });
    }
  }
  return [...byContext.values()];
}

/** Outcomes seen per profile entry while its numbers are partitioned (the domain map's verdicts). */
const seen = new WeakMap<FreeswitchModel, Map<string, { verdicts: Set<string>; status: number | null }>>();
const entryKey = (r: RouteRequest) => `${r.profile ?? ''}|${r.fromUser ?? ''}|${r.domain ?? ''}`;

function summary(model: FreeswitchModel, request: RouteRequest): { verdict: 'routed' | 'rejected' | 'depends'; status: number | null } {
  const s = seen.get(model)?.get(entryKey(request));
  if (!s || s.verdicts.size !== 1) return { verdict: 'depends', status: null };
  const v = [...s.verdicts][0].split(' ')[0] as 'routed' | 'rejected' | 'depends';
  return { verdict: v, status: v === 'rejected' ? s.status : null };
}

/**
 * Hosts a profile answers for as its own: its domains and aliases, the directory domains. The
 * verdict is the one every number got from this profile when they all got the same (sofia does not
 * look at the host of an INVITE), else `depends` (the classes say on what).
 */
function profileDomains(model: FreeswitchModel, profile: SofiaProfile, request: RouteRequest): DomainClass[] {
  const sum = summary(model, request);
  const hosts = new Map<string, string>();
  for (const d of profile.domains) hosts.set(d.name.toLowerCase(), `profile domain ${d.name}`);
  for (const a of profile.aliases) if (!hosts.has(a.toLowerCase())) hosts.set(a.toLowerCase(), `profile alias ${a}`);
  for (const d of model.directory.domains) if (!hosts.has(d.name.toLowerCase())) hosts.set(d.name.toLowerCase(), `directory domain ${d.name}`);
  const out: DomainClass[] = [...hosts.entries()].map(([h, why]) => ({
    regex: `^${caselessHost(h)}(?::[0-9]+)?$`,
    description: `${h} — ${why}: sofia hands an INVITE to the dialplan whatever its host (the numbers' map applies; with auth-calls the host names the directory domain the caller authenticates in)`,
    local: true,
    verdict: sum.verdict,
    status: sum.status,
    via: { file: profile.location.file, line: profile.location.line },
    example: h,
  }));
  // sofia_handle_sip_i_invite does not refuse an INVITE for a host it does not know: the dialplan decides
  out.push({
    regex: hosts.size ? `^(?!(?:${[...hosts.keys()].map(caselessHost).join('|')})(?::[0-9]+)?$).+$` : '^.+$',
    description: 'every other host: sofia does not check the Request-URI host of an INVITE; the dialplan decides (the numbers\' map applies; a caller that must authenticate is looked up in a domain of that name, where it is missing: 403)',
    local: false,
    verdict: request.fromUser !== undefined || profile.authCalls ? 'depends' : sum.verdict,
    status: request.fromUser !== undefined || profile.authCalls ? null : sum.status,
    via: { file: profile.location.file, line: profile.location.line },
    example: 'not-local.invalid',
  });
  return out;
}

export const freeswitchCoverage: CoverageEngine<FreeswitchModel> = {
  entries(model: FreeswitchModel, options: CoverageOptions): CoverageEntry[] {
    const base = options.base;
    if (base.context !== undefined) {
      const ctx = findContext(model, base.context);
      if (!ctx) throw new RouteUsageError(`no dialplan context "${base.context}" (and no "global")`);
      return [{ entry: { kind: 'context', name: base.context, file: ctx.location.file, line: ctx.location.line }, request: { ...base } }];
    }
    let profiles = model.profiles;
    if (base.profile !== undefined) {
      const p = findProfile(model, base.profile);
      if (!p) throw new RouteUsageError(`no sofia profile "${base.profile}" (profiles: ${model.profiles.map((x) => x.name).join(', ') || 'none'})`);
      profiles = [p];
    }
    const out: CoverageEntry[] = [];
    for (const p of profiles) {
      const entry = { kind: 'profile', file: p.location.file, line: p.location.line };
      const request: RouteRequest = { ...base, profile: p.name };
      if (!seen.has(model)) seen.set(model, new Map());
      seen.get(model)!.set(entryKey(request), { verdicts: new Set(), status: null });
      out.push({ entry: { ...entry, name: `${p.name}${base.fromUser ? ` (caller ${base.fromUser})` : p.authCalls ? ' (caller not authenticated)' : ''}` }, request, domains: () => profileDomains(model, p, request) });
      if (p.authCalls && base.fromUser === undefined) {
        for (const c of authenticatedCallers(model, p, base)) {
          out.push({ entry: { ...entry, name: `${p.name} (caller authenticated as ${c.user}@${c.domain}: context ${c.context})` }, request: { ...base, profile: p.name, fromUser: c.user, ...(c.host ? { domain: c.host } : {}) } });
        }
      }
    }
    if (profiles.length === 0) {
      const ctx = findContext(model, 'default');
      if (ctx) out.push({ entry: { kind: 'context', name: 'default', file: ctx.location.file, line: ctx.location.line }, request: { ...base, context: 'default' } });
    }
    return out;
  },
  route(model: FreeswitchModel, request: RouteRequest): RouteAnswer {
    const answer = freeswitchResolver.route(model, request);
    const s = request.observe ? seen.get(model)?.get(entryKey(request)) : undefined;
    if (s) {
      s.verdicts.add(`${answer.verdict} ${answer.status}`);
      s.status = answer.status;
    }
    return answer;
  },
  via(answer: RouteAnswer): CoverageVia | null {
    return via(answer);
  },
};
