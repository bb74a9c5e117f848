/**
 * Kamailio's lexer with its preprocessor folded in, as Kamailio itself does it (kamailio/kamailio
 * src/core/cfg.lex + ppcfg.c): `#!define` and friends, `#!ifdef` blocks, `include_file` /
 * `import_file`, `#!subst`/`#!substdef`, and define substitution of bare identifiers (never inside
 * quoted strings; the value is lexed again where the identifier stood). Every token keeps the
 * file:line:column of the text it came from; a token produced by a define's value carries the
 * location of the identifier it replaced.
 */
import * as path from 'path';
import type { LoadIssue } from '../../core/findings';
import { readConfigText } from '../../core/files';
import type { SourceLocation } from '../../core/location';
import type { ConfigSource } from '../../model/common';
import { compileEre } from '../../automata/ere/ere';
import { ereMatcher } from '../../automata/ere/ere-nfa';

export type TokenKind = 'id' | 'num' | 'str' | 'pv' | 'sel' | 'op' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Source text (for 'str', the decoded value is in `value`). */
  text: string;
  value: string;
  loc: SourceLocation;
  /** Offsets into the file's text, for re-reading global parameter values as written. */
  start: number;
  end: number;
  /** Produced by expanding a `#!define` value. */
  expanded?: boolean;
  /** Text of the file this token was read from (shared, not copied). */
  src?: string;
}

export interface Define {
  value?: string;
  location?: SourceLocation;
}

export interface LexResult {
  tokens: Token[];
  defines: Map<string, Define>;
  sources: ConfigSource[];
  issues: LoadIssue[];
}

/** cfg.lex MAX_INCLUDE_DEPTH. */
const MAX_INCLUDE_DEPTH = 10;
/** A define whose value names itself (directly or not): cfg.lex `<INITIAL>{ID}` unput()s the value of pp_define_get and rescans it, with no guard (Kamailio loops, or its parser fails on the endless tokens); we stop here. */
const MAX_EXPANSION_DEPTH = 32;
/** Tokens over the whole configuration: defines that expand into each other can multiply text without end. */
const MAX_TOKENS = 1_000_000;
/**
 * Files read, includes counted each time they are read: Kamailio has no such bound, but a file
 * that includes one file a hundred thousand times would otherwise be read that often.
 */
const MAX_FILES_READ = 5000;
/** ppcfg.c limits the #!ifdef nesting to 512. */
const MAX_IF_NESTING = 512;

// No "!~": cfg.lex (kamailio 5.6.3 src/core/cfg.lex, operators) has MATCH "=~" but no negated
// match, so "!~" lexes as NOT then BIN_NOT and cfg.y refuses the expression ("syntax error").
const OPERATORS = ['<<', '>>', '==', '!=', '=~', '<=', '>=', '&&', '||', '+=', '=>', '{', '}', '(', ')', '[', ']', ';', ',', ':', '=', '<', '>', '!', '+', '-', '*', '/', '%', '&', '|', '^', '~', '.', '@', '?'];

const DIRECTIVES = new Set([
  'define', 'def', 'trydefine', 'trydef', 'redefine', 'redef', 'undefine', 'undef', 'tryundefine', 'tryundef',
  'ifdef', 'ifndef', 'ifexp', 'else', 'endif', 'subst', 'substdef', 'substdefs', 'include_file', 'import_file',
  'defexp', 'defexps', 'defenv', 'defenvs', 'trydefenv', 'trydefenvs',
]);

interface Subst {
  re: RegExp;
  repl: string;
  global: boolean;
  /** The pattern as written (POSIX ERE). */
  ere: string;
  icase: boolean;
}

function ereMatcherFor(sub: Subst): (s: string) => boolean {
  const m = ereMatcher(sub.ere, sub.icase);
  return typeof m === 'string' ? () => false : m;
}

interface IfFrame {
  /** This branch is being read. */
  active: boolean;
  /** The enclosing block is being read. */
  parentActive: boolean;
  taken: boolean;
  seenElse: boolean;
  location: SourceLocation;
}

