/**
 * A FreeSWITCH condition's expression as a language: the field values it matches. The expression
 * is first compiled exactly as route compiles it (pcre.ts compileExpression: switch_regex_perform's
 * `_` → switch_ast2regex, `/re/i` flags, PCRE constructs rewritten for JavaScript or reported), then
 * the resulting JavaScript regular expression is read with @eslint-community/regexpp and turned
 * into the automata layer's form; so the matcher route uses and this language read the same text.
 *
 * pcre2_match without PCRE2_ANCHORED searches for a match anywhere: whether one exists does not
 * depend on greedy or lazy quantifiers, so the regular part of PCRE is exactly a regular language.
 * What is not: back-references, lookarounds (other than the `(?=\n?$)` pcre.ts writes for `$`),
 * word boundaries — reported as not modelled, with the construct; except where mapped below
 * (top-level lookarounds of `^…$`, lookaheads outside quantifiers, back-references to finite groups). An expression PCRE rejects never
 * matches (switch_regex_perform returns 0 when pcre2_compile fails): the empty language.
 */
import { RegExpParser, type AST } from '@eslint-community/regexpp';
import { ALPHABET_FIRST, ALPHABET_LAST, CharSet, NONE, alt, type Re } from '../regex';
import { EMPTY, UNIVERSE, accepts, compile, concatAll, difference, intersect, members, singleString, unionAll, type Dfa } from '../dfa';
import { fullLanguage, searchLanguage, type AnchoredRe } from '../search';
import { compileExpression } from './pcre';
import { BACKTRACK_INPUT_LIMIT, STEP_BUDGET } from './pcre-backtrack';

/**
 * A language as an expression, or (lookarounds) already as an automaton. `upTo`: the expression is
 * run by route's PCRE backtracking matcher (pcre-backtrack.ts), which answers "unknown" past its
 * step budget; the language is exact for values of at most `upTo` characters (pcreExactLength).
 */
export type LanguageResult = { ok: true; re: Re; upTo?: number } | { ok: true; dfa: Dfa; upTo?: number } | { ok: false; reason: string };

/** The automaton of a language result. */
export function languageDfa(r: { ok: true; re: Re } | { ok: true; dfa: Dfa }): Dfa {
  return 'dfa' in r ? r.dfa : compile(r.re);
}

class NotModelled extends Error {}

const DIGITS = CharSet.range(0x30, 0x39);
const WORD = CharSet.of('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_');
/** JavaScript \s over the dialable alphabet (which has no space, tab or newline). */
const SPACE = CharSet.EMPTY;

/** JavaScript's /i without the u flag: Canonicalize maps ASCII letters to upper case, nothing else into ASCII. */
function foldCase(set: CharSet): CharSet {
  let extra = '';
  for (let c = ALPHABET_FIRST; c <= ALPHABET_LAST; c++) {
    if (!set.has(c)) continue;
    const ch = String.fromCharCode(c);
    const lo = ch.toLowerCase();
    const up = ch.toUpperCase();
    if (lo !== ch) extra += lo;
    if (up !== ch) extra += up;
  }
  return extra ? set.union(CharSet.of(extra)) : set;
}

function escapeSet(e: AST.EscapeCharacterSet): CharSet {
  const base = e.kind === 'digit' ? DIGITS : e.kind === 'word' ? WORD : SPACE;
  return e.negate ? base.complement() : base;
}

function classElementSet(el: AST.CharacterClassElement): CharSet {
  switch (el.type) {
    case 'Character':
      return CharSet.range(el.value, el.value);
    case 'CharacterClassRange':
      return CharSet.range(el.min.value, el.max.value);
    case 'CharacterSet':
      if (el.kind === 'property') throw new NotModelled('Unicode property escape');
      return escapeSet(el);
    default:
      throw new NotModelled(`character class element ${el.raw}`);
  }
}

/** `(?=\n?$)`: what pcre.ts writes for PCRE's `$` (end, or before a final newline, which no dialable string has). */
function isDollar(a: AST.LookaheadAssertion): boolean {
  if (a.negate || a.alternatives.length !== 1) return false;
  const els = a.alternatives[0].elements;
  return (
    els.length === 2 &&
    els[0].type === 'Quantifier' &&
    els[0].min === 0 &&
    els[0].max === 1 &&
    els[0].element.type === 'Character' &&
    els[0].element.value === 10 &&
    els[1].type === 'Assertion' &&
    els[1].kind === 'end'
  );
}

