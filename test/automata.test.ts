/**
 * The automata layer against brute force: random regular expressions over a few characters,
 * every string up to length 5 over those characters (and one character none of them uses),
 * each operation compared with what a naive matcher of the expression says.
 */
import {
  accepts, afterPrefix, complement, compile, dashClosure, dashedString, countMembers, difference, equals, fromStrings, intersect, intersectAll, isEmpty, members, singleString,
  prefixClosure, shortestExample, compareDialable, substringPreimage, toRegex, union, unionAll, AutomatonBudget, withStateBudget,
} from '../src/automata/dfa';
import { alt, cat, chars, CharSet, EPS, literal, NONE, star, repeat, type Re } from '../src/automata/regex';
import { rng } from './helpers/re-match';

const LETTERS = ['0', '1', '+', 'a'];
/** Strings over the letters and `~` (in no set the generator makes, unless ANY). */
const PROBE = [...LETTERS, '~'];

function allStrings(maxLen: number, alphabet = PROBE): string[] {
  const out = [''];
  let level = [''];
  for (let n = 1; n <= maxLen; n++) {
    const next: string[] = [];
    for (const s of level) for (const c of alphabet) next.push(s + c);
    out.push(...next);
    level = next;
  }
  return out;
}
const STRINGS = allStrings(4);

/** The strings where `got` and `want` disagree (first few), for one readable failure. */
function disagreements(strings: string[], got: (s: string) => unknown, want: (s: string) => unknown): string[] {
  const out: string[] = [];
  for (const s of strings) if (got(s) !== want(s) && out.push(s) >= 5) break;
  return out;
}

function randomRe(r: () => number, depth: number): Re {
  const x = r();
  if (depth <= 0 || x < 0.3) {
    const y = r();
    if (y < 0.05) return NONE;
    if (y < 0.1) return EPS;
    if (y < 0.15) return chars(CharSet.ANY);
    if (y < 0.6) return literal(LETTERS[Math.floor(r() * LETTERS.length)]);
    const picked = LETTERS.filter(() => r() < 0.5).join('');
    return chars(CharSet.of(picked || '0'));
  }
  if (x < 0.55) return cat([randomRe(r, depth - 1), randomRe(r, depth - 1)]);
  if (x < 0.8) return alt([randomRe(r, depth - 1), randomRe(r, depth - 1)]);
  if (x < 0.9) return star(randomRe(r, depth - 1));
  return repeat(randomRe(r, depth - 1), Math.floor(r() * 2), 1 + Math.floor(r() * 2));
}

/** Naive matcher: the set of end positions reachable from each start. */
function ends(re: Re, s: string, from: number): Set<number> {
  switch (re.t) {
    case 'none': return new Set();
    case 'eps': return new Set([from]);
    case 'chars': return from < s.length && re.set.has(s.charCodeAt(from)) ? new Set([from + 1]) : new Set();
    case 'cat': {
      let cur = new Set([from]);
      for (const item of re.items) {
        const next = new Set<number>();
        for (const p of cur) for (const e of ends(item, s, p)) next.add(e);
        cur = next;
      }
      return cur;
    }
    case 'alt': {
      const out = new Set<number>();
      for (const a of re.alts) for (const e of ends(a, s, from)) out.add(e);
      return out;
    }
    case 'star': {
      const out = new Set([from]);
      const stack = [from];
      while (stack.length) {
        const p = stack.pop()!;
        for (const e of ends(re.node, s, p)) if (!out.has(e)) { out.add(e); stack.push(e); }
      }
      return out;
    }
  }
}
const matches = (re: Re, s: string) => ends(re, s, 0).has(s.length);

const CASES = 150;

