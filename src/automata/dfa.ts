/**
 * Deterministic finite automata over the dialable alphabet (regex.ts): compiled from `Re`, closed
 * under the Boolean operations, with the questions coverage asks (is it empty, a shortest member,
 * an anchored ECMAScript regex for it).
 *
 * Representation: the alphabet is cut into classes of characters every transition treats alike
 * (`classOf`), and a DFA is complete (a dead state where needed) and minimal, with its start at
 * state 0 and states numbered in breadth-first order — so two equal languages give identical
 * automata over the same classes.
 *
 * Every construction counts the states it makes against a budget and throws `AutomatonBudget`
 * past it; callers turn that into a "not modelled: automaton too large" class, never a guess.
 *
 * Lowest layer: imports nothing but regex.ts.
 */
import { ALPHABET_FIRST, ALPHABET_LAST, ALPHABET_SIZE, CharSet, type Re } from './regex';

const NO_CLASSES = new Uint8Array(0);
const NO_TRANS = new Int32Array(0);
const NO_ACCEPT = new Uint8Array(0);

/** Thrown when a construction would exceed its state budget. */
export class AutomatonBudget extends Error {
  constructor(readonly limit: number) {
    super(`automaton too large (more than ${limit} states)`);
  }
}

/** States one construction may make, unless the caller sets another with `withStateBudget`. */
export const DEFAULT_STATE_BUDGET = 200_000;
let stateBudget = DEFAULT_STATE_BUDGET;

/** Runs `f` with a different state budget (restored afterwards). */
export function withStateBudget<T>(limit: number, f: () => T): T {
  const saved = stateBudget;
  stateBudget = limit;
  try {
    return f();
  } finally {
    stateBudget = saved;
  }
}

export class Dfa {
  private _classOf: Uint8Array;
  private _nClasses: number;
  private _trans: Int32Array;
  private _accept: Uint8Array;
  /** The tables are not built yet (a single string's automaton, made by `Dfa.ofString`). */
  private _lazy: boolean;

  /**
   * @param classOf   alphabet index (code − ALPHABET_FIRST) → class
   * @param nClasses  number of classes
   * @param trans     state·nClasses + class → state (complete)
   * @param accept    1 for accepting states
   */
  constructor(
    classOf: Uint8Array,
    nClasses: number,
    trans: Int32Array,
    accept: Uint8Array,
    /**
     * Set when the language is known to be this one string — or, with `dashed`, the strings that
     * are this one once every `-` is removed (an Asterisk literal extension): fast paths for
     * literal cells.
     */
    readonly single?: string,
    readonly dashed?: boolean,
  ) {
    this._classOf = classOf;
    this._nClasses = nClasses;
    this._trans = trans;
    this._accept = accept;
    this._lazy = false;
  }

  /**
   * The automaton of one string `s` (of the alphabet; with `dashed`, its dashed forms), its
   * tables built on first use: coverage makes one per literal lookup and most are only ever
   * asked through their `single` fast paths, so a cell costs O(|s|), not a table.
   */
  static ofString(s: string, dashed: boolean): Dfa {
    const d = new Dfa(NO_CLASSES, 0, NO_TRANS, NO_ACCEPT, s, dashed || undefined);
    d._lazy = true;
    return d;
  }

  private materialise(): void {
    const built = this.dashed ? buildDashedString(this.single!) : buildSingleString(this.single!);
    this._classOf = built._classOf;
    this._nClasses = built._nClasses;
    this._trans = built._trans;
    this._accept = built._accept;
    this._lazy = false;
  }

  get classOf(): Uint8Array {
    if (this._lazy) this.materialise();
    return this._classOf;
  }

  get nClasses(): number {
    if (this._lazy) this.materialise();
    return this._nClasses;
  }

  get trans(): Int32Array {
    if (this._lazy) this.materialise();
    return this._trans;
  }

  get accept(): Uint8Array {
    if (this._lazy) this.materialise();
    return this._accept;
  }

  get nStates(): number {
    return this.accept.length;
  }

  /** Next state from `state` on character code `code` (−1 outside the alphabet: no string has it). */
  step(state: number, code: number): number {
    if (code < ALPHABET_FIRST || code > ALPHABET_LAST) return -1;
    return this.trans[state * this.nClasses + this.classOf[code - ALPHABET_FIRST]];
  }

  /** The characters of each class. */
  classSets(): CharSet[] {
    const codes: number[][] = Array.from({ length: this.nClasses }, () => []);
    for (let i = 0; i < ALPHABET_SIZE; i++) codes[this.classOf[i]].push(ALPHABET_FIRST + i);
    return codes.map((cs) => CharSet.of(String.fromCharCode(...cs)));
  }
}

// ---------------------------------------------------------------------------------------------
// NFA (Thompson) and subset construction

/** An ε-NFA under construction: edges on character sets, and ε edges. */
class Nfa {
  eps: number[][] = [];
  edges: { set: CharSet; to: number }[][] = [];
  addState(): number {
    this.eps.push([]);
    this.edges.push([]);
    return this.eps.length - 1;
  }
}

type Part = Re | Dfa;

/** Adds `part` between two new states; returns [start, end]. */
function fragment(nfa: Nfa, part: Part): [number, number] {
  if (part instanceof Dfa) return dfaFragment(nfa, part);
  const s = nfa.addState();
  const e = nfa.addState();
  if (nfa.eps.length > stateBudget * 4) throw new AutomatonBudget(stateBudget);
  switch (part.t) {
    case 'none':
      break;
    case 'eps':
      nfa.eps[s].push(e);
      break;
    case 'chars':
      nfa.edges[s].push({ set: part.set, to: e });
      break;
    case 'cat': {
      let prev = s;
      for (const item of part.items) {
        const [a, b] = fragment(nfa, item);
        nfa.eps[prev].push(a);
        prev = b;
      }
      nfa.eps[prev].push(e);
      break;
    }
    case 'alt':
      for (const item of part.alts) {
        const [a, b] = fragment(nfa, item);
        nfa.eps[s].push(a);
        nfa.eps[b].push(e);
      }
      break;
    case 'star': {
      const [a, b] = fragment(nfa, part.node);
      nfa.eps[s].push(a, e);
      nfa.eps[b].push(a, e);
      break;
    }
  }
  return [s, e];
}

function dfaFragment(nfa: Nfa, d: Dfa): [number, number] {
  const s = nfa.addState();
  const e = nfa.addState();
  const base = nfa.eps.length;
  for (let q = 0; q < d.nStates; q++) nfa.addState();
  if (nfa.eps.length > stateBudget * 4) throw new AutomatonBudget(stateBudget);
  const sets = d.classSets();
  const dead = deadStates(d);
  nfa.eps[s].push(base);
  for (let q = 0; q < d.nStates; q++) {
    if (d.accept[q]) nfa.eps[base + q].push(e);
    if (dead[q]) continue;
    // One edge per target state (union of the classes leading there).
    const byTarget = new Map<number, CharSet>();
    for (let c = 0; c < d.nClasses; c++) {
      const t = d.trans[q * d.nClasses + c];
      if (dead[t]) continue;
      const prev = byTarget.get(t);
      byTarget.set(t, prev ? prev.union(sets[c]) : sets[c]);
    }
    for (const [t, set] of byTarget) nfa.edges[base + q].push({ set, to: base + t });
  }
  return [s, e];
}

/** Cuts the alphabet into classes no set of `sets` splits. */
function partitionAlphabet(sets: Iterable<CharSet>): { classOf: Uint8Array; nClasses: number } {
  let classOf = new Uint8Array(ALPHABET_SIZE);
  let n = 1;
  const seen = new Set<string>();
  for (const set of sets) {
    const key = set.key();
    if (seen.has(key)) continue;
    seen.add(key);
    const remap = new Map<number, number>();
    const next = new Uint8Array(ALPHABET_SIZE);
    for (let i = 0; i < ALPHABET_SIZE; i++) {
      const k = classOf[i] * 2 + (set.has(ALPHABET_FIRST + i) ? 1 : 0);
      let id = remap.get(k);
      if (id === undefined) { id = remap.size; remap.set(k, id); }
      next[i] = id;
    }
    classOf = next;
    n = remap.size;
    if (n >= ALPHABET_SIZE) break;
  }
  return { classOf, nClasses: n };
}

function representatives(classOf: Uint8Array, nClasses: number): number[] {
  const reps = new Array<number>(nClasses).fill(-1);
  for (let i = 0; i < ALPHABET_SIZE; i++) if (reps[classOf[i]] < 0) reps[classOf[i]] = ALPHABET_FIRST + i;
  return reps;
}

/** Subset construction from `start` to `end` of `nfa`, then minimisation. */
function determinise(nfa: Nfa, start: number, end: number): Dfa {
  const allSets: CharSet[] = [];
  for (const es of nfa.edges) for (const e of es) allSets.push(e.set);
  const { classOf, nClasses } = partitionAlphabet(allSets);
  const reps = representatives(classOf, nClasses);
  const n = nfa.eps.length;
  const mark = new Int32Array(n).fill(-1);
  let generation = 0;
  const closure = (seeds: number[]): number[] => {
    generation++;
    const out: number[] = [];
    const stack = [...seeds];
    while (stack.length) {
      const q = stack.pop()!;
      if (mark[q] === generation) continue;
      mark[q] = generation;
      out.push(q);
      for (const r of nfa.eps[q]) if (mark[r] !== generation) stack.push(r);
    }
    // Only states with character edges (and the end) tell subsets apart.
    return out.filter((q) => q === end || nfa.edges[q].length > 0).sort((a, b) => a - b);
  };
  const ids = new Map<string, number>();
  const sets: number[][] = [];
  const trans: number[] = [];
  const accept: number[] = [];
  const intern = (set: number[]): number => {
    const key = set.join(',');
    let id = ids.get(key);
    if (id === undefined) {
      id = sets.length;
      if (id >= stateBudget) throw new AutomatonBudget(stateBudget);
      ids.set(key, id);
      sets.push(set);
      accept.push(set.includes(end) ? 1 : 0);
    }
    return id;
  };
  intern(closure([start]));
  for (let d = 0; d < sets.length; d++) {
    const set = sets[d];
    for (let c = 0; c < nClasses; c++) {
      const rep = reps[c];
      const seeds: number[] = [];
      for (const q of set) for (const e of nfa.edges[q]) if (e.set.has(rep)) seeds.push(e.to);
      trans[d * nClasses + c] = intern(closure(seeds));
    }
  }
  return minimise(classOf, nClasses, Int32Array.from(trans), Uint8Array.from(accept));
}

