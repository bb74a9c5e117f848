/**
 * Asterisk's configuration file format, as main/config.c reads it (config_text_file_load,
 * process_text_line). It is not INI, so the `ini` package cannot read it: keys repeat and order
 * matters (`exten =>` lines), `=>` differs from `=` only by a flag, sections repeat and templates
 * (`[name](!)`), inheritance (`[name](a,b)`) and appends (`[name](+)`) copy variables, `;--…--;`
 * comments nest, `\;` escapes, and `#include` continues the open section of the including file.
 * This reader reproduces those rules and keeps file:line:column for every section, key and value.
 */
import * as path from 'path';
import type { LoadIssue } from '../../core/findings';
import { readConfigText } from '../../core/files';
import type { SourceLocation } from '../../core/location';
import type { ConfigSource } from '../../model/common';
import { glob, hasMagic } from '../../core/glob';
import { NameInterner } from '../../core/intern';

/**
 * One `name = value` line. Kept compact (a 50,000-extension dialplan has hundreds of thousands of
 * them): the position is stored as plain fields, and `location`/`valueLocation` objects are made
 * only when asked for (for a finding or a model field), not for every line read.
 */
export class ConfVariable {
  constructor(
    public name: string,
    public value: string,
    /** Written with `=>` (pbx_config and res_sorcery do not care, but it is kept). */
    public object: boolean,
    public file: string,
    public line: number,
    /** Column where the name starts. */
    public column: number,
    /** Column where the value starts, on the same line. */
    public valueColumn: number,
    /** The template/parent section this variable was copied from, for `[name](parent)`. */
    public inheritedFrom?: string,
    /** The file's text and where `value` starts in it, when `value` is written there verbatim (else -1). */
    public text?: string,
    public valueOffset = -1,
  ) {}

  /** Where the name starts. */
  get location(): SourceLocation {
    return { file: this.file, line: this.line, column: this.column };
  }

  /** Where the value starts. */
  get valueLocation(): SourceLocation {
    return { file: this.file, line: this.line, column: this.valueColumn };
  }

  inherited(from: string): ConfVariable {
    return new ConfVariable(this.name, this.value, this.object, this.file, this.line, this.column, this.valueColumn, this.inheritedFrom ?? from, this.text, this.valueOffset);
  }
}

/** One string per variable name: a big file says `exten` or `same` hundreds of thousands of times. */
const variableNames = new NameInterner();

export interface ConfSection {
  name: string;
  location: SourceLocation;
  /** `[name](!)`: skipped by normal lookups. */
  template: boolean;
  variables: ConfVariable[];
}

export interface ConfDocument {
  /** The file asked for, resolved against the config directory. */
  file: string;
  /** False when the file does not exist (the engine then has no such configuration). */
  found: boolean;
  sections: ConfSection[];
  sources: ConfigSource[];
  issues: LoadIssue[];
  /**
   * Set when Asterisk rejects the whole file (process_text_line returned -1: no closing `]`, a
   * missing `#include`, an unknown template…): config_text_file_load returns
   * CONFIG_STATUS_FILEINVALID and nothing of the file is loaded.
   */
  invalid?: LoadIssue;
  /** `#exec` lines: recorded, never run. */
  execs: { command: string; location: SourceLocation; enabled: boolean }[];
  /** A sink was given and streaming stopped part-way: lines it took are missing here; read again without one. */
  streamAbandoned?: boolean;
}

/**
 * Takes lines as they are read instead of the document storing them (a loader that builds its
 * model line by line need not hold a big file's lines all at once). The reader hands over only
 * lines of the newest section while nothing has made file order differ from the order of the
 * sections: a header with options (`(!)`, `(+)`, inheritance) or a `+=` line copies or appends to
 * earlier sections, and a line for an older section (after an `#include` returns) belongs before
 * newer ones. From then on it stops streaming and sets `streamAbandoned`; the caller reads the
 * file again without a sink.
 */
export interface VariableSink {
  /** A new section header; false stops streaming. */
  section(section: ConfSection): boolean;
  /**
   * A line of the newest section; true when taken (the document does not keep it). The object
   * is refilled for the next line: read it now, do not keep it.
   */
  variable(section: ConfSection, v: ConfVariable): boolean;
}

