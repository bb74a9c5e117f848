/**
 * Language algebra over extension names: what a set of names matches with E_MATCH
 * (main/pbx.c `_extension_match_core`), compared exactly.
 */
import {
  describeLanguage, exampleInDifference, extensionMatches, intersects, isSubset, languageOf, lengthBounds,
} from '../src/resolvers/asterisk/pattern';

const L = (...names: string[]) => languageOf(names);

describe('subset and intersection', () => {
  test('NANP 10-digit numbers are a subset of _X. but not the other way', () => {
    expect(isSubset(L('_NXXNXXXXXX'), L('_X.'))).toBe(true);
    expect(isSubset(L('_X.'), L('_NXXNXXXXXX'))).toBe(false);
  });

  test('11-digit and 10-digit NANP patterns do not overlap', () => {
    expect(intersects(L('_1NXXNXXXXXX'), L('_NXXNXXXXXX'))).toBe(false);
    expect(intersects(L('_1NXXNXXXXXX'), L('_X.'))).toBe(true);
  });

  test('covering: _2XX is inside _NXX; _NXX is covered by _2XX plus _[3-9]XX', () => {
    expect(isSubset(L('_2XX'), L('_NXX'))).toBe(true);
    expect(isSubset(L('_NXX'), L('_2XX', '_[3-9]XX'))).toBe(true);
    expect(isSubset(L('_NXX'), L('_2XX', '_[3-8]XX'))).toBe(false);
    expect(exampleInDifference(L('_NXX'), L('_2XX', '_[3-8]XX'))).toBe('902');
  });

  test('. needs one more char, ! zero or more', () => {
    expect(isSubset(L('_X!'), L('_X.', '_X'))).toBe(true);
    expect(isSubset(L('_X.', '_X'), L('_X!'))).toBe(true);
    expect(isSubset(L('_X!'), L('_X.'))).toBe(false);
    expect(exampleInDifference(L('_X!'), L('_X.'))).toBe('2');
  });

  test('- is ignored in names; lowercase wildcards are wildcards', () => {
    expect(isSubset(L('_NXX-XXXX'), L('_nxxxxxx'))).toBe(true);
    expect(isSubset(L('_nxxxxxx'), L('_NXX-XXXX'))).toBe(true);
    expect(isSubset(L('555-1234'), L('_NXXXXXX'))).toBe(true);
  });

  test('a literal is only itself: "nxx" is letters', () => {
    expect(intersects(L('nxx'), L('_NXX'))).toBe(false);
    expect(intersects(L('nxx'), L('_[a-z]XX'))).toBe(false);
    expect(intersects(L('nxx'), L('_[a-z]xx'))).toBe(false);
    expect(intersects(L('nxx'), L('_[n][x][x]'))).toBe(true);
  });

  test('empty set, broken set', () => {
    expect(isSubset(L('_1[]2'), L('12'))).toBe(true);
    expect(isSubset(L('12'), L('_1[]2'))).toBe(true);
    expect(lengthBounds(L('_12[]'))).toBeNull(); // the string always ends at [] : partial
    expect(lengthBounds(L('_1[2'))).toBeNull(); // "Wrong usage of [] in the extension"
    expect(isSubset(L('_12[]!'), L('_12X!', '_12[+*#]!', '_12.'))).toBe(true);
  });

  test('literals inside patterns', () => {
    expect(isSubset(L('2025551234', '2125551234'), L('_NXXNXXXXXX'))).toBe(true);
    expect(isSubset(L('+12025551234'), L('_NXXNXXXXXX'))).toBe(false);
    expect(isSubset(L('+12025551234'), L('_+1NXXNXXXXXX'))).toBe(true);
  });
});

