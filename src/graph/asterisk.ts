/**
 * Asterisk's routing graph: entry points (PJSIP endpoints, chan_sip peers) → their context →
 * includes, Goto/Gosub/Macro and Local/ targets → Dial() destinations. Failing paths use the same
 * judgements as the resolver and the rules:
 * - a context that does not exist: chan_pjsip/chan_sip answer 404 before the dialplan runs
 *   (get_destination, rule endpoint-context-missing); an include of it adds nothing, so the numbers
 *   it was meant to cover get 404 (pbx.c ignores a missing include, rule include-missing-context);
 * - a Goto/Gosub to a missing context hangs the call up (603 unanswered; rule goto-target-missing);
 * - a Dial() to an endpoint that cannot get a channel fails with the cause from channels.ts
 *   (404 for NO_ROUTE_DESTINATION once the dialplan hangs up; rule dial-endpoint-missing).
 */
import type { AsteriskModel } from '../model/asterisk';
import { pjsipEndpointReachability, sipPeerReachability } from '../resolvers/asterisk/channels';
import { sipStatusForCause } from '../resolvers/asterisk/causes';
import { GraphBuilder, type RouteGraph } from './types';

export function asteriskGraph(model: AsteriskModel): RouteGraph {
  const g = new GraphBuilder('asterisk');
  const contexts = model.dialplan.contexts;
  const dialplanKnown = model.dialplan.present && !model.dialplan.loadFailure;
  // [globals] are set when the dialplan loads (pbx_config), so ${TRUNK} in a Dial is known here;
  // ${EXTEN} and other channel variables stay dynamic.
  const globals = (text: string) => text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (m, name: string) => model.dialplan.globals.get(name)?.value ?? m);
  const contextNode = (name: string): string => {
    const ctx = contexts.get(name);
    return g.node({
      id: `context:${name}`,
      kind: 'context',
      label: `[${name}]`,
      location: ctx?.locations[0],
      fails: ctx || !dialplanKnown ? undefined : 'context does not exist',
    });
  };
  for (const e of model.entryPoints) {
    const from = g.node({ id: `entry:${e.id}`, kind: 'entry', label: `${e.endpoint !== undefined ? `${e.id.startsWith('sip:') ? 'peer' : 'endpoint'} ${e.endpoint}` : e.description}${e.trunk ? ' (trunk)' : ''}`, location: e.location });
    const to = contextNode(e.context);
    g.edge({ from, to, kind: 'enters', location: e.location, fails: contexts.has(e.context) || !dialplanKnown ? undefined : '404' });
  }
  for (const ctx of contexts.values()) {
    const from = contextNode(ctx.name);
    for (const inc of ctx.includes) {
      const to = contextNode(inc.context);
      g.edge({ from, to, kind: 'include', label: inc.timing ? `(${inc.timing})` : undefined, location: inc.location, fails: contexts.has(inc.context) ? undefined : '404' });
    }
    for (const ext of ctx.extensions) {
      for (const p of ext.priorities) {
        for (const j of p.jumps) {
          const target = j.context === undefined ? ctx.name : globals(j.context);
          if (target.includes('$')) {
            const to = g.node({ id: `dynamic:${target}`, kind: 'context', label: `[${target}]`, dynamic: true });
            g.edge({ from, to, kind: j.returns ? 'gosub' : 'goto', label: ext.name, location: j.location });
            continue;
          }
          if (target === ctx.name) continue; // a jump inside the context stays in the same box
          const to = contextNode(target);
          g.edge({ from, to, kind: j.returns ? 'gosub' : 'goto', label: ext.name, location: j.location, fails: contexts.has(target) ? undefined : 'hangup (603)' });
        }
        for (const d of p.dials) {
          const tech = d.tech.toUpperCase();
          const resource = globals(d.resource);
          const known = !resource.includes('$');
          if (tech === 'LOCAL' && known) {
            const to = contextNode(resource);
            g.edge({ from, to, kind: 'dial', label: `${ext.name} Local/${d.number ?? ''}`, location: d.location, fails: contexts.has(resource) ? undefined : '404' });
            continue;
          }
          const name = globals(d.raw);
          let fails: string | undefined;
          if (known) {
            const r = tech === 'PJSIP' && model.pjsip.present ? pjsipEndpointReachability(model, resource) : tech === 'SIP' && model.sip.present ? sipPeerReachability(model, resource) : null;
            if (r?.state === 'unreachable') fails = `${sipStatusForCause(r.cause)}: ${r.why}`;
          }
          const to = g.node({ id: `target:${name}`, kind: 'target', label: name, dynamic: name.includes('$'), fails });
          g.edge({ from, to, kind: 'dial', label: ext.name, location: d.location, fails: fails ? fails.split(':')[0] : undefined });
        }
      }
    }
  }
  return g.build();
}
