/**
 * For coverage (src/coverage): the set of lookup strings for which a pbx_find_extension search
 * (find.ts) comes out the same way it did for one string — its "cell" — as an automaton.
 *
 * The classic walk (pattern-classic.ts) in one context picks the first extension in ext_cmp
 * order that matches the string, passes the caller-ID test and has what is wanted (a priority, or
 * a label); so which extension wins depends on the string only through which names match it.
 * The cell of a string whose winner is G is L(G) minus the names before G that qualify; with no
 * winner, the strings no qualifying name matches. A search visits the context, then its includes
 * (switches and timed includes fork on things that are not the string); the cell of the search is
 * refined by the cell of every context reachable through includes — finer than needed (contexts
 * a winner hides are counted too), never coarser, so every string of it is searched alike.
 * - 'found' precision: only whether some qualifying name matches (E_CANMATCH's overlap test, the
 *   priority-1 existence test): L(qualifying names) or its complement, per context.
 * - Caller unknown (the request gives no --caller-id, or the number was Set at run time): the
 *   search forks on each caller-ID match it meets; the strings for which it meets the same ones
 *   are those with the same membership in each caller-ID match's name, so the cell is refined
 *   by each of them. A known caller makes caller-ID matches ordinary names (or not qualifying).
 * - extenpatternmatchnew=yes (pattern-trie.ts, main/pbx.c new_find_extension) decides by a
 *   depth-first tree walk. Its cell is the walk's path condition: the walk is re-run on the
 *   string with a probe (pattern-trie.ts DialledProbe) that records each test it makes on the
 *   dialled string — a character at a position in a set, or the string ending there — with its
 *   result; the strings passing the same tests alike are walked alike (the walk reads nothing
 *   else of the string), so they get the same extension (and the same lookup of its priority or
 *   label in pbx_find_extension, which reads only that extension). For an unknown caller where
 *   a `/` node asks about the caller's number (find.ts choicesIn forks on each question), every
 *   sequence of answers is walked and the cell is the intersection of their path conditions.
 *   Finer than needed (a failed sibling's test counts), never coarser.
 * - A dialled string that begins with `_` is compared as a pattern by E_MATCH: not modelled.
 */
import {
  accepts, complement, EMPTY, isEmpty, compile, dashedString, difference, Dfa, fromStrings, dashClosure, intersect, markDashInvariant, prefixClosure,
  substringPreimage, afterPrefix, union, unionAll, UNIVERSE, intersectAll as intersectDfas,
} from '../../automata/dfa';
import { alt, ANY_STRING, cat, CharSet, chars, EPS, literal, NONE, repeat, star, type Re } from '../../automata/regex';
import type { AsteriskModel } from '../../model/asterisk';
import { dialplanIndex, firstPatternIndex, type ContextIndex, type DialplanExtension } from './dialplan-index';
import { lookupIndexOf, type FindRequest } from './find';
import type { PathObserver } from '../types';
import { cidMatches, groupEntries, memberWanted, type ExtensionGroup, type Wanted } from '../../automata/asterisk/pattern';
import { nameLanguage } from '../../automata/asterisk/pattern-re';
import { stripDashes } from '../../automata/asterisk/pattern-syntax';
import { buildTrieIndex, type DialledProbe } from '../../automata/asterisk/pattern-trie';

export type CellPrecision = 'winner' | 'found';

/** What a context's lookups are refined by, for one kind of lookup. */
interface Table {
  /** Qualifying literal names (dash-free) → their group (the first qualifying one in order). */
  literals: Map<string, ExtensionGroup<DialplanExtension>>;
  /** Qualifying patterns, in order. */
  patterns: ExtensionGroup<DialplanExtension>[];
  /** Caller-ID matches followed one by one (caller unknown): their names' languages refine the cell. */
  callerGroups: ExtensionGroup<DialplanExtension>[];
  /** Every group (for the trie's refinement). */
  all: readonly ExtensionGroup<DialplanExtension>[];
  literalUnion?: Dfa;
  union?: Dfa;
  /** No context a search from this one reaches has caller-ID matches to follow (see lookupCell). */
  noCallerGroupsReached?: boolean;
  /** Pattern i's winner cell, by i. */
  winnerCells: (Dfa | undefined)[];
  /** The strings no qualifying name matches (E_MATCH, E_CANMATCH). */
  noneCells: Partial<Record<'match' | 'canmatch', Dfa>>;
}

