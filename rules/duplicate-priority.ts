import { createRule } from '../src/rules/api';

export default createRule({
  id: 'duplicate-priority',
  description: 'The same extension and priority written twice: Asterisk keeps the first and drops the later line',
  defaultSeverity: 'error',
  platforms: ['asterisk'],
  docs: {
    why: 'ast_add_extension2 refuses a priority that is already registered ("Unable to register extension … already in use"): the later line never runs. Names that Asterisk treats as the same extension (`_NXX` and `_[2-9]XX`, `_1-NXX` and `_1NXX`) collide too.',
    engineBehaviour: 'main/pbx.c ast_add_extension2_lockopt → add_priority() with replace=0; ext_cmp decides which names are the same extension.',
    bad: '[from-internal]\nexten => 100,1,Answer()\nexten => 100,1,Playback(hello-world)',
    good: '[from-internal]\nexten => 100,1,Answer()\n same => n,Playback(hello-world)',
    fix: 'Renumber the later line (use `same => n,…`), or remove the duplicate.',
  },
  check({ report }) {
    return {
      extension(ext, ci) {
        if (ext.refused.length === 0) return; // almost always: no iterator for each extension
        for (const { priority, kept } of ext.refused) {
          report({
            location: priority.location,
            message: `${ext.name}${ext.cid !== undefined ? `/${ext.cid}` : ''}, priority ${priority.number} in [${ci.context.name}] is already defined at ${kept.location.file.split('/').pop()}:${kept.location.line}: Asterisk drops this line (${priority.app}) and runs ${kept.app} there`,
            fix: 'give this line its own priority (same => n,…) or delete one of the two',
            related: [{ location: kept.location, message: 'the priority Asterisk keeps' }],
          });
        }
      },
    };
  },
});