// ---------------------------------------------------------------------------------------------
// Minimisation and canonical numbering

/**
 * Moore's partition refinement, then the classes with identical columns are merged and the
 * states renumbered breadth-first from the start (state 0 of the input).
 */
function minimise(classOf: Uint8Array, nClasses: number, trans: Int32Array, accept: Uint8Array): Dfa {
  const n = accept.length;
  let block = new Int32Array(n);
  let hasAccept = false;
  let hasReject = false;
  for (let q = 0; q < n; q++) {
    if (accept[q]) hasAccept = true;
    else hasReject = true;
  }
  let count = (hasAccept ? 1 : 0) + (hasReject ? 1 : 0);
  for (let q = 0; q < n; q++) block[q] = accept[q] && hasReject ? 1 : 0;
  // A state's signature is its block and the blocks its transitions go to; the states with equal
  // signatures form the next round's blocks, numbered in order of first appearance. Signatures are
  // found by a hash of their numbers and compared number by number with the first state of the
  // same hash (a string key per state and round cost most of every product's time).
  for (;;) {
    const firstOfHash = new Map<number, number | number[]>();
    const repOf: number[] = [];
    const next = new Int32Array(n);
    const same = (q: number, r: number): boolean => {
      if (block[q] !== block[r]) return false;
      for (let c = 0; c < nClasses; c++) if (block[trans[q * nClasses + c]] !== block[trans[r * nClasses + c]]) return false;
      return true;
    };
    for (let q = 0; q < n; q++) {
      let h = Math.imul(block[q] ^ 0x9e3779b9, 0x01000193);
      for (let c = 0; c < nClasses; c++) h = Math.imul(h ^ block[trans[q * nClasses + c]], 0x01000193);
      h &= 0x3fffffff;
      const ids = firstOfHash.get(h);
      let id = -1;
      if (ids === undefined) {
        id = repOf.length;
        repOf.push(q);
        firstOfHash.set(h, id);
      } else {
        const list = typeof ids === 'number' ? [ids] : ids;
        for (const candidate of list) if (same(q, repOf[candidate])) { id = candidate; break; }
        if (id < 0) {
          id = repOf.length;
          repOf.push(q);
          if (typeof ids === 'number') firstOfHash.set(h, [ids, id]);
          else ids.push(id);
        }
      }
      next[q] = id;
    }
    const changed = repOf.length !== count;
    block = next;
    count = repOf.length;
    if (!changed) break;
  }
  return quotient(classOf, nClasses, trans, accept, block, count);
}

/** The automaton of the blocks (`block[q]` of each state, `count` of them), canonical: see minimise. */
function quotient(classOf: Uint8Array, nClasses: number, trans: Int32Array, accept: Uint8Array, block: Int32Array, count: number, columnsDistinct = false): Dfa {
  const n = accept.length;
  // Quotient, numbered breadth-first from the start's block.
  const order = new Int32Array(count).fill(-1);
  const rep = new Int32Array(count).fill(-1);
  for (let q = n - 1; q >= 0; q--) rep[block[q]] = q;
  const queue: number[] = [block[0]];
  order[block[0]] = 0;
  for (let h = 0; h < queue.length; h++) {
    const q = rep[queue[h]];
    for (let c = 0; c < nClasses; c++) {
      const b = block[trans[q * nClasses + c]];
      if (order[b] < 0) { order[b] = queue.length; queue.push(b); }
    }
  }
  const m = queue.length;
  // Merge classes whose columns are equal (after quotienting).
  // Columns are found by a hash of their numbers and compared with the kept columns of the same
  // hash (as minimise's signatures; a string per column cost more than the rest of the quotient).
  const colIds = new Map<number, number | number[]>();
  const keptColumns: Int32Array[] = [];
  const classMap = new Int32Array(nClasses);
  const keptClasses: number[] = [];
  for (let c = 0; c < nClasses; c++) {
    if (columnsDistinct) { classMap[c] = c; keptClasses.push(c); continue; }
    const col = new Int32Array(m);
    let hash = 0x811c9dc5;
    for (let h = 0; h < m; h++) {
      col[h] = order[block[trans[rep[queue[h]] * nClasses + c]]];
      hash = Math.imul(hash ^ col[h], 0x01000193);
    }
    hash &= 0x3fffffff;
    const ids = colIds.get(hash);
    let id = -1;
    if (ids !== undefined) {
      for (const k of typeof ids === 'number' ? [ids] : ids) if (equalColumns(keptColumns[k], col)) { id = k; break; }
    }
    if (id < 0) {
      id = keptColumns.length;
      keptColumns.push(col);
      keptClasses.push(c);
      if (ids === undefined) colIds.set(hash, id);
      else if (typeof ids === 'number') colIds.set(hash, [ids, id]);
      else ids.push(id);
    }
    classMap[c] = id;
  }
  // Renumber classes by their first character, so equal languages give identical automata.
  const newClassOf = new Uint8Array(ALPHABET_SIZE);
  const firstSeen = new Int32Array(keptClasses.length).fill(-1);
  let nc = 0;
  for (let i = 0; i < ALPHABET_SIZE; i++) {
    const merged = classMap[classOf[i]];
    if (firstSeen[merged] < 0) firstSeen[merged] = nc++;
    newClassOf[i] = firstSeen[merged];
  }
  const oldOfNew = new Int32Array(nc);
  for (let k = 0; k < keptClasses.length; k++) oldOfNew[firstSeen[k]] = keptClasses[k];
  const outTrans = new Int32Array(m * nc);
  const outAccept = new Uint8Array(m);
  for (let h = 0; h < m; h++) {
    const q = rep[queue[h]];
    outAccept[h] = accept[q];
    for (let c = 0; c < nc; c++) outTrans[h * nc + c] = order[block[trans[q * nClasses + oldOfNew[c]]]];
  }
  return new Dfa(newClassOf, nc, outTrans, outAccept);
}

function equalColumns(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** States from which no accepting state is reachable. */
function deadStates(d: Dfa): Uint8Array {
  const n = d.nStates;
  const k = d.nClasses;
  const preds: number[][] = Array.from({ length: n }, () => []);
  for (let q = 0; q < n; q++) for (let c = 0; c < k; c++) preds[d.trans[q * k + c]].push(q);
  const live = new Uint8Array(n);
  const stack: number[] = [];
  for (let q = 0; q < n; q++) if (d.accept[q]) { live[q] = 1; stack.push(q); }
  while (stack.length) {
    const q = stack.pop()!;
    for (const p of preds[q]) if (!live[p]) { live[p] = 1; stack.push(p); }
  }
  return live.map((l) => 1 - l);
}

// ---------------------------------------------------------------------------------------------
// Constructions

/** The minimal DFA of `re`. */
export function compile(re: Re): Dfa {
  return concatAll([re]);
}

/** The DFA of the concatenation of the parts (each an `Re` or a `Dfa`). */
export function concatAll(parts: readonly Part[]): Dfa {
  const nfa = new Nfa();
  const s = nfa.addState();
  let prev = s;
  for (const p of parts) {
    const [a, b] = fragment(nfa, p);
    nfa.eps[prev].push(a);
    prev = b;
  }
  return determinise(nfa, s, prev);
}

/** `a*`. */
export function starOf(a: Dfa): Dfa {
  const nfa = new Nfa();
  const s = nfa.addState();
  const e = nfa.addState();
  const [x, y] = fragment(nfa, a);
  nfa.eps[s].push(x, e);
  nfa.eps[y].push(x, e);
  return determinise(nfa, s, e);
}

/** The finite language `strings` (minimal, built from them directly, minimalAcyclic): cheap for tens of thousands of literals. */
export function fromStrings(strings: Iterable<string>): Dfa {
  if (Array.isArray(strings) && strings.length === 1) return singleString(strings[0] as string);
  return minimalAcyclic(strings);
}

/**
 * Languages known to be closed under inserting and deleting `-` anywhere (Asterisk's matcher
 * skips dashes in the dialled string): the Boolean operations keep the property, and a dashed
 * single string meets such a language exactly when its dash-free form is in it.
 */
const dashInvariants = new WeakSet<Dfa>();
export function markDashInvariant(d: Dfa): Dfa {
  dashInvariants.add(d);
  return d;
}
export function isDashInvariant(d: Dfa): boolean {
  return d.dashed === true || dashInvariants.has(d) || d.nStates === 1;
}

const DASH = 0x2d;

/** The strings that are a member once every `-` is removed: `-` loops on every state. */
export function dashClosure(d: Dfa): Dfa {
  if (isDashInvariant(d)) return d;
  // Give `-` its own class, looping everywhere.
  const classOf = Uint8Array.from(d.classOf);
  const dashIndex = DASH - ALPHABET_FIRST;
  const nc = d.nClasses + 1;
  const old = d.classOf[dashIndex];
  classOf[dashIndex] = d.nClasses;
  const trans = new Int32Array(d.nStates * nc);
  for (let q = 0; q < d.nStates; q++) {
    for (let c = 0; c < d.nClasses; c++) trans[q * nc + c] = d.trans[q * d.nClasses + c];
    trans[q * nc + d.nClasses] = q;
  }
  void old;
  return markDashInvariant(minimise(classOf, nc, trans, d.accept));
}

/** {y : y without its dashes is s} for a dash-free `s` (an Asterisk literal extension's E_MATCH language). */
export function dashedString(s: string): Dfa {
  let d = recentDashed.get(s);
  if (d === undefined) {
    d = inAlphabet(s) ? Dfa.ofString(s, true) : EMPTY;
    if (recentDashed.size >= 64) recentDashed.clear();
    recentDashed.set(s, d);
  }
  return d;
}

/** The last few strings' automata: one coverage run asks for the same string's several times in a row. */
const recentDashed = new Map<string, Dfa>();
const recentSingles = new Map<string, Dfa>();

function buildDashedString(s: string): Dfa {
  const plain = singleString(s);
  if (isEmpty(plain)) return plain;
  // `-` loops on every state of the chain (s itself has none: it is dash-free); still minimal.
  const classOf = Uint8Array.from(plain.classOf);
  const nc = plain.nClasses + 1;
  classOf[DASH - ALPHABET_FIRST] = plain.nClasses;
  const n = plain.nStates;
  const trans = new Int32Array(n * nc);
  for (let q = 0; q < n; q++) {
    for (let c = 0; c < plain.nClasses; c++) trans[q * nc + c] = plain.trans[q * plain.nClasses + c];
    trans[q * nc + plain.nClasses] = q;
  }
  const d = quotient(classOf, nc, trans, plain.accept, Int32Array.from({ length: n }, (_, i) => i), n, true);
  return new Dfa(d.classOf, d.nClasses, d.trans, d.accept, s, true);
}

function inAlphabet(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < ALPHABET_FIRST || c > ALPHABET_LAST) return false;
  }
  return true;
}

