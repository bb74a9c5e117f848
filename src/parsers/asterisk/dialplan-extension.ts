/**
 * One extension entry of extensions.conf as the loader (dialplan.ts) stores it and, for the
 * entries Asterisk registers, as the resolver's dialplan index registers it (DialplanExtension);
 * how its priority lines are kept (LineStore, built into Priority objects when read) and how a
 * simulation reads the registered ones (RunStore, runLines).
 */
import type { SourceLocation } from '../../core/location';
import type { DialTarget, Dialplan, Extension, JumpTarget, Located, Priority } from '../../model/asterisk';
import { matchNameOf } from '../../automata/asterisk/pattern';
import { dialsOf, isDialApp, isJumpApp, jumpsOf, NO_DIALS, NO_JUMPS } from './applications';

/** Extensions without labels share this map until their first label (most never have one). */
const NO_LABELS: Map<string, number> = new Map();

/**
 * Values per line: priority number, application, arguments' start and end in the file's text
 * (or the arguments themselves and -1), line, packColumns(column, app column). In the loader's
 * scratch array (PackedLine) the application and string arguments are themselves; in a
 * LineStore, indexes into its `apps` and `strings`.
 */
export const LINE_STRIDE = 6;
export type PackedLine = string | number | undefined;
const NO_STORED_LINES = new Int32Array(0);

/** What few lines have apart from the stored numbers: a label, another file than the entry's, a priority beyond 32 bits. */
export interface LineExtra {
  label?: string;
  file?: string;
  text?: string;
  number?: number;
}

/**
 * The priority lines of one dialplan's entries, as 32-bit numbers in a few large typed arrays,
 * each entry's lines one stretch of one chunk. Why: a typed array's contents live outside the
 * JS heap, so the garbage collector neither scans nor copies them. Before, each entry had a JS
 * array of its lines; nearly everything a load makes survives, and V8 copies a survivor twice
 * (into the young generation's other half, then into the old generation): those arrays were a
 * third of what a 50,000-extension load copied.
 */
export class LineStore {
  /** The chunk being filled; add() moves to a new one when it is full. */
  chunk: Int32Array = this.newChunk(LINE_STORE_FIRST_CHUNK);
  private used = 0;
  /** Application names, by the index a stored line keeps (a dialplan uses a few dozen). */
  readonly apps: string[] = [];
  private readonly appIndex = new Map<string, number>();
  /** Arguments the loader kept as strings, by the index a stored line keeps. */
  readonly strings: string[] = [];

  /** Stores `length` values of the loader's scratch array (LINE_STRIDE a line); where they start in `chunk`. */
  add(packed: readonly PackedLine[], length: number): number {
    if (this.used + length > this.chunk.length) {
      // Chunks grow up to LINE_STORE_CHUNK, so that a small dialplan takes little memory; an
      // entry longer than that gets a chunk of its own size.
      this.chunk = this.newChunk(Math.max(Math.min(this.chunk.length * 2, LINE_STORE_CHUNK), length));
      this.used = 0;
    }
    const chunk = this.chunk;
    const at = this.used;
    for (let i = 0; i < length; i += LINE_STRIDE) {
      const k = at + i;
      chunk[k] = packed[i] as number;
      chunk[k + 1] = this.appNumber(packed[i + 1] as string);
      const argsEnd = packed[i + 3] as number;
      if (argsEnd < 0) {
        chunk[k + 2] = this.strings.length;
        this.strings.push(packed[i + 2] as string);
      } else chunk[k + 2] = packed[i + 2] as number;
      chunk[k + 3] = argsEnd;
      chunk[k + 4] = packed[i + 4] as number;
      chunk[k + 5] = packed[i + 5] as number;
    }
    this.used = at + length;
    return at;
  }

  /** A chunk that knows its store: an entry keeps the chunk its lines are in, not the store as well. */
  private newChunk(length: number): Int32Array {
    const chunk = new Int32Array(length);
    storeOfChunk.set(chunk, this);
    return chunk;
  }

  private appNumber(app: string): number {
    let n = this.appIndex.get(app);
    if (n === undefined) {
      n = this.apps.length;
      this.apps.push(app);
      this.appIndex.set(app, n);
    }
    return n;
  }
}

