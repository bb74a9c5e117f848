/**
 * The partition of one entry point's dialled strings into classes with one outcome each —
 * concolic, by asking the engine's own simulator (no second pipeline):
 *
 *   R := the universe; while R ≠ ∅: x := shortestExample(R); simulate x with an observer; the
 *   path condition P := ∩ of the reported cells (every string of P takes the same branches, so
 *   gets the same answer); record (P ∩ R, answer(x)); R := R \ P.
 *
 * Then the cells with the same outcome are merged into one class. The classes are disjoint and
 * cover the universe by construction. Exactness rests on the resolver reporting every test it
 * makes on the dialled string (PathObserver); a test it cannot express reports `opaque`, and the
 * class says "not modelled" with the reason.
 */
import {
  AutomatonBudget, Dfa, EMPTY, accepts, compile, countMembers, difference, fromStrings, intersect, intersectAll, isEmpty, members, nextMember, shortestExample, singleString, soleMember, stringLanguage, toRegex, union,
} from '../automata/dfa';
import { cat, chars, CharSet, star } from '../automata/regex';
import type { LiteralHint, PathObserver, RouteAnswer, RouteRequest, RouteTarget, Verdict } from '../resolvers/types';
import type { CoverageClass, CoverageEngine, CoverageEntry, CoverageOptions, CoverageVia, EntryCoverage } from './types';

/**
 * The strings coverage partitions unless an entry says otherwise: the dialable ones (issue 14:
 * digits, `*`, `#`, `+`, and letters, which Asterisk matches in names such as `s`). Punctuation a
 * Request-URI may also carry (`-`, `_`, `;` …) is left out of the map, not out of the simulators.
 */
const HAS_DASH: Dfa = compile(cat([star(chars(CharSet.ANY)), chars(CharSet.of('-')), star(chars(CharSet.ANY))]));

export const DIALABLE_UNIVERSE: Dfa = compile(star(chars(CharSet.of('0123456789*#+abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'))));

/**
 * A path condition the simulator could not state exactly (it reported `opaque`: the outcome reads
 * the dialled string in a way no cell expresses, a construct not modelled) is still exact for the
 * one string simulated: route's answer for that string is the engine's. So a small finite one is
 * mapped string by string — at most this many strings each, and in all per entry — and each string
 * is a cell of its own with no "not modelled" (the strings with the same outcome are one class
 * again, classesOf). A larger or infinite one stays one cell, not modelled.
 */
export const MAX_ENUMERATED_PER_CELL = 2000;
export const MAX_ENUMERATED_PER_ENTRY = 20_000;

/**
 * Strings that a lookup hint (PathObserver.literals) says land on literal extensions are mapped
 * one by one without the observer when there are at most this many; and an entry stops asking
 * after this many hints that gave nothing to map.
 */
export const MAX_LITERAL_FAMILY = 1_000_000;
const MAX_FRUITLESS_FAMILIES = 16;

/** Cells one entry may have by default (the 50,000-extension bench needs about 50,000). */
export const DEFAULT_MAX_CLASSES = 200_000;

/** What the partition of one entry reads of the options (the request is the entry's own). */
export type PartitionOptions = Pick<CoverageOptions, 'maxClasses' | 'strict'>;

/** A reported cell that does not hold the string simulated: a resolver bug (strict runs throw it). */
export class CellInconsistency extends Error {}

/** Collects what one simulation reported. */
export class PathRecorder implements PathObserver {
  /** Classes are made of answers' verdicts, statuses, targets, outcomes, notModelled and via: their texts are not needed. */
  readonly textsUnread = true;
  readonly cells: (Dfa | (() => Dfa))[] = [];
  readonly whys: string[] = [];
  readonly opaques: string[] = [];
  /** PathObserver.literals: strings best mapped one by one (see partitionEntry's `expandLiterals`). */
  families: LiteralHint[] | undefined = undefined;
  /** The index in `cells` of the test each hint is about (the one reported just before it). */
  familyCells: number[] | undefined = undefined;
  test(language: Dfa | (() => Dfa), why: string): void {
    this.cells.push(language);
    this.whys.push(why);
  }
  literals(hint: LiteralHint): void {
    (this.families ??= []).push(hint);
    (this.familyCells ??= []).push(this.cells.length - 1);
  }
  opaque(why: string): void {
    if (!this.opaques.includes(why)) this.opaques.push(why);
  }
}

