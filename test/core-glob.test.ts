/** src/core/glob.ts: the glob(3) subset the engines' includes use. */
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { expandBraces, glob, MAX_BRACE_EXPANSIONS, segmentMatcher } from '../src/core/glob';
import { writeTree } from './helpers/tmp-config';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

test('a run of stars is one star (found by npm run fuzz: 48 stars backtracked without end on a name that does not match)', () => {
  const dir = writeTree({ 'external/a.xml': '<include/>\n', 'external/b.txt': 'x\n' });
  dirs.push(dir);
  expect(glob(path.join(dir, 'external', `${'*'.repeat(48)}.xml`))).toEqual([path.join(dir, 'external/a.xml')]);
  expect(glob(path.join(dir, 'external', `${'*'.repeat(48)} -->`))).toEqual([]);
});

test('stars and literals that cannot match end in time (a RegExp of them backtracked exponentially: 183 s for 12 stars)', () => {
  const dir = writeTree({ [`${'a'.repeat(60)}`]: 'x\n' });
  dirs.push(dir);
  expect(glob(path.join(dir, `${'*a'.repeat(12)}*b`))).toEqual([]);
  expect(segmentMatcher(`${'*a'.repeat(40)}*b`)('a'.repeat(5000))).toBe(false);
  expect(segmentMatcher(`${'*a'.repeat(40)}*`)('a'.repeat(5000))).toBe(true);
});

test('the segment matcher agrees with the pattern read as a regular expression (fnmatch without flags)', () => {
  // The reference: `*` → [^/]*, `?` → [^/], a class as written, the rest literal (small inputs only).
  const reference = (pattern: string): RegExp => {
    let re = '';
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i];
      if (c === '*') re += '[^/]*';
      else if (c === '?') re += '[^/]';
      else if (c === '[' && pattern.indexOf(']', i + 2) > 0) {
        const close = pattern.indexOf(']', i + 2);
        const body = pattern.slice(i + 1, close);
        const negate = body[0] === '!';
        const items = negate ? body.slice(1) : body;
        re += items ? `[${negate ? '^' : ''}${items.replace(/[\\\]^]/g, '\\$&')}]` : negate ? '[^/]' : '(?!)';
        i = close;
      } else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
    return new RegExp(`^${re}$`);
  };
  fc.assert(
    fc.property(fc.stringMatching(/^[ab*?.]{0,8}(\[!?[abc]{1,2}\])?[ab*]{0,3}$/), fc.stringMatching(/^[abc.]{0,10}$/), (pattern, name) => {
      expect([pattern, name, segmentMatcher(pattern)(name)]).toEqual([pattern, name, reference(pattern).test(name)]);
    }),
    { numRuns: 3000, seed: 7 },
  );
});

test('brace alternatives are bounded ({a,b} written 40 times is 2^40 patterns)', () => {
  expect(expandBraces('x{a,b}'.repeat(40))).toHaveLength(MAX_BRACE_EXPANSIONS);
  expect(expandBraces('{a,b}{c,d}')).toEqual(['ac', 'ad', 'bc', 'bd']);
});