/**
 * The language {s}: a chain (built on first use, see Dfa.ofString; no minimisation needed),
 * marked `single`.
 */
export function singleString(s: string): Dfa {
  let d = recentSingles.get(s);
  if (d === undefined) {
    d = inAlphabet(s) ? Dfa.ofString(s, false) : EMPTY;
    if (recentSingles.size >= 64) recentSingles.clear();
    recentSingles.set(s, d);
  }
  return d;
}

const soleMembers = new WeakMap<Dfa, string | null>();
/**
 * The language's only string, when it has exactly one (undefined otherwise): a literal test's
 * cell (FreeSWITCH's `^2025550100$`) is its one string, though not built as a single string.
 * Kept per automaton.
 */
export function soleMember(a: Dfa): string | undefined {
  if (a.single !== undefined) return a.dashed ? undefined : a.single;
  let s = soleMembers.get(a);
  if (s === undefined) soleMembers.set(a, (s = countMembers(a, 2) === 1 ? shortestExample(a) : null));
  return s ?? undefined;
}

/**
 * singleString without its cache of recent strings, for a caller making the automata of many
 * different strings once each (coverage's 150,000 one-string cells).
 */
export function stringLanguage(s: string): Dfa {
  return inAlphabet(s) ? Dfa.ofString(s, false) : EMPTY;
}

function buildSingleString(s: string): Dfa {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < ALPHABET_FIRST || c > ALPHABET_LAST) return EMPTY;
  }
  // Classes: each distinct character of s, then the rest (numbered by first character, as minimise does).
  const classOf = new Uint8Array(ALPHABET_SIZE).fill(255);
  const used = new Set<number>();
  for (let i = 0; i < s.length; i++) used.add(s.charCodeAt(i));
  let nc = 0;
  let restClass = -1;
  for (let i = 0; i < ALPHABET_SIZE; i++) {
    if (used.has(ALPHABET_FIRST + i)) classOf[i] = nc++;
    else {
      if (restClass < 0) restClass = nc++;
      classOf[i] = restClass;
    }
  }
  const n = s.length;
  const k = nc;
  const trans = new Int32Array((n + 2) * k).fill(n + 1);
  const accept = new Uint8Array(n + 2);
  for (let i = 0; i < n; i++) trans[i * k + classOf[s.charCodeAt(i) - ALPHABET_FIRST]] = i + 1;
  accept[n] = 1;
  // A chain and its dead state are minimal already: only the canonical numbering is needed.
  // Its classes (each character of s, the rest) give distinct columns.
  const m = quotient(classOf, k, trans, accept, Int32Array.from({ length: n + 2 }, (_, i) => i), n + 2, true);
  return new Dfa(m.classOf, m.nClasses, m.trans, m.accept, s);
}

/**
 * The minimal DFA of a finite set of strings, built directly from the sorted strings
 * (incremental construction of minimal acyclic automata, Daciuk, Mihov, Watson & Watson,
 * Computational Linguistics 26(1), 2000): each state below the path of the last string added is
 * final, so it is merged with an equivalent registered state (same acceptance, same children) or
 * registered itself. No trie of all the strings, no partition refinement: time and memory grow
 * with the minimal automaton, which for runs of numbers (DIDs) is tiny.
 */
function minimalAcyclic(strings: Iterable<string>): Dfa {
  const list: string[] = [];
  const used = new Uint8Array(ALPHABET_SIZE);
  let sorted = true;
  for (const s of strings) {
    let ok = true;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < ALPHABET_FIRST || c > ALPHABET_LAST) { ok = false; break; }
      used[c - ALPHABET_FIRST] = 1;
    }
    if (!ok) continue;
    if (sorted && list.length && list[list.length - 1] > s) sorted = false;
    list.push(s);
  }
  if (list.length === 0) return EMPTY;
  if (list.length === 1) return singleString(list[0]);
  // Code-unit order (the default sort's): a string comes after all its prefixes, so a state left
  // behind is never extended again.
  if (!sorted) list.sort();
  // Classes: the rest of the alphabet (0), then one per character used.
  const classOf = new Uint8Array(ALPHABET_SIZE);
  let k = 1;
  for (let i = 0; i < ALPHABET_SIZE; i++) if (used[i]) classOf[i] = k++;
  // State rows (−1: no edge); freed states (merged into a registered one) are reused.
  let trans = new Int32Array(64 * k).fill(-1);
  let accept = new Uint8Array(64);
  let size = 0;
  const free: number[] = [];
  const newState = (): number => {
    if (free.length) return free.pop()!;
    if (size >= stateBudget) throw new AutomatonBudget(stateBudget);
    if (size === accept.length) {
      const t = new Int32Array(trans.length * 2).fill(-1);
      t.set(trans);
      trans = t;
      const a = new Uint8Array(accept.length * 2);
      a.set(accept);
      accept = a;
    }
    return size++;
  };
  // The register of settled states, by a hash of their row (acceptance and every transition):
  // the states with a hash, one or a list, compared row by row (a key text per state cost most
  // of building a 50,000-DID automaton). A settled state's row never changes again.
  const register = new Map<number, number | number[]>();
  const sameRow = (a: number, b: number): boolean => {
    if (accept[a] !== accept[b]) return false;
    for (let c = 0, ao = a * k, bo = b * k; c < k; c++) if (trans[ao + c] !== trans[bo + c]) return false;
    return true;
  };
  /** The registered state with q's row, else registers q and answers undefined. */
  const registered = (q: number): number | undefined => {
    let h = accept[q] ? 0x2545f491 : 0x811c9dc5;
    for (let c = 0, o = q * k; c < k; c++) h = Math.imul(h ^ (trans[o + c] + 2), 0x01000193);
    h &= 0x3fffffff;
    const hit = register.get(h);
    if (hit === undefined) register.set(h, q);
    else if (typeof hit === 'number') {
      if (sameRow(hit, q)) return hit;
      register.set(h, [hit, q]);
    } else {
      for (const r of hit) if (sameRow(r, q)) return r;
      hit.push(q);
    }
    return undefined;
  };
  const root = newState();
  // path[i]: the state after the first i characters of `prev` (entries past prev.length are stale).
  const path: number[] = [root];
  let prev = '';
  // Registers (or merges) the states of prev's path deeper than `depth`, deepest first.
  const settle = (depth: number) => {
    for (let i = prev.length; i > depth; i--) {
      const q = path[i];
      const same = registered(q);
      if (same === undefined) continue;
      trans[path[i - 1] * k + classOf[prev.charCodeAt(i - 1) - ALPHABET_FIRST]] = same;
      trans.fill(-1, q * k, q * k + k);
      accept[q] = 0;
      free.push(q);
    }
  };
  for (const s of list) {
    // (A repeated string shares its whole path with the previous one: nothing to add.)
    let common = 0;
    while (common < s.length && common < prev.length && s.charCodeAt(common) === prev.charCodeAt(common)) common++;
    settle(common);
    for (let i = common; i < s.length; i++) {
      const q = newState();
      trans[path[i] * k + classOf[s.charCodeAt(i) - ALPHABET_FIRST]] = q;
      path[i + 1] = q;
    }
    accept[path[s.length]] = 1;
    prev = s;
  }
  settle(0);
  // Complete it with a dead state (no live state equals it: every state reaches acceptance, and
  // the start differs from every other state, the language being finite), then number it
  // canonically; minimal already.
  const dead = size;
  const n = size + 1;
  const full = new Int32Array(n * k);
  for (let i = 0; i < size * k; i++) full[i] = trans[i] < 0 ? dead : trans[i];
  full.fill(dead, size * k);
  const acc = new Uint8Array(n);
  acc.set(accept.subarray(0, size));
  // Freed states are unreachable: quotient keeps only what the start reaches.
  return quotient(classOf, k, full, acc, Int32Array.from({ length: n }, (_, i) => i), n);
}