/** Values in a LineStore's first chunk, and in its largest (256 KB). */
const LINE_STORE_FIRST_CHUNK = 1024;
const LINE_STORE_CHUNK = 65536;

const lineStores = new WeakMap<Dialplan, LineStore>();
/** The store each chunk of stored lines belongs to (for its application names and kept strings). */
const storeOfChunk = new WeakMap<Int32Array, LineStore>();
export function lineStoreOf(dialplan: Dialplan): LineStore {
  let store = lineStores.get(dialplan);
  if (!store) lineStores.set(dialplan, (store = new LineStore()));
  return store;
}

/**
 * A line's column and its application's column in one small integer. Both are below 2^13 on any
 * line Asterisk reads (config.c skips lines over 8,191 bytes); a wider value is clamped, which
 * only moves a reported column.
 */
const COLUMN_LIMIT = 1 << 13;
export function packColumns(column: number, appColumn: number): number {
  return Math.min(column, COLUMN_LIMIT - 1) * COLUMN_LIMIT + Math.min(appColumn, COLUMN_LIMIT - 1);
}

/**
 * What a loaded priority line and the moving view over unbuilt lines share: columns packed in one
 * small integer, the location made when asked for, and Goto/Gosub/Dial targets parsed from the
 * arguments when first read (no application has both kinds).
 */
abstract class PriorityLine implements Priority {
  abstract readonly number: number;
  abstract readonly label: string | undefined;
  abstract readonly app: string;
  abstract readonly args: string;
  abstract readonly file: string;
  abstract readonly line: number;
  /** packColumns(column, appColumn). */
  protected abstract readonly columns: number;
  protected targets: JumpTarget[] | DialTarget[] | undefined = undefined;

  get column(): number {
    return Math.floor(this.columns / COLUMN_LIMIT);
  }

  get appColumn(): number {
    return this.columns % COLUMN_LIMIT;
  }

  get location(): SourceLocation {
    return { file: this.file, line: this.line, column: this.column };
  }

  get jumps(): JumpTarget[] {
    if (!isJumpApp(this.app)) return NO_JUMPS;
    return (this.targets ??= jumpsOf(this.app, this.args, this.location, this.appColumn)) as JumpTarget[];
  }

  get dials(): DialTarget[] {
    if (!isDialApp(this.app)) return NO_DIALS;
    // The targets' location (at the application) is the only one made: not the line's as well.
    return (this.targets ??= dialsOf(this.app, this.args, { file: this.file, line: this.line, column: this.appColumn })) as DialTarget[];
  }
}

/**
 * One priority line as loaded. A big dialplan has hundreds of thousands of these, so the position
 * is kept as plain fields (no location object per line), and the Goto/Gosub/Dial targets are read
 * from the arguments when first asked for — Asterisk, too, parses application arguments only
 * when the priority runs. Behaves as the model's Priority.
 */
class DialplanPriority extends PriorityLine {
  // What a simulation reads at every step first (after the base's targets): they then share the
  // object's first cache line.
  readonly number: number;
  readonly app: string;
  readonly args: string;
  /** Worked out once: a simulation then need not read the arguments' text to know. */
  readonly staticArgs: boolean;
  readonly label: string | undefined;
  readonly file: string;
  readonly line: number;
  protected readonly columns: number;

  constructor(number: number, label: string | undefined, app: string, args: string, file: string, line: number, columns: number) {
    super();
    this.number = number;
    this.app = app;
    this.args = args;
    this.staticArgs = args.indexOf('$') < 0;
    this.label = label;
    this.file = file;
    this.line = line;
    this.columns = columns;
  }

  /** Serialises like a plain Priority (for JSON output and test comparisons). */
  toJSON(): Priority {
    const { number, label, app, args, file, line, column, location, appColumn, jumps, dials } = this;
    return { number, ...(label !== undefined ? { label } : {}), app, args, file, line, column, location, appColumn, jumps, dials };
  }
}

/**
 * One view moved along an extension entry's lines that are not built yet, for a reader that
 * looks at every line once (a rule): it reads them without making an object or a string per
 * line (arguments are sliced only when read). What the reader keeps must not be the view itself.
 */