class Lexer {
  readonly tokens: Token[] = [];
  readonly defines = new Map<string, Define>();
  readonly sources: ConfigSource[] = [];
  /** Whether MAX_FILES_READ was reached (reported once). */
  private tooManyFiles = false;
  readonly issues: LoadIssue[] = [];
  private readonly substs: Subst[] = [];
  private readonly ifs: IfFrame[] = [];
  private readonly rootDir: string;
  overflow = false;
  /** A define expansion reached MAX_EXPANSION_DEPTH: its levels are being left, up to the file's text. */
  private runawayExpansion = false;

  constructor(mainFile: string, cmdDefines: string[]) {
    this.rootDir = path.dirname(mainFile);
    for (const d of cmdDefines) {
      // kamailio -A NAME[=value]
      const eq = d.indexOf('=');
      if (eq < 0) this.defines.set(d, {});
      else this.defines.set(d.slice(0, eq), { value: d.slice(eq + 1) });
    }
  }

  issue(kind: LoadIssue['kind'], location: SourceLocation, message: string, severity: LoadIssue['severity'] = 'error'): void {
    this.issues.push({ kind, severity, location, message });
  }

  get skipping(): boolean {
    return this.ifs.length > 0 && !this.ifs[this.ifs.length - 1].active;
  }

  readFile(file: string, includedFrom: SourceLocation | undefined, depth: number, chain: string[]): void {
    if (this.sources.length >= MAX_FILES_READ) {
      if (!this.tooManyFiles) this.issue('unreadable', includedFrom ?? { file, line: 1, column: 1 }, `more than ${MAX_FILES_READ} files read (includes counted each time); this one and the rest are not read`);
      this.tooManyFiles = true;
      return;
    }
    const r = readConfigText(file);
    if (!r.ok) {
      this.issues.push(includedFrom ? { ...r.issue, location: includedFrom } : r.issue);
      return;
    }
    this.sources.push(includedFrom ? { file, includedFrom } : { file });
    this.lexText(r.text, file, 1, 1, depth, [...chain, file], undefined);
  }