describe('examples and lengths for messages', () => {
  test('a trunk context with 10-digit patterns only: E.164 numbers 404', () => {
    const inbound = L('_NXXNXXXXXX', '_1NXXNXXXXXX', 's');
    const e164 = L('_+1NXXNXXXXXX');
    expect(intersects(e164, inbound)).toBe(false);
    expect(exampleInDifference(e164, inbound)).toBe('+12025551234');
  });

  test('examples look like phone numbers', () => {
    expect(exampleInDifference(L('_NXXNXXXXXX'), L('_X'))).toBe('2025551234');
    expect(exampleInDifference(L('_1NXXNXXXXXX'), L())).toBe('12025551234');
    expect(exampleInDifference(L('_011X.'), L('_X'))).toBe('01155');
    expect(exampleInDifference(L('_X.'), L('_NXXNXXXXXX'))).toBe('20');
    expect(exampleInDifference(L('_*XX'), L())).toBe('*20');
  });

  test('no example when contained', () => {
    expect(exampleInDifference(L('_NXXNXXXXXX'), L('_X.'))).toBeNull();
    expect(exampleInDifference(L(), L('_X.'))).toBeNull();
  });

  test('every example is in a and not in b (checked with the matcher)', () => {
    const pairs: [string[], string[]][] = [
      [['_X.'], ['_NXXNXXXXXX', '_1NXXNXXXXXX']],
      [['_[0-9*#]!'], ['_X.']],
      [['_+X.'], ['_+1NXXNXXXXXX', '_+44X.']],
      [['_9NXXXXXX', '_91NXXNXXXXXX'], ['_9[2-8]XXXXXX']],
      [['_.'], ['_X.', '_[a-z].']],
    ];
    for (const [a, b] of pairs) {
      const example = exampleInDifference(L(...a), L(...b));
      expect(example).not.toBeNull();
      expect(a.some((n) => extensionMatches(n, example!, 'match'))).toBe(true);
      expect(b.some((n) => extensionMatches(n, example!, 'match'))).toBe(false);
    }
  });

  test('lengthBounds: "this context matches only 10- and 11-digit numbers"', () => {
    expect(lengthBounds(L('_NXXNXXXXXX', '_1NXXNXXXXXX'))).toEqual({ min: 10, max: 11 });
    expect(lengthBounds(L('_X.', '100'))).toEqual({ min: 2, max: Infinity });
    expect(lengthBounds(L('_X!'))).toEqual({ min: 1, max: Infinity });
    expect(lengthBounds(L())).toBeNull();
  });

  test('describeLanguage lists the names', () => {
    expect(describeLanguage(L('_NXXNXXXXXX', '_1NXXNXXXXXX'))).toBe('_NXXNXXXXXX, _1NXXNXXXXXX');
    expect(describeLanguage(L('1', '2', '3', '4', '5', '6', '7'), 3)).toBe('1, 2, 3 and 4 more');
  });
});

describe('the language agrees with the matcher', () => {
  let seed = 777;
  const rand = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  const pick = <T>(xs: readonly T[]) => xs[rand(xs.length)];
  const tokens = ['1', '2', '0', '+', 'N', 'X', 'Z', '[1-3]', '[02]', '[]', '-'];
  const name = () => (rand(4) === 0
    ? Array.from({ length: 1 + rand(3) }, () => pick(['1', '2', '0', '-'])).join('')
    : '_' + Array.from({ length: rand(4) }, () => pick(tokens)).join('') + pick(['', '', '.', '!', '[1']));
  const allStrings = (maxLen: number): string[] => {
    const out = [''];
    let layer = [''];
    for (let n = 0; n < maxLen; n++) {
      layer = layer.flatMap((s) => ['0', '1', '2', '3', '5', '+', '*'].map((c) => s + c));
      out.push(...layer);
    }
    return out;
  };
  const strings = allStrings(5);

  test('isSubset / intersects equal brute force over short strings (patterns are short)', () => {
    for (let round = 0; round < 150; round++) {
      const a = Array.from({ length: 1 + rand(3) }, name);
      const b = Array.from({ length: rand(3) }, name);
      const inA = (s: string) => a.some((n) => extensionMatches(n, s, 'match'));
      const inB = (s: string) => b.some((n) => extensionMatches(n, s, 'match'));
      // Names are at most 5 positions long, so a difference, if any, shows within 6 chars, and
      // the 7-symbol sample alphabet covers every class these names distinguish.
      const bruteSubset = strings.every((s) => !inA(s) || inB(s));
      const bruteMeet = strings.some((s) => inA(s) && inB(s));
      const example = exampleInDifference(L(...a), L(...b));
      if (example !== null) {
        expect([a, b, example, inA(example), inB(example)]).toEqual([a, b, example, true, false]);
      }
      if (!bruteSubset) expect([a, b, example !== null]).toEqual([a, b, true]);
      if (bruteSubset) expect([a, b, isSubset(L(...a), L(...b))]).toEqual([a, b, true]);
      expect([a, b, intersects(L(...a), L(...b))]).toEqual([a, b, bruteMeet]);
    }
  });
});