/**
 * The answers of names dialled directly into a context (PathObserver.literals' sameAs), shared
 * by the entries of one map (runCoverage): by context and name, the cell of the name as an entry
 * whose first lookup is in that context maps it — only where that lookup found the name itself
 * (its via is the name's priority 1 there) — with its answer's longest path, in steps.
 */
export class DirectAnswers {
  /** By context, then name (no key text made per lookup: 150,000 of them cost more than the rest). */
  private readonly byContext = new Map<string, Map<string, DirectAnswer>>();
  get(context: string, name: string): DirectAnswer | undefined {
    return this.byContext.get(context)?.get(name);
  }
  /** Keeps `answer` when its lookup found `name` itself in `context`. */
  offer(context: string, name: string, answer: DirectAnswer): void {
    const via = answer.cell.via;
    if (via === null || via.context !== context || via.extension !== name) return;
    let byName = this.byContext.get(context);
    if (byName === undefined) this.byContext.set(context, (byName = new Map()));
    byName.set(name, answer);
  }
}
interface DirectAnswer {
  cell: Cell;
  longest: number;
}

/** One cell: strings following the same paths, and the answer they get. */
export interface Cell {
  language: Dfa;
  /**
   * The answer as far as a class needs it: no steps, no reason, no request text (a map of
   * 150,000 cells keeping them all spends more in the garbage collector than in simulating).
   */
  answer: CellAnswer;
  notModelled: string[];
  via: CoverageVia | null;
  /** Cells of one entry with the same key are one class (numbered by ClassKeys). */
  key: number;
}

/** The `notModelled` of the (many) cells that have none: one shared empty list, never changed. */
const NOTHING_UNMODELLED: string[] = [];

/** What a class says of an answer; its outcomes are the class's `outcomes` as they are. */
export interface CellAnswer {
  verdict: Verdict;
  status: number | null;
  target: RouteTarget | null;
  outcomes: NonNullable<CoverageClass['outcomes']>;
  /** The conditions of a depends class with this answer (dependsConditions), once made. */
  dependsOn?: string[];
  /** Its part of a cell's outcomeHash, once made. */
  hash?: number;
}

/**
 * Numbers the distinct outcomes of one entry's cells: what makes two cells one class is the same
 * outcome decided at the same place (sameClass). Found by a hash of those fields and compared
 * field by field: no key string per cell (150,000 of them cost more than the rest of the bookkeeping).
 */
export class ClassKeys {
  /** The first cell of each outcome, by hash (a list only where hashes collide). */
  private readonly byHash = new Map<number, Cell | Cell[]>();
  private count = 0;
  /** The CellAnswers made, by their first outcome's target object (see answer()). */
  private readonly answers = new Map<RouteTarget, CellAnswer[]>();

  /**
   * The CellAnswer of `answer`: one already made with the same content when there is one (found
   * by the first outcome's target object, which the simulators share between answers: a DID
   * reached directly and as +1… ends the same ways), else a new one. Cells keep their answers
   * until the classes are made, and the classes keep the outcomes: 100,000 copies of the same
   * objects were much of what the garbage collector moved.
   */
  answer(answer: RouteAnswer): CellAnswer {
    const first = answer.outcomes.length ? answer.outcomes[0].target : null;
    let made: CellAnswer[] | undefined;
    if (first !== null) {
      made = this.answers.get(first);
      if (made) for (const a of made) if (sameAnswer(a, answer)) return a;
    }
    const trimmed: CellAnswer = {
      verdict: answer.verdict,
      status: answer.status,
      target: answer.target,
      outcomes: answer.outcomes.map((o) => ({ verdict: o.verdict, status: o.status, target: o.target, conditions: o.conditions })),
      dependsOn: undefined,
      hash: undefined,
    };
    if (first !== null) {
      if (!made) this.answers.set(first, [trimmed]);
      // A target that many different answers end at is not searched further (lists stay short).
      else if (made.length < 8) made.push(trimmed);
    }
    return trimmed;
  }

