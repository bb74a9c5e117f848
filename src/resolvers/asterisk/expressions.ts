/**
 * Offline evaluation of what Asterisk evaluates at run time, where the values are known:
 * `${VAR}`, `${VAR:offset:length}` (pbx_substitute_variables_helper_full, substring semantics of
 * substring() in main/pbx_variables.c), `${CALLERID(num)}`, `${GLOBAL(name)}`, and `$[ … ]` expressions with the
 * operators of main/ast_expr2.y that dialplans use for routing decisions. Anything else is
 * reported unknown, so the simulator forks instead of guessing.
 */

import { matchingClose } from '../../core/brackets';

/**
 * Where `${NAME}` values come from. An object with a method rather than a callback, so the
 * simulator passes its channel itself instead of allocating a closure per substitution.
 */
export interface VarScope {
  lookup(name: string): string | undefined;
}

export interface Substituted {
  value: string;
  /** Names that could not be evaluated; empty when `value` is exact. */
  unknown: string[];
}

/** substring(): negative offsets count from the end; a negative length drops that many from the end. */
function substring(value: string, offset: number, length: number | undefined): string {
  const len = value.length;
  const start = offset < 0 ? Math.max(0, len + offset) : Math.min(len, offset);
  if (length === undefined) return value.slice(start);
  if (length < 0) {
    const end = len + length;
    return end > start ? value.slice(start, end) : '';
  }
  return value.slice(start, start + length);
}


/** Shared by every exact result: nobody adds to `unknown` after substitute() returns. */
const NOTHING_UNKNOWN: string[] = [];

export function substitute(text: string, scope: VarScope): Substituted {
  // Most application arguments have no `${…}` or `$[…]` at all: nothing to evaluate or allocate.
  if (!text.includes('$')) return { value: text, unknown: NOTHING_UNKNOWN };
  const unknown: string[] = [];
  const value = substituteInner(text, scope, unknown, 0);
  return { value, unknown: unknown.length ? unknown : NOTHING_UNKNOWN };
}

function substituteInner(text: string, scope: VarScope, unknown: string[], depth: number): string {
  if (depth > 16) return text;
  let out = '';
  // Text between `$…` constructs is copied a run at a time, not character by character.
  let i = 0;
  for (;;) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) return i === 0 ? text : out + text.slice(i);
    const open = text[dollar + 1];
    if (open !== '{' && open !== '[') {
      out += text.slice(i, dollar + 1);
      i = dollar + 1;
      continue;
    }
    const close = matchingClose(text, dollar + 1, open, open === '{' ? '}' : ']');
    if (close < 0) return out + text.slice(i);
    out += text.slice(i, dollar);
    const inner = substituteInner(text.slice(dollar + 2, close), scope, unknown, depth + 1);
    if (open === '{') out += evaluateVariable(inner, scope, unknown);
    else {
      const r = evaluateExpression(inner);
      if (r === undefined) {
        unknown.push(`$[${inner}]`);
        out += `$[${inner}]`;
      } else out += r;
    }
    i = close + 1;
  }
}

/** A `${…}` that names a variable: its name and substring() arguments. */
interface VariableRef {
  readonly name: string;
  readonly offset?: number;
  readonly length?: number;
}

/**
 * parseVariableRef's answers by text (null: not a variable reference), bounded: a dialplan has a
 * few such texts (`EXTEN:2`), which every simulation of its lines evaluates again. The answers
 * are shared, so never changed.
 */
const variableRefs = new Map<string, VariableRef | null>();
const MAX_VARIABLE_REFS = 10_000;
function variableRef(expr: string): VariableRef | undefined {
  let ref = variableRefs.get(expr);
  if (ref === undefined) {
    ref = parseVariableRef(expr) ?? null;
    if (variableRefs.size >= MAX_VARIABLE_REFS) variableRefs.clear();
    variableRefs.set(expr, ref);
  }
  return ref ?? undefined;
}

/** `NAME`, `NAME:offset` or `NAME:offset:length` (the form `${…}` takes for a variable), else undefined. */
function parseVariableRef(expr: string): VariableRef | undefined {
  let i = 0;
  while (i < expr.length && isNameChar(expr.charCodeAt(i))) i++;
  if (i === 0) return undefined;
  if (i === expr.length) return { name: expr };
  const name = expr.slice(0, i);
  const numbers: number[] = [];
  while (i < expr.length && numbers.length < 2) {
    if (expr[i] !== ':') return undefined;
    let j = i + 1;
    if (expr[j] === '-') j++;
    const digits = j;
    while (j < expr.length && expr.charCodeAt(j) >= 0x30 && expr.charCodeAt(j) <= 0x39) j++;
    if (j === digits) return undefined;
    numbers.push(parseInt(expr.slice(i + 1, j), 10));
    i = j;
  }
  if (i !== expr.length) return undefined;
  return { name, offset: numbers[0], length: numbers[1] };
}

/** [A-Za-z0-9_.] */
function isNameChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2e;
}

