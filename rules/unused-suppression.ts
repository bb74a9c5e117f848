import { createRule } from '../src/rules/api';

/**
 * Reported by the suppression pass (src/suppressions), not by `check`: a rule module exists so the
 * id is listed, documented, configurable ("unused-suppression": "off") and validated like any other.
 */
export default createRule({
  id: 'unused-suppression',
  description: 'A pbxlint-disable comment that suppresses no finding (stale, misplaced, or naming a rule that does not fire there)',
  defaultSeverity: 'warning',
  platforms: ['asterisk', 'kamailio', 'freeswitch'],
  docs: {
    why: 'Nothing fails on the wire because of the comment itself; but a suppression that matches nothing is either stale (the problem was fixed) or misplaced (it sits above the wrong line and the real finding still fires), and it would silently hide a future 404 on the line below it.',
    engineBehaviour: 'Not an engine behaviour: the comment is an ordinary comment to the engine (Asterisk main/config.c strips `;` comments, Kamailio cfg.lex skips `#` and `//` lines, FreeSWITCH\'s XML parser ignores `<!-- -->`). pbxlint reads it after the rules ran and drops the findings it names on the next line (or the whole file).',
    bad: '[from-internal]\n; pbxlint-disable-next-line goto-target-missing\nexten => 100,1,Dial(PJSIP/100)   ; no Goto here: nothing to suppress',
    good: '[features]\n; pbxlint-disable-next-line goto-target-missing -- menu is loaded from a realtime table\nexten => *98,1,Goto(voicemail-menu,s,start)',
    fix: 'Remove the comment, or move it to the line just above the finding, or correct the rule id it names.',
  },
  check() {
    // findings come from applySuppressions (src/suppressions/index.ts), run by src/lint.ts
  },
});
