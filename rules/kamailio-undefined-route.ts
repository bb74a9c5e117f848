import { createRule } from '../src/rules/api';
import { routeKey, type RouteKind } from '../src/model/kamailio';

/** Which kind of block each route-setting function names (tm: t_on_failure → failure_route, …). */
const KIND_OF: Record<string, RouteKind> = { route: 'request', t_on_failure: 'failure', t_on_branch: 'branch', t_on_reply: 'onreply' };
const BLOCK: Record<RouteKind, string> = { request: 'route', failure: 'failure_route', branch: 'branch_route', onreply: 'onreply_route', reply: 'reply_route', onsend: 'onsend_route', event: 'event_route' };

/** route(X) with no route[X]: Kamailio refuses to start (src/core/route.c fix_actions: route "X" not found). */
export default createRule({
  id: 'kamailio-undefined-route',
  description: 'route(X), t_on_failure("X"), t_on_branch("X") or t_on_reply("X") names a block that is not defined',
  defaultSeverity: 'error',
  platforms: ['kamailio'],
  docs: {
    why: 'Kamailio resolves route names when it fixes up the script at start-up. A route(X) to a block that does not exist makes start-up fail, so the proxy answers nothing at all (every request times out at the caller); `kamailio -c` does not catch it, only a real start does. A t_on_failure/t_on_branch/t_on_reply name that does not exist arms an empty block: the failure handling the author wrote (voicemail, next gateway) never runs.',
    engineBehaviour: 'src/core/route.c fix_actions(): `route "X" not found` and start-up aborts. For t_on_failure/t_on_branch/t_on_reply, tm fixup_routes() (src/modules/tm/tm.c) only logs "empty/non existing route": Kamailio starts and the armed block does nothing.',
    bad: 'request_route {\n\troute(RELAYY);\n}\nroute[RELAY] { t_relay(); }',
    good: 'request_route {\n\troute(RELAY);\n}\nroute[RELAY] { t_relay(); }',
    fix: 'Fix the name, or define the missing block.',
  },
  check({ model, report }) {
    for (const c of model.routeCalls) {
      const kind = KIND_OF[c.via];
      if (!kind || c.target === null) continue;
      // t_on_failure("0") and friends reset the armed route (the pre-5.x idiom): nothing to find.
      if (kind !== 'request' && c.target === '0') continue;
      if (model.routes.has(routeKey(kind, c.target))) continue;
      const similar = [...model.routes.values()].filter((r) => r.kind === kind && r.name.toLowerCase() === c.target!.toLowerCase()).map((r) => r.name);
      const sameNameOtherKind = [...model.routes.values()].find((r) => r.kind !== kind && r.name === c.target);
      report({
        location: c.location,
        // tm's fixup_routes() only warns ("empty/non existing route"): Kamailio starts, the armed block is empty.
        severity: kind === 'request' ? 'error' : 'warning',
        message: `${c.via}(${c.target}) names ${BLOCK[kind]}[${c.target}], which is not defined${similar.length ? ` (route names are case-sensitive: ${similar.join(', ')} exists)` : ''}${sameNameOtherKind ? ` (${sameNameOtherKind.kind === 'request' ? 'route' : `${sameNameOtherKind.kind}_route`}[${c.target}] is another kind of block)` : ''}`,
        wire: kind === 'request' ? 'Kamailio refuses to start (route.c fix_actions: route not found): every request times out at the caller' : `Kamailio starts with a warning and runs an empty ${BLOCK[kind]}: ${kind === 'failure' ? 'downstream failures are passed back unchanged' : 'nothing happens there'}`,
        fix: similar.length ? `write ${c.via}(${similar[0]})` : `define ${BLOCK[kind]}[${c.target}] { … } or call an existing route`,
      });
    }
  },
});