const tablesOf = new WeakMap<ContextIndex, Map<string, Table>>();

/** The context's groups, as its lookup index made them (one grouping of a 50,000-DID context, not two). */
function groups(ci: ContextIndex): readonly ExtensionGroup<DialplanExtension>[] {
  return lookupIndexOf(ci).groups;
}

function isPattern(name: string): boolean {
  return name.charCodeAt(0) === 0x5f;
}

type Caller = { unknown: boolean; any: boolean; id?: string };

/** tableKey's answers for a priority and an unknown (or any) caller, by priority: coverage asks per lookup. */
const unknownCallerKeys: string[] = [];
const anyCallerKeys: string[] = [];

/** What a table depends on besides the context: the lookup wanted and the caller. */
function tableKey(want: Wanted, caller: Caller): string {
  if (typeof want === 'number' && want >= 0 && want < 1024 && (caller.any || caller.unknown)) {
    const made = caller.any ? anyCallerKeys : unknownCallerKeys;
    return (made[want] ??= `${want}|${caller.any ? 'any' : 'unknown'}`);
  }
  return `${typeof want === 'number' ? want : `label:${want.label}`}|${caller.any ? 'any' : caller.unknown ? 'unknown' : `known:${caller.id ?? '\u0000none'}`}`;
}

function table(ci: ContextIndex, want: Wanted, caller: Caller, key = tableKey(want, caller)): Table {
  return cachedTable(tablesOf, ci, want, caller, key, groups);
}

/**
 * The table of the context's patterns alone (its literals left out): ext_cmp sorts every literal
 * before every pattern, and a group never mixes the two, so these are the pattern groups of
 * `table` — found without reading a big DID list (foundWithin).
 */
const patternTablesOf = new WeakMap<ContextIndex, Map<string, Table>>();
function patternTable(ci: ContextIndex, want: Wanted, caller: Caller): Table {
  return cachedTable(patternTablesOf, ci, want, caller, tableKey(want, caller), patternGroups);
}

function patternGroups(ci: ContextIndex): ExtensionGroup<DialplanExtension>[] {
  return groupEntries(ci.sorted.slice(firstPatternIndex(ci.sorted)));
}

/** `all` makes the context's groups on a miss (a function of the context, not a closure: a table is asked for several times a lookup). */
function cachedTable(cache: WeakMap<ContextIndex, Map<string, Table>>, ci: ContextIndex, want: Wanted, caller: Caller, key: string, all: (ci: ContextIndex) => readonly ExtensionGroup<DialplanExtension>[]): Table {
  let byKey = cache.get(ci);
  if (!byKey) cache.set(ci, (byKey = new Map()));
  let t = byKey.get(key);
  if (t) return t;
  t = { literals: new Map(), patterns: [], callerGroups: [], all: all(ci), winnerCells: [], noneCells: {} };
  for (const g of t.all) {
    if (memberWanted(g, want) === null) continue;
    if (g.cid !== undefined && !caller.any) {
      if (caller.unknown) { t.callerGroups.push(g); continue; }
      if (!cidMatches(g.cid, caller.id)) continue;
    }
    if (isPattern(g.matchName)) t.patterns.push(g);
    else {
      const name = stripDashes(g.matchName);
      if (!t.literals.has(name)) t.literals.set(name, g);
    }
  }
  byKey.set(key, t);
  return t;
}

function literalUnion(t: Table): Dfa {
  return (t.literalUnion ??= markDashInvariant(dashClosure(fromStrings(t.literals.keys()))));
}

function matchUnion(t: Table): Dfa {
  return (t.union ??= markDashInvariant(union(literalUnion(t), unionAll(t.patterns.map((g) => nameLanguage(g.matchName, 'match'))))));
}

const canUnions = new WeakMap<Table, Dfa>();
function canmatchUnion(t: Table): Dfa {
  let u = canUnions.get(t);
  if (!u) {
    // The prefixes of the literals (dashes anywhere): the prefix closure of their automaton —
    // a few states for a run of DIDs — not an automaton of every prefix of every name.
    const lits = markDashInvariant(prefixClosure(literalUnion(t)));
    u = markDashInvariant(union(lits, unionAll(t.patterns.map((g) => nameLanguage(g.matchName, 'canmatch')))));
    canUnions.set(t, u);
  }
  return u;
}

