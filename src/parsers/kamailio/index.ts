/**
 * Loads a Kamailio configuration (a main cfg file and what it includes) into the model:
 * lexer + preprocessor → parser → model. Never throws on input.
 */
import { locateKemi } from './kemi';
import * as path from 'path';
import type { LoadIssue } from '../../core/findings';
import type { SourceLocation } from '../../core/location';
import type { LocalDomain } from '../../model/common';
import { routeKey, type KamailioModel, type MyselfEntry, type MyselfInfo, type RouteCall, type ScriptCall, type ScriptReply } from '../../model/kamailio';
import type { Expr, RouteBlock, Stmt } from './ast';
import { lexKamailio } from './lexer';
import { readAddressTable, readDbTextTable, readDomainTable } from './db-text';
import { parseTokens, type GlobalParam, type ModParam } from './parser';
import { substSyntaxError } from '../../resolvers/kamailio/subst';

export interface KamailioLoadOptions {
  defines?: string[];
  myself?: string[];
}

/** Functions that send a reply with a status given as their first argument. */
export const REPLY_FUNCTIONS = new Set(['sl_send_reply', 'send_reply', 't_reply', 'sl_reply', 't_send_reply', 'send_reply_mode']);
/** Functions that send the reply for an internal error (status decided by the error, core error.c). */
export const ERROR_REPLY_FUNCTIONS = new Set(['sl_reply_error', 'send_reply_error', 't_reply_error']);
/** Functions that forward the request (tm, core forward). */
export const RELAY_FUNCTIONS = new Set(['t_relay', 't_relay_to', 't_relay_to_udp', 't_relay_to_tcp', 't_relay_to_tls', 't_relay_to_sctp', 't_forward_nonack', 't_forward_nonack_udp', 't_forward_nonack_tcp', 't_forward_nonack_tls', 't_replicate', 'forward', 'forward_udp', 'forward_tcp', 'forward_tls', 'forward_sctp', 'send', 'send_tcp', 't_relay_cancel']);

/** tm functions that arm a route block by name (a Set: a function named `toString` is not one of them). */
const ROUTE_SETTERS = new Set(['t_on_failure', 't_on_branch', 't_on_reply', 't_on_branch_failure']);

export function parseSocket(spec: string): { proto?: string; host: string; port?: number } | null {
  let s = spec.trim().replace(/^"|"$/g, '');
  let proto: string | undefined;
  const pm = /^(udp|tcp|tls|sctp|ws|wss|any):/i.exec(s);
  if (pm) {
    proto = pm[1].toLowerCase();
    s = s.slice(pm[0].length);
  }
  let host: string;
  let port: number | undefined;
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    host = s.slice(1, close < 0 ? undefined : close);
    const rest = close < 0 ? '' : s.slice(close + 1);
    if (/^:[0-9]+$/.test(rest)) port = Number(rest.slice(1));
  } else {
    const m = /^(.*?)(?::([0-9]+))?$/.exec(s);
    host = m?.[1] ?? s;
    if (m?.[2]) port = Number(m[2]);
  }
  if (!host) return null;
  return { proto, host: host.toLowerCase(), port };
}

/**
 * `alias=` values (cfg.y `ALIAS EQUAL id_lst`): a space-separated list of `[proto:]name[:port]`.
 * A name in double quotes is one STRING token (cfg.y listen_id), kept whole: `alias="h:5080"`
 * makes the alias NAME "h:5080" with port 0, which no Request-URI host ever equals
 * (name_alias.h grep_aliases compares the host with the whole name), whereas unquoted
 * `alias=h:5080` is host h on port 5080 only. A port written after the quotes (`"h":5080`) is a port.
 */
