/**
 * extensions.conf → Dialplan, following pbx/pbx_config.c pbx_load_config: `[general]` and
 * `[globals]` are not contexts, repeated `[ctx]` headers merge, `exten`/`same`/`include`/
 * `ignorepat`/`switch`/`lswitch`/`eswitch` are read in order, `${GLOBAL}` is substituted in
 * extension names, includes, ignorepats and `switch` values, priorities `n`/`s`/`+N` resolve
 * against the previous line of the same context, labels against the extensions registered so far
 * in it (ContextLoader.findLabel).
 */
import type { LoadIssue } from '../../core/findings';
import { NameInterner } from '../../core/intern';
import type { Dialplan, DialplanContext, Extension, Located } from '../../model/asterisk';
import { isTrue, lastValue, type ConfDocument, type ConfSection, type ConfVariable, type VariableSink } from './conf';
// How Asterisk stores a name for matching (ext_strncpy, ast_shrink_phone_number) lives with the
// pattern engine, which the resolver shares: one definition for loading and lookup.
import { cidMatches, cidMatchNameOf, compareExtensions, extensionNameKey, matchCode, matchNameOf } from '../../automata/asterisk/pattern';
import { DialplanExtension, LINE_STRIDE, lineStoreOf, packColumns, type EntrySource, type LineExtra, type LineStore, type PackedLine } from './dialplan-extension';

/** PRIORITY_HINT in include/asterisk/pbx.h. */
const PRIORITY_HINT = -1;

/** pbx_config.c pbx_strsep: where the first delimiter outside `[...]` is (backslash-escaped chars skipped), or -1. */
function pbxStrsep(s: string, delim: number): number {
  let square = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5b) square++;
    else if (c === 0x5d) {
      if (square) square--;
    } else if (c === 0x5c) i++;
    else if (c === delim && !square) return i;
  }
  return -1;
}

/**
 * pbx_substitute_variables_helper with no channel: `${NAME}` becomes the global's value (or empty
 * when unset, as Asterisk does). Functions and expressions cannot be evaluated offline: reported.
 */
function substituteGlobals(text: string, globals: Map<string, Located>, onUnknown: (what: string) => void): string {
  if (!text.includes('$')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '{') {
      let depth = 1;
      let j = i + 2;
      for (; j < text.length && depth > 0; j++) {
        if (text[j] === '{') depth++;
        else if (text[j] === '}') depth--;
      }
      const inner = text.slice(i + 2, j - 1);
      if (depth > 0) {
        out += text.slice(i);
        break;
      }
      if (/^[A-Za-z0-9_.-]+$/.test(inner)) {
        out += globals.get(inner)?.value ?? '';
      } else {
        onUnknown(`\${${inner}}`);
        out += text.slice(i, j);
      }
      i = j - 1;
    } else if (text[i] === '$' && text[i + 1] === '[') {
      onUnknown('$[…]');
      out += text[i];
    } else out += text[i];
  }
  return out;
}

const NOT_CONTEXTS = new Set(['general', 'globals']);

function emptyDialplan(doc: ConfDocument | null): Dialplan {
  return { present: Boolean(doc?.found), file: doc?.file, general: { autofallthrough: true, extenpatternmatchnew: false }, globals: new Map(), contexts: new Map() };
}

/** [general] and every [globals] section, which pbx_config reads before any context. */
function readGeneralAndGlobals(doc: ConfDocument, dialplan: Dialplan): void {
  if (doc.invalid) dialplan.loadFailure = { location: doc.invalid.location, message: doc.invalid.message };
  // [general]: ast_variable_retrieve reads the first [general] section, last value wins.
  const general = doc.sections.find((s) => !s.template && s.name.toLowerCase() === 'general');
  if (general) {
    const aft = lastValue(general, 'autofallthrough');
    if (aft) dialplan.general.autofallthrough = isTrue(aft.value);
    const newpm = lastValue(general, 'extenpatternmatchnew');
    if (newpm) {
      dialplan.general.extenpatternmatchnew = isTrue(newpm.value);
      dialplan.general.extenpatternmatchnewLocation = newpm.location;
    }
    const ovsw = lastValue(general, 'overrideswitch');
    if (ovsw && ovsw.value) dialplan.general.overrideswitch = { value: ovsw.value, location: ovsw.valueLocation };
  }
  // Every [globals] section in turn ("ast_variable_browse does not merge multiple [globals] sections").
  dialplan.globals.clear();
  for (const s of doc.sections) {
    if (s.template || s.name.toLowerCase() !== 'globals') continue;
    for (const v of s.variables) addGlobal(dialplan, v);
  }
}

