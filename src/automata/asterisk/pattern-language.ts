/**
 * Exact language algebra over Asterisk extension names, for lint rules such as "this pattern
 * can never be chosen" or "this context matches only 10-digit numbers, so +1NXXNXXXXXX gets 404".
 *
 * A Language is the set of dialled strings that at least one of its names matches with E_MATCH
 * (`ast_extension_match`, main/pbx.c `_extension_match_core`). Dialled strings are taken
 * WITHOUT `-`: Asterisk skips `-` in the dialled string everywhere, so "202-555" and "202555"
 * are the same call. Strings are bytes (UTF-8), as in the C code. Not modelled: a dialled
 * string that is itself a pattern (`_X.` dialled matches pattern `_X.`), which SIP never sends.
 *
 * Construction: the names' tokens (pattern-syntax.ts) form a trie, read as an NFA whose states
 * are trie nodes plus one accepting "anything follows" state (reached through `.` after one
 * character or `!`). `[]` is an edge that may be skipped only while characters remain (the
 * matcher reports a partial match if the string ends at `[]`); an unterminated `[` accepts
 * nothing. Comparisons run a lazy subset construction of both automata in lockstep over the
 * alphabet cut into classes: the bytes grouped by which character sets of either language
 * contain them (digits split by N/X/Z boundaries, '+', '*', '#', letters, "anything else").
 */
import { fromBytes, toBytes, tokenizePattern } from './pattern-syntax';

interface LNode {
  id: number;
  byByte: Map<number, LNode>;
  sets: { set: Uint8Array; key: string; node: LNode }[];
  /** `.` or `!` edge: leads to this node's ANY state after one char. */
  wildcard: boolean;
  /** `!` next: accepting here too (zero more chars). */
  bang: boolean;
  empty?: LNode;
  /** A name ends here. */
  accept: boolean;
  /** Lowest rank (index in the names list) of a name accepted here: ending, `!` next, or in ANY. */
  acceptRank: number;
  bangRank: number;
  wildRank: number;
}

export interface Language {
  /** @internal */ readonly root: LNode;
  /** @internal */ readonly nodes: LNode[];
  /** @internal distinct character sets used on edges (single bytes included). */
  readonly sets: Map<string, Uint8Array>;
  /** The names, as given. */
  readonly names: readonly string[];
  /** @internal DFA states met so far, by their NFA id list. */
  readonly states: Map<string, State>;
}

/**
 * DFA states are sorted arrays of NFA state ids: a trie node id (≥ 0), or -(id + 1) for the
 * "anything may follow" state entered through the `.`/`!` of node `id` (one per node, so the
 * names that reach it stay known for firstMatchExamples).
 */
interface State {
  /** Unique within its language. */
  uid: number;
  /** Sorted NFA state ids. */
  ids: number[];
  /** Lowest rank of a name accepting here (Infinity: not accepting). */
  rank: number;
  /** Transitions computed so far, by byte. */
  next: (State | undefined)[];
}

const DASH = 0x2d;

/** Union of what the names match (E_MATCH), patterns (`_…`) and literals alike. */
export function languageOf(names: readonly string[]): Language {
  return buildLanguage(names, names.map((_, i) => i));
}