  /** Sets `c.key`: the key of the first cell met with the same outcome, else a new one. */
  number(c: Cell): void {
    const h = outcomeHash(c);
    const found = this.byHash.get(h);
    if (found) {
      for (const other of Array.isArray(found) ? found : [found]) {
        if (sameClass(c, other)) {
          c.key = other.key;
          return;
        }
      }
    }
    c.key = this.count++;
    if (!found) this.byHash.set(h, c);
    else if (Array.isArray(found)) found.push(c);
    else this.byHash.set(h, [found, c]);
  }
}

/** The verdict a class shows: a cell with constructs not modelled depends on them. */
function shownVerdict(c: Cell): Verdict {
  return c.notModelled.length && c.answer.verdict !== 'depends' ? 'depends' : c.answer.verdict;
}

function sameClass(x: Cell, y: Cell): boolean {
  const a = x.answer;
  const b = y.answer;
  if (shownVerdict(x) !== shownVerdict(y) || a.status !== b.status || a.target?.kind !== b.target?.kind || a.target?.name !== b.target?.name) return false;
  if (x.via?.file !== y.via?.file || x.via?.line !== y.via?.line || x.via?.context !== y.via?.context || x.via?.extension !== y.via?.extension) return false;
  if (a.outcomes.length !== b.outcomes.length || x.notModelled.length !== y.notModelled.length) return false;
  for (let i = 0; i < a.outcomes.length; i++) {
    const o = a.outcomes[i];
    const p = b.outcomes[i];
    if (o.verdict !== p.verdict || o.status !== p.status || o.target?.kind !== p.target?.kind || o.target?.name !== p.target?.name) return false;
    if (!sameConditions(o.conditions, p.conditions)) return false;
  }
  for (let i = 0; i < x.notModelled.length; i++) if (x.notModelled[i] !== y.notModelled[i]) return false;
  return true;
}

function sameVia(a: CoverageVia | null, b: CoverageVia | null): boolean {
  return a === b || (a !== null && b !== null && a.file === b.file && a.line === b.line && a.context === b.context && a.extension === b.extension);
}

/** Whether two answers say the same (as sameClass compares them; the objects may differ). */
function sameAnswers(a: CellAnswer, b: CellAnswer): boolean {
  if (a === b) return true;
  if (a.verdict !== b.verdict || a.status !== b.status || a.target?.kind !== b.target?.kind || a.target?.name !== b.target?.name || a.outcomes.length !== b.outcomes.length) return false;
  for (let i = 0; i < a.outcomes.length; i++) {
    const o = a.outcomes[i];
    const p = b.outcomes[i];
    if (o.verdict !== p.verdict || o.status !== p.status || o.target?.kind !== p.target?.kind || o.target?.name !== p.target?.name || !sameConditions(o.conditions, p.conditions)) return false;
  }
  return true;
}

/** Conditions are compared as route words them together (joined by " & "). */
function sameConditions(a: string[], b: string[]): boolean {
  if (a.length === b.length && a.every((c, i) => c === b[i])) return true;
  return a.join(' & ') === b.join(' & ');
}

/**
 * FNV-1a over some of the fields sameClass compares — what usually tells outcomes apart (equal
 * fields, equal hash; cells that only differ elsewhere share a hash and are told apart by
 * sameClass). Condition texts are counted, not read: hashing their characters for 150,000 cells
 * cost more than the rare collision it avoids. Cut to a small integer, which a Map keys without
 * boxing it.
 */
function outcomeHash(c: Cell): number {
  const via = c.via;
  let h = answerHash(c.answer);
  h = hashPart(h, shownVerdict(c));
  if (via !== null) h = hashPart(h, via.line);
  h = hashPart(h, c.notModelled.length);
  return h & 0x3fffffff;
}