function addGlobal(dialplan: Dialplan, v: ConfVariable): void {
  dialplan.globals.set(v.name, { value: substituteGlobals(v.value, dialplan.globals, () => undefined), location: v.valueLocation });
}

/** extensions.conf, read whole, → Dialplan: pbx_load_config's order (globals first, then each context section). */
export function buildDialplan(doc: ConfDocument | null, issues: LoadIssue[]): Dialplan {
  const dialplan = emptyDialplan(doc);
  if (!doc || !doc.found) return dialplan;
  readGeneralAndGlobals(doc, dialplan);
  for (const section of doc.sections) {
    // ast_category_browse skips templates ([name](!)): they are not contexts.
    if (section.template || NOT_CONTEXTS.has(section.name.toLowerCase())) continue;
    const loader = new ContextLoader(section, dialplan, issues);
    for (const v of section.variables) loader.add(v);
    loader.end();
    // The section's lines now live in the model: let them go (halves peak memory on big dialplans).
    section.variables = [];
  }
  return dialplan;
}

/**
 * Builds the dialplan while extensions.conf is being read, so that its hundreds of thousands of
 * lines are never all held at once (the conf reader hands each context line here instead of
 * storing it). The result equals buildDialplan's as long as reading in file order is the order
 * pbx_config processes them in; where it is not, the stream gives up and the file is read whole:
 * - a header with options (`(!)`, `(+)`, inheritance) or a `+=` line: lines get copied or
 *   appended to sections read earlier (the reader stops streaming by itself);
 * - a line for a section other than the newest (after an `#include` returns to its includer's
 *   section): pbx_config would process it with its own section, before the newer one;
 * - a `[globals]` section after a `${…}` was substituted: pbx_config reads every [globals]
 *   section first, so the earlier substitution could differ.
 */
export class DialplanStream implements VariableSink {
  readonly dialplan = emptyDialplan(null);
  private readonly issues: LoadIssue[] = [];
  private loader: ContextLoader | undefined;
  private loaderSection: ConfSection | undefined;
  /** Set when a line's value went through ${GLOBAL} substitution. */
  substituted = false;

  section(s: ConfSection): boolean {
    const lower = s.name.toLowerCase();
    if (lower === 'globals' && this.substituted) return false;
    this.loader?.end();
    this.loader = undefined;
    this.loaderSection = undefined;
    if (!NOT_CONTEXTS.has(lower)) {
      this.loader = new ContextLoader(s, this.dialplan, this.issues, this);
      this.loaderSection = s;
    }
    return true;
  }

  variable(s: ConfSection, v: ConfVariable): boolean {
    if (s !== this.loaderSection || !this.loader) {
      // [general] and [globals] lines are kept in the document (read again at the end, as
      // buildDialplan does); globals are applied now for the contexts that follow.
      if (s.name.toLowerCase() === 'globals') addGlobal(this.dialplan, v);
      return false;
    }
    this.loader.add(v);
    return true;
  }

  /** The dialplan, once the whole file was read with this stream; issues appended after the document's. */
  finish(doc: ConfDocument, issues: LoadIssue[]): Dialplan {
    this.loader?.end();
    this.loader = undefined;
    const dialplan = this.dialplan;
    dialplan.present = doc.found;
    dialplan.file = doc.file;
    if (doc.found) readGeneralAndGlobals(doc, dialplan);
    for (const i of this.issues) issues.push(i);
    return dialplan;
  }
}

/** Where one context section's lines go: pbx_config's per-category state (last extension, last priority). */
class ContextLoader {
  private readonly ctx: DialplanContext;
  // Reset per context section (not per extension): `n` on a new extension continues the previous one's numbering.
  private lastExtension = '';
  private lastPri = -2;
  /** The last extension name split into name and caller ID, and its entry: `same =>` lines reuse it. */
  private lastParsed: { realExt: string; name: string; cid: string | undefined; ext: DialplanExtension | undefined } = { realExt: '\u0000', name: '', cid: undefined, ext: undefined };

