import { createRule } from '../src/rules/api';
import { describeProbe, lastStep, localTargets, probe, stepLocation, truncated } from '../src/resolvers/kamailio/probe';

/**
 * lookup("location") fails with -1 both for an unknown AOR and for a known user with no contact
 * (registrar lookup.c: no record or no valid contact → -1). Answering it with 404 tells callers
 * the user does not exist when it is merely offline; RFC 3261 §21.4.18 has 480 for that.
 */
export default createRule({
  id: 'kamailio-unregistered-404',
  description: 'A failed lookup("location") (user not registered) is answered with 404 instead of 480',
  defaultSeverity: 'warning',
  platforms: ['kamailio'],
  docs: {
    why: 'lookup("location") returns -1 when the AOR has no contact, which is the normal state of a phone that is switched off. Replying 404 Not Found says the user does not exist; callers, gateways and carriers then drop the number (some stop retrying, some play "number not in service"). 480 Temporarily Unavailable is the status RFC 3261 gives for a known user who cannot be reached right now.',
    engineBehaviour: 'registrar lookup() returns -1 for "no contact found" and also for an unknown AOR (src/modules/registrar/lookup.c); Kamailio itself sends nothing, the script picks the status (sl_send_reply/send_reply/t_reply). The rule simulates an INVITE to a local user with nobody registered and reports the 404 reply reached after the failed lookup.',
    bad: 'if (!lookup("location")) {\n\tsl_send_reply("404", "Not Found");\n\texit;\n}',
    good: 'if (!lookup("location")) {\n\tsl_send_reply("480", "Temporarily Unavailable");\n\texit;\n}',
    fix: 'Reply 480 "Temporarily Unavailable" when lookup() returns -1; keep 404 only for users you know do not exist (e.g. after checking a subscriber table with does_uri_exist()).',
  },
  check({ model, route, report }) {
    const seen = new Set<string>();
    const targets: ({ host: string; port?: number } | undefined)[] = localTargets(model);
    if (targets.length === 0) targets.push(undefined); // the host stays unknown: the simulation forks on it
    for (const target of targets) {
      for (const user of ['1001', 'alice']) {
        const req = probe(model, user, target ? { domain: target.host, port: target.port } : {});
        const answer = route(req);
        if (truncated(answer)) continue;
        let reached = false;
        for (const o of answer.outcomes) {
          const failed = o.steps.some((s) => s.kind === 'lookup' && /has no contact/.test(s.text));
          reached ||= o.steps.some((s) => s.kind === 'lookup');
          if (!failed || o.verdict !== 'rejected' || o.status !== 404) continue;
          const reply = lastStep(o, 'reply');
          const lookup = o.steps.find((s) => s.kind === 'lookup' && /has no contact/.test(s.text));
          if (!reply || !lookup) continue;
          const key = `${reply.file}:${reply.line}`;
          if (seen.has(key)) continue;
          seen.add(key);
          report({
            location: stepLocation(reply),
            message: `a user who is not registered gets 404: ${lookup.text.replace(/ → -1$/, '')} (line ${lookup.line}), and this reply answers it with 404 "${o.reason}"`,
            wire: `${describeProbe(req)} when ${user} is not registered → 404 (the caller is told the user does not exist)`,
            fix: `change the reply at line ${reply.line} to 480 "Temporarily Unavailable" for lookup() result -1`,
            related: [{ location: stepLocation(lookup), message: 'lookup() fails here when the user has no contact' }],
          });
        }
        if (reached) break;
      }
    }
  },
});
