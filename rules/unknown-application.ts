import { createRule } from '../src/rules/api';
import { KNOWN_APPLICATIONS } from '../src/resolvers/asterisk/known-applications';

export default createRule({
  id: 'unknown-application',
  description: 'A priority runs an application Asterisk does not have (a typo such as Dail, or a module that is not part of Asterisk): the call is hung up there',
  defaultSeverity: 'warning',
  platforms: ['asterisk'],
  docs: {
    why: 'pbx_findapp finds no application of that name, pbx_extension_helper logs "No application \'Dail\' for extension" and returns -1, and the PBX hangs the channel up: an unanswered call gets 603 (no hangup cause) instead of reaching its destination.',
    engineBehaviour: 'main/pbx_app.c pbx_findapp (strcasecmp over the registered applications); main/pbx.c pbx_extension_helper. The list of known names is taken from the application documentation of Asterisk 16, 18, 20, 22 and master.',
    bad: '[from-internal]\nexten => _1XXX,1,Dail(PJSIP/${EXTEN})',
    good: '[from-internal]\nexten => _1XXX,1,Dial(PJSIP/${EXTEN})',
    fix: 'Correct the application name. If a module outside Asterisk provides it, list it in the rule option knownApplications: ["MyApp"].',
  },
  check({ report, options }) {
    const extra = new Set(((options.knownApplications ?? []) as string[]).map((a) => String(a).toLowerCase()));
    // An application name built at run time (${APP}) cannot be checked.
    const acceptable = (app: string) => !app || app.includes('$') || KNOWN_APPLICATIONS.has(app) || extra.has(app);
    // A dialplan spells a few application names over and over: each spelling is judged once.
    const judged = new Map<string, boolean>();
    return {
      priority(p, ext, ci) {
        let ok = judged.get(p.app);
        if (ok === undefined) judged.set(p.app, (ok = acceptable(p.app.toLowerCase())));
        if (ok) return;
        const app = p.app.toLowerCase();
        const near = [...KNOWN_APPLICATIONS].find((k) => k.length > 2 && editDistance(k, app) <= 2);
        report({
          location: { file: p.location.file, line: p.location.line, column: p.appColumn },
          message: `"${p.app}" at ${ext.name},${p.number}@${ci.context.name} is not an Asterisk application${near ? ` (did you mean ${properName(near)}?)` : ''}: Asterisk logs "No application '${p.app}' for extension" and hangs up`,
          wire: `a call reaching ${ext.name},${p.number}@${ci.context.name} is hung up there (603 if not yet answered)`,
          fix: near ? `write ${properName(near)}` : 'correct the application name, or list it in the rule option knownApplications if a third-party module provides it',
        });
      },
    };
  },
});

function properName(lower: string): string {
  return lower.charAt(0).toUpperCase() + lower.slice(1);
}

/** Levenshtein distance, for "did you mean" (names are short). */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