/** The answer's part of outcomeHash, kept with it (answers are shared by many cells: taken over, or the same). */
function answerHash(a: CellAnswer): number {
  if (a.hash !== undefined) return a.hash;
  let h = 0x811c9dc5;
  h = hashPart(h, a.status);
  h = hashPart(h, a.target?.name);
  h = hashPart(h, a.outcomes.length);
  for (const o of a.outcomes) {
    h = hashPart(h, o.status);
    h = hashPart(h, o.target?.name);
    h = hashPart(h, o.conditions.length);
  }
  return (a.hash = h);
}

function hashPart(h: number, v: string | number | null | undefined): number {
  if (v === undefined) return Math.imul(h ^ 0x101, 0x01000193);
  if (v === null) return Math.imul(h ^ 0x102, 0x01000193);
  if (typeof v === 'number') return Math.imul(Math.imul(h ^ 0x103, 0x01000193) ^ (v | 0), 0x01000193);
  // Every character: names may differ anywhere (VoiceMail(49997@default,u), VoiceMail(49998@…)).
  for (let i = 0; i < v.length; i++) h = Math.imul(h ^ v.charCodeAt(i), 0x01000193);
  return Math.imul(h ^ 0x104, 0x01000193);
}

export function makeCell(language: Dfa, answer: RouteAnswer, notModelled: string[], via: CoverageVia | null, keys: ClassKeys): Cell {
  const cell: Cell = { language, answer: keys.answer(answer), notModelled, via, key: -1 };
  keys.number(cell);
  return cell;
}

/** Whether a CellAnswer says exactly what `b` says (targets as the same objects, conditions word for word). */
function sameAnswer(a: CellAnswer, b: RouteAnswer): boolean {
  if (a.verdict !== b.verdict || a.status !== b.status || a.target !== b.target || a.outcomes.length !== b.outcomes.length) return false;
  for (let i = 0; i < a.outcomes.length; i++) {
    const o = a.outcomes[i];
    const p = b.outcomes[i];
    if (o.verdict !== p.verdict || o.status !== p.status || o.target !== p.target || o.conditions.length !== p.conditions.length) return false;
    for (let j = 0; j < o.conditions.length; j++) if (o.conditions[j] !== p.conditions[j]) return false;
  }
  return true;
}

/**
 * The path condition: the intersection of the reported cells, smallest first. When one cell is
 * the string itself (a literal extension's lookup), that is the condition: nothing else is built.
 * `dashFree`: the universe has no `-`, so a dashed single string (Asterisk's literal, which `-`
 * anywhere also matches) is the string alone within it. `strict`: every cell is built and checked.
 */
function pathCondition(recorder: PathRecorder, within: Dfa, x: string, dashFree: boolean, strict: boolean): Dfa {
  for (const c of recorder.cells) {
    if (c instanceof Dfa && c.single === x && (!c.dashed || dashFree)) return c.dashed ? singleString(x) : c;
  }
  // Built last first: a path that ends in a test only x passes (FreeSWITCH's condition
  // ^2025550100$ after those of the extensions before it) needs no other cell — 2,000 literal
  // conditions are not 2,000 cells intersected for each of 2,000 numbers.
  const cells = recorder.cells;
  const langs: Dfa[] = new Array(cells.length);
  for (let i = cells.length - 1; i >= 0; i--) {
    const c = cells[i];
    const l = (langs[i] = c instanceof Dfa ? c : c());
    if (!strict && soleMember(l) === x) return singleString(x);
  }
  langs.forEach((l, i) => {
    if (!accepts(l, x)) throw new CellInconsistency(`coverage: the cell "${recorder.whys[i]}" reported for ${JSON.stringify(x)} does not contain it (a resolver bug)`);
  });
  const p = intersectAll(langs);
  return langs.length ? intersect(p, within) : within;
}