describe('automata against brute force', () => {
  const r = rng(14);
  const res: Re[] = Array.from({ length: CASES }, () => randomRe(r, 4));

  test('compile accepts exactly what the expression matches', () => {
    for (const re of res) {
      const d = compile(re);
      expect(disagreements(STRINGS, (s) => accepts(d, s), (s) => matches(re, s))).toEqual([]);
    }
  });

  test('union, intersection, difference, complement', () => {
    for (let i = 0; i + 1 < res.length; i += 2) {
      const [a, b] = [res[i], res[i + 1]];
      const [da, db] = [compile(a), compile(b)];
      const u = union(da, db);
      const n = intersect(da, db);
      const d = difference(da, db);
      const c = complement(da);
      const key = (s: string) => `${matches(a, s)}${matches(b, s)}`;
      const want = (s: string) => { const [x, y] = [matches(a, s), matches(b, s)]; return `${x || y}${x && y}${x && !y}${!x}`; };
      expect(disagreements(STRINGS, (s) => `${accepts(u, s)}${accepts(n, s)}${accepts(d, s)}${accepts(c, s)}`, want).map(key)).toEqual([]);
      expect(equals(union(da, db), union(db, da))).toBe(true);
      expect(equals(compile(alt([a, b])), u)).toBe(true);
      expect(equals(complement(complement(da)), da)).toBe(true);
    }
  });

  test('intersectAll: the automaton the pairwise fold gives, state for state', () => {
    for (let i = 0; i + 4 < res.length; i += 5) {
      const parts = res.slice(i, i + 2 + (i % 4)).map(compile);
      const all = intersectAll(parts);
      const fold = parts.reduce((x, y) => intersect(x, y));
      expect(equals(all, fold)).toBe(true);
      // Canonical minimal automata: the same tables, not only the same language.
      expect([all.nStates, all.nClasses, [...all.trans], [...all.accept], [...all.classOf]]).toEqual([fold.nStates, fold.nClasses, [...fold.trans], [...fold.accept], [...fold.classOf]]);
      const want = (x: string) => parts.every((d) => accepts(d, x));
      expect(disagreements(STRINGS, (x) => accepts(all, x), want)).toEqual([]);
    }
    // Fast paths: one string, the empty language, the universe, the same automaton twice.
    const d = compile(star(chars(CharSet.of('01'))));
    const e = compile(star(chars(CharSet.of('012'))));
    expect(intersectAll([d, singleString('0101'), e, compile(star(chars(CharSet.ANY)))]).single).toBe('0101');
    expect(isEmpty(intersectAll([d, singleString('0121'), e]))).toBe(true);
    expect(isEmpty(intersectAll([d, compile(NONE), d]))).toBe(true);
    expect(intersectAll([d, d])).toBe(d);
  });

  test('isEmpty, shortestExample (shortest, then smallest in dialable order)', () => {
    for (const re of res) {
      const d = compile(re);
      const found = STRINGS.filter((s) => matches(re, s)).sort(compareDialable);
      const ex = shortestExample(d);
      if (isEmpty(d)) {
        expect(ex).toBeNull();
        expect(found).toEqual([]);
        continue;
      }
      expect(ex).not.toBeNull();
      expect(accepts(d, ex!)).toBe(true);
      // Among the probed strings, none comes before the example (the example may use a
      // character outside the probe alphabet only when no probe string of its length matches).
      if (found.length) expect(compareDialable(ex!, found[0])).toBeLessThanOrEqual(0);
    }
  });

  test('toRegex matches exactly the same strings', () => {
    for (const re of res) {
      const d = compile(re);
      const src = toRegex(d);
      const rx = new RegExp(src);
      expect([src, disagreements(STRINGS, (s) => rx.test(s), (s) => accepts(d, s))]).toEqual([src, []]);
    }
  });

  test('toRegex on cyclic automata (state elimination) and compact chains', () => {
    const digits = chars(CharSet.range(0x30, 0x39));
    expect(toRegex(compile(repeat(digits, 10, 10)))).toBe('^(?:\\d{10})$');
    expect(toRegex(compile(cat([literal('+1'), chars(CharSet.range(0x32, 0x39)), repeat(digits, 2, 2)])))).toBe('^(?:\\+1[2-9]\\d\\d)$');
    const cyclic = compile(star(cat([literal('0'), star(literal('1')), literal('0')])));
    const rx = new RegExp(toRegex(cyclic));
    for (const s of allStrings(7, ['0', '1'])) expect(rx.test(s)).toBe(accepts(cyclic, s));
    expect(toRegex(compile(NONE))).toBe('^(?!)$');
    expect(new RegExp(toRegex(compile(EPS))).test('')).toBe(true);
  });

  test('toRegex of a length-bounded language too long to spell out: a length lookahead over a cover automaton', () => {
    // "no 00" within at most / at least 30 characters: every lookahead-free regex spells out 30
    // layers (over 4,000,000 characters); B ∩ Σ^{≤30} and B ∩ Σ^{≥30} with B = "no 00" are short.
    const any = chars(CharSet.ANY);
    const no00 = complement(compile(cat([star(any), literal('00'), star(any)])));
    const atMost = intersect(no00, compile(cat(Array.from({ length: 30 }, () => alt([EPS, any])))));
    const atLeast = intersect(no00, compile(cat([...Array.from({ length: 30 }, () => any), star(any)])));
    expect(toRegex(atMost)).toMatch(/^\^\(\?=\[!-~\]\{0,30\}\$\)/);
    expect(toRegex(atLeast)).toMatch(/^\^\(\?=\[!-~\]\{30\}\)/);
    const random = rng(7);
    const probe: string[] = [];
    for (let i = 0; i < 4000; i++) {
      const n = 24 + Math.floor(random() * 12);
      probe.push(Array.from({ length: n }, () => (random() < 0.3 ? '0' : '1')).join(''));
    }
    // Layered one way up to 30 characters and another way past them: each part its own cover.
    const no11 = complement(compile(cat([star(any), literal('11'), star(any)])));
    const split = union(atMost, intersect(no11, compile(cat([...Array.from({ length: 31 }, () => any), star(any)]))));
    expect(toRegex(split)).toMatch(/^\^\(\?:\(\?=\[!-~\]\{0,30\}\$\).*\|\(\?=\[!-~\]\{31\}\)/);
    for (const d of [atMost, atLeast, split]) {
      const rx = new RegExp(toRegex(d));
      expect(disagreements(probe, (s) => rx.test(s), (s) => accepts(d, s))).toEqual([]);
      expect(probe.some((s) => accepts(d, s))).toBe(true);
    }
  });

  test('prefixClosure: prefixes of members; proper: strictly extended', () => {
    for (const re of res.slice(0, 60)) {
      const d = compile(re);
      const p = prefixClosure(d);
      const pp = prefixClosure(d, true);
      const members3 = STRINGS.filter((s) => matches(re, s));
      for (const s of allStrings(2)) {
        // Exact with the probe: extensions of length ≤ 3 over the probe; the automaton may know
        // longer ones, so only "member extends s ⇒ accepted" is checked, plus the converse via
        // emptiness of the residual language.
        const extended = members3.some((m) => m.startsWith(s));
        const properly = members3.some((m) => m.startsWith(s) && m.length > s.length);
        if (extended) expect(accepts(p, s)).toBe(true);
        if (properly) expect(accepts(pp, s)).toBe(true);
        const rest = afterPrefix(d, s);
        expect(accepts(p, s)).toBe(!isEmpty(rest));
        expect(accepts(pp, s)).toBe(!isEmpty(difference(rest, compile(EPS))));
      }
    }
  });

  test('substringPreimage follows ${X:offset} and ${X:offset:length}', () => {
    const sub = (x: string, off: number, len?: number): string => {
      let o = off;
      if (o < 0) o = Math.max(0, x.length + o);
      if (o > x.length) return '';
      return len === undefined ? x.slice(o) : x.slice(o, o + len);
    };
    for (const re of res.slice(0, 40)) {
      const d = compile(re);
      for (const [off, len] of [[0, undefined], [1, undefined], [2, undefined], [1, 2], [0, 1], [2, 0], [-1, undefined], [-3, undefined]] as [number, number | undefined][]) {
        const pre = substringPreimage(d, off, len)!;
        expect([off, len, disagreements(allStrings(4), (s) => accepts(pre, s), (s) => accepts(d, sub(s, off, len)))]).toEqual([off, len, []]);
      }
    }
    expect(substringPreimage(compile(EPS), 1, -1)).toBeUndefined();
  });

  test('fromStrings, members, countMembers', () => {
    const words = ['100', '101', '1000', '+1', '*97', 'a', ''];
    const d = fromStrings(words);
    expect(disagreements(STRINGS, (s) => accepts(d, s), (s) => words.includes(s))).toEqual([]);
    expect(members(d, 10)).toEqual([...words].sort(compareDialable));
    expect(countMembers(d)).toBe(7);
    expect(countMembers(compile(star(literal('1'))))).toBe('infinite');
    expect(members(compile(repeat(chars(CharSet.range(0x30, 0x39)), 3, 3)), 999)).toBeUndefined();
    expect(equals(fromStrings(['12', '13']), compile(alt([literal('12'), literal('13')])))).toBe(true);
    const many = Array.from({ length: 20000 }, (_, i) => String(100000 + i * 7));
    const big = fromStrings(many);
    expect(accepts(big, '100007')).toBe(true);
    expect(accepts(big, '100008')).toBe(false);
    expect(countMembers(big)).toBe(20000);
    expect(equals(unionAll(many.slice(0, 50).map((w) => fromStrings([w]))), fromStrings(many.slice(0, 50)))).toBe(true);
  });

  test('fromStrings (incremental minimal construction) gives the automaton compile gives for the alternation', () => {
    // Random sets: duplicates, the empty string, prefixes of each other, characters outside the alphabet.
    const r = rng(1405);
    const chars = ['0', '1', '2', '9', '+', '*', '#', 'a', 'Z', '-', '\u00e9'];
    for (let round = 0; round < 300; round++) {
      const n = Math.floor(r() * 12);
      const words: string[] = [];
      for (let i = 0; i < n; i++) {
        if (words.length && r() < 0.2) { const w = words[Math.floor(r() * words.length)]; words.push(r() < 0.5 ? w : w.slice(0, Math.floor(r() * (w.length + 1)))); continue; }
        let w = '';
        const len = Math.floor(r() * 6);
        for (let j = 0; j < len; j++) w += chars[Math.floor(r() * (r() < 0.9 ? 8 : chars.length))];
        words.push(w);
      }
      const inAlphabet = words.filter((w) => !w.includes('\u00e9'));
      const want = compile(inAlphabet.length ? alt(inAlphabet.map((w) => literal(w))) : NONE);
      const got = fromStrings(words);
      expect([words, equals(got, want)]).toEqual([words, true]);
    }
    // Runs of numbers: a handful of states however many.
    const dids = Array.from({ length: 50000 }, (_, i) => String(2025500000 + i));
    const d = fromStrings(dids.reverse());
    expect(d.nStates).toBeLessThan(30);
    expect(countMembers(d)).toBe(50000);
  });

  test('a single string\'s automaton, built on first use, is the chain compile gives', () => {
    for (const w of ['', '0', '1+1', '*97#', 'abcabc', '5551234']) {
      expect(equals(fromStrings([w]), compile(literal(w)))).toBe(true);
      expect(equals(dashedString(w), dashClosure(compile(literal(w))))).toBe(true);
    }
    expect(isEmpty(fromStrings(['1\u00e9']))).toBe(true);
    expect(isEmpty(dashedString('1\u00e9'))).toBe(true);
  });

  test('a construction past its state budget throws AutomatonBudget', () => {
    // (0|1)*1(0|1){12}: the minimal DFA has 2^13 states.
    const bit = chars(CharSet.of('01'));
    const re = cat([star(bit), literal('1'), repeat(bit, 12, 12)]);
    expect(() => withStateBudget(1000, () => compile(re))).toThrow(AutomatonBudget);
  });
});

describe('dash closure (Asterisk skips - in dialled strings)', () => {
  const strip = (s: string) => s.replace(/-/g, '');
  const probe = allStrings(4, ['1', '0', '-', 'a']);
  test('dashedString, dashClosure and the fast paths agree with brute force', () => {
    const d = dashedString('10');
    expect(disagreements(probe, (s) => accepts(d, s), (s) => strip(s) === '10')).toEqual([]);
    expect(disagreements(probe, (s) => new RegExp(toRegex(d)).test(s), (s) => accepts(d, s))).toEqual([]);
    const pat = dashClosure(compile(cat([literal('1'), star(chars(CharSet.of('0a')))])));
    expect(disagreements(probe, (s) => accepts(pat, s), (s) => /^1[0a]*$/.test(strip(s)))).toEqual([]);
    const other = compile(cat([literal('1'), star(chars(CharSet.ANY))]));
    // The fast path is taken only against a dash-invariant language; both must agree with the product.
    for (const b of [pat, other, complement(pat), complement(other)]) {
      const n = intersect(d, b);
      const m = difference(d, b);
      expect(disagreements(probe, (s) => accepts(n, s), (s) => accepts(d, s) && accepts(b, s))).toEqual([]);
      expect(disagreements(probe, (s) => accepts(m, s), (s) => accepts(d, s) && !accepts(b, s))).toEqual([]);
    }
  });
});
