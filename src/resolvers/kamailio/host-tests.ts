/**
 * The tests a script makes on the Request-URI host (`$rd`) with constants: what coverage splits
 * the hosts it does not serve by (coverage/kamailio.ts), and what the interpreter checks a test on
 * `$rd` against while coverage observes it (observe.ts observeHostTest) — a test on the host by a
 * value not in these lists would tell hosts of one class apart: not modelled.
 *
 * `==` / `!=` / `eq` / `ne` compare strings with memcmp (kamailio src/core/rvalue.c
 * bool_rvstrop2: case-sensitive); `=~` / `!~` compile the pattern with REG_ICASE (caseless);
 * `switch ($rd)` compares each case as `==` does.
 */
import type { KamailioModel } from '../../model/kamailio';
import type { Expr, Stmt } from '../../parsers/kamailio/ast';

export interface HostTests {
  /** Strings `$rd` is compared with for equality (case-sensitive). */
  literals: string[];
  /** ERE patterns `$rd` is matched against (`$rd =~ "…"`, caseless). */
  patterns: string[];
}

const EQUALITY = new Set(['==', '!=', 'eq', 'ne']);
const MATCH = new Set(['=~', '!~']);

/** Whether the expression is the Request-URI host as written (`$rd`, `$(rd)`). */
export function isRdExpr(e: Expr): boolean {
  return e.k === 'pv' && (e.raw === '$rd' || e.raw === '$(rd)');
}

/** Whether the expression reads the Request-URI host (`$rd` with or without transformations) anywhere in it. */
export function readsRd(e: Expr): boolean {
  switch (e.k) {
    case 'pv':
      return /^\$(?:\(\s*)?rd\b/.test(e.raw);
    case 'unop':
      return readsRd(e.e);
    case 'binop':
      return readsRd(e.l) || readsRd(e.r);
    case 'call':
      return e.args.some(readsRd);
    default:
      return false;
  }
}

/**
 * Whether the expression reads the whole Request-URI, host included (`$ru`, `$ou`, `uri`, with
 * or without transformations), other than as `uri == myself` (check_self, which the host classes
 * are built on).
 */
export function readsRuri(e: Expr): boolean {
  switch (e.k) {
    case 'pv':
      return /^\$(?:\(\s*)?(?:ru|ou)\b/.test(e.raw);
    case 'id':
      return e.name === 'uri';
    case 'unop':
      return readsRuri(e.e);
    case 'binop':
      if ((e.r.k === 'id' && e.r.name === 'myself') || (e.l.k === 'id' && e.l.name === 'myself')) return false;
      return readsRuri(e.l) || readsRuri(e.r);
    case 'call':
      return e.args.some(readsRuri);
    default:
      return false;
  }
}

function constantOf(model: KamailioModel, e: Expr): string | null {
  if (e.k === 'str') return e.value;
  if (e.k === 'id') {
    const v = model.defines.get(e.name)?.value;
    return typeof v === 'string' ? v : null;
  }
  return null;
}

const cache = new WeakMap<KamailioModel, HostTests>();

/** Every constant `$rd` is compared with in the routing script's blocks. */
export function hostTests(model: KamailioModel): HostTests {
  const hit = cache.get(model);
  if (hit) return hit;
  const literals = new Set<string>();
  const patterns = new Set<string>();
  const expr = (e: Expr): void => {
    if (e.k === 'binop') {
      if (EQUALITY.has(e.op) || MATCH.has(e.op)) {
        const [rd, other] = isRdExpr(e.l) ? [e.l, e.r] : isRdExpr(e.r) ? [e.r, e.l] : [null, null];
        const c = other ? constantOf(model, other) : null;
        if (rd && c !== null) {
          if (EQUALITY.has(e.op)) literals.add(c);
          else if (rd === e.l) patterns.add(c);
        }
      }
      expr(e.l);
      expr(e.r);
    } else if (e.k === 'unop') expr(e.e);
    else if (e.k === 'call') e.args.forEach(expr);
  };
  const stmts = (list: readonly Stmt[]): void => {
    for (const s of list) {
      switch (s.k) {
        case 'call':
          s.args.forEach(expr);
          break;
        case 'assign':
          expr(s.value);
          break;
        case 'if':
          expr(s.cond);
          stmts(s.then);
          if (s.else) stmts(s.else);
          break;
        case 'while':
          expr(s.cond);
          stmts(s.body);
          break;
        case 'switch':
          expr(s.subject);
          for (const c of s.cases) {
            const v = c.value ? constantOf(model, c.value) : null;
            if (isRdExpr(s.subject) && v !== null) literals.add(v);
            stmts(c.body);
          }
          break;
        case 'return':
          if (s.value) expr(s.value);
          break;
        case 'block':
          stmts(s.body);
          break;
        default:
          break;
      }
    }
  };
  for (const r of model.routes.values()) stmts(r.body);
  if (model.requestRoute && ![...model.routes.values()].includes(model.requestRoute)) stmts(model.requestRoute.body);
  const out = { literals: [...literals], patterns: [...patterns] };
  cache.set(model, out);
  return out;
}