class Translator {
  /** `subst`: capture groups (and their back-references) fixed to one string each (backReferenceLanguage). */
  /** `lookaheadsAsEmpty`: a lookahead (other than `$`) reads as ε — a superset of the language (elementsLanguage). */
  constructor(
    private readonly icase: boolean,
    private readonly subst?: Map<AST.CapturingGroup, string>,
    private readonly lookaheadsAsEmpty = false,
  ) {}

  private literalOf(w: string): AnchoredRe {
    return { t: 'cat', items: [...w].map((ch) => this.set(CharSet.of(ch))) };
  }

  private set(s: CharSet): AnchoredRe {
    return { t: 'set', set: this.icase ? foldCase(s) : s };
  }

  alternatives(alts: readonly AST.Alternative[]): AnchoredRe {
    const out = alts.map((a) => ({ t: 'cat', items: a.elements.map((e) => this.element(e)) }) as AnchoredRe);
    return out.length === 1 ? out[0] : { t: 'alt', alts: out };
  }

  element(e: AST.Element): AnchoredRe {
    switch (e.type) {
      case 'Character':
        return this.set(CharSet.range(e.value, e.value));
      case 'CharacterSet':
        if (e.kind === 'any') return { t: 'set', set: CharSet.ANY };
        if (e.kind === 'property') throw new NotModelled('Unicode property escape');
        return this.set(escapeSet(e));
      case 'CharacterClass': {
        if (e.unicodeSets) throw new NotModelled('set notation in a character class');
        let s = CharSet.EMPTY;
        for (const el of e.elements) s = s.union(classElementSet(el));
        // fold before negating: /[^a]/i excludes A too
        if (this.icase) s = foldCase(s);
        return { t: 'set', set: e.negate ? s.complement() : s };
      }
      case 'Group':
        if (e.modifiers) {
          // `(?i:…)` / `(?-i:…)` (pcre.ts caselessTail); other modifiers are not read
          const { add, remove } = e.modifiers;
          if (add.multiline || add.dotAll || remove?.multiline || remove?.dotAll) throw new NotModelled(`modifier group ${e.raw}`);
          return new Translator(add.ignoreCase ? true : remove?.ignoreCase ? false : this.icase, this.subst, this.lookaheadsAsEmpty).alternatives(e.alternatives);
        }
        return this.alternatives(e.alternatives);
      case 'CapturingGroup': {
        const w = this.subst?.get(e);
        return w !== undefined ? this.literalOf(w) : this.alternatives(e.alternatives);
      }
      case 'Quantifier':
        return { t: 'rep', node: this.element(e.element), min: e.min, max: e.max };
      case 'Assertion':
        if (e.kind === 'start') return { t: 'bol' };
        if (e.kind === 'end') return { t: 'eol' };
        if (e.kind === 'lookahead' && isDollar(e)) return { t: 'eol' };
        if (e.kind === 'lookahead' && this.lookaheadsAsEmpty) return { t: 'empty' };
        if (e.kind === 'word') throw new NotModelled('word boundary \\b / \\B');
        throw new NotModelled(`${e.kind} assertion ${e.raw}`);
      case 'Backreference': {
        const w = !e.ambiguous ? this.subst?.get(e.resolved) : undefined;
        // the group's string again, matched as JavaScript does (case-insensitively under /i)
        if (w !== undefined) return this.literalOf(w);
        throw new NotModelled(`back-reference ${e.raw} (not a regular language)`);
      }
      default:
        throw new NotModelled(`construct ${e.raw}`);
    }
  }
}

const parser = new RegExpParser({ ecmaVersion: 2024 });
/** For pcre.ts's JavaScript spelling of a PCRE-only pattern: `(?i:…)` modifier groups (ES2025). */
const jsParser = new RegExpParser({ ecmaVersion: 2025 });

