/**
 * The dialplan as Asterisk holds it after loading: extensions registered per context with
 * ast_add_extension2 semantics (names that ext_cmp finds equal are one extension; a repeated
 * priority is refused, "Unable to register extension … already in use"), kept in ext_cmp order.
 * Built once per model and cached; rules and the simulator share it.
 */
import type { AsteriskModel, DialTarget, DialplanContext, Extension, JumpTarget, Priority } from '../../model/asterisk';
import { isDialApp, isJumpApp } from '../../parsers/asterisk/applications';
import { compareExtensions, matchNameOf, type ContextIndex as PatternIndex } from '../../automata/asterisk/pattern';

/**
 * An extension's priorities by number, in registration order. Most extensions have a handful of
 * priorities: a scan of the model's own array is lighter than a Map per extension (a
 * 50,000-extension dialplan has 50,000 of these); long extensions get a Map. When every line of
 * one model entry is kept, the table reads that entry's array when first asked, so the entry
 * may build its Priority objects only then. Reads like a Map.
 */
export class PriorityTable {
  private byNumber: Map<number, Priority> | undefined = undefined;
  private order: readonly Priority[] | undefined;

  constructor(
    order: readonly Priority[] | undefined,
    readonly size: number,
    /** The model entry whose lines these all are, when `order` is not given. */
    private readonly entry?: Extension,
  ) {
    this.order = order;
  }

  private lines(): readonly Priority[] {
    if (!this.order) this.order = this.entry!.priorities;
    if (this.order.length > 8 && !this.byNumber) {
      this.byNumber = new Map();
      for (const p of this.order) this.byNumber.set(p.number, p);
    }
    return this.order;
  }

  get(n: number): Priority | undefined {
    const order = this.lines();
    if (this.byNumber) return this.byNumber.get(n);
    for (const p of order) if (p.number === n) return p;
    return undefined;
  }

  has(n: number): boolean {
    return this.get(n) !== undefined;
  }

  values(): readonly Priority[] {
    return this.lines();
  }
}

/**
 * An extension as Asterisk registered it (one per name/caller-ID that ext_cmp tells apart).
 * A big dialplan has one per DID: what the model entry already says (name, caller ID, location)
 * is read from it rather than copied.
 */
export class RegisteredExtension {
  // What a simulation reads at every priority comes first: the fields of an object share its
  // first cache line, and a route query over a big dialplan mostly waits on memory.
  /**
   * Bit n set (n 1–30): priority n is registered; lookups test this before touching the table.
   * Bit 0 (no priority 0 is registered): soleLiteral. One field where two were, once per DID.
   */
  private bits = 0;
  /** The array holding what a simulation reads of the registered lines (see runLines()); made on first use. */
  private run: RunValue[] | undefined = undefined;
  /** Where this extension's lines start in `run` (they end priorityCount × RUN_STRIDE further on). */
  private runStart = 0;
  /** Set when the lines are not simply all of `first`'s (merged entries, refused duplicates). */
  private table: PriorityTable | undefined = undefined;
  /** The model entry first registered under this name. */
  readonly first: Extension;
  /** Order of first registration (file order), which the trie (extenpatternmatchnew) depends on. */
  registrationOrder: number;
  /** Number of registered priorities. */
  priorityCount = 0;
  /**
   * What few extensions have: entries merged into `first`, refused lines, labels worked out over
   * the kept lines. A big dialplan has one of these objects per DID (330,000 in 40 MB): fields
   * nearly all of them leave empty live here, not in each of them.
   */
  private rare: { merged?: Extension[]; refused?: Refused[]; labels?: Map<string, number>; matchName?: string } | undefined = undefined;

  constructor(first: Extension, matchName: string, registrationOrder: number) {
    this.first = first;
    // The model entry's own match name, unless it has none (then worked out by the caller).
    if (matchName !== first.matchName) (this.rare ??= {}).matchName = matchName;
    this.registrationOrder = registrationOrder;
  }

  /** matchNameOf(name): the name ext_cmp compares. */
  get matchName(): string {
    return this.rare?.matchName ?? this.first.matchName;
  }

  /**
   * A literal without caller-ID match and no other entry of that name in its context: literals
   * sort first, so when it matches nothing else can come before it, for any priority.
   */
  get soleLiteral(): boolean {
    return (this.bits & 1) !== 0;
  }