/** The product of `a` and `b`, accepting where `op` says. */
function product(a: Dfa, b: Dfa, op: (x: boolean, y: boolean) => boolean): Dfa {
  const remap = new Map<number, number>();
  const classOf = new Uint8Array(ALPHABET_SIZE);
  const pairA: number[] = [];
  const pairB: number[] = [];
  for (let i = 0; i < ALPHABET_SIZE; i++) {
    const k = a.classOf[i] * 256 + b.classOf[i];
    let id = remap.get(k);
    if (id === undefined) { id = remap.size; remap.set(k, id); pairA.push(a.classOf[i]); pairB.push(b.classOf[i]); }
    classOf[i] = id;
  }
  const nClasses = remap.size;
  const ids = new Map<number, number>();
  const qa: number[] = [];
  const qb: number[] = [];
  const trans: number[] = [];
  const accept: number[] = [];
  const nb = b.nStates;
  // Pairs where one side alone decides (a sink of one automaton) are one state: intersecting a
  // single string with a large automaton then costs the string's length, not the automaton's size.
  const sa = sinksOf(a);
  const sb = sinksOf(b);
  const SINK_KEY_FALSE = -1;
  const SINK_KEY_TRUE = -2;
  const sinkKey = (v: boolean) => (v ? SINK_KEY_TRUE : SINK_KEY_FALSE);
  // -3: not decided by this side alone.
  const byA = (x: number): number => (x === sa.dead && op(false, true) === op(false, false) ? sinkKey(op(false, false)) : x === sa.full && op(true, true) === op(true, false) ? sinkKey(op(true, false)) : -3);
  const byB = (y: number): number => (y === sb.dead && op(true, false) === op(false, false) ? sinkKey(op(false, false)) : y === sb.full && op(true, true) === op(false, true) ? sinkKey(op(false, true)) : -3);
  const intern = (x: number, y: number): number => {
    let key = byA(x);
    if (key === -3) key = byB(y);
    if (key === -3) key = x * nb + y;
    let id = ids.get(key);
    if (id === undefined) {
      id = qa.length;
      if (id >= stateBudget) throw new AutomatonBudget(stateBudget);
      ids.set(key, id);
      qa.push(x);
      qb.push(y);
      accept.push(op(a.accept[x] === 1, b.accept[y] === 1) ? 1 : 0);
    }
    return id;
  };
  intern(0, 0);
  for (let d = 0; d < qa.length; d++) {
    const x = qa[d];
    const y = qb[d];
    for (let c = 0; c < nClasses; c++) trans[d * nClasses + c] = intern(a.trans[x * a.nClasses + pairA[c]], b.trans[y * b.nClasses + pairB[c]]);
  }
  return minimise(classOf, nClasses, Int32Array.from(trans), Uint8Array.from(accept));
}

const sinkCache = new WeakMap<Dfa, { dead: number; full: number }>();

/** The rejecting and the accepting state whose every transition loops to itself (−1 if none): a minimal DFA has at most one of each. */
function sinksOf(d: Dfa): { dead: number; full: number } {
  let hit = sinkCache.get(d);
  if (hit) return hit;
  hit = { dead: -1, full: -1 };
  const k = d.nClasses;
  for (let q = 0; q < d.nStates; q++) {
    let loops = true;
    for (let c = 0; c < k && loops; c++) if (d.trans[q * k + c] !== q) loops = false;
    if (loops) { if (d.accept[q]) hit.full = q; else hit.dead = q; }
  }
  sinkCache.set(d, hit);
  return hit;
}

export function union(a: Dfa, b: Dfa): Dfa {
  if (isEmpty(a)) return b;
  if (isEmpty(b)) return a;
  const u = product(a, b, (x, y) => x || y);
  return isDashInvariant(a) && isDashInvariant(b) ? markDashInvariant(u) : u;
}

export function intersect(a: Dfa, b: Dfa): Dfa {
  if (isEmpty(a)) return a;
  if (isEmpty(b)) return b;
  if (a.single !== undefined && (!a.dashed || isDashInvariant(b))) return accepts(b, a.single) ? a : EMPTY;
  if (b.single !== undefined && (!b.dashed || isDashInvariant(a))) return accepts(a, b.single) ? b : EMPTY;
  if (isUniverse(b)) return a;
  if (isUniverse(a)) return b;
  if (isDashInvariant(a) && isDashInvariant(b)) return markDashInvariant(product(a, b, (x, y) => x && y));
  return product(a, b, (x, y) => x && y);
}

/**
 * The intersection of many automata as one product over all of them, minimised once: a coverage
 * path condition is the intersection of every cell a simulation reported (FreeSWITCH's vanilla
 * dialplan: ~45 per call), and folding them pairwise minimised 44 intermediate products. The
 * result is the same canonical automaton as the fold's. A product too large for the state budget
 * (intermediate minimisation can keep the fold smaller) falls back to the fold.
 */
export function intersectAll(list: readonly Dfa[]): Dfa {
  const parts: Dfa[] = [];
  for (const d of list) {
    if (isEmpty(d)) return d;
    if (!isUniverse(d) && !parts.includes(d)) parts.push(d);
  }
  if (parts.length === 0) return list.length ? list[0] : UNIVERSE;
  if (parts.length <= 2) return parts.length === 1 ? parts[0] : intersect(parts[0], parts[1]);
  const allDashInvariant = parts.every(isDashInvariant);
  for (const d of parts) {
    // One string: a member of all the others or nothing (as intersect's fast path).
    if (d.single !== undefined && (!d.dashed || allDashInvariant)) return parts.every((o) => o === d || accepts(o, d.single!)) ? d : EMPTY;
  }
  if (parts.length > WIDEST_PRODUCT) {
    // A product state is a tuple of one state per part: 2,000 parts (a number that failed 2,000
    // literal conditions) make tuples too wide to key. Products of at most WIDEST_PRODUCT parts,
    // each minimised, then the product of those.
    const products: Dfa[] = [];
    for (let i = 0; i < parts.length; i += WIDEST_PRODUCT) products.push(intersectAll(parts.slice(i, i + WIDEST_PRODUCT)));
    return intersectAll(products);
  }
  try {
    const p = productAll(parts);
    return allDashInvariant ? markDashInvariant(p) : p;
  } catch (e) {
    if (!(e instanceof AutomatonBudget)) throw e;
    return parts.reduce((a, b) => intersect(a, b));
  }
}

/** The most automata intersectAll makes one product of (see there). */
const WIDEST_PRODUCT = 32;

function productAll(parts: readonly Dfa[]): Dfa {
  const n = parts.length;
  // The alphabet: characters alike in every automaton are one class.
  const classIds = new Map<string, number>();
  const classOf = new Uint8Array(ALPHABET_SIZE);
  const columns: number[][] = [];
  for (let i = 0; i < ALPHABET_SIZE; i++) {
    const cols = parts.map((d) => d.classOf[i]);
    const key = cols.join(',');
    let id = classIds.get(key);
    if (id === undefined) {
      id = columns.length;
      classIds.set(key, id);
      columns.push(cols);
    }
    classOf[i] = id;
  }
  const k = columns.length;
  const dead = parts.map((d) => sinksOf(d).dead);
  let tuples = new Int32Array(n * 64);
  let count = 0;
  const byHash = new Map<number, number | number[]>();
  const trans: number[] = [];
  const accept: number[] = [];
  const tuple = new Int32Array(n);
  const sameAt = (id: number): boolean => {
    for (let j = 0; j < n; j++) if (tuples[id * n + j] !== tuple[j]) return false;
    return true;
  };
  const add = (): number => {
    if (count >= stateBudget) throw new AutomatonBudget(stateBudget);
    if ((count + 1) * n > tuples.length) {
      const grown = new Int32Array(tuples.length * 2);
      grown.set(tuples);
      tuples = grown;
    }
    tuples.set(tuple, count * n);
    let acc = 1;
    for (let j = 0; j < n && acc; j++) if (!parts[j].accept[tuple[j]]) acc = 0;
    accept.push(acc);
    return count++;
  };
  const hashOfTuple = (): number => {
    let h = 0x811c9dc5;
    for (let j = 0; j < n; j++) h = Math.imul(h ^ tuple[j], 0x01000193);
    return h & 0x3fffffff;
  };
  /** The id of `tuple` (made when new); DEAD when some automaton is in its dead state. */
  const intern = (): number => {
    for (let j = 0; j < n; j++) if (tuple[j] === dead[j]) return DEAD;
    const h = hashOfTuple();
    const ids = byHash.get(h);
    if (ids !== undefined) {
      if (typeof ids === 'number') {
        if (sameAt(ids)) return ids;
      } else {
        for (const id of ids) if (sameAt(id)) return id;
      }
    }
    const id = add();
    if (ids === undefined) byHash.set(h, id);
    else if (typeof ids === 'number') byHash.set(h, [ids, id]);
    else ids.push(id);
    return id;
  };
  // State 0: the start tuple. State 1 (DEAD): every tuple where some automaton is in its dead
  // state, one state that loops to itself and rejects (its tuple is not looked up).
  const DEAD = 1;
  tuple.fill(0);
  byHash.set(hashOfTuple(), add());
  add();
  accept[DEAD] = 0;
  for (let q = 0; q < count; q++) {
    for (let c = 0; c < k; c++) {
      if (q === DEAD) {
        trans[q * k + c] = DEAD;
        continue;
      }
      const col = columns[c];
      for (let j = 0; j < n; j++) tuple[j] = parts[j].trans[tuples[q * n + j] * parts[j].nClasses + col[j]];
      trans[q * k + c] = intern();
    }
  }
  return minimise(classOf, k, Int32Array.from(trans), Uint8Array.from(accept));
}

