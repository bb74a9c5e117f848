import { createRule } from '../src/rules/api';
import { entryContexts } from '../src/resolvers/freeswitch/queries';
import { reaches } from './freeswitch-directory-user-unreachable';

/** find_user_in_tag accepts a number-alias for the user, but only the dialplan decides whether that number is bridged. */
export default createRule({
  id: 'freeswitch-number-alias-unrouted',
  description: 'A directory number-alias that no dialplan route sends to its user',
  defaultSeverity: 'warning',
  platforms: ['freeswitch'],
  docs: {
    why: 'number-alias lets user/<alias>@<domain> find the user, but a call for the alias number still has to be matched by an extension that bridges it. When dialing the alias in every context calls enter never reaches the user, the alias is dead: callers get whatever the dialplan does with that number (often 404 or 480).',
    engineBehaviour: 'switch_xml.c find_user_in_tag (id or number-alias); mod_dialplan_xml.c parse_exten; mod_dptools.c user_outgoing_channel.',
    bad: '<user id="1000" number-alias="200"/>  <!-- no extension matches 200 -->',
    good: '<extension name="aliases"><condition field="destination_number" expression="^(2\\d\\d)$"><action application="bridge" data="user/$1@${domain_name}"/></condition></extension>',
    fix: 'Add an extension matching the alias that bridges user/<alias>@<domain>, or remove the alias.',
  },
  check({ model, route, report }) {
    const contexts = [...new Set(entryContexts(model).map((e) => e.context))];
    if (contexts.length === 0 || !model.dialplan.present) return;
    for (const domain of model.directory.domains) {
      for (const user of domain.users) {
        if (!user.numberAlias || user.pointer) continue;
        const alias = user.numberAlias;
        const answers = contexts.map((context) => ({ context, a: route({ user: alias, method: 'INVITE', context, registered: [`${user.id}@${domain.name}`] }) }));
        if (answers.some((x) => reaches(x.a, user.id, domain.name))) continue;
        const first = answers[0];
        const outcome = first.a.verdict === 'rejected' ? `→ ${first.a.status}` : first.a.verdict === 'routed' ? `→ ${first.a.target?.name}` : `→ depends (${first.a.outcomes.map((o) => o.status ?? o.target?.name).join(' / ')})`;
        report({
          location: user.location,
          message: `number-alias ${alias} of ${user.id}@${domain.name} routes nowhere near the user in context${contexts.length > 1 ? 's' : ''} ${contexts.join(', ')}`,
          wire: `INVITE for ${alias} in context ${first.context} ${outcome}`,
          fix: `add an extension matching ${alias} that bridges user/${alias}@\${domain_name}, or drop number-alias="${alias}"`,
        });
      }
    }
  },
});
