/**
 * Coverage's reading of a `/re/repl/flags` substitution (subst_user) as a transduction of the
 * string it runs on: the strings on which subst_str gives a result, and that result as a
 * derivation (coverage/derive.ts ops) of the input — for the shapes where both are exact
 * whatever way the regex engine chooses among matches:
 *
 * - `^B$`: the match is the whole input; a group the replacement names is at fixed offsets from
 *   one end (the fixed-length items on its side), or has a fixed length next to a fixed-length side.
 * - `^P` with P of one fixed length k: the match is the first k characters (`g` changes nothing:
 *   re.c subst_run searches on with REG_NOTBOL, so `^` matches no more).
 * - `P$` with P of one fixed length k: the match is the last k characters (with `g` the next
 *   search runs on "", where a P of k ≥ 1 characters cannot match).
 *
 * re.c subst_run treats an empty match as an error ("Matched string is empty"): subst_str gives no
 * result, so the input on which B matches only as '' is not in the success language.
 * Anything else (an unanchored regex, alternatives at the top level, groups inside groups or under
 * a quantifier, a replacement with `\u` or a pseudo-variable, two groups in one replacement) is
 * returned as the reason it is not modelled.
 */
import { parseEre, EreSyntaxError, type EreNode } from '../../automata/ere/ere-nfa';
import { ereNodesLanguage } from '../../automata/ere/ere-re';
import { ANY_STRING, cat, type Re } from '../../automata/regex';
import { nonEmpty } from '../../automata/search';
import type { Op } from '../../coverage/derive';
import { parseSubst, type ReplPart } from './subst';

export interface SubstTransduction {
  /** The inputs on which subst_str gives a result (the function returns 1). */
  success: Re;
  /** The result, for an input in `success`: a constant, or the input transformed by ops. */
  result: { k: 'const'; s: string } | { k: 'ops'; ops: Op[] };
}

/** The length of every string the node matches, or null when they differ (or an assertion is inside). */
function fixedLength(n: EreNode): number | null {
  switch (n.t) {
    case 'char':
      return 1;
    case 'empty':
      return 0;
    case 'assert':
      return null;
    case 'group':
      return fixedLength(n.node);
    case 'cat': {
      let sum = 0;
      for (const x of n.items) {
        const l = fixedLength(x);
        if (l === null) return null;
        sum += l;
      }
      return sum;
    }
    case 'alt': {
      const ls = n.alts.map(fixedLength);
      return ls.every((l) => l !== null && l === ls[0]) ? ls[0] : null;
    }
    case 'rep': {
      if (n.min !== n.max) return null;
      const l = fixedLength(n.node);
      return l === null ? null : l * n.min;
    }
  }
}

function hasAssertion(n: EreNode): boolean {
  switch (n.t) {
    case 'assert':
      return true;
    case 'group':
    case 'rep':
      return hasAssertion(n.node);
    case 'cat':
      return n.items.some(hasAssertion);
    case 'alt':
      return n.alts.some(hasAssertion);
    default:
      return false;
  }
}

const sum = (ls: readonly (number | null)[]): number => (ls as number[]).reduce((a, b) => a + b, 0);