  /**
   * Lexes `text` as if it started at file:line:col. `at` set: every token gets that location
   * (define expansion); directives are then not recognised, as Kamailio's unput() text is
   * lexed in the INITIAL state where a define value rarely holds one.
   */
  lexText(text: string, file: string, line0: number, col0: number, depth: number, chain: string[], at: SourceLocation | undefined, expansion = 0): void {
    let i = 0;
    let line = line0;
    let col = col0;
    const n = text.length;
    const here = (): SourceLocation => at ?? { file, line, column: col };
    const advance = (to: number) => {
      for (; i < to && i < n; i++) {
        if (text.charCodeAt(i) === 10) {
          line++;
          col = 1;
        } else col++;
      }
    };
    const restOfLine = (): string => {
      let j = i;
      while (j < n && text[j] !== '\n') j++;
      return text.slice(i, j);
    };
    const push = (kind: TokenKind, start: number, end: number, loc: SourceLocation, value?: string) => {
      if (this.tokens.length >= MAX_TOKENS) {
        if (!this.overflow) this.issue('unreadable', loc, `more than ${MAX_TOKENS} tokens after define expansion; the rest is not read`);
        this.overflow = true;
        i = n;
        return;
      }
      const t = text.slice(start, end);
      this.tokens.push({ kind, text: t, value: value ?? t, loc, start, end, expanded: at !== undefined || undefined, src: at ? undefined : text });
    };

    while (i < n && !this.overflow) {
      const c = text[i];
      // Preprocessor directives: `#!name` or `!!name` followed by blank (cfg.lex PREP_START).
      if ((c === '#' && text[i + 1] === '!') || (c === '!' && text[i + 1] === '!')) {
        const m = /^(?:#!|!!)([A-Za-z_]+)/.exec(text.slice(i, i + 40));
        const name = m?.[1] ?? '';
        if (m && DIRECTIVES.has(name)) {
          const loc = here();
          advance(i + m[0].length);
          let rest = restOfLine();
          let consumed = rest.length;
          // ppcfg: a define's value continues on the next line after a trailing backslash
          if (/^(define|def|trydefine|trydef|redefine|redef)$/.test(name)) {
            while (/\\\r?$/.test(rest) && i + consumed < n) {
              const nl = text.indexOf('\n', i + consumed + 1);
              const more = text.slice(i + consumed + 1, nl < 0 ? n : nl);
              rest = `${rest.replace(/\\\r?$/, '')}${more}`;
              consumed += 1 + more.length;
            }
          }
          this.directive(name, rest, loc, file, depth, chain);
          advance(i + consumed);
          continue;
        }
        if (m && /^(KAMAILIO|SER|MAXCOMPAT|ALL)$/.test(name)) {
          advance(i + m[0].length + restOfLine().length - m[0].length);
          continue;
        }
        if (c === '#') {
          advance(i + restOfLine().length);
          continue;
        }
      }
      if (this.skipping) {
        advance(i + 1);
        continue;
      }
      if (c === '\n' || c === ' ' || c === '\t' || c === '\r' || c === '\b' || c === '\f') {
        advance(i + 1);
        continue;
      }
      if (c === '#' || (c === '/' && text[i + 1] === '/')) {
        advance(i + restOfLine().length);
        continue;
      }
      if (c === '/' && text[i + 1] === '*') {
        // Block comments nest (cfg.lex comment_nest).
        const loc = here();
        let nest = 0;
        let j = i;
        for (; j < n; j++) {
          if (text[j] === '/' && text[j + 1] === '*') {
            nest++;
            j++;
          } else if (text[j] === '*' && text[j + 1] === '/') {
            nest--;
            j++;
            if (nest === 0) {
              j++;
              break;
            }
          }
        }
        if (nest > 0) this.issue('parse-error', loc, 'unterminated /* comment */');
        advance(j);
        continue;
      }
      if (c === '"' || c === "'") {
        const loc = here();
        const start = i;
        const r = c === '"' ? readDoubleQuoted(text, i) : readSingleQuoted(text, i);
        if (!r.closed) this.issue('parse-error', loc, 'unterminated string');
        advance(r.end);
        push('str', start, r.end, loc, this.applySubst(r.value));
        continue;
      }
      if (c === '$') {
        const loc = here();
        const start = i;
        const end = scanPv(text, i);
        advance(end);
        push('pv', start, end, loc);
        continue;
      }
      if (c === '@' && /[A-Za-z_]/.test(text[i + 1] ?? '')) {
        // select: @ruri.user, @cfg_get.group.var
        const loc = here();
        const start = i;
        let j = i + 1;
        while (j < n) {
          if (/[A-Za-z0-9_.]/.test(text[j])) j++;
          else if (text[j] === '[') {
            // @msg.header["SER-Server-ID"]
            const close = text.indexOf(']', j);
            if (close < 0 || text.slice(j, close).includes('\n')) break;
            j = close + 1;
          } else break;
        }
        advance(j);
        push('sel', start, j, loc);
        continue;
      }
      if (/[0-9]/.test(c)) {
        const loc = here();
        const start = i;
        let j = i;
        if (c === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X')) {
          j += 2;
          while (j < n && /[0-9a-fA-F]/.test(text[j])) j++;
        } else {
          // digits, dotted IPv4 addresses, NUM_ID (alphanumerics starting with a digit)
          while (j < n && /[A-Za-z0-9_]/.test(text[j])) j++;
          while (text[j] === '.' && /[0-9]/.test(text[j + 1] ?? '')) {
            j++;
            while (j < n && /[0-9]/.test(text[j])) j++;
          }
        }
        advance(j);
        push(/^(0x[0-9a-fA-F]+|[0-9]+(\.[0-9]+)*)$/.test(text.slice(start, j)) ? 'num' : 'id', start, j, loc);
        continue;
      }
      if (/[A-Za-z_]/.test(c)) {
        const loc = here();
        const start = i;
        let j = i;
        while (j < n && /[A-Za-z0-9_]/.test(text[j])) j++;
        const word = text.slice(start, j);
        if (word === 'include_file' || word === 'import_file') {
          advance(j);
          const rest = restOfLine();
          this.directive(word, rest, loc, file, depth, chain);
          advance(i + rest.length);
          continue;
        }
        const def = this.defines.get(word);
        if (def?.value !== undefined && !KEYWORDS.has(word)) {
          advance(j);
          if (expansion >= MAX_EXPANSION_DEPTH) {
            // The whole expansion of the name in the file is abandoned, not only this innermost
            // level: a value naming itself twice would otherwise expand 2^32 times (found by
            // npm run fuzz: a 1.4 KB cfg took seconds, making a million tokens).
            this.issue('parse-error', loc, `define ${word} expands into itself`);
            this.runawayExpansion = true;
            return;
          }
          this.lexText(def.value, file, loc.line, loc.column, depth, chain, loc, expansion + 1);
          if (this.runawayExpansion) {
            if (expansion > 0) return;
            this.runawayExpansion = false; // back in the file's own text: lexing goes on after the name
          }
          continue;
        }
        advance(j);
        push('id', start, j, loc);
        continue;
      }
      const op = OPERATORS.find((o) => text.startsWith(o, i));
      const loc = here();
      const start = i;
      if (op) {
        advance(i + op.length);
        push('op', start, i, loc);
      } else {
        advance(i + 1);
        this.issue('parse-error', loc, `unexpected character '${c}'`);
      }
    }
  }

  private applySubst(s: string): string {
    // The JavaScript engine (needed for the replacement's groups) only runs when the linear-time
    // matcher says there is a match, so a crafted #!subst cannot make it backtrack for ever on a miss.
    for (const sub of this.substs) if (ereMatcherFor(sub)(s)) s = s.replace(sub.re, sub.repl);
    return s;
  }

  private directive(name: string, rest: string, loc: SourceLocation, file: string, depth: number, chain: string[]): void {
    const args = rest.trim();
    const ident = /^([A-Za-z_][A-Za-z0-9_]*)/.exec(args)?.[1];
    switch (name) {
      case 'ifdef':
      case 'ifndef':
      case 'ifexp': {
        const parentActive = !this.skipping;
        let cond = false;
        if (name === 'ifexp') {
          if (parentActive) this.issue('not-modelled', loc, `#!ifexp ${args}: expression not evaluated; the block is read as false`, 'warning');
        } else if (!ident) {
          if (parentActive) this.issue('parse-error', loc, `#!${name} needs a name`);
        } else cond = this.defines.has(ident) === (name === 'ifdef');
        if (this.ifs.length >= MAX_IF_NESTING) {
          this.issue('parse-error', loc, 'too many nested #!ifdef');
          return;
        }
        this.ifs.push({ active: parentActive && cond, parentActive, taken: cond, seenElse: false, location: loc });
        return;
      }
      case 'else': {
        const top = this.ifs[this.ifs.length - 1];
        if (!top) return this.issue('parse-error', loc, '#!else without #!ifdef');
        top.seenElse = true;
        top.active = top.parentActive && !top.taken;
        return;
      }
      case 'endif':
        if (!this.ifs.pop()) this.issue('parse-error', loc, '#!endif without #!ifdef');
        return;
    }
    if (this.skipping) return;
    switch (name) {
      case 'define':
      case 'def':
      case 'trydefine':
      case 'trydef':
      case 'redefine':
      case 'redef': {
        if (!ident) return this.issue('parse-error', loc, `#!${name} needs a name`);
        let value: string | undefined = args.slice(ident.length).trim();
        if (value === '') value = undefined;
        const exists = this.defines.has(ident);
        if (exists && (name === 'define' || name === 'def')) {
          // ppcfg.c pp_define: "redefinition of ..." makes the lexer fail.
          return this.issue('parse-error', loc, `${ident} is already defined; use #!redefine or #!trydef`);
        }
        if (exists && name.startsWith('try')) return;
        this.defines.set(ident, { value, location: loc });
        return;
      }
      case 'undefine':
      case 'undef':
      case 'tryundefine':
      case 'tryundef':
        if (ident) this.defines.delete(ident);
        return;
      case 'defexp':
      case 'defexps':
      case 'defenv':
      case 'defenvs':
      case 'trydefenv':
      case 'trydefenvs':
        // Values from expressions or the environment are not known statically; defined, value unknown.
        if (ident && !(name.startsWith('try') && this.defines.has(ident))) this.defines.set(ident, { location: loc });
        this.issue('not-modelled', loc, `#!${name}: value taken at run time; ${ident ?? 'the name'} is treated as defined with no value`, 'info');
        return;
      case 'subst':
      case 'substdef':
      case 'substdefs': {
        const s = readDoubleQuoted(args, 0);
        if (!args.startsWith('"') || !s.closed) return this.issue('parse-error', loc, `#!${name} needs a quoted "/regex/replacement/flags"`);
        const parts = splitSubst(s.value);
        if (!parts) return this.issue('parse-error', loc, `#!${name}: expected "/regex/replacement/flags"`);
        const re = compileEre(parts.re, parts.flags.includes('i'));
        if (!re.ok) return this.issue('not-modelled', loc, `#!${name}: ${re.error}`, 'warning');
        this.substs.push({ re: new RegExp(re.regex.source, re.regex.flags + (parts.flags.includes('g') ? 'g' : '')), repl: parts.repl.replace(/\\([0-9])/g, '$$$1'), global: parts.flags.includes('g'), ere: parts.re, icase: parts.flags.includes('i') });
        if (name !== 'subst') {
          if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(parts.re)) this.defines.set(parts.re, { value: name === 'substdefs' ? `"${parts.repl}"` : parts.repl, location: loc });
        }
        return;
      }
      case 'include_file':
      case 'import_file': {
        const s = readDoubleQuoted(args, 0);
        if (!args.startsWith('"') || !s.closed) return this.issue('parse-error', loc, `${name} needs a file name in double quotes`);
        const target = this.resolveInclude(s.value, file);
        if (!target) {
          if (name === 'import_file') return; // cfg.lex: a missing import_file is skipped
          // An installation path (/usr/local/etc/kamailio/x.cfg) absent here, with the file beside the cfg.
          const beside = path.isAbsolute(s.value) ? this.resolveInclude(path.basename(s.value), file) : null;
          const hint = beside ? `; ${path.basename(s.value)} is beside ${path.basename(file)}: install it at that path, or include it by a relative path` : '';
          return this.issue('include-missing', loc, `include_file "${s.value}": no such file (Kamailio refuses to start)${hint}`);
        }
        if (chain.includes(target)) return this.issue('include-cycle', loc, `${name} "${s.value}" includes a file that is already being read`);
        if (depth + 1 >= MAX_INCLUDE_DEPTH) return this.issue('include-cycle', loc, `${name} "${s.value}": includes nested deeper than ${MAX_INCLUDE_DEPTH} (cfg.lex MAX_INCLUDE_DEPTH)`);
        this.readFile(target, loc, depth + 1, chain);
        return;
      }
    }
  }