/** The parsed JavaScript form of a dialplan expression, as route matches it; or why there is no language. */
export function parsedExpression(expression: string): { ok: true; pattern: AST.Pattern; icase: boolean; upTo?: number } | { ok: false; never: true } | { ok: false; never: false; reason: string } {
  const c = compileExpression(expression);
  if (c.kind === 'invalid') return { ok: false, never: true };
  if (c.kind === 'unsupported') return { ok: false, never: false, reason: `PCRE ${c.construct} in /${c.source}/ is not modelled` };
  if (c.kind === 'pcre') {
    // Matched by the PCRE backtracking matcher (pcre-backtrack.ts). Its JavaScript spelling, where
    // there is one, has PCRE's language: a lookbehind PCRE1 compiled has a fixed length (so it
    // tests the same characters), and the back-references backReferenceLanguage expands are to
    // groups set before them on every match (where PCRE and JavaScript agree); any other shape
    // stays not modelled below.
    if (c.js && !c.js.risky) {
      const pattern = jsParser.parsePattern(c.js.source, 0, c.js.source.length, { unicode: false, unicodeSets: false });
      // Route's matcher decides every value of a pattern of bounded work (pcre-backtrack.ts
      // boundedWork): no length bound, so no automaton layered up to one.
      return { ok: true, pattern, icase: c.js.flags.includes('i'), upTo: c.program.boundedWork ? undefined : pcreExactLength(pattern, c.js.source.length) };
    }
    return { ok: false, never: false, reason: `/${c.source}/ uses PCRE constructs JavaScript lacks (matched by route's PCRE matcher): its language is not mapped` };
  }
  const src = c.regex.source;
  const pattern = parser.parsePattern(src, 0, src.length, { unicode: c.regex.unicode, unicodeSets: false });
  return { ok: true, pattern, icase: c.regex.flags.includes('i') };
}

const cache = new Map<string, LanguageResult>();

/** The field values the dialplan expression matches (after variable expansion), as route decides a condition. */
export function pcreSearchLanguage(expression: string): LanguageResult {
  const hit = cache.get(expression);
  if (hit) return hit;
  let r: LanguageResult;
  try {
    const p = parsedExpression(expression);
    const around = p.ok ? lookaroundLanguage(p.pattern, p.icase) : null;
    if (!p.ok) r = p.never ? { ok: true, re: NONE } : { ok: false, reason: p.reason };
    else if (around) r = { ok: true, dfa: around, upTo: p.upTo };
    else if (hasLookahead(p.pattern) && !hasBackReference(p.pattern)) r = { ok: true, dfa: continuationLanguage(p.pattern, p.icase), upTo: p.upTo };
    else if (hasBackReference(p.pattern)) {
      const b = backReferenceLanguage(p.pattern, p.icase);
      r = b ? { ok: true, re: b, upTo: p.upTo } : { ok: false, reason: `/${expression}/: a back-reference (not a regular language) is not modelled` };
    } else {
      const re = searchLanguage(new Translator(p.icase).alternatives(p.pattern.alternatives));
      r = re ? { ok: true, re, upTo: p.upTo } : { ok: false, reason: `the expression /${expression}/ is too large to compile to an automaton` };
    }
  } catch (e) {
    if (!(e instanceof NotModelled) && !(e instanceof SyntaxError)) throw e;
    r = { ok: false, reason: `/${expression}/: ${e.message} is not modelled` };
  }
  if (cache.size < 10_000) cache.set(expression, r);
  return r;
}

/**
 * The longest value route's PCRE matcher provably decides within its step budget (execPcre counts
 * one step per node visit): for each of the n+1 start positions, the backtracking tree has at most
 * (n+1) leaves per quantifier of variable count and one per alternative of each alternation, each
 * path at most (pattern length)·(n+2) visits. Values up to BACKTRACK_INPUT_LIMIT at most.
 *
 * A one-character quantifier followed by a negative lookahead of that character, `X{m,}(?!X)` (how
 * pcre.ts spells a possessive quantifier, which PCRE runs without backtracking), lets at most one
 * of its counts go on (every shorter one stops before an X): the others end two or three visits
 * later, at the lookahead. So it adds no leaves that go on, only ≤ n+1 short ones per visit of it:
 * counted apart (`once`), each such quantifier adds at most the tree's own visits again.
 */
function pcreExactLength(pattern: AST.Pattern, size: number): number {
  let variable = 0;
  let once = 0;
  let branches = 1;
  const stopsBeforeItself = (q: AST.Quantifier, next: AST.Element | undefined): boolean =>
    next?.type === 'Assertion' && next.kind === 'lookahead' && next.negate && next.alternatives.length === 1 && next.alternatives[0].elements.length === 1 && next.alternatives[0].elements[0].raw === q.element.raw && (q.element.type === 'Character' || q.element.type === 'CharacterClass' || q.element.type === 'CharacterSet');
  const walk = (n: AST.Node, next?: AST.Element): void => {
    // pcre.ts's spelling of PCRE's `$` (an assertion that does not branch in PCRE)
    if (n.type === 'Assertion' && n.kind === 'lookahead' && isDollar(n)) return;
    if (n.type === 'Quantifier') {
      if (n.max !== n.min) {
        if (stopsBeforeItself(n, next)) once++;
        else variable++;
      }
      walk(n.element);
      return;
    }
    if ('alternatives' in n) {
      if (n.alternatives.length > 1) branches *= n.alternatives.length;
      for (const a of n.alternatives) a.elements.forEach((x, i) => walk(x, a.elements[i + 1]));
    }
  };
  walk(pattern);
  const steps = (len: number) => (len + 1) ** (variable + 1) * branches * (size + 1) * (len + 2) * (1 + once);
  let n = 0;
  while (n < BACKTRACK_INPUT_LIMIT && steps(n + 1) <= STEP_BUDGET) n++;
  return n;
}

