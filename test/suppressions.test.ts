/** Suppression comments in each engine's comment syntax, and unused-suppression. */
import * as path from 'path';
import { findingsOf, allFindings, fixture } from './helpers/rule-tester';
import { parseDirective, commentSyntaxFor } from '../src/suppressions/syntax';
import { directivesOf } from '../src/suppressions';
import { tempTree } from './helpers/gate-cli';

describe('directive syntax per file type', () => {
  test('comment syntax chosen by extension, then by the engine of the root', () => {
    expect(commentSyntaxFor('/etc/asterisk/extensions.conf', 'asterisk')).toBe('semicolon');
    expect(commentSyntaxFor('/etc/kamailio/kamailio.cfg', 'kamailio')).toBe('hash');
    expect(commentSyntaxFor('/etc/kamailio/routes.inc', 'kamailio')).toBe('hash');
    expect(commentSyntaxFor('/etc/freeswitch/dialplan/default.xml', 'freeswitch')).toBe('xml');
  });

  test.each([
    ['; pbxlint-disable-next-line goto-target-missing', 'semicolon', { kind: 'disable-next-line', column: 1, rules: ['goto-target-missing'] }],
    ['  ;; pbxlint-disable-next-line a-rule, b-rule -- reason, with commas', 'semicolon', { kind: 'disable-next-line', column: 3, rules: ['a-rule', 'b-rule'] }],
    ['; pbxlint-disable-file', 'semicolon', { kind: 'disable-file', column: 1, rules: [] }],
    ['# pbxlint-disable-next-line route-unreachable', 'hash', { kind: 'disable-next-line', column: 1, rules: ['route-unreachable'] }],
    ['// pbxlint-disable-file a-rule', 'hash', { kind: 'disable-file', column: 1, rules: ['a-rule'] }],
    ['    <!-- pbxlint-disable-next-line a-rule -->', 'xml', { kind: 'disable-next-line', column: 5, rules: ['a-rule'] }],
    ['<!--pbxlint-disable-file-->', 'xml', { kind: 'disable-file', column: 1, rules: [] }],
  ] as const)('%s', (line, syntax, expected) => {
    expect(parseDirective(line, syntax)).toEqual(expected);
  });

  test.each([
    ['exten => 100,1,NoOp(; pbxlint-disable-next-line x)', 'semicolon'],
    ['#!define pbxlint-disable-next-line 1', 'hash'],
    ['# pbxlint-disable-next-line x', 'semicolon'],
    ['<!-- pbxlint-disable-next-line x', 'xml'],
    ['; pbxlint-disable-next-lines x', 'semicolon'],
  ] as const)('not a directive: %s', (line, syntax) => {
    expect(parseDirective(line, syntax)).toBeNull();
  });
});

describe('finding directives in big files', () => {
  test('a directive whose marker straddles the 64 KiB read chunks is found', () => {
    // Line 1 fills bytes 0–65525; line 2's marker (after "; ") starts at 65528, 8 bytes before the boundary.
    const lead = ';'.padEnd(65525, 'x') + '\n';
    const dir = tempTree({ 'extensions.conf': `${lead}; pbxlint-disable-next-line goto-target-missing\nexten => 1,1,NoOp()\n` });
    expect(directivesOf(path.join(dir, 'extensions.conf'), 'asterisk')).toMatchObject([{ line: 2, kind: 'disable-next-line', rules: ['goto-target-missing'], target: 3 }]);
  });

  test('files without the marker, and unreadable ones, have none', () => {
    const dir = tempTree({ 'extensions.conf': 'exten => 1,1,NoOp()\n'.repeat(10000) });
    expect(directivesOf(path.join(dir, 'extensions.conf'), 'asterisk')).toEqual([]);
    expect(directivesOf(path.join(dir, 'missing.conf'), 'asterisk')).toEqual([]);
    expect(directivesOf(dir, 'asterisk')).toEqual([]);
  });
});