  set soleLiteral(sole: boolean) {
    this.bits = sole ? this.bits | 1 : this.bits & ~1;
  }

  /** Marks priority n registered (in the bit mask hasPriority reads; numbers past 30 are read from the table). */
  markRegistered(n: number): void {
    if (n > 0 && n < 31) this.bits |= 1 << n;
  }

  /**
   * The registered lines as a simulation reads them: RUN_STRIDE values a line, in registration
   * order (RUN_NUMBER, RUN_PRIORITY… below), made once from the Priority objects. Why: a route
   * query over a big dialplan mostly waits on memory, and this keeps what it reads of an
   * extension in one array instead of a Priority object per line, each in its own place on the
   * heap (the Priority is still there for steps and messages, but not read on the way). The
   * array is one of `store`'s, shared with other extensions (this one's lines are a stretch of it,
   * found with runIndex()); without a store, the extension's own.
   */
  runLines(store?: RunStore): readonly RunValue[] {
    if (this.run) return this.run;
    const lines = this.table ? this.table.values() : this.first.priorities;
    const size = lines.length * RUN_STRIDE;
    let run: RunValue[];
    let start = 0;
    if (store !== undefined && size <= RUN_LARGEST_SHARED) {
      start = store.reserve(size);
      run = store.chunk;
    } else run = new Array<RunValue>(size);
    this.runStart = start;
    for (let i = 0, k = start; i < lines.length; i++, k += RUN_STRIDE) {
      const p = lines[i];
      run[k + RUN_NUMBER] = p.number;
      run[k + RUN_PRIORITY] = p;
      run[k + RUN_APP] = p.app;
      run[k + RUN_ARGS] = p.args;
      run[k + RUN_STATIC] = p.staticArgs === true;
      run[k + RUN_TARGETS] = isDialApp(p.app) ? p.dials : isJumpApp(p.app) ? p.jumps : undefined;
      run[k + RUN_MEMO] = undefined;
      run[k + RUN_MEMO2] = undefined;
      run[k + RUN_MEMO3] = undefined;
    }
    return (this.run = run);
  }

  /**
   * Keeps what the simulator worked out from the line at `at` of runLines() alone (and the model,
   * which does not change), in the same array (RUN_MEMO…RUN_MEMO3), so later simulations read it
   * there, beside the line, instead of in objects of their own elsewhere on the heap.
   */
  remember(at: number, memo: RunValue, memo2?: RunValue, memo3?: RunValue): void {
    const run = this.runLines() as RunValue[];
    run[at + RUN_MEMO] = memo;
    run[at + RUN_MEMO2] = memo2;
    run[at + RUN_MEMO3] = memo3;
  }

  /** Where registered priority `n` starts in runLines(), or -1. */
  runIndex(n: number): number {
    const run = this.runLines();
    // Lines are usually numbered 1, 2, 3… in order: try the n-th first.
    const end = this.runStart + this.priorityCount * RUN_STRIDE;
    const guess = this.runStart + (n - 1) * RUN_STRIDE;
    if (n >= 1 && guess < end && run[guess] === n) return guess;
    for (let k = this.runStart; k < end; k += RUN_STRIDE) if (run[k] === n) return k;
    return -1;
  }

  /** Registered priorities by number (a table over `first`'s lines is made when first asked for). */
  get priorities(): PriorityTable {
    return (this.table ??= new PriorityTable(undefined, this.priorityCount, this.first));
  }

  set priorities(table: PriorityTable) {
    this.table = table;
    this.priorityCount = table.size;
    this.run = undefined;
  }

  /**
   * Calls fn with each registered priority in registration order — for readers that visit
   * every line once (rules): lines not yet built are read through a moving view, so fn must
   * read its argument then and there, not keep it.
   */
  forEachPriority(fn: (p: Priority) => void): void {
    if (!this.table && this.first.forEachPriority) {
      this.first.forEachPriority(fn);
      return;
    }
    const lines = this.priorities.values();
    for (let i = 0; i < lines.length; i++) fn(lines[i]);
  }

  /** The name as first written. */
  get name(): string {
    return this.first.name;
  }

  get isPattern(): boolean {
    return this.first.isPattern;
  }

