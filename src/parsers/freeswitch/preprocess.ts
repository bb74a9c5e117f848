/**
 * FreeSWITCH's XML pre-processor, done the way switch_xml.c `preprocess()` does it: line by line
 * over the raw files, before any XML parsing, in document order. Each flattened line keeps a
 * source map back to the file:line:column it came from, so the XML parser's positions can be
 * mapped back to the files the user edits.
 *
 * Differences from the engine, on purpose: nothing is ever executed (`exec`, `exec-set` are
 * recorded as LoadIssue 'exec'), nothing touches the network (`stun-set`) or this machine's
 * environment (`env-set` reads the *server's* environment): those values, and the core's run-time
 * variables (`local_ip_v4`, `base_dir`, …), stay symbolic as the literal text `$${name}`, unless
 * the user gives them with `--var NAME=VALUE`. A file that includes itself is reported once
 * instead of being expanded 100 levels deep.
 */
import * as path from 'path';
import type { LoadIssue } from '../../core/findings';
import { readConfigText, splitLines } from '../../core/files';
import type { SourceLocation } from '../../core/location';
import type { ConfigSource } from '../../model/common';
import type { PreprocessVar } from '../../model/freeswitch';
import { glob } from '../../core/glob';
import { matchingClose } from '../../core/brackets';

/** A run of a flattened line that comes from one place: output column (0-based) → file:line:column. */
export interface Segment {
  outColumn: number;
  file: string;
  line: number;
  column: number;
}

export interface Flattened {
  /** The document the XML parser sees (lines joined with '\n'). */
  lines: string[];
  /** For each flattened line, where its characters came from. */
  segments: Segment[][];
  vars: Map<string, PreprocessVar>;
  issues: LoadIssue[];
  sources: ConfigSource[];
}

/**
 * Variables the FreeSWITCH core sets at start-up (switch_core.c `switch_core_init`, `switch_core_set_globals`)
 * from the machine it runs on: unknowable here, so they stay symbolic unless given with --var.
 */
export const CORE_RUNTIME_VARS = new Set([
  'hostname', 'local_ip_v4', 'local_mask_v4', 'local_ip_v6', 'switch_serial', 'core_uuid', 'base_dir', 'recordings_dir',
  'sound_prefix', 'sounds_dir', 'conf_dir', 'log_dir', 'run_dir', 'db_dir', 'mod_dir', 'htdocs_dir', 'script_dir', 'temp_dir',
  'grammar_dir', 'fonts_dir', 'images_dir', 'certs_dir', 'storage_dir', 'cache_dir', 'data_dir', 'localstate_dir',
  'nat_public_addr', 'nat_private_addr', 'nat_type', 'zrtp_enabled', 'cpu_count', 'os_version',
]);

/** pbxlint's own bounds: past them the rest is not read (a LoadIssue says so), so a hostile tree cannot exhaust memory. */
export const MAX_INCLUDE_DEPTH = 100; // switch_xml.c preprocess: rlevel > 100
export const MAX_FILES = 5000;
export const MAX_FLAT_CHARS = 64 * 1024 * 1024;

export function symbolic(name: string): string {
  return `$\${${name}}`;
}


/** stristr: case-insensitive indexOf. */
function indexOfCI(hay: string, needle: string, from = 0): number {
  return hay.toLowerCase().indexOf(needle.toLowerCase(), from);
}

interface Out {
  lines: string[];
  segments: Segment[][];
  /** The line being written has no newline yet (a `<!--#` comment left it open). */
  open: boolean;
  chars: number;
}

class Preprocessor {
  readonly vars = new Map<string, PreprocessVar>();
  readonly issues: LoadIssue[] = [];
  readonly sources: ConfigSource[] = [];
  private readonly stack: string[] = [];
  private stopped = false;
  private readonly out: Out = { lines: [], segments: [], open: false, chars: 0 };

  constructor(private readonly pinned: Record<string, string>) {
    for (const [name, value] of Object.entries(pinned)) this.vars.set(name, { name, value, symbolic: false, origin: 'option' });
  }

  result(): Flattened {
    return { lines: this.out.lines, segments: this.out.segments, vars: this.vars, issues: this.issues, sources: this.sources };
  }

