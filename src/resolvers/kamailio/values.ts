/** Script values as the interpreter sees them, and how Kamailio compares and tests them (core rvalue.c). */
import type { Expr } from '../../parsers/kamailio/ast';

/** A value the simulation cannot know (a database lookup, a header that was not given). */
export class Unknown {
  /** `neg`: the value is the negation of "why" (`uri != myself` when "why" says the host is myself). */
  constructor(
    readonly why: string,
    readonly neg = false,
  ) {}
  not(): Unknown {
    return new Unknown(this.why, !this.neg);
  }
}

/**
 * The -1 a core test (route.c eval_elem) gives when it cannot evaluate, e.g. `uri==myself` on a
 * Request-URI that does not parse. rvalue.c rval_get_int keeps a bare expression's value as it is
 * (RV_BEXPR: `*i=eval_expr(…)`, where a function's is made 0/1), so: false as a whole `if`
 * condition (> 0 is true), but a non-zero int, i.e. true, inside `&&`, `||` and `!`.
 */
export class ElemError {
  toString(): string {
    return '-1';
  }
}
export const ELEM_ERROR = new ElemError();

/** `$null` is null; comparisons and logical operators give booleans; functions give numbers. */
export type Val = string | number | boolean | null | Unknown | ElemError;

export const isUnknown = (v: Val): v is Unknown => v instanceof Unknown;

/**
 * Truth as `if` sees it (rvalue.c rval_get_long + route.c): a number is true when > 0 (module
 * functions return negative codes for failure), a string is converted to a number, `$null` is false.
 */
export function truth(v: Val): boolean | Unknown {
  if (v instanceof Unknown) return v;
  if (typeof v === 'boolean') return v;
  if (v === null || v instanceof ElemError) return false;
  if (typeof v === 'number') return v > 0;
  const n = Number(v);
  return Number.isFinite(n) && v.trim() !== '' ? n > 0 : false;
}

export function asString(v: Val): string | null | Unknown {
  if (v instanceof Unknown || v === null) return v;
  if (typeof v === 'boolean') return v ? '1' : '0';
  return String(v);
}

/**
 * `==` / `!=` (rvalue.c rval_cmp): the left operand's type decides; an int compared with a string
 * converts the string; `$null` equals only `$null` or an empty string.
 */
export function equals(l: Val, r: Val): boolean | Unknown {
  if (l instanceof Unknown) return l;
  if (r instanceof Unknown) return r;
  if (l === null || r === null) return (l === null || l === '') && (r === null || r === '');
  if (l instanceof ElemError || r instanceof ElemError) return equals(l instanceof ElemError ? -1 : l, r instanceof ElemError ? -1 : r);
  if (typeof l === 'number' || typeof l === 'boolean') {
    const rn = typeof r === 'string' ? Number(r) : Number(r);
    return Number(l) === rn;
  }
  if (typeof r === 'number' && /^-?[0-9]+$/.test(l)) return Number(l) === r;
  return String(l) === String(r);
}

export function exprText(e: Expr): string {
  switch (e.k) {
    case 'str':
      return `"${e.value.replace(/"/g, '\\"')}"`;
    case 'num':
      return e.raw;
    case 'pv':
    case 'sel':
      return e.raw;
    case 'id':
      return e.name;
    case 'call':
      return `${e.name}(${e.args.map(exprText).join(', ')})`;
    case 'unop':
      return `${e.op}${e.e.k === 'binop' ? `(${exprText(e.e)})` : exprText(e.e)}`;
    case 'binop':
      return `${exprText(e.l)} ${e.op} ${exprText(e.r)}`;
  }
}