export interface ConfReadOptions {
  /** Hand lines over as they are read (see VariableSink). */
  sink?: VariableSink;
  /** asterisk.conf `[options] execincludes`: whether Asterisk would run `#exec` (pbxlint never does). */
  execIncludes?: boolean;
  /** The astetcdir the files were written for (absolute includes under it are read from `configDir`). */
  astEtcDir?: string;
}

/** config.c MAX_INCLUDE_LEVEL: deeper nesting fails the load ("Maximum Include level exceeded"). */
const MAX_INCLUDE_LEVEL = 10;
/** config.c reads lines with fgets into an 8192-byte buffer; longer lines are skipped. */
const MAX_LINE_BYTES = 8191;
/** config.c MAX_NESTED_COMMENTS. */
const MAX_NESTED_COMMENTS = 128;
/**
 * Files read for one configuration file, includes and globs counted each time they are read.
 * Asterisk has no such bound, but `#include` of a glob repeated a thousand times reads every
 * matching file a thousand times (3,000 includes of 50 files: 150,000 reads, 11 s): past this,
 * the rest is not read and a diagnostic says where. The same bound as FreeSWITCH's (MAX_FILES).
 */
export const MAX_FILES_READ = 5000;

/** What ast_skip_blanks/ast_trim_blanks (include/asterisk/strings.h) skip: every byte below 33, not only C's isspace(). */
const isSpace = (c: number) => c < 33;