/**
 * Partitions `entry`'s universe. `run` simulates one dialled string with the observer set on
 * the request. Throws nothing for a too-large automaton: the rest becomes a noted `depends` cell.
 */
export function partitionEntry<M>(engine: CoverageEngine<M>, model: M, entry: CoverageEntry, options: PartitionOptions, direct = new DirectAnswers()): { cells: Cell[]; notes: string[] } {
  const notes: string[] = [];
  const cells: Cell[] = [];
  const keys = new ClassKeys();
  const maxCells = options.maxClasses ?? DEFAULT_MAX_CLASSES;
  let rest = entry.universe ?? DIALABLE_UNIVERSE;

  /** A cell of `x` alone with route's answer for `request` (user `x`), not yet numbered nor kept. */
  const simulateAlone = (x: string, request: RouteRequest): DirectAnswer => {
    const answer = engine.route(model, request);
    const notModelled = answer.notModelled.length ? [...new Set(answer.notModelled)] : NOTHING_UNMODELLED;
    return { cell: { language: stringLanguage(x), answer: keys.answer(answer), notModelled, via: engine.via(answer, request), key: -1 }, longest: longestPath(answer) };
  };
  /**
   * A string mapped as a cell of its own, simulated without the observer (nothing to observe:
   * the string alone is an exact cell whatever its path; route's answer for it is the engine's).
   * The caller takes it out of `rest`.
   */
  const alone = (x: string): DirectAnswer => {
    const made = simulateAlone(x, { ...entry.request, user: x, textsUnread: true });
    keys.number(made.cell);
    cells.push(made.cell);
    return made;
  };
  /** A cell of `y` alone with the answer of another (sameAs), and the via of the way `y` comes. */
  const takeOver = (y: string, from: Cell, via: CoverageVia | null) => {
    const cell: Cell = { language: stringLanguage(y), answer: from.answer, notModelled: NOTHING_UNMODELLED, via, key: -1 };
    keys.number(cell);
    cells.push(cell);
    if (options.strict) {
      // Tests: the promise is checked against a simulation of y itself.
      const checked = alone(y).cell;
      cells.pop();
      if (checked.key !== cell.key) throw new CellInconsistency(`coverage: ${JSON.stringify(y)} was given the answer of another string (PathObserver.literals sameAs), and its own differs (a resolver bug)`);
    }
  };
  /**
   * The answer of `name` dialled directly into `context`: kept by an entry of this map, else
   * simulated as such (CoverageEngine.intoContext) and kept. undefined when not known so.
   */
  const dialledInto = (context: string, name: string): DirectAnswer | undefined => {
    const known = direct.get(context, name);
    if (known !== undefined || engine.intoContext === undefined) return known;
    direct.offer(context, name, simulateAlone(name, { ...engine.intoContext(entry.request, context), user: name, textsUnread: true }));
    return direct.get(context, name);
  };
  let fruitlessFamilies = 0;
  /**
   * After `x` (already out of `rest`) came out a cell of its own through a literal lookup: the
   * strings of `rest` that took the same tests before that lookup (the simulation's other
   * cells) and land on another literal of the same search (the hint) are mapped alone too, and
   * leave `rest` together — 50,000 DIDs reached through one Goto are one set operation and
   * 50,000 unobserved simulations, not 50,000 observed ones and visits of the walk; with a
   * promise (sameAs), they take the answers of the names dialled directly, not simulating.
   */
  const expandLiterals = (recorder: PathRecorder, x: string, xCell: Cell) => {
    if (fruitlessFamilies >= MAX_FRUITLESS_FAMILIES) return;
    const hints = recorder.families!;
    // Every test of the path but the hinted lookups' own (each the string x alone), and the hints.
    const parts: Dfa[] = [rest];
    recorder.cells.forEach((c, i) => {
      if (!recorder.familyCells!.includes(i)) parts.push(c instanceof Dfa ? c : c());
    });
    for (const h of hints) parts.push(h.strings());
    const family = intersectAll(parts);
    const room = Math.min(MAX_LITERAL_FAMILY, maxCells - cells.length - 1);
    const strings = room > 0 ? members(family, room) : undefined;
    if (!strings || strings.length === 0) {
      fruitlessFamilies++;
      return;
    }
    // A promise that strings answer as the literal they reach (one lookup's, so one hint): kept
    // only if x's own answer, simulated, is the one it promises.
    // (Not after a test not modelled: a string of the set might have branched elsewhere.)
    const promise = hints.length === 1 && hints[0].sameAs !== undefined && hints[0].context !== undefined && hints[0].longest !== undefined && recorder.opaques.length === 0 ? hints[0] : undefined;
    const usable = (n: string | undefined): Cell | undefined => {
      const k = n === undefined ? undefined : dialledInto(promise!.context!, n);
      return k !== undefined && k.cell.notModelled.length === 0 && k.longest <= promise!.longest! ? k.cell : undefined;
    };
    const own = promise !== undefined && xCell.notModelled.length === 0 ? usable(promise.sameAs!(x)) : undefined;
    const keeps = own !== undefined && sameAnswers(own.answer, xCell.answer);
    for (const y of strings) {
      if (y === x) continue;
      const from = keeps ? usable(promise!.sameAs!(y)) : undefined;
      if (from) takeOver(y, from, xCell.via);
      else alone(y);
    }
    rest = difference(rest, family);
  };

  const simulate = (x: string): { answer: RouteAnswer; recorder: PathRecorder; request: RouteRequest } => {
    const recorder = new PathRecorder();
    const request: RouteRequest = { ...entry.request, user: x, observe: recorder };
    return { answer: engine.route(model, request), recorder, request };
  };
  /** `exact`: the cell is the string alone, so what the observer could not state does not matter. */
  const record = (language: Dfa, answer: RouteAnswer, recorder: PathRecorder, request: RouteRequest, exact = false) => {
    const opaques = exact ? NOTHING_UNMODELLED : recorder.opaques;
    const notModelled = opaques.length || answer.notModelled.length ? [...new Set([...answer.notModelled, ...opaques])] : NOTHING_UNMODELLED;
    cells.push(makeCell(language, answer, notModelled, engine.via(answer, request), keys));
  };

  // Cells that are one string are not subtracted one by one: they wait in `singles` and leave
  // `rest` together (one minimal automaton, fromStrings), while the strings are visited in
  // shortlex order (nextMember), so a waiting string is never visited twice.
  const dashFree = isEmpty(intersect(rest, HAS_DASH));
  let singles: string[] = [];
  // Seeds visited (a name may be in several contexts searched). The shortlex walk needs no such
  // set: nextMember goes on strictly after the string just visited, and every string before it
  // was visited (left `rest`, or waits in `singles`).
  const taken = new Set<string>();
  /** Strings mapped one by one for an opaque path condition (MAX_ENUMERATED_PER_ENTRY). */
  let enumerated = 0;
  const flush = () => {
    if (singles.length) rest = difference(rest, fromStrings(singles));
    singles = [];
  };
  const visit = (x: string) => {
    const { answer, recorder, request } = simulate(x);
    let p: Dfa;
    try {
      p = pathCondition(recorder, rest, x, dashFree, options.strict === true);
    } catch (e) {
      if (!(e instanceof CellInconsistency) || options.strict) throw e;
      // The string alone is always a sound cell: the map stays exact, only finer; said in the notes.
      if (!notes.includes(e.message)) notes.push(e.message);
      p = singleString(x);
    }
    if (recorder.opaques.length && p.single !== x && enumerated < MAX_ENUMERATED_PER_ENTRY) {
      const n = countMembers(p, MAX_ENUMERATED_PER_CELL + 1);
      if (n !== 'infinite' && n <= MAX_ENUMERATED_PER_CELL) {
        p = singleString(x);
        enumerated++;
      }
    }
    if (p.single === x) {
      singles.push(x);
      // The string alone: its answer is route's, whatever the observer could not state.
      record(p, answer, recorder, request, true);
      if (recorder.families) {
        flush();
        expandLiterals(recorder, x, cells[cells.length - 1]);
      }
    } else {
      flush();
      const cell = intersect(p, rest);
      record(cell, answer, recorder, request);
      rest = difference(rest, cell);
    }
  };
  try {
    // Seeds first (literal extensions).
    const into = entry.lookupContext;
    /** Whether this entry's seeds answer as kept for the names dialled into its context. */
    let trusted: boolean | undefined;
    if (entry.seeds) {
      for (const x of entry.seeds()) {
        if (cells.length >= maxCells) break;
        if (taken.has(x) || !accepts(rest, x)) continue;
        taken.add(x);
        // A literal extension's name: a cell of its own (the lookup's own cell when the literal
        // wins it, else finer — still exact), so it needs no observer; and the answer of the name
        // dialled into the entry's context, which another entry may have kept (dialledInto) —
        // taken over once the entry's first such seed, simulated, answered as kept.
        singles.push(x);
        const kept = into !== undefined && trusted !== false ? direct.get(into, x) : undefined;
        if (kept !== undefined && trusted === true && kept.cell.notModelled.length === 0) {
          takeOver(x, kept.cell, kept.cell.via);
          continue;
        }
        const made = alone(x);
        if (kept !== undefined && trusted === undefined) trusted = sameAnswers(kept.cell.answer, made.cell.answer) && sameVia(kept.cell.via, made.cell.via) && kept.cell.notModelled.length === made.cell.notModelled.length;
        else if (into !== undefined) direct.offer(into, x, made);
      }
      flush();
    }
    let x = nextMember(rest, null);
    while (x !== null) {
      if (cells.length >= maxCells) {
        flush();
        notes.push(`class budget reached (${maxCells} cells): the remaining strings are one class, not simulated (raise --max-classes)`);
        cells.push(makeCell(rest, notSimulated(entry, `class budget of ${maxCells} reached`), [`class budget of ${maxCells} reached`], null, keys));
        rest = EMPTY;
        break;
      }
      visit(x);
      x = nextMember(rest, x);
    }
    flush();
  } catch (e) {
    if (!(e instanceof AutomatonBudget)) throw e;
    const flushSafe = () => {
      try {
        flush();
      } catch {
        // The pending singles stay in `rest`; they are cells already, so take them out below.
      }
    };
    notes.push(`not modelled: ${e.message}; the strings not yet classified are one class`);
    flushSafe();
    const covered = cells.reduce<Dfa | undefined>((u, c) => (u ? union(u, c.language) : c.language), undefined);
    const remaining = covered ? safeDifference(rest, covered) : rest;
    if (remaining) cells.push(makeCell(remaining, notSimulated(entry, e.message), [e.message], null, keys));
  }
  return { cells, notes };
}

