/** The syntax tree of a Kamailio route block (kamailio/kamailio src/core/cfg.y: actions, exp, rval_expr). */
import type { SourceLocation } from '../../core/location';

export type Expr =
  | { k: 'str'; value: string; loc: SourceLocation }
  | { k: 'num'; value: number; raw: string; loc: SourceLocation }
  /** A pseudo-variable as written: `$rU`, `$var(x)`, `$(ru{s.len})`. */
  | { k: 'pv'; raw: string; loc: SourceLocation }
  /** A select: `@ruri.user`, `@cfg_get.pstn.gw_ip`. */
  | { k: 'sel'; raw: string; loc: SourceLocation }
  /** A bare word: core keywords (uri, from_uri, method, src_ip, myself, …), IP addresses, or a function with no parentheses. */
  | { k: 'id'; name: string; loc: SourceLocation }
  | { k: 'call'; name: string; args: Expr[]; loc: SourceLocation }
  | { k: 'unop'; op: string; e: Expr; loc: SourceLocation }
  | { k: 'binop'; op: string; l: Expr; r: Expr; loc: SourceLocation };

export interface SwitchCase {
  /** undefined: `default:`. */
  value?: Expr;
  body: Stmt[];
  loc: SourceLocation;
}

export type Stmt =
  | { k: 'call'; name: string; args: Expr[]; loc: SourceLocation }
  | { k: 'assign'; target: string; op: '=' | '+=' | ':='; value: Expr; loc: SourceLocation }
  | { k: 'if'; cond: Expr; then: Stmt[]; else?: Stmt[]; loc: SourceLocation }
  | { k: 'switch'; subject: Expr; cases: SwitchCase[]; loc: SourceLocation }
  | { k: 'while'; cond: Expr; body: Stmt[]; loc: SourceLocation }
  | { k: 'return'; value?: Expr; loc: SourceLocation }
  | { k: 'exit' | 'drop' | 'break'; loc: SourceLocation }
  | { k: 'block'; body: Stmt[]; loc: SourceLocation };

export type RouteKind = 'request' | 'failure' | 'branch' | 'onreply' | 'reply' | 'onsend' | 'event';

export interface RouteBlock {
  kind: RouteKind;
  /** 'DEFAULT' for the unnamed main block of each kind. */
  name: string;
  body: Stmt[];
  loc: SourceLocation;
}
