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
    const make = (host: string | undefined, port: number | undefined, label: string, domain: (req: RouteRequest) => DomainClass): CoverageEntry => {
      const request: RouteRequest = { ...base, domain: host, port };
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
    const otherClass = (req: RouteRequest): DomainClass => {
      const v = summary(model, req);
      return {
        regex: served.length ? `^(?!(?:${served.map((s) => hostRegex(s.host, s.ports).slice(1, -1)).join('|')})$).+$` : '^.+$',
        description: `every host not served${model.myself.complete ? '' : " (the server's own addresses are not all known: a host may still be myself)"}${v.verdict === 'depends' ? ': the outcome depends on the number (see the classes)' : ''}`,
        local: false,
        verdict: v.verdict,
        status: v.status,
        via: v.answer ? stepVia(v.answer) : null,
        example: OTHER_HOST,
      };
    };
    if (base.domain !== undefined) {
      const s = served.find((x) => x.host === base.domain?.toLowerCase());
      return [make(base.domain, base.port, `sip:…@${base.domain}${base.port ? `:${base.port}` : ''}`, s ? localClass(s, base.port) : otherClass)];
    }
    const out: CoverageEntry[] = served.map((s) => {
      const port = s.ports.find((p) => p !== undefined);
      return make(s.host, port, `sip:…@${s.host}${port ? `:${port}` : ''}`, localClass(s, port));
    });
    out.push(make(OTHER_HOST, undefined, `sip:…@ any host not served (${OTHER_HOST})`, otherClass));
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