/** ast_strip (String.trim would also drop U+00A0 and other characters Asterisk keeps). */
function stripSpaces(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isSpace(s.charCodeAt(a))) a++;
  while (b > a && isSpace(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** Text of one line after comment removal, with a column map when characters were removed from the middle. */
interface StrippedLine {
  text: string;
  /** 0-based raw column of each char of `text`; absent when `text` is a prefix of the raw line. */
  map?: number[];
}

class Reader {
  readonly sections: ConfSection[] = [];
  readonly sources: ConfigSource[] = [];
  readonly issues: LoadIssue[] = [];
  readonly execs: ConfDocument['execs'] = [];
  invalid?: LoadIssue;
  /** ast_config current category: the last appended or `(+)`-selected section. */
  current: ConfSection | null = null;
  /** Lines still go to options.sink (see VariableSink). */
  streaming: boolean;
  /** The line handed to the sink, refilled for each line. */
  private readonly streamedLine = new ConfVariable('', '', false, '', 0, 0, 0, undefined, '', -1);
  streamAbandoned = false;
  /** The first section of each name (lower-cased), which `(+)` and inheritance find. */
  private readonly byName = new Map<string, ConfSection>();
  /**
   * The copy of a variable that sections inheriting it get (config.c's inherit_category copies
   * the variables into each child): the copies of one variable are alike, so one object serves
   * every child — 10,000 `[epN](phone)` sections in a pjsip.conf made 20,000 identical copies,
   * all kept until the model was built. A copy is never changed in place (an append replaces it
   * in that section first); a variable changed by an append loses its copy here, so sections
   * inheriting it later get its new value.
   */
  private readonly inheritedCopies = new Map<ConfVariable, ConfVariable>();

  private inheritedCopy(v: ConfVariable, from: string): ConfVariable {
    let copy = this.inheritedCopies.get(v);
    if (copy === undefined) this.inheritedCopies.set(v, (copy = v.inherited(from)));
    return copy;
  }
  /** The line being processed: file, number, offset of the stripped text in the raw line, column map. */
  private curFile = '';
  private curLine = 0;
  private curBase = 0;
  private curMap: number[] | undefined;
  /** The current file's text, and the offset in it of the processed line's first character (-1 when comments were cut out of its middle). */
  private curText = '';
  private curOffset = -1;

  /** 1-based column in the raw line of character `i` of the processed line. */
  private col(i: number): number {
    const map = this.curMap;
    if (!map) return this.curBase + i + 1;
    const k = this.curBase + i;
    if (k < map.length) return map[k] + 1;
    // Past the last character kept (an empty value after a comment was cut off): the column after
    // it. Found by fuzzing: `include =;-- … --;` gave a finding at column NaN.
    return map.length ? map[map.length - 1] + 2 + (k - map.length) : k + 1;
  }

  private at(i: number): SourceLocation {
    return { file: this.curFile, line: this.curLine, column: this.col(i) };
  }
  private readonly stack: string[] = [];
  /** Files read so far (MAX_FILES_READ), and whether that bound was reported. */
  private filesRead = 0;
  private tooManyFiles = false;

  constructor(
    private readonly configDir: string,
    private readonly options: ConfReadOptions,
  ) {
    this.streaming = options.sink !== undefined;
  }

  /** Lines can no longer be handed over in file order. */
  private stopStreaming(): void {
    if (this.streaming) {
      this.streaming = false;
      this.streamAbandoned = true;
    }
  }

  resolve(name: string): string {
    if (!name.startsWith('/')) return path.join(this.configDir, name);
    const etc = (this.options.astEtcDir ?? '/etc/asterisk').replace(/\/+$/, '');
    if (name.startsWith(etc + '/')) return path.join(this.configDir, name.slice(etc.length + 1));
    return name;
  }

  /** Set by fail(): config_text_file_load stops reading the current file at a fatal line. */
  private stopFile = false;

  /**
   * A line process_text_line rejects (-1). In the file Asterisk was asked to load, the whole load
   * fails (CONFIG_STATUS_FILEINVALID). In an included file only that file stops being read: the
   * includer gets FILEINVALID back, which is not NULL, so it goes on (ast_config_internal_load).
   */
  fail(issue: LoadIssue): void {
    const topLevel = this.stack.length <= 1;
    const consequence = topLevel ? 'Asterisk rejects the whole file: nothing in it is loaded' : 'Asterisk stops reading this included file here: the rest of it is not loaded';
    const full = { ...issue, message: `${issue.message}; ${consequence}` };
    this.issues.push(full);
    if (topLevel && !this.invalid) this.invalid = full;
    this.stopFile = true;
  }

  findSection(name: string): ConfSection | undefined {
    return this.byName.get(name.toLowerCase());
  }

  addSection(s: ConfSection): void {
    if (this.streaming && !this.options.sink!.section(s)) this.stopStreaming();
    this.sections.push(s);
    const key = s.name.toLowerCase();
    if (!this.byName.has(key)) this.byName.set(key, s);
    this.current = s;
  }

  /** Loads one file (or glob) the way ast_config_internal_load does; false when nothing was found. */
  loadFile(name: string, includedFrom?: SourceLocation): boolean {
    const resolved = this.resolve(name);
    const files = hasMagic(resolved) || resolved.includes('{') ? glob(resolved, { braces: true }) : [resolved];
    let count = 0;
    for (const file of files) {
      if (this.stack.includes(file)) {
        // Asterisk has no cycle check: the recursion stops at MAX_INCLUDE_LEVEL and the include fails.
        this.issues.push({ kind: 'include-cycle', severity: 'error', location: includedFrom ?? { file, line: 1, column: 1 }, message: `include cycle: ${[...this.stack.slice(this.stack.indexOf(file)), file].map((f) => path.relative(this.configDir, f) || f).join(' → ')}. Asterisk has no cycle check: it reads these files again and again until "Maximum Include level (${MAX_INCLUDE_LEVEL}) exceeded", loading everything in them several times; pbxlint reads them once` });
        count++;
        continue;
      }
      if (this.stack.length > MAX_INCLUDE_LEVEL) {
        this.fail({ kind: 'parse-error', severity: 'error', location: includedFrom ?? { file, line: 1, column: 1 }, message: `includes nested deeper than ${MAX_INCLUDE_LEVEL} levels ("Maximum Include level exceeded")` });
        count++;
        continue;
      }
      if (this.filesRead >= MAX_FILES_READ) {
        if (!this.tooManyFiles) this.issues.push({ kind: 'unreadable', severity: 'error', location: includedFrom ?? { file, line: 1, column: 1 }, message: `more than ${MAX_FILES_READ} files read for this configuration (includes counted each time); this one and the rest are not read` });
        this.tooManyFiles = true;
        count++;
        continue;
      }
      this.filesRead++;
      const read = readConfigText(file);
      if (!read.ok) {
        if (read.issue.message.startsWith('cannot read') || read.issue.message === 'not a regular file') continue; // glob/stat miss: "Not found"
        this.issues.push(read.issue);
        count++;
        continue;
      }
      count++;
      this.sources.push({ file, includedFrom });
      this.stack.push(file);
      const saved = [this.curFile, this.curLine, this.curBase, this.curMap, this.curText, this.curOffset] as const;
      this.parseText(file, read.text);
      [this.curFile, this.curLine, this.curBase, this.curMap, this.curText, this.curOffset] = saved;
      this.stack.pop();
    }
    return count > 0;
  }

  private parseText(file: string, text: string): void {
    // Each file starts in the config's current section, but keeps its own `cat` afterwards:
    // sections opened by a file it includes do not change where its own next lines go.
    let cat: ConfSection | null = this.current;
    let depth = 0;
    let lineStart = 0;
    let lineno = 0;
    const len = text.length;
    // Where the next ';' is (len when none): most lines have none, and need neither a copy of the
    // raw line nor comment handling; their stripped text is sliced from the file's text at once.
    let nextSemicolon = -1;
    while (lineStart < len) {
      let lineEnd = text.indexOf('\n', lineStart);
      if (lineEnd < 0) lineEnd = len;
      lineno++;
      const rawStart = lineStart;
      lineStart = lineEnd + 1;
      if (lineEnd - rawStart > MAX_LINE_BYTES && Buffer.byteLength(text.slice(rawStart, lineEnd)) > MAX_LINE_BYTES) {
        this.issues.push({ kind: 'parse-error', severity: 'warning', location: { file, line: lineno, column: 1 }, message: `line longer than ${MAX_LINE_BYTES} bytes: Asterisk skips it ("Line ${lineno} too long, skipping")` });
        continue;
      }
      let rawEnd = lineEnd;
      if (rawEnd > rawStart && text.charCodeAt(rawEnd - 1) === 13) rawEnd--;
      if (nextSemicolon < rawStart) {
        nextSemicolon = text.indexOf(';', rawStart);
        if (nextSemicolon < 0) nextSemicolon = len;
      }
      let line: string;
      let a: number;
      let map: number[] | undefined;
      if (nextSemicolon >= rawEnd) {
        if (depth !== 0) continue;
        // ast_strip on both ends
        let b = rawEnd;
        a = rawStart;
        while (a < b && isSpace(text.charCodeAt(a))) a++;
        while (b > a && isSpace(text.charCodeAt(b - 1))) b--;
        if (a === b) continue;
        line = text.slice(a, b);
        a -= rawStart;
      } else {
        const stripped = this.stripComments(text.slice(rawStart, rawEnd), depth, (d) => (depth = d), file, lineno);
        if (!stripped) continue;
        const kept = stripped.text;
        map = stripped.map;
        // ast_strip on both ends
        a = 0;
        let b = kept.length;
        while (a < b && isSpace(kept.charCodeAt(a))) a++;
        while (b > a && isSpace(kept.charCodeAt(b - 1))) b--;
        if (a === b) continue;
        line = a === 0 && b === kept.length ? kept : kept.slice(a, b);
      }
      this.curFile = file;
      this.curLine = lineno;
      this.curBase = a;
      this.curText = text;
      this.curOffset = map ? -1 : rawStart + a;
      this.curMap = map;
      cat = this.processLine(line, cat);
      if (this.stopFile) {
        this.stopFile = false;
        return;
      }
    }
    if (depth > 0) {
      this.issues.push({ kind: 'parse-error', severity: 'warning', location: { file, line: lineno, column: 1 }, message: 'unterminated block comment (";--" without "--;"): Asterisk logs "Unterminated comment detected"' });
    }
  }

  /**
   * Comment removal exactly as config_text_file_load does it, including its quirks: `\;` keeps a
   * literal `;`; `;--` opens a nested block comment unless followed by a third `-`; `--;` closes
   * one even when none is open (the depth then goes negative and later lines are ignored).
   * Returns null when nothing of the line is processed.
   */
  private stripComments(raw: string, depth: number, setDepth: (d: number) => void, file: string, lineno: number): StrippedLine | null {
    let kept: string[] | null = depth !== 0 ? null : [];
    const map: number[] = [];
    let modified = false;
    let segStart = 0;
    let i = 0;
    let inText = depth === 0; // whether chars at i belong to process_buf
    let truncated = false;
    const keep = (from: number, to: number) => {
      if (!kept) kept = [];
      for (let k = from; k < to; k++) {
        kept.push(raw[k]);
        map.push(k);
      }
    };
    let pending = 0; // start of not-yet-kept text in the current segment
    while (i < raw.length) {
      const j = raw.indexOf(';', i);
      if (j < 0) break;
      if (j > segStart && raw[j - 1] === '\\') {
        // "\;": drop the backslash, keep the ';' and go on after it.
        if (inText && depth === 0) {
          keep(pending, j - 1);
          pending = j;
        }
        modified = true;
        i = j + 1;
        segStart = i;
        continue;
      }
      if (raw[j + 1] === '-' && raw[j + 2] === '-' && raw[j + 3] !== '-') {
        if (depth < MAX_NESTED_COMMENTS) {
          if (inText && depth === 0) keep(pending, j);
          depth++;
          inText = false;
          modified = true;
          i = j + 3;
          segStart = i;
        } else {
          this.issues.push({ kind: 'parse-error', severity: 'warning', location: { file, line: lineno, column: j + 1 }, message: `block comments nested deeper than ${MAX_NESTED_COMMENTS}: Asterisk logs "Maximum nest limit" and reads on` });
          i = j + 1;
        }
        continue;
      }
      if (j >= segStart + 2 && raw[j - 1] === '-' && raw[j - 2] === '-') {
        if (depth <= 0) {
          this.issues.push({ kind: 'parse-error', severity: 'error', location: { file, line: lineno, column: j - 1 }, message: '"--;" closes a block comment that is not open: Asterisk\'s comment depth goes negative and it ignores every following line of this file until a ";--"' });
        }
        depth--;
        i = j + 1;
        segStart = i;
        modified = true;
        if (depth === 0) {
          inText = true;
          pending = i;
        }
        // From 0 to -1 nothing was cut: the text stays part of the processed line, as in config.c.
        continue;
      }
      if (depth === 0) {
        // Plain ';': the rest of the line is a comment.
        if (inText) keep(pending, j);
        truncated = true;
        pending = raw.length;
        break;
      }
      i = j + 1;
      segStart = i;
    }
    if (!truncated && inText) keep(pending, raw.length);
    setDepth(depth);
    if (kept === null) return null;
    const text = (kept as string[]).join('');
    return modified ? { text, map } : { text };
  }

  private processLine(line: string, cat: ConfSection | null): ConfSection | null {
    const c0 = line[0];
    if (c0 === '[') return this.processHeader(line);
    if (c0 === '#') {
      this.processDirective(line);
      return cat;
    }
    if (!cat) {
      this.fail({ kind: 'parse-error', severity: 'error', location: this.at(0), message: `"${line.length > 40 ? line.slice(0, 40) + '…' : line}" comes before any [section] ("No category context")` });
      return cat;
    }
    let start = 0;
    if (c0 === '\\') {
      start = 1;
      if (line.length < 2 || line.charCodeAt(1) < 33) {
        this.fail({ kind: 'parse-error', severity: 'error', location: this.at(0), message: 'invalid escape (\\\\ before a control character or space)' });
        return cat;
      }
    }
    const eq = line.indexOf('=', start + start);
    if (eq < 0) {
      this.issues.push({ kind: 'parse-error', severity: 'warning', location: this.at(0), message: `no "=" in "${line.length > 40 ? line.slice(0, 40) + '…' : line}": Asterisk ignores the line` });
      return cat;
    }
    if (eq > start + start && line[eq - 1] === '+') {
      this.stopStreaming(); // appends to a line the sink may have taken
      const name = line.slice(start, eq - 1).trim();
      const addition = line.slice(eq + 1);
      for (let k = cat.variables.length - 1; k >= 0; k--) {
        let v = cat.variables[k];
        if (v.name === name) {
          // An inherited copy may be shared by other sections: this one gets its own first.
          if (v.inheritedFrom !== undefined) cat.variables[k] = v = v.inherited(v.inheritedFrom);
          else this.inheritedCopies.delete(v);
          v.value = (v.value + addition).replace(/[ \t\r\n\v\f]+$/, '').replace(/^[ \t]+/, '');
          v.valueOffset = -1; // no longer as written
          return cat;
        }
      }
      return this.addVariable(cat, name, addition, false, start, eq + 1);
    }
    let valueStart = eq + 1;
    let object = false;
    if (line[valueStart] === '>') {
      object = true;
      valueStart++;
    }
    // Name and value stripped by position in the line (ast_strip), then sliced once each — the
    // usual names (exten, same…) not at all: a big file has hundreds of thousands of such lines.
    let nameStart = start;
    let nameEnd = eq;
    while (nameStart < nameEnd && isSpace(line.charCodeAt(nameStart))) nameStart++;
    while (nameEnd > nameStart && isSpace(line.charCodeAt(nameEnd - 1))) nameEnd--;
    if (nameStart === nameEnd) {
      this.issues.push({ kind: 'parse-error', severity: 'warning', location: this.at(start), message: 'no variable name before "=": Asterisk ignores the line' });
      return cat;
    }
    let lead = valueStart;
    let valueEnd = line.length;
    while (lead < valueEnd && isSpace(line.charCodeAt(lead))) lead++;
    while (valueEnd > lead && isSpace(line.charCodeAt(valueEnd - 1))) valueEnd--;
    const value = lead === 0 && valueEnd === line.length ? line : line.slice(lead, valueEnd);
    return this.emitVariable(cat, variableNames.at(line, nameStart, nameEnd), value, object, this.col(nameStart), this.col(lead), this.curOffset >= 0 ? this.curOffset + lead : -1);
  }

  /** A `name += value` line that appends to nothing yet: a new variable (names and values as the append path has them). */
  private addVariable(cat: ConfSection, rawName: string, rawValue: string, object: boolean, nameStart: number, valueStart: number): ConfSection {
    const name = stripSpaces(rawName);
    if (!name) {
      this.issues.push({ kind: 'parse-error', severity: 'warning', location: this.at(nameStart), message: 'no variable name before "=": Asterisk ignores the line' });
      return cat;
    }
    let lead = 0;
    while (lead < rawValue.length && isSpace(rawValue.charCodeAt(lead))) lead++;
    let nameLead = 0;
    while (nameLead < rawName.length && isSpace(rawName.charCodeAt(nameLead))) nameLead++;
    // rawValue is the line's tail from valueStart: its stripped value starts `lead` further.
    const valueOffset = this.curOffset >= 0 ? this.curOffset + valueStart + lead : -1;
    return this.emitVariable(cat, variableNames.intern(name), stripSpaces(rawValue), object, this.col(nameStart + nameLead), this.col(valueStart + lead), valueOffset);
  }

  /** One variable of `cat`: handed to the sink while streaming, else kept in the section. */
  private emitVariable(cat: ConfSection, name: string, value: string, object: boolean, nameColumn: number, valueColumn: number, valueOffset: number): ConfSection {
    if (this.streaming) {
      if (cat === this.sections[this.sections.length - 1]) {
        // The sink reads the line and does not keep it: one object serves every streamed line.
        const line = this.streamedLine;
        line.name = name;
        line.value = value;
        line.object = object;
        line.file = this.curFile;
        line.line = this.curLine;
        line.column = nameColumn;
        line.valueColumn = valueColumn;
        line.text = this.curText;
        line.valueOffset = valueOffset;
        if (this.options.sink!.variable(cat, line)) return cat;
      } else this.stopStreaming();
    }
    cat.variables.push(new ConfVariable(name, value, object, this.curFile, this.curLine, nameColumn, valueColumn, undefined, this.curText, valueOffset));
    return cat;
  }

  private processHeader(line: string): ConfSection | null {
    const close = line.indexOf(']');
    if (close < 0) {
      this.fail({ kind: 'parse-error', severity: 'error', location: this.at(0), message: 'no closing "]" in section header' });
      return this.current;
    }
    const name = line.slice(1, close);
    const section: ConfSection = { name, location: this.at(1), template: false, variables: [] };
    if (line[close + 1] !== '(') {
      this.addSection(section);
      return section;
    }
    this.stopStreaming(); // templates, inheritance and (+) copy or append lines across sections
    const optEnd = line.indexOf(')', close + 2);
    if (optEnd < 0) {
      this.fail({ kind: 'parse-error', severity: 'error', location: this.at(close + 1), message: 'no closing ")" in section options' });
      return this.current;
    }
    let target: ConfSection = section;
    let isNew = true;
    // The options between the parentheses, comma-separated; scanned in place (a pjsip.conf of
    // 10,000 `[name](template)` headers made an array and its iteration results for each).
    for (let pos = close + 2; pos <= optEnd; ) {
      const comma = line.indexOf(',', pos);
      const end = comma >= 0 && comma < optEnd ? comma : optEnd;
      const opt = line.slice(pos, end);
      // Where the option is written, made only for a diagnostic.
      const optPos = pos;
      pos = end + 1;
      if (opt === '!') {
        target.template = true;
      } else if (opt[0] === '+') {
        const existing = this.findSection(name);
        if (!existing) {
          this.fail({ kind: 'parse-error', severity: 'error', location: this.at(optPos), message: `[${name}](+) appends to a section that does not exist yet ("Category addition requested, but category '${name}' does not exist")` });
          return this.current;
        }
        if (isNew) {
          existing.template = existing.template || section.template;
          existing.variables.push(...section.variables);
          isNew = false;
        }
        target = existing;
        this.current = existing;
      } else {
        const base = this.findSection(opt);
        if (!base) {
          this.fail({ kind: 'parse-error', severity: 'error', location: this.at(optPos), message: `[${name}] inherits from "${opt}", which is not defined above it ("Inheritance requested, but category '${opt}' does not exist")` });
          return this.current;
        }
        // A section's first variables make an array of their exact size: a first push makes
        // room for 17 (~150 bytes each), and a pjsip.conf of 10,000 `[name](template)` sections
        // kept 3 MB of that room until the model was built.
        if (target.variables.length === 0) {
          const copies: ConfVariable[] = new Array(base.variables.length);
          for (let i = 0; i < copies.length; i++) copies[i] = this.inheritedCopy(base.variables[i], base.name);
          target.variables = copies;
        } else for (const v of base.variables) target.variables.push(this.inheritedCopy(v, base.name));
      }
    }
    if (isNew) this.addSection(section);
    return target;
  }

  private processDirective(line: string): void {
    let k = 1;
    while (k < line.length && line.charCodeAt(k) > 32) k++;
    const word = line.slice(1, k).toLowerCase();
    let argStart = k;
    while (argStart < line.length && isSpace(line.charCodeAt(argStart))) argStart++;
    let arg = line.slice(argStart).trim();
    if (word !== 'include' && word !== 'tryinclude' && word !== 'exec') {
      this.issues.push({ kind: 'parse-error', severity: 'warning', location: this.at(0), message: `unknown directive "#${line.slice(1, k)}": Asterisk ignores the line` });
      return;
    }
    if (!arg) {
      this.issues.push({ kind: 'parse-error', severity: 'warning', location: this.at(0), message: `#${word} needs an argument: Asterisk ignores the line` });
      return;
    }
    if ((arg[0] === '"' && arg.endsWith('"') && arg.length > 1) || (arg[0] === '<' && arg.endsWith('>') && arg.length > 1)) {
      arg = arg.slice(1, -1);
      argStart++;
    }
    if (word === 'exec') {
      const enabled = Boolean(this.options.execIncludes);
      this.execs.push({ command: arg, location: this.at(0), enabled });
      this.issues.push({
        kind: 'exec',
        severity: 'warning',
        location: this.at(0),
        message: enabled
          ? `#exec ${arg}: Asterisk would run this command and include its output (execincludes=yes); pbxlint never runs it, so whatever it generates is unknown to the analysis`
          : `#exec ${arg}: ignored by Asterisk because execincludes is not enabled in asterisk.conf; pbxlint never runs it`,
      });
      return;
    }
    const found = this.loadFile(arg, this.at(argStart));
    if (!found && word === 'include') {
      this.fail({ kind: 'include-missing', severity: 'error', location: this.at(argStart), message: `#include "${arg}": no such file (looked for ${this.resolve(arg)}) ("was listed as a #include but it does not exist")` });
    }
  }
}

/**
 * Reads `name` (relative to the config directory, like every Asterisk config file) with its
 * includes. Never throws on input.
 */
export function readConf(configDir: string, name: string, options: ConfReadOptions = {}): ConfDocument {
  const reader = new Reader(configDir, options);
  const file = reader.resolve(name);
  const found = reader.loadFile(name);
  return { file, found, sections: reader.sections, sources: reader.sources, issues: reader.issues, invalid: reader.invalid, execs: reader.execs, ...(reader.streamAbandoned ? { streamAbandoned: true } : {}) };
}

/** ast_variable_retrieve: the last value of `name` (case-insensitive) in a section. */
export function lastValue(section: ConfSection, name: string): ConfVariable | undefined {
  const lower = name.toLowerCase();
  for (let i = section.variables.length - 1; i >= 0; i--) if (section.variables[i].name.toLowerCase() === lower) return section.variables[i];
  return undefined;
}

/** Every value of `name` (case-insensitive) in order. */
export function allValues(section: ConfSection, name: string): ConfVariable[] {
  const lower = name.toLowerCase();
  return section.variables.filter((v) => v.name.toLowerCase() === lower);
}

/** ast_true(): yes, true, y, t, 1, on. */
export function isTrue(value: string | undefined): boolean {
  return value !== undefined && /^(yes|true|y|t|1|on)$/i.test(value.trim());
}
