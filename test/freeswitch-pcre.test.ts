/** Dialplan expressions: PCRE semantics (switch_regex_perform) kept in JavaScript, or reported. */
import { ast2regex, compileExpression, matchExpression, substituteCaptures } from '../src/automata/pcre/pcre';

const m = (expr: string, input: string) => matchExpression(compileExpression(expr), input);

describe('PCRE → JavaScript', () => {
  test('unanchored and case-sensitive by default; /re/i flags', () => {
    expect(m('1000', '910005').kind).toBe('match');
    expect(m('abc', 'ABC').kind).toBe('nomatch');
    expect(m('/abc/i', 'ABC').kind).toBe('match');
  });

  test('a leading _ is switch_ast2regex: N X Z converted, . means zero or more', () => {
    expect(ast2regex('1NXX.')).toBe('^1[2-9][0-9][0-9].*$');
    expect(m('_1NXX.', '1200').kind).toBe('match');
    expect(m('_1NXX.', '1100').kind).toBe('nomatch');
  });

  test('rewritten: \\A \\Z, $ before a final newline, POSIX classes, ] first in a class, \\Q…\\E, (?i) at the start, (?P<n>)', () => {
    expect(m('\\A12\\Z', '12\n').kind).toBe('match');
    expect(m('^12$', '12\n').kind).toBe('match');
    expect(m('^[[:digit:]]+$', '123').kind).toBe('match');
    expect(m('^[]a]$', ']').kind).toBe('match');
    expect(m('^\\Q*9.\\E$', '*9.').kind).toBe('match');
    expect(m('(?i)^abc$', 'ABC').kind).toBe('match');
    expect(m('^(?P<n>\\d+)$', '42')).toEqual({ kind: 'match', captures: ['42', '42'] });
  });

  test('constructs JavaScript lacks go to the PCRE1 backtracking matcher', () => {
    for (const e of ['^\\d++$', '(?>a+)b', '^(a|b(?R))$', 'a(?i)b', '(?|(a)|(b))', '\\Gx']) {
      expect(compileExpression(e).kind).toBe('pcre');
      expect(m(e, '').kind).toBe('nomatch');
    }
  });

  test('what neither covers (backtracking verbs, Unicode properties) is reported, not guessed', () => {
    for (const e of ['^a(*COMMIT)b', '^\\p{L}+$']) {
      expect(compileExpression(e).kind).toBe('unsupported');
      expect(m(e, 'x').kind).toBe('unknown');
    }
  });

  test('invalid expressions are reported with the offset of the fault', () => {
    expect(compileExpression('^(10[01][0-9]$')).toMatchObject({ kind: 'invalid', offset: 14, message: 'missing closing parenthesis' });
    expect(compileExpression('^10)$')).toMatchObject({ kind: 'invalid', offset: 3 });
    expect(compileExpression('^[0-9$')).toMatchObject({ kind: 'invalid', offset: 1 });
    expect(compileExpression('*97')).toMatchObject({ kind: 'invalid', offset: 0 });
    expect(compileExpression('^x{3,1}$')).toMatchObject({ kind: 'invalid' });
    expect(m('^(10[01][0-9]$', '1000').kind).toBe('nomatch'); // a compile error is "no match" in switch_regex_perform
  });

  test('a pathological expression cannot hang the run', () => {
    const evil = compileExpression('^(a+)+$');
    expect(evil).toMatchObject({ kind: 'pcre', risky: true }); // a repeated capture: PCRE's own matcher, with its step budget
    expect(m('^(a+)+$', 'a'.repeat(5000) + 'b').kind).toBe('unknown');
    expect(m('^(a+)+$', 'aaaa').kind).toBe('match');
  });

  test('$N and ${N} substitution', () => {
    expect(substituteCaptures('user/$1@${domain}-${2}', ['x', '1000', 'b'])).toBe('user/1000@${domain}-b');
  });
});