/** The cell of `s` in one context's walk. */
function contextCell(t: Table, s: string, mode: 'match' | 'canmatch', precision: CellPrecision): Dfa {
  let cell: Dfa;
  if (mode === 'canmatch' || precision === 'found') {
    const u = mode === 'canmatch' ? canmatchUnion(t) : matchUnion(t);
    cell = accepts(u, s) ? u : (t.noneCells[mode] ??= complement(u));
  } else {
    const plain = stripDashes(s);
    if (t.literals.has(plain)) cell = dashedString(plain);
    else {
      const i = t.patterns.findIndex((g) => accepts(nameLanguage(g.matchName, 'match'), s));
      if (i < 0) cell = t.noneCells.match ??= complement(matchUnion(t));
      else {
        cell = t.winnerCells[i] ??= markDashInvariant(difference(nameLanguage(t.patterns[i].matchName, 'match'), union(literalUnion(t), unionAll(t.patterns.slice(0, i).map((g) => nameLanguage(g.matchName, 'match'))))));
      }
    }
  }
  for (const g of t.callerGroups) {
    const l = nameLanguage(g.matchName, mode);
    cell = intersect(cell, accepts(l, s) ? l : complement(l));
  }
  return cell;
}

/** Per dialplan index: `reachable` of each context asked (the includes do not change after loading). */
const reachableOf = new WeakMap<object, Map<string, ContextIndex[]>>();

/** Contexts a search from `context` can reach through includes (those that exist), in search order. */
function reachable(model: AsteriskModel, context: string): ContextIndex[] {
  const index = dialplanIndex(model);
  let byContext = reachableOf.get(index);
  if (!byContext) reachableOf.set(index, (byContext = new Map()));
  let hit = byContext.get(context);
  if (!hit) byContext.set(context, (hit = reachableFrom(index, context)));
  return hit;
}

function reachableFrom(index: ReturnType<typeof dialplanIndex>, context: string): ContextIndex[] {
  const out: ContextIndex[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name.toLowerCase())) return;
    seen.add(name.toLowerCase());
    const ci = index.contexts.get(name);
    if (!ci) return;
    out.push(ci);
    for (const inc of ci.context.includes) visit(inc.context);
  };
  visit(context);
  return out;
}

/** Intersections of two context cells already made, by the first, then the second. */
const pairs = new WeakMap<Dfa, WeakMap<Dfa, Dfa>>();

/** Intersections of context cells already made, by the cells' ids (idOf). */
const combined = new Map<string, Dfa>();
const ids = new WeakMap<Dfa, number>();
let nextId = 0;
function idOf(d: Dfa): number {
  let id = ids.get(d);
  if (id === undefined) ids.set(d, (id = nextId++));
  return id;
}

const UNDERSCORE_FIRST = compile(cat([literal('_'), star(chars(CharSet.ANY))]));
const NOT_UNDERSCORE_FIRST = complement(UNDERSCORE_FIRST);

/**
 * The cell of `req.exten` for the search `req` (over lookup strings), and why it is not modelled
 * when it is not.
 */
