/**
 * Coverage's view of a FreeSWITCH simulation: which values on a path derive from the dialled
 * number (destination_number, sip_req_user, sip_to_user, variables set from them, captures of a
 * condition on them, the destination after `transfer $1`), and, for every decision on one, the
 * exact set of dialled strings for which it comes out the same way (RouteRequest.observe).
 * Nothing here runs without an observer.
 *
 * Derivations are coverage/derive.ts operations: concatenation with constants (`9$1`,
 * `${destination_number}@${domain}`) and the capture of a group of `^A(G)B$` where A and B match
 * strings of one length only (drop |A|, then drop |B| from the end). Other captures, API calls
 * on a derived value, two derived parts in one value: opaque — the class is "not modelled".
 */
import type { AST } from '@eslint-community/regexpp';
import { accepts, compile, complement, intersect, isSubsetOf, singleString, type Dfa } from '../../automata/dfa';
import { CharSet, cat, chars, literal, star, type Re } from '../../automata/regex';
import { IDENTITY, andThen, isOpaque, pullBack, testLanguage, type Deriv, type Op, type SplicePart } from '../../coverage/derive';
import { matchingClose } from '../../core/brackets';
import type { FreeswitchModel } from '../../model/freeswitch';
import type { PathObserver } from '../types';
import { expandVariables, isUnknown, substringSpec, type Lookup } from './expand';
import { RISKY_INPUT_LIMIT, compileExpression, substituteCaptures } from '../../automata/pcre/pcre';
import { elementsLanguage, languageDfa, parsedExpression, pcreSearchLanguage } from '../../automata/pcre/pcre-re';

/**
 * Variables sofia sets from the Request-URI user (index.ts): the dialled number itself.
 * `${destination_number}` is the caller profile's field (TemplateEnv.destSym), not one of them.
 */
export const DIALLED_VARIABLES = ['sip_req_user', 'sip_to_user'];

export function initialVarSyms(): Map<string, Deriv> {
  return new Map(DIALLED_VARIABLES.map((v) => [v, IDENTITY]));
}

export interface FsObserve {
  observe: PathObserver;
  model: FreeswitchModel;
}

type Part = { kind: 'text'; text: string } | { kind: 'cap'; index: number; text: string } | { kind: 'var'; name: string; text: string } | { kind: 'expr'; inner: string; text: string };

/** A value template cut into literal text, capture references ($1, ${1}) and ${…} expansions. */
function parts(text: string, withCaptures: boolean): Part[] {
  const out: Part[] = [];
  let lit = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '$') {
      const cap = withCaptures ? /^\$(?:\{(\d+)\}|(\d+))/.exec(text.slice(i)) : null;
      if (cap) {
        if (lit) out.push({ kind: 'text', text: lit });
        lit = '';
        out.push({ kind: 'cap', index: Number(cap[1] ?? cap[2]), text: cap[0] });
        i += cap[0].length;
        continue;
      }
      if (text[i + 1] === '{' && !(i > 0 && text[i - 1] === '$')) {
        const close = matchingClose(text, i + 1);
        if (close > 0) {
          if (lit) out.push({ kind: 'text', text: lit });
          lit = '';
          const inner = text.slice(i + 2, close);
          const whole = text.slice(i, close + 1);
          out.push(/^[A-Za-z0-9_.:-]+$/.test(inner) ? { kind: 'var', name: inner, text: whole } : { kind: 'expr', inner, text: whole });
          i = close + 1;
          continue;
        }
      }
    }
    lit += text[i];
    i++;
  }
  if (lit) out.push({ kind: 'text', text: lit });
  return out;
}

export interface TemplateEnv {
  vars: Map<string, Deriv> | undefined;
  lookup: Lookup;
  model: FreeswitchModel;
  captures?: string[] | null;
  capSyms?: (Deriv | null)[] | null;
  /** How the caller profile's destination_number derives (null: a constant), read by `${destination_number}` when no channel variable has that name (`hasVar`). */
  destSym?: Deriv | null;
  hasVar?: (name: string) => boolean;
}