  /**
   * cfg.lex sr_push_yy_state: the path as given (relative to kamailio's working directory), then
   * relative to the including file's directory. pbxlint has no working directory of Kamailio's, so
   * it tries the including file's directory, then the main file's.
   */
  private resolveInclude(name: string, from: string): string | null {
    const fs = require('fs') as typeof import('fs');
    const candidates = path.isAbsolute(name) ? [name] : [path.join(path.dirname(from), name), path.join(this.rootDir, name)];
    for (const c of candidates) {
      try {
        if (fs.statSync(c).isFile()) return path.resolve(c);
      } catch {
        /* try the next */
      }
    }
    return null;
  }

  finish(): void {
    for (const f of this.ifs) this.issue('parse-error', f.location, '#!ifdef without #!endif');
  }
}

/** Words cfg.lex matches as keywords before its {ID} rule: a define with such a name is never substituted. */
const KEYWORDS = new Set(['if', 'else', 'switch', 'case', 'default', 'while', 'return', 'exit', 'drop', 'break', 'route', 'request_route', 'failure_route', 'branch_route', 'onreply_route', 'reply_route', 'onsend_route', 'event_route', 'uri', 'from_uri', 'to_uri', 'method', 'src_ip', 'dst_ip', 'myself', 'loadmodule', 'modparam']);

