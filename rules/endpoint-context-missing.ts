import { createRule } from '../src/rules/api';
import type { SourceLocation } from '../src/core/location';

/** chan_pjsip/chan_sip look the number up in the endpoint's context; a context that does not exist matches nothing. */
export default createRule({
  id: 'endpoint-context-missing',
  description: 'An endpoint or peer whose context does not exist in the dialplan: every call from it gets 404',
  defaultSeverity: 'error',
  platforms: ['asterisk'],
  docs: {
    why: 'chan_pjsip checks ast_exists_extension(context, number, 1) before the dialplan runs; in a context that does not exist nothing exists, so every INVITE from the endpoint is answered 404 Not Found.',
    engineBehaviour: 'res/res_pjsip_session.c get_destination(); channels/chan_sip.c get_destination() (branch 18). Context names are compared case-sensitively (main/pbx.c ast_hashtab_compare_contexts uses strcmp).',
    bad: '; pjsip.conf\n[1003]\ntype=endpoint\ncontext=from-internl\n\n; extensions.conf\n[from-internal]\nexten => _1XXX,1,Dial(PJSIP/${EXTEN})',
    good: '; pjsip.conf\n[1003]\ntype=endpoint\ncontext=from-internal',
    fix: 'Set the endpoint\'s context= to an existing context (names are case-sensitive), or create the context in extensions.conf.',
  },
  check({ model, report }) {
    if (!model.dialplan.present || model.dialplan.loadFailure) return;
    const contexts = model.dialplan.contexts;
    const check = (name: string, ctxName: string, location: SourceLocation, what: string, defaulted: boolean) => {
      if (contexts.has(ctxName)) return;
      const caseTwin = [...contexts.keys()].find((c) => c.toLowerCase() === ctxName.toLowerCase());
      report({
        location,
        message: `${what} ${name} sends its calls to context "${ctxName}"${defaulted ? ' (the default, as no context= is set)' : ''}, which does not exist${caseTwin ? ` ([${caseTwin}] exists, but context names are case-sensitive)` : ''}`,
        wire: `INVITE from ${what} ${name} for any number → 404 Not Found`,
        fix: caseTwin ? `write context=${caseTwin}` : `set context= to an existing context, or add [${ctxName}] to extensions.conf`,
      });
    };
    for (const ep of model.pjsip.endpoints.values()) {
      check(ep.id, ep.context.value, ep.contextDefaulted ? ep.location : ep.context.location, 'endpoint', ep.contextDefaulted);
      if (ep.overlapContext) check(ep.id, ep.overlapContext.value, ep.overlapContext.location, 'endpoint (overlap_context)', false);
    }
    for (const peer of model.sip.peers.values()) check(peer.name, peer.context.value, peer.contextDefaulted ? peer.location : peer.context.location, 'peer', peer.contextDefaulted);
    const g = model.sip.general;
    if (model.sip.present && g.allowguest && g.context.location.line > 0) check('guest calls', g.context.value, g.context.location, 'chan_sip', false);
  },
});