export function lookupCell(model: AsteriskModel, req: FindRequest, precision: CellPrecision): { cell: Dfa; opaque?: string } {
  const s = req.exten;
  const mode = req.mode === 'canmatch' ? 'canmatch' : 'match';
  if (req.mode === 'matchmore') return { cell: dashedString(stripDashes(s)), opaque: 'an E_MATCHMORE lookup' };
  const want: Wanted = req.label !== undefined ? { label: req.label } : req.priority;
  const caller = { unknown: req.callerUnknown === true, any: req.anyCaller === true, id: req.callerId };
  // A label lookup for any caller is always the classic walk (pattern.ts chooseLabel).
  const trie = model.dialplan.general.extenpatternmatchnew === true && !(req.anyCaller && req.label !== undefined);
  let cell: Dfa | undefined;
  let opaque: string | undefined;
  if (mode === 'match') {
    // Raw first byte: _extension_match_core looks at data[0] before skipping dashes.
    if (s.charCodeAt(0) === 0x5f) {
      cell = UNDERSCORE_FIRST;
      opaque = 'a dialled string beginning with _ is compared as a pattern (E_MATCH)';
    } else cell = NOT_UNDERSCORE_FIRST;
  }
  const contexts = reachable(model, req.context);
  if (trie) {
    // Each context's walk (find.ts searches the context, then its includes): refined by all of them.
    const parts: Dfa[] = cell ? [cell] : [];
    for (const ci of contexts) {
      const c = trieCell(ci, req, want, mode, s);
      if (c === undefined) return { cell: dashedString(stripDashes(s)), opaque: opaque ?? `extenpatternmatchnew=yes: more than ${MAX_ANSWER_SEQUENCES} ways the caller-ID matches of [${ci.context.name}] can answer` };
      parts.push(c);
    }
    return { cell: parts.length ? intersectCellsOf(parts) : UNIVERSE, opaque };
  }
  // The common case: a literal wins in the first context and nothing else refines its cell (the
  // other contexts' cells are dash-invariant and hold s, so they hold its dashed forms too).
  const key = tableKey(want, caller);
  if (mode === 'match' && precision === 'winner' && s.charCodeAt(0) !== 0x5f && contexts.length) {
    const t = table(contexts[0], want, caller, key);
    const plain = stripDashes(s);
    if (t.literals.has(plain) && (t.noCallerGroupsReached ??= contexts.every((ci) => table(ci, want, caller, key).callerGroups.length === 0))) return { cell: dashedString(plain) };
  }
  // The same parts (cached per context) give the same intersection: kept by the parts' ids.
  const parts: Dfa[] = cell ? [cell] : [];
  for (const ci of contexts) parts.push(contextCell(table(ci, want, caller, key), s, mode, precision));
  if (parts.length === 0) return { cell: UNIVERSE, opaque };
  return { cell: intersectCellsOf(parts), opaque };
}

/**
 * Coverage: the lookup strings that `req`'s search finds as a literal extension of its first
 * context the way lookupCell's common case does (E_MATCH, no caller-ID match in any context
 * searched), when `req.exten` is one of them — each such string's cell is the string itself, so
 * coverage maps them one by one without observing them (PathObserver.literals). undefined when
 * `req` is not that case. (Only a hint of what to simulate next: a string's own cell is exact
 * whatever its path, so a wrong hint could only make the map finer, never wrong.)
 */
export function literalFamily(model: AsteriskModel, req: FindRequest): Dfa | undefined {
  if (req.mode !== 'match' || req.label !== undefined || model.dialplan.general.extenpatternmatchnew === true) return undefined;
  const s = req.exten;
  if (s.charCodeAt(0) === 0x5f) return undefined;
  const contexts = reachable(model, req.context);
  if (!contexts.length) return undefined;
  const caller = { unknown: req.callerUnknown === true, any: req.anyCaller === true, id: req.callerId };
  const key = tableKey(req.priority, caller);
  const t = table(contexts[0], req.priority, caller, key);
  if (!t.literals.has(stripDashes(s))) return undefined;
  if (!(t.noCallerGroupsReached ??= contexts.every((ci) => table(ci, req.priority, caller, key).callerGroups.length === 0))) return undefined;
  return literalUnion(t);
}

/**
 * PathObserver.literals for a lookup that found a literal: the dialled strings that find one of
 * its search's literals so. `entryLike`: the caller (pbx.ts) vouches that the channel making the
 * lookup is as chan_pjsip's own lookup of the name in that context would leave a new channel (see
 * Simulation.entryLike), so a dialled string's answer is that of the name it derives to, dialled
 * into the context directly — except the pickup extension, which chan_pjsip answers before any
 * lookup — when that answer's paths are no longer than the priorities the channel has left
 * (`budgetLeft`: each priority run is one step).
 */
export function reportLiterals(model: AsteriskModel, observe: PathObserver, find: FindRequest, source: Derivation, entryLike?: { budgetLeft: number }): void {
  const family = literalFamily(model, find);
  if (family === undefined) return;
  const strings = () => pullBack(family, source) ?? EMPTY;
  // Only cuts from the start (offset and length not negative): the name is a plain slice.
  if (!entryLike || source.offset < 0 || (source.length !== undefined && source.length < 0)) {
    observe.literals!({ strings });
    return;
  }
  const { prefix, offset, length } = source;
  const sameAs = (dialled: string) => {
    const name = prefix + (length === undefined ? dialled.slice(offset) : dialled.slice(offset, offset + length));
    return name === '' || name === model.pickupexten ? undefined : name;
  };
  observe.literals!({ strings, sameAs, context: find.context, longest: entryLike.budgetLeft });
}

