import { createRule } from '../src/rules/api';

export default createRule({
  id: 'include-missing-context',
  description: '`include =>` names a context that does not exist: its extensions are not there to match',
  defaultSeverity: 'error',
  platforms: ['asterisk'],
  docs: {
    why: 'Asterisk accepts an include of a missing context and skips it at lookup time, so every number that should have matched there is answered 404 (or falls to a broader pattern).',
    engineBehaviour: 'main/pbx.c ast_context_add_include2 accepts any name; pbx_find_extension skips includes whose context find_context() does not find.',
    bad: '[from-internal]\ninclude => outbound-calls\n; no [outbound-calls] anywhere',
    good: '[from-internal]\ninclude => outbound\n\n[outbound]\nexten => _1NXXNXXXXXX,1,Dial(PJSIP/${EXTEN}@trunk-a)',
    fix: 'Correct the included name (case-sensitive) or create the context.',
  },
  check({ model, report }) {
    for (const ctx of model.dialplan.contexts.values()) {
      for (const inc of ctx.includes) {
        if (inc.context.includes('${')) continue;
        if (model.dialplan.contexts.has(inc.context)) continue;
        const caseTwin = [...model.dialplan.contexts.keys()].find((c) => c.toLowerCase() === inc.context.toLowerCase());
        report({
          location: inc.location,
          message: `[${ctx.name}] includes "${inc.context}", which does not exist${caseTwin ? ` ([${caseTwin}] differs only in case; context names are case-sensitive)` : ''}`,
          wire: `INVITE for a number only [${inc.context}] would handle → 404 (the include is skipped)`,
          fix: caseTwin ? `write include => ${caseTwin}` : `create [${inc.context}] or remove the include`,
        });
      }
    }
  },
});