class PriorityLineView extends PriorityLine {
  number = 0;
  label: string | undefined = undefined;
  app = '';
  file = '';
  line = 0;
  protected columns = 0;
  private text = '';
  private argsStart: number | string = 0;
  private argsEnd = -1;

  moveTo(number: number, label: string | undefined, app: string, file: string, line: number, columns: number, text: string, argsStart: number | string, argsEnd: number): void {
    this.number = number;
    this.label = label;
    this.app = app;
    this.file = file;
    this.line = line;
    this.columns = columns;
    this.text = text;
    this.argsStart = argsStart;
    this.argsEnd = argsEnd;
    this.targets = undefined;
  }

  get args(): string {
    if (this.argsEnd < 0) return this.argsStart as string;
    // Sliced once per line, however many readers ask (the rules of one shared walk each do).
    const args = this.text.slice(this.argsStart as number, this.argsEnd);
    this.argsStart = args;
    this.argsEnd = -1;
    return args;
  }
}

/** A view not in use, for the next forEachPriority (a nested one makes its own). */
let spareView: PriorityLineView | undefined = new PriorityLineView();

/** The file an entry's first line is in, and its text: one object for the entries made from a file's lines in a row. */
export interface EntrySource {
  readonly file: string;
  readonly text: string;
}

/** DialplanExtension.position: line × POSITION_COLUMNS + column; lines below POSITION_LINES (so that it stays a small integer). */
const POSITION_COLUMNS = 64;
const POSITION_LINES = 1 << 24;

/** What few entries have (see DialplanExtension.rare). */
interface RareFields {
  labels?: Map<string, number>;
  hint?: Located;
  lineExtras?: Map<number, LineExtra>;
  cid?: string;
  matchName?: string;
  /** The location, when `position` cannot hold it or the entry was made from another Extension (DialplanExtension.of: as given). */
  location?: SourceLocation;
  /** Registration: entries merged into this one, in file order. */
  merged?: DialplanExtension[];
  /** Registration: the kept lines, when not simply all of this entry's (merged entries, refused lines); or the table made over them when first asked for. */
  registered?: PriorityTable;
  /** Registration: labels of the kept lines, when worked out over them (merged entries, refused lines). */
  registeredLabels?: Map<string, number>;
  /** Registration: lines refused because their priority was already registered. */
  refused?: Refused[];
}

/**
 * One extension entry of a dialplan context, as loaded and, for the entries Asterisk registers
 * as extensions, as registered.
 *
 * As loaded (the model's Extension): one entry per run of lines with the same name, its position
 * kept as fields and its priority lines as numbers in its dialplan's LineStore (LINE_STRIDE a
 * line): the Priority objects are built when first asked for — by a route that reaches the
 * extension, or a rule that reads its applications — and then replace the stored form. Loading
 * a 50,000-extension dialplan thus makes no object per priority line, nor an array per extension.
 *
 * As registered: the resolver's dialplan index (src/resolvers/asterisk/dialplan-index.ts,
 * ast_add_extension2 semantics) lists per context the entries Asterisk registers — the first of
 * each name and caller-ID match that ext_cmp tells apart, with the later equal entries merged
 * into it — and sets on them what lookups, the simulator and rules read: which priorities are
 * registered (`registeredPriorities`, `hasPriority`), the lines refused, the labels of the kept
 * lines, the lines as a simulation reads them (runLines). These members mean something only on
 * the entries the index lists. Why one object for both: a big dialplan has one entry per DID
 * (330,000 in 40 MB), and a second object per extension for its registration (88 bytes, and
 * 128 for the entry) cost 18 MB of the 40 MB dialplan's peak RSS (issue 18: under 5× the input).
 */