  constructor(
    private readonly section: ConfSection,
    private readonly dialplan: Dialplan,
    private readonly issues: LoadIssue[],
    /** Told when a line needed ${GLOBAL} substitution (streaming cares). */
    private readonly stream?: { substituted: boolean },
  ) {
    let ctx = dialplan.contexts.get(section.name);
    if (!ctx) {
      ctx = { name: section.name, locations: [], extensions: [], includes: [], switches: [], ignorepats: [] };
      dialplan.contexts.set(section.name, ctx);
    }
    this.ctx = ctx;
    this.lineStore = lineStoreOf(dialplan);
    ctx.locations.push(section.location);
    if (section.name.length >= 80) {
      issues.push({ kind: 'parse-error', severity: 'warning', location: section.location, message: `context name is ${section.name.length} characters; Asterisk keeps at most 79 (AST_MAX_CONTEXT), so lookups by the full name fail` });
    }
  }

  /**
   * The entry receiving lines (entries are runs of consecutive lines) and its lines so far, in a
   * scratch array reused for every entry: each entry then gets one exact-size copy, and loading
   * leaves no outgrown arrays behind.
   */
  private open: DialplanExtension | undefined = undefined;
  private readonly openLines: PackedLine[] = [];
  /** Where closed entries keep their lines: one store per dialplan. */
  private readonly lineStore: LineStore;
  private openLength = 0;
  private openExtras: Map<number, LineExtra> | undefined = undefined;

  private closeOpenEntry(): void {
    if (this.open) this.open.setLines(this.lineStore, this.openLines, this.openLength, this.openExtras);
    this.open = undefined;
    this.openLength = 0;
    this.openExtras = undefined;
  }

  /** The file and text of the last entry made: the entries made from one file's lines in a row share it. */
  private source: EntrySource = { file: '', text: '' };

  private sourceOf(v: ConfVariable): EntrySource {
    const text = v.text ?? '';
    if (this.source.file !== v.file || this.source.text !== text) this.source = { file: v.file, text };
    return this.source;
  }

  /** The section has no more lines: the last entry gets its lines. */
  end(): void {
    this.closeOpenEntry();
  }

  private warn(v: ConfVariable, message: string): void {
    this.issues.push({ kind: 'parse-error', severity: 'warning', location: v.location, message });
  }

  /**
   * `ast_findlabel_extension2(NULL, con, realext, label, cidmatch)` as pbx_load_config calls it
   * for a priority that is a label: main/pbx.c pbx_extension_helper → pbx_find_extension with
   * E_FINDLABEL and bypass = this context. The priority of the label, or undefined.
   * - At the first load pbx_find_extension walks the context's list (the classic algorithm:
   *   pbx_load_module calls pbx_set_extenpatternmatchnew only after pbx_load_config), in ext_cmp
   *   order, over what is registered so far in this context (all its sections up to this line).
   * - Each extension is tried with extension_match_core(eroot->exten, realext, E_MATCH):
   *   `dialled` is the name AS WRITTEN (before the `/`), a dialled string, so a pattern or a
   *   literal that differs only by `-` matches; blanks are not skipped there (ext_strncpy drops
   *   them only from stored names).
   * - An extension with a CID match must pass matchcid(eroot->cidmatch, cidmatch); one without
   *   accepts any line. `callerId` is the line's CID as stored; it differs from the shrunk text
   *   pbx_config passes only by `-`, which matching skips.
   * - The first matching extension whose peer_label_table has the label gives its priority; the
   *   walk goes on past those without it.
   * - Includes are no help: pbx_find_extension recurses into them with the same bypass, i.e. into
   *   this context again (until AST_PBX_MAX_STACK, with a warning, when the label is missing).
   * - Not modelled: when nothing here has the label and a `switch` registered above claims the
   *   name (its exists callback), pbx_extension_helper returns what the switch's exec, run with
   *   no channel, returns. Taken here as not found.
   */
  private findLabel(dialled: string, callerId: string | undefined, label: string): number | undefined {
    const index = entryIndexOf(this.ctx);
    const dialledKey = extensionNameKey(dialled);
    // Candidates: registered extensions that match and have an entry whose lines carry the label.
    const candidates = new Set<EntryGroup>();
    const consider = (groups: EntryGroup[] | undefined) => {
      if (!groups) return;
      for (const group of groups) {
        if (candidates.has(group) || !group.members.some((e) => e.labels.has(label))) continue;
        const rep = group.members[0];
        if (cidMatches(rep.cid, callerId) && matchCode(rep.matchName, dialled, 'match') !== 0) candidates.add(group);
      }
    };
    // Only extensions that can match are tried (matchCode decides), by what _extension_match_core
    // compares first. A literal can only match a dialled string equal to it but for `-`
    // (ext_cmp_exten): the same key. A dialled pattern (`_…`) matches a pattern ext_cmp finds
    // equal to it, or one that reading character by character accepts `_` first. Otherwise, a
    // pattern whose first position is one plain character must find it first in the dialled string.
    consider(index.literals.get(dialledKey));
    if (dialled.charCodeAt(0) === 0x5f) {
      consider(index.patternsByKey.get(dialledKey));
      consider(index.patternsTakingUnderscore);
    } else {
      consider(index.patternsWild);
      let d = 0;
      while (dialled.charCodeAt(d) === 0x2d) d++;
      if (d < dialled.length) consider(index.patternsByFirst.get(dialled.charCodeAt(d)));
      else for (const groups of index.patternsByFirst.values()) consider(groups);
    }
    for (const group of [...candidates].sort((a, b) => compareExtensions(a.members[0], b.members[0]))) {
      const priority = this.registeredLabel(group, label);
      if (priority !== undefined) return priority;
    }
    return undefined;
  }