/** The most steps any path of `answer` has (PathObserver.literals' `longest`). */
function longestPath(answer: RouteAnswer): number {
  let n = answer.steps.length;
  for (const o of answer.outcomes) if (o.steps.length > n) n = o.steps.length;
  return n;
}

function safeDifference(a: Dfa, b: Dfa): Dfa | undefined {
  try {
    return difference(a, b);
  } catch {
    return a;
  }
}

function notSimulated(entry: CoverageEntry, why: string): RouteAnswer {
  return { platform: 'asterisk', verdict: 'depends', status: null, reason: `not simulated: ${why}`, target: null, steps: [], outcomes: [], notModelled: [why], request: entry.entry.name };
}

export interface Labeller {
  /** The class in words (pattern notation, formats). */
  describe(language: Dfa): { description: string; pattern?: string; formats?: string[] };
}

/** Cells with the same outcome merged into classes, most specific first (by example). */
export function classesOf(cells: Cell[], labeller: Labeller): CoverageClass[] {
  // Keys are numbered in the order of first appearance (ClassKeys): the first cell of each key,
  // in that order, and the languages of the keys that have more than one cell.
  const first: Cell[] = [];
  const more = new Map<number, Dfa[]>();
  for (const c of cells) {
    const f = first[c.key];
    if (f === undefined) first[c.key] = c;
    else {
      const list = more.get(c.key);
      if (list) list.push(c.language);
      else more.set(c.key, [f.language, c.language]);
    }
  }
  const out: CoverageClass[] = [];
  for (const c of first) {
    if (c === undefined) continue;
    const languages = more.get(c.key);
    if (!languages) { out.push(classOf(c.language, c, labeller)); continue; }
    let union: Dfa | undefined;
    try {
      union = unionMany(languages);
    } catch (e) {
      if (!(e instanceof AutomatonBudget)) throw e;
    }
    if (union) out.push(classOf(union, c, labeller));
    // Too large to join: the cells stay classes of their own (still disjoint, same outcome).
    else for (const l of languages) out.push(classOf(l, c, labeller));
  }
  return out;
}