export class DialplanExtension implements Extension {
  // What a simulation reads at every priority comes first: the fields of an object share its
  // first cache line, and a route query over a big dialplan mostly waits on memory.
  /**
   * Registration. Bit n set (n 1–30): priority n is registered; lookups test this before touching
   * the table. Bit 0 (no priority 0 is registered): soleLiteral.
   */
  private bits = 0;
  /** Registration: the array holding what a simulation reads of the registered lines (see runLines()); made on first use. */
  private run: RunValue[] | undefined = undefined;
  /**
   * Where this entry's lines start: while they are stored (`lines` is a LineStore chunk), in the
   * chunk; once runLines() has made the run lines, in `run` (they end registeredCount ×
   * RUN_STRIDE further on). One field serves both because runLines() builds the Priority objects
   * first, and the stored form is then gone: a field less in each of 330,000 entries (40 MB).
   * -1 while the lines are built and the run lines not made.
   */
  private at = 0;
  /** How many lines this entry has. */
  private count = 0;
  /**
   * What few entries have: labels, a hint, lines with a label or in another file (by line index),
   * a caller-ID match, a match name other than the name (`-` in it); merged entries, refused
   * lines. A big dialplan has one entry per DID (330,000 in 40 MB): what nearly all of them
   * leave empty is kept here, not in each.
   */
  private rare: RareFields | undefined = undefined;
  /**
   * Until first built, the store's chunk holding the lines (LINE_STRIDE numbers each, from `at`:
   * see LineStore); then the built Priority objects. Arguments are sliced from the text only
   * then: loading makes no string per line.
   */
  private lines: Int32Array | Priority[] = NO_STORED_LINES;
  /** Registration: order of first registration (file order), which the trie (extenpatternmatchnew) depends on. */
  registrationOrder = 0;
  readonly name: string;
  /** The file of the entry's first line and its text, which the arguments of lines are sliced from. */
  private readonly source: EntrySource;
  /**
   * Where the entry starts: line × POSITION_COLUMNS + column, while the column is below
   * POSITION_COLUMNS (nearly always: `exten =>` starts its line) — one field where two were;
   * otherwise -1, and the location is in `rare`.
   */
  private position: number;

  constructor(name: string, matchName: string, cid: string | undefined, source: EntrySource, line: number, column: number) {
    this.name = name;
    this.source = source;
    const fits = column >= 0 && column < POSITION_COLUMNS && line >= 0 && line < POSITION_LINES;
    this.position = fits ? line * POSITION_COLUMNS + column : -1;
    if (!fits) (this.rare ??= {}).location = { file: source.file, line, column };
    if (matchName !== name) (this.rare ??= {}).matchName = matchName;
    if (cid !== undefined) (this.rare ??= {}).cid = cid;
  }

  /** `e` itself when it is one, else an entry with its name, position, built lines, labels and hint (an Extension made without the loader). */
  static of(e: Extension): DialplanExtension {
    if (e instanceof DialplanExtension) return e;
    const copy = new DialplanExtension(e.name, e.matchName || matchNameOf(e.name), e.cid, { file: e.location.file, text: '' }, e.location.line, e.location.column);
    copy.lines = e.priorities;
    copy.at = -1;
    copy.count = e.priorities.length;
    // The location as given (it may say more than file, line and column).
    copy.position = -1;
    const rare = (copy.rare ??= {});
    rare.location = e.location;
    if (e.labels.size > 0) rare.labels = e.labels;
    if (e.hint) rare.hint = e.hint;
    return copy;
  }

  // ---------------------------------------------------------------- as loaded (the model's Extension)

  get matchName(): string {
    return this.rare?.matchName ?? this.name;
  }

  get cid(): string | undefined {
    return this.rare?.cid;
  }

  get isPattern(): boolean {
    return this.name.charCodeAt(0) === 0x5f;
  }

  /** The file of the entry's first line. */
  get file(): string {
    return this.source.file;
  }

  get location(): SourceLocation {
    const p = this.position;
    return p >= 0 ? { file: this.source.file, line: Math.floor(p / POSITION_COLUMNS), column: p % POSITION_COLUMNS } : this.rare!.location!;
  }

  /** Labels of this entry's lines as written (the first line of each label). */
  get labels(): Map<string, number> {
    return this.rare?.labels ?? NO_LABELS;
  }

  /** The loader: a line of this entry has `label` (kept unless an earlier line had it). */
  addLabel(label: string, priority: number): void {
    const rare = (this.rare ??= {});
    if (!rare.labels) rare.labels = new Map();
    if (!rare.labels.has(label)) rare.labels.set(label, priority);
  }

  get hint(): Located | undefined {
    return this.rare?.hint;
  }

  set hint(hint: Located | undefined) {
    (this.rare ??= {}).hint = hint;
  }

