/**
 * Walks over a route block's syntax tree (ast.ts) for the readers that look for a kind of test or
 * call anywhere in a script (host-tests.ts, the rules): every statement, nested ones included,
 * and every expression each holds. The interpreter does not use them: it follows the control flow.
 */
import type { Expr, Stmt } from './ast';

/** Every statement of `stmts` and of the statements inside them (if/else, while, switch cases, blocks), in order. */
export function forEachStmt(stmts: readonly Stmt[], visit: (s: Stmt) => void): void {
  for (const s of stmts) {
    visit(s);
    switch (s.k) {
      case 'if':
        forEachStmt(s.then, visit);
        if (s.else) forEachStmt(s.else, visit);
        break;
      case 'while':
      case 'block':
        forEachStmt(s.body, visit);
        break;
      case 'switch':
        for (const c of s.cases) forEachStmt(c.body, visit);
        break;
      default:
        break;
    }
  }
}

/** The expressions a statement holds itself (not those of the statements inside it). */
export function exprsOf(s: Stmt): Expr[] {
  switch (s.k) {
    case 'call':
      return s.args;
    case 'assign':
      return [s.value];
    case 'if':
    case 'while':
      return [s.cond];
    case 'switch': {
      const out = [s.subject];
      for (const c of s.cases) if (c.value) out.push(c.value);
      return out;
    }
    case 'return':
      return s.value ? [s.value] : [];
    default:
      return [];
  }
}

/** `e` and every expression inside it, outermost first. */
export function forEachSubExpr(e: Expr, visit: (e: Expr) => void): void {
  visit(e);
  switch (e.k) {
    case 'unop':
      forEachSubExpr(e.e, visit);
      break;
    case 'binop':
      forEachSubExpr(e.l, visit);
      forEachSubExpr(e.r, visit);
      break;
    case 'call':
      for (const a of e.args) forEachSubExpr(a, visit);
      break;
    default:
      break;
  }
}