export function parseAliasList(value: string): { host: string; port?: number; proto?: string; nameWithPort?: boolean }[] {
  const out: { host: string; port?: number; proto?: string; nameWithPort?: boolean }[] = [];
  const re = /(?:(udp|tcp|tls|sctp|ws|wss|any|\*):)?(?:"([^"]*)"|([^\s"]+))(?::([0-9]+|\*))?/gi;
  for (const m of value.matchAll(re)) {
    const proto = m[1] && m[1] !== '*' ? m[1].toLowerCase() : undefined;
    const port = m[4] && m[4] !== '*' ? Number(m[4]) || undefined : undefined;
    if (m[2] !== undefined) {
      if (m[2] !== '') out.push({ host: m[2].toLowerCase(), port, proto, ...(/^[^:[\]]+:[0-9]*$/.test(m[2]) ? { nameWithPort: true } : {}) });
      continue;
    }
    const sock = parseSocket(`${proto ? `${proto}:` : ''}${m[3]}${m[4] ? `:${m[4]}` : ''}`);
    if (sock) out.push({ host: sock.host, port: sock.port, proto: sock.proto === 'any' ? undefined : sock.proto });
  }
  return out;
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '*' || host.startsWith('(') || !/[.:]/.test(host) && host !== 'localhost';
}