  /** The entry's `length / LINE_STRIDE` lines, from the loader's scratch array into `store` (once, when the loader is done with the entry). */
  setLines(store: LineStore, packed: readonly PackedLine[], length: number, extras: Map<number, LineExtra> | undefined): void {
    this.at = store.add(packed, length);
    this.lines = store.chunk;
    this.count = length / LINE_STRIDE;
    if (extras) (this.rare ??= {}).lineExtras = extras;
    // Priority numbers too large for the store are kept with the line (Asterisk's own int would not hold them either).
    for (let i = 0; i < length; i += LINE_STRIDE) {
      const n = packed[i] as number;
      if (n !== (n | 0)) {
        const lineExtras = ((this.rare ??= {}).lineExtras ??= new Map());
        lineExtras.set(i / LINE_STRIDE, { ...lineExtras.get(i / LINE_STRIDE), number: n });
      }
    }
  }

  /** Calls fn with each line, in order; unbuilt lines through one moving view (see PriorityLineView). */
  forEachPriority(fn: (p: Priority) => void): void {
    if (Array.isArray(this.lines)) {
      const built = this.lines;
      for (let i = 0; i < built.length; i++) fn(built[i]);
      return;
    }
    const chunk = this.lines as Int32Array;
    const store = storeOfChunk.get(chunk)!;
    const extras = this.rare?.lineExtras;
    // One view for the whole walk of a dialplan (the rules' walk calls this 50,000 times on a big one).
    const view = spareView ?? new PriorityLineView();
    spareView = undefined;
    try {
      for (let k = 0, i = this.at; k < this.count; k++, i += LINE_STRIDE) {
        const extra = extras?.get(k);
        const argsEnd = chunk[i + 3];
        view.moveTo(extra?.number ?? chunk[i], extra?.label, store.apps[chunk[i + 1]], extra?.file ?? this.source.file, chunk[i + 4], chunk[i + 5], extra?.text ?? this.source.text, argsEnd < 0 ? store.strings[chunk[i + 2]] : chunk[i + 2], argsEnd);
        fn(view);
      }
    } finally {
      // Let go of the last line's strings and targets, then make the view available again.
      view.moveTo(0, undefined, '', '', 0, 0, '', '', -1);
      spareView = view;
    }
  }

  get priorities(): Priority[] {
    if (!Array.isArray(this.lines)) {
      const chunk = this.lines;
      const store = storeOfChunk.get(chunk)!;
      const extras = this.rare?.lineExtras;
      const built: Priority[] = new Array(this.count);
      for (let k = 0, i = this.at; k < this.count; k++, i += LINE_STRIDE) {
        const extra = extras?.get(k);
        const argsEnd = chunk[i + 3];
        const args = argsEnd < 0 ? store.strings[chunk[i + 2]] : (extra?.text ?? this.source.text).slice(chunk[i + 2], argsEnd);
        built[k] = new DialplanPriority(extra?.number ?? chunk[i], extra?.label, store.apps[chunk[i + 1]], args, extra?.file ?? this.source.file, chunk[i + 4], chunk[i + 5]);
      }
      this.lines = built;
      this.at = -1;
      if (this.rare) this.rare.lineExtras = undefined;
    }
    return this.lines as Priority[];
  }

  priorityNumbers(): number[] {
    if (Array.isArray(this.lines)) return this.lines.map((p) => p.number);
    const chunk = this.lines;
    const extras = this.rare?.lineExtras;
    const out: number[] = new Array(this.count);
    for (let k = 0, i = this.at; k < this.count; k++, i += LINE_STRIDE) out[k] = extras?.get(k)?.number ?? chunk[i];
    return out;
  }

  toJSON(): Extension {
    const { name, matchName, isPattern, cid, location, priorities, labels, hint } = this;
    return { name, matchName, isPattern, ...(cid !== undefined ? { cid } : {}), location, priorities, labels, ...(hint ? { hint } : {}) };
  }

  // ---------------------------------------------------------------- as registered (set by the dialplan index)