/** How `${name}` / `${name:offset:length}` derives from the dialled number (null: it does not). */
function varSym(name: string, env: TemplateEnv): Deriv | null {
  const spec = substringSpec(name);
  const base = spec ? spec.base : name;
  // hunt.ts lookupIn: the channel variable, else the caller profile's field
  const d = env.vars?.get(base) ?? (env.destSym && base.toLowerCase() === 'destination_number' && !env.hasVar?.(base) ? env.destSym : undefined);
  if (!d) return null;
  if (!spec) return d;
  if (spec.offset === 0 && spec.length <= 0) return d;
  return andThen(d, { k: 'fsSubstr', offset: spec.offset, length: spec.length });
}

/** Whether a text mentions a derived variable or capture anywhere (inside API calls too). */
function mentionsDerived(text: string, env: TemplateEnv): boolean {
  for (const p of parts(text, !!env.capSyms)) {
    if (p.kind === 'cap' && env.capSyms?.[p.index]) return true;
    if (p.kind === 'var' && varSym(p.name, env) !== null) return true;
    if (p.kind === 'expr' && mentionsDerived(p.inner, env)) return true;
  }
  return false;
}

/**
 * How the expansion of `text` (captures substituted, then variables expanded, as parse_exten and
 * switch_channel_expand_variables do) derives from the dialled number; null: it does not.
 */
export function templateSym(text: string, env: TemplateEnv): Deriv | null {
  if (!env.vars?.size && !env.capSyms?.some((c) => c) && !env.destSym) return null;
  const ps = parts(text, !!env.capSyms);
  let at = -1;
  let sym: Deriv | null = null;
  const derived: { k: number; s: Deriv }[] = [];
  for (let k = 0; k < ps.length; k++) {
    const p = ps[k];
    let s: Deriv | null = null;
    if (p.kind === 'cap') s = env.capSyms?.[p.index] ?? null;
    else if (p.kind === 'var') s = varSym(p.name, env);
    else if (p.kind === 'expr' && mentionsDerived(p.inner, env)) s = { opaque: `${p.text} computed from the dialled number` };
    if (s === null) continue;
    derived.push({ k, s });
    at = k;
    sym = s;
  }
  const concrete = (list: Part[]) => {
    const t = list.map((p) => p.text).join('');
    return expandVariables(env.captures ? substituteCaptures(t, env.captures) : t, env.lookup, env.model);
  };
  if (derived.length > 1) return combined(text, ps, derived, concrete);
  if (sym === null || isOpaque(sym)) return sym;
  const pre = concrete(ps.slice(0, at));
  const suf = concrete(ps.slice(at + 1));
  if (isUnknown(pre) || isUnknown(suf)) return null; // the whole value is unknown: route forks without looking at the number
  return andThen(andThen(sym, { k: 'prefix', s: pre }), { k: 'suffix', s: suf });
}

/**
 * A value with two or more derived parts (`$2$1`, `21$1$1`): exact where each is a capture at a
 * fixed offset and of a fixed length from the start of one value (the groups of one `^…$` match),
 * as a splice of that value; otherwise opaque.
 */
function combined(text: string, ps: Part[], derived: { k: number; s: Deriv }[], concrete: (list: Part[]) => string | ReturnType<typeof expandVariables>): Deriv {
  const opaqueAll: Deriv = { opaque: `"${text}" combines two values derived from the dialled number` };
  const first = derived[0].s;
  if (isOpaque(first) || first.ops.length === 0) return opaqueAll;
  const base = first.ops.slice(0, -1);
  const slices: SplicePart[] = [];
  for (const { s } of derived) {
    if (isOpaque(s) || s.ops.length !== base.length + 1 || base.some((op, i) => s.ops[i] !== op)) return opaqueAll;
    const cap = s.ops[s.ops.length - 1];
    if (cap.k !== 'capture' || cap.at === undefined || cap.n === undefined) return opaqueAll;
    slices.push({ at: cap.at, n: cap.n });
  }
  const splice: SplicePart[] = [];
  for (let j = 0; j < derived.length; j++) {
    if (j > 0) {
      const mid = concrete(ps.slice(derived[j - 1].k + 1, derived[j].k));
      if (isUnknown(mid)) return opaqueAll;
      if (mid) splice.push({ s: mid });
    }
    splice.push(slices[j]);
  }
  const pre = concrete(ps.slice(0, derived[0].k));
  const suf = concrete(ps.slice(derived[derived.length - 1].k + 1));
  if (isUnknown(pre) || isUnknown(suf)) return opaqueAll;
  // the captures' path condition (the match) is kept by the capture ops' languages on the path
  let d: Deriv = { ops: [...base, { k: 'splice', parts: splice }] };
  d = andThen(andThen(d, { k: 'prefix', s: pre }), { k: 'suffix', s: suf });
  return d;
}