  /**
   * The priority `label` has in one registered extension (its peer_label_table), from the lines
   * of every entry Asterisk merged into it, in registration order. add_priority refuses a line
   * whose priority the extension already has (its label goes with it); of the lines it keeps,
   * the first one with the label is in the table (ast_hashtab_insert_safe keeps an existing
   * label; a repeat is discarded).
   */
  private registeredLabel(group: EntryGroup, label: string): number | undefined {
    const seen = new Set<number>();
    let found: number | undefined;
    const line = (n: number, l: string | undefined) => {
      if (found !== undefined || seen.has(n)) return;
      seen.add(n);
      if (l === label) found = n;
    };
    for (const e of group.members) {
      if (e === this.open) {
        // The entry still receiving lines: they are in the scratch array until it is closed.
        for (let i = 0; i < this.openLength; i += LINE_STRIDE) line(this.openLines[i] as number, this.openExtras?.get(i / LINE_STRIDE)?.label);
      } else if (e.forEachPriority) e.forEachPriority((p) => line(p.number, p.label));
      else for (const p of e.priorities) line(p.number, p.label);
      if (found !== undefined) return found;
    }
    return found;
  }

  private substitute(text: string, onUnknown: (what: string) => void): string {
    if (this.stream && text.includes('${')) this.stream.substituted = true;
    return substituteGlobals(text, this.dialplan.globals, onUnknown);
  }

  /**
   * Registers one priority line (the tail shared by the fast and the general path). `args` is
   * the arguments, or where they start in `v.text` when `argsEnd` ≥ 0.
   */
  private pushPriority(v: ConfVariable, name: string, cid: string | undefined, ipri: number, label: string | undefined, app: string, args: string | number, appColumn: number, appField: string | undefined, argsEnd = -1): void {
    this.lastPri = ipri;
    // One entry per run of lines with the same name: Asterisk's registration (ext_cmp) merges
    // entries of equal names, and the resolver's index does that, in file order.
    // Fields of the loader are written only when they change: the loader is old by now and the
    // entry young, so each such write is a call into V8's write barrier (lines repeat the entry).
    let ext = this.lastParsed.ext;
    if (ext !== this.open) this.closeOpenEntry();
    if (!ext) {
      ext = new DialplanExtension(name, matchNameOf(name), cid, this.sourceOf(v), v.line, v.column);
      this.ctx.extensions.push(ext);
      this.lastParsed.ext = ext;
    }
    if (ipri === PRIORITY_HINT) {
      if (!ext.hint) ext.hint = { value: appField ?? '', location: v.location };
      return;
    }
    if (name === '_.' || name === '_!') {
      this.warn(v, `"${name}" as an extension is strongly discouraged: it also matches the special extensions (h, i, t …); use _X${name[1]} (Asterisk logs this warning too)`);
    }
    if (label) ext.addLabel(label, ipri);
    if (this.open !== ext) this.open = ext;
    const lines = this.openLines;
    let n = this.openLength;
    if (label !== undefined || v.file !== ext.file) (this.openExtras ??= new Map()).set(n / LINE_STRIDE, { label, file: v.file, text: v.text });
    lines[n++] = ipri;
    lines[n++] = app;
    lines[n++] = args;
    lines[n++] = argsEnd;
    lines[n++] = v.line;
    lines[n++] = packColumns(v.column, appColumn);
    this.openLength = n;
  }