  /** switch_xml.c `expand_vars`: every `$${name}` on the line, left to right, never rescanned. Returns the text and its segments. */
  private expand(text: string): { text: string; map: { outColumn: number; column: number }[] } {
    if (!text.includes('$${')) return { text, map: [{ outColumn: 0, column: 1 }] };
    let outText = '';
    const map: { outColumn: number; column: number }[] = [{ outColumn: 0, column: 1 }];
    let i = 0;
    while (i < text.length) {
      const at = text.indexOf('$${', i);
      if (at < 0) break;
      const close = matchingClose(text, at + 2);
      if (close < 0) break; // "unterminated ${var}": the rest is copied as is
      outText += text.slice(i, at);
      const name = text.slice(at + 3, close);
      outText += this.valueOf(name);
      i = close + 1;
      map.push({ outColumn: outText.length, column: i + 1 });
    }
    outText += text.slice(i);
    return { text: outText, map };
  }

  /** The value `$${name}` expands to now: pinned (--var), set earlier, a core run-time value (symbolic), else '' as FreeSWITCH does. */
  private valueOf(name: string): string {
    const v = this.vars.get(name);
    if (v) return v.symbolic ? symbolic(name) : v.value;
    if (CORE_RUNTIME_VARS.has(name)) return symbolic(name);
    return '';
  }

  private setVar(name: string, value: string, origin: PreprocessVar['origin'], location: SourceLocation, isSymbolic: boolean): void {
    // --var is a fact given by the user; it wins over the file. (Own names only: `toString` is a variable like any other.)
    if (Object.hasOwn(this.pinned, name)) return;
    this.vars.set(name, { name, value: isSymbolic ? symbolic(name) : value, symbolic: isSymbolic, origin, location });
  }

  /**
   * Appends `text` — the slice of an expanded line starting at `fromOut` — to the flattened output,
   * with segments mapping it back to source columns through the expansion `map`.
   */
  write(text: string, file: string, line: number, map: { outColumn: number; column: number }[], fromOut: number, newline: boolean): void {
    const o = this.out;
    if (!o.open) {
      o.lines.push('');
      o.segments.push([]);
    }
    const idx = o.lines.length - 1;
    const base = o.lines[idx].length;
    const segs = o.segments[idx];
    let start = map[0];
    for (const m of map) if (m.outColumn <= fromOut) start = m;
    segs.push({ outColumn: base, file, line, column: start.column + Math.max(0, fromOut - start.outColumn) });
    for (const m of map) {
      if (m.outColumn > fromOut && m.outColumn < fromOut + text.length) segs.push({ outColumn: base + m.outColumn - fromOut, file, line, column: m.column });
    }
    o.lines[idx] += text;
    o.chars += text.length + 1;
    o.open = !newline;
  }

  private issue(kind: LoadIssue['kind'], severity: LoadIssue['severity'], location: SourceLocation, message: string): void {
    this.issues.push({ kind, severity, location, message });
  }