function evaluateVariable(expr: string, scope: VarScope, unknown: string[]): string {
  // ${NAME:offset:length}
  const ref = variableRef(expr);
  if (ref) {
    const v = scope.lookup(ref.name);
    if (v === undefined) {
      unknown.push(ref.name);
      return `\${${expr}}`;
    }
    return ref.offset === undefined ? v : substring(v, ref.offset, ref.length);
  }
  const fn = /^([A-Z_]+)\((.*)\)(?::(-?\d+)(?::(-?\d+))?)?$/i.exec(expr);
  if (fn) {
    const name = fn[1].toUpperCase();
    const arg = fn[2].trim().toLowerCase();
    let v: string | undefined;
    if (name === 'CALLERID' && (arg === 'num' || arg === 'number')) v = scope.lookup('CALLERID(num)');
    else if (name === 'LEN') v = String(fn[2].length);
    // func_global.c global_read: the global variable of that name (what Set(GLOBAL(x)=…) set on
    // this path, else [globals]); the scope answers for "GLOBAL(name)".
    else if (name === 'GLOBAL') v = scope.lookup(`GLOBAL(${fn[2].trim()})`);
    if (v !== undefined) return fn[3] === undefined ? v : substring(v, parseInt(fn[3], 10), fn[4] === undefined ? undefined : parseInt(fn[4], 10));
  }
  unknown.push(expr);
  return `\${${expr}}`;
}

/** pbx_checkcondition: empty is false, a leading integer is its value, other text is true. */
export function checkCondition(value: string): boolean {
  const t = value.trim();
  if (!t) return false;
  const n = /^\s*[+-]?\d+/.exec(t);
  if (n) return parseInt(n[0], 10) !== 0;
  return true;
}

type Token = { t: 'str'; v: string } | { t: 'op'; v: string };

function tokenize(s: string): Token[] | undefined {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '"') {
      const end = s.indexOf('"', i + 1);
      if (end < 0) return undefined;
      out.push({ t: 'str', v: s.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const two = s.slice(i, i + 2);
    if (['!=', '<=', '>=', '=~'].includes(two)) {
      out.push({ t: 'op', v: two });
      i += 2;
      continue;
    }
    if ('=<>&|!()'.includes(c)) {
      out.push({ t: 'op', v: c });
      i++;
      continue;
    }
    if ('+-*/%?:'.includes(c)) return undefined; // arithmetic and ternary: not needed for routing decisions
    let j = i;
    while (j < s.length && !' \t"=<>&|!()'.includes(s[j])) j++;
    out.push({ t: 'str', v: s.slice(i, j) });
    i = j;
  }
  return out;
}

/** `$[…]` for comparisons, `&`, `|`, `!` and parentheses; undefined when it cannot be decided offline. */
export function evaluateExpression(expr: string): string | undefined {
  if (expr.includes('${') || expr.includes('$[')) return undefined;
  const tokens = tokenize(expr);
  if (!tokens || tokens.length === 0) return tokens && tokens.length === 0 ? '' : undefined;
  let pos = 0;
  const peek = () => tokens[pos];
  const isNum = (s: string) => /^-?\d+(\.\d+)?$/.test(s);
  const truthy = (s: string) => s !== '' && s !== '0';
  const primary = (): string | undefined => {
    const t = tokens[pos++];
    if (!t) return undefined;
    if (t.t === 'op' && t.v === '(') {
      const v = or();
      if (peek()?.v !== ')') return undefined;
      pos++;
      return v;
    }
    if (t.t === 'op' && t.v === '!') {
      const v = primary();
      return v === undefined ? undefined : truthy(v) ? '0' : '1';
    }
    return t.t === 'str' ? t.v : undefined;
  };
  const comparison = (): string | undefined => {
    let left = primary();
    while (left !== undefined && peek()?.t === 'op' && ['=', '!=', '<', '>', '<=', '>='].includes(peek()!.v)) {
      const op = tokens[pos++].v;
      const right = primary();
      if (right === undefined) return undefined;
      const numeric = isNum(left) && isNum(right);
      const a: number | string = numeric ? parseFloat(left) : left;
      const b: number | string = numeric ? parseFloat(right) : right;
      const r = op === '=' ? a === b : op === '!=' ? a !== b : op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b;
      left = r ? '1' : '0';
    }
    return left;
  };
  const and = (): string | undefined => {
    let left = comparison();
    while (left !== undefined && peek()?.v === '&') {
      pos++;
      const right = comparison();
      if (right === undefined) return undefined;
      left = truthy(left) && truthy(right) ? left : '0';
    }
    return left;
  };
  const or = (): string | undefined => {
    let left = and();
    while (left !== undefined && peek()?.v === '|') {
      pos++;
      const right = and();
      if (right === undefined) return undefined;
      left = truthy(left) ? left : truthy(right) ? right : '0';
    }
    return left;
  };
  const v = or();
  return pos === tokens.length ? v : undefined;
}
