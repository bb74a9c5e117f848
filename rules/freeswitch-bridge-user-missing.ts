import { createRule } from '../src/rules/api';
import { hangupCauseToSip } from '../src/resolvers/freeswitch/causes';
import { findDomain, findUser } from '../src/resolvers/freeswitch/expand';
import { allActions, staticValue } from '../src/resolvers/freeswitch/queries';

/** mod_dptools.c user_outgoing_channel: "Can't find user [%s@%s]" → SUBSCRIBER_ABSENT. */
export default createRule({
  id: 'freeswitch-bridge-user-missing',
  description: 'bridge user/X@D where D is not a directory domain or X is not a user of D: that leg can never be answered',
  defaultSeverity: 'error',
  platforms: ['freeswitch'],
  docs: {
    why: 'The user/ endpoint looks X up in the directory domain D (by id or number-alias). When the domain or the user is missing, the leg fails at once with SUBSCRIBER_ABSENT; unless continue_on_fail goes on, the caller gets mod_sofia\'s status for it: 480 Temporarily Unavailable.',
    engineBehaviour: 'mod_dptools.c user_outgoing_channel (switch_xml_locate_user_merged("id", user, domain) fails → SWITCH_CAUSE_SUBSCRIBER_ABSENT); switch_xml.c find_user_in_tag (id or number-alias, case-insensitive); mod_sofia.c hangup_cause_to_sip (SUBSCRIBER_ABSENT → 480).',
    bad: '<action application="bridge" data="user/1099@${domain_name}"/>   <!-- no user 1099 in the directory -->',
    good: '<action application="bridge" data="user/1001@${domain_name}"/>',
    fix: 'Add the user to the directory domain (directory/<domain>/X.xml), or bridge to a user that exists.',
  },
  check({ model, report }) {
    for (const { action } of allActions(model)) {
      if (action.application !== 'bridge') continue;
      const data = staticValue(model, action.data);
      if (data === null) continue;
      for (const m of data.matchAll(/(?:^|[,|}\]]|:_:)\s*user\/([^@,|\s[{]+)(?:@([^,|\s]+))?/g)) {
        const user = m[1];
        const domainName = m[2] ?? model.vars.get('domain')?.value;
        if (domainName === undefined) continue;
        const domain = findDomain(model, domainName);
        const status = hangupCauseToSip('SUBSCRIBER_ABSENT');
        if (!domain) {
          report({
            location: action.location,
            message: `bridge user/${user}@${domainName}: "${domainName}" is not a directory domain (domains: ${model.directory.domains.map((d) => d.name).join(', ') || 'none'})`,
            wire: `a call reaching this bridge → SUBSCRIBER_ABSENT → ${status} (unless continue_on_fail goes on)`,
            fix: `bridge to a user of an existing domain, or add <domain name="${domainName}"> to the directory`,
          });
        } else if (!findUser(domain, user)) {
          report({
            location: action.location,
            message: `bridge user/${user}@${domainName}: directory domain ${domain.name} has no user with id or number-alias "${user}"`,
            wire: `a call reaching this bridge → SUBSCRIBER_ABSENT → ${status} (unless continue_on_fail goes on)`,
            fix: `add <user id="${user}"> to domain ${domain.name}, or bridge to an existing user`,
          });
        }
      }
    }
  },
});
