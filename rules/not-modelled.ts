import { createRule } from '../src/rules/api';
import { PLATFORMS } from '../src/core/findings';

/** Constructs pbxlint reads but whose routing effect it does not predict; reported rather than guessed. */
export default createRule({
  id: 'not-modelled',
  description: 'A construct whose effect on routing pbxlint does not model; answers that depend on it say so',
  defaultSeverity: 'info',
  platforms: PLATFORMS,
  docs: {
    why: 'Where pbxlint cannot know what the engine will do (a function evaluated at load time, a file another module reads), it says so instead of guessing; predictions that depend on it are less certain.',
    engineBehaviour: 'Varies by construct; each message names the engine behaviour that is not modelled.',
    bad: '[globals]\nPREFIX=${SHELL(cat /etc/prefix)}',
    good: '[globals]\nPREFIX=9',
    fix: 'Usually none is needed; prefer static configuration where the routing decision matters.',
  },
  check(ctx) {
    for (const issue of ctx.model.issues) if (issue.kind === 'not-modelled') ctx.report({ location: issue.location, message: issue.message });
  },
});