/** The transduction of `/re/repl/flags`, or why it is not modelled. */
export function substTransduction(text: string): SubstTransduction | string {
  const parsed = parseSubst(text, false);
  if (typeof parsed === 'string') return parsed;
  let tree: EreNode;
  try {
    tree = parseEre(parsed.source, parsed.flags.includes('i'), true);
  } catch (e) {
    if (e instanceof EreSyntaxError) return `regular expression: ${e.message}`;
    throw e;
  }
  if (tree.t === 'alt') return 'alternatives at the top level of the regular expression';
  const items = tree.t === 'cat' ? [...tree.items] : [tree];
  const start = items[0]?.t === 'assert' && items[0].kind === 'bol';
  if (start) items.shift();
  const last = items[items.length - 1];
  const end = last?.t === 'assert' && last.kind === 'eol';
  if (end) items.pop();
  if (items.some(hasAssertion)) return 'an assertion inside the regular expression';
  if (!start && !end) return 'a regular expression anchored at neither end (where it matches depends on the input)';
  const lengths = items.map(fixedLength);
  const body = ereNodesLanguage(items);
  if (body === null) return 'the regular expression is not translated to an automaton';
  const k = lengths.every((l) => l !== null) ? sum(lengths) : null;
  if (!(start && end) && (k === null || k === 0)) return `a regular expression anchored at one end whose matches differ in length`;

  // the replacement as text and references; `\0` is the whole match (index -1 below)
  const refs: { text: string; item: number | null }[] = [];
  let tail = '';
  for (const part of parsed.repl as ReplPart[]) {
    if (part.k === 'text') tail += part.s;
    else if (part.k === 'group') {
      let item: number | null = null;
      if (part.n !== 0) {
        item = items.findIndex((x) => x.t === 'group' && x.n === part.n);
        if (item < 0) return `\\${part.n} names a group inside another group or a quantifier`;
      }
      refs.push({ text: tail, item });
      tail = '';
    } else return part.k === 'uri' ? 'a replacement with \\u (the whole R-URI)' : `a replacement with the pseudo-variable ${part.raw}`;
  }
  if (refs.length > 1) return 'a replacement that combines two groups';
  const ref = refs[0];

  if (start && end) {
    const success = nonEmpty(body);
    if (!ref) return { success, result: { k: 'const', s: tail } };
    const ops: Op[] = [];
    if (ref.item !== null) {
      const i = ref.item;
      const lang = (from: number, to: number) => ereNodesLanguage(items.slice(from, to));
      const [before, group, after] = [lang(0, i), lang(i, i + 1), lang(i + 1, items.length)];
      if (!before || !group || !after) return 'the regular expression is not translated to an automaton';
      const fixedBefore = lengths.slice(0, i).every((l) => l !== null);
      const fixedAfter = lengths.slice(i + 1).every((l) => l !== null);
      const n = lengths[i];
      if (fixedBefore && fixedAfter) ops.push({ k: 'capture', before, group, after, at: sum(lengths.slice(0, i)), fromEnd: sum(lengths.slice(i + 1)) });
      else if (n !== null && fixedBefore) ops.push({ k: 'capture', before, group, after, n, at: sum(lengths.slice(0, i)) });
      else if (n !== null && fixedAfter) ops.push({ k: 'capture', before, group, after, n, fromEnd: sum(lengths.slice(i + 1)) });
      else return `\\${(items[i] as { n: number }).n} is a group whose place in the match depends on how the regex engine splits it`;
    }
    ops.push({ k: 'prefix', s: ref.text }, { k: 'suffix', s: tail });
    return { success, result: { k: 'ops', ops } };
  }
  const len = k as number;
  // the span [from, to) of a reference within the fixed-length match
  const span = (r: { item: number | null }) => (r.item === null ? [0, len] : [sum(lengths.slice(0, r.item)), sum(lengths.slice(0, r.item + 1))]);
  if (start) {
    const success = cat([body, ANY_STRING]);
    if (!ref) return { success, result: { k: 'ops', ops: [{ k: 'drop', n: len }, { k: 'prefix', s: tail }] } };
    const [from, to] = span(ref);
    if (to !== len || tail !== '') return 'a replacement that keeps part of the match that is not its end, at the start of the user';
    return { success, result: { k: 'ops', ops: [{ k: 'drop', n: from }, { k: 'prefix', s: ref.text }] } };
  }
  const success = cat([ANY_STRING, body]);
  if (!ref) return { success, result: { k: 'ops', ops: [{ k: 'dropTail', n: len }, { k: 'suffix', s: tail }] } };
  const [from, to] = span(ref);
  if (from !== 0 || ref.text !== '') return 'a replacement that keeps part of the match that is not its start, at the end of the user';
  return { success, result: { k: 'ops', ops: [{ k: 'dropTail', n: len - to }, { k: 'suffix', s: tail }] } };
}
