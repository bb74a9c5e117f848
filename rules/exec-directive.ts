import { createRule } from '../src/rules/api';
import { PLATFORMS } from '../src/core/findings';

/** Directives that run a command at load time: recorded, never run, and the analysis is incomplete. */
export default createRule({
  id: 'exec-directive',
  description: 'A directive that runs a shell command while the configuration loads (#exec, X-PRE-PROCESS exec/exec-set): pbxlint never runs it, so what it generates is not analysed',
  defaultSeverity: 'warning',
  platforms: PLATFORMS,
  docs: {
    why: 'The command\'s output becomes configuration (extensions, endpoints, variables) that pbxlint cannot see; numbers it would route may be reported as 404, and its mistakes are not found.',
    engineBehaviour: 'Asterisk: main/config.c handle_include_exec runs `#exec` when asterisk.conf has execincludes=yes; FreeSWITCH: switch_xml.c preprocess runs X-PRE-PROCESS cmd="exec"/"exec-set".',
    bad: '[from-internal]\n#exec /usr/local/bin/generate-extensions.sh',
    good: '[from-internal]\n#include generated/extensions-internal.conf ; generated before deploy, committed',
    fix: 'Generate the configuration before deploying and #include the generated file, so it can be reviewed and linted; or accept this warning (it says the analysis is partial).',
  },
  check(ctx) {
    for (const issue of ctx.model.issues) if (issue.kind === 'exec') ctx.report({ location: issue.location, message: issue.message });
  },
});