function buildLanguage(names: readonly string[], ranks: readonly number[]): Language {
  const nodes: LNode[] = [];
  const sets = new Map<string, Uint8Array>();
  const make = (): LNode => {
    const n: LNode = {
      id: nodes.length, byByte: new Map(), sets: [], wildcard: false, bang: false, accept: false,
      acceptRank: Infinity, bangRank: Infinity, wildRank: Infinity,
    };
    nodes.push(n);
    return n;
  };
  const root = make();
  const single = (node: LNode, c: number): LNode => {
    let next = node.byByte.get(c);
    if (!next) {
      node.byByte.set(c, (next = make()));
      const key = String.fromCharCode(c);
      if (!sets.has(key)) { const s = new Uint8Array(256); s[c] = 1; sets.set(key, s); }
    }
    return next;
  };
  names.forEach((written, index) => {
    const rank = ranks[index];
    const name = toBytes(written);
    let node = root;
    if (name.charCodeAt(0) !== 0x5f) {
      for (let i = 0; i < name.length; i++) {
        const c = name.charCodeAt(i);
        if (c !== DASH) node = single(node, c);
      }
      node.accept = true;
      node.acceptRank = Math.min(node.acceptRank, rank);
      return;
    }
    let complete = true;
    for (const token of tokenizePattern(name.slice(1))) {
      if (token.kind === 'chars') {
        if (token.key.length === 1) { node = single(node, token.key.charCodeAt(0)); continue; }
        let entry = node.sets.find((s) => s.key === token.key);
        if (!entry) {
          node.sets.push((entry = { set: token.set, key: token.key, node: make() }));
          sets.set(token.key, token.set);
        }
        node = entry.node;
      } else if (token.kind === 'empty') {
        node = node.empty ??= make();
      } else if (token.kind === 'dot') {
        node.wildcard = true;
        node.wildRank = Math.min(node.wildRank, rank);
        complete = false;
      } else if (token.kind === 'bang') {
        node.wildcard = true;
        node.bang = true;
        node.wildRank = Math.min(node.wildRank, rank);
        node.bangRank = Math.min(node.bangRank, rank);
        complete = false;
      } else {
        complete = false; // broken '[': matches nothing from here
      }
      if (!complete) break;
    }
    if (complete) {
      node.accept = true;
      node.acceptRank = Math.min(node.acceptRank, rank);
    }
  });
  return { root, nodes, sets, names: [...names], states: new Map() };
}

// ------------------------------------------------------------------ automaton over classes

/** Per byte, which of the language's character sets contain it (cached per language). */
const signatures = new WeakMap<Language, string[]>();
function signatureOf(lang: Language): string[] {
  let sig = signatures.get(lang);
  if (!sig) {
    sig = new Array<string>(256).fill('');
    let k = 0;
    for (const set of lang.sets.values()) {
      for (let c = 0; c < 256; c++) if (set[c]) sig[c] += `${k},`;
      k++;
    }
    signatures.set(lang, sig);
  }
  return sig;
}

/** Alphabet classes for a pair of languages: each a list of bytes that behave identically. */
function alphabetOf(langs: Language[]): number[][] {
  const sigs = langs.map(signatureOf);
  const groups = new Map<string, number[]>();
  for (let c = 1; c < 256; c++) {
    if (c === DASH) continue; // never part of a dialled string as Asterisk compares it
    const key = sigs.map((sig) => sig[c]).join('|');
    const g = groups.get(key);
    if (g) g.push(c);
    else groups.set(key, [c]);
  }
  return [...groups.values()];
}

function stepNode(node: LNode, c: number, out: Set<number>): void {
  const single = node.byByte.get(c);
  if (single) out.add(single.id);
  for (const s of node.sets) if (s.set[c]) out.add(s.node.id);
  if (node.wildcard) out.add(-(node.id + 1));
  if (node.empty) stepNode(node.empty, c, out);
}

/**
 * Work budget for the language algebra. Adversarial inputs (a 5,000-character pattern beside
 * thousands of others) can make determinisation explode; past the budget the computation stops
 * with LanguageTooComplex, and callers treat the question as unanswered instead of hanging or
 * running out of memory. Measured in DFA states plus product states visited.
 */
export class LanguageTooComplex extends Error {
  constructor() {
    super('pattern languages too complex to analyse exactly');
  }
}
let budget = Infinity;

/** Runs `fn` with at most `limit` units of automaton work; throws LanguageTooComplex past it. */
export function withLanguageBudget<T>(limit: number, fn: () => T): T {
  const saved = budget;
  budget = limit;
  try {
    return fn();
  } finally {
    budget = saved;
  }
}

function spend(units: number): void {
  budget -= units;
  if (budget < 0) throw new LanguageTooComplex();
}

function intern(lang: Language, ids: number[]): State {
  const key = ids.join(',');
  let state = lang.states.get(key);
  if (!state) {
    spend(1 + ids.length);
    let rank = Infinity;
    for (const id of ids) {
      if (id < 0) rank = Math.min(rank, lang.nodes[-id - 1].wildRank);
      else rank = Math.min(rank, lang.nodes[id].acceptRank, lang.nodes[id].bangRank);
    }
    state = { uid: lang.states.size, ids, rank, next: [] };
    lang.states.set(key, state);
  }
  return state;
}

function startOf(lang: Language): State {
  return intern(lang, [lang.root.id]);
}

