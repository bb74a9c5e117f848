/**
 * Values derived from the dialled string, and the pull-back of a test on such a value to a
 * language over the dialled string itself — what lets coverage say exactly which dialled numbers a
 * test on `$rU` after `strip(1); prefix("+1")` holds for, or a FreeSWITCH condition on `$1` after a
 * transfer.
 *
 * A derivation is a sequence of string operations applied to the dialled string x, in order:
 * drop(n) (Kamailio strip(n): the first n characters removed, '' when x is shorter — JavaScript
 * slice, as the simulator does), dropTail(n) (strip_tail), prefix(p), suffix(s). A capture of
 * `^A(G)B$` with A and B of fixed lengths is drop(|A|) then dropTail(|B|) on the strings the
 * expression matches (the only ones its captures are used for). Anything else is opaque: a test on an opaque value makes the path's
 * class "not modelled" with the reason, never a guess.
 */
import { AutomatonBudget, Dfa, EMPTY, UNIVERSE, afterPrefix, compile, concatAll, intersect, substringPreimage, union } from '../automata/dfa';
import { CharSet, EPS, alt, cat, chars, type Re } from '../automata/regex';
import { fsSubstring } from '../resolvers/freeswitch/expand';

export type Op =
  | { readonly k: 'drop'; readonly n: number }
  | { readonly k: 'dropTail'; readonly n: number }
  /**
   * The group of a match of before·(group)·after with group of length n and before or after of a
   * fixed length (`at` characters from the start, or `fromEnd` from the end): the split is unique.
   * Defined on the strings that match; its pull-back is before·(group ∩ L)·after.
   */
  /**
   * `run`: the group is the longest run of these characters from `at` on (a possessive `(X*+)`,
   * `(?>X+)` group: PCRE takes the whole run and gives none back), and `after` does not start
   * with one of them — the split is unique again.
   */
  | { readonly k: 'capture'; readonly before: Re; readonly group: Re; readonly after: Re; readonly n?: number; readonly at?: number; readonly fromEnd?: number; readonly run?: CharSet }
  | { readonly k: 'prefix'; readonly s: string }
  | { readonly k: 'suffix'; readonly s: string }
  /**
   * Constant text and characters of the value at fixed offsets from its start, in any order and
   * repeated (`$2$1`, `21$1$1` of `^21(\d)(\d)$`): the value's characters past the last offset
   * named are dropped. Defined on values long enough for every offset.
   */
  | { readonly k: 'splice'; readonly parts: readonly SplicePart[] }
  /**
   * FreeSWITCH's `${var:offset:length}` (switch_channel.c switch_channel_expand_variables_check;
   * expand.ts fsSubstring): offset ≥ 0 skips, offset < 0 keeps the last −offset characters of a
   * value that long, then a length > 0 truncates.
   */
  | { readonly k: 'fsSubstr'; readonly offset: number; readonly length: number };

export type SplicePart = { readonly s: string } | { readonly at: number; readonly n: number };

export type Deriv = { readonly ops: readonly Op[] } | { readonly opaque: string };

export const IDENTITY: Deriv = { ops: [] };

export function isOpaque(d: Deriv): d is { readonly opaque: string } {
  return 'opaque' in d;
}

export function opaque(why: string): Deriv {
  return { opaque: why };
}

/** `d` followed by `op` (an opaque derivation stays opaque). */
export function andThen(d: Deriv, op: Op): Deriv {
  if (isOpaque(d)) return d;
  if ((op.k === 'prefix' || op.k === 'suffix') && op.s === '') return d;
  if ((op.k === 'drop' || op.k === 'dropTail') && op.n <= 0) return d;
  return { ops: [...d.ops, op] };
}

/** The value of `d` for the dialled string x (what the simulator computes), for tests. */
export function applyDeriv(d: { ops: readonly Op[] }, x: string): string {
  let v = x;
  for (const op of d.ops) {
    if (op.k === 'drop') v = v.slice(op.n);
    else if (op.k === 'dropTail') v = v.slice(0, Math.max(0, v.length - op.n));
    else if (op.k === 'capture') v = captured(op, v);
    else if (op.k === 'splice') v = op.parts.map((p) => ('s' in p ? p.s : v.slice(p.at, p.at + p.n))).join('');
    else if (op.k === 'fsSubstr') v = fsSubstring(v, op.offset, op.length);
    else if (op.k === 'prefix') v = op.s + v;
    else v = v + op.s;
  }
  return v;
}

/** Assignments of characters to the offsets a splice names tried at most: past it, the automaton is too large. */
const SPLICE_BUDGET = 20_000;