const ANY: Re = chars(CharSet.ANY);

/** Values of at most n characters. */
function atMost(n: number): Re {
  const items: Re[] = [];
  for (let i = 0; i < n; i++) items.push({ t: 'alt', alts: [{ t: 'eps' }, ANY] });
  return cat(items);
}

/**
 * One condition test `field =~ expression` whose field value derives from the dialled number
 * (`fieldSym`), reported as the cell of dialled strings for which route decides it the same way.
 * `result`: 'pass' | 'fail' | 'unknown' (route could not decide: a risky expression on a long value).
 */
export function observeConditionTest(obs: FsObserve, fieldSym: Deriv | null, exprDerived: boolean, expression: string, result: 'pass' | 'fail' | 'unknown', why: string, valueLength?: number): void {
  if (fieldSym === null && !exprDerived) return;
  if (exprDerived) return obs.observe.opaque(`${why}: the expression is built from the dialled number`);
  const d = fieldSym as Deriv;
  if (isOpaque(d)) return obs.observe.opaque(`${why}: ${d.opaque}`);
  const literal = result === 'unknown' ? undefined : literalExpression(expression);
  if (literal !== undefined) {
    // The language the general way below compiles, without parsing and determinising the PCRE of
    // each of 10,000 DID extensions: the literal (PCRE's `$` also before a final newline, which is
    // not in the alphabet).
    obs.observe.test(() => pulledBack(d, `${result} /${expression}/`, () => (result === 'pass' ? singleString(literal) : complement(singleString(literal)))), why);
    return;
  }
  const compiled = compileExpression(expression);
  const risky = compiled.kind === 'ok' && compiled.risky;
  const lang = pcreSearchLanguage(expression);
  const upTo = lang.ok ? lang.upTo : undefined;
  if (upTo !== undefined && (valueLength === undefined || valueLength > upTo || result === 'unknown')) {
    // Route's PCRE matcher decides values up to `upTo` characters within its budget (pcre-re.ts
    // pcreExactLength); a longer value is said not modelled rather than guessed.
    if (valueLength !== undefined && valueLength > upTo) obs.observe.test(() => pulledBack(d, `longer than ${upTo}`, () => complement(shortValues(upTo))), `${why}: a value longer than ${upTo} characters`);
    return obs.observe.opaque(`${why}: route's PCRE matcher is not followed past ${upTo} characters`);
  }
  if (result === 'unknown') {
    // route forks only for values it does not match (risky expression, long value); an expression
    // JavaScript cannot run is unknown for every value: nothing depends on the number
    if (risky) obs.observe.test(() => pulledBack(d, `longer than ${RISKY_INPUT_LIMIT}`, () => complement(compile(atMost(RISKY_INPUT_LIMIT)))), `${why}: a value longer than ${RISKY_INPUT_LIMIT} characters is not matched`);
    return;
  }
  if (!lang.ok) return obs.observe.opaque(`${why}: ${lang.reason}`);
  obs.observe.test(
    () =>
      pulledBack(d, `${result} /${expression}/`, () => {
        let l = compiledLanguage(expression, lang);
        if (result === 'fail') l = complement(l);
        if (risky) l = intersect(l, compile(atMost(RISKY_INPUT_LIMIT)));
        if (upTo !== undefined) l = intersect(l, shortValues(upTo));
        return l;
      }),
    why,
  );
}

/**
 * Pull-backs already computed, by derivation and test. Every path of a map through the same
 * condition asks the same question of the same derived value (a 2,000-class map of a dialplan of
 * captures and transfers repeats each about ten times), and a pull-back through a capture
 * determinises before·(group ∩ L)·after: computed once, the map is ~10× faster.
 */