/** The intersection of cells, kept by the cells' ids: the same parts (cached per context) come back for many lookups. */
function intersectCellsOf(parts: Dfa[]): Dfa {
  if (parts.length === 1) return parts[0];
  if (parts.length === 2) {
    // The usual search (one context, E_MATCH): kept by the pair itself, no key text to make.
    let byFirst = pairs.get(parts[0]);
    if (!byFirst) pairs.set(parts[0], (byFirst = new WeakMap()));
    let pair = byFirst.get(parts[1]);
    if (!pair) byFirst.set(parts[1], (pair = intersect(parts[0], parts[1])));
    return pair;
  }
  const partsKey = parts.map(idOf).join(',');
  let hit = combined.get(partsKey);
  if (!hit) {
    hit = intersectDfas(parts);
    if (combined.size > 20_000) combined.clear();
    combined.set(partsKey, hit);
  }
  return hit;
}

/** Caller-ID answer sequences walked for one trie lookup before its cell is said not modelled. */
const MAX_ANSWER_SEQUENCES = 64;

const triesOf = new WeakMap<ContextIndex, ReturnType<typeof buildTrieIndex<DialplanExtension>>>();

/**
 * The path condition of the trie walk of `s` in one context (see the header), or undefined when
 * the caller's number can answer its questions in too many ways. The trie is built as find.ts
 * builds it (pattern.ts buildContextIndex: the same groups, the same trieBuiltAfter).
 */
function trieCell(ci: ContextIndex, req: FindRequest, want: Wanted, mode: 'match' | 'canmatch', s: string): Dfa | undefined {
  let trie = triesOf.get(ci);
  if (!trie) triesOf.set(ci, (trie = buildTrieIndex(groups(ci), ci.context.trieBuiltAfter)));
  const trace = new PathCondition();
  // find.ts forksOnCaller: an unknown caller meets the context's caller-ID matches one by one.
  const forks = req.callerUnknown === true && !req.anyCaller && groups(ci).some((g) => g.cid !== undefined);
  if (!forks) {
    trie.find(s, req.callerId, want, mode, undefined, trace);
    return trace.language();
  }
  // Every sequence of answers (a yes does not always end the walk: E_CANMATCH and E_FINDLABEL go on).
  const queue: boolean[][] = [[]];
  for (let q = 0; q < queue.length; q++) {
    if (queue.length > MAX_ANSWER_SEQUENCES) return undefined;
    const given = queue[q];
    const answered: boolean[] = [];
    trie.find(s, undefined, want, mode, () => {
      if (answered.length < given.length) {
        answered.push(given[answered.length]);
        return answered[answered.length - 1];
      }
      queue.push([...answered, true]);
      answered.push(false);
      return false;
    }, trace);
  }
  return trace.language();
}

/** Path-condition languages already made, by the condition (PathCondition.language). */
const conditionLanguages = new Map<string, Dfa>();

/**
 * The strings passing the tests a DialledProbe was told of, as they passed them: per position,
 * the characters allowed there and whether the string may have ended before it.
 */
class PathCondition implements DialledProbe {
  private readonly allowed: { chars: CharSet; end: boolean }[] = [];
  /** Positions from which on no '/' may follow (noSlashFrom), the smallest kept. */
  private slashFree = Infinity;

  noSlashFrom(pos: number): void {
    this.slashFree = Math.min(this.slashFree, pos);
  }

  test(pos: number, charsIn: string | null, end: boolean, holds: boolean): void {
    let set = charsIn === null ? CharSet.ANY : CharSet.of(charsIn);
    let mayEnd = end;
    if (!holds) {
      set = set.complement();
      mayEnd = !mayEnd;
    }
    const a = this.allowed[pos];
    this.allowed[pos] = a ? { chars: a.chars.intersect(set), end: a.end && mayEnd } : { chars: set, end: mayEnd };
  }