/** a \ b */
export function difference(a: Dfa, b: Dfa): Dfa {
  if (isEmpty(a) || isEmpty(b)) return a;
  if (a.single !== undefined && (!a.dashed || isDashInvariant(b))) return accepts(b, a.single) ? EMPTY : a;
  if (isDashInvariant(a) && isDashInvariant(b)) return markDashInvariant(product(a, b, (x, y) => x && !y));
  return product(a, b, (x, y) => x && !y);
}

/** Σ* \ a (kept per automaton: simulators under coverage ask for the same complements on every run). */
export function complement(a: Dfa): Dfa {
  let c = complements.get(a);
  if (c === undefined) {
    c = new Dfa(a.classOf, a.nClasses, a.trans, a.accept.map((x) => 1 - x));
    if (isDashInvariant(a)) markDashInvariant(c);
    complements.set(a, c);
    complements.set(c, a);
  }
  return c;
}
const complements = new WeakMap<Dfa, Dfa>();

/** The union of many automata, pairwise in a balanced tree (cheaper than a left fold). */
export function unionAll(list: readonly Dfa[]): Dfa {
  if (list.length === 0) return EMPTY;
  let level = [...list];
  while (level.length > 1) {
    const next: Dfa[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? union(level[i], level[i + 1]) : level[i]);
    level = next;
  }
  return level[0];
}

/** The empty language. */
export const EMPTY: Dfa = new Dfa(new Uint8Array(ALPHABET_SIZE), 1, Int32Array.of(0), Uint8Array.of(0));
/** Σ*, every string. */
export const UNIVERSE: Dfa = new Dfa(new Uint8Array(ALPHABET_SIZE), 1, Int32Array.of(0), Uint8Array.of(1));

export function isEmpty(a: Dfa): boolean {
  if (a.single !== undefined) return false;
  // Minimal: the empty language is the one-state automaton that rejects.
  for (let q = 0; q < a.nStates; q++) if (a.accept[q]) return false;
  return true;
}

export function isUniverse(a: Dfa): boolean {
  if (a.single !== undefined) return false;
  for (let q = 0; q < a.nStates; q++) if (!a.accept[q]) return false;
  return true;
}

export function equals(a: Dfa, b: Dfa): boolean {
  if (a === b) return true;
  if (a.nStates !== b.nStates || a.nClasses !== b.nClasses) return false;
  for (let i = 0; i < ALPHABET_SIZE; i++) if (a.classOf[i] !== b.classOf[i]) return false;
  for (let q = 0; q < a.nStates; q++) if (a.accept[q] !== b.accept[q]) return false;
  for (let i = 0; i < a.trans.length; i++) if (a.trans[i] !== b.trans[i]) return false;
  return true;
}

/** a ⊆ b */
export function isSubsetOf(a: Dfa, b: Dfa): boolean {
  return isEmpty(difference(a, b));
}

export function accepts(a: Dfa, s: string): boolean {
  if (a.single !== undefined && !a.dashed) return s === a.single;
  // (The tables read once: coverage asks this millions of times.)
  const classOf = a.classOf;
  const trans = a.trans;
  const k = a.nClasses;
  let q = 0;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code < ALPHABET_FIRST || code > ALPHABET_LAST) return false;
    q = trans[q * k + classOf[code - ALPHABET_FIRST]];
  }
  return a.accept[q] === 1;
}

/**
 * Strings that are a prefix of a member (members included): for E_CANMATCH. With `proper`, only
 * strings that a member strictly extends (E_MATCHMORE: "more digits could still match").
 */
export function prefixClosure(a: Dfa, proper = false): Dfa {
  const dead = deadStates(a);
  const k = a.nClasses;
  const accept = new Uint8Array(a.nStates);
  for (let q = 0; q < a.nStates; q++) {
    if (dead[q]) continue;
    if (!proper) { accept[q] = 1; continue; }
    for (let c = 0; c < k; c++) if (!dead[a.trans[q * k + c]]) { accept[q] = 1; break; }
  }
  return minimise(a.classOf, a.nClasses, a.trans, accept);
}

// ---------------------------------------------------------------------------------------------
// Substrings pulled back (the dialled string seen through ${EXTEN:offset:length})

/** Strings of length exactly n (n ≥ 0). */
function anyOfLength(n: number): Re {
  const items: Re[] = [];
  for (let i = 0; i < n; i++) items.push({ t: 'chars', set: CharSet.ANY });
  return items.length === 0 ? { t: 'eps' } : items.length === 1 ? items[0] : { t: 'cat', items };
}

/** Strings shorter than n. */
function shorterThan(n: number): Dfa {
  const alts: Re[] = [];
  for (let i = 0; i < n; i++) alts.push(anyOfLength(i));
  return compile(alts.length === 0 ? { t: 'none' } : alts.length === 1 ? alts[0] : { t: 'alt', alts });
}

const ANY_STAR: Re = { t: 'star', node: { t: 'chars', set: CharSet.ANY } };

/**
 * The strings x such that Asterisk's substring of x (`${VAR:offset}` or `${VAR:offset:length}`,
 * `ast_str_substring` in main/strings.c / `substring` in main/pbx_variables.c) is in `lang`.
 * Modelled: offset ≥ 0 with no length or length ≥ 0, and offset < 0 with no length (the last
 * −offset characters, or all of a shorter string). Others: undefined (the caller says "not modelled").
 */
export function substringPreimage(lang: Dfa, offset: number, length?: number): Dfa | undefined {
  const emptyIn = lang.accept[0] === 1;
  if (offset >= 0 && length === undefined) {
    // x = p·y with |p| = offset → y; shorter x → ''.
    const main = concatAll([anyOfLength(offset), lang]);
    return emptyIn && offset > 0 ? union(main, shorterThan(offset)) : main;
  }
  if (offset >= 0 && length !== undefined && length >= 0) {
    // x = p·m·r, |p| = offset, |m| = length → m; |x| − offset < length → the rest after p.
    const exact = intersect(lang, compile(anyOfLength(length)));
    const short = intersect(lang, shorterThan(length));
    let out = union(concatAll([anyOfLength(offset), exact, ANY_STAR]), concatAll([anyOfLength(offset), short]));
    if (emptyIn && offset > 0) out = union(out, shorterThan(offset));
    return out;
  }
  if (offset < 0 && length === undefined) {
    const k = -offset;
    return union(concatAll([ANY_STAR, intersect(lang, compile(anyOfLength(k)))]), intersect(lang, shorterThan(k)));
  }
  return undefined;
}

/** The strings x with `prefix`·x in `lang` (the dialled string seen after a fixed prefix is added). */
export function afterPrefix(lang: Dfa, prefix: string): Dfa {
  let q = 0;
  for (let i = 0; i < prefix.length; i++) {
    q = lang.step(q, prefix.charCodeAt(i));
    if (q < 0) return EMPTY;
  }
  if (q === 0) return lang;
  // Restart the automaton at q: minimise renumbers from the new start.
  const k = lang.nClasses;
  const n = lang.nStates;
  const trans = new Int32Array(n * k);
  const accept = new Uint8Array(n);
  // Swap states 0 and q so the start is 0.
  const map = (s: number) => (s === 0 ? q : s === q ? 0 : s);
  for (let s = 0; s < n; s++) {
    const from = map(s);
    accept[s] = lang.accept[from];
    for (let c = 0; c < k; c++) trans[s * k + c] = map(lang.trans[from * k + c]);
  }
  return minimise(lang.classOf, k, trans, accept);
}

// ---------------------------------------------------------------------------------------------
// Shortest example

/** Rank of a character in "dialable first" order: digits, then + * #, then letters, then the rest. */
export function dialableRank(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code === 0x2b) return 10;
  if (code === 0x2a) return 11;
  if (code === 0x23) return 12;
  if (code >= 0x61 && code <= 0x7a) return 13 + code - 0x61;
  if (code >= 0x41 && code <= 0x5a) return 39 + code - 0x41;
  return 65 + code;
}

/** Compares two strings: shorter first, then character by character in dialable order. */
export function compareDialable(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) {
    const d = dialableRank(a.charCodeAt(i)) - dialableRank(b.charCodeAt(i));
    if (d) return d;
  }
  return 0;
}

/** Each class's smallest character in dialable order, and the classes in that order. */
function dialableClassOrder(a: Dfa): { rep: number[]; order: number[] } {
  const rep = new Array<number>(a.nClasses).fill(-1);
  for (let i = 0; i < ALPHABET_SIZE; i++) {
    const c = a.classOf[i];
    const code = ALPHABET_FIRST + i;
    if (rep[c] < 0 || dialableRank(code) < dialableRank(rep[c])) rep[c] = code;
  }
  const order = rep.map((_, c) => c).sort((x, y) => dialableRank(rep[x]) - dialableRank(rep[y]));
  return { rep, order };
}

/** A shortest member, the smallest in dialable order among them; null for the empty language. */
export function shortestExample(a: Dfa): string | null {
  if (a.single !== undefined) return a.single;
  if (a.accept[0]) return '';
  const { rep, order } = dialableClassOrder(a);
  const n = a.nStates;
  const parent = new Int32Array(n).fill(-1);
  const via = new Int32Array(n);
  const seen = new Uint8Array(n);
  seen[0] = 1;
  const queue = [0];
  for (let h = 0; h < queue.length; h++) {
    const q = queue[h];
    for (const c of order) {
      const t = a.trans[q * a.nClasses + c];
      if (seen[t]) continue;
      seen[t] = 1;
      parent[t] = q;
      via[t] = rep[c];
      if (a.accept[t]) {
        const out: number[] = [];
        for (let s = t; s !== 0; s = parent[s]) out.push(via[s]);
        return String.fromCharCode(...out.reverse());
      }
      queue.push(t);
    }
  }
  return null;
}