const pulled = new Map<string, Dfa>();
const opsKeys = new WeakMap<object, string>();

function pulledBack(d: { ops: readonly Op[] }, test: string, lang: () => Dfa): Dfa {
  let ops = opsKeys.get(d);
  if (ops === undefined) opsKeys.set(d, (ops = JSON.stringify(d.ops)));
  const key = `${ops}\u0000${test}`;
  let r = pulled.get(key);
  if (!r) {
    r = pullBack(d, lang());
    if (pulled.size > 5000) pulled.clear();
    pulled.set(key, r);
  }
  return r;
}

/**
 * The string a PCRE matches alone when it is one written as `^` digits, `#`, `\+`, `\*`, `\#`
 * `$` (a DID or extension condition; PCRE's `$` also matches before a final newline), else
 * undefined.
 */
export function literalExpression(expression: string): string | undefined {
  const m = /^\^((?:[0-9#]|\\[+*#])+)\$$/.exec(expression);
  return m ? m[1].replace(/\\/g, '') : undefined;
}

/**
 * Coverage: the extensions of a run of literal destination conditions (hunt.ts literalRuns) that
 * all failed, as one cell: the dialled strings whose destination is none of the run's `values`
 * (built only if needed). `cache` is the run's own, per number of extensions failed (by the
 * derivation's ops): every number that fails the same part of the run asks the same question.
 */
export function observeLiteralsFailed(obs: FsObserve, d: Deriv | null, cache: Map<string, Dfa>, values: () => Dfa, why: string): void {
  if (d === null) return;
  if (isOpaque(d)) return obs.observe.opaque(`${why}: ${d.opaque}`);
  obs.observe.test(() => {
    let ops = opsKeys.get(d);
    if (ops === undefined) opsKeys.set(d, (ops = JSON.stringify(d.ops)));
    let r = cache.get(ops);
    if (r === undefined) cache.set(ops, (r = pullBack(d, complement(values()))));
    return r;
  }, why);
}

const compiled = new Map<string, Dfa>();

const shortCache = new Map<number, Dfa>();
/** Values of at most n characters, as an automaton (kept per n). */
function shortValues(n: number): Dfa {
  let d = shortCache.get(n);
  if (!d) shortCache.set(n, (d = compile(atMost(n))));
  return d;
}

/** The automaton of an expression's language, compiled once. */
function compiledLanguage(expression: string, lang: Parameters<typeof languageDfa>[0]): Dfa {
  let d = compiled.get(expression);
  if (!d) {
    d = languageDfa(lang);
    if (compiled.size > 5000) compiled.clear();
    compiled.set(expression, d);
  }
  return d;
}

/** The fixed length of every string an element matches, or null. */
function fixedLength(e: AST.Element | AST.Alternative): number | null {
  if (e.type === 'Alternative') {
    let n = 0;
    for (const x of e.elements) {
      const l = fixedLength(x);
      if (l === null) return null;
      n += l;
    }
    return n;
  }
  switch (e.type) {
    case 'Character':
    case 'CharacterSet':
    case 'CharacterClass':
      return 1;
    case 'Quantifier': {
      if (e.min !== e.max) return null;
      const l = fixedLength(e.element);
      return l === null ? null : l * e.min;
    }
    case 'Assertion':
      // lookarounds consume nothing; ^ and $ inside the body are left to the caller's shape test
      return e.kind === 'lookahead' || e.kind === 'lookbehind' ? 0 : null;
    case 'Backreference':
      // In a match the group is set (PCRE fails a reference to an unset one) and its text repeats.
      return e.ambiguous ? null : fixedLength(e.resolved);
    case 'Group':
    case 'CapturingGroup': {
      const ls = e.alternatives.map((a) => fixedLength(a));
      return ls.every((l) => l !== null && l === ls[0]) ? ls[0] : null;
    }
    default:
      return null;
  }
}

function isStart(e: AST.Element): boolean {
  return e.type === 'Assertion' && e.kind === 'start';
}

function isEnd(e: AST.Element): boolean {
  if (e.type !== 'Assertion') return false;
  if (e.kind === 'end') return true;
  // (?=\n?$), pcre.ts's PCRE `$`
  return e.kind === 'lookahead' && !e.negate && e.alternatives.length === 1 && e.alternatives[0].elements.length === 2 && isEnd(e.alternatives[0].elements[1]);
}

/**
 * The derivations of the captures of `expression` matched on a value derived as `fieldSym`:
 * $0 and each top-level group of `^A(G)B$` with A and B of fixed lengths; any other group opaque.
 */
export function captureSyms(fieldSym: Deriv | null, expression: string): (Deriv | null)[] | null {
  if (fieldSym === null) return null;
  const out: (Deriv | null)[] = Array.from({ length: 10 }, () => ({ opaque: `a capture of /${expression}/ on the dialled number (not a fixed-offset group of ^…$)` }) as Deriv);
  if (isOpaque(fieldSym)) return out.map(() => fieldSym);
  const p = parsedExpression(expression);
  if (!p.ok || p.pattern.alternatives.length !== 1) return out;
  const els = p.pattern.alternatives[0].elements;
  if (els.length < 1 || !isStart(els[0])) return out;
  // `^A(G)…` without `$`: the match starts the value and ends anywhere — only a group of fixed
  // length after a fixed-length A is at a known place (the rest of the value follows it, whatever it is)
  const anchored = els.length >= 2 && isEnd(els[els.length - 1]);
  const body = flattened(anchored ? els.slice(1, -1) : els.slice(1));
  if (anchored) out[0] = fieldSym; // the whole match is the whole value
  const lengths = body.map((e) => fixedLength(e));
  let group = 0;
  for (let k = 0; k < body.length; k++) {
    const e = body[k];
    if (e.type !== 'CapturingGroup') continue;
    group++;
    if (group > 9) break;
    const before = lengths.slice(0, k);
    const after = lengths.slice(k + 1);
    const fixedBefore = before.every((l) => l !== null);
    const fixedAfter = after.every((l) => l !== null);
    if (!anchored) {
      const n = lengths[k];
      const re = (xs: readonly AST.Element[]) => elementsLanguage(xs, p.icase, true);
      const [b4, g, af] = [re(body.slice(0, k)), re([e]), re(body.slice(k + 1))];
      if (fixedBefore && n !== null && b4 && g && af) out[group] = andThen(fieldSym, { k: 'capture', before: b4, group: g, after: cat([af, star(ANY)]), n, at: sum0(before) });
      continue;
    }
    if (fixedBefore && lengths[k] === null) {
      const lazy = lazyMinimalCapture(body, k, p.icase);
      if (lazy) {
        out[group] = andThen(fieldSym, { k: 'capture', before: lazy.before, group: lazy.group, after: lazy.after, n: lazy.n, at: sum0(before) });
        continue;
      }
      const run = possessiveRun(e, p.icase);
      const b4 = run && elementsLanguage(body.slice(0, k), p.icase, true);
      if (run && b4) {
        out[group] = andThen(fieldSym, { k: 'capture', before: b4, group: run.group, after: run.after, at: sum0(before), run: run.set });
        continue;
      }
    }
    if (!(fixedBefore && fixedAfter)) {
      // a group of fixed length next to a fixed-length side: the split is still unique
      const n = lengths[k];
      if (n === null || !(fixedBefore || fixedAfter)) continue;
      // the split is decided by lengths (the group's and one side's): supersets of the parts do
      const re = (els: readonly AST.Element[]) => elementsLanguage(els, p.icase, true);
      const [b4, g, af] = [re(body.slice(0, k)), re([e]), re(body.slice(k + 1))];
      if (!b4 || !g || !af) continue;
      const sum = (ls: (number | null)[]) => (ls as number[]).reduce((x, y) => x + y, 0);
      out[group] = andThen(fieldSym, { k: 'capture', before: b4, group: g, after: af, n, ...(fixedBefore ? { at: sum(before) } : { fromEnd: sum(after) }) });
      continue;
    }
    const a = sum0(before);
    const b = sum0(after);
    // as before·(group ∩ L)·after when the parts are languages: small automata (only the strings
    // that match), where Σ^a·L·Σ^b would be built over every string
    // (the split is decided by the lengths of both sides: supersets of the parts do)
    const parts = [elementsLanguage(body.slice(0, k), p.icase, true), elementsLanguage([e], p.icase, true), elementsLanguage(body.slice(k + 1), p.icase, true)];
    if (parts.every((x) => x !== null)) {
      const n = lengths[k];
      out[group] = andThen(fieldSym, { k: 'capture', before: parts[0] as Re, group: parts[1] as Re, after: parts[2] as Re, at: a, fromEnd: b, ...(n !== null ? { n } : {}) });
      continue;
    }
    out[group] = andThen(andThen(fieldSym, { k: 'drop', n: a }), { k: 'dropTail', n: b });
  }
  // groups nested inside others are numbered in between: give up on numbering beyond the first nested one
  let counted = 0;
  const countGroups = (n: AST.Node): void => {
    if (n.type === 'CapturingGroup') counted++;
    if ('alternatives' in n) for (const a of n.alternatives) for (const x of a.elements) countGroups(x);
    if (n.type === 'Quantifier') countGroups(n.element);
  };
  for (const e of body) countGroups(e);
  if (counted !== group) return out.map((x, i) => (i === 0 ? x : ({ opaque: `nested groups in /${expression}/` } as Deriv)));
  return out;
}

/**
 * The elements of a `^…$` body with every plain group `(?:…)` of one alternative (no quantifier,
 * no modifier: what pcre.ts writes around a possessive quantifier or an atomic group) opened up —
 * the same sequence, with the capturing groups inside it at the top level.
 */
function flattened(els: readonly AST.Element[]): AST.Element[] {
  return els.flatMap((e) => (e.type === 'Group' && !e.modifiers && e.alternatives.length === 1 ? flattened(e.alternatives[0].elements) : [e]));
}

/**
 * A group `(X{m,}+)` / `(?>(X{m,}))` — in pcre.ts's spelling `(X{m,}(?!X))`, X one character: PCRE
 * takes the whole run of X from where the group starts and gives none back, so the group is that
 * run (m at least, else no match), and what follows it does not start with an X. As a capture
 * (derive.ts `run`): X{m}X* then ε or a non-X — a superset of the parts of a match, whose split is
 * unique (the run is the longest), the match itself being tested apart.
 */
function possessiveRun(e: AST.Element, icase: boolean): { set: CharSet; group: Re; after: Re } | null {
  if (e.type !== 'CapturingGroup' || e.alternatives.length !== 1) return null;
  const els = flattened(e.alternatives[0].elements);
  if (els.length !== 2) return null;
  const [q, ahead] = els;
  if (q.type !== 'Quantifier' || !q.greedy || q.max !== Infinity || q.min > 64 || fixedLength(q.element) !== 1) return null;
  if (ahead.type !== 'Assertion' || ahead.kind !== 'lookahead' || !ahead.negate || ahead.alternatives.length !== 1) return null;
  const inner = ahead.alternatives[0].elements;
  if (inner.length !== 1 || inner[0].raw !== q.element.raw) return null;
  const x = elementsLanguage([q.element], icase);
  if (!x || x.t !== 'chars') return null;
  return { set: x.set, group: cat([...Array.from({ length: q.min }, () => x), star(x)]), after: { t: 'alt', alts: [{ t: 'eps' }, cat([chars(x.set.complement()), star(ANY)])] } };
}

/**
 * A group `(X{m,}?)` (lazy, X one character) of `^A(X{m,}?)B$`: PCRE tries the fewest repetitions
 * first and keeps the first count with which B matches the rest. When X·L(B) ⊆ L(B) (`(\d+?)(\d*)$`),
 * if any count works the least one, m, does: the group is the m characters after A, and the
 * expression reads as A(X{m})(X*B) — the capture at a fixed offset with a fixed length.
 */
function lazyMinimalCapture(body: readonly AST.Element[], k: number, icase: boolean): { before: Re; group: Re; after: Re; n: number } | null {
  const e = body[k];
  if (e.type !== 'CapturingGroup' || e.alternatives.length !== 1 || e.alternatives[0].elements.length !== 1) return null;
  const q = e.alternatives[0].elements[0];
  if (q.type !== 'Quantifier' || q.greedy || q.max !== Infinity || q.min > 64 || fixedLength(q.element) !== 1) return null;
  const x = elementsLanguage([q.element], icase);
  const rest = elementsLanguage(body.slice(k + 1), icase);
  const before = elementsLanguage(body.slice(0, k), icase);
  if (!x || !rest || !before) return null;
  if (!isSubsetOf(compile(cat([x, rest])), compile(rest))) return null;
  return { before, group: cat(Array.from({ length: q.min }, () => x)), after: cat([star(x), rest]), n: q.min };
}

function sum0(ls: (number | null)[]): number {
  return (ls as number[]).reduce((x, y) => x + y, 0);
}

/** Strings with none of these characters. */
export function without(avoid: string): Dfa {
  return compile(star(chars(CharSet.of(avoid).complement())));
}

/**
 * A test on the shape of a derived value (no separator characters; not empty), reported; returns
 * whether it holds for this request's value `value`.
 */
export function observeShape(obs: FsObserve, d: { ops: readonly Op[] }, value: string, avoid: string, nonEmpty: boolean, why: string): boolean {
  let lang = without(avoid);
  if (nonEmpty) lang = intersect(lang, compile(cat([ANY, star(ANY)])));
  const holds = accepts(lang, value);
  obs.observe.test(() => pulledBack(d, `${holds ? 'without' : 'with'} ${JSON.stringify(avoid)}${nonEmpty ? ', not empty' : ''}`, () => (holds ? lang : complement(lang))), why);
  return holds;
}

/** Every string equal to `s` ignoring ASCII case (strcasecmp). */
export function caseFold(s: string): Re {
  const items: Re[] = [];
  for (const ch of s) {
    const lo = ch.toLowerCase();
    const up = ch.toUpperCase();
    items.push(chars(CharSet.of(lo === up ? ch : lo + up)));
  }
  return cat(items);
}

/** The status `respond` reads from its data, as execute.ts does: three digits after leading whitespace. */
export function respondCode(data: string): string | null {
  return /^\s*(\d{3})/.exec(data)?.[1] ?? null;
}

const DIGIT: Re = chars(CharSet.of('0123456789'));

/**
 * `respond <data>` whose data derives from the dialled number (pre·core·suf, the constants peeled
 * off the derivation's end): the cell of dialled strings whose data gives the same status (or
 * none), which is all the path depends on. Whitespace only stands in the constants (the dialled
 * alphabet has none): the leading run of `pre` is skipped, and any other whitespace is a non-digit.
 * `data` is the value route read the status from.
 */
export function observeRespond(obs: FsObserve, d: Deriv, data: string, why: string): void {
  if (isOpaque(d)) return obs.observe.opaque(`${why}: ${d.opaque}`);
  const ops = [...d.ops];
  let pre = '';
  let suf = '';
  for (let last = ops[ops.length - 1]; last && (last.k === 'prefix' || last.k === 'suffix'); last = ops[ops.length - 1]) {
    if (last.k === 'prefix') pre += last.s;
    else suf = last.s + suf;
    ops.pop();
  }
  const inAlphabet = (s: string) => [...s].every((c) => c.charCodeAt(0) >= 0x21 && c.charCodeAt(0) <= 0x7e);
  if (ops.some((op) => (op.k === 'prefix' || op.k === 'suffix') && !inAlphabet(op.s))) return obs.observe.opaque(`${why}: whitespace inside a value derived from the dialled number`);
  const lead = pre.replace(/^\s+/, '');
  // three characters of constant text, or a non-digit among the first, decide the status alone
  if (lead.length >= 3 || /\D/.test(lead)) return;
  const asNonDigit = (s: string) => s.replace(/[^!-~]/g, '~');
  const code = respondCode(data);
  const emptyCode = respondCode(pre + suf);
  const core = { ops };
  obs.observe.test(() => {
    if (code !== null) return testLanguage(core, { pre: asNonDigit(lead), suf: asNonDigit(suf), emptyHolds: emptyCode === code }, compile(cat([literal(code), star(ANY)])));
    return complement(testLanguage(core, { pre: asNonDigit(lead), suf: asNonDigit(suf), emptyHolds: emptyCode !== null }, compile(cat([DIGIT, DIGIT, DIGIT, star(ANY)]))));
  }, why);
}
