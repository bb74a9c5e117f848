import { createRule } from '../src/rules/api';
import { describeProbe, lastStep, probe, stepLocation, truncated } from '../src/resolvers/kamailio/probe';

const FOREIGN = 'relay-probe.invalid';

/**
 * A proxy that forwards requests for domains it does not serve, from callers it does not know, is
 * an open relay (toll fraud, spam). Kamailio's stock cfg refuses them with 403 "Not relaying"
 * after `uri!=myself` (etc/kamailio.cfg route[AUTH]).
 */
export default createRule({
  id: 'kamailio-open-relay',
  description: 'Requests for foreign domains from unknown callers are relayed (no myself/domain check)',
  defaultSeverity: 'error',
  platforms: ['kamailio'],
  docs: {
    why: 'An INVITE for a domain the proxy does not serve, from a caller it does not know, is forwarded instead of refused. Anyone can then use the proxy to reach any destination, including paid ones (toll fraud), and hide behind its address.',
    engineBehaviour: 'Kamailio forwards whatever t_relay()/forward() is given; only the script decides whether a request is for the proxy (uri==myself, is_myself(), is_domain_local()) or from a trusted source (auth_check(), allow_source_address()). The stock cfg answers foreign requests with 403 "Not relaying" (etc/kamailio.cfg route[AUTH]). The rule simulates an INVITE for sip:1001@relay-probe.invalid from an unknown, unauthenticated caller.',
    bad: 'request_route {\n\tt_relay();\n}',
    good: 'request_route {\n\tif (uri != myself) {\n\t\tsl_send_reply("403", "Not relaying");\n\t\texit;\n\t}\n\t...\n}',
    fix: 'Before relaying, refuse requests whose R-URI is not local unless the caller is authenticated or comes from a trusted address: if (uri!=myself) { sl_send_reply("403","Not relaying"); exit; }.',
  },
  check({ model, route, report }) {
    const req = probe(model, '1001', { domain: FOREIGN, port: undefined });
    const answer = route(req);
    if (truncated(answer)) return;
    for (const o of answer.outcomes) {
      if (o.verdict !== 'routed' || o.target?.kind !== 'relay' || !o.target.name.includes(FOREIGN)) continue;
      // Paths that rest on a trusted source, a database entry or credentials are not open.
      if (o.conditions.some((c) => !c.includes(FOREIGN))) continue;
      const relay = lastStep(o, 'relay');
      if (!relay) continue;
      report({
        location: stepLocation(relay),
        message: `requests for any domain are relayed: nothing refuses a foreign Request-URI from an unknown caller before ${relay.text.split(':')[0]}`,
        wire: `${describeProbe(req)} from sip:caller@caller.invalid → relayed to ${FOREIGN} (open relay)`,
        fix: 'refuse foreign destinations from untrusted callers before relaying: if (uri!=myself) { sl_send_reply("403","Not relaying"); exit; }',
      });
      return;
    }
  },
});
