/**
 * A recursive-descent parser for Kamailio's cfg language (kamailio/kamailio src/core/cfg.y):
 * global parameters, loadmodule/loadpath, modparam, route blocks and their statements. It never
 * throws: a syntax error becomes a LoadIssue at the offending token and parsing resumes at the next
 * statement or line.
 */
import type { LoadIssue } from '../../core/findings';
import type { SourceLocation } from '../../core/location';
import type { Expr, RouteBlock, RouteKind, Stmt, SwitchCase } from './ast';
import { CONFIG_VAR_KEYWORDS, CORE_PARAMS } from './core-params';
import { keywordLabel } from './host-keywords';
import type { Token } from './lexer';

export interface GlobalParam {
  name: string;
  /** The value as written (a quoted value without its quotes). */
  value: string;
  /** For a custom cfg variable (`group.name = value desc "…"`). */
  group?: string;
  /** The value was one double-quoted string (cfg.y STRING: for alias=/listen= one name, ports and all). */
  quoted?: boolean;
  location: SourceLocation;
}

export interface LoadModule {
  /** The module name (`tm` for `loadmodule "tm.so"` or `"/usr/lib/…/tm.so"`). */
  name: string;
  path: string;
  location: SourceLocation;
  /** Position in the preprocessed configuration (Kamailio applies directives in this order). */
  seq: number;
}

export interface ModParam {
  module: string;
  param: string;
  value: string | number;
  location: SourceLocation;
  seq: number;
}

export interface ParsedConfig {
  globals: GlobalParam[];
  modules: LoadModule[];
  loadpaths: { path: string; location: SourceLocation }[];
  modparams: ModParam[];
  routes: RouteBlock[];
  issues: LoadIssue[];
  /** `cfgengine "lua"` (cfg.y CFGENGINE): the last one given. */
  cfgengine?: { name: string; location: SourceLocation };
}

/** A Map, not an object: a top-level name such as `toString` must not find Object.prototype members. */
const ROUTE_KEYWORDS = new Map<string, RouteKind>([
  ['route', 'request'],
  ['request_route', 'request'],
  ['failure_route', 'failure'],
  ['branch_route', 'branch'],
  ['onreply_route', 'onreply'],
  ['reply_route', 'reply'],
  ['onsend_route', 'onsend'],
  ['event_route', 'event'],
]);

const BINARY_LEVELS: string[][] = [
  ['||', 'or'],
  ['&&', 'and'],
  ['|'],
  ['&'],
  ['^'],
  ['<<', '>>'],
  // cfg.y rve_equalop / strop (kamailio 5.6.3): no "!~" (see lexer.ts OPERATORS).
  ['==', '!=', '=~', 'eq', 'ne', 'ieq', 'ine'],
  ['<', '>', '<=', '>='],
  ['+', '-'],
  ['*', '/', '%'],
];

/** cfg.lex names of the core actions whose one argument cfg.y takes as a STRING or NUMBER token. */
const CORE_ARG: Record<string, 'string' | 'number'> = {
  prefix: 'string',
  strip: 'number',
  strip_tail: 'number',
  rewritehost: 'string',
  sethost: 'string',
  seth: 'string',
  rewritehostport: 'string',
  sethostport: 'string',
  sethp: 'string',
  rewritehostporttrans: 'string',
  sethostporttrans: 'string',
  sethpt: 'string',
  rewriteport: 'string',
  setport: 'string',
  setp: 'string',
  rewriteuri: 'string',
  seturi: 'string',
  rewriteuser: 'string',
  setuser: 'string',
  setu: 'string',
  rewriteuserpass: 'string',
  setuserpass: 'string',
  setup: 'string',
};

function ownCoreArg(name: string): 'string' | 'number' | undefined {
  return Object.prototype.hasOwnProperty.call(CORE_ARG, name) ? CORE_ARG[name] : undefined;
}

class SyntaxError extends Error {
  constructor(readonly token: Token, message: string) {
    super(message);
  }
}