function step(lang: Language, state: State, c: number): State {
  let next = state.next[c];
  if (next) return next;
  const out = new Set<number>();
  for (const id of state.ids) {
    if (id < 0) out.add(id);
    else stepNode(lang.nodes[id], c, out);
  }
  next = intern(lang, [...out].sort((a, b) => a - b));
  state.next[c] = next;
  return next;
}

/** Lowest rank of a name that accepts when the string ends in this state (Infinity: none). */
function acceptRank(_lang: Language, state: State): number {
  return state.rank;
}

function accepts(_lang: Language, state: State): boolean {
  return state.rank < Infinity;
}

/** Lockstep product of two lazily determinised languages. */
class Product {
  readonly alphabet: number[][];
  constructor(readonly a: Language, readonly b: Language) {
    this.alphabet = alphabetOf([a, b]);
  }
  start(): [State, State] {
    return [startOf(this.a), startOf(this.b)];
  }
  key(s: [State, State]): string {
    return `${s[0].uid}|${s[1].uid}`;
  }
  move(s: [State, State], atom: number): [State, State] {
    const c = this.alphabet[atom][0];
    return [step(this.a, s[0], c), step(this.b, s[1], c)];
  }
  /** Breadth-first: the length of a shortest string reaching `goal`, or -1. */
  shortest(goal: (s: [State, State]) => boolean): number {
    const seen = new Set<string>();
    let layer: [State, State][] = [this.start()];
    seen.add(this.key(layer[0]));
    for (let depth = 0; layer.length; depth++) {
      const following: [State, State][] = [];
      for (const s of layer) {
        if (goal(s)) return depth;
        if (!s[0].ids.length) continue; // `a` is dead: nothing of a can follow
        for (let atom = 0; atom < this.alphabet.length; atom++) {
          const n = this.move(s, atom);
          const k = this.key(n);
          if (!seen.has(k)) { spend(1); seen.add(k); following.push(n); }
        }
      }
      layer = following;
    }
    return -1;
  }
}

const inDifference = (p: Product) => (s: [State, State]) => accepts(p.a, s[0]) && !accepts(p.b, s[1]);
const inBoth = (p: Product) => (s: [State, State]) => accepts(p.a, s[0]) && accepts(p.b, s[1]);

/** a ⊆ b: every string a matches, b matches too. */
export function isSubset(a: Language, b: Language): boolean {
  const p = new Product(a, b);
  return p.shortest(inDifference(p)) < 0;
}

/** Some dialled string is matched by both. */
export function intersects(a: Language, b: Language): boolean {
  const p = new Product(a, b);
  return p.shortest(inBoth(p)) >= 0;
}

/** Digits in the order a realistic North American number uses them: 202 555 1234. */
const IDEAL_DIGITS = '2025551234';
const PREFERENCE = '2501346789+*#sabcdefghijklmnopqrtuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

const RANKS = Array.from({ length: 256 }, (_, c) => {
  const i = PREFERENCE.indexOf(String.fromCharCode(c));
  return i >= 0 ? i : 1000 + c;
});

function rankOf(c: number): number {
  return RANKS[c];
}

/**
 * A shortest string in a \ b (a concrete example number), or null when a ⊆ b. Wildcard
 * positions get digits of "2025551234" where the class allows, so examples read like real
 * numbers (`+12025551234`, `2025551234`), else the most phone-like character of the class.
 */
export function exampleInDifference(a: Language, b: Language): string | null {
  const p = new Product(a, b);
  return exampleFor(p, inDifference(p));
}

/** A shortest string driving the product into `goal`, with phone-like characters. */
function exampleFor(p: Product, goal: (s: [State, State]) => boolean): string | null {
  const length = p.shortest(goal);
  if (length < 0) return null;
  const memo = new Map<string, boolean>();
  const reaches = (s: [State, State], r: number): boolean => {
    if (r === 0) return goal(s);
    if (!s[0].ids.length) return false;
    const k = `${p.key(s)}@${r}`;
    let v = memo.get(k);
    if (v === undefined) {
      spend(1);
      v = false;
      for (let atom = 0; atom < p.alphabet.length && !v; atom++) v = reaches(p.move(s, atom), r - 1);
      memo.set(k, v);
    }
    return v;
  };
  let state = p.start();
  let out = '';
  let digits = 0;
  for (let k = 0; k < length; k++) {
    const ideal = IDEAL_DIGITS.charCodeAt(digits % IDEAL_DIGITS.length);
    const choices = p.alphabet.map((bytes, atom) => {
      const char = bytes.includes(ideal) ? ideal : bytes.reduce((best, c) => (rankOf(c) < rankOf(best) ? c : best));
      return { atom, char, rank: char === ideal ? -1 : rankOf(char) };
    }).sort((x, y) => x.rank - y.rank);
    const choice = choices.find((ch) => reaches(p.move(state, ch.atom), length - k - 1))!;
    state = p.move(state, choice.atom);
    out += String.fromCharCode(choice.char);
    const isDigit = choice.char >= 0x30 && choice.char <= 0x39;
    // A leading country code 1 (`1NXX…`, `+1NXX…`) does not use up an ideal digit.
    const countryCode = choice.char === 0x31 && digits === 0;
    if (isDigit && !countryCode) digits++;
  }
  return fromBytes(out);
}