/**
 * The language of a run of pattern elements without anchors (a part of `^A(G)B$`), or null.
 * `lookaheadsAsEmpty`: lookaheads (which test what follows the run too) read as ε, a superset of
 * the strings the run matches within a match, of the same lengths — for the parts of a capture
 * whose split lengths decide (observe.ts captureSyms), where the match is tested apart.
 */
export function elementsLanguage(elements: readonly AST.Element[], icase: boolean, lookaheadsAsEmpty = false): Re | null {
  try {
    return fullLanguage({ t: 'cat', items: elements.map((e) => new Translator(icase, undefined, lookaheadsAsEmpty).element(e)) });
  } catch (e) {
    if (e instanceof NotModelled) return null;
    throw e;
  }
}

function isLookaround(e: AST.Element): e is AST.LookaroundAssertion {
  return e.type === 'Assertion' && (e.kind === 'lookahead' || e.kind === 'lookbehind') && !(e.kind === 'lookahead' && isDollar(e));
}

const ANY_RE: Re = { t: 'star', node: { t: 'chars', set: CharSet.ANY } };

/**
 * `^A0 (?<=X1) A1 … (?=Y1) B1 …$`: lookarounds at the top level of an expression anchored at both
 * ends, every lookbehind before every lookahead. The string splits as prefix·suffix at each
 * assertion, so a lookbehind keeps the prefixes in Σ*·X (or out of it), a lookahead the suffixes in
 * Y·Σ* (Y alone when Y ends with `$`); folded from the outside in, the language is exact. Anything
 * else with a lookaround: null (the caller reports it as not modelled).
 */
function lookaroundLanguage(pattern: AST.Pattern, icase: boolean): Dfa | null {
  if (pattern.alternatives.length !== 1) return null;
  const els = pattern.alternatives[0].elements;
  if (!els.some(isLookaround)) return null;
  const first = els[0];
  const last = els[els.length - 1];
  const isEnd = (e: AST.Element) => e.type === 'Assertion' && (e.kind === 'end' || (e.kind === 'lookahead' && isDollar(e)));
  if (!(first.type === 'Assertion' && first.kind === 'start') || !isEnd(last)) return null;
  const body = els.slice(1, -1);
  const idx = body.map((e, i) => (isLookaround(e) ? i : -1)).filter((i) => i >= 0);
  const kinds = idx.map((i) => (body[i] as AST.LookaroundAssertion).kind);
  if (kinds.lastIndexOf('lookbehind') > kinds.indexOf('lookahead') && kinds.includes('lookahead')) return null;
  const seg = (from: number, to: number) => elementsLanguage(body.slice(from, to), icase);
  const constraint = (a: AST.LookaroundAssertion): { lang: Re; negate: boolean; behind: boolean } | null => {
    if (a.alternatives.length !== 1) return null;
    const inner = a.alternatives[0].elements;
    const endsWithDollar = inner.length > 0 && isEnd(inner[inner.length - 1]);
    const x = elementsLanguage(endsWithDollar ? inner.slice(0, -1) : inner, icase);
    if (!x) return null;
    if (a.kind === 'lookbehind') return endsWithDollar ? null : { lang: { t: 'cat', items: [ANY_RE, x] }, negate: a.negate, behind: true };
    return { lang: endsWithDollar ? x : { t: 'cat', items: [x, ANY_RE] }, negate: a.negate, behind: false };
  };
  const applied = (base: Dfa, c: { lang: Re; negate: boolean }) => (c.negate ? difference(base, compile(c.lang)) : intersect(base, compile(c.lang)));
  // lookbehinds, left to right, on the growing prefix
  const behind = idx.filter((i) => (body[i] as AST.LookaroundAssertion).kind === 'lookbehind');
  const ahead = idx.filter((i) => (body[i] as AST.LookaroundAssertion).kind === 'lookahead');
  let prefix: Dfa = compile({ t: 'eps' });
  let at = 0;
  for (const i of behind) {
    const s = seg(at, i);
    const c = constraint(body[i] as AST.LookaroundAssertion);
    if (!s || !c) return null;
    prefix = applied(concatAll([prefix, s]), c);
    at = i + 1;
  }
  // lookaheads, right to left, on the growing suffix
  let suffix: Dfa = compile({ t: 'eps' });
  let end = body.length;
  for (const i of [...ahead].reverse()) {
    const s = seg(i + 1, end);
    const c = constraint(body[i] as AST.LookaroundAssertion);
    if (!s || !c) return null;
    suffix = applied(concatAll([s, suffix]), c);
    end = i;
  }
  const middle = seg(at, end);
  if (!middle) return null;
  return concatAll([prefix, middle, suffix]);
}

