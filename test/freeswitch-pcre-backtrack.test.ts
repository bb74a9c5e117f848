/**
 * PCRE beyond JavaScript's RegExp, with PCRE 8.x's meaning (FreeSWITCH 1.10.12's switch_regex.c
 * switch_regex_perform: pcre_compile + pcre_exec): the expectations are pcrepattern(3)'s, written
 * here for each construct RegExp lacks or means otherwise, then one dialplan that uses them.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadFreeswitch } from '../src/parsers/freeswitch';
import { freeswitchResolver } from '../src/resolvers/freeswitch';
import { compileExpression, matchExpression } from '../src/automata/pcre/pcre';
import { compilePcre, execPcre, STEP_BUDGET } from '../src/automata/pcre/pcre-backtrack';
import * as fc from 'fast-check';

const m = (expr: string, input: string) => matchExpression(compileExpression(expr), input);
const kind = (expr: string, input: string) => m(expr, input).kind;

describe('PCRE1 constructs JavaScript lacks', () => {
  test('an option setting mid-pattern applies to the rest of its group (later alternatives too), not before it', () => {
    expect(kind('^ext(?i)ra$', 'extRA')).toBe('match');
    expect(kind('^ext(?i)ra$', 'EXTra')).toBe('nomatch');
    expect(kind('^87(?i)x$', '87X')).toBe('match');
    expect(kind('(a(?i)b|c)', 'C')).toBe('match'); // pcrepattern "Internal option setting": carried into |c
    expect(kind('^(a(?i)b)c$', 'aBC')).toBe('nomatch'); // ends with the group
    expect(kind('^a(?i:b)c$', 'aBc')).toBe('match');
    expect(kind('^(?i)a(?-i)b$', 'Ab')).toBe('match');
    expect(kind('^(?i)a(?-i)b$', 'AB')).toBe('nomatch');
    expect(kind('/^a(?-i)b$/i', 'Ab')).toBe('match');
    expect(kind('/^a(?-i)b$/i', 'AB')).toBe('nomatch');
  });

  test('possessive quantifiers and atomic groups give nothing back', () => {
    expect(kind('^24\\d++5$', '2415')).toBe('nomatch');
    expect(kind('^24\\d+5$', '2415')).toBe('match');
    expect(kind('^36(?>\\d+)5$', '3615')).toBe('nomatch');
    expect(kind('^36(?>\\d)+5$', '3615')).toBe('match'); // the atom is one digit; the repeat may backtrack
    expect(kind('^(?>a|ab)c$', 'abc')).toBe('nomatch');
    expect(kind('^a*+$', 'aaa')).toBe('match');
    expect(kind('^(ab)++b$', 'ababb')).toBe('match');
  });

  test('lookbehind must have a fixed length: otherwise a compile error, and the condition is false', () => {
    expect(compileExpression('^46\\d{2}(?<=46\\d+)$')).toMatchObject({ kind: 'invalid', message: 'lookbehind assertion is not fixed length' });
    expect(kind('^46\\d{2}(?<=46\\d+)$', '4612')).toBe('nomatch');
    expect(kind('^46\\d{2}(?<![05])$', '4612')).toBe('match');
    expect(kind('^46\\d{2}(?<![05])$', '4615')).toBe('nomatch');
    expect(kind('(?<=a|bc)x', 'bcx')).toBe('match'); // top-level branches may differ in length
    expect(compileExpression('(?<=x(a|bc))y').kind).toBe('invalid'); // nested ones may not
  });

  test('back-references: to an unset group they fail (JavaScript would match the empty string)', () => {
    expect(kind('^(\\d)\\1$', '77')).toBe('match');
    expect(kind('^(\\d)\\1$', '78')).toBe('nomatch');
    expect(kind('^(a)?b\\1$', 'b')).toBe('nomatch');
    expect(kind('^(a)?b\\1$', 'aba')).toBe('match');
    expect(kind('^88(?P<ext>\\d{2})(?P=ext)$', '881212')).toBe('match');
    expect(kind('^(?<x>\\d)\\k<x>\\g{-1}\\g1$', '4444')).toBe('match');
    expect(kind('^(?i)(a)\\1$', 'aA')).toBe('match');
    expect(compileExpression('^(a)\\2$').kind).toBe('invalid'); // reference to non-existent subpattern
  });

  test('conditionals, recursion, branch reset, \\K, \\Q…\\E', () => {
    expect(kind('^(\\()?\\d+(?(1)\\))$', '(12)')).toBe('match');
    expect(kind('^(\\()?\\d+(?(1)\\))$', '12')).toBe('match');
    expect(kind('^(\\()?\\d+(?(1)\\))$', '(12')).toBe('nomatch');
    expect(kind('^(?(?=\\+)\\+\\d{11}|\\d{10})$', '+12025551234')).toBe('match');
    expect(kind('^(?(?=\\+)\\+\\d{11}|\\d{10})$', '2025551234')).toBe('match');
    expect(kind('^(?(?=\\+)\\+\\d{11}|\\d{10})$', '+2025551234')).toBe('nomatch');
    expect(kind('^(\\((?:[^()]|(?1))*\\))$', '((a)(b))')).toBe('match');
    expect(kind('^(\\((?:[^()]|(?1))*\\))$', '((a)(b)')).toBe('nomatch');
    expect(m('^(?|(\\d+)x|y(\\d+))$', 'y42')).toEqual({ kind: 'match', captures: ['y42', '42'] });
    expect(m('^\\*7\\K\\d+$', '*712')).toEqual({ kind: 'match', captures: ['12'] });
    expect(kind('^\\Q*9.\\E\\d$', '*9.1')).toBe('match');
    expect(kind('^\\Q*9.\\E\\d$', '*991')).toBe('nomatch');
  });

  test('pcre_exec gets 30 ovector ints: a match that sets group 10 or above returns 0, which is no match', () => {
    const ten = '(1)(2)(3)(4)(5)(6)(7)(8)(9)';
    expect(kind(`^${ten}$`, '123456789')).toBe('match');
    expect(kind(`^${ten}(0)$`, '1234567890')).toBe('nomatch');
    expect(kind(`^${ten}(0)?$`, '123456789')).toBe('match'); // group 10 unset: fits
  });

  test('captures come back for $N substitution; subjects are matched as UTF-8 bytes', () => {
    expect(m('^ext(?i)(ra)$', 'extRA')).toEqual({ kind: 'match', captures: ['extRA', 'RA'] });
    expect(m('^(?i)(é)$', 'é')).toEqual({ kind: 'match', captures: ['é', 'é'] });
    expect(kind('^(?i)é$', 'É')).toBe('nomatch'); // no PCRE_UTF8, C locale: caseless is ASCII only
    expect(kind('^.$', 'é')).toBe('nomatch'); // two bytes
  });

  test('a pathological match stops at the step budget: unknown, never a guess', () => {
    const p = compilePcre('^(?>x?)(a|aa)*(a|aa)*(?i)b$');
    expect(p.kind).toBe('program');
    if (p.kind !== 'program') return;
    expect(execPcre(p, 'a'.repeat(60))).toEqual({ kind: 'budget' });
    expect(STEP_BUDGET).toBeGreaterThan(1000);
    expect(kind('^(?>x?)(a|aa)*(a|aa)*(?i)b$', 'a'.repeat(60)) ).toBe('unknown');
    expect(kind('^(?>x?)(a|aa)*(a|aa)*(?i)b$', 'aaaB')).toBe('match');
  });

  test('nested quantifiers against a long subject: answered when the budget suffices, unknown when it backtracks catastrophically', () => {
    expect(kind('^(\\d+)+$', '1'.repeat(60))).toBe('match');
    expect(m('^(\\d+)+$', '1'.repeat(60) + 'x')).toMatchObject({ kind: 'unknown', why: expect.stringMatching(/nested quantifiers/) });
  });

  test('more than 250 nested parentheses is a compile error (PARENS_NEST_LIMIT), never a crash', () => {
    expect(compileExpression(`${'('.repeat(251)}a${')'.repeat(251)}`)).toMatchObject({ kind: 'invalid', message: 'parentheses are too deeply nested' });
    expect(compileExpression(`${'('.repeat(20000)}a(?>b)${')'.repeat(20000)}`)).toMatchObject({ kind: 'invalid' });
    expect(compileExpression(`${'(?:'.repeat(250)}a${')'.repeat(250)}`).kind).toBe('ok');
  });

  test('what the matcher does not cover is reported', () => {
    expect(compileExpression('^(*ACCEPT)a').kind).toBe('unsupported');
    expect(kind('^\\p{Lu}', 'A')).toBe('unknown');
  });
});

describe('a dialplan using them', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbxlint-fspcre-'));
    fs.writeFileSync(
      path.join(dir, 'freeswitch.xml'),
      `<document type="freeswitch/xml">
  <section name="dialplan">
    <context name="c">
      <extension name="possessive"><condition field="destination_number" expression="^24\\d++5$"><action application="respond" data="488"/></condition></extension>
      <extension name="lookbehind"><condition field="destination_number" expression="^46\\d{2}(?&lt;=46\\d+)$"><action application="respond" data="486"/></condition></extension>
      <extension name="case_extra"><condition field="destination_number" expression="^ext(?i)(ra)$"><action application="respond" data="503 $1"/></condition></extension>
      <extension name="catch_all"><condition field="destination_number" expression=""><action application="respond" data="404 Catch All"/></condition></extension>
    </context>
  </section>
</document>
`,
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const route = (user: string) => freeswitchResolver.route(loadFreeswitch(dir), { user, method: 'INVITE', context: 'c' });

  test('each condition is decided (no "depends"): PCRE1 semantics, not a fork', () => {
    expect(route('2415')).toMatchObject({ verdict: 'rejected', status: 404 }); // \d++ took the 5
    expect(route('4612')).toMatchObject({ verdict: 'rejected', status: 404 }); // compile error: false
    expect(route('extRA')).toMatchObject({ verdict: 'rejected', status: 503, reason: 'respond 503 RA' });
    expect(route('EXTra')).toMatchObject({ verdict: 'rejected', status: 404, reason: 'respond 404 Catch All' });
    for (const u of ['2415', '4612', 'extRA', 'EXTra']) expect(route(u).notModelled).toEqual([]);
  });
});

describe('the backtracking matcher against RegExp where PCRE and JavaScript agree', () => {
  // A fixed pseudo-random stream (mulberry32), so every run checks the same patterns.
  let seed = 20261207;
  const rnd = (n: number): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
  const atoms = ['a', 'b', '1', '\\d', '[ab]', '[^a]', '.', '(a|b)', '(?:ab|a)', 'x?', '(a*)', '(?=a)', '(?!b)', '^', '$', '\\b', '[0-9]', 'a*?', '(a?)'];
  const quantifiers = ['', '', '', '*', '+', '?', '{2}', '{1,3}', '*?', '+?', '??'];
  const pattern = (depth: number): string => {
    let s = '';
    for (let i = 1 + rnd(4); i > 0; i--) {
      let a = depth < 1 && rnd(5) === 0 ? `(${pattern(depth + 1)}${rnd(3) === 0 ? `|${pattern(depth + 1)}` : ''})` : atoms[rnd(atoms.length)];
      const q = quantifiers[rnd(quantifiers.length)];
      // Never a repeated group: there RegExp and PCRE differ (RegExp resets the group's captures
      // each iteration and refuses an empty one; PCRE keeps both) — test/freeswitch-pcre-oracle.test.ts
      // checks those against PCRE itself.
      if (q && !/^(\^|\$|\\b|\(\?[=!])/.test(a) && !a.endsWith(')')) a += q;
      s += a;
    }
    return s;
  };
  const subjects = ['', 'a', 'b', 'ab', 'ba', 'aab', 'abab', '1', '12', 'a1b2', 'xaxb', 'bbbb', 'aaaa1'];

  test('the same leftmost match and captures', () => {
    const disagreements: string[] = [];
    let checked = 0;
    for (let k = 0; k < 800; k++) {
      const p = pattern(0);
      let js: RegExp;
      try {
        js = new RegExp(p);
      } catch {
        continue; // e.g. x?+ (possessive in PCRE): not a pattern both languages read
      }
      const compiled = compilePcre(p);
      if (compiled.kind !== 'program') {
        disagreements.push(`/${p}/ does not compile: ${JSON.stringify(compiled)}`);
        continue;
      }
      for (const s of subjects) {
        const jm = js.exec(s);
        const want = jm ? JSON.stringify(Array.from(jm)) : null;
        checked++;
        const r = execPcre(compiled, s);
        const got = r.kind === 'match' ? JSON.stringify(r.captures) : r.kind === 'nomatch' ? null : 'budget';
        if (got !== want) disagreements.push(`/${p}/ on "${s}": RegExp ${want}, pcre ${got}`);
      }
    }
    expect(disagreements).toEqual([]);
    expect(checked).toBeGreaterThan(5000);
  });
});

describe('inputs fuzzing found failing (npm run fuzz, target freeswitch-pcre)', () => {
  test('a range whose end is a backslash ending the pattern is invalid (ERR1), not a crash', () => {
    for (const p of ['[a-\\', '[^\u0000-\\', '(?i)[^\u0000-\\']) expect(compilePcre(p)).toEqual({ kind: 'invalid', message: '\\ at end of pattern', offset: p.length - 1 });
    // The shrunk counterexample, through the FreeSWITCH entry point (seed 1431750394).
    const compiled = compileExpression('\u0000(?i)[^\u0000-\\');
    expect(compiled.kind).toBe('invalid');
    expect(() => matchExpression(compiled, '')).not.toThrow();
  });
});

describe('patterns of bounded work (anchored, no variable count, few ways): any subject length is decided', () => {
  const bounded = ['^ext(?i)ra$', '^21(\\d)\\1$', '^(a|b){3}c$', '^(?:1|2|3)(?:4|5)(?<=5)\\d{4}', '^(?=12)\\d\\d(?!3)', '^(?>ab|a)b$', '^(?(?=1)12|34)$'];
  const unbounded = ['^\\d+$', 'ab', '^(a|b)*$', '^(x(?1)?y)$', '^(?:a|b|c|d){12}$'];
  test('boundedWork says which', () => {
    for (const p of bounded) expect([p, (compilePcre(p) as Extract<ReturnType<typeof compilePcre>, { kind: 'program' }>).boundedWork]).toEqual([p, true]);
    for (const p of unbounded) {
      const c = compilePcre(p);
      expect([p, c.kind === 'program' && c.boundedWork]).toEqual([p, false]);
    }
  });
  test('and never runs out of steps, on subjects of any length', () => {
    fc.assert(
      fc.property(fc.constantFrom(...bounded), fc.string({ unit: fc.constantFrom('1', '2', '3', '4', '5', 'a', 'b', 'c', 'e', 'x', 't', 'r', 'A'), maxLength: 3000 }), (p, s) => {
        const c = compilePcre(p) as Extract<ReturnType<typeof compilePcre>, { kind: 'program' }>;
        expect(execPcre(c, s).kind).not.toBe('budget');
      }),
      { numRuns: 300, seed: 2112 },
    );
  });
});