  /** One line of the section, in order (pbx_load_config's loop over the category's variables). */
  add(v: ConfVariable): void {
    const section = this.section;
    const ctx = this.ctx;
    const issues = this.issues;
    const key = isExten(v.name) ? 'exten' : v.name.toLowerCase();
    if (key === 'exten' || key.startsWith('same')) {
      let realExt: string;
      // Where the priority field starts in the value (what follows the name), or -1 when nothing does.
      let restAt: number;
      if (key.startsWith('same')) {
        if (!this.lastExtension) {
          issues.push({ kind: 'parse-error', severity: 'error', location: v.location, message: `"same =>" with no previous "exten =>" in context [${section.name}]: Asterisk ignores the line ("No previous pattern in the first entry of context")` });
          return;
        }
        realExt = this.lastExtension;
        restAt = 0;
      } else {
        const comma = pbxStrsep(v.value, 0x2c);
        const ext = comma < 0 ? v.value : v.value.slice(0, comma);
        realExt = !ext.includes('$')
          ? ext
          : this.substitute(ext, (what) =>
              issues.push({ kind: 'not-modelled', severity: 'info', location: v.valueLocation, message: `${what} in an extension name is evaluated when the dialplan loads; pbxlint does not evaluate functions or expressions there` }),
            );
        this.lastExtension = realExt;
        restAt = comma < 0 ? -1 : comma + 1;
      }
      let name: string;
      let cid: string | undefined;
      if (realExt === this.lastParsed.realExt) {
        // `same =>` (and a repeated name): the name was split already.
        name = this.lastParsed.name;
        cid = this.lastParsed.cid;
      } else {
        const slash = realExt.indexOf('/');
        name = realExt;
        if (slash >= 0) {
          name = realExt.slice(0, slash);
          cid = cidMatchNameOf(realExt.slice(slash + 1));
        }
        // ext_strncpy drops spaces from extension names.
        if (name.includes(' ')) name = name.replace(/ /g, '');
        const parsed = this.lastParsed;
        parsed.realExt = realExt;
        parsed.name = name;
        parsed.cid = cid;
        parsed.ext = undefined;
      }
      // Fast path for the usual shape `1,App(args)` / `n,App(args)`: the same result as the general
      // parsing below with fewer intermediate strings (big dialplans are mostly such lines).
      // It reads the value from restAt in place (positions are the value's): no copy of the rest is made.
      const value = v.value;
      const fast = restAt < 0 ? null : fastLine(value, restAt, this.lastPri, FAST_LINE);
      if (fast) {
        const app = appNames.at(value, fast.appStart, fast.paren);
        // Where the arguments are in the file's text, to slice them from it when the line is built.
        const argsAt = v.valueOffset >= 0 && v.text !== undefined ? v.valueOffset + fast.paren + 1 : -1;
        this.pushPriority(v, name, cid, fast.ipri, undefined, app, argsAt >= 0 ? argsAt : value.slice(fast.paren + 1, fast.last), v.valueColumn + fast.appStart, undefined, argsAt >= 0 ? argsAt + (fast.last - fast.paren - 1) : -1);
        return;
      }
      const rest = restAt < 0 ? undefined : restAt === 0 ? value : value.slice(restAt);
      // Priority field up to the first ',' (plain strsep), the rest is the application.
      let priField = '';
      let appField: string | undefined;
      if (rest !== undefined) {
        const comma = rest.indexOf(',');
        if (comma < 0) priField = rest;
        else {
          priField = rest.slice(0, comma);
          appField = rest.slice(comma + 1);
        }
      }
      let pri = priField.trim();
      let label: string | undefined;
      const open = pri.indexOf('(');
      if (open >= 0) {
        const close = pri.indexOf(')', open);
        if (close < 0) {
          this.warn(v, `label without closing ")" in "${pri}": Asterisk ignores the line`);
          return;
        }
        label = pri.slice(open + 1, close);
        pri = pri.slice(0, open);
      }
      let plus: string | undefined;
      const plusAt = pri.indexOf('+');
      if (plusAt >= 0) {
        plus = pri.slice(plusAt + 1);
        pri = pri.slice(0, plusAt);
      }
      let ipri: number;
      if (pri === 'hint') ipri = PRIORITY_HINT;
      else if (pri === 'next' || pri === 'n') {
        if (this.lastPri <= -2) {
          this.warn(v, `priority "n" on the first line of context [${section.name}]: Asterisk ignores the line ("Can't use 'next' priority on the first entry")`);
          return;
        }
        ipri = this.lastPri + 1;
        if (ipri === 0) {
          // pbx/pbx_config.c pbx_load_config: `n` right after a `hint` line is lastpri (PRIORITY_HINT,
          // -1) + 1 = 0, and the line is registered only `if (ipri)`: Asterisk drops it without a
          // word, and lastpri stays -1, so every following `n` is dropped too (until a numbered
          // priority). The extension then has no priority 1 from these lines.
          this.warn(v, `priority "n" right after a "hint" line is priority 0: Asterisk drops the line without a word (and every following "n" until a numbered priority), so it never runs, and an extension left without a priority 1 does not exist for calls (chan_pjsip answers 404); write "1" for the first priority after a hint`);
          return;
        }
      } else if (pri === 'same' || pri === 's') {
        if (this.lastPri <= -2) {
          this.warn(v, `priority "s" on the first line of context [${section.name}]: Asterisk ignores the line ("Can't use 'same' priority on the first entry")`);
          return;
        }
        ipri = this.lastPri;
      } else if (startsWithInteger(pri)) {
        ipri = parseInt(pri, 10);
        if (ipri < 1) {
          this.warn(v, `invalid priority "${pri}": Asterisk ignores the line`);
          return;
        }
      } else {
        // pbx_config resolves the label with ast_findlabel_extension2 → pbx_find_extension, which
        // creates the context's trie (main/pbx.c: `if (!tmp->pattern_tree && tmp->root_table)`)
        // from what is registered so far — found or not, and whatever extenpatternmatchnew says.
        // Only the first build counts (the tree is never rebuilt), and none happens while the
        // context holds no extension yet (no root_table). This line's own entry counts only if
        // an earlier line created it: a new name is registered after the lookup.
        if (ctx.trieBuiltAfter === undefined && ctx.extensions.length > 0) ctx.trieBuiltAfter = ctx.extensions.length;
        const slash = realExt.indexOf('/');
        const dialled = slash >= 0 ? realExt.slice(0, slash) : realExt;
        const labelled = this.findLabel(dialled, cid, pri);
        if (labelled === undefined) {
          const blank = dialled.includes(' ') ? ` (the lookup matches "${dialled}" as written, blanks included)` : '';
          this.warn(v, `invalid priority/label "${pri}" (no extension above this line in [${section.name}] that matches ${dialled}${cid !== undefined ? `/${cid}` : ''} has that label${blank}): Asterisk ignores the line`);
          return;
        }
        ipri = labelled;
      }
      // Application and arguments: app up to the first '(', arguments up to the LAST ')'.
      let app = appField ?? '';
      let args = '';
      let appOffset = 0;
      if (app.includes('(')) {
        const paren = app.indexOf('(');
        const appName = app.slice(0, paren);
        if (!(appName.includes('${') || appName.includes('$['))) {
          const last = app.lastIndexOf(')');
          if (last <= paren) this.warn(v, `no closing parenthesis in "${app}": Asterisk takes the rest of the line as arguments`);
          args = last > paren ? app.slice(paren + 1, last) : app.slice(paren + 1);
          app = appName;
        }
      }
      // pbx_config: appl = ast_skip_blanks(appl) — leading blanks only. Blanks between the name and
      // "(" stay part of it ("Dial (…)" registers "Dial ", which pbx_findapp then does not find).
      while (appOffset < app.length && app.charCodeAt(appOffset) < 33) appOffset++;
      app = appNames.intern(app.slice(appOffset));
      if (plus) ipri += parseInt(plus, 10) || 0;
      this.pushPriority(v, name, cid, ipri, label, app, args, columnOfApp(v, appField), appField);
    } else if (key === 'include') {
      const value = this.substitute(v.value, () => undefined);
      // ast_context_add_include2 → include_alloc: `name|timing`, else `name,timing` (a '|' anywhere wins).
      const pipe = value.indexOf('|');
      const sep = pipe >= 0 ? pipe : value.indexOf(',');
      const name = (sep >= 0 ? value.slice(0, sep) : value).trim();
      const timing = sep >= 0 ? value.slice(sep + 1).trim() : undefined;
      if (ctx.includes.some((i) => i.context.toLowerCase() === name.toLowerCase())) {
        this.warn(v, `context "${name}" is already included in [${section.name}]: Asterisk refuses the second include (EEXIST)`);
        return;
      }
      ctx.includes.push({ context: name, timing: timing || undefined, location: v.valueLocation });
    } else if (key === 'ignorepat') {
      ctx.ignorepats.push({ value: this.substitute(v.value, () => undefined), location: v.valueLocation });
    } else if (key === 'switch' || key === 'lswitch' || key === 'eswitch') {
      const data = key === 'switch' ? this.substitute(v.value, () => undefined) : v.value;
      ctx.switches.push({ kind: key, data, location: v.valueLocation });
    } else if (key === 'autohints') {
      // Only affects device state hints.
    } else {
      this.warn(v, `unknown directive "${v.name}" in context [${section.name}]: Asterisk ignores it ("Unknown directive … IGNORING")`);
    }
  }
}