  /**
   * The language, made once per distinct condition: the walks of one context's numbers mostly
   * take the same few paths.
   */
  language(): Dfa {
    let key = `${this.slashFree}`;
    for (const a of this.allowed) key += a ? `|${a.chars.bits.join(',')}${a.end ? 'e' : ''}` : '|*';
    let d = conditionLanguages.get(key);
    if (!d) {
      d = this.build();
      if (conditionLanguages.size > 20_000) conditionLanguages.clear();
      conditionLanguages.set(key, d);
    }
    return d;
  }

  /** R_i = A_i · R_{i+1} | ε (when the string may end at i, i.e. at every tested position from i on); past the last tested position, anything. */
  private build(): Dfa {
    let re: Re = ANY_STRING;
    let endOk = true;
    for (let i = this.allowed.length - 1; i >= 0; i--) {
      const a = this.allowed[i] ?? { chars: CharSet.ANY, end: true };
      endOk = endOk && a.end;
      re = alt([cat([chars(a.chars), re]), endOk ? EPS : NONE]);
    }
    if (this.slashFree === Infinity) return compile(re);
    // Strings of at most slashFree characters, or slashFree characters then no '/'.
    const noSlash = chars(CharSet.ANY.intersect(CharSet.of('/').complement()));
    const free = alt([repeat(chars(CharSet.ANY), 0, this.slashFree), cat([repeat(chars(CharSet.ANY), this.slashFree, this.slashFree), star(noSlash)])]);
    return intersect(compile(re), compile(free));
  }
}

/**
 * How a channel's extension relates to the dialled string x: `prefix` + x's substring from
 * `offset` (of `length` characters), Asterisk's ${EXTEN:offset:length} semantics.
 */
export interface Derivation {
  prefix: string;
  offset: number;
  length?: number;
}

export const IDENTITY: Derivation = { prefix: '', offset: 0 };

/** The dialled strings whose derived string lies in `lang`; undefined when not modelled. */
export function pullBack(lang: Dfa, d: Derivation): Dfa | undefined {
  const l = d.prefix ? afterPrefix(lang, d.prefix) : lang;
  if (d.offset === 0 && d.length === undefined) return l;
  return substringPreimage(l, d.offset, d.length);
}

/**
 * `prefix${EXTEN:offset:length}` (offset/length undefined: `${EXTEN}`) of an extension derived
 * by `d`: a new derivation, 'constant' (the result no longer depends on the dialled string), or
 * undefined (not modelled).
 */
export function compose(d: Derivation, prefix: string, offset: number | undefined, length: number | undefined): Derivation | 'constant' | undefined {
  if (offset === undefined && length === undefined) return { prefix: prefix + d.prefix, offset: d.offset, length: d.length };
  const o = offset ?? 0;
  if (d.prefix === '' && d.offset === 0 && d.length === undefined) {
    if (o < 0 && length !== undefined) return undefined;
    if (length !== undefined && length < 0) return undefined;
    return { prefix, offset: o, length };
  }
  if (o < 0 || d.offset < 0 || d.length !== undefined || (length !== undefined && length < 0)) return undefined;
  const dp = d.prefix;
  if (o <= dp.length) {
    const kept = dp.slice(o);
    if (length === undefined) return { prefix: prefix + kept, offset: d.offset };
    if (length <= kept.length) return 'constant';
    return { prefix: prefix + kept, offset: d.offset, length: length - kept.length };
  }
  return { prefix, offset: d.offset + o - dp.length, length };
}

/** Parses an extension argument of the form `prefix${EXTEN}` / `prefix${EXTEN:k}` / `prefix${EXTEN:k:n}`. */
export function extenTemplate(text: string): { prefix: string; offset?: number; length?: number } | undefined {
  // (Coverage asks for the same few jump arguments on every simulation: the answers are kept.)
  let t = templates.get(text);
  if (t === undefined) {
    t = parseExtenTemplate(text) ?? null;
    if (templates.size > 1000) templates.clear();
    templates.set(text, t);
  }
  return t ?? undefined;
}
const templates = new Map<string, { prefix: string; offset?: number; length?: number } | null>();

function parseExtenTemplate(text: string): { prefix: string; offset?: number; length?: number } | undefined {
  const m = /^([^$]*)\$\{EXTEN(?::(-?\d+)(?::(-?\d+))?)?\}$/.exec(text);
  if (!m) return undefined;
  return { prefix: m[1], offset: m[2] === undefined ? undefined : parseInt(m[2], 10), length: m[3] === undefined ? undefined : parseInt(m[3], 10) };
}