function splitSubst(s: string): { re: string; repl: string; flags: string } | null {
  if (s.length < 3) return null;
  const sep = s[0];
  const parts: string[] = [];
  let cur = '';
  for (let i = 1; i < s.length; i++) {
    if (s[i] === '\\' && s[i + 1] === sep) {
      cur += sep;
      i++;
    } else if (s[i] === sep) {
      parts.push(cur);
      cur = '';
    } else cur += s[i];
  }
  parts.push(cur);
  if (parts.length < 3) return null;
  return { re: parts[0], repl: parts[1], flags: parts[2] };
}

/**
 * `"..."` as cfg.lex's STRING1 state reads it: `\n \r \a \t \" \\ \xHH \ooo` (2–3 octal digits),
 * backslash-newline removed; any other backslash is kept with the character after it, so
 * `"^\+[0-9]+$"` reaches the regex compiler as `^\+[0-9]+$`.
 */
export function readDoubleQuoted(text: string, i: number): { value: string; end: number; closed: boolean } {
  let j = i + 1;
  let v = '';
  while (j < text.length) {
    const ch = text[j];
    if (ch === '"') return { value: v, end: j + 1, closed: true };
    if (ch === '\\' && j + 1 < text.length) {
      const e = text[j + 1];
      const simple: Record<string, string> = { n: '\n', r: '\r', a: '\x07', t: '\t', '"': '"', '\\': '\\', '\n': '' };
      if (e in simple) {
        v += simple[e];
        j += 2;
        continue;
      }
      const hex = /^x([0-9a-fA-F]{1,2})/.exec(text.slice(j + 1, j + 4));
      if (hex) {
        v += String.fromCharCode(parseInt(hex[1], 16));
        j += 1 + hex[0].length;
        continue;
      }
      const oct = /^[0-7]{2,3}/.exec(text.slice(j + 1, j + 4));
      if (oct) {
        v += String.fromCharCode(parseInt(oct[0], 8) & 0xff);
        j += 1 + oct[0].length;
        continue;
      }
      v += ch; // kept: the next character is read on its own
      j++;
      continue;
    }
    v += ch;
    j++;
  }
  return { value: v, end: j, closed: false };
}

