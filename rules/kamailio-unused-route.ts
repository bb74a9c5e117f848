import type { Expr } from '../src/model/kamailio';
import { createRule } from '../src/rules/api';

function strings(e: Expr, out: Set<string>): void {
  if (e.k === 'str') out.add(e.value);
  else if (e.k === 'id') out.add(e.name);
  else if (e.k === 'call') e.args.forEach((a) => strings(a, out));
  else if (e.k === 'binop') {
    strings(e.l, out);
    strings(e.r, out);
  } else if (e.k === 'unop') strings(e.e, out);
}

/**
 * A named route block nothing refers to. Module parameters and function arguments that name it
 * (rtimer, htable, async_route, dispatcher callbacks…) count as references.
 */
export default createRule({
  id: 'kamailio-unused-route',
  description: 'A named route, failure_route, branch_route or onreply_route block is never used',
  defaultSeverity: 'info',
  platforms: ['kamailio'],
  docs: {
    why: 'A block that nothing calls never runs. It is usually a leftover or, worse, the block that was meant to handle a case (a failure_route never armed with t_on_failure means downstream failures are passed back unchanged).',
    engineBehaviour: 'route[X] runs only through route(X); failure_route/branch_route/onreply_route[X] only after t_on_failure/t_on_branch/t_on_reply("X") (tm). event_route blocks are run by Kamailio and modules and are never reported.',
    bad: 'request_route { t_relay(); }\nfailure_route[MANAGE_FAILURE] { … }',
    good: 'request_route { t_on_failure("MANAGE_FAILURE"); t_relay(); }\nfailure_route[MANAGE_FAILURE] { … }',
    fix: 'Call the block where it was meant to run, or delete it.',
  },
  check({ model, report }) {
    if (model.routeCalls.some((c) => c.target === null)) return; // route($var(x)): any block may be the target
    const used = new Set<string>();
    for (const c of model.routeCalls) if (c.target !== null) used.add(c.target);
    // Names given to modules or functions as text (modparam("rtimer","exec","…;route=X"), async_route("X", 1), …)
    const texts = new Set<string>();
    for (const p of model.modparams) if (typeof p.value === 'string') texts.add(p.value);
    for (const c of model.calls) c.args.forEach((a) => strings(a, texts));
    const mentioned = (name: string) => [...texts].some((t) => t === name || new RegExp(`(^|[^A-Za-z0-9_])${name.replace(/[^A-Za-z0-9_]/g, '\\$&')}($|[^A-Za-z0-9_])`).test(t));
    for (const r of model.routes.values()) {
      if (r.name === 'DEFAULT' || r.kind === 'event' || r.kind === 'onsend' || r.kind === 'reply') continue;
      if (used.has(r.name) || mentioned(r.name)) continue;
      const block = r.kind === 'request' ? 'route' : `${r.kind}_route`;
      report({
        location: r.loc,
        message: `${block}[${r.name}] is never used: no ${r.kind === 'request' ? 'route' : r.kind === 'failure' ? 't_on_failure' : r.kind === 'branch' ? 't_on_branch' : 't_on_reply'}(${r.name}) refers to it`,
        fix: `call it where it should run, or remove ${block}[${r.name}]`,
      });
    }
  },
});
