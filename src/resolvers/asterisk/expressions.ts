/**
 * Offline evaluation of what Asterisk evaluates at run time, where the values are known:
 * `${VAR}`, `${VAR:offset:length}` (pbx_substitute_variables_helper_full, substring semantics of
 * substring() in main/pbx_variables.c), `${CALLERID(num)}`, and `$[ … ]` expressions with the
 * operators of main/ast_expr2.y that dialplans use for routing decisions. Anything else is
 * reported unknown, so the simulator forks instead of guessing.
 */

import { matchingClose } from '../../core/brackets';

export type VarLookup = (name: string) => string | undefined;

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


export function substitute(text: string, lookup: VarLookup): Substituted {
  const unknown: string[] = [];
  const value = substituteInner(text, lookup, unknown, 0);
  return { value, unknown };
}

function substituteInner(text: string, lookup: VarLookup, unknown: string[], depth: number): string {
  if (depth > 16 || !text.includes('$')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '$' && text[i + 1] === '{') {
      const close = matchingClose(text, i + 1, '{', '}');
      if (close < 0) {
        out += text.slice(i);
        break;
      }
      const inner = substituteInner(text.slice(i + 2, close), lookup, unknown, depth + 1);
      out += evaluateVariable(inner, lookup, unknown);
      i = close;
    } else if (c === '$' && text[i + 1] === '[') {
      const close = matchingClose(text, i + 1, '[', ']');
      if (close < 0) {
        out += text.slice(i);
        break;
      }
      const inner = substituteInner(text.slice(i + 2, close), lookup, unknown, depth + 1);
      const r = evaluateExpression(inner);
      if (r === undefined) {
        unknown.push(`$[${inner}]`);
        out += `$[${inner}]`;
      } else out += r;
      i = close;
    } else out += c;
  }
  return out;
}

function evaluateVariable(expr: string, lookup: VarLookup, unknown: string[]): string {
  // ${NAME:offset:length}
  const m = /^([A-Za-z0-9_.]+)(?::(-?\d+)(?::(-?\d+))?)?$/.exec(expr);
  if (m) {
    const v = lookup(m[1]);
    if (v === undefined) {
      unknown.push(m[1]);
      return `\${${expr}}`;
    }
    return m[2] === undefined ? v : substring(v, parseInt(m[2], 10), m[3] === undefined ? undefined : parseInt(m[3], 10));
  }
  const fn = /^([A-Z_]+)\((.*)\)(?::(-?\d+)(?::(-?\d+))?)?$/i.exec(expr);
  if (fn) {
    const name = fn[1].toUpperCase();
    const arg = fn[2].trim().toLowerCase();
    let v: string | undefined;
    if (name === 'CALLERID' && (arg === 'num' || arg === 'number')) v = lookup('CALLERID(num)');
    else if (name === 'LEN') v = String(fn[2].length);
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
