/**
 * Number-format labels (issue 14, "Number formats"): built-in classes a coverage class is
 * described by, so the map reads "10-digit → ext-did; +1NXXNXXXXXX (E.164) → 404".
 */
import { accepts, compile, members, intersect, isEmpty, isSubsetOf, type Dfa } from '../automata/dfa';
import { ALPHABET_FIRST, ALPHABET_LAST, ALPHABET_SIZE, cat, chars, CharSet, literal, repeat, star, type Re } from '../automata/regex';

const D = chars(CharSet.range(0x30, 0x39));
const N = chars(CharSet.range(0x32, 0x39));

export interface NumberFormat {
  name: string;
  language: Dfa;
  /** The language as a short anchored ECMAScript regex (the built-in formats). */
  regex?: string;
}

/**
 * The built-in formats, most specific first: name, language (compiled on first use: lint asks for
 * three), and the same language as a short anchored ECMAScript regex (findings quote it; a test
 * checks the two agree).
 */
const BUILT_IN: readonly (readonly [string, () => Re, string])[] = [
  ['+1NXXNXXXXXX (E.164 NANP)', () => cat([literal('+1'), N, D, D, N, D, D, D, D, D, D]), '^\\+1[2-9]\\d{2}[2-9]\\d{6}$'],
  ['1NXXNXXXXXX (11-digit NANP)', () => cat([literal('1'), N, D, D, N, D, D, D, D, D, D]), '^1[2-9]\\d{2}[2-9]\\d{6}$'],
  ['NXXNXXXXXX (10-digit)', () => cat([N, D, D, N, D, D, D, D, D, D]), '^[2-9]\\d{2}[2-9]\\d{6}$'],
  ['NXXXXXX (7-digit)', () => cat([N, D, D, D, D, D, D]), '^[2-9]\\d{6}$'],
  ['N11 (service code)', () => cat([N, literal('11')]), '^[2-9]11$'],
  ['+CC… (E.164 international)', () => cat([literal('+'), chars(CharSet.range(0x31, 0x39)), repeat(D, 1, 14)]), '^\\+[1-9]\\d{1,14}$'],
  ['011… (NANP international prefix)', () => cat([literal('011'), repeat(D, 1, 15)]), '^011\\d{1,15}$'],
  ['00… (international prefix)', () => cat([literal('00'), chars(CharSet.range(0x31, 0x39)), repeat(D, 0, 14)]), '^00[1-9]\\d{0,14}$'],
];

const compiled = new Map<string, NumberFormat>();

/** The built-in format of that name ('+1NXXNXXXXXX (E.164 NANP)' …). */
export function builtInFormat(name: string): NumberFormat {
  let f = compiled.get(name);
  if (!f) {
    const entry = BUILT_IN.find(([n]) => n === name);
    if (!entry) throw new Error(`no built-in number format "${name}"`);
    compiled.set(name, (f = { name, language: compile(entry[1]()), regex: entry[2] }));
  }
  return f;
}

/** The built-in formats, most specific first. */
export function builtInFormats(): NumberFormat[] {
  return BUILT_IN.map(([name]) => builtInFormat(name));
}

/** Internal extension lengths as formats ("4-digit extension"). */
export function extensionFormats(lengths: readonly number[]): NumberFormat[] {
  return [...new Set(lengths)].filter((n) => n >= 2 && n <= 6).sort((a, b) => a - b)
    .map((n) => ({ name: `${n}-digit extension`, language: compile(repeat(D, n, n)) }));
}

/**
 * The formats a class meets: "all F" when the class contains F, "F" alone when it is F,
 * "some F" when they only overlap, "one F" when the class is one string of F. Formats wholly inside an earlier one listed are skipped.
 */