/** The alphabet's codes in dialable order. */
const CODES_BY_RANK: number[] = (() => {
  const codes: number[] = [];
  for (let c = ALPHABET_FIRST; c <= ALPHABET_LAST; c++) codes.push(c);
  return codes.sort((x, y) => dialableRank(x) - dialableRank(y));
})();

/** Per automaton: reach[m][q] = 1 when an accepting state is m steps from q (built as far as asked). */
const reachTables = new WeakMap<Dfa, Uint8Array[]>();
function reachIn(a: Dfa, m: number): Uint8Array {
  let t = reachTables.get(a);
  if (!t) reachTables.set(a, (t = [Uint8Array.from(a.accept)]));
  const k = a.nClasses;
  while (t.length <= m) {
    const prev = t[t.length - 1];
    const next = new Uint8Array(a.nStates);
    for (let q = 0; q < a.nStates; q++) for (let c = 0; c < k; c++) if (prev[a.trans[q * k + c]]) { next[q] = 1; break; }
    t.push(next);
  }
  return t[m];
}

/** The smallest string of exactly m characters leading from q to acceptance (reachIn(a, m)[q] must be 1). */
function smallestCompletion(a: Dfa, q: number, m: number): string {
  let out = '';
  for (let left = m; left > 0; left--) {
    const table = reachIn(a, left - 1);
    for (const code of CODES_BY_RANK) {
      const t = a.trans[q * a.nClasses + a.classOf[code - ALPHABET_FIRST]];
      if (table[t]) { out += String.fromCharCode(code); q = t; break; }
    }
  }
  return out;
}

/**
 * The member that comes next after `after` in shortlex order (shorter first, then dialable
 * order), or null when there is none. With `after` null: the first member (shortestExample).
 */
export function nextMember(a: Dfa, after: string | null): string | null {
  if (after === null) return shortestExample(a);
  const L = after.length;
  const states = [0];
  for (let i = 0; i < L; i++) {
    const q = a.step(states[i], after.charCodeAt(i));
    if (q < 0) return null;
    states.push(q);
  }
  for (let i = L - 1; i >= 0; i--) {
    const rank = dialableRank(after.charCodeAt(i));
    const table = reachIn(a, L - 1 - i);
    for (const code of CODES_BY_RANK) {
      if (dialableRank(code) <= rank) continue;
      const t = a.trans[states[i] * a.nClasses + a.classOf[code - ALPHABET_FIRST]];
      if (table[t]) return after.slice(0, i) + String.fromCharCode(code) + smallestCompletion(a, t, L - 1 - i);
    }
  }
  // Longer members: beyond nStates more characters a member would pump, so none is left then.
  for (let m = L + 1; m <= L + a.nStates + 1; m++) if (reachIn(a, m)[0]) return smallestCompletion(a, 0, m);
  return null;
}

/** Whether the language is finite, and if so its size (capped at `cap`). */
export function countMembers(a: Dfa, cap = Number.MAX_SAFE_INTEGER): number | 'infinite' {
  if (a.single !== undefined) return a.dashed ? 'infinite' : 1;
  const dead = deadStates(a);
  const k = a.nClasses;
  const sizes = classSizes(a);
  const state = new Uint8Array(a.nStates); // 0 new, 1 on stack, 2 done
  const count = new Float64Array(a.nStates);
  let infinite = false;
  const visit = (q: number): number => {
    if (state[q] === 2) return count[q];
    if (state[q] === 1) { infinite = true; return 0; }
    state[q] = 1;
    let total = a.accept[q] ? 1 : 0;
    for (let c = 0; c < k && !infinite; c++) {
      const t = a.trans[q * k + c];
      if (!dead[t]) total += sizes[c] * visit(t);
    }
    state[q] = 2;
    count[q] = Math.min(total, cap);
    return count[q];
  };
  if (dead[0]) return 0;
  const n = visit(0);
  return infinite ? 'infinite' : n;
}

function classSizes(a: Dfa): number[] {
  const sizes = new Array<number>(a.nClasses).fill(0);
  for (let i = 0; i < ALPHABET_SIZE; i++) sizes[a.classOf[i]]++;
  return sizes;
}

/** The members of a finite language, in dialable order, at most `max` (undefined if more or infinite). */
export function members(a: Dfa, max: number): string[] | undefined {
  if (a.single !== undefined && !a.dashed) return max >= 1 ? [a.single] : undefined;
  const n = countMembers(a, max + 1);
  if (n === 'infinite' || n > max) return undefined;
  const dead = deadStates(a);
  const { order } = dialableClassOrder(a);
  const codesOf: number[][] = Array.from({ length: a.nClasses }, () => []);
  for (let i = 0; i < ALPHABET_SIZE; i++) codesOf[a.classOf[i]].push(ALPHABET_FIRST + i);
  for (const cs of codesOf) cs.sort((x, y) => dialableRank(x) - dialableRank(y));
  const out: string[] = [];
  const walk = (q: number, prefix: string) => {
    if (a.accept[q]) out.push(prefix);
    for (const c of order) {
      const t = a.trans[q * a.nClasses + c];
      if (dead[t]) continue;
      for (const code of codesOf[c]) walk(t, prefix + String.fromCharCode(code));
    }
  };
  walk(0, '');
  return out.sort(compareDialable);
}

// ---------------------------------------------------------------------------------------------
// To an ECMAScript regex

type Rx =
  | { k: 'set'; set: CharSet }
  | { k: 'eps' }
  | { k: 'cat'; items: Rx[] }
  | { k: 'alt'; alts: Rx[] }
  | { k: 'star'; node: Rx };

const RX_EPS: Rx = { k: 'eps' };

function rxCat(items: Rx[]): Rx {
  const flat: Rx[] = [];
  for (const r of items) {
    if (r.k === 'eps') continue;
    if (r.k === 'cat') flat.push(...r.items);
    else flat.push(r);
  }
  return flat.length === 0 ? RX_EPS : flat.length === 1 ? flat[0] : { k: 'cat', items: flat };
}

function rxAlt(alts: Rx[]): Rx | null {
  const flat: Rx[] = [];
  for (const r of alts) {
    if (r.k === 'alt') flat.push(...r.alts);
    else flat.push(r);
  }
  // Single-character alternatives become one set.
  let set: CharSet | null = null;
  const rest: Rx[] = [];
  let hasEps = false;
  for (const r of flat) {
    if (r.k === 'set') set = set ? set.union(r.set) : r.set;
    else if (r.k === 'eps') hasEps = true;
    else rest.push(r);
  }
  const out: Rx[] = [];
  if (hasEps) out.push(RX_EPS);
  if (set) out.push({ k: 'set', set });
  out.push(...rest);
  if (out.length === 0) return null;
  return out.length === 1 ? out[0] : { k: 'alt', alts: out };
}

function rxStar(node: Rx): Rx {
  return node.k === 'eps' ? RX_EPS : node.k === 'star' ? node : { k: 'star', node };
}

/** Most characters a regex may have before toRegex gives up (throws AutomatonBudget). */
const MAX_REGEX_CHARS = 4_000_000;

/**
 * An anchored ECMAScript regex (`^(?:…)$`) matching exactly the language's strings (of the
 * alphabet): character classes, `\d`, counted repetition for chains, `[!-~]*` for "anything".
 */
export function toRegex(a: Dfa): string {
  if (isEmpty(a)) return '^(?!)$';
  if (a.single !== undefined) {
    if (!a.dashed) return `^(?:${a.single.replace(SPECIAL_OUTSIDE, '\\$&')})$`;
    const parts = [...a.single].map((c) => escapeOutside(c.charCodeAt(0)));
    return parts.length ? `^(?:-*${parts.join('-*')}-*)$` : '^(?:-*)$';
  }
  // toRx shares sub-expressions (a DAG); printing each node once per precedence keeps printing
  // linear in the DAG instead of exponential in its sharing (a length-bounded PCRE language's
  // class took 50 s to print before it was found too long).
  try {
    return `^(?:${printRx(toRx(a), 0, [new Map(), new Map(), new Map()])})$`;
  } catch (e) {
    if (!(e instanceof AutomatonBudget)) throw e;
    const cover = coverBody(a);
    if (cover !== undefined) return `^${cover}$`;
    const split = splitCoverBody(a);
    if (split === undefined) throw e;
    return `^(?:${split})$`;
  }
}

/** The longest access length of each state (a cycle on the way: Infinity). */
function longestAccess(a: Dfa): Float64Array {
  const n = a.nStates;
  const k = a.nClasses;
  // Kahn's order of the states reachable from 0; what stays unordered lies on or after a cycle.
  const indegree = new Int32Array(n);
  const reach = new Uint8Array(n);
  reach[0] = 1;
  const stack = [0];
  while (stack.length) {
    const q = stack.pop()!;
    for (let c = 0; c < k; c++) {
      const t = a.trans[q * k + c];
      if (!reach[t]) { reach[t] = 1; stack.push(t); }
    }
  }
  for (let q = 0; q < n; q++) if (reach[q]) for (let c = 0; c < k; c++) indegree[a.trans[q * k + c]]++;
  const latest = new Float64Array(n);
  const done = new Uint8Array(n);
  const ready = indegree[0] === 0 ? [0] : [];
  while (ready.length) {
    const q = ready.pop()!;
    done[q] = 1;
    for (let c = 0; c < k; c++) {
      const t = a.trans[q * k + c];
      latest[t] = Math.max(latest[t], latest[q] + 1);
      if (--indegree[t] === 0) ready.push(t);
    }
  }
  for (let q = 0; q < n; q++) if (!done[q]) latest[q] = Infinity;
  return latest;
}

