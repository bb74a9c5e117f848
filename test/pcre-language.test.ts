/**
 * FreeSWITCH condition expressions as languages (pcre-re.ts) against the matcher route uses
 * (pcre.ts): for random expressions and random field values both say the same.
 */
import { compileExpression, matchExpression } from '../src/automata/pcre/pcre';
import { languageDfa, pcreSearchLanguage } from '../src/automata/pcre/pcre-re';
import { accepts } from '../src/automata/dfa';
import { rng } from './helpers/re-match';

const ATOMS = ['0', '1', '2', '9', '+', 'a', 'B', '.', '\\d', '\\D', '\\w', '[0-9]', '[^1]', '[[:digit:]]', '[a-c]', '\\+', '\\*', '#', '\\.', '[\\d#]', '\\Q+*\\E', '\\x31'];

function randomPattern(r: () => number, depth = 0): string {
  const n = 1 + Math.floor(r() * 4);
  let out = '';
  for (let i = 0; i < n; i++) {
    const k = r();
    let atom: string;
    if (k < 0.08) atom = '^';
    else if (k < 0.16) atom = '$';
    else if (k < 0.19) atom = ['\\A', '\\z', '\\Z'][Math.floor(r() * 3)];
    else if (k < 0.24) atom = ['(?=1)', '(?!9)', '(?<=1)', '(?<!0)', '(?=\\d*7)', '(?!2$)', '(?<=1\\d+)'][Math.floor(r() * 7)];
    else if (k < 0.3 && depth < 3) atom = `(${r() < 0.3 ? '?:' : ''}${randomPattern(r, depth + 1)}${r() < 0.4 ? `|${randomPattern(r, depth + 1)}` : ''})`;
    else atom = ATOMS[Math.floor(r() * ATOMS.length)];
    if (!/^(\^|\$|\\[AzZ]|\(\?<?[=!].*\))$/.test(atom)) {
      const q = r();
      if (q < 0.1) atom += '*';
      else if (q < 0.2) atom += '+';
      else if (q < 0.27) atom += '?';
      else if (q < 0.32) atom += `{${Math.floor(r() * 3)},${2 + Math.floor(r() * 2)}}`;
      else if (q < 0.35) atom += '{2}';
      if (q < 0.35 && r() < 0.2) atom += '?';
    }
    out += atom;
  }
  return r() < 0.15 ? `${out}|${randomPattern(r, depth + 1)}` : out;
}

const AROUND = ['(?=1)', '(?!9)', '(?<=1)', '(?<!0)', '(?=\\d*7)', '(?!2$)', '(?<=1\\d+)', '(?=[0-2]{2}$)', '(?<![0a])'];
/** `^…$` with lookarounds between plain atoms: the shape lookarounds are modelled in. */
function anchoredWithLookarounds(r: () => number): string {
  let out = '^';
  const n = 2 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    if (r() < 0.35) out += AROUND[Math.floor(r() * AROUND.length)];
    else {
      out += ATOMS[Math.floor(r() * ATOMS.length)];
      const q = r();
      if (q < 0.2) out += '*';
      else if (q < 0.3) out += '?';
      else if (q < 0.4) out += '+';
    }
  }
  return out + '$';
}

const SUBJECT_CHARS = '0129+aAbB*#.';
function randomSubject(r: () => number): string {
  const n = Math.floor(r() * 7);
  let s = '';
  for (let i = 0; i < n; i++) s += SUBJECT_CHARS[Math.floor(r() * SUBJECT_CHARS.length)];
  return s;
}

function wrap(r: () => number, p: string): string {
  const k = r();
  if (k < 0.1) return `/${p}/i`;
  if (k < 0.15) return `(?i)${p}`;
  if (k < 0.25) return `_${p.replace(/[\\^$()?{}|[\]]/g, '')}`;
  return p;
}