export function moduleNameOf(p: string): string {
  const base = p.split('/').pop() ?? p;
  return base.replace(/\.so$/, '');
}

/** Blocks and parentheses nested deeper than this are refused (no real config comes close; deeper would exhaust the stack). */
const MAX_NESTING = 200;

class Parser {
  private i = 0;
  private depth = 0;
  readonly out: ParsedConfig = { globals: [], modules: [], loadpaths: [], modparams: [], routes: [], issues: [] };

  constructor(private readonly t: Token[]) {}

  private get cur(): Token {
    return this.t[this.i];
  }
  private peek(n = 1): Token {
    return this.t[Math.min(this.i + n, this.t.length - 1)];
  }
  private next(): Token {
    const tok = this.t[this.i];
    if (this.i < this.t.length - 1) this.i++;
    return tok;
  }
  private is(text: string, tok = this.cur): boolean {
    return (tok.kind === 'op' || tok.kind === 'id') && tok.text === text;
  }
  private expect(text: string, what?: string): Token {
    if (!this.is(text)) throw new SyntaxError(this.cur, `syntax error: expected '${text}'${what ? ` ${what}` : ''}, found ${this.describe(this.cur)}`);
    return this.next();
  }
  private describe(tok: Token): string {
    return tok.kind === 'eof' ? 'end of file' : `'${tok.text}'`;
  }
  private error(tok: Token, message: string): void {
    this.out.issues.push({ kind: 'parse-error', severity: 'error', location: tok.loc, message });
  }
  /** `alias=route.example.com`: a host label the lexer reads as a keyword (host-keywords.ts) stops Kamailio. */
  private checkHostWords(value: string, toks: Token[], at: Token): void {
    const words = value.split(/\s+/);
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      if (/^(advertise|virtual)$/i.test(w)) continue;
      if (/^(name|agname)$/i.test(w)) {
        i++;
        continue;
      }
      const label = keywordLabel(w);
      if (!label) continue;
      const where = toks.find((t) => t.text === label) ?? toks[0] ?? at;
      this.error(where, `syntax error: "${label}" in the host name ${w} is a keyword of Kamailio's cfg lexer ("hostname expected": Kamailio refuses to start); write the name in double quotes (${w.replace(/^([a-z]+:)?(.*?)(:[0-9]+)?$/i, (_m, p: string | undefined, h: string, port: string | undefined) => `${p ?? ''}"${h}"${port ?? ''}`)})`);
      return;
    }
  }
  private sameLine(a: Token, b: Token): boolean {
    return a.loc.file === b.loc.file && a.loc.line === b.loc.line;
  }

  parseTop(): void {
    while (this.cur.kind !== 'eof') {
      const start = this.i;
      try {
        this.topItem();
      } catch (e) {
        if (!(e instanceof SyntaxError)) throw e;
        this.error(e.token, e.message);
        this.recoverTop(start);
      }
    }
  }

  /** After an error at top level: skip to the first token of a later line that can start an item. */
  private recoverTop(start: number): void {
    if (this.i === start) this.next();
    let depth = 0;
    while (this.cur.kind !== 'eof') {
      if (this.is('{')) depth++;
      if (this.is('}')) depth = Math.max(0, depth - 1);
      const prev = this.t[this.i - 1];
      if (depth === 0 && this.cur.kind === 'id' && prev && !this.sameLine(prev, this.cur) && (ROUTE_KEYWORDS.has(this.cur.text) || this.cur.text === 'loadmodule' || this.cur.text === 'modparam' || this.is('=', this.peek()) || (this.is('.', this.peek()) && this.is('=', this.peek(3))))) return;
      this.next();
    }
  }

  private topItem(): void {
    const tok = this.cur;
    if (this.is(';')) {
      this.next();
      return;
    }
    if (tok.kind !== 'id') throw new SyntaxError(tok, `syntax error: unexpected ${this.describe(tok)} at top level`);
    const kind = ROUTE_KEYWORDS.get(tok.text);
    if (kind) return this.routeBlock(kind);
    if (tok.text === 'loadmodule' || tok.text === 'loadmodulex') {
      this.next();
      const s = this.next();
      if (s.kind !== 'str') throw new SyntaxError(s, 'loadmodule needs a quoted module name');
      if (this.cur.kind === 'str' && this.sameLine(s, this.cur)) this.next(); // module init params
      this.out.modules.push({ name: moduleNameOf(s.value), path: s.value, location: tok.loc, seq: this.i });
      return;
    }
    if (tok.text === 'loadpath') {
      this.next();
      const s = this.next();
      if (s.kind !== 'str') throw new SyntaxError(s, 'loadpath needs a quoted path');
      this.out.loadpaths.push({ path: s.value, location: tok.loc });
      return;
    }
    if (tok.text === 'modparam') return this.modparam();
    if (tok.text === 'flags' || tok.text === 'bool' || tok.text === 'avpflags') {
      // cfg.y FLAGS_DECL: `flags NAME : n, NAME : n;` (names for flag numbers)
      this.next();
      while (this.cur.kind !== 'eof' && !this.is(';')) this.next();
      this.expect(';', 'after the flags declaration');
      return;
    }
    if (tok.text === 'cfgengine') {
      this.next();
      const v = this.next();
      this.out.cfgengine = { name: v.kind === 'str' ? v.value : v.text, location: tok.loc };
      return;
    }
    // name = value, or group.name = value [desc "…"]
    let name = tok.text;
    let group: string | undefined;
    this.next();
    if (this.is('.')) {
      this.next();
      const n2 = this.next();
      if (n2.kind !== 'id') throw new SyntaxError(n2, 'syntax error: expected a name after "."');
      group = name;
      name = n2.text;
    }
    if (!this.is('=') && !this.is('+=') && !this.is(':=')) throw new SyntaxError(this.cur, `syntax error: unexpected ${this.describe(tok)} at top level`);
    const eq = this.next();
    if (!group && !CORE_PARAMS.has(name)) throw new SyntaxError(tok, `unknown config variable "${name}" (cfg.y: not a core parameter; Kamailio refuses to start)`);
    const vals: Token[] = [];
    while (this.cur.kind !== 'eof' && (this.sameLine(eq, this.cur) || (vals.length && this.sameLine(vals[vals.length - 1], this.cur)) || this.cur.expanded) && !this.is(';')) {
      if (vals.length && this.cur.kind === 'id' && this.is('=', this.peek()) && !this.sameLine(vals[vals.length - 1], this.cur)) break;
      vals.push(this.next());
    }
    if (this.is(';')) this.next();
    if (vals.length === 0) throw new SyntaxError(this.cur, `syntax error: ${name} = needs a value`);
    let descIdx = vals.findIndex((v) => v.kind === 'id' && /^(desc|descr|description)$/.test(v.text));
    if (descIdx < 0) descIdx = vals.length;
    // `group.name = desc "…"`: the description where the value should be (cfg.y wants a value
    // before CFG_DESCRIPTION). Found by fuzzing: the empty value failed the whole load.
    if (descIdx === 0) throw new SyntaxError(vals[0], `syntax error: ${name} = needs a value before "${vals[0].text}"`);
    const valueToks = vals.slice(0, descIdx);
    const quoted = valueToks.length === 1 && valueToks[0].kind === 'str' ? true : undefined;
    const value = tokensText(valueToks);
    this.out.globals.push({ name, value, group, quoted, location: tok.loc });
    if (!group && !quoted && (name === 'alias' || name === 'listen')) this.checkHostWords(value, valueToks, tok);
  }

  private modparam(): void {
    const tok = this.next();
    this.expect('(');
    const mod = this.next();
    this.expect(',');
    const param = this.next();
    this.expect(',');
    let value: string | number;
    const neg = this.is('-') ? (this.next(), -1) : 1;
    const v = this.next();
    if (mod.kind !== 'str' || param.kind !== 'str') throw new SyntaxError(mod, 'modparam needs a quoted module and parameter name');
    if (v.kind === 'str') {
      value = v.value;
      while (this.cur.kind === 'str') value += this.next().value; // adjacent strings concatenate
    } else if (v.kind === 'num') value = neg * Number(v.text);
    else if (v.kind === 'id' && /^(yes|true|on|enable)$/.test(v.text)) value = 1; // cfg.lex YES
    else if (v.kind === 'id' && /^(no|false|off|disable)$/.test(v.text)) value = 0; // cfg.lex NO
    else throw new SyntaxError(v, `syntax error: modparam value must be a string or a number${v.kind === 'id' ? ` ('${v.text}' is not a defined name)` : ''}`);
    this.expect(')');
    if (this.is(';')) this.next();
    this.out.modparams.push({ module: mod.value, param: param.value, value, location: tok.loc, seq: this.i });
  }

  private routeBlock(kind: RouteKind): void {
    const kw = this.next();
    let name = 'DEFAULT';
    if (this.is('[')) {
      this.next();
      const parts: string[] = [];
      while (!this.is(']') && this.cur.kind !== 'eof' && !this.is('{')) parts.push(this.next().value);
      this.expect(']', 'after the route name');
      name = parts.join('');
      if (name === '0' || name === '' || (kind !== 'event' && name === 'DEFAULT_ROUTE')) name = 'DEFAULT';
    }
    if (kw.text === 'reply_route') kind = 'onreply';
    const open = this.expect('{', `to open ${kw.text}`);
    const body = this.stmts('}');
    this.expect('}', `to close the block opened at line ${open.loc.line}`);
    this.out.routes.push({ kind, name, body, loc: kw.loc });
  }

  private stmts(close: string, stopAtCase = false): Stmt[] {
    const out: Stmt[] = [];
    while (!this.is(close) && this.cur.kind !== 'eof') {
      if (stopAtCase && (this.is('case') || this.is('default'))) break;
      const start = this.i;
      try {
        const s = this.stmt();
        if (s) out.push(s);
      } catch (e) {
        if (!(e instanceof SyntaxError)) throw e;
        this.error(e.token, e.message);
        if (this.i === start) this.next();
        while ((this.cur as Token).kind !== 'eof' && !this.is(';') && !this.is('}')) this.next();
        if (this.is(';')) this.next();
      }
    }
    return out;
  }

  private block(): Stmt[] {
    if (this.is('{')) {
      this.next();
      const b = this.stmts('}');
      this.expect('}');
      return b;
    }
    const s = this.stmt();
    return s ? [s] : [];
  }

  private endStmt(): void {
    this.expect(';', 'at the end of the statement');
  }

  private stmt(): Stmt | null {
    if (++this.depth > MAX_NESTING) {
      this.depth--;
      const t = this.cur;
      // skip to the end of input: nothing sensible can follow
      while (this.cur.kind !== 'eof') this.next();
      throw new SyntaxError(t, `blocks nested deeper than ${MAX_NESTING}; the rest of the file is not read`);
    }
    try {
      return this.stmtInner();
    } finally {
      this.depth--;
    }
  }

  private stmtInner(): Stmt | null {
    const tok = this.cur;
    if (this.is(';')) {
      this.next();
      return null;
    }
    if (this.is('{')) return { k: 'block', body: this.block(), loc: tok.loc };
    if (tok.kind === 'pv') {
      this.next();
      const op = this.cur;
      if (!this.is('=') && !this.is('+=') && !this.is(':=')) throw new SyntaxError(op, `syntax error: expected '=' after ${tok.text}`);
      this.next();
      const value = this.expr();
      this.endStmt();
      return { k: 'assign', target: tok.text, op: op.text as '=' | '+=' | ':=', value, loc: tok.loc };
    }
    if (tok.kind !== 'id') throw new SyntaxError(tok, `syntax error: unexpected ${this.describe(tok)}`);
    switch (tok.text) {
      case 'if': {
        this.next();
        this.expect('(');
        const cond = this.expr();
        this.expect(')');
        const then = this.block();
        let els: Stmt[] | undefined;
        if (this.is('else')) {
          this.next();
          els = this.block();
        }
        return { k: 'if', cond, then, else: els, loc: tok.loc };
      }
      case 'while': {
        this.next();
        this.expect('(');
        const cond = this.expr();
        this.expect(')');
        return { k: 'while', cond, body: this.block(), loc: tok.loc };
      }
      case 'switch': {
        this.next();
        this.expect('(');
        const subject = this.expr();
        this.expect(')');
        this.expect('{');
        const cases: SwitchCase[] = [];
        while (!this.is('}') && this.cur.kind !== 'eof') {
          const c = this.cur;
          let value: Expr | undefined;
          if (this.is('case')) {
            this.next();
            value = this.primaryForCase();
          } else if (this.is('default')) this.next();
          else throw new SyntaxError(c, `syntax error: expected 'case' or 'default' in switch, found ${this.describe(c)}`);
          this.expect(':');
          cases.push({ value, body: this.stmts('}', true), loc: c.loc });
        }
        this.expect('}');
        return { k: 'switch', subject, cases, loc: tok.loc };
      }
      case 'return': {
        this.next();
        let value: Expr | undefined;
        if (!this.is(';')) value = this.expr();
        this.endStmt();
        return { k: 'return', value, loc: tok.loc };
      }
      case 'exit':
      case 'drop':
      case 'break': {
        this.next();
        if (this.is('(')) {
          this.next();
          if (!this.is(')')) this.expr();
          this.expect(')');
        }
        this.endStmt();
        return { k: tok.text, loc: tok.loc };
      }
    }
    this.next();
    const args = this.is('(') ? this.args() : [];
    this.endStmt();
    this.checkCoreArgs(tok, args);
    return { k: 'call', name: tok.text, args, loc: tok.loc };
  }

  /**
   * Core actions with a fixed grammar take one literal, not an expression (kamailio 5.6.3
   * src/core/cfg.y cmd: `PREFIX LPAREN STRING RPAREN`, `STRIP LPAREN NUMBER RPAREN`, …; anything
   * else is `yyerror("bad argument, string expected")` / `"number expected"` and Kamailio does not
   * start). After #!define expansion, `prefix(NAME)` of an empty or missing define is such an error.
   */
  private checkCoreArgs(tok: Token, args: Expr[]): void {
    const want = ownCoreArg(tok.text);
    if (!want) return;
    const ok = args.length === 1 && (want === 'string' ? args[0].k === 'str' : args[0].k === 'num' && /^(?:[0-9]+|0x[0-9a-f]+)$/i.test(args[0].raw));
    if (!ok) this.error(tok, `${tok.text}() takes one ${want === 'string' ? 'quoted string' : 'number'} literal: bad argument, ${want} expected (cfg.y), Kamailio refuses to start`);
  }

  private primaryForCase(): Expr {
    if (this.is('-')) {
      const m = this.next();
      const n = this.next();
      return { k: 'num', value: -Number(n.text), raw: `-${n.text}`, loc: m.loc };
    }
    const t = this.next();
    if (t.kind === 'str') {
      let v = t.value;
      while (this.cur.kind === 'str') v += this.next().value;
      return { k: 'str', value: v, loc: t.loc };
    }
    if (t.kind === 'num') return { k: 'num', value: Number(t.text), raw: t.text, loc: t.loc };
    if (t.kind === 'id') return { k: 'id', name: t.text, loc: t.loc };
    if (t.kind === 'pv') return { k: 'pv', raw: t.text, loc: t.loc };
    throw new SyntaxError(t, `syntax error: bad case value ${this.describe(t)}`);
  }

  private args(): Expr[] {
    this.expect('(');
    const out: Expr[] = [];
    if (this.is(')')) {
      this.next();
      return out;
    }
    for (;;) {
      let e = this.expr();
      // forward(uri:host, uri:port) and similar `word:word` arguments
      // and socket arguments: force_send_socket(udp:127.0.0.1:5060)
      if (e.k === 'id' && this.is(':')) {
        let name = e.name;
        while (this.is(':') && (this.peek().kind === 'id' || this.peek().kind === 'num')) {
          this.next();
          name += `:${this.next().text}`;
        }
        e = { k: 'id', name, loc: e.loc };
      }
      out.push(e);
      if (this.is(',')) {
        this.next();
        continue;
      }
      this.expect(')', 'to close the argument list');
      return out;
    }
  }

  expr(level = 0): Expr {
    if (level >= BINARY_LEVELS.length) return this.unary();
    let l = this.expr(level + 1);
    for (;;) {
      const op = this.cur;
      if ((op.kind === 'op' || op.kind === 'id') && BINARY_LEVELS[level].includes(op.text)) {
        this.next();
        const r = this.expr(level + 1);
        const name = op.text === 'or' ? '||' : op.text === 'and' ? '&&' : op.text;
        l = { k: 'binop', op: name, l, r, loc: op.loc };
      } else return l;
    }
  }

  private unary(): Expr {
    const t = this.cur;
    if (this.depth > MAX_NESTING) {
      while (this.cur.kind !== 'eof') this.next();
      throw new SyntaxError(t, `expression nested deeper than ${MAX_NESTING}; the rest of the file is not read`);
    }
    if (this.is('!') || this.is('not') || this.is('-') || this.is('~') || this.is('defined')) {
      this.next();
      const op = t.text === 'not' ? '!' : t.text;
      this.depth++;
      try {
        return { k: 'unop', op, e: this.unary(), loc: t.loc };
      } finally {
        this.depth--;
      }
    }
    return this.primary();
  }

  private primary(): Expr {
    const t = this.next();
    switch (t.kind) {
      case 'str': {
        let v = t.value;
        while (this.cur.kind === 'str') v += this.next().value;
        return { k: 'str', value: v, loc: t.loc };
      }
      case 'num':
        return { k: 'num', value: /^[0-9]+$|^0x/i.test(t.text) ? Number(t.text) : NaN, raw: t.text, loc: t.loc };
      case 'pv':
        return { k: 'pv', raw: t.text, loc: t.loc };
      case 'sel':
        return { k: 'sel', raw: t.text, loc: t.loc };
      case 'id':
        if (this.is('(')) {
          return { k: 'call', name: t.text, args: this.args(), loc: t.loc };
        }
        if (this.is('.') && this.peek().kind === 'id' && this.sameLine(t, this.peek())) {
          // a host name used as an operand: src_ip == backup.foo.bar
          let name = t.text;
          while (this.is('.') && (this.peek().kind === 'id' || this.peek().kind === 'num')) {
            this.next();
            name += `.${this.next().text}`;
          }
          return { k: 'id', name, loc: t.loc };
        }
        if (t.text === 'msg' && this.is(':')) {
          this.next();
          return { k: 'id', name: `msg:${this.next().text}`, loc: t.loc };
        }
        if (CONFIG_VAR_KEYWORDS.has(t.text)) throw new SyntaxError(t, `syntax error: '${t.text}' is a core keyword, not a value (cfg.lex)`);
        return { k: 'id', name: t.text, loc: t.loc };
      case 'op':
        if (t.text === '(') {
          this.depth++;
          try {
            const e = this.expr();
            this.expect(')');
            return e;
          } finally {
            this.depth--;
          }
        }
        break;
    }
    throw new SyntaxError(t, `syntax error: unexpected ${this.describe(t)} in expression`);
  }
}

function tokensText(toks: Token[]): string {
  if (toks.length === 0) return '';
  if (toks.length === 1 && toks[0].kind === 'str') return toks[0].value;
  const first = toks[0];
  const last = toks[toks.length - 1];
  if (toks.every((t) => !t.expanded && t.src === first.src && t.loc.file === first.loc.file) && first.src) {
    return first.src.slice(first.start, last.end).trim();
  }
  return toks.map((t) => t.value).join('');
}

export function parseTokens(tokens: Token[]): ParsedConfig {
  const p = new Parser(tokens);
  p.parseTop();
  return p.out;
}
