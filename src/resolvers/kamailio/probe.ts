/**
 * Helpers for Kamailio rules that ask the simulator "what happens to a request like this?": a host
 * the server treats as its own, and where a path's deciding steps are.
 */
import type { KamailioModel } from '../../model/kamailio';
import type { RouteAnswer, RouteOutcome, RouteRequest, RouteStep } from '../types';

/** `host[:port]` of a local domain to address probes to, or undefined when the cfg names none. */
export function localTarget(model: KamailioModel): { host: string; port?: number } | undefined {
  const e = model.myself.entries.find((x) => x.origin === 'alias' && !x.nameWithPort) ?? model.myself.entries.find((x) => x.origin === 'command-line') ?? model.myself.entries.find((x) => x.origin === 'listen');
  if (!e) return undefined;
  return { host: e.host, port: e.origin === 'alias' ? e.port : e.port === 5060 ? undefined : e.port };
}

/** Every local domain to probe (aliases, listen addresses, --myself, the domain table), at most `max`. */
export function localTargets(model: KamailioModel, max = 8): { host: string; port?: number }[] {
  const out: { host: string; port?: number }[] = [];
  const seen = new Set<string>();
  const rank = (o: string) => ['alias', 'command-line', 'listen', 'advertise'].indexOf(o);
  const entries = [...model.myself.entries].sort((a, b) => rank(a.origin) - rank(b.origin));
  for (const e of entries) {
    const t = { host: e.host, port: e.origin === 'alias' || e.port === 5060 ? (e.origin === 'alias' ? e.port : undefined) : e.port };
    const key = `${t.host}:${t.port ?? ''}`;
    if (e.origin === 'auto-alias' || e.nameWithPort || seen.has(key)) continue;
    seen.add(key);
    out.push(t);
  }
  for (const d of model.myself.domainTableEntries ?? []) if (!seen.has(`${d}:`)) out.push({ host: d });
  return out.slice(0, max);
}

/** A probe INVITE from an outside caller; a local target when one is known. */
export function probe(model: KamailioModel, user: string, extra: Partial<RouteRequest> = {}): RouteRequest {
  const t = localTarget(model);
  return { user, domain: t?.host, port: t?.port, method: 'INVITE', fromUser: 'caller', fromDomain: 'caller.invalid', sourceIp: '192.0.2.10', registered: [], ...extra };
}

export function lastStep(o: RouteOutcome, kind: string): RouteStep | undefined {
  for (let i = o.steps.length - 1; i >= 0; i--) if (o.steps[i].kind === kind) return o.steps[i];
  return undefined;
}

export function stepLocation(s: RouteStep): { file: string; line: number; column: number } {
  return { file: s.file, line: s.line, column: s.column ?? 1 };
}

export function describeProbe(r: RouteRequest): string {
  return `${r.method} sip:${r.user ? `${r.user}@` : ''}${r.domain ?? '<local domain>'}${r.port ? `:${r.port}` : ''}`;
}

/** The simulation gave up (too many paths or steps): its outcomes are incomplete, rules do not judge them. */
export function truncated(a: RouteAnswer): boolean {
  return a.notModelled.some((n) => /^simulation stopped|^more than [0-9]+ paths|nested deeper than|ran more than [0-9]+ times/.test(n));
}
