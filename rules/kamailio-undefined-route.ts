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
    why: 'Kamailio resolves route names when it fixes up the script at start-up. A call to a route that does not exist makes start-up fail, so the proxy answers nothing at all (every request times out at the caller). `kamailio -c` does not catch it; only a real start does.',
    engineBehaviour: 'src/core/route.c fix_actions(): `route "X" not found` and start-up aborts; tm checks t_on_failure/t_on_branch/t_on_reply names against the failure_route/branch_route/onreply_route tables the same way.',
    bad: 'request_route {\n\troute(RELAYY);\n}\nroute[RELAY] { t_relay(); }',
    good: 'request_route {\n\troute(RELAY);\n}\nroute[RELAY] { t_relay(); }',
    fix: 'Fix the name, or define the missing block.',
  },
  check({ model, report }) {
    for (const c of model.routeCalls) {
      const kind = KIND_OF[c.via];
      if (!kind || c.target === null) continue;
      const name = kind === 'request' || c.target !== '0' ? c.target : 'DEFAULT';
      if (model.routes.has(routeKey(kind, name))) continue;
      const similar = [...model.routes.values()].filter((r) => r.kind === kind && r.name.toLowerCase() === name.toLowerCase()).map((r) => r.name);
      report({
        location: c.location,
        message: `${c.via}(${c.target}) names ${BLOCK[kind]}[${c.target}], which is not defined${similar.length ? ` (route names are case-sensitive: ${similar.join(', ')} exists)` : ''}`,
        wire: 'Kamailio refuses to start: every request times out at the caller',
        fix: similar.length ? `write ${c.via}(${similar[0]})` : `define ${BLOCK[kind]}[${c.target}] { … } or call an existing route`,
      });
    }
  },
});