export interface FirstMatchEntry {
  /** Extension name (matchName), in the order of the context's sorted list (one per extension). */
  name: string;
  /**
   * True when the lookup always stops at this entry once its name matches: it has the wanted
   * priority and no CID match. Entries with a CID match or without the priority only let the
   * walk go on (`pbx_find_extension` continues), so they never hide later entries.
   */
  covers: boolean;
}

/**
 * For each entry of a context's classic walk order: a shortest dialled string for which it is
 * the FIRST matching entry that stops the walk, or null when it can never be reached that way
 * (every string it matches is matched by an earlier covering entry: "shadowed"). Entries that
 * do not cover (see FirstMatchEntry) get the example for which the walk reaches them.
 * One automaton of all covering names is shared by every check, so a context with thousands
 * of patterns is not compared pairwise. Models the default algorithm only (not the trie).
 */
export function firstMatchExamples(entries: readonly FirstMatchEntry[]): (string | null)[] {
  const covering = entries.map((e, i) => [e, i] as const).filter(([e]) => e.covers);
  let union: Language | undefined;
  // Literals come first in walk order; while no covering pattern has been seen, a literal is
  // hidden only by an earlier covering literal with the same dash-free name: a Map suffices.
  const coveringLiterals = new Set<string>();
  let patternSeen = false;
  return entries.map((entry, i) => {
    const name = toBytes(entry.name);
    if (name.charCodeAt(0) !== 0x5f) {
      const data = name.replace(/-/g, '');
      let hidden: boolean;
      if (!patternSeen) {
        hidden = coveringLiterals.has(data);
      } else {
        union ??= buildLanguage(covering.map(([e]) => e.name), covering.map(([, k]) => k));
        let state = startOf(union);
        for (let k = 0; k < data.length && state.ids.length; k++) state = step(union, state, data.charCodeAt(k));
        hidden = acceptRank(union, state) < i;
      }
      if (entry.covers) coveringLiterals.add(data);
      return hidden ? null : fromBytes(data);
    }
    if (entry.covers) patternSeen = true;
    union ??= buildLanguage(covering.map(([e]) => e.name), covering.map(([, k]) => k));
    const own = languageOf([entry.name]);
    const p = new Product(own, union);
    const u = union;
    return exampleFor(p, (s) => accepts(own, s[0]) && !(acceptRank(u, s[1]) < i));
  });
}

/** Shortest and longest string lengths matched (max Infinity with `.`/`!`; null if empty). */
export function lengthBounds(lang: Language): { min: number; max: number } | null {
  const empty = languageOf([]);
  const p = new Product(lang, empty);
  const alphabet = p.alphabet;
  const memoMax = new Map<number, number>();
  const longest = (s: State): number => {
    if (s.ids.some((id) => id < 0)) return Infinity;
    const k = s.uid;
    const cached = memoMax.get(k);
    if (cached !== undefined) return cached;
    let best = accepts(lang, s) ? 0 : -Infinity;
    if (s.ids.length) {
      for (const bytes of alphabet) {
        const n = step(lang, s, bytes[0]);
        if (n.ids.length) best = Math.max(best, 1 + longest(n));
      }
    }
    memoMax.set(k, best);
    return best;
  };
  const min = p.shortest((s) => accepts(lang, s[0]));
  if (min < 0) return null;
  return { min, max: longest(startOf(lang)) };
}

/** The names of a language for a message: `_NXXNXXXXXX, _1NXXNXXXXXX and 2 more`. */
export function describeLanguage(lang: Language, max = 5): string {
  const names = [...new Set(lang.names)];
  if (!names.length) return '(no extension)';
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