/**
 * A context's entries filed for the load-time label lookup, grouped as Asterisk registers them
 * (ast_add_extension2_lockopt: one extension per name and caller-ID match that ext_cmp tells
 * apart), each group in registration order; groups are found by what a match needs (see
 * ContextLoader.findLabel). Made at the first label priority of the context (its later sections
 * share it) and brought up to date at each one.
 */
interface EntryGroup {
  /** The entries, in registration order. */
  members: Extension[];
}

interface EntryIndex {
  /** By extensionNameKey of the name and of the CID match. */
  groups: Map<string, EntryGroup>;
  /** Literals by extensionNameKey of their name. */
  literals: Map<string, EntryGroup[]>;
  /** Patterns by extensionNameKey of their name. */
  patternsByKey: Map<string, EntryGroup[]>;
  /** Patterns whose first position is one plain character, by that character. */
  patternsByFirst: Map<number, EntryGroup[]>;
  /** The other patterns. */
  patternsWild: EntryGroup[];
  /** Patterns whose first position takes `_`, read as a dialled character (E_CANMATCH of "_"). */
  patternsTakingUnderscore: EntryGroup[];
  /** How many of the context's entries are filed. */
  filed: number;
}

const entryIndexes = new WeakMap<DialplanContext, EntryIndex>();