/**
 * {x : splice(x) ∈ lang}: the automaton is run over the splice's output while the characters at
 * the offsets it names are chosen, one class of the automaton's alphabet at a time (a choice made
 * once holds wherever the offset repeats); each accepted choice is the strings with those classes
 * at those offsets, anything elsewhere, and at least as long as the last offset.
 */
function splicePreimage(op: Extract<Op, { k: 'splice' }>, lang: Dfa): Dfa {
  const seq: ({ code: number } | { pos: number })[] = [];
  let length = 0;
  for (const p of op.parts) {
    if ('s' in p) for (const c of p.s) seq.push({ code: c.charCodeAt(0) });
    else {
      for (let i = 0; i < p.n; i++) seq.push({ pos: p.at + i });
      length = Math.max(length, p.at + p.n);
    }
  }
  const sets = lang.classSets();
  const reps = sets.map((cs) => cs.codes()[0] ?? -1);
  // states from which an accepting state can still be reached
  const live = new Uint8Array(lang.nStates);
  for (let q = 0; q < lang.nStates; q++) live[q] = lang.accept[q];
  for (let changed = true; changed; ) {
    changed = false;
    for (let q = 0; q < lang.nStates; q++) {
      if (live[q]) continue;
      for (let c = 0; c < lang.nClasses; c++) {
        const r = lang.trans[q * lang.nClasses + c];
        if (r >= 0 && live[r]) {
          live[q] = 1;
          changed = true;
          break;
        }
      }
    }
  }
  const chosen = new Map<number, number>();
  const accepted: Re[] = [];
  let tried = 0;
  const walk = (i: number, q: number): void => {
    if (q < 0 || !live[q]) return;
    if (++tried > SPLICE_BUDGET) throw new AutomatonBudget(SPLICE_BUDGET);
    if (i === seq.length) {
      if (!lang.accept[q]) return;
      const items: Re[] = [];
      for (let pos = 0; pos < length; pos++) {
        const c = chosen.get(pos);
        items.push(c === undefined ? ANY : chars(sets[c]));
      }
      items.push({ t: 'star', node: ANY });
      accepted.push(cat(items));
      return;
    }
    const item = seq[i];
    if ('code' in item) return walk(i + 1, lang.step(q, item.code));
    const c = chosen.get(item.pos);
    if (c !== undefined) return walk(i + 1, lang.step(q, reps[c]));
    for (let k = 0; k < sets.length; k++) {
      if (reps[k] < 0) continue;
      chosen.set(item.pos, k);
      walk(i + 1, lang.step(q, reps[k]));
      chosen.delete(item.pos);
    }
  };
  walk(0, 0);
  return accepted.length ? compile(alt(accepted)) : EMPTY;
}

const ANY: Re = chars(CharSet.ANY);

function exactly(n: number): Re {
  return cat(Array.from({ length: n }, () => ANY));
}

/** Strings shorter than n. */
function shorterThan(n: number): Dfa {
  const alts: Re[] = [];
  for (let i = 0; i < n; i++) alts.push(exactly(i));
  return alts.length ? compile(alt(alts)) : EMPTY;
}

/** {x : x·s ∈ lang}: the states from which reading s accepts become accepting. */
export function beforeSuffix(lang: Dfa, s: string): Dfa {
  if (s === '') return lang;
  const accept = new Uint8Array(lang.nStates);
  for (let q = 0; q < lang.nStates; q++) {
    let r = q;
    for (let i = 0; i < s.length && r >= 0; i++) r = lang.step(r, s.charCodeAt(i));
    accept[q] = r >= 0 && lang.accept[r] ? 1 : 0;
  }
  const raw = new Dfa(lang.classOf, lang.nClasses, lang.trans, accept);
  // the product with Σ* minimises it
  return intersect(raw, UNIVERSE);
}

/** The group's characters in a string that matches (two of: its offset, its length, what follows it; or its offset and its run). */
function captured(op: Extract<Op, { k: 'capture' }>, v: string): string {
  if (op.run && op.at !== undefined) {
    let end = op.at;
    while (end < v.length && op.run.has(v.charCodeAt(end))) end++;
    return v.slice(op.at, end);
  }
  if (op.at !== undefined && op.n !== undefined) return v.slice(op.at, op.at + op.n);
  if (op.at !== undefined) return v.slice(op.at, Math.max(op.at, v.length - (op.fromEnd ?? 0)));
  const end = v.length - (op.fromEnd ?? 0);
  return v.slice(Math.max(0, end - (op.n ?? 0)), end);
}