  get cid(): string | undefined {
    return this.first.cid;
  }

  get location(): Extension['location'] {
    return this.first.location;
  }

  /** Every model entry merged into this one, in file order. */
  get sources(): readonly Extension[] {
    const merged = this.rare?.merged;
    return merged ? [this.first, ...merged] : [this.first];
  }

  /** Whether entries were merged into `first`. */
  get isMerged(): boolean {
    return this.rare?.merged !== undefined;
  }

  merge(e: Extension): void {
    ((this.rare ??= {}).merged ??= []).push(e);
  }

  /** Labels of the registered lines: `first`'s own unless registerRepeatedPriorities worked them out (merged entries, refused lines). */
  get labels(): Map<string, number> {
    return this.rare?.labels ?? this.first.labels;
  }

  set labels(labels: Map<string, number>) {
    (this.rare ??= {}).labels = labels;
  }

  /** Lines Asterisk refused because the priority was already registered. */
  get refused(): readonly Refused[] {
    return this.rare?.refused ?? NONE_REFUSED;
  }

  /** The lines registerRepeatedPriorities kept, their labels and the lines refused. */
  setRegistered(table: PriorityTable, labels: Map<string, number>, refused: Refused[] | undefined): void {
    this.priorities = table;
    const rare = (this.rare ??= {});
    rare.labels = labels;
    if (refused) rare.refused = refused;
  }

  hasPriority(priority: number): boolean {
    if (priority > 0 && priority < 31) return (this.bits & (1 << priority)) !== 0;
    return this.priorities.has(priority);
  }
}

/**
 * The arrays the run lines of a dialplan's extensions are kept in (see runLines()): a few large
 * ones, each extension's lines one stretch of one of them. Why not an array per extension: a JS
 * array is two objects, the array and its elements, apart on the heap, so a route query over a
 * big dialplan would wait on one memory read more before the first line; the few shared arrays'
 * own headers stay in the CPU caches. One store per dialplan index: it lives as long as the model.
 */
export class RunStore {
  /** The array being filled; reserve() moves to a new one when it is full. */
  chunk: RunValue[] = newChunk();
  private used = 0;

  /** Where `size` values (at most RUN_LARGEST_SHARED) start in `chunk`, which may be a new one. */
  reserve(size: number): number {
    if (this.used + size > RUN_CHUNK) {
      this.chunk = newChunk();
      this.used = 0;
    }
    const start = this.used;
    this.used += size;
    return start;
  }
}

/** Values in one RunStore array (64 KB of pointers), and the most one extension may take of it. */
const RUN_CHUNK = 8192;
const RUN_LARGEST_SHARED = RUN_CHUNK / 8;

function newChunk(): RunValue[] {
  return new Array<RunValue>(RUN_CHUNK).fill(undefined);
}

/** Values per line in RegisteredExtension.runLines(), and where each one is. */
export const RUN_STRIDE = 9;
/** The priority number. */
export const RUN_NUMBER = 0;
/** The Priority itself (for steps and messages). */
export const RUN_PRIORITY = 1;
/** Application name as written. */
export const RUN_APP = 2;
/** Arguments as written. */
export const RUN_ARGS = 3;
/** True when the arguments hold no `$`. */
export const RUN_STATIC = 4;
/** Dial targets of a Dial line, jump targets of a jumping one, else undefined. */
export const RUN_TARGETS = 5;
/** What the simulator worked out once for this line (see RegisteredExtension.remember), else undefined; pbx.ts says what each application keeps. */
export const RUN_MEMO = 6;
export const RUN_MEMO2 = 7;
export const RUN_MEMO3 = 8;
export type RunValue = number | string | boolean | Priority | DialTarget[] | JumpTarget[] | object | null | undefined;

const NO_LABELS = new Map<string, number>();
/** A line Asterisk refused, and the line of the same priority it kept. */
export interface Refused {
  priority: Priority;
  kept: Priority;
}
const NONE_REFUSED: readonly Refused[] = [];

export interface ContextIndex {
  context: DialplanContext;
  /** Registered extensions in Asterisk's lookup order. */
  sorted: RegisteredExtension[];
  /** The index lookups in this context use (find.ts builds it on the first lookup). */
  lookup?: PatternIndex<RegisteredExtension>;
}