/** Whether a lookahead other than pcre.ts's `$` stands anywhere in the pattern. */
function hasLookahead(pattern: AST.Pattern): boolean {
  let found = false;
  const walk = (n: AST.Node): void => {
    if (found) return;
    if (n.type === 'Assertion' && n.kind === 'lookahead' && !isDollar(n)) found = true;
    if ('alternatives' in n) for (const a of n.alternatives) for (const x of a.elements) walk(x);
    if (n.type === 'Quantifier') walk(n.element);
  };
  walk(pattern);
  return found;
}

/** Whether an element holds an assertion (anchor, lookaround, word boundary) anywhere inside. */
function hasAssertion(n: AST.Node): boolean {
  if (n.type === 'Assertion') return true;
  if (n.type === 'Quantifier') return hasAssertion(n.element);
  if ('alternatives' in n) return n.alternatives.some((a) => a.elements.some(hasAssertion));
  return false;
}

/**
 * Lookaheads anywhere outside quantifiers — what pcre.ts writes for possessive quantifiers and
 * atomic groups (`\d++` is `\d{1,}(?!\d)`), and any other placement. A lookahead tests the rest of
 * the subject from where it stands, so the language is built from the right with the rest as a
 * language: C(e₁…eₙ, K) is the set of rests w = u·v of the subject such that e₁…eₙ matches u
 * (every lookahead inside holding on the rest from its own position) and v ∈ K. Then
 * C(plain run ρ, K) = L(ρ)·K; C((?=Y), K) = C(Y, Σ*) ∩ K and C((?!Y), K) = K ∖ C(Y, Σ*) (the
 * lookahead holds iff some match of Y starts there: existence does not depend on the order PCRE
 * tries things in); C(`$`, K) = {ε} ∩ K; a group is the union of its alternatives, each followed by
 * K; a sequence is C(e₁, C(e₂…eₙ, K)). The search language is the union over the top-level
 * alternatives of C(alt, Σ*), after Σ* unless it starts with `^`. A lookahead under a quantifier,
 * a `^` anywhere but first, a lookbehind or a word boundary among them: not modelled.
 */
function continuationLanguage(pattern: AST.Pattern, icase: boolean): Dfa {
  return unionAll(
    pattern.alternatives.map((a) => {
      const els = a.elements;
      if (els.length && els[0].type === 'Assertion' && els[0].kind === 'start') return new Continuation(icase).sequence(els.slice(1), UNIVERSE);
      return concatAll([ANY_RE, new Continuation(icase).sequence(els, UNIVERSE)]);
    }),
  );
}

class Continuation {
  constructor(private readonly icase: boolean) {}

  sequence(els: readonly AST.Element[], rest: Dfa): Dfa {
    let k = rest;
    let end = els.length;
    for (let i = els.length - 1; i >= -1; i--) {
      if (i >= 0 && !hasAssertion(els[i])) continue;
      // the plain run after els[i], then els[i] itself
      if (i + 1 < end) {
        const run = fullLanguage({ t: 'cat', items: els.slice(i + 1, end).map((e) => new Translator(this.icase).element(e)) });
        if (!run) throw new NotModelled('an expression too large for an automaton');
        k = concatAll([run, k]);
      }
      if (i >= 0) k = this.element(els[i], k);
      end = i;
    }
    return k;
  }

  alternatives(alts: readonly AST.Alternative[], rest: Dfa): Dfa {
    return unionAll(alts.map((a) => this.sequence(a.elements, rest)));
  }

