import { createRule } from '../src/rules/api';
import { describeProbe, probe } from '../src/resolvers/kamailio/probe';

/**
 * `alias="pbx.example.com:5080"`: in quotes the value is one name, port included, so no request's
 * host ever equals it and the domain is foreign to uri==myself / is_myself(). Checked against
 * kamailio 5.6 by the oracle test (fixtures/kamailio/corners).
 */
export default createRule({
  id: 'kamailio-alias-quoted-port',
  description: 'alias="host:port" in quotes makes the name "host:port" an alias, not the host on that port',
  defaultSeverity: 'error',
  platforms: ['kamailio'],
  docs: {
    why: 'The alias was meant to make the host local on one port, but in double quotes the port is part of the name. Kamailio then never treats the host as its own: uri==myself and is_myself() say "foreign", so the stock script answers 403 Not relaying (or relays the request to the host\'s DNS target) instead of serving its users.',
    engineBehaviour: 'cfg.y reads `alias=` as a list of listen_id [":" port]; a double-quoted value is one STRING token, kept whole as the alias name with port 0 (`kamailio -c` lists it as "host:5080:*"). check_self() (src/core/forward.c) asks grep_aliases() (src/core/name_alias.h), which compares the URI host with the whole name: "host" never equals "host:5080".',
    bad: 'alias="pbx.example.test:5080"',
    good: 'alias=pbx.example.test:5080\n# or, any port:\nalias="pbx.example.test"',
    fix: 'Write the port outside the quotes (alias=pbx.example.test:5080 or alias="pbx.example.test":5080), or drop it to accept any port.',
  },
  check({ model, route, report }) {
    for (const e of model.myself.entries) {
      if (!e.nameWithPort || !e.location) continue;
      const colon = e.host.lastIndexOf(':');
      const host = e.host.slice(0, colon);
      const port = Number(e.host.slice(colon + 1)) || undefined;
      const req = probe(model, '1001', { domain: host, port });
      const a = route(req);
      const outcome = a.verdict === 'depends' ? 'depends on what the script cannot know' : a.verdict === 'rejected' ? `${a.status ?? 'no reply'}` : `routed (${a.reason})`;
      report({
        location: e.location,
        message: `alias "${e.host}" is quoted: the alias is the name "${e.host}", port included, which no request's host equals; ${host} is not one of the server's own names on any port (uri==myself and is_myself() are false for it)`,
        wire: `${describeProbe(req)} → ${outcome}`,
        fix: `write alias=${host}${port ? `:${port}` : ''} without the quotes (or alias="${host}"${port ? `:${port}` : ''})`,
      });
    }
  },
});
