import { createRule } from '../src/rules/api';
import type { RouteAnswer } from '../src/resolvers/types';
import { allActions, entryContexts } from '../src/resolvers/freeswitch/queries';

/** Simulates dialing each user's id in every context calls enter (the same resolver as `pbxlint route`). */
export function reaches(answer: RouteAnswer, userId: string, domain: string): boolean {
  const want = `user/${userId}@${domain}`.toLowerCase();
  return answer.outcomes.some((o) => o.verdict === 'routed' && o.target !== null && (o.target.name.toLowerCase() === want || o.target.name.toLowerCase().includes(`/${userId.toLowerCase()}%`)));
}

export default createRule({
  id: 'freeswitch-directory-user-unreachable',
  description: 'A directory user that no dialplan extension can reach: calls for it never ring its phone',
  defaultSeverity: 'warning',
  platforms: ['freeswitch'],
  docs: {
    why: 'A user in the directory can register and call out, but a call for it rings only if some extension bridges to user/<id>@<domain> (or its registration). When dialing the user\'s id in every context calls enter never reaches the user, and no bridge or transfer names it, the user cannot be called.',
    engineBehaviour: 'mod_dialplan_xml.c dialplan_hunt / parse_exten (the number must be matched and bridged); mod_dptools.c user_outgoing_channel (user/ reaches the registered contact through the user\'s dial-string).',
    bad: '<user id="1050"/>  <!-- the default context bridges only ^(10[01][0-9])$ -->',
    good: '<extension name="Local_Extension"><condition field="destination_number" expression="^(10[0-9][0-9])$"><action application="bridge" data="user/$1@${domain_name}"/></condition></extension>',
    fix: 'Widen the local-extension expression to include the user, add an extension for it, or remove the unused user.',
  },
  check({ model, route, report }) {
    const contexts = [...new Set(entryContexts(model).map((e) => e.context))];
    if (contexts.length === 0 || !model.dialplan.present) return;
    const mentioned = new Set<string>();
    for (const { action } of allActions(model)) {
      if (action.application !== 'bridge' && action.application !== 'transfer') continue;
      for (const m of action.data.matchAll(/user\/([^@,|\s$]+)|^\s*([^\s$]+)/g)) mentioned.add((m[1] ?? m[2]).toLowerCase());
    }
    for (const domain of model.directory.domains) {
      for (const user of domain.users) {
        if (user.pointer || mentioned.has(user.id.toLowerCase())) continue;
        const dialed = [user.id, ...(user.numberAlias ? [user.numberAlias] : [])];
        const answers = dialed.flatMap((n) => contexts.map((context) => ({ n, context, a: route({ user: n, method: 'INVITE', context, registered: [`${user.id}@${domain.name}`] }) })));
        if (answers.some((x) => reaches(x.a, user.id, domain.name))) continue;
        const own = user.variables.get('user_context')?.value;
        const first = answers.find((x) => x.context === own) ?? answers[0];
        const outcome = first.a.verdict === 'rejected' ? `→ ${first.a.status}` : first.a.verdict === 'routed' ? `→ ${first.a.target?.name}` : '→ depends';
        report({
          location: user.location,
          message: `directory user ${user.id}@${domain.name} is not reached by dialing ${dialed.join(' or ')} in context${contexts.length > 1 ? 's' : ''} ${contexts.join(', ')}, and no bridge or transfer names it`,
          wire: `INVITE for ${first.n} in context ${first.context} ${outcome}, even while ${user.id} is registered`,
          fix: `add an extension that bridges user/${user.id}@\${domain_name}, or widen the local-extension expression to match ${user.id}`,
        });
      }
    }
  },
});
