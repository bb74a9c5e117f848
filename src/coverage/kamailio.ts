/**
 * `pbxlint coverage` for Kamailio: request_route, once per Request-URI host the server serves
 * (its own addresses and aliases — forward.c check_self — and the domain table when it was read),
 * and once for a host it does not serve; each one's dialled Request-URI users partitioned by the
 * interpreter itself (resolvers/kamailio, which reports its tests on $rU/$ru/… through
 * RouteRequest.observe, observe.ts). Plus the domain map: which hosts (and ports) are local and
 * what requests to the others get.
 */
import type { KamailioModel, MyselfEntry } from '../model/kamailio';
import { kamailioResolver } from '../resolvers/kamailio';
import type { RouteAnswer, RouteRequest } from '../resolvers/types';
import type { CoverageEngine, CoverageEntry, CoverageOptions, CoverageVia, DomainClass } from './types';
import { caselessHost } from './domains';
import { hostTests } from '../resolvers/kamailio/host-tests';
import { caseVariants } from '../resolvers/kamailio/observe';
import { ereSearchLanguage } from '../automata/ere/ere-re';
import { accepts, compile, difference, fromStrings, intersect, isEmpty, shortestExample, singleString, toRegex, type Dfa } from '../automata/dfa';
import { ANY_STRING, CharSet, alt, cat, chars, literal, star } from '../automata/regex';

/** A host no configuration serves (RFC 2606 .invalid), standing for every host that is not local. */
export const OTHER_HOST = 'not-local.invalid';

interface Served {
  host: string;
  /** Ports the entries give for this host (undefined: any port). */
  ports: (number | undefined)[];
  origins: string[];
  file?: string;
  line?: number;
}

/** The hosts check_self answers true for (listen, advertise, alias, --myself, domain table). */
export function servedHosts(model: KamailioModel): Served[] {
  const byHost = new Map<string, Served>();
  const add = (e: Pick<MyselfEntry, 'host' | 'port' | 'origin' | 'location'>) => {
    const h = e.host.toLowerCase();
    if (h === '' || h === '0.0.0.0' || h === '::' || h === '*') return;
    // A quoted alias="host:port" is one name, colon and all (cfg.y listen_id: STRING, port 0), which
    // socket_info.c grep_aliases compares with the Request-URI host whole; parse_uri ends a host at
    // its ':' (outside an IPv6 reference), so no request is ever myself by that name: it serves no host.
    if (notAUriHost(h)) return;
    let s = byHost.get(h);
    if (!s) {
      s = { host: h, ports: [], origins: [], file: e.location?.file, line: e.location?.line };
      byHost.set(h, s);
    }
    if (!s.ports.includes(e.port)) s.ports.push(e.port);
    if (!s.origins.includes(e.origin)) s.origins.push(e.origin);
  };
  for (const e of model.myself.entries) add(e);
  if (model.myself.domainTable) for (const d of model.myself.domainTableEntries ?? []) add({ host: d, port: undefined, origin: 'domain-table' });
  return [...byHost.values()];
}

/** A name with a ':' that is not an IPv6 address: the host of no Request-URI. */
function notAUriHost(h: string): boolean {
  if (!h.includes(':')) return false;
  return !/^\[?[0-9a-f:.]+\]?$/.test(h) || (h.match(/:/g) ?? []).length < 2;
}

