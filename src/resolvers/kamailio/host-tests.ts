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
import type { SourceLocation } from '../../core/location';
import type { Expr, Stmt } from '../../parsers/kamailio/ast';
import { exprsOf, forEachStmt, forEachSubExpr } from '../../parsers/kamailio/walk';

export interface HostTests {
  /** Strings `$rd` is compared with for equality (case-sensitive). */
  literals: string[];
  /** ERE patterns `$rd` is matched against (`$rd =~ "…"`, caseless). */
  patterns: string[];
  /** Each equality test of `$rd` with a constant, where the constant is written (the literals, in script order). */
  comparisons: HostComparison[];
}

/** `$rd == "x"` (or !=, eq, ne, either way round) or `case "x":` of a `switch ($rd)`. */
export interface HostComparison {
  value: string;
  op: string;
  loc: SourceLocation;
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
  const comparisons: HostComparison[] = [];
  const onExpr = (e: Expr): void => {
    if (e.k !== 'binop' || !(EQUALITY.has(e.op) || MATCH.has(e.op))) return;
    const [rd, other] = isRdExpr(e.l) ? [e.l, e.r] : isRdExpr(e.r) ? [e.r, e.l] : [null, null];
    const c = other ? constantOf(model, other) : null;
    if (!rd || c === null) return;
    if (EQUALITY.has(e.op)) {
      literals.add(c);
      comparisons.push({ value: c, op: e.op, loc: other!.loc });
    } else if (rd === e.l) patterns.add(c);
  };
  // Statement by statement, so that the comparisons are in script order.
  const body = (stmts: readonly Stmt[]): void => forEachStmt(stmts, (s) => {
    for (const top of exprsOf(s)) forEachSubExpr(top, onExpr);
    if (s.k !== 'switch' || !isRdExpr(s.subject)) return;
    for (const c of s.cases) {
      const v = c.value ? constantOf(model, c.value) : null;
      if (v === null) continue;
      literals.add(v);
      comparisons.push({ value: v, op: 'case', loc: c.value!.loc });
    }
  });
  for (const r of model.routes.values()) body(r.body);
  if (model.requestRoute && ![...model.routes.values()].includes(model.requestRoute)) body(model.requestRoute.body);
  const out = { literals: [...literals], patterns: [...patterns], comparisons };
  cache.set(model, out);
  return out;
}
