/**
 * Request-URI host maps that need no simulation per host: Asterisk's (issue 14 "Domains").
 * chan_pjsip routes an INVITE by the endpoint it identified, whatever the Request-URI host
 * (domain_alias and a transport's domain only name hosts as the server's own for identification
 * and AORs); chan_sip with a `domain=` list and allowexternaldomains=no refuses other hosts
 * (chan_sip.c get_destination → check_sip_domain: 403 in handle_request_invite), with autodomain
 * adding the server's own addresses, which the configuration does not show. Also the host regex
 * every engine's host map is written with (caselessHost).
 */
import type { AsteriskModel } from '../model/asterisk';
import type { DomainClass } from './types';

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** A host name as a regex source matching it case-insensitively (hosts compare without case in every engine). */
export function caselessHost(host: string): string {
  return [...host].map((c) => (c.toLowerCase() !== c.toUpperCase() ? `[${c.toLowerCase()}${c.toUpperCase()}]` : escapeRegex(c))).join('');
}

/** A host name compared case-insensitively, with any port. */
export function hostPattern(host: string): string {
  return caselessHost(host) + '(?::[0-9]+)?';
}

export function asteriskDomains(model: AsteriskModel): DomainClass[] {
  const seen = new Set<string>();
  const out: DomainClass[] = [];
  for (const d of model.localDomains) {
    const h = d.name.toLowerCase();
    if (seen.has(h)) continue;
    seen.add(h);
    out.push({
      regex: `^${hostPattern(h)}$`,
      description: `${d.name} — local (${d.origin}): the numbers' map applies`,
      local: true,
      verdict: 'depends',
      status: null,
      via: d.location ? { file: d.location.file, line: d.location.line } : null,
      example: d.name,
    });
  }
  const others = seen.size ? `^(?!(?:${[...seen].map(hostPattern).join('|')})$).+$` : '^.+$';
  const domainLine = model.sip.general.domains[0]?.location;
  if (!model.routesAnyDomain) {
    out.push({
      regex: others,
      description: `every other host: chan_sip has a domain list and allowexternaldomains=no — the INVITE is refused${model.sip.general.autodomain ? " (autodomain=yes also accepts the server's own addresses, not known from the configuration)" : ''}`,
      local: false,
      verdict: 'rejected',
      status: 403,
      via: domainLine ? { file: domainLine.file, line: domainLine.line } : null,
      example: 'not-local.invalid',
    });
  } else {
    out.push({
      regex: others,
      description: model.pjsip.present ? 'every other host: chan_pjsip routes by the endpoint, not the Request-URI host — the numbers\' map applies' : 'every other host: chan_sip accepts external domains (allowexternaldomains, or no domain list) — the numbers\' map applies',
      local: false,
      verdict: 'depends',
      status: null,
      via: null,
      example: 'not-local.invalid',
    });
  }
  return out;
}
