/**
 * Kamailio's `=~` as a language (ere-re.ts) against the matcher route uses (ere-nfa.ts): for random
 * patterns and random subjects both say the same.
 */
import { ereSearchLanguage } from '../src/automata/ere/ere-re';
import { ereMatcher } from '../src/automata/ere/ere-nfa';
import { reMatches, rng } from './helpers/re-match';

const ATOMS = ['0', '1', '2', '9', '+', 'a', 'B', '.', '[0-9]', '[^1]', '[[:digit:]]', '[a-c]', '\\+', '\\*', '\\.', '#', '*'];

function randomPattern(r: () => number, depth = 0): string {
  const n = 1 + Math.floor(r() * 4);
  let out = '';
  for (let i = 0; i < n; i++) {
    const k = r();
    let atom: string;
    if (k < 0.1) atom = '^';
    else if (k < 0.2) atom = '$';
    else if (k < 0.3 && depth < 3) atom = `(${randomPattern(r, depth + 1)}${r() < 0.4 ? `|${randomPattern(r, depth + 1)}` : ''})`;
    else atom = ATOMS[Math.floor(r() * ATOMS.length)];
    if (atom !== '^' && atom !== '$') {
      const q = r();
      if (q < 0.1) atom += '*';
      else if (q < 0.2) atom += '+';
      else if (q < 0.27) atom += '?';
      else if (q < 0.32) atom += `{${Math.floor(r() * 3)},${2 + Math.floor(r() * 2)}}`;
      else if (q < 0.35) atom += '{2,}';
    }
    out += atom;
  }
  return r() < 0.15 ? `${out}|${randomPattern(r, depth + 1)}` : out;
}

const SUBJECT_CHARS = '0129+aAbB*#.';
function randomSubject(r: () => number): string {
  const n = Math.floor(r() * 7);
  let s = '';
  for (let i = 0; i < n; i++) s += SUBJECT_CHARS[Math.floor(r() * SUBJECT_CHARS.length)];
  return s;
}

describe('ERE → Re (Kamailio =~)', () => {
  it('agrees with the matcher on fixed cases', () => {
    const cases: [string, string, boolean][] = [
      ['^1', '123', true],
      ['^1', '21', false],
      ['1$', '21', true],
      ['^$', '', true],
      ['^$', '1', false],
      ['a^b', 'ab', false],
      ['(^|x)1', '21', false],
      ['(^|x)1', 'x1', true],
      ['(1|$)$', '', true],
      ['ALICE', 'alice', true],
      ['^[+]?1[0-9]{3}$', '+1234', true],
      ['^[+]?1[0-9]{3}$', '+12345', false],
    ];
    for (const [p, s, want] of cases) {
      const l = ereSearchLanguage(p);
      expect(l.ok).toBe(true);
      if (l.ok) expect([p, s, reMatches(l.re, s)]).toEqual([p, s, want]);
    }
  });

  it('reports what it does not translate, with the reason', () => {
    const b = ereSearchLanguage('\\bfoo');
    expect(b).toEqual({ ok: false, reason: expect.stringContaining('word-boundary') });
    const br = ereSearchLanguage('(a)\\1');
    expect(br).toEqual({ ok: false, reason: expect.stringContaining('back-reference') });
  });

  it('agrees with ere-nfa on random patterns and subjects', () => {
    const r = rng(14);
    let compared = 0;
    for (let k = 0; k < 1500; k++) {
      const p = randomPattern(r);
      const icase = r() < 0.7;
      const m = ereMatcher(p, icase);
      const l = ereSearchLanguage(p, icase);
      if (typeof m === 'string') {
        expect(l.ok).toBe(false);
        continue;
      }
      expect(l.ok).toBe(true);
      if (!l.ok) continue;
      for (let j = 0; j < 20; j++) {
        const s = randomSubject(r);
        if (m(s) !== reMatches(l.re, s)) throw new Error(`/${p}/${icase ? 'i' : ''} on "${s}": matcher ${m(s)}, language ${!m(s)}`);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(20_000);
  });
});