function entryIndexOf(ctx: DialplanContext): EntryIndex {
  let index = entryIndexes.get(ctx);
  if (!index) {
    index = { groups: new Map(), literals: new Map(), patternsByKey: new Map(), patternsByFirst: new Map(), patternsWild: [], patternsTakingUnderscore: [], filed: 0 };
    entryIndexes.set(ctx, index);
  }
  const extensions = ctx.extensions;
  for (; index.filed < extensions.length; index.filed++) {
    const e = extensions[index.filed];
    const nameKey = extensionNameKey(e.matchName);
    // compareExtensions: equal names, then no CID on either side, or CID matches ext_cmp finds
    // equal. (The name's key is length-prefixed, so that no two pairs give the same string.)
    const key = e.cid === undefined ? `-${nameKey}` : `${nameKey.length}:${nameKey}${extensionNameKey(e.cid)}`;
    const group = index.groups.get(key);
    if (group) {
      group.members.push(e);
      continue;
    }
    const created: EntryGroup = { members: [e] };
    index.groups.set(key, created);
    if (e.matchName.charCodeAt(0) !== 0x5f) fileUnder(index.literals, nameKey, created);
    else {
      fileUnder(index.patternsByKey, nameKey, created);
      const first = plainFirst(e.matchName, 1);
      if (first >= 0) fileUnder(index.patternsByFirst, first, created);
      else index.patternsWild.push(created);
      // In E_CANMATCH a dialled "_" is read as a character (only E_MATCH compares it as a pattern).
      if (matchCode(e.matchName, '_', 'canmatch') !== 0) index.patternsTakingUnderscore.push(created);
    }
  }
  return index;
}

function fileUnder<K>(map: Map<K, EntryGroup[]>, key: K, group: EntryGroup): void {
  const list = map.get(key);
  if (list) list.push(group);
  else map.set(key, [group]);
}

