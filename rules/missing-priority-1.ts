import { createRule } from '../src/rules/api';

export default createRule({
  id: 'missing-priority-1',
  description: 'An extension with priorities but no priority 1: it can never be entered, so calls for it get 404',
  defaultSeverity: 'error',
  platforms: ['asterisk'],
  docs: {
    why: 'Every existence check (ast_exists_extension, used by chan_pjsip and chan_sip before the dialplan runs) asks for priority 1. Without it the extension does not exist: the number gets 404, or a broader pattern takes it. A common cause: `exten => 200,n,…` right after another extension continues that extension\'s numbering, because `n` counts per context, not per extension.',
    engineBehaviour: 'pbx/pbx_config.c (lastpri is reset per context); res/res_pjsip_session.c get_destination() → ast_exists_extension(…, priority 1, …).',
    bad: '[from-internal]\nexten => 100,1,Answer()\nexten => 200,n,Dial(PJSIP/200)   ; this is priority 2 of 200',
    good: '[from-internal]\nexten => 100,1,Answer()\nexten => 200,1,Dial(PJSIP/200)',
    fix: 'Start the extension at priority 1 (exten => NAME,1,…).',
  },
  check({ report }) {
    return {
      extension(ext, ci) {
        if (ext.hasPriority(1) || ext.registeredCount === 0) return; // the bitmask on the extension answers the usual case
        const first = [...ext.registeredPriorities.values()].sort((a, b) => a.number - b.number)[0];
        report({
          location: first.location,
          message: `${ext.name} in [${ci.context.name}] has no priority 1 (its first is ${first.number}), so it cannot be entered`,
          wire: ext.isPattern ? `INVITE for numbers matching ${ext.name} → 404 unless another extension matches them` : `INVITE for ${ext.name} → 404 (chan_pjsip checks priority 1 before the dialplan runs)`,
          fix: `write exten => ${ext.name},1,${first.app}(…) for its first line`,
        });
      },
    };
  },
});
