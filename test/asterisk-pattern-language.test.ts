/**
 * Language algebra over extension names: what a set of names matches with E_MATCH
 * (main/pbx.c `_extension_match_core`), compared exactly.
 */
import {
  compareExtensionNames, describeLanguage, exampleInDifference, extensionMatches, firstMatchExamples,
  intersects, isSubset, languageOf, lengthBounds,
} from '../src/automata/asterisk/pattern';

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

describe('firstMatchExamples: entries the classic walk can never stop at', () => {
  const walkOrder = (names: string[]) => [...names].sort(compareExtensionNames);

  test('shadowed: _NXXXXXX after _N[2-9]XXXXX and _N[01]XXXXX; _X! after _X. and _X', () => {
    const names = walkOrder(['_N[2-9]XXXXX', '_N[01]XXXXX', '_NXXXXXX', '_X.', '_X', '_X!']);
    expect(names).toEqual(['_N[01]XXXXX', '_N[2-9]XXXXX', '_NXXXXXX', '_X.', '_X!', '_X']);
    // _X! sorts before _X (! 0x28000 < end 0x30000), so it is _X that is shadowed
    expect(firstMatchExamples(names.map((name) => ({ name, covers: true })))).toEqual(['2025551', '2225551', null, '20', '2', null]);
  });

  test('a realistic outbound context', () => {
    const names = walkOrder(['_NXXNXXXXXX', '_1NXXNXXXXXX', '_X.', '_[2-9]XXXXXXXXX', '_1[2-9]XXXXXXXXX', '_011X.', '_X!', '911', '_9NXXXXXX']);
    const examples = firstMatchExamples(names.map((name) => ({ name, covers: true })));
    const byName = Object.fromEntries(names.map((n, i) => [n, examples[i]]));
    expect(byName).toEqual({
      '911': '911',
      '_011X.': '01155',
      '_1NXXNXXXXXX': '12025551234',
      '_1[2-9]XXXXXXXXX': '12020551234', // after _1NXXNXXXXXX (N < X at the 5th position), 1NXX0… reaches it
      '_9NXXXXXX': '92255512',
      '_NXXNXXXXXX': '2025551234',
      '_[2-9]XXXXXXXXX': '2020551234',
      '_X.': '20',
      '_X!': '2', // _X. needs two characters: a single digit reaches _X!
    });
  });

  test('entries that do not cover (CID match or missing priority) hide nothing', () => {
    const names = walkOrder(['_NXX', '_2XX', '_X.']);
    expect(names).toEqual(['_2XX', '_NXX', '_X.']);
    expect(firstMatchExamples([{ name: '_2XX', covers: false }, { name: '_NXX', covers: true }, { name: '_X.', covers: true }]))
      .toEqual(['202', '202', '20']);
    expect(firstMatchExamples([{ name: '_2XX', covers: true }, { name: '_NXX', covers: true }, { name: '_X.', covers: true }]))
      .toEqual(['202', '502', '20']);
  });

  test('literals cover patterns', () => {
    const names = walkOrder(['_10X', ...Array.from({ length: 10 }, (_, d) => `10${d}`)]);
    expect(firstMatchExamples(names.map((name) => ({ name, covers: true }))).at(-1)).toBeNull();
    expect(firstMatchExamples(names.filter((n) => n !== '105').map((name) => ({ name, covers: true }))).at(-1)).toBe('105');
  });

  test('agrees with pairwise isSubset on random contexts', () => {
    let seed = 4242;
    const rand = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    const pick = <T>(xs: readonly T[]) => xs[rand(xs.length)];
    const tokens = ['1', '2', '0', '+', 'N', 'X', 'Z', '[1-3]', '[02]', '[]'];
    const name = () => (rand(4) === 0
      ? Array.from({ length: 1 + rand(3) }, () => pick(['1', '2', '0'])).join('')
      : '_' + Array.from({ length: rand(4) }, () => pick(tokens)).join('') + pick(['', '', '.', '!', '[1']));
    for (let round = 0; round < 200; round++) {
      const names = walkOrder(Array.from({ length: 1 + rand(8) }, name));
      const entries = names.map((n) => ({ name: n, covers: rand(4) !== 0 }));
      const got = firstMatchExamples(entries);
      entries.forEach((entry, i) => {
        const earlier = entries.slice(0, i).filter((e) => e.covers).map((e) => e.name);
        const shadowed = isSubset(languageOf([entry.name]), languageOf(earlier));
        expect([names, i, got[i] === null]).toEqual([names, i, shadowed]);
        if (got[i] !== null) {
          expect(extensionMatches(entry.name, got[i]!, 'match')).toBe(true);
          expect(earlier.some((n) => extensionMatches(n, got[i]!, 'match'))).toBe(false);
        }
      });
    }
  });

  test('speed: 5,000 patterns and 45,000 literals (figure printed, not asserted)', () => {
    const names: string[] = [];
    for (let i = 0; i < 45000; i++) names.push(String(2020000000 + i * 7));
    for (let i = 0; i < 4990; i++) names.push(`_${2030000 + i}XXX`);
    names.push('_NXXNXXXXXX', '_1NXXNXXXXXX', '_+1NXXNXXXXXX', '_X.', '_011X.', '_*XX', '_#X!', '_[2-9]11', '_9NXXXXXX', '_X!');
    const sorted = names.sort(compareExtensionNames);
    const start = process.hrtime.bigint();
    const examples = firstMatchExamples(sorted.map((name) => ({ name, covers: true })));
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    console.log(`firstMatchExamples: ${sorted.length} entries in ${ms.toFixed(0)} ms, ${examples.filter((e) => e === null).length} shadowed`);
    expect(examples.length).toBe(sorted.length);
  });
});