export interface DialplanIndex {
  contexts: Map<string, ContextIndex>;
  /** Where simulations keep the extensions' run lines. */
  runs: RunStore;
}

const cache = new WeakMap<AsteriskModel, DialplanIndex>();

export function dialplanIndex(model: AsteriskModel): DialplanIndex {
  let index = cache.get(model);
  if (!index) {
    index = buildIndex(model);
    cache.set(model, index);
  }
  return index;
}

function buildIndex(model: AsteriskModel): DialplanIndex {
  const contexts = new Map<string, ContextIndex>();
  for (const ctx of model.dialplan.contexts.values()) {
    const ci: ContextIndex = { context: ctx, sorted: registerContext(ctx) };
    contexts.set(ctx.name, ci);
  }
  return { contexts, runs: new RunStore() };
}

/**
 * A context's entries registered as Asterisk does (ast_add_extension2: ext_cmp order, equal names
 * merged), in lookup order. One function per pass, on purpose: this runs once, cold, over up to
 * hundreds of thousands of entries, so each loop is compiled while it runs (on-stack replacement);
 * in one big function, the code compiled for the first loop was compiled before the later loops
 * ever ran, and dropped back to the interpreter on reaching each of them ("insufficient type
 * feedback"), every time recompiling the whole function.
 */
function registerContext(ctx: DialplanContext): RegisteredExtension[] {
  const extensions = ctx.extensions;
  const names = matchNamesOf(extensions);
  const out = registerInOrder(extensions, names, lookupOrder(extensions, names));
  markSoleLiterals(out);
  registerPriorities(out);
  return out;
}

function matchNamesOf(extensions: readonly Extension[]): string[] {
  const names = new Array<string>(extensions.length);
  for (let i = 0; i < extensions.length; i++) names[i] = extensions[i].matchName || matchNameOf(extensions[i].name);
  return names;
}

/** Positions of the entries in Asterisk's order (ext_cmp), stable: equal entries stay in file order. */
function lookupOrder(extensions: readonly Extension[], names: readonly string[]): number[] {
  // Stable sort (of positions, so nothing is allocated per entry) by Asterisk's order; equal
  // entries are the same registered extension.
  const full = (a: number, b: number) => compareExtensions({ matchName: names[a], cid: extensions[a].cid }, { matchName: names[b], cid: extensions[b].cid });
  // Literals always sort before patterns (ext_cmp). Dash-free ASCII literals order as plain
  // strings do (ext_cmp_exten compares bytes), so most of a big DID list skips the general comparator.
  // The positions go straight into an array of the final size, literals from the front and the
  // others from the back, which are then moved into place: on a big DID list, arrays grown by
  // push and joined by concat were 10 MB of garbage (in 40 MB of dialplan) left for a full
  // collection, and the peak memory of a run is reached before one comes.
  const order = new Array<number>(names.length);
  let literalCount = 0;
  let back = names.length;
  let othersArePatterns = true;
  for (let i = 0; i < names.length; i++) {
    const n = names[i];
    if (isPlainLiteral(n)) order[literalCount++] = i;
    else {
      order[--back] = i;
      if (n.charCodeAt(0) !== 0x5f) othersArePatterns = false;
    }
  }
  // The others were stored last first: back in file order.
  const others = order.slice(literalCount).reverse();
  order.length = literalCount;
  const literals = order;
  if (literals.length > 0 && othersArePatterns) {
    literals.sort((a, b) => (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : full(a, b)));
    others.sort(full);
    for (let k = 0; k < others.length; k++) literals.push(others[k]);
    return literals;
  }
  for (let k = 0; k < others.length; k++) literals.push(others[k]);
  literals.sort((a, b) => full(a, b) || a - b);
  return literals;
}