describe('suppressions in lint (Asterisk fixtures)', () => {
  test('next-line suppression removes exactly that finding', () => {
    const pbx = fixture('gate/pbx');
    expect(findingsOf('goto-target-missing', pbx)).toEqual([]);
    expect(allFindings(pbx).map((f) => `${f.ruleId}@${f.line}`)).toContain('dial-endpoint-missing@9');
  });

  test('a file-level suppression covers every line of the file, for the rules it names', () => {
    expect(findingsOf('goto-target-missing', fixture('gate/suppress-file'))).toEqual([]);
    expect(allFindings(fixture('gate/suppress-file'))).toEqual([]);
  });

  test('a file-level suppression with no rule names every rule', () => {
    const dir = tempTree({ 'extensions.conf': '; pbxlint-disable-file\n[a]\nexten => 1,1,Goto(nowhere,s,1)\ninclude => missing\n' });
    expect(allFindings(dir)).toEqual([]);
  });

  test('unused-suppression: fires on a stale comment and a misspelled rule id, not on a used one', () => {
    // run alone, only the misspelled id can be judged (goto-target-missing did not run)
    expect(findingsOf('unused-suppression', fixture('rules/unused-suppression/fires')).map((f) => f.line)).toEqual([4]);
    const all = allFindings(fixture('rules/unused-suppression/fires'));
    expect(all.filter((f) => f.ruleId === 'unused-suppression')).toEqual([
      expect.objectContaining({ severity: 'warning', file: 'extensions.conf', line: 2, column: 1, message: 'pbxlint-disable-next-line goto-target-missing: no goto-target-missing finding on line 3 to suppress' }),
      expect.objectContaining({ severity: 'warning', file: 'extensions.conf', line: 4, column: 1, message: expect.stringContaining('"goto-target-mising", which is not a pbxlint rule') }),
    ]);
    // the misspelled comment suppresses nothing: the Goto on line 5 is still reported
    expect(all.filter((f) => f.ruleId === 'goto-target-missing').map((f) => f.line)).toEqual([5]);
    expect(allFindings(fixture('rules/unused-suppression/clean'))).toEqual([]);
  });

  test('stacked next-line comments apply to the first line that is not a comment', () => {
    const dir = tempTree({ 'extensions.conf': '[a]\n; pbxlint-disable-next-line goto-target-missing\n; pbxlint-disable-next-line include-missing-context\nexten => 1,1,Goto(nowhere,s,1)\ninclude => missing\n' });
    const found = allFindings(dir).map((f) => `${f.ruleId}@${f.line}`);
    // the Goto on line 4 is suppressed; the include on line 5 is not, and the second comment is unused
    expect(found.sort()).toEqual(['include-missing-context@5', 'unused-suppression@3']);
  });

  test('a rule named in a comment that pbxlint does not know is reported', () => {
    const dir = tempTree({ 'extensions.conf': '[a]\n; pbxlint-disable-next-line no-such-rule\nexten => 1,1,NoOp()\n' });
    expect(allFindings(dir)).toEqual([expect.objectContaining({ ruleId: 'unused-suppression', line: 2, message: expect.stringContaining('"no-such-rule", which is not a pbxlint rule') })]);
  });

  test('rules turned off do not make their suppressions "unused"; unused-suppression can be turned off', () => {
    const dir = tempTree({ 'extensions.conf': '[a]\n; pbxlint-disable-next-line goto-target-missing\nexten => 1,1,NoOp()\n' });
    expect(allFindings(dir, { settings: { 'goto-target-missing': 'off' } })).toEqual([]);
    expect(allFindings(dir, { settings: { 'unused-suppression': 'off' } })).toEqual([]);
    expect(allFindings(dir, { settings: { 'unused-suppression': 'error' } })[0].severity).toBe('error');
  });

  test('suppressions can be ignored (suppressions: false)', () => {
    const found = allFindings(fixture('gate/suppress-file'), { suppressions: false });
    expect(found.map((f) => f.ruleId)).toEqual(['goto-target-missing', 'goto-target-missing']);
    expect(path.basename(found[0].file)).toBe('extensions.conf');
  });
});

describe('suppressions are engine-generic (applied to findings of any engine by file type)', () => {
  const { applySuppressions } = require('../src/suppressions') as typeof import('../src/suppressions');
  const finding = (file: string, line: number, ruleId: string) => ({ ruleId, severity: 'error' as const, file, line, column: 1, message: 'm' });
  const options = (platform: 'kamailio' | 'freeswitch', files: string[]) => ({ platform, files, activeRules: new Set(['a-rule', 'b-rule']), unusedSeverity: 'warning' as const, knownRules: new Set(['a-rule', 'b-rule']) });

  test('Kamailio: # and // comments in .cfg and included .inc files', () => {
    const dir = tempTree({
      'kamailio.cfg': '#!define WITH_AUTH\nrequest_route {\n    # pbxlint-disable-next-line a-rule\n    lookup("location");\n}\n',
      'routes.inc': '// pbxlint-disable-file b-rule\nroute[X] { sl_send_reply("404", "Not here"); }\n',
    });
    const cfg = path.join(dir, 'kamailio.cfg');
    const inc = path.join(dir, 'routes.inc');
    const kept = applySuppressions([finding(cfg, 4, 'a-rule'), finding(cfg, 4, 'b-rule'), finding(inc, 2, 'b-rule')], options('kamailio', [cfg, inc]));
    expect(kept.map((f) => `${f.ruleId}@${path.basename(f.file)}:${f.line}`)).toEqual(['b-rule@kamailio.cfg:4']);
  });

  test('FreeSWITCH: <!-- --> comments in .xml; an unused one is reported at its column', () => {
    const dir = tempTree({ 'default.xml': '<include>\n  <context name="default">\n    <!-- pbxlint-disable-next-line a-rule -->\n    <extension name="x"/>\n  </context>\n</include>\n' });
    const xml = path.join(dir, 'default.xml');
    expect(applySuppressions([finding(xml, 4, 'a-rule')], options('freeswitch', [xml]))).toEqual([]);
    const unused = applySuppressions([], options('freeswitch', [xml]));
    expect(unused).toEqual([expect.objectContaining({ ruleId: 'unused-suppression', line: 3, column: 5, platform: 'freeswitch' })]);
  });
});