  /** The index registers this entry as an extension, first in file order at `registrationOrder`: registration state from any earlier index is dropped. */
  startRegistration(registrationOrder: number): void {
    this.registrationOrder = registrationOrder;
    this.bits = 0;
    this.dropRunLines();
    const rare = this.rare;
    if (rare) rare.merged = rare.registered = rare.registeredLabels = rare.refused = undefined;
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

  hasPriority(priority: number): boolean {
    if (priority > 0 && priority < 31) return (this.bits & (1 << priority)) !== 0;
    return this.registeredPriorities.has(priority);
  }

  /** Number of registered priorities: all of this entry's lines, unless setRegistered said otherwise. */
  get registeredCount(): number {
    return this.rare?.registered?.size ?? this.count;
  }

  /** Registered priorities by number (a table over this entry's lines is made when first asked for). */
  get registeredPriorities(): PriorityTable {
    const rare = (this.rare ??= {});
    return (rare.registered ??= new PriorityTable(undefined, this.count, this));
  }

  /** The lines the index kept (merged entries, refused lines), their labels and the lines refused. */
  setRegistered(table: PriorityTable, labels: Map<string, number>, refused: Refused[] | undefined): void {
    const rare = (this.rare ??= {});
    rare.registered = table;
    rare.registeredLabels = labels;
    if (refused) rare.refused = refused;
    this.dropRunLines();
  }

  /** Forgets the run lines (the registered lines changed): runLines() makes them again. */
  private dropRunLines(): void {
    if (this.run === undefined) return;
    this.run = undefined;
    // The lines were built before the run lines were made (see `at`).
    this.at = -1;
  }

  /**
   * Calls fn with each registered priority in registration order — for readers that visit
   * every line once (rules): lines not yet built are read through a moving view, so fn must
   * read its argument then and there, not keep it.
   */
  forEachRegisteredPriority(fn: (p: Priority) => void): void {
    const registered = this.rare?.registered;
    if (!registered) {
      this.forEachPriority(fn);
      return;
    }
    const lines = registered.values();
    for (let i = 0; i < lines.length; i++) fn(lines[i]);
  }

  /** Labels of the registered lines (peer_label_table): this entry's own unless setRegistered worked them out. */
  get registeredLabels(): Map<string, number> {
    return this.rare?.registeredLabels ?? this.labels;
  }

  /** Lines Asterisk refused because the priority was already registered. */
  get refused(): readonly Refused[] {
    return this.rare?.refused ?? NONE_REFUSED;
  }

  /** This entry and every entry merged into it, in file order. */
  get sources(): readonly DialplanExtension[] {
    const merged = this.rare?.merged;
    return merged ? [this, ...merged] : [this];
  }

  /** Whether entries were merged into this one. */
  get isMerged(): boolean {
    return this.rare?.merged !== undefined;
  }

  /** A later entry ext_cmp finds equal: Asterisk adds its lines to this extension. */
  merge(e: DialplanExtension): void {
    ((this.rare ??= {}).merged ??= []).push(e);
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
    const registered = this.rare?.registered;
    // Built first (when not already), so that `at` is free to say where the run lines start.
    const own = this.priorities;
    const lines = registered ? registered.values() : own;
    const size = lines.length * RUN_STRIDE;
    let run: RunValue[];
    let start = 0;
    if (store !== undefined && size <= RUN_LARGEST_SHARED) {
      start = store.reserve(size);
      run = store.chunk;
    } else run = new Array<RunValue>(size);
    this.at = start;
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
    const start = this.at;
    const end = start + this.registeredCount * RUN_STRIDE;
    const guess = start + (n - 1) * RUN_STRIDE;
    if (n >= 1 && guess < end && run[guess] === n) return guess;
    for (let k = start; k < end; k += RUN_STRIDE) if (run[k] === n) return k;
    return -1;
  }
}


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

/** Values per line in DialplanExtension.runLines(), and where each one is. */
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
/** What the simulator worked out once for this line (see DialplanExtension.remember), else undefined; pbx.ts says what each application keeps. */
export const RUN_MEMO = 6;
export const RUN_MEMO2 = 7;
export const RUN_MEMO3 = 8;
export type RunValue = number | string | boolean | Priority | DialTarget[] | JumpTarget[] | object | null | undefined;

/** A line Asterisk refused, and the line of the same priority it kept. */
export interface Refused {
  priority: Priority;
  kept: Priority;
}
const NONE_REFUSED: readonly Refused[] = [];