  /** switch_xml.c `preprocess_glob`: a relative pattern is joined to the directory of the file being processed. */
  include(cwd: string, pattern: string, from: SourceLocation | undefined): void {
    const full = path.isAbsolute(pattern) ? pattern : path.join(cwd, pattern);
    const files = glob(full, { onlyFiles: true });
    if (files.length === 0) {
      if (from && !/[*?[]/.test(pattern)) this.issue('include-missing', 'warning', from, `X-PRE-PROCESS include "${pattern}": no such file (FreeSWITCH logs "No files to include" and goes on)`);
      return;
    }
    for (const f of files) this.file(f, from);
  }

  file(file: string, from: SourceLocation | undefined): void {
    if (this.stopped) return;
    if (this.stack.includes(file)) {
      this.issue('include-cycle', 'error', from ?? { file, line: 1, column: 1 }, `${path.basename(file)} includes itself (through ${this.stack.map((f) => path.basename(f)).join(' → ')}); FreeSWITCH would copy it 100 levels deep`);
      return;
    }
    if (this.stack.length >= MAX_INCLUDE_DEPTH) {
      this.issue('include-cycle', 'error', from ?? { file, line: 1, column: 1 }, `includes nested more than ${MAX_INCLUDE_DEPTH} levels; FreeSWITCH stops here ("Maximum recursion limit reached")`);
      return;
    }
    if (this.sources.length >= MAX_FILES) {
      this.stopped = true;
      this.issue('unreadable', 'error', from ?? { file, line: 1, column: 1 }, `more than ${MAX_FILES} files included; the rest is not read`);
      return;
    }
    this.sources.push({ file, includedFrom: from });
    const read = readConfigText(file);
    if (!read.ok) {
      this.issues.push(read.issue);
      return;
    }
    this.stack.push(file);
    try {
      this.lines(file, splitLines(read.text));
    } finally {
      this.stack.pop();
    }
  }

  private lines(file: string, lines: string[]): void {
    const cwd = path.dirname(file);
    let inHashComment = false;
    for (let n = 0; n < lines.length; n++) {
      if (this.out.chars > MAX_FLAT_CHARS) {
        this.stopped = true;
        this.issue('unreadable', 'error', { file, line: n + 1, column: 1 }, `the pre-processed configuration is over ${MAX_FLAT_CHARS} characters; the rest is not read`);
        return;
      }
      if (this.stopped) return;
      const raw = lines[n];
      const lineNo = n + 1;
      const { text: expanded, map } = this.expand(raw);
      // "we ignore <include> or </include> … as well as <?xml …?>": the whole line is dropped (tested on the unexpanded line).
      if (raw.includes('<include>') || raw.includes('</include>') || raw.includes('<?')) continue;
      let bp = expanded;
      let bpStart = 0;
      if (inHashComment) {
        const e = bp.indexOf('-->');
        if (e < 0) continue;
        inHashComment = false;
        bpStart = e + 3;
        bp = expanded.slice(bpStart);
      }
      const tcmd = indexOfCI(bp, 'X-pre-process');
      if (tcmd >= 0) {
        // Any line naming X-PRE-PROCESS is consumed, and only `<X-PRE-PROCESS` is a directive — even inside <!-- -->.
        if (tcmd === 0 || bp[tcmd - 1] !== '<') continue;
        const at: SourceLocation = { file, line: lineNo, column: bpStart + tcmd };
        const parsed = parseDirective(bp.slice(tcmd));
        if (parsed) this.directive(parsed.cmd, parsed.data, cwd, at);
        continue;
      }
      const hash = bp.indexOf('<!--#');
      if (hash >= 0) {
        this.write(bp.slice(0, hash), file, lineNo, map, bpStart, false);
        const end = bp.indexOf('-->', hash);
        let cmdText: string;
        if (end >= 0) {
          this.write(bp.slice(end + 3), file, lineNo, map, bpStart + end + 3, true);
          cmdText = bp.slice(hash + 5, end);
        } else {
          inHashComment = true;
          cmdText = bp.slice(hash + 5);
        }
        const sp = cmdText.indexOf(' ');
        if (sp >= 0) {
          const cmd = cmdText.slice(0, sp);
          let arg = cmdText.slice(sp + 1);
          const q = arg.indexOf('"');
          if (q >= 0) {
            const qq = arg.indexOf('"', q + 1);
            if (qq >= 0) arg = arg.slice(q + 1, qq);
          }
          // The <!--# form knows set, exec-set, stun-set, include, exec — not env-set.
          if (cmd.toLowerCase() !== 'env-set') this.directive(cmd, arg, cwd, { file, line: lineNo, column: bpStart + hash + 1 });
        }
        continue;
      }
      this.write(bp, file, lineNo, map, bpStart, true);
    }
    if (this.out.open) this.out.open = false;
  }

  private directive(cmd: string, data: string, cwd: string, at: SourceLocation): void {
    const c = cmd.toLowerCase();
    const [name, value] = splitAssignment(data);
    switch (c) {
      case 'set':
        // A value built from symbolic variables keeps their `$${name}` text; later expansions copy it as is.
        if (value !== undefined) this.setVar(name, value, 'set', at, false);
        return;
      case 'include':
        this.include(cwd, data, at);
        return;
      case 'exec':
        this.issue('exec', 'warning', at, `X-PRE-PROCESS cmd="exec" data="${data}" runs a shell command when FreeSWITCH loads its configuration; pbxlint never runs it, so what it would insert is unknown`);
        return;
      case 'exec-set':
        this.issue('exec', 'warning', at, `X-PRE-PROCESS cmd="exec-set" data="${data}" sets $\${${name}} from a shell command; pbxlint never runs it, so $\${${name}} stays unknown (give it with --var ${name}=VALUE)`);
        if (value !== undefined) this.setVar(name, '', 'exec-set', at, true);
        return;
      case 'stun-set':
        // switch_stun_ip_lookup does network I/O (a STUN or DNS query): the address is unknown here.
        if (value !== undefined) this.setVar(name, '', 'stun-set', at, true);
        return;
      case 'env-set':
        // The value is the FreeSWITCH server's environment variable, not this machine's.
        if (value !== undefined) this.setVar(name, '', 'env-set', at, true);
        return;
      default:
        return; // "Anything else is ignored"
    }
  }
}

/** `name=value` with spaces around `=` trimmed (switch_xml.c preprocess, cmd "set"). */
function splitAssignment(data: string): [string, string | undefined] {
  const eq = data.indexOf('=');
  if (eq < 0) return [data, undefined];
  return [data.slice(0, eq).replace(/ +$/, ''), data.slice(eq + 1).replace(/^ +/, '')];
}

/** cmd and data of `X-PRE-PROCESS cmd="…" data="…"` as preprocess() finds them: the first `cmd`, `=`, `"` … `"`; then `data` likewise. */
function parseDirective(s: string): { cmd: string; data: string } | null {
  let i = indexOfCI(s, 'cmd');
  if (i < 0) return null;
  i = s.indexOf('=', i);
  if (i < 0) return null;
  i = s.indexOf('"', i);
  if (i < 0) return null;
  const cmdEnd = s.indexOf('"', i + 1);
  const cmd = cmdEnd < 0 ? s.slice(i + 1) : s.slice(i + 1, cmdEnd);
  if (cmdEnd < 0) return null;
  let j = indexOfCI(s, 'data', cmdEnd + 1);
  if (j < 0) return null;
  j = s.indexOf('=', j);
  if (j < 0) return null;
  j = s.indexOf('"', j);
  if (j < 0) return null;
  const dataEnd = s.indexOf('"', j + 1);
  return { cmd, data: dataEnd < 0 ? s.slice(j + 1) : s.slice(j + 1, dataEnd) };
}

/** Flattens the tree rooted at `mainFile` (freeswitch.xml) the way switch_xml_open_root does. */
export function preprocessFile(mainFile: string, pinned: Record<string, string> = {}): Flattened {
  const p = new Preprocessor(pinned);
  p.file(mainFile, undefined);
  return p.result();
}

/**
 * A file some freeswitch.xml includes, read on its own: switch_xml.c preprocess drops its
 * `<include>` lines, so its elements are wrapped in a document of their own to be parsed.
 */
export function preprocessFragment(file: string, pinned: Record<string, string> = {}): Flattened {
  const p = new Preprocessor(pinned);
  p.write('<document type="freeswitch/xml">', file, 1, [{ outColumn: 0, column: 1 }], 0, true);
  p.file(file, undefined);
  p.write('</document>', file, 1, [{ outColumn: 0, column: 1 }], 0, true);
  return p.result();
}

/**
 * For a conf directory without freeswitch.xml (vars.xml + directory/ + dialplan/ + sip_profiles/):
 * the stock freeswitch.xml's include structure, run over this directory.
 */
export function preprocessStockLayout(confDir: string, pinned: Record<string, string> = {}): Flattened {
  const p = new Preprocessor(pinned);
  const write = (t: string) => p.write(t, path.join(confDir, 'vars.xml'), 1, [{ outColumn: 0, column: 1 }], 0, true);
  write('<document type="freeswitch/xml">');
  p.include(confDir, 'vars.xml', undefined);
  for (const [section, dir] of [['configuration', 'autoload_configs'], ['dialplan', 'dialplan'], ['directory', 'directory']]) {
    write(`<section name="${section}">`);
    p.include(confDir, `${dir}/*.xml`, undefined);
    write('</section>');
  }
  write('</document>');
  return p.result();
}

/** Maps a position in the flattened document (line 1-based, column 0-based) back to its source. */
export function mapPosition(flat: Flattened, line: number, column0: number): SourceLocation {
  const segs = flat.segments[line - 1];
  if (!segs || segs.length === 0) {
    const last = flat.sources[0];
    return { file: last?.file ?? '', line: 1, column: 1 };
  }
  let seg = segs[0];
  for (const s of segs) {
    if (s.outColumn <= column0) seg = s;
    else break;
  }
  return { file: seg.file, line: seg.line, column: seg.column + (column0 - seg.outColumn) };
}
