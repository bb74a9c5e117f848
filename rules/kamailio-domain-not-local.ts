import type { Expr } from '../src/model/kamailio';
import { createRule } from '../src/rules/api';
import { checkSelf } from '../src/resolvers/kamailio/myself';
import { describeProbe, probe } from '../src/resolvers/kamailio/probe';

function comparedDomains(e: Expr, out: { host: string; loc: Expr['loc'] }[]): void {
  if (e.k === 'binop') {
    if ((e.op === '==' || e.op === 'eq') && e.l.k === 'pv' && e.l.raw === '$rd' && e.r.k === 'str' && /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(e.r.value)) out.push({ host: e.r.value, loc: e.r.loc });
    comparedDomains(e.l, out);
    comparedDomains(e.r, out);
  } else if (e.k === 'unop') comparedDomains(e.e, out);
  else if (e.k === 'call') e.args.forEach((a) => comparedDomains(a, out));
}

/**
 * The script routes a domain by name (`$rd == "sales.example.com"`) that is not one of the
 * server's own names: `uri==myself` is false for it (forward.c check_self), so the usual
 * "not myself → 403 / relay" logic treats the domain's own users as foreign.
 */
export default createRule({
  id: 'kamailio-domain-not-local',
  description: 'A domain the script compares $rd against is not in alias= (nor listen/advertise)',
  defaultSeverity: 'warning',
  platforms: ['kamailio'],
  docs: {
    why: 'The script has rules for requests addressed to a domain, but Kamailio does not consider that domain its own. Every `uri==myself` / `is_myself()` check says "foreign": depending on the script these requests are refused (403), answered 404, or relayed to the domain\'s DNS target instead of being served.',
    engineBehaviour: 'check_self() (src/core/forward.c) accepts a host only when it is a listen address, an advertised address or an alias= entry (or in the domain table with domain register_myself). A string compared with $rd is not added to that list.',
    bad: 'listen=udp:203.0.113.5:5060\nrequest_route {\n\tif (uri != myself) { sl_send_reply("403", "Not relaying"); exit; }\n\tif ($rd == "sales.example.com") route(SALES);\n}',
    good: 'listen=udp:203.0.113.5:5060\nalias="sales.example.com"\nrequest_route { ... }',
    fix: 'Add alias="<domain>" (or list the domain in the domain table with register_myself=1) so that Kamailio treats it as local.',
  },
  check({ model, route, report }) {
    if (!model.myself.complete) return; // the server's names are not all known
    const found: { host: string; loc: Expr['loc'] }[] = [];
    const walk = (stmts: import('../src/model/kamailio').Stmt[]): void => {
      for (const s of stmts) {
        if (s.k === 'if') {
          comparedDomains(s.cond, found);
          walk(s.then);
          if (s.else) walk(s.else);
        } else if (s.k === 'while') {
          comparedDomains(s.cond, found);
          walk(s.body);
        } else if (s.k === 'switch') s.cases.forEach((c) => walk(c.body));
        else if (s.k === 'block') walk(s.body);
      }
    };
    for (const r of model.routes.values()) walk(r.body);
    const reported = new Set<string>();
    for (const f of found) {
      const host = f.host.toLowerCase();
      if (reported.has(host) || checkSelf(model, host, undefined) !== false) continue;
      reported.add(host);
      const req = probe(model, '1001', { domain: host, port: undefined });
      const a = route(req);
      const outcome = a.verdict === 'depends' ? 'depends' : a.verdict === 'rejected' ? `${a.status ?? 'no reply'}` : `routed (${a.reason})`;
      report({
        location: f.loc,
        message: `the script routes requests for ${host}, but ${host} is not one of the server's own names (no alias=${host}): uri==myself is false for it`,
        wire: `${describeProbe(req)} → ${outcome}`,
        fix: `add alias="${host}" to the global parameters`,
      });
    }
  },
});
