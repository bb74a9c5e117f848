/**
 * A seeded generator of random kamailio.cfg scripts and requests for the randomised oracle test
 * (test/kamailio-random-oracle.test.ts): only constructs pbxlint's Kamailio simulator models
 * (request_route and route[] blocks, if/else, ==, !=, =~, !~, uri==myself, is_myself, $rU/$rd/$fU/
 * $ru/$tU tests, strip/prefix/strip_tail/subst_user/$rU assignment, is_method, has_totag,
 * sanity_check, registered/lookup, sl_send_reply, t_relay, exit/drop/return, route(X), alias=,
 * listen=, #!define/#!ifdef). The same seed gives the same script and requests; the ports are
 * placeholders (`{P}` Kamailio's, `{D}` the downstream socket's) filled in once known.
 *
 * Every relay first points the Request-URI at the downstream socket (rewritehostport), so what the
 * downstream receives in its request line is the R-URI the script built, compared with pbxlint's.
 */

/** mulberry32: a small, well-distributed 32-bit PRNG; the same seed gives the same sequence. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
}

export interface RandomRequest {
  method: string;
  /** The Request-URI as sent, with `{P}` for Kamailio's port. */
  ruri: string;
  fromUser: string;
  /** For the registrations made before the probes: the AOR user (To). */
  aorUser?: string;
}

export interface RandomScenario {
  seed: number;
  /** kamailio.cfg with `{P}` / `{D}` placeholders. */
  cfg: string;
  /** REGISTERs sent first (From user `reg`, the script saves them); their AORs are then registered. */
  registrations: RandomRequest[];
  requests: RandomRequest[];
}

/** Hosts the script names: aliases (some with a port, quoted or not) and foreign names. */
const ALIAS_POOL = ['a.example.test', 'b.example.test', 'c.example.test'];
const FOREIGN_HOSTS = ['other.example.org', '127.0.0.2', 'example.com'];

function digits(r: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(r.int(0, 9));
  return s;
}

/** A user part as a caller might dial it, escapes and separators included. */
function randomUser(r: Rng): string {
  switch (r.int(0, 13)) {
    case 0:
    case 1:
      return digits(r, r.int(3, 4));
    case 2:
      return `+1${digits(r, 10)}`;
    case 3:
      return `00${digits(r, r.int(8, 12))}`;
    case 4:
      return `*${digits(r, 2)}`;
    case 5:
      return `${digits(r, 3)}#`;
    case 6:
      return `%2B${digits(r, 11)}`;
    case 7:
      return `%2b1${digits(r, 10)}`;
    case 8:
      return r.pick(['alice', 'bob', 'Alice', 'voicemail', 'carol.smith']);
    case 9:
      return `1${digits(r, 10)}`;
    case 10:
      return `${digits(r, 3)}-${digits(r, 4)}`;
    case 11:
      return `%23${digits(r, 3)}`;
    case 12:
      return `9${digits(r, 7)}`;
    default:
      return digits(r, r.int(1, 12));
  }
}

