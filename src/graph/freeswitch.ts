/**
 * FreeSWITCH's routing graph: sofia profiles (and the user_context of directory users) → dialplan
 * contexts → the contexts their `transfer`s lead to and the destinations their `bridge`s dial.
 * Marked failing, with the status mod_sofia sends (hangup_cause_to_sip):
 * - a context that does not exist (and no `global` context): no route → NO_ROUTE_DESTINATION → 404
 *   (mod_dialplan_xml dialplan_hunt; rule freeswitch-profile-context-missing);
 * - a transfer to a missing context: the same 404 (rule freeswitch-transfer-target-missing);
 * - `bridge user/X@D` with X not a user of directory domain D: SUBSCRIBER_ABSENT → 480
 *   (mod_dptools user_outgoing_channel; rule freeswitch-bridge-user-missing);
 * - `bridge sofia/gateway/G/…` with no gateway G: INVALID_GATEWAY (mod_sofia) → its status;
 * - `respond NNN` with a failure status.
 * Values are expanded from pre-process variables only; what depends on the call is drawn dashed.
 */
import type { FreeswitchModel } from '../model/freeswitch';
import { hangupCauseToSip } from '../resolvers/freeswitch/causes';
import { findDomain, findUser } from '../resolvers/freeswitch/expand';
import { findContext } from '../resolvers/freeswitch/hunt';
import { allActions, staticValue } from '../resolvers/freeswitch/queries';
import { GraphBuilder, type RouteGraph } from './types';

export function freeswitchGraph(model: FreeswitchModel): RouteGraph {
  const g = new GraphBuilder('freeswitch');
  const hasGlobal = findContext(model, 'global') !== undefined;
  const contextNode = (name: string) => {
    const ctx = findContext(model, name);
    return g.node({ id: `context:${(ctx?.name ?? name).toLowerCase()}`, kind: 'context', label: ctx?.name ?? name, location: ctx?.location, fails: ctx || hasGlobal ? undefined : `no dialplan context: ${hangupCauseToSip('NO_ROUTE_DESTINATION')}` });
  };
  for (const e of model.entryPoints) {
    const from = g.node({ id: `entry:${e.id}`, kind: 'entry', label: e.description, location: e.location });
    const missing = !findContext(model, e.context) && !hasGlobal;
    g.edge({ from, to: contextNode(e.context), kind: 'enters', location: e.location, fails: missing ? `${hangupCauseToSip('NO_ROUTE_DESTINATION')}` : undefined });
  }
  const gateways = new Set(model.profiles.flatMap((p) => p.gateways.map((gw) => gw.name.toLowerCase())));
  for (const { action, extension, context } of allActions(model)) {
    const from = contextNode(context.name);
    const data = staticValue(model, action.data);
    const label = extension.name;
    if (action.application === 'transfer') {
      // transfer [-bleg|-both] <exten> [<dialplan> [<context>]] (mod_dptools transfer_function);
      // without a context the call stays in this one. The extension may be a capture ($1): only
      // the context decides the arrow.
      const tokens = action.data.trim().split(/\s+/).filter((t) => !/^-(bleg|both)$/.test(t));
      const contextToken = tokens[2];
      const target = contextToken === undefined ? context.name : staticValue(model, contextToken);
      if (target === null) {
        const to = g.node({ id: `dynamic:transfer:${action.data}`, kind: 'context', label: `transfer ${action.data}`, dynamic: true });
        g.edge({ from, to, kind: 'goto', label, location: action.location });
        continue;
      }
      if (findContext(model, target)?.name.toLowerCase() === context.name.toLowerCase() || target === context.name) continue;
      const missing = !findContext(model, target) && !hasGlobal;
      g.edge({ from, to: contextNode(target), kind: 'goto', label: `${label} → ${tokens[0] ?? ''}`, location: action.location, fails: missing ? `${hangupCauseToSip('NO_ROUTE_DESTINATION')}` : undefined });
    } else if (action.application === 'bridge') {
      if (data === null) {
        const to = g.node({ id: `dynamic:bridge:${action.data}`, kind: 'target', label: action.data, dynamic: true });
        g.edge({ from, to, kind: 'dial', label, location: action.location });
        continue;
      }
      for (const raw of data.split(/[,|]/)) {
        const dest = raw.replace(/^\s*(\{[^}]*\}|\[[^\]]*\])*/, '').trim();
        if (!dest) continue;
        let fails: string | undefined;
        const user = /^user\/([^@\s]+)(?:@(\S+))?/.exec(dest);
        const gw = /^sofia\/gateway\/([^/]+)\//.exec(dest);
        if (user) {
          const domainName = user[2] ?? model.vars.get('domain')?.value;
          const domain = domainName !== undefined ? findDomain(model, domainName) : undefined;
          if (domainName !== undefined && (!domain || !findUser(domain, user[1]))) fails = `${hangupCauseToSip('SUBSCRIBER_ABSENT')}`;
        } else if (gw && !gateways.has(gw[1].toLowerCase())) {
          fails = `${hangupCauseToSip('INVALID_GATEWAY')}`;
        }
        const to = g.node({ id: `bridge:${dest}`, kind: 'target', label: dest, fails: fails ? `${fails}: ${user ? 'no such directory user' : 'no such gateway'}` : undefined });
        g.edge({ from, to, kind: 'dial', label, location: action.location, fails });
      }
    } else if (action.application === 'respond' && data !== null) {
      const status = parseInt(data, 10);
      if (!Number.isFinite(status)) continue;
      const to = g.node({ id: `respond:${data}`, kind: 'target', label: `respond ${data}`, fails: status >= 400 ? `${status}` : undefined });
      g.edge({ from, to, kind: 'dial', label, location: action.location, fails: status >= 400 ? `${status}` : undefined });
    }
  }
  return g.build();
}