export function formatsOf(language: Dfa, formats: readonly NumberFormat[]): string[] {
  const one = language.single !== undefined && !language.dashed ? language.single : members(language, 1)?.[0];
  if (one !== undefined) return oneOf(one, formats);
  const out: string[] = [];
  for (const f of formats) {
    const meet = intersect(language, f.language);
    if (isEmpty(meet)) continue;
    const all = isSubsetOf(f.language, language);
    const exactly = all && isSubsetOf(language, f.language);
    out.push(exactly ? f.name : all ? `all ${f.name}` : `some ${f.name}`);
  }
  return out;
}

/**
 * The labels of a one-string class: "one F" for each format holding it. The lists are shared by
 * the strings the same formats hold (a map of 100,000 literals has a handful of them); callers
 * read them, never change them.
 */
function oneOf(s: string, formats: readonly NumberFormat[]): string[] {
  let byMask = oneLists.get(formats);
  if (!byMask) oneLists.set(formats, (byMask = new Map()));
  // Which formats hold s, as the list of their indexes (a number while there are few formats).
  const mask: number | string = formats.length <= 30 ? maskOf(s, formats) : formats.map((f) => (accepts(f.language, s) ? '1' : '0')).join('');
  let out = byMask.get(mask);
  if (!out) {
    out = formats.filter((f) => accepts(f.language, s)).map((f) => `one ${f.name}`);
    byMask.set(mask, out);
  }
  return out;
}
const oneLists = new WeakMap<readonly NumberFormat[], Map<number | string, string[]>>();

/**
 * The formats (at most 30) one string is in, as a bit mask — bit i for formats[i] — read in one
 * pass over the string: the product of the formats' automata, its states made as strings reach
 * them (a map of 150,000 one-string classes asked each format's automaton in turn before).
 */
function maskOf(s: string, formats: readonly NumberFormat[]): number {
  let p = products.get(formats);
  if (!p) products.set(formats, (p = new FormatProduct(formats.map((f) => f.language))));
  return p.mask(s);
}
const products = new WeakMap<readonly NumberFormat[], FormatProduct>();

class FormatProduct {
  /** Product state → its component states (one per automaton). */
  private readonly tuples: Int32Array[] = [];
  private readonly ids = new Map<string, number>();
  /** Product state × alphabet index → product state; -1 not made yet. */
  private trans = new Int32Array(0);
  /** Product state → the bit mask of the automata accepting there. */
  private readonly masks: number[] = [];

  constructor(private readonly dfas: readonly Dfa[]) {
    this.state(new Int32Array(dfas.length));
  }

  private state(tuple: Int32Array): number {
    const key = tuple.join(',');
    let id = this.ids.get(key);
    if (id !== undefined) return id;
    id = this.tuples.length;
    this.ids.set(key, id);
    this.tuples.push(tuple);
    let m = 0;
    for (let i = 0; i < this.dfas.length; i++) if (this.dfas[i].accept[tuple[i]] === 1) m |= 1 << i;
    this.masks.push(m);
    if (this.trans.length < (id + 1) * ALPHABET_SIZE) {
      const grown = new Int32Array(Math.max(64, (id + 1) * 2) * ALPHABET_SIZE).fill(-1);
      grown.set(this.trans);
      this.trans = grown;
    }
    return id;
  }

  mask(s: string): number {
    let q = 0;
    for (let i = 0; i < s.length; i++) {
      const code = s.charCodeAt(i);
      if (code < ALPHABET_FIRST || code > ALPHABET_LAST) return 0;
      const at = q * ALPHABET_SIZE + (code - ALPHABET_FIRST);
      let next = this.trans[at];
      if (next < 0) {
        const from = this.tuples[q];
        const to = new Int32Array(from.length);
        for (let k = 0; k < from.length; k++) {
          const d = this.dfas[k];
          to[k] = d.trans[from[k] * d.nClasses + d.classOf[code - ALPHABET_FIRST]];
        }
        next = this.state(to);
        this.trans[at] = next;
      }
      q = next;
    }
    return this.masks[q];
  }
}

/** Σ* as an Re (for callers that describe "anything"). */
export const ANYTHING: Re = star(chars(CharSet.ANY));