/** For each class c and state t, the states p with δ(p, c) = t: list[c·n + start[c·(n+1) + t] …]. */
function predecessorsByClass(a: Dfa): { start: Int32Array; list: Int32Array } {
  const n = a.nStates;
  const k = a.nClasses;
  const start = new Int32Array(k * (n + 1));
  const list = new Int32Array(k * n);
  for (let c = 0; c < k; c++) {
    const base = c * (n + 1);
    for (let p = 0; p < n; p++) start[base + a.trans[p * k + c] + 1]++;
    for (let t = 0; t < n; t++) start[base + t + 1] += start[base + t];
    const fill = start.slice(base, base + n);
    for (let p = 0; p < n; p++) list[c * n + fill[a.trans[p * k + c]]++] = p;
  }
  return { start, list };
}

/** Most work (state pairs × classes) coverBody spends looking for a cover automaton. */
const MAX_COVER_WORK = 50_000_000;

/**
 * Languages whose automaton is a stack of near-identical layers — "at most 21 characters, and
 * not …", or "at least 20 characters, and …", what a PCRE test followed only up to a length makes —
 * have no short regex: every regex of them spells each layer out. With a lookahead for the length
 * they have one: L = B ∩ Σ^{≤l} or L = B ∩ Σ^{≥m}, where B is a cover automaton of L (Câmpeanu,
 * Santean, Yu, "Minimal cover-automata for finite languages", 2001): states p, q at levels (shortest
 * access lengths) i ≤ j are similar when no word that keeps the length in bounds tells them apart
 * (≤ l − j characters; for a lower bound, ≥ m − i), and similar states merge. The merge is checked
 * (B ∩ bound = L, else nothing is returned), so the regex `^(?=…)(?:B)$` is exact. Returns that
 * regex without its anchors.
 */
function coverBody(a: Dfa): string | undefined {
  const n = a.nStates;
  const k = a.nClasses;
  // At least one round: too many states is known before any work (and before the depth-first
  // search below could go as deep as the states are many).
  if (n * n * k * 3 > MAX_COVER_WORK) return undefined;
  const dead = deadStates(a);
  // The longest accepted length l, by depth-first search of the live states (-1: a cycle among
  // them, the language is infinite).
  const longest = new Int32Array(n).fill(-2); // -2 unvisited, -3 on the stack
  let cyclic = false;
  const longestFrom = (q: number): number => {
    if (dead[q]) return -1;
    if (longest[q] === -3) { cyclic = true; return -1; }
    if (longest[q] !== -2) return longest[q];
    longest[q] = -3;
    let best = a.accept[q] ? 0 : -1;
    for (let c = 0; c < k && !cyclic; c++) {
      const t = a.trans[q * k + c];
      const l = longestFrom(t);
      if (l >= 0 && l + 1 > best) best = l + 1;
    }
    longest[q] = best;
    return best;
  };
  const l = longestFrom(0);
  if (l < 0 && !cyclic) return undefined;
  // Levels: shortest access lengths.
  const level = new Int32Array(n).fill(-1);
  level[0] = 0;
  const queue = [0];
  for (let i = 0; i < queue.length; i++) {
    const q = queue[i];
    for (let c = 0; c < k; c++) {
      const t = a.trans[q * k + c];
      if (level[t] < 0) { level[t] = level[q] + 1; queue.push(t); }
    }
  }
  const m = shortestExample(a)?.length ?? 0;
  if (cyclic && m === 0) return undefined;
  // The pair graph (p, q) → (δ(p, c), δ(q, c)) is walked backwards from the pairs one accepts and
  // the other does not, once: n²·k steps, whatever the length bound (a round per length was
  // n²·k·l, and past ~100 characters a bound the PCRE language follows went over the budget).
  if (n * n * k > MAX_COVER_WORK) return undefined;
  const pair = (p: number, q: number) => p * n + q;
  const preds = predecessorsByClass(a);
  /** Calls `f` with each pair one step before (p, q). */
  const before = (p: number, q: number, f: (pq: number) => void) => {
    for (let c = 0; c < k; c++) {
      const base = c * (n + 1);
      for (let i = preds.start[base + p]; i < preds.start[base + p + 1]; i++) {
        const pp = preds.list[c * n + i];
        for (let j = preds.start[base + q]; j < preds.start[base + q + 1]; j++) f(pair(pp, preds.list[c * n + j]));
      }
    }
  };
  const block = new Int32Array(n).fill(-1);
  const reps: number[] = [];
  if (!cyclic) {
    // distance[p·n+q]: the length of a shortest word telling p and q apart, within l + 1 (else l + 2):
    // breadth-first from the pairs told apart by the empty word.
    const far = l + 2;
    const distance = new Int32Array(n * n).fill(far);
    const queue = new Int32Array(n * n);
    let tail = 0;
    for (let p = 0; p < n; p++) for (let q = 0; q < n; q++) if (a.accept[p] !== a.accept[q]) { distance[pair(p, q)] = 0; queue[tail++] = pair(p, q); }
    for (let head = 0; head < tail; head++) {
      const pq = queue[head];
      const d = distance[pq] + 1;
      if (d > l + 1) break;
      before(Math.floor(pq / n), pq % n, (x) => {
        if (distance[x] === far) { distance[x] = d; queue[tail++] = x; }
      });
    }
    const similar = (p: number, q: number) => distance[pair(p, q)] > l - Math.max(level[p], level[q]);
    // Merge in order of level: each state joins the first earlier representative it is similar to.
    const order = Array.from({ length: n }, (_, q) => q).filter((q) => level[q] >= 0).sort((p, q) => level[p] - level[q] || p - q);
    for (const q of order) {
      const r = reps.find((x) => similar(x, q));
      if (r !== undefined) block[q] = block[r];
      else { block[q] = reps.length; reps.push(q); }
    }
  } else {
    // longestApart[p·n+q]: the length of a longest word telling p and q apart (Infinity when
    // unbounded, -1 when none does) — "some word of at least h characters tells them apart" is
    // longestApart ≥ h. The pairs some word tells apart are those the backward walk reaches; the
    // longest path from each to a pair told apart by the empty word is found depth first over them.
    const NONE_APART = -1;
    const distinct = new Uint8Array(n * n);
    const stack: number[] = [];
    for (let p = 0; p < n; p++) for (let q = 0; q < n; q++) if (a.accept[p] !== a.accept[q]) { distinct[pair(p, q)] = 1; stack.push(pair(p, q)); }
    while (stack.length) {
      const pq = stack.pop()!;
      before(Math.floor(pq / n), pq % n, (x) => {
        if (!distinct[x]) { distinct[x] = 1; stack.push(x); }
      });
    }
    const longestApart = new Float64Array(n * n).fill(NONE_APART);
    const state = new Uint8Array(n * n); // 0 new, 1 on the path, 2 done
    const path: number[] = [];
    const nextClass: number[] = [];
    for (let root = 0; root < n * n; root++) {
      if (!distinct[root] || state[root]) continue;
      path.push(root);
      nextClass.push(0);
      state[root] = 1;
      longestApart[root] = a.accept[Math.floor(root / n)] !== a.accept[root % n] ? 0 : NONE_APART;
      while (path.length) {
        const top = path.length - 1;
        const v = path[top];
        const c = nextClass[top];
        if (c === k) {
          state[v] = 2;
          path.pop();
          nextClass.pop();
          if (path.length) {
            const u = path[path.length - 1];
            if (longestApart[v] >= 0) longestApart[u] = Math.max(longestApart[u], longestApart[v] + 1);
          }
          continue;
        }
        nextClass[top] = c + 1;
        const w = pair(a.trans[Math.floor(v / n) * k + c], a.trans[(v % n) * k + c]);
        if (!distinct[w]) continue;
        if (state[w] === 1) longestApart[v] = Infinity; // a cycle through pairs some word tells apart
        else if (state[w] === 2) { if (longestApart[w] >= 0) longestApart[v] = Math.max(longestApart[v], longestApart[w] + 1); }
        else {
          state[w] = 1;
          longestApart[w] = a.accept[Math.floor(w / n)] !== a.accept[w % n] ? 0 : NONE_APART;
          path.push(w);
          nextClass.push(0);
        }
      }
    }
    const apartFrom = (x: number, q: number, h: number) => longestApart[pair(x, q)] >= h;
    // A state's access lengths run from its level to `latest` (unbounded past a cycle). Merging q
    // into p, whose every access is at least as long as q's longest (latest(q) ≤ level(p)), is
    // sound when no word w with |w| ≥ m − latest(q) — the only ones that matter after q — tells
    // them apart: past p, a path is then never longer than p's own accesses assumed, and a lower
    // bound only lets fewer words matter. So the deepest states are the representatives.
    const latest = longestAccess(a);
    const order = Array.from({ length: n }, (_, q) => q).filter((q) => level[q] >= 0).sort((p, q) => latest[q] - latest[p] || level[q] - level[p] || p - q);
    for (const q of order) {
      const h = latest[q] === Infinity ? 0 : Math.max(0, m - latest[q]);
      const r = reps.find((x) => level[x] >= latest[q] && !apartFrom(x, q, h));
      if (r !== undefined) block[q] = block[r];
      else { block[q] = reps.length; reps.push(q); }
    }
  }
  if (reps.length >= n) return undefined;
  // The start state's block is state 0 of the cover.
  const start = block[0];
  if (start !== 0) {
    for (let q = 0; q < n; q++) block[q] = block[q] === start ? 0 : block[q] === 0 ? start : block[q];
    [reps[0], reps[start]] = [reps[start], reps[0]];
  }
  const trans = new Int32Array(reps.length * k);
  const accept = new Uint8Array(reps.length);
  reps.forEach((r, i) => {
    accept[i] = a.accept[r];
    for (let c = 0; c < k; c++) trans[i * k + c] = block[a.trans[r * k + c]];
  });
  const cover = intersect(new Dfa(a.classOf, k, trans, accept), UNIVERSE);
  const bound = cyclic ? complement(shorterThan(m)) : shorterThan(l + 1);
  const back = intersect(cover, bound);
  if (!isEmpty(difference(back, a)) || !isEmpty(difference(a, back))) return undefined;
  let body: string;
  try {
    body = printRx(toRx(cover), 0, [new Map(), new Map(), new Map()]);
  } catch (e) {
    if (e instanceof AutomatonBudget) return undefined;
    throw e;
  }
  return cyclic ? `(?=[!-~]{${m}})(?:${body})` : `(?=[!-~]{0,${l}}$)(?:${body})`;
}