/** The class of `language`, with the outcome of cell `c`. */
function classOf(language: Dfa, c: Cell, labeller: Labeller): CoverageClass {
  const a = c.answer;
  const dependsOnUnknown = c.notModelled.length > 0;
  const verdict = dependsOnUnknown ? 'depends' : a.verdict;
  let regex: string;
  try {
    regex = toRegex(language);
  } catch (e) {
    if (!(e instanceof AutomatonBudget)) throw e;
    regex = '';
  }
  const label = labeller.describe(language);
  const cls: CoverageClass = {
    regex,
    description: label.description,
    verdict,
    status: verdict === 'rejected' ? a.status : null,
    target: verdict === 'routed' ? a.target : null,
    conditions: verdict === 'depends' ? dependsConditions(a) : [],
    via: c.via,
    example: shortestExample(language) ?? '',
  };
  if (label.pattern) cls.pattern = label.pattern;
  if (label.formats?.length) cls.formats = label.formats;
  if (c.notModelled.length) cls.notModelled = c.notModelled;
  if (a.verdict === 'depends' || dependsOnUnknown) cls.outcomes = a.outcomes;
  Object.defineProperty(cls, LANGUAGE, { value: language });
  return cls;
}

/**
 * The conditions a depends class rests on, as route says them: one list per answer (cells
 * share answers, see ClassKeys.answer), which classes only read.
 */
