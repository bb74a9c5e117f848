import { createRule } from '../src/rules/api';
import { hostTests } from '../src/resolvers/kamailio/host-tests';
import { checkSelf } from '../src/resolvers/kamailio/myself';
import { describeProbe, probe } from '../src/resolvers/kamailio/probe';

/** A host name with at least one dot (an IP address or a bare word is not a domain the script names). */
const DOMAIN_NAME = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

/**
 * The script routes a domain by name (`$rd == "sales.example.com"`, `case "sales.example.com":` of
 * `switch ($rd)`) that is not one of the
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
    // Every equality test of $rd with a constant, in any block: ==, !=, eq, ne either way round,
    // a #!define'd name, and the cases of switch ($rd) (host-tests.ts, which coverage splits hosts by).
    const found = hostTests(model).comparisons.filter((c) => DOMAIN_NAME.test(c.value)).map((c) => ({ host: c.value, loc: c.loc }));
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
