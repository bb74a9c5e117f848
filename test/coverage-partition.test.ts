/**
 * The generic partition (src/coverage/partition.ts) on a toy engine: a first-match list of
 * patterns, whose resolver reports its one lookup exactly. The classes must be disjoint, cover
 * every string, and give each string the answer the toy resolver gives it.
 */
import { accepts, compile, difference, fromStrings, intersect, isEmpty, unionAll, UNIVERSE, type Dfa } from '../src/automata/dfa';
import { cat, chars, CharSet, literal, repeat, star, type Re } from '../src/automata/regex';
import { coverEntry, languageOfClass } from '../src/coverage/partition';
import type { CoverageEngine } from '../src/coverage/types';
import type { RouteAnswer, RouteRequest } from '../src/resolvers/types';

const D = chars(CharSet.range(0x30, 0x39));
const N = chars(CharSet.range(0x32, 0x39));

interface Toy { rules: { name: string; re: Re; dfa: Dfa; literal?: string }[]; before: (Dfa | undefined)[] }

function toy(rules: [string, Re, string?][]): Toy {
  return { rules: rules.map(([name, re, lit]) => ({ name, re, dfa: lit !== undefined ? fromStrings([lit]) : compile(re), literal: lit })), before: [] };
}

/** The union of the rules before rule i (cached: the toy is asked the same unions again). */
function before(model: Toy, i: number): Dfa {
  return (model.before[i] ??= unionAll(model.rules.slice(0, i).map((r) => r.dfa)));
}

function answer(verdict: 'routed' | 'rejected', name: string | null): RouteAnswer {
  return { platform: 'asterisk', verdict, status: verdict === 'rejected' ? 404 : null, reason: '', target: name ? { kind: 'endpoint', name } : null, steps: [], outcomes: [{ verdict, status: verdict === 'rejected' ? 404 : null, reason: '', target: name ? { kind: 'endpoint', name } : null, steps: [], conditions: [] }], notModelled: [], request: '' };
}

const toyEngine: CoverageEngine<Toy> = {
  entries: () => [],
  route(model, request: RouteRequest) {
    for (let i = 0; i < model.rules.length; i++) {
      const r = model.rules[i];
      if (accepts(r.dfa, request.user)) {
        // A literal first matched here is its own cell (no earlier rule has it: it matched none).
        request.observe?.test(r.literal !== undefined ? r.dfa : () => difference(r.dfa, before(model, i)), `matches ${r.name}`);
        return answer('routed', r.name);
      }
    }
    request.observe?.test(() => difference(compile(star(chars(CharSet.ANY))), before(model, model.rules.length)), 'no rule');
    return answer('rejected', null);
  },
  via: () => null,
};

describe('coverage partition (toy engine)', () => {
  const model = toy([
    ['e911', literal('911')],
    ['local', cat([N, repeat(D, 2, 2)])],
    ['nanp', cat([literal('1'), N, repeat(D, 9, 9)])],
    ['star', cat([literal('*'), star(D)])],
    ['also-local', repeat(D, 3, 3)],
  ]);
  const labeller = { describe: () => ({ description: '' }) };

  test('classes are disjoint, cover Σ*, and agree with the resolver', () => {
    const cov = coverEntry(toyEngine, model, { entry: { kind: 'toy', name: 't', file: 'f', line: 1 }, request: { user: '', method: 'INVITE' }, universe: UNIVERSE }, {}, labeller);
    const langs = cov.classes.map((c) => languageOfClass(c)!);
    for (let i = 0; i < langs.length; i++) for (let j = i + 1; j < langs.length; j++) expect(isEmpty(intersect(langs[i], langs[j]))).toBe(true);
    expect(isEmpty(difference(compile(star(chars(CharSet.ANY))), unionAll(langs)))).toBe(true);
    expect(cov.classes.map((c) => [c.target?.name ?? c.status, c.example]).sort()).toEqual([[404, ''], ['also-local', '000'], ['e911', '911'], ['local', '200'], ['nanp', '12000000000'], ['star', '*']].sort());
    for (const s of ['911', '912', '100', '1', '12345678901', '*', '*12', '#', '2', '000']) {
      const c = cov.classes.find((k) => accepts(languageOfClass(k)!, s))!;
      const a = toyEngine.route(model, { user: s, method: 'INVITE' });
      expect([s, c.verdict, c.target?.name]).toEqual([s, a.verdict, a.target?.name]);
      expect(new RegExp(c.regex).test(s)).toBe(true);
    }
  });

  test('seeds: literal cells are taken out together, the result is the same', () => {
    const lits = Array.from({ length: 2000 }, (_, i) => String(5000 + i));
    const m = toy(lits.map((l) => [`x${l}`, literal(l), l] as [string, Re, string?]).concat([['rest4', repeat(D, 4, 4)]]));
    const entry = { entry: { kind: 'toy', name: 't', file: 'f', line: 1 }, request: { user: '', method: 'INVITE' as const }, seeds: () => lits };
    const cov = coverEntry(toyEngine, m, entry, {}, labeller);
    expect(cov.classes).toHaveLength(2002);
    const rest4 = cov.classes.find((c) => c.target?.name === 'rest4')!;
    expect(accepts(languageOfClass(rest4)!, '4999')).toBe(true);
    expect(accepts(languageOfClass(rest4)!, '5000')).toBe(false);
    expect(isEmpty(intersect(languageOfClass(rest4)!, fromStrings(lits)))).toBe(true);
  });
});