function dependsConditions(a: CellAnswer): string[] {
  let out = a.dependsOn;
  if (out === undefined) {
    out = [];
    for (const o of a.outcomes) for (const c of o.conditions) if (!out.includes(c)) out.push(c);
    a.dependsOn = out;
  }
  return out;
}

function unionMany(list: Dfa[]): Dfa {
  // Single strings together in one automaton (fromStrings); the rest pairwise.
  const singles = list.filter((d) => d.single !== undefined).map((d) => d.single!);
  let level = list.filter((d) => d.single === undefined);
  if (singles.length) level.push(fromStrings(singles));
  while (level.length > 1) {
    const next: Dfa[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? union(level[i], level[i + 1]) : level[i]);
    level = next;
  }
  return level[0];
}

/**
 * Each class's language, beside the JSON fields: a non-enumerable symbol property, which JSON
 * and spreading leave out (a WeakMap of 150,000 entries cost the garbage collector more).
 */
const LANGUAGE = Symbol('language');

/** The language of a class made by classesOf. */
export function languageOfClass(c: CoverageClass): Dfa | undefined {
  return (c as CoverageClass & { [LANGUAGE]?: Dfa })[LANGUAGE];
}

/** The coverage of one entry: partition, then classes. `direct`: shared by the entries of one map. */
export function coverEntry<M>(engine: CoverageEngine<M>, model: M, entry: CoverageEntry, options: PartitionOptions, labeller: Labeller, direct?: DirectAnswers): EntryCoverage {
  const { cells, notes } = partitionEntry(engine, model, entry, options, direct);
  const out: EntryCoverage = { entry: entry.entry, classes: classesOf(cells, labeller) };
  if (entry.domains) out.domains = entry.domains();
  if (notes.length) out.notes = notes;
  return out;
}
