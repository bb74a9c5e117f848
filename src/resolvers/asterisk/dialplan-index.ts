/**
 * The dialplan as Asterisk holds it after loading: extensions registered per context with
 * ast_add_extension2 semantics (names that ext_cmp finds equal are one extension; a repeated
 * priority is refused, "Unable to register extension … already in use"), kept in ext_cmp order.
 * Built once per model and cached; rules and the simulator share it. The registered extensions
 * are the loader's entries themselves (DialplanExtension: the first entry of each extension, on
 * which registration sets what it adds), not objects of their own beside them.
 */
import type { AsteriskModel, DialplanContext, Priority } from '../../model/asterisk';
import { DialplanExtension, PriorityTable, RunStore, type Refused } from '../../parsers/asterisk/dialplan-extension';
import { compareExtensions, type ContextIndex as PatternIndex } from '../../automata/asterisk/pattern';

// The registered extension is the loader's entry itself (DialplanExtension: the first entry of
// each extension, with what registration adds). Only the type is passed on: a value re-exported
// is read through a getter at every use (TypeScript's CommonJS output), and the simulator reads
// the RUN_… constants at every priority, so it imports them from where they are defined.
export type { DialplanExtension } from '../../parsers/asterisk/dialplan-extension';

const NO_LABELS = new Map<string, number>();

export interface ContextIndex {
  context: DialplanContext;
  /** Registered extensions in Asterisk's lookup order. */
  sorted: DialplanExtension[];
  /** The index lookups in this context use (find.ts builds it on the first lookup). */
  lookup?: PatternIndex<DialplanExtension>;
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
function registerContext(ctx: DialplanContext): DialplanExtension[] {
  const extensions = entriesOf(ctx);
  const names = matchNamesOf(extensions);
  const out = registerInOrder(extensions, names, lookupOrder(extensions, names));
  markSoleLiterals(out);
  registerPriorities(out);
  return out;
}

/**
 * The context's entries as DialplanExtensions: the loader's own array, unless an entry was made
 * otherwise (an Extension object of another kind gets a DialplanExtension of its own, which the
 * index registers in its place).
 */
function entriesOf(ctx: DialplanContext): readonly DialplanExtension[] {
  const extensions = ctx.extensions;
  for (let i = 0; i < extensions.length; i++) if (!(extensions[i] instanceof DialplanExtension)) return extensions.map(DialplanExtension.of);
  return extensions as DialplanExtension[];
}

function matchNamesOf(extensions: readonly DialplanExtension[]): string[] {
  const names = new Array<string>(extensions.length);
  for (let i = 0; i < extensions.length; i++) names[i] = extensions[i].matchName;
  return names;
}

/** Positions of the entries in Asterisk's order (ext_cmp), stable: equal entries stay in file order. */
function lookupOrder(extensions: readonly DialplanExtension[], names: readonly string[]): number[] {
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
function registerInOrder(extensions: readonly DialplanExtension[], names: readonly string[], order: readonly number[]): DialplanExtension[] {
  // At most one per entry: made at that size and cut to the count at the end, rather than grown
  // by push (copies of a 330,000-entry array, garbage until a full collection).
  const out = new Array<DialplanExtension>(order.length);
  let count = 0;
  let prev: DialplanExtension | undefined;
  // Indexed loops here: a cold run builds the index in V8's unoptimised tiers, where a for…of
  // makes an iterator result object for each of the 50,000 entries of a big dialplan.
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    const e = extensions[i];
    if (!prev || !sameExtension(prev, names[i], e)) {
      // The first entry of an extension (in file order: the sort is stable) is the registered extension.
      e.startRegistration(i);
      prev = e;
      out[count++] = prev;
      continue;
    }
    prev.merge(e);
    if (i < prev.registrationOrder) prev.registrationOrder = i;
  }
  out.length = count;
  return out;
}

function markSoleLiterals(out: readonly DialplanExtension[]): void {
  for (let i = 0; i < out.length; i++) {
    const e = out[i];
    if (e.isPattern || e.cid !== undefined) continue;
    e.soleLiteral = !(i > 0 && out[i - 1].matchName === e.matchName) && !(i + 1 < out.length && out[i + 1].matchName === e.matchName);
  }
}

/** Priorities are registered in file order across all merged sources; a repeated number is refused. */
function registerPriorities(out: readonly DialplanExtension[]): void {
  for (let k = 0; k < out.length; k++) {
    const reg = out[k];
    if (!reg.isMerged) {
      // The common case: one entry whose priority numbers are all different keeps every line;
      // its numbers are enough to know that, and its Priority objects are built only when read.
      const numbers = reg.priorityNumbers();
      if (allDifferent(numbers)) {
        // registeredCount and registeredLabels then read the entry's own lines and labels.
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
function registerRepeatedPriorities(reg: DialplanExtension): void {
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
export function firstPatternIndex(sorted: readonly DialplanExtension[]): number {
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
function sameExtension(prev: DialplanExtension, matchName: string, e: DialplanExtension): boolean {
  if (prev.cid === undefined && e.cid === undefined && !prev.isPattern && !e.isPattern) return prev.matchName === matchName;
  return compareExtensions(prev, { matchName, cid: e.cid }) === 0;
}