  private element(e: AST.Element, rest: Dfa): Dfa {
    switch (e.type) {
      case 'Assertion':
        if (e.kind === 'end' || (e.kind === 'lookahead' && isDollar(e))) return accepts(rest, '') ? (EPS_DFA ??= singleString('')) : EMPTY;
        if (e.kind === 'lookahead') {
          const y = this.alternatives(e.alternatives, UNIVERSE);
          return e.negate ? difference(rest, y) : intersect(rest, y);
        }
        if (e.kind === 'word') throw new NotModelled('word boundary \\b / \\B');
        if (e.kind === 'start') throw new NotModelled('start assertion ^ inside an expression with a lookahead');
        throw new NotModelled(`${e.kind} assertion ${e.raw} with a lookahead elsewhere`);
      case 'Group':
        if (e.modifiers) {
          const { add, remove } = e.modifiers;
          if (add.multiline || add.dotAll || remove?.multiline || remove?.dotAll) throw new NotModelled(`modifier group ${e.raw}`);
          return new Continuation(add.ignoreCase ? true : remove?.ignoreCase ? false : this.icase).alternatives(e.alternatives, rest);
        }
        return this.alternatives(e.alternatives, rest);
      case 'CapturingGroup':
        return this.alternatives(e.alternatives, rest);
      case 'Quantifier':
        if (e.min === 1 && e.max === 1) return this.element(e.element, rest);
        throw new NotModelled(`an assertion under a quantifier in ${e.raw}`);
      default:
        throw new NotModelled(`construct ${e.raw}`);
    }
  }
}

let EPS_DFA: Dfa | undefined;

function hasBackReference(pattern: AST.Pattern): boolean {
  let found = false;
  const walk = (n: AST.Node): void => {
    if (found) return;
    if (n.type === 'Backreference') found = true;
    if ('alternatives' in n) for (const a of n.alternatives) for (const x of a.elements) walk(x);
    if (n.type === 'Quantifier') walk(n.element);
  };
  walk(pattern);
  return found;
}

/** Variants tried at most (the product of the referenced groups' sizes). */
const MAX_BACKREF_VARIANTS = 256;

/**
 * An expression with back-references to groups that always take part in a match (no quantifier,
 * alternation or lookaround above them) and match finitely many strings: the union, over the
 * strings w each such group can match, of the expression with the group and its references fixed
 * to w — `^(\d)\1$` is 00|11|…|99. Otherwise null (not regular, or too many variants).
 */
function backReferenceLanguage(pattern: AST.Pattern, icase: boolean): Re | null {
  const groups: AST.CapturingGroup[] = [];
  let ok = true;
  const walk = (n: AST.Node): void => {
    if (n.type === 'Backreference') {
      const g = n.ambiguous ? null : n.resolved;
      if (!g || g.end > n.start) ok = false;
      else if (!groups.includes(g)) groups.push(g);
    }
    if ('alternatives' in n) for (const a of n.alternatives) for (const x of a.elements) walk(x);
    if (n.type === 'Quantifier') walk(n.element);
  };
  walk(pattern);
  if (!ok) return null;
  const members_: string[][] = [];
  let variants = 1;
  for (const g of groups) {
    for (let a: AST.Node | null = g.parent; a && a.type !== 'Pattern'; a = a.parent) {
      if (a.type === 'Quantifier' || a.type === 'Assertion') return null;
      if ((a.type === 'Group' || a.type === 'CapturingGroup') && a.alternatives.length !== 1) return null;
    }
    if (pattern.alternatives.length !== 1) return null;
    const lang = elementsLanguage([g], icase);
    const m = lang ? members(compile(lang), MAX_BACKREF_VARIANTS) : undefined;
    if (!m) return null;
    variants *= m.length;
    if (variants > MAX_BACKREF_VARIANTS) return null;
    members_.push(m);
  }
  const alts: Re[] = [];
  const choose = (k: number, subst: Map<AST.CapturingGroup, string>): boolean => {
    if (k === groups.length) {
      const re = searchLanguage(new Translator(icase, subst).alternatives(pattern.alternatives));
      if (!re) return false;
      alts.push(re);
      return true;
    }
    for (const w of members_[k]) {
      subst.set(groups[k], w);
      if (!choose(k + 1, subst)) return false;
    }
    subst.delete(groups[k]);
    return true;
  };
  try {
    if (!choose(0, new Map())) return null;
  } catch (e) {
    if (e instanceof NotModelled) return null;
    throw e;
  }
  return alt(alts);
}