/**
 * An infinite language whose short strings are layered one way and long ones another (a class of
 * a map that a test followed only up to a length cuts in two): its strings of at most L
 * characters and its longer ones, each with its own cover (coverBody), where L is the longest
 * access to a state that no cycle leads to (where the layers end).
 */
function splitCoverBody(a: Dfa): string | undefined {
  if (a.nStates * a.nStates * a.nClasses * 3 > MAX_COVER_WORK) return undefined;
  const latest = longestAccess(a);
  let L = -1;
  for (let q = 0; q < a.nStates; q++) if (latest[q] !== Infinity && latest[q] > L) L = latest[q];
  if (L < 1) return undefined;
  const short = intersect(a, shorterThan(L + 1));
  const long = difference(a, short);
  const parts: string[] = [];
  for (const part of [short, long]) {
    if (isEmpty(part)) continue;
    let body: string | undefined;
    try {
      body = printRx(toRx(part), 0, [new Map(), new Map(), new Map()]);
    } catch (e) {
      if (!(e instanceof AutomatonBudget)) throw e;
      body = coverBody(part);
    }
    if (body === undefined) return undefined;
    parts.push(body);
  }
  return parts.join('|');
}

function toRx(a: Dfa): Rx {
  const dead = deadStates(a);
  const n = a.nStates;
  const k = a.nClasses;
  const sets = a.classSets();
  // Out edges per state: target → set (self loops apart).
  const out: Map<number, CharSet>[] = [];
  for (let q = 0; q < n; q++) {
    const m = new Map<number, CharSet>();
    if (!dead[q]) {
      for (let c = 0; c < k; c++) {
        const t = a.trans[q * k + c];
        if (dead[t]) continue;
        const prev = m.get(t);
        m.set(t, prev ? prev.union(sets[c]) : sets[c]);
      }
    }
    out.push(m);
  }
  if (acyclicBesidesSelfLoops(out, n)) {
    const memo = new Map<number, Rx>();
    const expr = (q: number): Rx => {
      const hit = memo.get(q);
      if (hit) return hit;
      const alts: Rx[] = [];
      if (a.accept[q]) alts.push(RX_EPS);
      let loop: CharSet | undefined;
      // Group targets' alternatives; targets reached by the same set share the set (factoring).
      for (const [t, set] of out[q]) {
        if (t === q) { loop = set; continue; }
        alts.push(rxCat([{ k: 'set', set }, expr(t)]));
      }
      const rest = rxAlt(alts) ?? RX_EPS;
      const r = loop ? rxCat([rxStar({ k: 'set', set: loop }), rest]) : rest;
      memo.set(q, r);
      return r;
    };
    return expr(0);
  }
  return eliminate(out, a.accept, n);
}

function acyclicBesidesSelfLoops(out: Map<number, CharSet>[], n: number): boolean {
  const state = new Uint8Array(n);
  const stack: [number, Iterator<number>][] = [[0, out[0].keys()]];
  state[0] = 1;
  while (stack.length) {
    const top = stack[stack.length - 1];
    const nx = top[1].next();
    if (nx.done) { state[top[0]] = 2; stack.pop(); continue; }
    const t = nx.value;
    if (t === top[0]) continue;
    if (state[t] === 1) return false;
    if (state[t] === 0) { state[t] = 1; stack.push([t, out[t].keys()]); }
  }
  return true;
}

/** State elimination (Brzozowski–McCluskey), fewest in×out first. */
function eliminate(out: Map<number, CharSet>[], accept: Uint8Array, n: number): Rx {
  const START = n;
  const FINAL = n + 1;
  const fwd: Map<number, Rx>[] = Array.from({ length: n + 2 }, () => new Map());
  const back: Set<number>[] = Array.from({ length: n + 2 }, () => new Set());
  const put = (p: number, r: number, rx: Rx) => {
    const prev = fwd[p].get(r);
    fwd[p].set(r, prev ? rxAlt([prev, rx])! : rx);
    back[r].add(p);
  };
  put(START, 0, RX_EPS);
  for (let q = 0; q < n; q++) {
    for (const [t, set] of out[q]) put(q, t, { k: 'set', set });
    if (accept[q]) put(q, FINAL, RX_EPS);
  }
  const alive = new Set<number>();
  for (let q = 0; q < n; q++) if (fwd[q].size || back[q].size) alive.add(q);
  while (alive.size) {
    let best = -1;
    let bestCost = Infinity;
    for (const q of alive) {
      const cost = back[q].size * fwd[q].size;
      if (cost < bestCost) { bestCost = cost; best = q; }
    }
    const q = best;
    alive.delete(q);
    const self = fwd[q].get(q);
    const loop = self ? rxStar(self) : RX_EPS;
    for (const p of back[q]) {
      if (p === q) continue;
      const pq = fwd[p].get(q)!;
      fwd[p].delete(q);
      for (const [r, qr] of fwd[q]) {
        if (r === q) continue;
        put(p, r, rxCat([pq, loop, qr]));
      }
    }
    for (const r of fwd[q].keys()) back[r].delete(q);
    fwd[q].clear();
    back[q].clear();
  }
  return fwd[START].get(FINAL) ?? RX_EPS;
}

const DIGITS = CharSet.range(0x30, 0x39);

/** The characters escapeOutside escapes. */
const SPECIAL_OUTSIDE = /[\\^$.|?*+()[\]{}/]/g;

function escapeOutside(code: number): string {
  const ch = String.fromCharCode(code);
  return /[\\^$.|?*+()[\]{}/]/.test(ch) ? `\\${ch}` : ch;
}

function escapeInside(code: number): string {
  const ch = String.fromCharCode(code);
  return /[\\\]^[-]/.test(ch) ? `\\${ch}` : ch;
}

function printSet(set: CharSet): string {
  if (set.equals(DIGITS)) return '\\d';
  const codes = set.codes();
  if (codes.length === 1) return escapeOutside(codes[0]);
  let body = '';
  for (let i = 0; i < codes.length;) {
    let j = i;
    while (j + 1 < codes.length && codes[j + 1] === codes[j] + 1) j++;
    if (j - i >= 2) body += `${escapeInside(codes[i])}-${escapeInside(codes[j])}`;
    else for (let x = i; x <= j; x++) body += escapeInside(codes[x]);
    i = j + 1;
  }
  return `[${body}]`;
}

/** Precedence: 0 alternation allowed, 1 inside a concatenation, 2 under a quantifier. */
function printRx(r: Rx, prec: number, printed: Map<Rx, string>[]): string {
  const known = printed[prec].get(r);
  if (known !== undefined) return known;
  const s = printRxInner(r, prec, printed);
  if (s.length > MAX_REGEX_CHARS) throw new AutomatonBudget(MAX_REGEX_CHARS);
  printed[prec].set(r, s);
  return s;
}

function printRxInner(r: Rx, prec: number, printed: Map<Rx, string>[]): string {
  switch (r.k) {
    case 'eps':
      return prec >= 2 ? '(?:)' : '';
    case 'set':
      return printSet(r.set);
    case 'star': {
      const inner = printRx(r.node, 2, printed);
      return `${inner}*`;
    }
    case 'alt': {
      const hasEps = r.alts.some((x) => x.k === 'eps');
      const rest = r.alts.filter((x) => x.k !== 'eps');
      if (hasEps) {
        const inner = rest.length === 1 ? printRx(rest[0], 2, printed) : `(?:${rest.map((x) => printRx(x, 0, printed)).join('|')})`;
        const q = `${inner}?`;
        return q;
      }
      const body = rest.map((x) => printRx(x, 0, printed)).join('|');
      return prec >= 1 ? `(?:${body})` : body;
    }
    case 'cat': {
      // Runs of the same atom become {n}.
      const atoms = r.items.map((x) => printRx(x, 2, printed));
      let outStr = '';
      for (let i = 0; i < atoms.length;) {
        let j = i;
        while (j + 1 < atoms.length && atoms[j + 1] === atoms[i]) j++;
        const run = j - i + 1;
        const atom = atoms[i];
        const quantified = /[*?}]$/.test(atom) && !atom.endsWith('\\*') && !atom.endsWith('\\?') && !atom.endsWith('\\}');
        // A literal character is repeated as written up to 5 times (`555` reads better than `5{3}`).
        const literalChar = atom.length === 1 || (atom.length === 2 && atom[0] === '\\' && atom !== '\\d');
        if (literalChar ? run >= 6 : run >= 3 || (run === 2 && atom.length > 2)) outStr += `${quantified ? `(?:${atom})` : atom}{${run}}`;
        else outStr += atom.repeat(run);
        i = j + 1;
      }
      return prec >= 2 && r.items.length > 1 ? `(?:${outStr})` : outStr;
    }
  }
}