function escapeHost(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** A class of hosts not served, simulated with one of them (`host`, at `port`). */
interface HostCell {
  host: string;
  port?: number;
  /** A regex source for the host part (no anchors, no port; it may start with lookaheads on the whole host[:port]). */
  hosts: string;
  /** The string `$rd ==` compares with, for a cell that is exactly that host. */
  literal?: string;
  /** Which of the script's `$rd =~` tests the cell's hosts match, in words ('' when there are none). */
  patterns: string;
}

/** Cells past this many: the patterns are not split by (their tests are then not modelled). */
const MAX_HOST_CELLS = 32;
const DIGITS = CharSet.of('0123456789');
const ALNUM = CharSet.of('0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ');
/**
 * The host names a Request-URI can carry (kamailio src/core/parser/parse_uri.c parse_uri, states
 * URI_HOST / URI_HOST_P: an alphanumeric first, then alphanumerics, '.' and '-'; the core's
 * uri_host_extra_chars is empty by default). A request to any other name ("sip:1@.test") has no
 * parsed Request-URI at all ($rU, $rd, $ru are null), so a cell is never simulated with one.
 */
const PARSABLE_HOSTS = compile(cat([chars(ALNUM), star(chars(ALNUM.union(CharSet.of('.-'))))]));

/**
 * The hosts check_self does not answer for, split by the script's constant tests on `$rd`
 * (host-tests.ts): each string compared with `==` is a class of its own (case-sensitive), and the
 * other hosts are split by every `=~` pattern (caseless) into the cells whose hosts match the same
 * patterns. Each cell is simulated with one host of it that is not served at any port, or else
 * with a served name at a port check_self does not accept (kamailio src/core/forward.c check_self:
 * host and port). A test on `$rd` by anything else is reported as not modelled by the
 * interpreter (observe.ts observeHostTest), so a cell never claims an outcome some of its hosts
 * do not get.
 */
function otherHostCells(model: KamailioModel, served: Served[]): HostCell[] {
  const tests = hostTests(model);
  const servedNames = compile(alt(served.map((s) => caseVariants(s.host))));
  const anyPort = served.filter((s) => s.ports.includes(undefined)).map((s) => s.host);
  /** A host and port of `lang` a request is not myself for, or null when there is none. */
  const pick = (cell: Dfa, prefer?: string): { host: string; port?: number } | null => {
    const lang = intersect(cell, PARSABLE_HOSTS);
    if (prefer !== undefined && accepts(lang, prefer) && !accepts(servedNames, prefer)) return { host: prefer };
    const free = shortestExample(difference(lang, servedNames));
    if (free !== null) return { host: free };
    for (const s of served) {
      if (anyPort.includes(s.host) || !accepts(lang, s.host)) continue;
      let port = 1;
      while (s.ports.includes(port) || port === 5060) port++;
      return { host: s.host, port };
    }
    return null;
  };
  const cells: HostCell[] = [];
  for (const literal of tests.literals) {
    if (literal === '') continue;
    const p = pick(singleString(literal), literal);
    if (p) cells.push({ ...p, hosts: escapeHost(literal), literal, patterns: '' });
  }
  // host names: not ending in :digits, so that "host:port" reads one way only
  const hostNames = difference(compile(cat([chars(CharSet.ANY), ANY_STRING])), compile(cat([ANY_STRING, literal(':'), chars(DIGITS), star(chars(DIGITS))])));
  const withAnyPort = (d: Dfa) => `(?:${toRegex(d).slice(1, -1)})(?::[0-9]+)?$`;
  // each cell's hosts as lookaheads: a string is host[:port] in one way only when the host is
  // one of hostNames, so "matches R ∩ hostNames, then an optional port" is a test on its host
  const literalsLook = tests.literals.length ? [`(?!${withAnyPort(fromStrings(tests.literals))})`] : [];
  let parts: { lang: Dfa; words: string[]; looks: string[] }[] = [{ lang: difference(hostNames, fromStrings(tests.literals)), words: [], looks: literalsLook }];
  for (const pattern of tests.patterns) {
    const l = ereSearchLanguage(pattern);
    if (!l.ok) continue;
    const m = intersect(compile(l.re), hostNames);
    const next: typeof parts = [];
    for (const part of parts) {
      const yes = intersect(part.lang, m);
      const no = difference(part.lang, m);
      if (!isEmpty(yes)) next.push({ lang: yes, words: [...part.words, `matching ${JSON.stringify(pattern)}`], looks: [...part.looks, `(?=${withAnyPort(m)})`] });
      if (!isEmpty(no)) next.push({ lang: no, words: [...part.words, `not matching ${JSON.stringify(pattern)}`], looks: [...part.looks, `(?!${withAnyPort(m)})`] });
    }
    if (next.length > MAX_HOST_CELLS) break;
    parts = next;
  }
  for (const part of parts) {
    const p = pick(part.lang, OTHER_HOST);
    if (!p) continue;
    cells.push({ ...p, hosts: `${part.looks.join('')}.+?`, patterns: part.words.join(', ') });
  }
  return cells;
}

function stepVia(answer: RouteAnswer): CoverageVia | null {
  const steps = answer.verdict === 'depends' ? answer.steps : (answer.outcomes[0]?.steps ?? answer.steps);
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i];
    if (['reply', 'relay', 'exit', 'lookup'].includes(s.kind)) return { file: s.file, line: s.line };
  }
  const last = steps[steps.length - 1];
  return last ? { file: last.file, line: last.line } : null;
}

/** A host (case-insensitive) and the ports check_self accepts for it, as an anchored regex over "host[:port]". */
function hostRegex(host: string, ports: (number | undefined)[]): string {
  const h = caselessHost(host);
  if (ports.includes(undefined)) return `^${h}(?::[0-9]+)?$`;
  const alts = (ports as number[]).map((p) => (p === 5060 ? `(?::5060)?` : `:${p}`));
  return alts.length === 1 ? `^${h}${alts[0]}$` : `^${h}(?:${alts.join('|')})$`;
}

/** Outcomes seen per entry while its numbers are partitioned: the domain map's verdict for that host. */
type Seen = { verdicts: Set<string>; status: number | null; answer?: RouteAnswer };
const seen = new WeakMap<KamailioModel, Map<string, Seen>>();
const hostKey = (r: RouteRequest) => `${r.domain ?? ''}|${r.port ?? ''}`;

