import { createRule } from '../src/rules/api';
import { findContext } from '../src/resolvers/freeswitch/hunt';
import { entryContexts } from '../src/resolvers/freeswitch/queries';

/** sofia.c sets the caller's context (profile `context`, or the user's `user_context`); mod_dialplan_xml dialplan_hunt finds nothing there. */
export default createRule({
  id: 'freeswitch-profile-context-missing',
  description: 'A sofia profile (or a directory user_context) sends calls to a dialplan context that does not exist: every such call gets 404',
  defaultSeverity: 'error',
  platforms: ['freeswitch'],
  docs: {
    why: 'Calls arriving on the profile (or from the authenticated user) are routed in that context. When no <context name=…> exists and there is no "global" context, the hunt returns no extension, switch_core_standard_on_routing logs "No Route, Aborting" and hangs up with NO_ROUTE_DESTINATION, which mod_sofia answers 404.',
    engineBehaviour: 'sofia.c sofia_handle_sip_i_invite (ACL context, else user_context, else profile->context); mod_dialplan_xml.c dialplan_hunt (switch_xml_find_child "context" by name, case-insensitive, falling back to "global"); mod_sofia.c hangup_cause_to_sip (NO_ROUTE_DESTINATION → 404).',
    bad: '<profile name="external"><settings><param name="context" value="pubilc"/></settings></profile>\n<context name="public">…</context>',
    good: '<profile name="external"><settings><param name="context" value="public"/></settings></profile>',
    fix: 'Point the profile\'s context param (or the user\'s user_context variable) at an existing <context>, or add that context to the dialplan.',
  },
  check({ model, report }) {
    if (!model.dialplan.present) return;
    for (const e of entryContexts(model)) {
      if (findContext(model, e.context)) continue;
      const who = e.profile ? `sofia profile ${e.profile.name}` : `directory user ${e.user}`;
      report({
        location: e.location,
        message: `${who} routes calls in context "${e.context}", which does not exist in the dialplan (and there is no "global" context)`,
        wire: `INVITE ${e.profile ? `on profile ${e.profile.name}` : `from ${e.user}`} for any number → 404 (NO_ROUTE_DESTINATION)`,
        fix: `set it to one of: ${model.dialplan.contexts.map((c) => c.name).filter((v, i, a) => a.indexOf(v) === i).join(', ')} — or add <context name="${e.context}">`,
      });
    }
  },
});