/** {x : op(x) ∈ lang}. */
function preimage(op: Op, lang: Dfa): Dfa {
  switch (op.k) {
    case 'prefix':
      return afterPrefix(lang, op.s);
    case 'suffix':
      return beforeSuffix(lang, op.s);
    case 'drop':
      return substringPreimage(lang, op.n) as Dfa;
    case 'capture':
      return concatAll([op.before, intersect(compile(op.group), lang), op.after]);
    case 'splice':
      return splicePreimage(op, lang);
    case 'fsSubstr': {
      // the truncation first (a cut from offset 0), then the offset's cut — both as Asterisk's
      // substring, which agrees with FreeSWITCH's for these (offset ≥ 0 with a length ≥ 0, or no length)
      const cut = op.length > 0 ? (substringPreimage(lang, 0, op.length) as Dfa) : lang;
      return substringPreimage(cut, op.offset) as Dfa;
    }
    case 'dropTail': {
      const main = concatAll([lang, exactly(op.n)]);
      return lang.accept[0] ? union(main, shorterThan(op.n)) : main;
    }
  }
}

/** {x : d(x) ∈ lang}. */
export function pullBack(d: { ops: readonly Op[] }, lang: Dfa): Dfa {
  let l = lang;
  for (let i = d.ops.length - 1; i >= 0; i--) l = preimage(d.ops[i], l);
  return l;
}

/**
 * How a test sees the derived string u: the value tested is pre·u·suf when u is not empty, and a
 * value of its own when u is empty (Kamailio's $rU is $null then; $ru is sip:host): whether the
 * test holds for that one is decided by evaluating it (`emptyHolds`).
 */
export interface View {
  pre: string;
  suf: string;
  emptyHolds: boolean;
}

/**
 * The dialled strings for which the test holds: those whose derived value u is non-empty with
 * pre·u·suf ∈ `holdsOn`, and, if the test holds for the empty value, those whose u is empty.
 */
let nonEmptyDfa: Dfa | undefined;
let epsDfa: Dfa | undefined;

export function testLanguage(d: { ops: readonly Op[] }, view: View, holdsOn: Dfa): Dfa {
  const nonEmpty = (nonEmptyDfa ??= compile(cat([ANY, { t: 'star', node: ANY }])));
  let onU = intersect(beforeSuffix(afterPrefix(holdsOn, view.pre), view.suf), nonEmpty);
  if (view.emptyHolds) onU = union(onU, (epsDfa ??= compile(EPS)));
  return pullBack(d, onU);
}

export { AutomatonBudget };

/**
 * A derived value in words, for names that would otherwise differ for every number of a class
 * (a relay to `sip:<number>@host`): `<number>`, `+<number>[1:]`, `<number>[:-2]@gw`. A cut reads
 * as a slice that ends at the value's ends (`[3:]` of a shorter value is empty: kamailio
 * src/core/action.c do_action STRIP_T / STRIP_TAIL_T delete the whole user when asked for more).
 * A cut that goes past the constant text on its side into the number, with constant text on the
 * other side, is written on the whole value (`+<number>1` cut by 12: `(<number>1)[11:]`), so that
 * it says what a short number gives too.
 */
export function describeDerived(d: Deriv, name = 'number'): string {
  if (isOpaque(d)) return `<computed from the ${name}>`;
  let pre = '';
  let suf = '';
  let core = `<${name}>`;
  let head = 0;
  let tail = 0;
  const sliced = () => (head || tail ? `${core}[${head || ''}:${tail ? -tail : ''}]` : core);
  for (const op of d.ops) {
    if (op.k === 'prefix') pre = op.s + pre;
    else if (op.k === 'suffix') suf += op.s;
    else if (op.k === 'drop') {
      const n = Math.min(op.n, pre.length);
      pre = pre.slice(n);
      if (op.n > n && suf !== '' && !Number.isNaN(head)) {
        core = `(${sliced()}${suf})`;
        suf = '';
        head = tail = 0;
      }
      head += op.n - n;
    } else if (op.k === 'capture' || op.k === 'splice' || op.k === 'fsSubstr') {
      pre = '';
      suf = '';
      head = NaN;
    } else {
      const n = Math.min(op.n, suf.length);
      suf = suf.slice(0, suf.length - n);
      if (op.n > n && pre !== '' && !Number.isNaN(head)) {
        core = `(${pre}${sliced()})`;
        pre = '';
        head = tail = 0;
      }
      tail += op.n - n;
    }
  }
  return Number.isNaN(head) ? `${pre}<part of the ${name}>${suf}` : `${pre}${sliced()}${suf}`;
}