function seenFor(model: KamailioModel, req: RouteRequest): Seen | undefined {
  return seen.get(model)?.get(hostKey(req));
}

function summary(model: KamailioModel, req: RouteRequest): { verdict: 'routed' | 'rejected' | 'depends'; status: number | null; answer?: RouteAnswer } {
  const s = seenFor(model, req);
  if (!s || s.verdicts.size !== 1) return { verdict: 'depends', status: null, answer: s?.answer };
  const v = [...s.verdicts][0].split(' ')[0] as 'routed' | 'rejected' | 'depends';
  return { verdict: v, status: v === 'rejected' ? s.status : null, answer: s.answer };
}

export const kamailioCoverage: CoverageEngine<KamailioModel> = {
  entries(model: KamailioModel, options: CoverageOptions): CoverageEntry[] {
    const base = options.base;
    const rr = model.requestRoute;
    const file = rr?.loc.file ?? '';
    const line = rr?.loc.line ?? 1;
    const served = servedHosts(model);
    const make = (host: string | undefined, port: number | undefined, label: string, domain: (req: RouteRequest) => DomainClass, domainClass: RouteRequest['domainClass']): CoverageEntry => {
      const request: RouteRequest = { ...base, domain: host, port, domainClass };
      if (!seen.has(model)) seen.set(model, new Map());
      seen.get(model)!.set(hostKey(request), { verdicts: new Set(), status: null });
      return { entry: { kind: 'request_route', name: label, file, line }, request, domains: () => [domain(request)] };
    };
    const localClass = (s: Served, port: number | undefined) => (req: RouteRequest): DomainClass => {
      const v = summary(model, req);
      return {
        regex: hostRegex(s.host, s.ports),
        description: `${s.host} — local (${s.origins.join(', ')})${v.verdict === 'depends' ? ': the outcome depends on the number (see the classes)' : ''}`,
        local: true,
        verdict: v.verdict,
        status: v.status,
        via: s.file ? { file: s.file, line: s.line ?? 1 } : null,
        example: `${s.host}${port ? `:${port}` : ''}`,
      };
    };
    const servedRegexes = served.map((s) => hostRegex(s.host, s.ports).slice(1, -1));
    /** Hosts of `hosts` (a regex source over host names) that check_self does not answer for, with any port. */
    const notServed = (hosts: string) => `^${servedRegexes.length ? `(?!(?:${servedRegexes.join('|')})$)` : ''}(?:${hosts})(?::[0-9]+)?$`;
    const otherClass = (regex: string, description: string, example: string) => (req: RouteRequest): DomainClass => {
      const v = summary(model, req);
      return {
        regex,
        description: `${description}${model.myself.complete ? '' : " (the server's own addresses are not all known: a host may still be myself)"}${v.verdict === 'depends' ? ': the outcome depends on the number (see the classes)' : ''}`,
        local: false,
        verdict: v.verdict,
        status: v.status,
        via: v.answer ? stepVia(v.answer) : null,
        example,
      };
    };
    if (base.domain !== undefined) {
      const s = served.find((x) => x.host === base.domain?.toLowerCase());
      const label = `sip:…@${base.domain}${base.port ? `:${base.port}` : ''}`;
      if (s) return [make(base.domain, base.port, label, localClass(s, base.port), 'served')];
      return [make(base.domain, base.port, label, otherClass(notServed(escapeHost(base.domain)), `${base.domain} — not served`, base.domain), 'exact')];
    }
    const out: CoverageEntry[] = served.map((s) => {
      const port = s.ports.find((p) => p !== undefined);
      return make(s.host, port, `sip:…@${s.host}${port ? `:${port}` : ''}`, localClass(s, port), 'served');
    });
    for (const cell of otherHostCells(model, served)) {
      const label = cell.literal !== undefined ? `sip:…@${cell.host}${cell.port ? `:${cell.port}` : ''} (compared with $rd, not served)` : cell.host === OTHER_HOST ? `sip:…@ any host not served (${OTHER_HOST})` : `sip:…@ hosts not served like ${cell.host}${cell.port ? `:${cell.port}` : ''}`;
      const description = cell.literal !== undefined ? `${cell.literal} — not served, compared with $rd` : cell.patterns === '' ? 'every host not served' : `every host not served ${cell.patterns}`;
      out.push(make(cell.host, cell.port, label, otherClass(notServed(cell.hosts), description, cell.host), cell.literal !== undefined ? 'exact' : 'others'));
    }
    return out;
  },
  route(model: KamailioModel, request: RouteRequest): RouteAnswer {
    const answer = kamailioResolver.route(model, request);
    const s = request.observe ? seenFor(model, request) : undefined;
    if (s) {
      s.verdicts.add(`${answer.verdict} ${answer.status}`);
      s.status = answer.status;
      s.answer ??= answer;
    }
    return answer;
  },
  via(answer: RouteAnswer): CoverageVia | null {
    return stepVia(answer);
  },
};
