/**
 * Kamailio's routing graph: every request enters request_route; route(X), t_on_failure,
 * t_on_branch and t_on_reply lead to other route blocks; the script's replies and relays are the
 * targets. Marked failing: replies with a 4xx–6xx status (a 404 is what the caller sees), and a
 * route(X) to a block that does not exist (Kamailio refuses to start; rule kamailio-undefined-route).
 */
import type { KamailioModel } from '../model/kamailio';
import { GraphBuilder, type RouteGraph } from './types';

/** The routes map keys blocks as `<kind>:<name>`; route() and the t_on_* functions name them so. */
const KIND_OF_VIA: Record<string, string> = { route: 'request', t_on_failure: 'failure', t_on_branch: 'branch', t_on_reply: 'onreply', t_on_branch_failure: 'event' };

function label(key: string): string {
  const [kind, name] = key.split(':');
  if (name === 'DEFAULT') return kind === 'request' ? 'request_route' : `${kind}_route`;
  return kind === 'request' ? `route[${name}]` : `${kind}_route[${name}]`;
}

export function kamailioGraph(model: KamailioModel): RouteGraph {
  const g = new GraphBuilder('kamailio');
  const routeNode = (key: string) => {
    // KEMI: the script's ksr_request_route (its KSR.route("X") calls are edges from it).
    if (key === 'kemi') return g.node({ id: 'route:kemi', kind: 'context', label: `ksr_request_route (KEMI, ${model.kemi?.engine})`, location: model.kemi?.location });
    const block = model.routes.get(key);
    return g.node({ id: `route:${key}`, kind: 'context', label: label(key), location: block?.loc, fails: block ? undefined : 'route not defined: Kamailio does not start' });
  };
  if (model.requestRoute) {
    const entry = g.node({ id: 'entry:request', kind: 'entry', label: 'every SIP request', location: model.requestRoute.loc });
    g.edge({ from: entry, to: routeNode(`${model.requestRoute.kind}:${model.requestRoute.name}`), kind: 'enters', location: model.requestRoute.loc });
  }
  if (model.kemi) {
    const entry = g.node({ id: 'entry:request', kind: 'entry', label: 'every SIP request', location: model.kemi.location });
    g.edge({ from: entry, to: routeNode('kemi'), kind: 'enters', location: model.kemi.location });
  }
  for (const call of model.routeCalls) {
    const from = routeNode(call.route);
    if (call.target === null) {
      const to = g.node({ id: `dynamic:${call.via}`, kind: 'context', label: `${call.via}(…)`, dynamic: true });
      g.edge({ from, to, kind: 'route', location: call.location });
      continue;
    }
    const key = `${KIND_OF_VIA[call.via] ?? 'request'}:${call.target}`;
    const exists = model.routes.has(key);
    g.edge({ from, to: routeNode(key), kind: 'route', label: call.via === 'route' ? undefined : call.via, location: call.location, fails: exists ? undefined : 'no such route' });
  }
  for (const reply of model.replies) {
    const failing = reply.status !== null && reply.status >= 400;
    const text = reply.status === null ? `${reply.fn} (status known at run time)` : `${reply.status} ${reply.reason}`;
    const to = g.node({ id: `reply:${reply.status}:${reply.reason}`, kind: 'target', label: text, fails: failing ? `${reply.status}` : undefined, dynamic: reply.status === null });
    g.edge({ from: routeNode(reply.route), to, kind: 'route', label: reply.fn, location: reply.location, fails: failing ? `${reply.status}` : undefined });
  }
  for (const relay of model.relays) {
    const to = g.node({ id: `relay:${relay.name}`, kind: 'target', label: `relayed (${relay.name})` });
    g.edge({ from: routeNode(relay.route), to, kind: 'route', location: relay.location });
  }
  return g.build();
}