/**
 * The character at the first position of `s` from `from` (after `-`), when that position is one
 * plain ASCII character to both _extension_match_core and ext_cmp_pattern_pos; else -1 (a
 * wildcard, a set, `.`, `!`, `/`, the end, or part of a UTF-8 character).
 */
function plainFirst(s: string, from: number): number {
  let i = from;
  while (s.charCodeAt(i) === 0x2d) i++;
  if (i >= s.length) return -1;
  const c = s.charCodeAt(i);
  if (c >= 0x80 || c === 0) return -1;
  switch (c) {
    case 0x5b: case 0x4e: case 0x6e: case 0x58: case 0x78: case 0x5a: case 0x7a: case 0x2e: case 0x21: case 0x2f:
      return -1;
    default:
      return c;
  }
}


/** One string per application name (a big dialplan says "Dial" 50,000 times); 16 recent ones compared in place. */
const appNames = new NameInterner(4096, 16);

/** `exten`, in any case, without building a lower-cased copy (the hot path of big dialplans). */
function isExten(name: string): boolean {
  return name.length === 5 && (name === 'exten' || name.toLowerCase() === 'exten');
}

/**
 * `1,App(args)` or `n,App(args)`: priority a plain number or `n` (after a previous line), an
 * application name without `${`/`$[`, and a closing `)`. Returns the positions, or null when the
 * general parsing is needed (labels, `+N`, `s`, `hint`, no parentheses, warnings).
 */
interface FastLine {
  ipri: number;
  appStart: number;
  paren: number;
  last: number;
}
/** fastLine's answer, refilled for each line (read at once; the loader does). */
const FAST_LINE: FastLine = { ipri: 0, appStart: 0, paren: 0, last: 0 };

function fastLine(rest: string, from: number, lastPri: number, out: FastLine): FastLine | null {
  // `rest` is read from `from` on; the positions returned are rest's.
  const comma = rest.indexOf(',', from);
  if (comma <= from) return null;
  let a = from;
  let b = comma;
  while (a < b && (rest.charCodeAt(a) === 32 || rest.charCodeAt(a) === 9)) a++;
  while (b > a && (rest.charCodeAt(b - 1) === 32 || rest.charCodeAt(b - 1) === 9)) b--;
  let ipri: number;
  if (b - a === 1 && rest.charCodeAt(a) === 0x6e) {
    // After a `hint` line (lastPri -1) `n` is 0, which the general path refuses.
    if (lastPri <= -1) return null;
    ipri = lastPri + 1;
  } else {
    ipri = 0;
    for (let i = a; i < b; i++) {
      const c = rest.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return null;
      ipri = ipri * 10 + c;
    }
    if (b === a || ipri < 1 || b - a > 9) return null;
  }
  let appStart = comma + 1;
  // ast_skip_blanks(appl): every byte below 33 before the name; nothing is trimmed after it.
  while (appStart < rest.length && rest.charCodeAt(appStart) < 33) appStart++;
  const paren = rest.indexOf('(', appStart);
  if (paren < 0) return null;
  for (let i = appStart; i < paren; i++) if (rest.charCodeAt(i) === 0x24) return null;
  // The last ')' by hand: V8's String.prototype.lastIndexOf is a call into its C++ runtime, about
  // 60 ns a line more than this loop, and the ')' is nearly always the value's last character.
  let last = rest.length - 1;
  while (last > paren && rest.charCodeAt(last) !== 0x29) last--;
  if (last <= paren) return null;
  out.ipri = ipri;
  out.appStart = appStart;
  out.paren = paren;
  out.last = last;
  return out;
}

/** sscanf("%30d") succeeds: optional blanks and sign, then a digit. */
function startsWithInteger(s: string): boolean {
  let i = 0;
  while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  if (s[i] === '+' || s[i] === '-') i++;
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/** Column of the application name in the original line (best effort: the text after the priority field). */
function columnOfApp(v: ConfVariable, appField: string | undefined): number {
  if (appField === undefined) return v.valueColumn;
  let lead = 0;
  while (lead < appField.length && (appField.charCodeAt(lead) === 32 || appField.charCodeAt(lead) === 9)) lead++;
  // valueColumn is where the value starts on the same line; the app field is the value's tail.
  return v.valueColumn + Math.max(0, v.value.length - appField.length + lead);
}