/** The dialled strings equal to `s` (for tests like "the user part is the pickup extension"). */
export function exactly(s: string): Dfa {
  let d = exactCache.get(s);
  if (!d) {
    d = fromStrings([s]);
    if (exactCache.size > 1000) exactCache.clear();
    exactCache.set(s, d);
  }
  return d;
}
const exactCache = new Map<string, Dfa>();

export { intersect as intersectCells };

const HAS_DASH = compile(cat([star(chars(CharSet.ANY)), literal('-'), star(chars(CharSet.ANY))]));

/**
 * The strings of `within` for which a search of `context` (and its includes) at priority 1 finds
 * a qualifying name — E_MATCH (ast_exists_extension) or E_CANMATCH (ast_canmatch_extension) —
 * split into `every` (a name without a caller-ID match: found for every caller) and `some` (only
 * caller-ID matches: found for some callers). These are the 'found' cells lookupCell reports
 * (matchUnion / canmatchUnion of every reachable context, the same tables), restricted to
 * `within` — built without the automaton of every literal: only the literals that fall in
 * `within` minus the patterns are (a trunk's context may hold 50,000 literal DIDs, and a number
 * format is met by none of them when a pattern covers it). Timing of includes is ignored, as the
 * cells do (a timed include's names count as found: its strings depend on the time, not 404).
 * `switches`: a reachable context has a switch (a string may exist through it: not modelled).
 * `within` must not hold strings that begin with `_` (compared as patterns: not modelled).
 * `every` and `some` are built when read (`anyEvery` answers "is something found" without them):
 * the automaton of 50,000 literal hits costs a minimisation a caller may not need.
 */
export interface FoundWithin {
  readonly anyEvery: boolean;
  readonly every: Dfa;
  readonly some: Dfa;
  readonly switches: boolean;
}

function lazyFound(anyEvery: boolean, every: () => Dfa, some: (every: () => Dfa) => Dfa, switches: boolean): FoundWithin {
  let e: Dfa | undefined;
  let s: Dfa | undefined;
  const everyOnce = () => (e ??= every());
  return {
    anyEvery,
    switches,
    get every() {
      return everyOnce();
    },
    get some() {
      return (s ??= some(everyOnce));
    },
  };
}

export function foundWithin(model: AsteriskModel, context: string, mode: 'match' | 'canmatch', within: Dfa): FoundWithin {
  const contexts = reachable(model, context);
  const caller = { unknown: true, any: false };
  const switches = contexts.some((ci) => ci.context.switches.length > 0);
  const languages = (groupsOf: (t: Table) => ExtensionGroup<DialplanExtension>[], tables: Table[]) => unionAll(tables.flatMap((t) => groupsOf(t).map((g) => nameLanguage(g.matchName, mode))));
  // The patterns first: when they hold every string of `within` (a catch-all, a pattern per
  // format), no literal is read, and the 50,000 DIDs of a trunk context cost nothing.
  const patternTables = contexts.map((ci) => patternTable(ci, 1, caller));
  const patterns = languages((t) => t.patterns, patternTables);
  if (isEmpty(difference(within, patterns))) return lazyFound(!isEmpty(within), () => within, () => EMPTY, switches);
  // The whole tables (every literal grouped) are made only when the literals' automaton is built:
  // whether one hits is read from the sorted entries (someLiteralHit).
  let tablesMade: Table[] | undefined;
  const tablesOfContexts = () => (tablesMade ??= contexts.map((ci) => table(ci, 1, caller)));
  // Caller-ID matches are few: their names are read from the pattern tables and, for literals, the whole ones.
  const cid = languages((t) => t.callerGroups, contexts.some(literalCallerMatches) ? tablesOfContexts() : patternTables);
  const byCid = intersect(within, cid);
  const some = (every: () => Dfa) => (isEmpty(byCid) ? EMPTY : difference(byCid, every()));
  if (!isEmpty(intersect(within, HAS_DASH))) {
    // Dashed strings match literals with their dashes skipped: the literals' dash closure, whole.
    const every = intersect(within, unionAll(tablesOfContexts().map((t) => (mode === 'match' ? matchUnion(t) : canmatchUnion(t)))));
    return lazyFound(!isEmpty(every), () => every, some, switches);
  }
  const rest = isEmpty(patterns) ? within : difference(within, patterns);
  const byPattern = intersect(within, patterns);
  const live = liveStates(rest);
  // Literal names (dash-free) in `rest`, or with E_CANMATCH every prefix of one that is: a walk
  // along the name in `rest`'s automaton, left at its first dead state; nothing is built.
  // The first characters that lead anywhere: most literals of a DID list leave on the first one.
  const firstLive = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    const t = rest.step(0, c);
    firstLive[c] = t >= 0 && live[t] ? 1 : 0;
  }
  const walk = (name: string, hit: (s: string) => void) => {
    if (mode === 'canmatch' && rest.accept[0]) hit('');
    const c0 = name.charCodeAt(0);
    if (!(c0 < 128 && firstLive[c0])) return;
    let q = 0;
    for (let i = 0; i < name.length && q >= 0 && live[q]; i++) {
      q = rest.step(q, name.charCodeAt(i));
      if (q >= 0 && rest.accept[q] && (mode === 'canmatch' || i === name.length - 1)) hit(name.slice(0, i + 1));
    }
  };
  const every = () => {
    const hits = new Set<string>();
    if (live[0]) forEachQualifyingLiteral(contexts, (name) => walk(name, (x) => hits.add(x)));
    // Operations with an empty side are skipped: with 50,000 literal hits each costs a minimisation.
    return hits.size === 0 ? byPattern : isEmpty(byPattern) ? fromStrings(hits) : union(byPattern, fromStrings(hits));
  };
  return lazyFound(!isEmpty(byPattern) || (live[0] === 1 && someLiteralHit(contexts, walk)), every, some, switches);
}

