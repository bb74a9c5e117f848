/** Suppression comments in each engine's comment syntax, and unused-suppression. */
import * as path from 'path';
import { findingsOf, allFindings, fixture } from './helpers/rule-tester';
import { parseDirective, commentSyntaxFor } from '../src/suppressions/syntax';
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

  test('unused-suppression: fires on a stale comment, not on a used one', () => {
    const fires = findingsOf('unused-suppression', fixture('rules/unused-suppression/fires'));
    expect(fires).toHaveLength(0); // alone, goto-target-missing did not run: nothing can be judged unused
    const all = allFindings(fixture('rules/unused-suppression/fires'));
    expect(all).toEqual([
      expect.objectContaining({ ruleId: 'unused-suppression', severity: 'warning', file: 'extensions.conf', line: 2, column: 1, message: 'pbxlint-disable-next-line goto-target-missing: no goto-target-missing finding on line 3 to suppress' }),
    ]);
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
    const dir = fixture('rules/unused-suppression/fires');
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
