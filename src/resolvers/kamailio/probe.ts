/**
 * Helpers for Kamailio rules that ask the simulator "what happens to a request like this?": a host
 * the server treats as its own, and where a path's deciding steps are.
 */
import type { KamailioModel } from '../../model/kamailio';
import type { RouteOutcome, RouteRequest, RouteStep } from '../types';

/** `host[:port]` of a local domain to address probes to, or undefined when the cfg names none. */
export function localTarget(model: KamailioModel): { host: string; port?: number } | undefined {
  const e = model.myself.entries.find((x) => x.origin === 'alias') ?? model.myself.entries.find((x) => x.origin === 'command-line') ?? model.myself.entries.find((x) => x.origin === 'listen');
  if (!e) return undefined;
  return { host: e.host, port: e.origin === 'alias' ? e.port : e.port === 5060 ? undefined : e.port };
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