/**
 * The literal names (dash-free) of the contexts that exist at priority 1 without a caller-ID
 * match — the names `table` keeps in `literals` for an unknown caller (a group qualifies when a
 * member has priority 1, memberWithPriority, so a name does when one of its entries does) — read
 * from the sorted entries without grouping 50,000 of them. `visit` returning true stops the scan.
 */
function forEachQualifyingLiteral(contexts: readonly ContextIndex[], visit: (name: string) => boolean | void): void {
  for (const ci of contexts) {
    const names = qualifyingLiterals(ci);
    for (let i = 0; i < names.length; i++) if (visit(names[i])) return;
  }
}

/** The context's qualifying literal names, read once (each format and mode walks them again). */
const qualifyingOf = new WeakMap<ContextIndex, string[]>();
function qualifyingLiterals(ci: ContextIndex): string[] {
  let names = qualifyingOf.get(ci);
  if (!names) {
    names = [];
    const end = firstPatternIndex(ci.sorted);
    for (let i = 0; i < end; i++) {
      const e = ci.sorted[i];
      if (e.cid === undefined && e.hasPriority(1)) names.push(stripDashes(e.matchName));
    }
    qualifyingOf.set(ci, names);
  }
  return names;
}

/** Whether a qualifying literal walks to a hit (stops at the first). */
function someLiteralHit(contexts: readonly ContextIndex[], walk: (name: string, hit: (s: string) => void) => void): boolean {
  let found = false;
  forEachQualifyingLiteral(contexts, (name) => {
    walk(name, () => {
      found = true;
    });
    return found;
  });
  return found;
}

/** Whether a literal of the context has a caller-ID match (a scan of the sorted entries, kept per context). */
const literalCids = new WeakMap<ContextIndex, boolean>();
function literalCallerMatches(ci: ContextIndex): boolean {
  let has = literalCids.get(ci);
  if (has === undefined) {
    has = false;
    const end = firstPatternIndex(ci.sorted);
    for (let i = 0; i < end && !has; i++) if (ci.sorted[i].cid !== undefined) has = true;
    literalCids.set(ci, has);
  }
  return has;
}

/** States from which an accepting state can be reached. */
function liveStates(d: Dfa): Uint8Array {
  const n = d.nStates;
  const k = d.nClasses;
  const live = Uint8Array.from(d.accept);
  for (let changed = true; changed; ) {
    changed = false;
    for (let q = 0; q < n; q++) {
      if (live[q]) continue;
      for (let c = 0; c < k; c++) {
        if (live[d.trans[q * k + c]]) {
          live[q] = 1;
          changed = true;
          break;
        }
      }
    }
  }
  return live;
}