function buildMyself(globals: GlobalParam[], modparams: ModParam[], runtime: string[] | undefined): MyselfInfo {
  const entries: MyselfEntry[] = [];
  let complete = true;
  let listens = 0;
  let autoAliases = true;
  // `port=` is the port of every listen= written without one (cfg.y PORT; default 5060).
  const portParam = globals.filter((g) => !g.group && g.name === 'port').pop();
  const defaultPort = portParam && /^[0-9]+$/.test(portParam.value) ? Number(portParam.value) : 5060;
  for (const g of globals) {
    if (g.group) continue;
    if (g.name === 'listen') {
      listens++;
      const words = g.value.split(/\s+/);
      const sock = parseSocket(words[0]);
      if (!sock || isWildcard(sock.host)) {
        complete = false;
        continue;
      }
      entries.push({ host: sock.host, port: sock.port ?? defaultPort, proto: sock.proto, origin: 'listen', location: g.location });
      const adv = words.findIndex((w) => /^advertise$/i.test(w));
      if (adv >= 0 && words[adv + 1]) {
        const a = parseSocket(words[adv + 1]);
        if (a) entries.push({ host: a.host, port: a.port ?? defaultPort, proto: sock.proto, origin: 'advertise', location: g.location });
      }
    } else if (g.name === 'alias' || g.name === 'domain') {
      for (const a of parseAliasList(g.quoted ? `"${g.value}"` : g.value)) entries.push({ ...a, origin: 'alias', location: g.location });
    } else if (g.name === 'advertised_address') {
      entries.push({ host: g.value.replace(/"/g, '').toLowerCase(), origin: 'advertise', location: g.location });
    } else if (g.name === 'auto_aliases' || g.name === 'auto_domains') {
      autoAliases = !/^(no|off|0|false)$/i.test(g.value);
    }
  }
  if (runtime && runtime.length) {
    for (const m of runtime) {
      const s = parseSocket(m);
      if (s) entries.push({ host: s.host, port: s.port, proto: s.proto, origin: 'command-line' });
    }
    complete = true;
  } else if (listens === 0) complete = false; // Kamailio binds every local address
  // auto_aliases adds the reverse-DNS names of listen addresses (socket_info.c); the one name
  // that is known without DNS is the loopback's.
  if (autoAliases) {
    for (const e of [...entries]) {
      if (e.host === '127.0.0.1' || e.host === '::1') entries.push({ host: 'localhost', port: e.port, proto: e.proto, origin: 'auto-alias', location: e.location });
    }
  }
  const domainTable = modparams.some((p) => p.module === 'domain' && p.param === 'register_myself' && Number(p.value) !== 0);
  return { entries, complete, autoAliases, domainTable };
}

function literalStatus(e: Expr | undefined): number | null {
  if (!e) return null;
  if (e.k === 'num') return Number.isFinite(e.value) ? e.value : null;
  if (e.k === 'str' && /^[0-9]{3}$/.test(e.value)) return Number(e.value);
  return null;
}

function literalString(e: Expr | undefined): string | null {
  if (!e) return null;
  if (e.k === 'str') return e.value;
  if (e.k === 'id') return e.name;
  if (e.k === 'num') return e.raw;
  return null;
}

interface Collected {
  pvUses: KamailioModel['pvUses'];
  replies: ScriptReply[];
  relays: ScriptCall[];
  calls: ScriptCall[];
  routeCalls: RouteCall[];
  unreachable: KamailioModel['unreachable'];
}

/** `rU` for `$rU`, `var` for `$var(x)` and `$(var(x){s.len})`, `?` for `$?`. */
export function pvName(raw: string): string {
  return /^\$\(?([A-Za-z_][A-Za-z0-9_]*|\?)/.exec(raw)?.[1] ?? raw;
}

/** textops functions whose one parameter is a subst expression fixed up by fixup_substre. */
const SUBST_FUNCTIONS = new Set(['subst', 'subst_uri', 'subst_user', 'subst_body']);

function collect(block: RouteBlock, out: Collected): void {
  const where = routeKey(block.kind, block.name);
  const visitExpr = (e: Expr): void => {
    switch (e.k) {
      case 'pv':
        out.pvUses.push({ name: pvName(e.raw), location: e.loc, inString: false });
        return;
      case 'call':
        onCall(e.name, e.args, e.loc);
        e.args.forEach(visitExpr);
        return;
      case 'unop':
        visitExpr(e.e);
        return;
      case 'binop':
        visitExpr(e.l);
        visitExpr(e.r);
        return;
    }
  };
  const onCall = (name: string, args: Expr[], loc: SourceLocation): void => {
    out.calls.push({ name, args, location: loc, route: where });
    // String parameters are pv format strings, parsed when Kamailio fixes the call up.
    for (const a of args) if (a.k === 'str') for (const m of a.value.matchAll(/\$\(?([A-Za-z_][A-Za-z0-9_]*)/g)) out.pvUses.push({ name: m[1], location: a.loc, inString: true });
    if (name === 'route') {
      out.routeCalls.push({ target: literalString(args[0]), via: 'route', location: loc, route: where });
    } else if (ROUTE_SETTERS.has(name)) {
      out.routeCalls.push({ target: literalString(args[0]), via: name, location: loc, route: where });
    } else if (REPLY_FUNCTIONS.has(name)) {
      out.replies.push({ fn: name, status: literalStatus(args[0]), reason: literalString(args[1]) ?? '', location: loc, route: where });
    } else if (RELAY_FUNCTIONS.has(name)) {
      out.relays.push({ name, args, location: loc, route: where });
    }
  };
  const visit = (stmts: Stmt[]): void => {
    let ended: Stmt | undefined;
    let reported = false;
    for (const s of stmts) {
      if (ended && !reported) {
        out.unreachable.push({ location: s.loc, after: ended.k, afterLocation: ended.loc });
        reported = true; // the first dead statement of a block is enough
      }
      switch (s.k) {
        case 'call':
          onCall(s.name, s.args, s.loc);
          s.args.forEach(visitExpr);
          break;
        case 'assign':
          out.pvUses.push({ name: pvName(s.target), location: s.loc, inString: false });
          visitExpr(s.value);
          break;
        case 'if':
          visitExpr(s.cond);
          visit(s.then);
          if (s.else) visit(s.else);
          break;
        case 'switch':
          visitExpr(s.subject);
          s.cases.forEach((c) => visit(c.body));
          break;
        case 'while':
          visitExpr(s.cond);
          visit(s.body);
          break;
        case 'block':
          visit(s.body);
          break;
        case 'return':
          if (s.value) visitExpr(s.value);
          ended = s;
          break;
        case 'exit':
        case 'drop':
          ended = s;
          break;
      }
    }
  };
  visit(block.body);
}

export function loadKamailio(mainFile: string, options: KamailioLoadOptions = {}): KamailioModel {
  const file = path.resolve(mainFile);
  const lexed = lexKamailio(file, options.defines ?? []);
  const parsed = parseTokens(lexed.tokens);
  const issues: LoadIssue[] = [...lexed.issues, ...parsed.issues];
  const routes = new Map<string, RouteBlock>();
  let requestRoute: RouteBlock | undefined;
  for (const r of parsed.routes) {
    const key = routeKey(r.kind, r.name);
    if (r.name === 'DEFAULT' && (r.kind === 'request' || r.kind === 'onreply' || r.kind === 'onsend')) {
      // cfg.y: several unnamed main blocks are appended to each other
      const prev = routes.get(key);
      if (prev) prev.body.push(...r.body);
      else routes.set(key, { ...r, body: [...r.body] });
      if (r.kind === 'request') requestRoute = routes.get(key);
      continue;
    }
    if (routes.has(key)) {
      issues.push({ kind: 'parse-error', severity: 'error', location: r.loc, message: `duplicate route ${r.kind === 'request' ? '' : `${r.kind}_`}route[${r.name}] (also at line ${routes.get(key)!.loc.line}); Kamailio refuses to start` });
      continue;
    }
    routes.set(key, r);
  }
  const col: Collected = { pvUses: [], replies: [], relays: [], calls: [], routeCalls: [], unreachable: [] };
  for (const r of routes.values()) collect(r, col);
  // textops subst/subst_uri/subst_user/subst_body parse their literal at start-up (kamailio 5.6.3
  // src/modules/textops/textops.c fixup_substre → src/core/re.c subst_parser): one that does not
  // parse stops Kamailio ("bad subst. re", fix_actions failed) even though `kamailio -c` passes.
  for (const c of col.calls) {
    if (!SUBST_FUNCTIONS.has(c.name) || c.args[0]?.k !== 'str') continue;
    const why = substSyntaxError(c.args[0].value);
    if (why) issues.push({ kind: 'parse-error', severity: 'error', location: c.location, message: `${c.name}(${JSON.stringify(c.args[0].value)}): bad subst. re (${why}); Kamailio refuses to start` });
  }
  const cfgVars = new Map<string, GlobalParam>();
  for (const g of parsed.globals) if (g.group) cfgVars.set(`${g.group}.${g.name}`, g);
  const myself = buildMyself(parsed.globals, parsed.modparams, options.myself);
  const sources = [...lexed.sources];
  // An alias NAME with a port in it is no domain any request can be addressed to.
  const localDomains: LocalDomain[] = myself.entries.filter((e) => !e.nameWithPort).map((e) => ({ name: e.host, origin: e.origin, location: e.location }));
  if (parsed.modules.some((m) => m.name === 'domain')) {
    const table = readDomainTable(parsed.modparams, issues);
    if (table) {
      myself.domainTableEntries = table.domains;
      const at = parsed.modparams.find((p) => p.module === 'domain' && p.param === 'db_url')?.location;
      sources.push({ file: table.file, includedFrom: at });
      for (const d of table.domains) localDomains.push({ name: d, origin: myself.domainTable ? 'domain-table (register_myself)' : 'domain-table', location: at });
    }
  }
  let addressTable: KamailioModel['addressTable'];
  if (parsed.modules.some((m) => m.name === 'permissions')) {
    const t = readAddressTable(parsed.modparams, issues);
    if (t) {
      addressTable = t.entries;
      sources.push({ file: t.file, includedFrom: parsed.modparams.find((p) => p.module === 'permissions' && p.param === 'db_url')?.location });
    }
  }
  let aliasTables: KamailioModel['aliasTables'];
  if (parsed.modules.some((m) => m.name === 'alias_db')) {
    for (const c of col.calls) {
      const name = c.name === 'alias_db_lookup' && c.args[0]?.k === 'str' ? c.args[0].value : undefined;
      if (!name || aliasTables?.has(name)) continue;
      const t = readDbTextTable(parsed.modparams, 'alias_db', name, issues);
      if (!t) break; // not db_text: every lookup stays unknown
      (aliasTables ??= new Map()).set(name, t.rows);
      sources.push({ file: t.file, includedFrom: parsed.modparams.find((p) => p.module === 'alias_db' && p.param === 'db_url')?.location });
    }
  }
  const kemi = locateKemi(file, parsed, issues, sources);
  // KSR.route("X") in the script uses route[X] (not checked at start-up: sr_kemi_core_route looks it up per call).
  for (const c of kemi?.routeCalls ?? []) col.routeCalls.push({ target: c.target, via: 'KSR.route', location: c.location, route: 'kemi' });
  const entryLoc = requestRoute?.loc ?? { file, line: 1, column: 1 };
  return {
    platform: 'kamailio',
    root: path.dirname(file),
    mainFile: file,
    sources,
    issues,
    localDomains,
    routesAnyDomain: false,
    endpoints: [],
    entryPoints: requestRoute ? [{ id: 'request_route', description: 'request_route: every SIP request', context: 'request_route', location: entryLoc, trunk: false }] : [],
    defines: lexed.defines,
    globals: parsed.globals.filter((g) => !g.group),
    cfgVars,
    modules: parsed.modules,
    modparams: parsed.modparams,
    routes,
    requestRoute,
    myself,
    addressTable,
    aliasTables,
    ...(kemi ? { kemi } : {}),
    ...col,
  };
}