/** A basic ERE over the characters the users carry. */
function randomRegex(r: Rng, users: string[]): string {
  const atoms = ['[0-9]', '[1-9]', '[0-9]+', '[0-9]*', '\\+', '\\*', '#', '.', '.*', '[a-z]+', '[A-Za-z]+', '%2[Bb]', '(00|\\+)', '[0-9]{3}', '[0-9]{2,4}', '1?', '-'];
  if (r.chance(0.4)) {
    // A prefix of a known user, anchored.
    const u = r.pick(users).replace(/[.*+?^${}()|[\]\\#]/g, (c) => (c === '#' ? '#' : `\\${c}`));
    const cut = Math.max(1, Math.min(u.length, r.int(1, 5)));
    return `^${u.slice(0, cut)}${r.pick(['', '.*', '[0-9]+$', ''])}`;
  }
  let s = r.chance(0.7) ? '^' : '';
  const n = r.int(1, 4);
  for (let i = 0; i < n; i++) s += r.chance(0.5) ? r.pick(atoms) : digits(r, r.int(1, 2));
  if (r.chance(0.5)) s += '$';
  return s;
}

function quote(s: string): string {
  return `"${s}"`;
}

interface Ctx {
  r: Rng;
  users: string[];
  routes: string[];
  /** Index of the route being written; calls go only to later routes (no recursion). */
  self: number;
  /** Names defined to a string, for prefix(NAME). */
  defines: string[];
  /** Names tested by #!ifdef (defined or not). */
  ifdefs: string[];
  depth: number;
  hosts: string[];
}

function reasonText(r: Rng): string {
  return r.pick(['Not Here', 'Nope', 'u=[$rU]', 'ru=[$ru]', 'rd=[$rd] u=[$rU]', 'tU=[$tU]', 'fU=[$fU]', 'Done', 'm=[$rm]', 'rp=[$rp] rz=[$rz]', 'ou=[$ou] oU=[$oU]', 'len=[$(rU{s.len})]', 'u=[$rU]', 'u=[$rU]']);
}

function replyStmt(r: Rng): string {
  const code = r.pick(['200', '202', '302', '403', '404', '404', '407', '480', '484', '486', '488', '500', '503', '603', '699', '420', '180', '700', '299']);
  return `sl_send_reply(${quote(code)}, ${quote(reasonText(r))});`;
}

function relayStmts(): string[] {
  return ['rewritehostport("127.0.0.1:{D}");', 't_relay();'];
}

function condition(c: Ctx): string {
  const r = c.r;
  const strOp = () => r.pick(['==', '!=']);
  // Kamailio has no "!~" (cfg.lex): a rare one checks that pbxlint refuses it too.
  const reOp = () => (r.chance(0.02) ? '!~' : '=~');
  switch (r.int(0, 25)) {
    case 18:
      return `$rd =~ ${quote(r.pick(['^[a-z]', 'EXAMPLE', '\\.test$', '^127\\.', '^B\\.']))}`;
    case 19:
      return `${r.pick(['method', '$rm'])} == ${quote(r.pick(['INVITE', 'invite', 'MESSAGE', 'HELLO']))}`;
    case 20:
      return `$rz == ${quote(r.pick(['sip', 'tel', 'sips']))}`;
    case 21:
      return `$(rU{s.len}) ${r.pick(['>', '<', '=='])} ${r.int(2, 11)}`;
    case 22:
      return `uri =~ ${quote(r.pick(['^sip:\\+', 'user=phone', '^SIP:', '@[a-z]', 'transport=tcp']))}`;
    case 23:
      return `$rp == ${r.pick(['5060', '{P}'])}`;
    case 24:
      return `$rU =~ ${quote(r.pick(['^[[:digit:]]+$', '^[[:alpha:]]', '^[^0-9]', '[[:punct:]]', '^(1|00)?[2-9][0-9]{2}', 'ALICE', '^%']))}`;
    case 0:
    case 1:
      return `$rU ${strOp()} ${quote(r.chance(0.8) ? r.pick(c.users) : randomUser(r))}`;
    case 2:
    case 3:
    case 4:
      return r.chance(0.3) ? `!($rU =~ ${quote(randomRegex(r, c.users))})` : `$rU ${reOp()} ${quote(randomRegex(r, c.users))}`;
    case 5:
      return `uri ${strOp()} myself`;
    case 6:
      return `is_myself(${quote(r.pick(['$ru', '$rd', 'sip:$rd', '$fd']))})`;
    case 7:
      return `$rd ${strOp()} ${quote(r.pick([...c.hosts, ...FOREIGN_HOSTS, '127.0.0.1']))}`;
    case 8:
      return `$fU ${strOp()} ${quote(r.pick(['caller', 'alice', 'reg', 'anon']))}`;
    case 9:
      return `$ru ${reOp()} ${quote(r.pick(['^sip:[0-9]+@', '@127\\.0\\.0\\.1', 'example', '^sip:\\+', '^tel:', ';user=phone', ':{P}$']))}`;
    case 10:
      return `$tU ${strOp()} ${quote(r.pick(c.users))}`;
    case 11:
      return `is_method(${quote(r.pick(['INVITE', 'MESSAGE', 'OPTIONS', 'INVITE|MESSAGE', 'REGISTER', 'SUBSCRIBE|NOTIFY', 'BYE']))})`;
    case 12:
      return 'has_totag()';
    case 13:
      return 'registered("location")';
    case 14:
      return `$rU == $null`;
    case 15:
      return `!(${condition(c)})`;
    case 16:
      return `${condition(c)} && ${condition(c)}`;
    default:
      return `${condition(c)} || ${condition(c)}`;
  }
}

function rewriteStmt(c: Ctx): string {
  const r = c.r;
  switch (r.int(0, 10)) {
    case 7:
      return `$rU = $rU + ${quote(r.pick(['1', '#', '']))};`;
    case 8:
      return `$rd = ${quote(r.pick(['a.example.test', 'other.example.org', '127.0.0.1']))};`;
    case 9:
      return `strip(${r.int(4, 14)});`;
    case 10:
      return `rewriteuser(${quote(r.pick(c.users))});`;
    case 0:
      return `strip(${r.int(1, 3)});`;
    case 1:
      return `prefix(${quote(r.pick(['00', '+', '9', '1', '+49', '0']))});`;
    case 2:
      return `strip_tail(${r.int(1, 2)});`;
    case 3: {
      const re = randomRegex(r, c.users).replace(/\//g, '');
      const group = r.chance(0.5);
      const pat = group ? `(${re.replace(/^\^/, '').replace(/\$$/, '')})` : re;
      const anchored = group && re.startsWith('^') ? `^${pat}` : pat;
      const repl = group ? r.pick(['\\1', '+\\1', '00\\1', 'x\\1y']) : r.pick(['', 'X', '+1', '00']);
      return `subst_user(${quote(`/${anchored}/${repl}/${r.pick(['', '', 'i', 'g'])}`)});`;
    }
    case 4:
      return `$rU = ${quote(r.chance(0.7) ? r.pick(c.users) : randomUser(r))};`;
    case 5:
      // Now and then a name that is not a defined string: Kamailio refuses prefix(NAME) then (cfg.y).
      if (r.chance(0.05)) return `prefix(${r.pick(c.ifdefs)});`;
      return c.defines.length ? `prefix(${r.pick(c.defines)});` : 'strip(1);';
    default:
      return `$rU = ${quote(r.pick(['+' , '0049']))} + $rU;`;
  }
}

function block(c: Ctx, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(...statement(c, i === n - 1));
  return out;
}

function indent(lines: string[]): string[] {
  return lines.map((l) => `\t${l}`);
}

function statement(c: Ctx, last: boolean): string[] {
  const r = c.r;
  const k = r.int(0, 15);
  if (c.depth < 3 && k <= 5) {
    c.depth++;
    const then = indent(block(c, r.int(1, 3)));
    const out = [`if (${condition(c)}) {`, ...then];
    if (r.chance(0.45)) {
      out.push('} else {', ...indent(block(c, r.int(1, 2))));
    }
    out.push('}');
    c.depth--;
    return out;
  }
  if (k <= 9) return [rewriteStmt(c)];
  if (k === 10 && (c.depth > 0 || last)) return [replyStmt(r), ...(r.chance(0.8) ? ['exit;'] : [])];
  if (k === 10) return [rewriteStmt(c)];
  if (k === 15 && (c.depth > 0 || last)) return [...relayStmts(), 'exit;'];
  // lookup() puts the registered contact (the downstream socket) in the R-URI: relayed as it is.
  if (k === 11) return ['if (lookup("location")) {', '\tt_relay();', '\texit;', '}'];
  if (k === 12 && c.self + 1 < c.routes.length) return [`route(${c.routes[r.int(c.self + 1, c.routes.length - 1)]});`];
  if (k === 13 && (last || r.chance(0.3))) return [r.pick(['exit;', 'return;', 'drop;', 'return(1);', 'return(-1);', 'return(0);', 'return(2);'])];
  if (k === 14) {
    const name = r.pick(c.ifdefs);
    return [`#!ifdef ${name}`, replyStmt(r), '#!else', rewriteStmt(c), '#!endif'];
  }
  if (c.depth > 0 || last) return [replyStmt(r), 'exit;'];
  return [rewriteStmt(c)];
}

export function generateScenario(seed: number): RandomScenario {
  const r = new Rng(seed);
  const users = Array.from({ length: 6 }, () => randomUser(r));
  const aliases: string[] = [];
  const aliasLines: string[] = [];
  for (const a of ALIAS_POOL) {
    if (!r.chance(0.5)) continue;
    const form = r.int(0, 3);
    if (form === 0) aliasLines.push(`alias=${a}`);
    else if (form === 1) aliasLines.push(`alias=${a}:{P}`);
    else if (form === 2) aliasLines.push(`alias="${a}:{P}"`);
    else aliasLines.push(`alias="${a}"`);
    aliases.push(a);
  }
  const defineNames = ['WITH_A', 'WITH_B'];
  const defines: string[] = [];
  const head: string[] = ['#!KAMAILIO', `# random oracle scenario, seed ${seed}`];
  for (const d of defineNames) if (r.chance(0.5)) head.push(`#!define ${d}`);
  if (r.chance(0.5)) {
    head.push(`#!define PFX ${quote(r.pick(['00', '+', '9']))}`);
    defines.push('PFX');
  }
  // #!ifdef names are tested whether defined or not.
  const ifdefNames = [...defineNames];
  const routeNames = Array.from({ length: r.int(0, 3) }, (_x, i) => r.pick(['R', 'CHECK', 'PSTN', 'LOCAL']) + String(i + 1));
  const ctxDefines = [...defines];
  const cfg: string[] = [
    ...head,
    'listen=udp:127.0.0.1:{P}',
    `auto_aliases=${r.pick(['no', 'no', 'yes'])}`,
    ...aliasLines,
    'children=2',
    'debug=1',
    'log_stderror=yes',
    '',
    'loadmodule "tm.so"',
    'loadmodule "sl.so"',
    'loadmodule "pv.so"',
    'loadmodule "usrloc.so"',
    'loadmodule "registrar.so"',
    'loadmodule "textops.so"',
    'loadmodule "siputils.so"',
    'loadmodule "sanity.so"',
    'loadmodule "kex.so"',
    '',
  ];
  const useDomain = r.chance(0.25);
  if (useDomain) cfg.push('modparam("usrloc", "use_domain", 1)');
  cfg.push('', 'request_route {', '\tif ($fU == "reg") {', '\t\tsave("location");', '\t\texit;', '\t}');
  if (r.chance(0.4)) cfg.push('\tif (!sanity_check("17895", "7")) {', '\t\texit;', '\t}');
  const hosts = aliases;
  const mk = (self: number): Ctx => ({ r, users, routes: routeNames, self, defines: ctxDefines, ifdefs: ifdefNames, depth: 0, hosts });
  const body = block(mk(-1), r.int(2, 6));
  cfg.push(...indent(body));
  if (r.chance(0.8)) cfg.push(`\t${replyStmt(r)}`);
  cfg.push('}');
  routeNames.forEach((name, i) => {
    cfg.push('', `route[${name}] {`, ...indent(block(mk(i), r.int(1, 4))), '}');
  });
  cfg.push('');

  const hostChoices = ['127.0.0.1:{P}', '127.0.0.1:{P}', ...aliases.map((a) => `${a}:{P}`), ...aliases, ...ALIAS_POOL.filter((a) => !aliases.includes(a)).slice(0, 1), 'localhost:{P}', r.pick(FOREIGN_HOSTS)];
  const registrations: RandomRequest[] = [];
  for (let i = r.int(0, 2); i > 0; i--) {
    const u = r.pick(users);
    registrations.push({ method: 'REGISTER', ruri: 'sip:127.0.0.1:{P}', fromUser: 'reg', aorUser: u });
  }
  const requests: RandomRequest[] = [];
  const n = r.int(8, 12);
  for (let i = 0; i < n; i++) {
    const method = r.pick(['INVITE', 'INVITE', 'INVITE', 'INVITE', 'MESSAGE', 'OPTIONS', 'SUBSCRIBE', 'BYE', 'HELLO', 'INFO', 'invite', 'PUBLISH', 'Message', 'X-CUSTOM', 'ACK']);
    const user = r.chance(0.8) ? r.pick(users) : r.chance(0.5) ? randomUser(r) : '';
    const host = r.pick(hostChoices);
    let ruri = user === '' ? `sip:${host}` : `sip:${user}@${host}`;
    if (r.chance(0.08)) ruri += r.pick([';user=phone', ';transport=tcp', ';lr', ';user=phone;x=1']);
    if (r.chance(0.05)) ruri = ruri.replace(/^sip:([^@]*@)?([a-z.]+)/, (_m, u: string | undefined, h: string) => `sip:${u ?? ''}${h.toUpperCase()}`);
    if (r.chance(0.03)) ruri = `sip:@${host}`;
    if (r.chance(0.03)) ruri = `tel:+1${digits(r, 10)}`;
    requests.push({ method, ruri, fromUser: r.pick(['caller', 'alice', 'anon']) });
  }
  return { seed, cfg: cfg.join('\n'), registrations, requests };
}

/** `{P}` / `{D}` replaced by the ports. */
export function withPorts(s: string, P: number, D: number): string {
  return s.replace(/\{P\}/g, String(P)).replace(/\{D\}/g, String(D));
}