/** Not a pattern, and ASCII only. */
function isPlainLiteral(n: string): boolean {
  if (n.charCodeAt(0) === 0x5f) return false;
  for (let i = 0; i < n.length; i++) if (n.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** One registered extension per run of equal entries in `order`; later equal entries are merged into the first. */
function registerInOrder(extensions: readonly Extension[], names: readonly string[], order: readonly number[]): RegisteredExtension[] {
  // At most one per entry: made at that size and cut to the count at the end, rather than grown
  // by push (copies of a 330,000-entry array, garbage until a full collection).
  const out = new Array<RegisteredExtension>(order.length);
  let count = 0;
  let prev: RegisteredExtension | undefined;
  // Indexed loops here: a cold run builds the index in V8's unoptimised tiers, where a for…of
  // makes an iterator result object for each of the 50,000 entries of a big dialplan.
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    const e = extensions[i];
    if (!prev || !sameExtension(prev, names[i], e)) {
      prev = new RegisteredExtension(e, names[i], i);
      out[count++] = prev;
      continue;
    }
    prev.merge(e);
    if (i < prev.registrationOrder) prev.registrationOrder = i;
  }
  out.length = count;
  return out;
}

function markSoleLiterals(out: readonly RegisteredExtension[]): void {
  for (let i = 0; i < out.length; i++) {
    const e = out[i];
    if (e.isPattern || e.cid !== undefined) continue;
    e.soleLiteral = !(i > 0 && out[i - 1].matchName === e.matchName) && !(i + 1 < out.length && out[i + 1].matchName === e.matchName);
  }
}

/** Priorities are registered in file order across all merged sources; a repeated number is refused. */
function registerPriorities(out: readonly RegisteredExtension[]): void {
  for (let k = 0; k < out.length; k++) {
    const reg = out[k];
    if (!reg.isMerged) {
      // The common case: one entry whose priority numbers are all different keeps every line;
      // its numbers are enough to know that, and its Priority objects are built only when read.
      const only = reg.first;
      const numbers = only.priorityNumbers ? only.priorityNumbers() : only.priorities.map((p) => p.number);
      if (allDifferent(numbers)) {
        reg.priorityCount = numbers.length;
        // reg.labels reads only.labels.
        for (let j = 0; j < numbers.length; j++) {
          reg.markRegistered(numbers[j]);
        }
        continue;
      }
    }
    registerRepeatedPriorities(reg);
  }
}

/** An extension with merged entries or a repeated priority number: the lines Asterisk keeps and those it refuses. */
function registerRepeatedPriorities(reg: RegisteredExtension): void {
  const sources = reg.sources;
  // Sources keep their order of appearance (the sort is stable), so their lines are in file order.
  const lines = sources.length === 1 ? sources[0].priorities : sources.flatMap((s) => s.priorities);
  const kept: Priority[] = [];
  const keptByNumber = new Map<number, Priority>();
  let refused: Refused[] | undefined;
  let labels: Map<string, number> | undefined;
  for (const p of lines) {
    const earlier = keptByNumber.get(p.number);
    if (earlier) {
      (refused ??= []).push({ priority: p, kept: earlier });
      continue;
    }
    kept.push(p);
    keptByNumber.set(p.number, p);
    if (p.label && !labels?.has(p.label)) (labels ??= new Map()).set(p.label, p.number);
  }
  reg.setRegistered(new PriorityTable(kept, kept.length), labels ?? NO_LABELS, refused);
  for (const p of kept) reg.markRegistered(p.number);
}

/**
 * Where the patterns start in a context's `sorted` entries (its length when there are none):
 * ext_cmp sorts every literal before every pattern, so the few patterns are found from the end
 * without reading a big DID list.
 */
export function firstPatternIndex(sorted: readonly RegisteredExtension[]): number {
  let i = sorted.length;
  while (i > 0 && sorted[i - 1].isPattern) i--;
  return i;
}

/** No number repeats (the usual 1, 2, 3… are checked with a bit mask, without a Set). */
function allDifferent(numbers: readonly number[]): boolean {
  let mask = 0;
  for (let i = 0; i < numbers.length; i++) {
    const n = numbers[i];
    if (n > 0 && n < 31) {
      if (mask & (1 << n)) return false;
      mask |= 1 << n;
    } else if (numbers.indexOf(n) !== i) return false;
  }
  return true;
}

/**
 * Whether an entry registers as the same extension as `prev`. Two literals without caller ID
 * are the same exactly when their names are equal (ext_cmp compares literal bytes); anything
 * else takes the full comparison.
 */
function sameExtension(prev: RegisteredExtension, matchName: string, e: Extension): boolean {
  if (prev.cid === undefined && e.cid === undefined && !prev.isPattern && !e.isPattern) return prev.matchName === matchName;
  return compareExtensions(prev, { matchName, cid: e.cid }) === 0;
}
