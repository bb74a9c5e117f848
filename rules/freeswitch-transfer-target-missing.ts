import { createRule } from '../src/rules/api';
import { findContext } from '../src/resolvers/freeswitch/hunt';
import { allActions, staticValue } from '../src/resolvers/freeswitch/queries';

/** mod_dptools transfer_function → switch_ivr_session_transfer restarts routing at extension/context. */
export default createRule({
  id: 'freeswitch-transfer-target-missing',
  description: 'A transfer to a context that does not exist, or to a number no extension of that context matches: the call gets 404',
  defaultSeverity: 'error',
  platforms: ['freeswitch'],
  docs: {
    why: 'transfer <extension> [XML [context]] restarts routing with a new destination_number in the named context. If the context does not exist (and there is no "global" context), or nothing in it collects an action for that number, the channel hangs up with NO_ROUTE_DESTINATION → 404.',
    engineBehaviour: 'mod_dptools.c transfer_function → switch_ivr.c switch_ivr_session_transfer; mod_dialplan_xml.c dialplan_hunt; switch_core_state_machine.c switch_core_standard_on_routing ("No Route, Aborting"); mod_sofia.c hangup_cause_to_sip.',
    bad: '<action application="transfer" data="1000 XML defualt"/>',
    good: '<action application="transfer" data="1000 XML default"/>',
    fix: 'Name an existing context, and a number an extension in it matches.',
  },
  check({ model, route, report }) {
    for (const { action, context } of allActions(model)) {
      if (action.application !== 'transfer') continue;
      const data = staticValue(model, action.data);
      if (data === null) continue;
      const argv = data.trim().split(/\s+/).filter((x) => x !== '-bleg' && x !== '-both');
      const [dest, dialplan, ctxName] = argv;
      if (!dest || (dialplan !== undefined && dialplan.toUpperCase() !== 'XML')) continue;
      const target = ctxName ?? context.name;
      if (!findContext(model, target)) {
        report({
          location: action.location,
          message: `transfer to ${dest} in context "${target}", which does not exist (and there is no "global" context)`,
          wire: `a call reaching this transfer → 404 (NO_ROUTE_DESTINATION)`,
          fix: `use an existing context: ${[...new Set(model.dialplan.contexts.map((c) => c.name))].join(', ')}`,
        });
        continue;
      }
      // This hop only (transfers: 0): whether the target collects an action, not where a chain of
      // transfers from it ends — judging the whole chain made a long chain report every hop near
      // its end, and cost transfers × chain length × extensions (2,000 chained transfers: 95 s).
      const answer = route({ user: dest, method: 'INVITE', context: target, transfers: 0 });
      if (answer.outcomes.length && answer.outcomes.every((o) => o.verdict === 'rejected' && o.status === 404 && /no extension/.test(o.reason))) {
        report({
          location: action.location,
          message: `transfer to ${dest} in context "${target}": no extension there collects an action for ${dest}`,
          wire: `a call reaching this transfer → 404 (NO_ROUTE_DESTINATION)`,
          fix: `add an extension matching ${dest} to context "${target}", or transfer to a number one matches`,
        });
      }
    }
  },
});