/** `'...'` is taken literally (cfg.lex STR_BETWEEN_TICKS). */
function readSingleQuoted(text: string, i: number): { value: string; end: number; closed: boolean } {
  const close = text.indexOf("'", i + 1);
  if (close < 0) return { value: text.slice(i + 1), end: text.length, closed: false };
  return { value: text.slice(i + 1, close), end: close + 1, closed: true };
}

/**
 * A pseudo-variable: `$name`, `$name(inner)`, `$name(inner)[idx]`, `$(name{tr}...)`, with nested
 * parentheses and braces (cfg.lex PVAR_P / PVARID states).
 */
function scanPv(text: string, i: number): number {
  let j = i + 1;
  const balanced = (open: string, close: string, from: number): number => {
    let depth = 0;
    let k = from;
    for (; k < text.length; k++) {
      const ch = text[k];
      if (ch === '\n' && open !== '{') return k; // pseudo-variables do not span lines
      if (ch === open) depth++;
      else if (ch === close) {
        depth--;
        if (depth === 0) return k + 1;
      }
    }
    return k;
  };
  if (text[j] === '?') return j + 1; // $? is $rc
  if (text[j] === '(' || text[j] === '{') return balanced(text[j], text[j] === '(' ? ')' : '}', j);
  while (j < text.length && /[A-Za-z0-9_.]/.test(text[j])) j++;
  if (text[j] === '(') j = balanced('(', ')', j);
  while (text[j] === '[') j = balanced('[', ']', j);
  return j;
}

export function lexKamailio(mainFile: string, defines: string[] = []): LexResult {
  const lx = new Lexer(mainFile, defines);
  lx.readFile(mainFile, undefined, 0, []);
  lx.finish();
  const last = lx.tokens[lx.tokens.length - 1];
  const eofLoc = last ? { ...last.loc } : { file: mainFile, line: 1, column: 1 };
  lx.tokens.push({ kind: 'eof', text: '', value: '', loc: eofLoc, start: 0, end: 0 });
  return { tokens: lx.tokens, defines: lx.defines, sources: lx.sources, issues: lx.issues };
}