describe('PCRE → Re (FreeSWITCH conditions)', () => {
  it('agrees with the matcher on fixed cases', () => {
    const cases: [string, string, boolean][] = [
      ['^1', '123', true],
      ['^(\\d{4})$', '1234', true],
      ['^(\\d{4})$', '12345', false],
      ['_1NXX', '1234', true],
      ['_1NXX', '1134', false],
      ['_9.', '9', true],
      ['/^alice$/i', 'ALICE', true],
      ['^alice$', 'ALICE', false],
      ['^(?:\\+1|1)?(\\d{10})$', '+12125551234', true],
      ['[', '[', false],
    ];
    for (const [p, s, want] of cases) {
      const l = pcreSearchLanguage(p);
      expect(l.ok).toBe(true);
      if (l.ok) expect([p, s, accepts(languageDfa(l), s)]).toEqual([p, s, want]);
    }
  });

  it('reports what is not regular or not translated, with the reason', () => {
    // Back-references are matched by route's PCRE 8.x matcher (an unset group fails, unlike in JS):
    // one to an infinite group, or to a group that may be unset, is not regular / not expanded.
    expect(pcreSearchLanguage('^(\\d+)\\1$')).toEqual({ ok: false, reason: expect.stringContaining('back-reference') });
    expect(pcreSearchLanguage('^(1|2)?\\1$')).toEqual({ ok: false, reason: expect.stringMatching(/back-reference|route's PCRE matcher/) });
    // lookaheads anywhere but under a quantifier are mapped (pcre-re.ts continuationLanguage)
    expect(pcreSearchLanguage('^(?:1(?=1))+$')).toEqual({ ok: false, reason: expect.stringContaining('assertion under a quantifier') });
    expect(pcreSearchLanguage('^(?>\\d*1)$')).toEqual({ ok: false, reason: expect.stringContaining("route's PCRE matcher") });
    expect(pcreSearchLanguage('\\b1')).toEqual({ ok: false, reason: expect.stringContaining('word boundary') });
  });

  it('back-references to finite groups set on every match, fixed-length lookbehinds and a top-level (?i), run by route\'s PCRE matcher, have its language', () => {
    const r = rng(77);
    for (const p of ['^(\\d)\\1$', '^21(\\d)\\1$', '(a|b)\\1', '/^(a)(b)\\2\\1$/i', '^(\\d{2})-?\\1', '(?:x(\\d))\\1+', '^50(\\d)(?<!0)$', '^46\\d{2}(?<![05])$', '^\\d(?<=[13])2$', '^ext(?i)ra$', '^a(b)(?i)c\\1$', '^1(?i)[a-c]x(?:y|z)$', 'a(?i)b|c', '^(a(?i)b)$']) {
      const c = compileExpression(p);
      expect(c.kind).toBe('pcre');
      const l = pcreSearchLanguage(p);
      if (!l.ok) throw new Error(`${p}: ${l.reason}`);
      // A bound from the matcher's step budget (longer values are said not modelled), or none for
      // a pattern of bounded work (anchored, no variable count): every length is decided.
      expect([p, l.upTo === undefined ? c.kind === 'pcre' && c.program.boundedWork : l.upTo >= 12]).toEqual([p, true]);
      if (l.upTo === undefined) {
        for (const s of ['1'.repeat(600), `extra${'a'.repeat(600)}`, `21${'1'.repeat(700)}`]) expect([p, s.length, matchExpression(c, s).kind]).not.toEqual([p, s.length, 'unknown']);
      }
      const dfa = languageDfa(l);
      const subjects = ['11', '12', '2111', '21112', 'abba', 'ABBA', '12-12', '1212', 'x1111', '501', '500', '4612', '4615', '12', '555', '55', '66', 'extra', 'extRA', 'EXTra', 'abcb', 'abCB', 'abCb', '1AXY', '1axz', '1Axw'];
      for (let j = 0; j < 300; j++) subjects.push(randomSubject(r));
      for (const s of subjects) {
        const m = matchExpression(c, s);
        expect([p, s, m.kind]).not.toEqual([p, s, 'unknown']);
        expect([p, s, accepts(dfa, s)]).toEqual([p, s, m.kind === 'match']);
      }
    }
    // Not expanded: an infinite group, a group that may be unset, too many variants.
    for (const p of ['^(\\d+)\\1$', '^(1)?\\1', '^(\\d{3})(\\d)\\1\\2$']) expect([p, pcreSearchLanguage(p).ok]).toEqual([p, false]);
  });

  it('agrees with pcre.ts on random expressions and subjects', () => {
    const r = rng(1014);
    let compared = 0;
    let lookaroundsModelled = 0;
    let lookaroundsNotModelled = 0;
    for (let k = 0; k < 1500; k++) {
      const p = r() < 0.3 ? anchoredWithLookarounds(r) : wrap(r, randomPattern(r));
      const c = compileExpression(p);
      const l = pcreSearchLanguage(p);
      if (c.kind === 'unsupported' || (c.kind === 'pcre' && !l.ok)) {
        expect(l.ok).toBe(false);
        continue;
      }
      if (!l.ok && /assertion/.test(l.reason)) {
        lookaroundsNotModelled++;
        continue;
      }
      if (!l.ok) throw new Error(`${p}: ${l.reason}`);
      const dfa = languageDfa(l);
      if ('dfa' in l) lookaroundsModelled++;
      for (let j = 0; j < 20; j++) {
        const s = randomSubject(r);
        const m = matchExpression(c, s);
        if (m.kind === 'unknown') continue;
        if (l.upTo !== undefined && s.length > l.upTo) continue;
        const want = m.kind === 'match';
        if (want !== accepts(dfa, s)) throw new Error(`${p} on "${s}": matcher ${want}, language ${!want}`);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(20_000);
    expect(lookaroundsModelled).toBeGreaterThan(50);
    expect(lookaroundsNotModelled).toBeGreaterThan(0);
  });
});
