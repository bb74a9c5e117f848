/**
 * Kamailio's model: the preprocessed kamailio.cfg (defines, global parameters, modules and their
 * parameters, route blocks as syntax trees) and what the script does (replies, relays, route calls),
 * each with its source location. Semantics: ../shared/docs/semantics/kamailio.md.
 */
import type { SourceLocation } from '../core/location';
import type { RouteBlock, RouteKind, Expr } from '../parsers/kamailio/ast';
import type { Define } from '../parsers/kamailio/lexer';
import type { GlobalParam, LoadModule, ModParam } from '../parsers/kamailio/parser';
import type { ModelBase } from './common';
import type { KemiInfo } from '../parsers/kamailio/kemi';

export type { RouteBlock, RouteKind, Stmt, Expr } from '../parsers/kamailio/ast';
export type { GlobalParam, LoadModule, ModParam } from '../parsers/kamailio/parser';

/** One address the server answers to (forward.c check_self: sockets, advertised addresses, aliases). */
export interface MyselfEntry {
  host: string;
  /** undefined: any port (an alias without a port). */
  port?: number;
  proto?: string;
  origin: 'listen' | 'advertise' | 'alias' | 'auto-alias' | 'command-line' | 'domain-table';
  location?: SourceLocation;
  /**
   * A quoted alias whose name carries a port (`alias="host:5080"`): cfg.y keeps the STRING whole,
   * so the alias is the name "host:5080", which no URI host equals (name_alias.h grep_aliases).
   */
  nameWithPort?: boolean;
}

export interface MyselfInfo {
  entries: MyselfEntry[];
  /**
   * False when the server's own addresses are not all known from the configuration: no `listen=`
   * (Kamailio binds every interface), a wildcard listen (0.0.0.0, ::, an interface name) and no
   * `--myself`. A host that matches no entry is then "maybe myself".
   */
  complete: boolean;
  autoAliases: boolean;
  /** `modparam("domain","register_myself",1)`: check_self also asks the domain table. */
  domainTable: boolean;
  /** The domain table's domains (lowercase) when it is a db_text table pbxlint read; undefined = not visible. */
  domainTableEntries?: string[];
}

/** A script action that sends a reply. `status` is null when computed at run time. */
export interface ScriptReply {
  fn: string;
  status: number | null;
  reason: string;
  location: SourceLocation;
  route: string;
}

export interface ScriptCall {
  name: string;
  args: Expr[];
  location: SourceLocation;
  /** `kind:name` of the route block it is in. */
  route: string;
}

export interface RouteCall {
  /** The route name, or null for `route($var(x))`. */
  target: string | null;
  /** 'route', 't_on_failure', 't_on_branch', 't_on_reply', 'onsend', … */
  via: string;
  location: SourceLocation;
  route: string;
}

export interface KamailioModel extends ModelBase {
  platform: 'kamailio';
  defines: Map<string, Define>;
  globals: GlobalParam[];
  /** Custom cfg-framework variables (`pstn.gw_ip = "" desc "…"`), by `group.name`. */
  cfgVars: Map<string, GlobalParam>;
  modules: LoadModule[];
  modparams: ModParam[];
  /** Every route block by `kind:name` (`request:DEFAULT`, `request:RELAY`, `failure:MANAGE_FAILURE`). */
  routes: Map<string, RouteBlock>;
  /** The main request route (unnamed `route {}` / `request_route {}` blocks appended, cfg.y). */
  requestRoute?: RouteBlock;
  myself: MyselfInfo;
  replies: ScriptReply[];
  relays: ScriptCall[];
  calls: ScriptCall[];
  routeCalls: RouteCall[];
  /** Every pseudo-variable the script names (`rU` for `$rU`, `var` for `$var(x)`), in expressions or inside string parameters. */
  pvUses: { name: string; location: SourceLocation; inString: boolean }[];
  /** permissions address table, when it is a db_text table pbxlint read (allow_source_address). */
  addressTable?: { group: number; ip: string; mask: number; port: number }[];
  /** alias_db tables named by alias_db_lookup() calls, when db_text tables pbxlint read: table → rows. */
  aliasTables?: Map<string, Record<string, string>[]>;
  /** `cfgengine` other than native: request routing is in a KEMI script (parsers/kamailio/kemi.ts). */
  kemi?: KemiInfo;
  /** Statements that follow `exit`, `drop` or `return` in the same block, never run. */
  unreachable: { location: SourceLocation; after: string; afterLocation: SourceLocation }[];
}

export function routeKey(kind: RouteKind, name: string): string {
  return `${kind}:${name}`;
}
