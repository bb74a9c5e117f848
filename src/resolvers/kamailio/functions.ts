/**
 * The functions whose effect decides where a request goes, modelled after their modules
 * (kamailio/kamailio src/modules/<module>/…, docs in the module's *_admin.xml). Each returns the
 * function's return code (negative = false, positive = true; 0 ends the script, action.c
 * MODF_HANDLE_RETCODE) and applies its side effect to the state. Anything not listed forks both
 * ways in a condition and is named as not modelled.
 */
import type { Expr } from '../../parsers/kamailio/ast';
import type { SourceLocation } from '../../core/location';
import type { Interp } from './interpreter';
import { checkSelf } from './myself';
import { cloneSt, expandString, hasHeader, parseUri, readPv, uriString, withUser, type St, type Uri } from './state';
import { Unknown, asString, isUnknown, type Val } from './values';
import { ownEntry } from '../../core/own';
import { applySubst, parseSubst } from './subst';
import { IDENTITY, andThen, describeDerived, isOpaque, type Deriv } from '../../coverage/derive';
import { substTransduction } from './subst-derive';
import { caseVariants, formatSym, observeUserIn, symOfPv } from './observe';
import type { Op } from '../../coverage/derive';
import { alt, literal, type Re } from '../../automata/regex';

export interface Branch {
  st: St;
  v: Val;
  /** The script ends here (exit, drop, return 0, or a function returning 0). */
  exit?: boolean;
}

type Handler = (c: CallCtx) => Branch[];

interface CallCtx {
  ip: Interp;
  name: string;
  args: Expr[];
  st: St;
  depth: number;
  loc: SourceLocation;
  /** Argument i as a string, pseudo-variables expanded; null when absent. */
  str(i: number): string | null | Unknown;
  ret(v: number): Branch[];
}

/** Functions with no effect on where the request goes; they succeed (return 1). */
const NEUTRAL = new Set([
  'xlog', 'xdbg', 'xinfo', 'xnotice', 'xwarn', 'xerr', 'xalert', 'xcrit', 'xbug', 'xlogl', 'log', 'lm_dbg',
  'force_rport', 'set_reply_no_connect', 'set_forward_no_connect', 'record_route', 'record_route_preset', 'record_route_advertised_address',
  'add_rr_param', 'remove_hf', 'remove_hf_re', 'append_hf', 'insert_hf', 'append_to_reply', 'append_urihf', 'setbflag', 'resetbflag',
  'setsflag', 'resetsflag', 'acc_log_request', 'acc_db_request', 'fix_nated_register', 'fix_nated_contact', 'fix_nated_sdp',
  'set_contact_alias', 'add_contact_alias', 'handle_ruri_alias', 'rtpproxy_manage', 'rtpengine_manage', 'rtpproxy_offer',
  'rtpproxy_answer', 'rtpengine_offer', 'rtpengine_answer', 'rtpengine_delete', 'rtpproxy_destroy', 'unforce_rtp_proxy',
  'consume_credentials', 'msg_apply_changes', 't_set_fr', 't_reset_fr', 't_set_disable_6xx', 't_set_auto_inv_100',
  't_release', 'setdebug', 'resetdebug', 'sdp_remove_codecs_by_name', 'sip_trace', 'add_path', 'add_path_received',
  'dlg_manage', 'set_dlg_profile', 'avp_delete', 'pv_unset', 'sr_hdr_add', 'subst', 'set_advertised_address',
  'set_advertised_port', 'force_send_socket', 'sd_journal_print', 'force_tcp_alias', 'setavpflag', 'resetavpflag', 'nat_keepalive',
  'ws_handle_handshake', 'handle_publish', 'handle_subscribe', 'pike_check_req', 'is_first_hop', 'is_request', 't_load_contacts',
  'cfg_select', 'cfg_reset', 'mf_add_maxfwd_header', 'sip_capture', 'set_rtpengine_set', 'set_rtp_proxy_set', 'dlg_setflag',
  'sethostport_alias', 'add_uri_param', 'tel2sip', 'sanity_reply',
  // dlgs (src/modules/dlgs/dlgs_mod.c ki_dlgs_init, ki_dlgs_update): add or update a tracking
  // record and return 1; the message is not changed. Kamailio's stock kamailio.cfg calls dlgs_init.
  'dlgs_init', 'dlgs_update',
]);

/** Reply functions: their reason text may carry the number (text only); their status may not. */
const REPLIES = new Set(['sl_send_reply', 'send_reply', 't_reply', 'sl_reply', 't_send_reply']);
/** Functions whose arguments coverage follows itself (observe.ts). */
const ARG_SAFE = new Set(['strip', 'strip_tail', 'prefix', 'rewriteuser', 'rewriteuri', 'revert_uri']);

/** Whether argument i reads a value derived from the dialled number (coverage). */
function argSym(c: CallCtx, i: number): unknown {
  const a = c.args[i];
  const obs = c.ip.obs;
  if (!a || !obs || !c.st.sym) return null;
  if (a.k === 'pv') return symOfPv(obs, a.raw, c.st);
  if (a.k === 'str') return formatSym(obs, a.value, c.st);
  return null;
}

/** The R-URI users for which the registrar finds a registered AOR (isRegistered over aorKey). */
function registeredUsers(ip: Interp, host: string | null, registered: string[]): Re {
  const useDomain = ip.model.modparams.some((p) => p.module === 'usrloc' && p.param === 'use_domain' && Number(p.value) !== 0);
  const caseSensitive = ip.model.modparams.some((p) => p.module === 'registrar' && p.param === 'case_sensitive' && Number(p.value) !== 0);
  const alts: Re[] = [];
  for (const r of registered) {
    const p = r.replace(/^sips?:/i, '');
    const at = p.indexOf('@');
    const user = at >= 0 ? p.slice(0, at) : p;
    const rh = at >= 0 ? p.slice(at + 1).replace(/:[0-9]+$/, '') : null;
    if (useDomain && host) {
      if (rh !== null && rh.toLowerCase() !== host.toLowerCase()) continue;
      alts.push(caseSensitive ? literal(user.toLowerCase()) : caseVariants(user.toLowerCase()));
    } else if (caseSensitive) alts.push(literal(user.toLowerCase()), literal(user));
    else alts.push(caseVariants(user.toLowerCase()));
  }
  return alt(alts);
}

/** Functions that always fail on the simulated request (an initial request, no Route, no body, no NAT). */
const FALSE_ON_INITIAL: Record<string, string> = {
  has_totag: 'an initial request has no To-tag',
  loose_route: 'an initial request has no Route header',
  t_check_trans: 'no transaction exists for a new request',
  t_precheck_trans: 'the request is not a retransmission',
  has_body: 'the simulated request has no body',
  is_reply: 'a request is not a reply',
  nat_uac_test: 'the simulated client is not behind NAT',
  is_known_dlg: 'an initial request belongs to no dialog',
  is_gruu: 'the simulated Request-URI is no GRUU',
  check_route_param: 'an initial request has no Route header',
  is_direction: 'an initial request has no Route header',
};

/** Functions whose answer sits in a database, file or remote service: both outcomes are followed. */
const DATA_DEPENDENT: Record<string, string> = {
  is_domain_local: 'the domain table (database) lists the host',
  is_uri_host_local: 'the domain table (database) lists the Request-URI host',
  is_from_local: 'the domain table (database) lists the From host',
  lookup_domain: 'the domain table (database) lists the host',
  allow_source_address: 'the source address is in the permissions address table',
  allow_address: 'the address is in the permissions address table',
  allow_trusted: 'the source is in the permissions trusted table',
  allow_routing: 'the permissions allow/deny files let this request through',
  does_uri_exist: 'the Request-URI user exists in the subscriber table',
  is_user_in: 'the user is in the group table',
  check_to: 'To matches the authenticated user',
  check_from: 'From matches the authenticated user',
  sd_lookup: 'the speed-dial table holds the number',
};

function ruriUser(st: St): string | null | Unknown {
  const u = st.ruri.user;
  if (isUnknown(u)) return u;
  return u === null ? null : String(u);
}

/**
 * usrloc's AOR key (registrar common.c extract_aor): the user part unescaped (un_escape: `%2B1…`
 * and `+1…` are one AOR) and lowercased, plus @host with use_domain (just the host when the user
 * is empty).
 */
function aorKey(ip: Interp, user: string, host: string | null): string {
  const useDomain = ip.model.modparams.some((p) => p.module === 'usrloc' && p.param === 'use_domain' && Number(p.value) !== 0);
  const caseSensitive = ip.model.modparams.some((p) => p.module === 'registrar' && p.param === 'case_sensitive' && Number(p.value) !== 0);
  const plain = unescapeUser(user);
  const u = caseSensitive ? plain : plain.toLowerCase();
  if (!useDomain) return u;
  // registrar common.c extract_aor: with use_domain the AOR is user "@" host even when the URI
  // has no host (a tel: URI): "774@" matches no contact registered as 774@domain.
  if (!host) return u ? `${u}@` : u;
  return u ? `${u}@${host.toLowerCase()}` : host.toLowerCase();
}

/** ut.h un_escape: `%XX` → the byte; a `%` without two hex digits is left as it is here (Kamailio fails the lookup). */
export function unescapeUser(user: string): string {
  if (!user.includes('%')) return user;
  return user.replace(/%([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function isRegistered(ip: Interp, key: string, registered: string[]): boolean {
  return registered.some((r) => {
    const p = r.replace(/^sips?:/i, '');
    const at = p.indexOf('@');
    const user = unescapeUser(at >= 0 ? p.slice(0, at) : p);
    const host = at >= 0 ? p.slice(at + 1).replace(/:[0-9]+$/, '') : null;
    if (key.includes('@')) {
      const [ku, kh] = key.split('@');
      return ku === user.toLowerCase() && (host === null || host.toLowerCase() === kh);
    }
    return key === user.toLowerCase() || key === user;
  });
}

function finalReply(c: CallCtx, status: number | null, reason: string, fnText: string): Branch[] {
  const st = c.st;
  if (c.ip.req.methodId === 'ACK') {
    // An ACK is never answered: sl_reply_helper goes to its error exit (-1) for METHOD_ACK
    // (kamailio 5.6.3 src/modules/sl/sl_funcs.c), tm has no transaction to answer for it.
    c.ip.step(st, c.loc, 'reply', `${fnText}: an ACK is never answered → nothing sent, -1`);
    return c.ret(-1);
  }
  c.ip.step(st, c.loc, 'reply', `${fnText}: ${status ?? '?'} ${reason}`);
  if (status !== null && status < 200) return c.ret(1);
  st.final = { kind: 'reply', status, reason, target: null };
  st.rc = 1;
  return [{ st, v: 1 }];
}

const HANDLERS: Record<string, Handler> = {
  is_method(c) {
    const list = c.str(0);
    if (isUnknown(list) || list === null) return c.ret(-1);
    // textops is_method_f: known methods by their parsed id, others by strncasecmp: case-insensitive both ways.
    const method = c.ip.req.method.toUpperCase();
    return c.ret(list.split('|').some((m) => m.trim().toUpperCase() === method) ? 1 : -1);
  },
  is_present_hf(c) {
    const h = c.str(0);
    if (isUnknown(h) || h === null) return c.ret(-1);
    return c.ret(hasHeader(c.ip.req, h) ? 1 : -1);
  },
  mf_process_maxfwd_header(c) {
    // maxfwd: Max-Forwards 70 is decremented and passed on (> 0).
    return c.ret(1);
  },
  is_maxfwd_lt(c) {
    const n = Number(c.str(0));
    return c.ret(70 < n ? 1 : -1);
  },
  sanity_check(c) {
    return sanityCheck(c);
  },
  t_is_set(c) {
    const what = c.str(0);
    return c.ret(typeof what === 'string' && c.st.armed.has(what) ? 1 : -1);
  },
  t_newtran(c) {
    c.st.transaction = true;
    return c.ret(1);
  },
  setflag(c) {
    c.st.flags.add(`f:${String(c.str(0))}`);
    return c.ret(1);
  },
  resetflag(c) {
    c.st.flags.delete(`f:${String(c.str(0))}`);
    return c.ret(1);
  },
  isflagset(c) {
    return c.ret(c.st.flags.has(`f:${String(c.str(0))}`) ? 1 : -1);
  },
  isbflagset(c) {
    return c.ret(-1);
  },
  is_myself(c) {
    const a = c.str(0);
    if (isUnknown(a) || a === null) return [{ st: c.st, v: isUnknown(a) ? a : -1 }];
    // kex w_is_myself: a SIP URI checks host, and port/proto only when the URI has them
    const u = /^(sips?|tel):/i.test(a) ? parseUri(a) : null;
    // forward.c check_self: no host (a tel: URI) is never myself.
    if (u && (u.host === null || u.host === '')) return c.ret(-1);
    const r = u ? checkSelf(c.ip.model, String(u.host), u.port, u.transport, c.ip.notModelled) : checkSelf(c.ip.model, a, undefined, undefined, c.ip.notModelled);
    if (isUnknown(r)) return [{ st: c.st, v: r }];
    return c.ret(r ? 1 : -1);
  },
  sl_send_reply(c) {
    return replyFn(c);
  },
  send_reply(c) {
    return replyFn(c);
  },
  t_reply(c) {
    // tm.c w_t_reply: without a transaction (no t_newtran()) it logs an error, returns -1 and sends nothing.
    if (!c.st.transaction) {
      c.ip.step(c.st, c.loc, 'reply', `${c.name}: no transaction exists (t_newtran() was not called) → -1, nothing is sent`);
      return c.ret(-1);
    }
    return replyFn(c);
  },
  sl_reply(c) {
    return replyFn(c);
  },
  t_send_reply(c) {
    return HANDLERS.t_reply(c);
  },
  sl_reply_error(c) {
    // core error.c err2reason_phrase: the status follows the internal error of the call before.
    return finalReply(c, 500, 'Server Internal Error (the status follows the preceding internal error)', `${c.name}()`);
  },
  send_reply_error(c) {
    return HANDLERS.sl_reply_error(c);
  },
  t_reply_error(c) {
    return HANDLERS.sl_reply_error(c);
  },
  auth_challenge(c) {
    // auth module: 401 WWW-Authenticate for REGISTER, 407 Proxy-Authenticate otherwise
    const reg = c.ip.req.methodId === 'REGISTER';
    return finalReply(c, reg ? 401 : 407, reg ? 'Unauthorized' : 'Proxy Authentication Required', `${c.name}(…)`);
  },
  www_challenge(c) {
    return finalReply(c, 401, 'Unauthorized', `${c.name}(…)`);
  },
  proxy_challenge(c) {
    return finalReply(c, 407, 'Proxy Authentication Required', `${c.name}(…)`);
  },
  save(c) {
    if (c.ip.req.methodId !== 'REGISTER') return c.ret(-1);
    // registrar save.c: the AOR is the To URI's (extract_aor: user unescaped and lowercased, @host with use_domain).
    const user = c.ip.req.toUser;
    const host = c.ip.req.toDomain;
    const hostText = isUnknown(host) ? '?' : String(host ?? '');
    let name: string;
    if (isUnknown(user)) name = `<${user.why}>@${hostText}`;
    else {
      const key = aorKey(c.ip, String(user ?? ''), isUnknown(host) || host === null ? null : String(host));
      // A To without user is saved under an empty AOR (or the bare host with use_domain).
      name = user ? key : `${key || '(empty AOR)'} — the To URI sip:${hostText} has no user`;
    }
    c.ip.step(c.st, c.loc, 'reply', `save(${JSON.stringify(c.str(0))}): contact of ${name} stored, registrar replies 200 OK`);
    c.st.final = { kind: 'reply', status: 200, reason: 'OK', target: { kind: 'location', name, detail: 'REGISTER saved in the location table' } };
    return [{ st: c.st, v: 1 }];
  },
  lookup(c) {
    return registration(c, true);
  },
  lookup_branches(c) {
    return registration(c, true);
  },
  registered(c) {
    return registration(c, false);
  },
  subst_user(c) {
    return substUser(c);
  },
  subst_uri(c) {
    return substUri(c);
  },
  strip(c) {
    return rewriteUser(c, (u, n) => u.slice(Number(n)), (n) => ({ k: 'drop', n: Number(n) }));
  },
  strip_tail(c) {
    return rewriteUser(c, (u, n) => u.slice(0, Math.max(0, u.length - Number(n))), (n) => ({ k: 'dropTail', n: Number(n) }));
  },
  prefix(c) {
    return rewriteUser(c, (u, p) => `${p}${u}`, (p) => ({ k: 'prefix', s: p }));
  },
  rewriteuser(c) {
    return rewriteUser(c, (_u, v) => v, null);
  },
  rewritehost(c) {
    if (c.st.ruri.unparsed) return unparsedRuri(c);
    const h = c.str(0);
    c.st.ruri = { ...telToSip(c.st.ruri), host: h };
    c.st.contactOf = undefined;
    c.ip.step(c.st, c.loc, 'rewrite', `${c.name}: R-URI host = ${String(isUnknown(h) ? '?' : h)}`);
    return c.ret(1);
  },
  rewritehostport(c) {
    if (c.st.ruri.unparsed) return unparsedRuri(c);
    const hp = c.str(0);
    if (isUnknown(hp) || hp === null) c.st.ruri = { ...c.st.ruri, host: hp };
    else {
      const [h, p] = hp.split(':');
      c.st.ruri = { ...telToSip(c.st.ruri), host: h, port: p ? Number(p) : undefined };
    }
    c.st.contactOf = undefined;
    c.ip.step(c.st, c.loc, 'rewrite', `${c.name}: R-URI = ${String(uriString(c.st.ruri))}`);
    return c.ret(1);
  },
  rewriteuri(c) {
    const u = c.str(0);
    if (c.st.sym) c.st.sym.user = argSym(c, 0) !== null ? { opaque: `${c.name} with a value derived from the dialled number` } : null;
    if (isUnknown(u) || u === null) c.st.ruri = { user: u, host: u };
    else c.st.ruri = parseUri(u) ?? { user: new Unknown(u), host: new Unknown(u) };
    c.st.contactOf = undefined;
    c.ip.step(c.st, c.loc, 'rewrite', `${c.name}: R-URI = ${String(isUnknown(u) ? '?' : u)}`);
    return c.ret(1);
  },
  revert_uri(c) {
    c.st.ruri = { ...c.ip.req.ruri };
    if (c.st.sym) c.st.sym.user = c.ip.req.method === 'REGISTER' ? null : IDENTITY;
    c.st.contactOf = undefined;
    return c.ret(1);
  },
  t_on_failure(c) {
    c.st.armed.add('failure_route');
    return c.ret(1);
  },
  t_on_branch(c) {
    c.st.armed.add('branch_route');
    return c.ret(1);
  },
  t_on_reply(c) {
    c.st.armed.add('onreply_route');
    return c.ret(1);
  },
  auth_check(c) {
    return noCredentials(c);
  },
  www_authorize(c) {
    return noCredentials(c);
  },
  proxy_authorize(c) {
    return noCredentials(c);
  },
  pv_www_authorize(c) {
    return noCredentials(c);
  },
  pv_proxy_authorize(c) {
    return noCredentials(c);
  },
  pv_auth_check(c) {
    return noCredentials(c);
  },
  www_authenticate(c) {
    return noCredentials(c);
  },
  proxy_authenticate(c) {
    return noCredentials(c);
  },
  is_domain_local(c) {
    return domainLookup(c, c.str(0));
  },
  lookup_domain(c) {
    return domainLookup(c, c.str(0));
  },
  is_uri_host_local(c) {
    return domainLookup(c, asString(c.st.ruri.host));
  },
  is_from_local(c) {
    return domainLookup(c, isUnknown(c.ip.req.fromDomain) ? c.ip.req.fromDomain : asString(c.ip.req.fromDomain));
  },
  allow_source_address(c) {
    const table = c.ip.model.addressTable;
    if (!table) return dataDependent(c.ip, c.name, c.args, c.st, c);
    const si = c.ip.req.sourceIp;
    if (isUnknown(si) || si === null) return [{ st: c.st, v: new Unknown('the source IP is in the permissions address table') }];
    const group = c.args.length ? Number(c.str(0)) : 1;
    // permissions address.c match_addr_hash_table/match_subnet_table: group, IP within mask, port 0 = any
    const rows = table.filter((e) => e.group === group && ipMatches(String(si), e.ip, e.mask));
    const found = rows.some((e) => e.port === 0);
    const portDependent = !found && rows.length > 0;
    if (portDependent) return [{ st: c.st, v: new Unknown(`the source port is one the address table lists for ${String(si)}`) }];
    c.ip.step(c.st, c.loc, 'condition', `${c.name}: ${String(si)} is ${found ? '' : 'not '}in address group ${group}`);
    return c.ret(found ? 1 : -1);
  },
  alias_db_lookup(c) {
    const table = c.args[0]?.k === 'str' ? c.ip.model.aliasTables?.get(c.args[0].value) : undefined;
    if (table) return aliasLookup(c, table);
    // alias_db: true when the R-URI is an alias (the table is in a database).
    const yes = cloneSt(c.st);
    yes.conditions.push(`${String(uriString(c.st.ruri))} is an alias in the alias_db table`);
    yes.ruri = { ...yes.ruri, user: new Unknown('the user the alias_db table maps the alias to') };
    if (yes.sym) yes.sym.user = null;
    yes.rc = 1;
    c.ip.step(yes, c.loc, 'rewrite', `${c.name}: alias found, R-URI rewritten to the aliased user (assumed)`);
    const no = c.st;
    no.conditions.push(`${String(uriString(c.st.ruri))} is not an alias in the alias_db table`);
    no.rc = -1;
    c.ip.step(no, c.loc, 'lookup', `${c.name}: no alias (assumed)`);
    return [
      { st: yes, v: 1 },
      { st: no, v: -1 },
    ];
  },
  ds_select_dst(c) {
    return destinationSet(c);
  },
  ds_select_domain(c) {
    return destinationSet(c);
  },
  ds_select(c) {
    return destinationSet(c);
  },
  dp_translate(c) {
    const yes = cloneSt(c.st);
    yes.conditions.push('a dialplan rule matches (dialplan table, database)');
    yes.ruri = { ...yes.ruri, user: new Unknown('the number the dialplan rule produces') };
    if (yes.sym) yes.sym.user = null;
    yes.rc = 1;
    const no = c.st;
    no.conditions.push('no dialplan rule matches (dialplan table, database)');
    no.rc = -1;
    return [
      { st: yes, v: 1 },
      { st: no, v: -1 },
    ];
  },
};
// Core aliases (cfg.lex): setuser/setu = rewriteuser, sethost/seth = rewritehost, …
const ALIASES: Record<string, string> = {
  setuser: 'rewriteuser',
  setu: 'rewriteuser',
  sethost: 'rewritehost',
  seth: 'rewritehost',
  sethostport: 'rewritehostport',
  sethp: 'rewritehostport',
  seturi: 'rewriteuri',
  is_method_in: 'is_method',
};

/** domain module: membership in the domain table (case-insensitive, hash.c), when the table was read. */
function domainLookup(c: CallCtx, host: string | null | Unknown): Branch[] {
  const table = c.ip.model.myself.domainTableEntries;
  if (!table) return dataDependent(c.ip, c.name, c.args, c.st, c);
  if (isUnknown(host)) return [{ st: c.st, v: host }];
  const found = host !== null && table.includes(host.toLowerCase().replace(/^sips?:(?:[^@]*@)?/, '').replace(/[:;].*$/, ''));
  c.ip.step(c.st, c.loc, 'lookup', `${c.name}: ${host ?? '$null'} is ${found ? '' : 'not '}in the domain table`);
  return c.ret(found ? 1 : -1);
}

function ipMatches(ip: string, net: string, bits: number): boolean {
  const v4 = /^[0-9]+(\.[0-9]+){3}$/;
  if (!v4.test(ip) || !v4.test(net)) return ip.toLowerCase() === net.toLowerCase();
  const toInt = (s: string) => s.split('.').reduce((a, b) => (a << 8) + Number(b), 0) >>> 0;
  const mask = bits <= 0 ? 0 : bits >= 32 ? 0xffffffff : (~0 << (32 - bits)) >>> 0;
  return (toInt(ip) & mask) === (toInt(net) & mask);
}

/**
 * alias_db_lookup() on a table pbxlint read (alias_db alookup.c): the R-URI user (and host, with
 * use_domain or the "d" flag) is looked up as alias_username/alias_domain; a match rewrites the
 * R-URI to sip:username@domain and returns 1, no match returns -1.
 */
function aliasLookup(c: CallCtx, rows: Record<string, string>[]): Branch[] {
  const flags = c.args.length > 1 ? c.str(1) : '';
  if (typeof flags === 'string' && flags.includes('r')) return dataDependent(c.ip, c.name, c.args, c.st, c);
  const useDomain = (typeof flags === 'string' && flags.includes('d')) || c.ip.model.modparams.some((p) => p.module === 'alias_db' && p.param === 'use_domain' && Number(p.value) !== 0);
  const user = ruriUser(c.st);
  const host = c.st.ruri.host;
  if (isUnknown(user) || (useDomain && isUnknown(host))) return dataDependent(c.ip, c.name, c.args, c.st, c);
  const candidates = rows.filter((r) => !useDomain || r.alias_domain === String(host));
  const row = candidates.find((r) => r.alias_username === user);
  if (c.ip.obs && c.st.sym) {
    const why = `${c.name}: the Request-URI user is an alias`;
    if (candidates.some((r) => r.alias_username === '')) c.ip.obs.observe.opaque(`${why} (an empty alias_username)`);
    else if (row) observeUserIn(c.ip.obs, c.st, () => literal(row.alias_username), false, true, `${why} (${row.alias_username})`);
    else observeUserIn(c.ip.obs, c.st, () => alt(candidates.map((r) => literal(r.alias_username ?? ''))), false, false, why);
  }
  if (!row) {
    c.ip.step(c.st, c.loc, 'lookup', `${c.name}: ${user ?? '$null'} is not an alias → -1`);
    return c.ret(-1);
  }
  const target = `sip:${row.username}@${row.domain}`;
  c.st.ruri = parseUri(target) ?? { user: row.username, host: row.domain };
  if (c.st.sym) c.st.sym.user = null;
  c.st.contactOf = undefined;
  c.ip.step(c.st, c.loc, 'rewrite', `${c.name}: ${user} is an alias of ${row.username}@${row.domain} → R-URI ${target}`);
  return c.ret(1);
}

function noCredentials(c: CallCtx): Branch[] {
  // auth modules: a request without Authorization/Proxy-Authorization fails (AUTH_NO_CREDENTIALS).
  c.ip.step(c.st, c.loc, 'auth', `${c.name}: the request carries no credentials → false`);
  return c.ret(-2);
}

function replyFn(c: CallCtx): Branch[] {
  const code = c.str(0);
  const reason = c.str(1);
  const status = typeof code === 'string' && /^[0-9]{3}$/.test(code.trim()) ? Number(code.trim()) : null;
  if (status === null) c.ip.notModelled(`${c.name} with a computed status`);
  return finalReply(c, status, typeof reason === 'string' ? reason : isUnknown(reason) ? `<${reason.why}>` : '', `${c.name}(${typeof code === 'string' ? code : '?'}, ${typeof reason === 'string' ? JSON.stringify(reason) : '?'})`);
}

/**
 * A core rewrite of an R-URI that does not parse: do_action logs "bad uri" and returns E_UNSPEC
 * (kamailio 5.6.3 src/core/action.c, SET_*_T / STRIP_T / PREFIX_T); the R-URI stays as it is and
 * the script goes on.
 */
function unparsedRuri(c: CallCtx): Branch[] {
  c.ip.step(c.st, c.loc, 'rewrite', `${c.name}: ${c.st.ruri.unparsed ?? 'the Request-URI does not parse'} → fails (-1), nothing changes`);
  return [{ st: c.st, v: -1 }];
}

/**
 * Setting the host of a tel: URI makes it a sip: URI with ;user=phone (kamailio 5.6.3
 * src/core/action.c do_action, SET_HOST_T / SET_HOSTPORT_T / SET_HOSTPORTTRANS_T: "Preserve the
 * URI scheme unless the host part needs to be rewritten", then "Add the user=phone param if a tel:
 * or tels: URI was converted to sip: or sips:").
 */
function telToSip(u: Uri): Uri {
  return u.scheme === 'tel' ? { ...u, scheme: 'sip', userPhone: true } : u;
}

function rewriteUser(c: CallCtx, f: (user: string, arg: string) => string, op: ((arg: string) => Op) | null): Branch[] {
  if (c.st.ruri.unparsed) return unparsedRuri(c);
  const arg = c.str(0);
  const u = ruriUser(c.st);
  const sym = c.st.sym;
  if (sym) {
    // coverage: the R-URI user's derivation from the dialled number follows the rewrite
    if (argSym(c, 0) !== null) sym.user = { opaque: `${c.name} with an argument derived from the dialled number` };
    else if (op === null || isUnknown(arg)) sym.user = null;
    else if (sym.user !== null) {
      const o = op(arg ?? '');
      const bad = (o.k === 'drop' || o.k === 'dropTail') && !(Number.isInteger(o.n) && o.n >= 0);
      sym.user = bad ? { opaque: `${c.name}(${JSON.stringify(arg)})` } : andThen(sym.user, o);
    }
  }
  if (isUnknown(arg) || isUnknown(u)) c.st.ruri = { ...c.st.ruri, user: isUnknown(arg) ? arg : u };
  else c.st.ruri = withUser(c.st.ruri, f(u ?? '', arg ?? ''));
  c.st.contactOf = undefined;
  c.ip.step(c.st, c.loc, 'rewrite', `${c.name}(${isUnknown(arg) ? '?' : JSON.stringify(arg)}): R-URI user = ${isUnknown(c.st.ruri.user) ? '?' : JSON.stringify(c.st.ruri.user)}`);
  return c.ret(1);
}

function destinationSet(c: CallCtx): Branch[] {
  const yes = cloneSt(c.st);
  yes.conditions.push('the dispatcher set has an active destination');
  yes.du = new Unknown('the destination dispatcher picks');
  yes.rc = 1;
  const no = c.st;
  no.conditions.push('the dispatcher set has no active destination');
  no.rc = -1;
  return [
    { st: yes, v: 1 },
    { st: no, v: -1 },
  ];
}

/**
 * registrar lookup()/registered(): 1 when the AOR has a contact (lookup rewrites the R-URI to it),
 * -1 when it has none (or is unknown). Registration state comes from --registered; without it both
 * outcomes are followed.
 */
function registration(c: CallCtx, rewrite: boolean): Branch[] {
  const { ip, st } = c;
  const uriArg = c.args[1] ? c.str(1) : null;
  let user: string | null | Unknown;
  let host: Val;
  if (typeof uriArg === 'string') {
    const u = parseUri(uriArg);
    user = u ? (u.user === null ? null : String(u.user)) : new Unknown(uriArg);
    host = u ? u.host : null;
  } else if (isUnknown(uriArg)) {
    user = uriArg;
    host = uriArg;
  } else {
    user = ruriUser(st);
    host = st.ruri.host;
  }
  const fn = `${c.name}(${c.args.map((_a, i) => JSON.stringify(c.str(i))).join(', ')})`;
  const observed = c.ip.obs && st.sym && !isUnknown(user);
  if (observed && uriArg !== null && argSym(c, 1) !== null) c.ip.obs!.observe.opaque(`${fn}: the AOR is derived from the dialled number`);
  const fromRuri = observed && uriArg === null;
  if (fromRuri) observeUserIn(c.ip.obs!, st, () => ({ t: 'none' }), true, user === null || user === '', `${fn}: the Request-URI has no user`);
  if (user === null || user === '') {
    ip.step(st, c.loc, 'lookup', `${fn}: the Request-URI has no user → -1`);
    st.rc = -1;
    return [{ st, v: -1 }];
  }
  const hostStr = isUnknown(host) || host === null ? null : String(host);
  let key = isUnknown(user) ? null : aorKey(ip, user, hostStr);
  const realKey = key;
  // coverage: an AOR made of the dialled number is named by its derivation (one name for the class)
  if (fromRuri && key !== null && st.sym?.user) key = `${describeDerived(st.sym.user, 'rU')}${key.includes('@') ? key.slice(key.indexOf('@')) : ''}`;
  const found = (s: St): Branch => {
    if (rewrite) {
      s.contactOf = key ?? '?';
      ip.step(s, c.loc, 'lookup', `${fn}: ${key ?? 'the AOR'} has a contact → 1, R-URI set to the contact`);
    } else ip.step(s, c.loc, 'lookup', `${fn}: ${key ?? 'the AOR'} is registered → 1`);
    s.rc = 1;
    return { st: s, v: 1 };
  };
  const missing = (s: St): Branch => {
    ip.step(s, c.loc, 'lookup', `${fn}: ${key ?? 'the AOR'} has no contact → -1`);
    s.rc = -1;
    return { st: s, v: -1 };
  };
  if (key !== null && ip.req.registered !== undefined) {
    const hit = isRegistered(ip, realKey as string, ip.req.registered);
    if (fromRuri) observeUserIn(ip.obs!, st, () => registeredUsers(ip, hostStr, ip.req.registered!), false, hit, `${fn}: the AOR is registered`);
    return [hit ? found(st) : missing(st)];
  }
  const assumption = `registered:${key ?? '?'}`;
  const prior = st.assumed.get(assumption);
  if (prior !== undefined) return [prior ? found(st) : missing(st)];
  st.assumed.set(assumption, false);
  const yes = cloneSt(st);
  yes.assumed.set(assumption, true);
  yes.conditions.push(`${key ?? 'the AOR'} is registered`);
  const no = st;
  no.conditions.push(`${key ?? 'the AOR'} is not registered`);
  return [found(yes), missing(no)];
}

/**
 * Why t_relay() has no socket to send on, when that is certain: the next hop ($du, else the
 * R-URI) asks for a transport (;transport=tcp, a sips: URI → tls) and every listen= names its
 * protocol, none of them that one (src/core/forward.c get_send_socket finds nothing).
 */
function missingSocket(c: CallCtx): string | null {
  const { st } = c;
  let uri: Uri | null = st.ruri;
  if (st.du !== null && st.du !== '') uri = isUnknown(st.du) ? null : parseUri(String(asString(st.du)));
  // After lookup() the R-URI is the registered contact, which pbxlint does not know.
  if (!uri || uri.unparsed || (uri === st.ruri && st.contactOf)) return null;
  const transport = uri.transport ?? (uri.scheme === 'sips' ? 'tls' : undefined);
  if (!transport || transport === 'udp') return null;
  const listens = c.ip.model.myself.entries.filter((e) => e.origin === 'listen');
  if (!c.ip.model.myself.complete || listens.length === 0 || listens.some((e) => !e.proto || e.proto === 'any' || e.proto === transport)) return null;
  return `no listen= socket for transport ${transport}`;
}

function relayFn(c: CallCtx): Branch[] {
  const { st } = c;
  if (st.ruri.unparsed && c.name.startsWith('t_')) {
    // tm new_t: "uri invalid" → t_newtran fails; t_relay returns an error, sends nothing and the
    // script goes on (kamailio 5.6.3 src/modules/tm/t_lookup.c new_t, t_newtran).
    c.ip.step(st, c.loc, 'relay', `${c.name}: ${st.ruri.unparsed} → no transaction, nothing sent, returns -1`);
    st.rc = -1;
    return [{ st, v: -1 }];
  }
  let dest: string;
  let kind = 'relay';
  const noSocket = c.name === 't_relay' && c.args.length === 0 ? missingSocket(c) : null;
  if (noSocket) {
    // t_forward_nonack finds no socket for the next hop's transport (E_NO_SOCKET, -7): t_relay
    // kills the transaction with err2reason_phrase's default text (kamailio 5.6.3
    // src/modules/tm/t_funcs.c t_relay_to → kill_transaction; src/core/error.c err2reason_phrase).
    const reason = "I'm terribly sorry, server error occurred (7/TM)";
    if (c.ip.req.methodId === 'ACK') {
      // An ACK gets no reply (tm forwards it without a transaction; nothing answers the failure).
      c.ip.step(st, c.loc, 'relay', `${c.name}: ${noSocket} → the ACK is not sent, nothing answers, -1`);
      st.rc = -1;
      return [{ st, v: -1 }];
    }
    c.ip.step(st, c.loc, 'reply', `${c.name}: ${noSocket} → tm replies 500 ${reason}`);
    st.final = { kind: 'reply', status: 500, reason, target: null };
    st.rc = -1;
    return [{ st, v: -1 }];
  }
  const a0 = c.args.length ? c.str(0) : null;
  if (a0 !== null && !isUnknown(a0)) {
    const a1 = c.args.length > 1 ? c.str(1) : null;
    dest = `${a0}${typeof a1 === 'string' ? `:${a1}` : ''}`;
  } else if (st.du !== null && st.du !== '') {
    dest = isUnknown(st.du) ? `<${st.du.why}>` : String(asString(st.du));
    const duSym = st.sym?.vars.get('du');
    if (duSym) dest = '<$du computed from the dialled number>';
  } else if (st.contactOf) {
    kind = 'location';
    dest = `registered contact of ${st.contactOf}`;
  } else {
    const u = uriString(st.ruri);
    dest = isUnknown(u) ? `<${u.why}>` : String(u);
    // coverage: the R-URI user derived from the dialled number is named by its derivation
    if (!isUnknown(u) && st.sym?.user) dest = String(uriString({ ...st.ruri, user: describeDerived(st.sym.user, 'rU') }));
  }
  if (a0 !== null && !isUnknown(a0) && c.ip.obs && argSym(c, 0) !== null) dest = '<a destination computed from the dialled number>';
  c.ip.step(st, c.loc, 'relay', `${c.name}: request forwarded to ${dest}`);
  st.final = { kind: 'relay', status: null, reason: `${c.name} forwards to ${dest}`, target: { kind, name: st.contactOf && kind === 'location' ? st.contactOf : dest, detail: kind === 'location' ? 'registered contact (lookup)' : undefined } };
  st.rc = 1;
  return [{ st, v: 1 }];
}

const RELAYS = new Set(['t_relay', 't_relay_to', 't_relay_to_udp', 't_relay_to_tcp', 't_relay_to_tls', 't_relay_to_sctp', 't_forward_nonack', 't_forward_nonack_udp', 't_forward_nonack_tcp', 't_forward_nonack_tls', 'forward', 'forward_udp', 'forward_tcp', 'forward_tls', 'forward_sctp']);

/** A function whose answer is in a table pbxlint cannot read: both outcomes, one assumption per path. */
function dataDependent(ip: Interp, name: string, args: Expr[], st: St, ctx: CallCtx): Branch[] {
  const why = ownEntry(DATA_DEPENDENT, name) ?? `${name}() is true`;
  const assumption = `${name}(${args.map((_a, i) => String(ctx.str(i))).join(',')})`;
  const prior = st.assumed.get(assumption);
  if (prior !== undefined) return [{ st, v: prior ? 1 : -1 }];
  st.assumed.set(assumption, false);
  const yes = cloneSt(st);
  yes.assumed.set(assumption, true);
  yes.conditions.push(`${name}: ${why}`);
  yes.rc = 1;
  const no = st;
  no.conditions.push(`${name}: not (${why})`);
  no.rc = -1;
  return [
    { st: yes, v: 1 },
    { st: no, v: -1 },
  ];
}

export function callFunction(ip: Interp, name: string, args: Expr[], st: St, depth: number, loc: SourceLocation): Branch[] {
  const ctx: CallCtx = {
    ip,
    name,
    args,
    st,
    depth,
    loc,
    str(i) {
      const a = args[i];
      if (!a) return null;
      if (a.k === 'str') {
        const v = expandString(a.value, ctx.st, ip);
        return isUnknown(v) ? v : asString(v);
      }
      if (a.k === 'num') return a.raw;
      if (a.k === 'id') {
        const d = ip.model.defines.get(a.name);
        return d?.value ?? a.name;
      }
      if (a.k === 'pv') {
        const v = readPv(a.raw, ctx.st, ip);
        return isUnknown(v) ? v : asString(v);
      }
      return new Unknown(`argument ${i + 1} of ${name}`);
    },
    ret(v) {
      ctx.st.rc = v;
      return [{ st: ctx.st, v }];
    },
  };
  const key = ownEntry(ALIASES, name) ?? name;
  const h = ownEntry(HANDLERS, key);
  if (ip.obs && st.sym && !ARG_SAFE.has(key) && !NEUTRAL.has(name) && !RELAYS.has(name)) {
    for (let i = 0; i < args.length; i++) {
      // registration functions follow their URI argument themselves; a reply's reason is text only
      if (i === 1 && (key === 'lookup' || key === 'lookup_branches' || key === 'registered' || REPLIES.has(key))) continue;
      if (argSym(ctx, i) !== null) {
        ip.obs.observe.opaque(`${name}() with an argument derived from the dialled number`);
        break;
      }
    }
  }
  let out: Branch[];
  if (h) out = h(ctx);
  else if (RELAYS.has(name)) out = relayFn(ctx);
  else if (NEUTRAL.has(name)) out = ctx.ret(1);
  else if (ownEntry(FALSE_ON_INITIAL, name)) {
    out = ctx.ret(-1);
  } else if (ownEntry(DATA_DEPENDENT, name)) {
    out = dataDependent(ip, name, args, st, ctx);
  } else {
    // Not modelled: in a condition both outcomes are followed; as a statement it is assumed to succeed.
    ip.notModelled(`${name}()`);
    const u = new Unknown(`${name}() returns true (not modelled)`);
    st.rc = u;
    out = [{ st, v: u }];
  }
  // MODF_HANDLE_RETCODE: a function returning 0 ends the script.
  return out.map((b) => (b.v === 0 && !b.exit ? { ...b, exit: true } : b));
}

/** The literal `/re/repl/flags` of a subst function (fixup_substre compiles it once: no pseudo-variables in it). */
function substOf(c: CallCtx): ReturnType<typeof parseSubst> | null {
  const a = c.args[0];
  if (!a || a.k !== 'str') return null;
  return parseSubst(a.value);
}

function substWith(c: CallCtx, subject: Val, apply: (result: string) => void, what: string, observe?: (matched: boolean) => void): Branch[] {
  const se = substOf(c);
  if (se === null || typeof se === 'string') {
    c.ip.notModelled(`${c.name}(${se === null ? 'computed expression' : se})`);
    return [{ st: c.st, v: new Unknown(`${c.name}() matches (not modelled)`) }];
  }
  if (isUnknown(subject)) return [{ st: c.st, v: new Unknown(`${c.name}() matches ${subject.why}`) }];
  const input = subject === null ? '' : String(subject);
  const out = applySubst(se, input, (part) => {
    const v = part.k === 'uri' ? uriString(c.st.ruri) : readPv(part.raw, c.st, c.ip);
    return isUnknown(v) ? null : v === null ? '<null>' : String(v);
  });
  if (out === undefined) {
    c.ip.notModelled(`${c.name}() replacement with an unknown pseudo-variable`);
    return [{ st: c.st, v: new Unknown(`${c.name}() result`) }];
  }
  observe?.(out !== null);
  if (out === null) {
    c.ip.step(c.st, c.loc, 'rewrite', `${c.name}: ${JSON.stringify(input)} does not match → -1, ${what} unchanged`);
    return c.ret(-1);
  }
  apply(out);
  c.st.contactOf = undefined;
  c.ip.step(c.st, c.loc, 'rewrite', `${c.name}: ${JSON.stringify(input)} → ${what} ${JSON.stringify(out)}`);
  return c.ret(1);
}

/**
 * coverage: subst_user on a user derived from the dialled number. Where the substitution is a
 * transduction subst-derive.ts reads exactly, the test "the regex matches" is reported and the new
 * user is the old derivation followed by the substitution's; otherwise not modelled, with the reason.
 */
function substUserObserver(c: CallCtx): ((matched: boolean) => void) | undefined {
  const sym = c.st.sym;
  if (!c.ip.obs || !sym || sym.user === null) return undefined;
  const a = c.args[0];
  const t = a && a.k === 'str' ? substTransduction(a.value) : 'a computed expression';
  const text = a && a.k === 'str' ? a.value : '…';
  if (typeof t === 'string' || isOpaque(sym.user)) {
    c.ip.obs.observe.opaque(`subst_user(${JSON.stringify(text)}) on the R-URI user derived from the dialled number${typeof t === 'string' ? `: ${t}` : ''}`);
    sym.user = { opaque: `rewritten by subst_user` };
    return undefined;
  }
  const obs = c.ip.obs;
  return (matched) => {
    observeUserIn(obs, c.st, () => t.success, false, matched, `subst_user(${JSON.stringify(text)})`);
    if (!matched || !c.st.sym || c.st.sym.user === null) return;
    if (t.result.k === 'const') c.st.sym.user = null;
    else {
      let d: Deriv = c.st.sym.user;
      for (const op of t.result.ops) d = andThen(d, op);
      c.st.sym.user = d;
    }
  };
}

/** coverage: subst_uri's regex on a URI whose user is derived from the dialled number is not mapped to a language (yet). */
function substUriOnDerived(c: CallCtx): void {
  if (!c.ip.obs || !c.st.sym || c.st.sym.user === null) return;
  c.ip.obs.observe.opaque(`subst_uri on the R-URI user derived from the dialled number`);
  c.st.sym.user = { opaque: `rewritten by subst_uri` };
}

/**
 * textops subst_user_helper_f: the regex runs on the R-URI user as it stands in the URI (escapes
 * kept, "" when there is none); a match sets the user (SET_USER_T; an empty result removes it),
 * no match returns -1 and changes nothing.
 */
function substUser(c: CallCtx): Branch[] {
  // subst_user_helper_f: parse_sip_msg_uri fails → -1 (textops.c).
  if (c.st.ruri.unparsed) return unparsedRuri(c);
  return substWith(c, c.st.ruri.user, (r) => (c.st.ruri = withUser(c.st.ruri, r === '' ? null : r)), 'R-URI user', substUserObserver(c));
}

/** textops subst_uri_f: the same on the whole R-URI (the new URI replaces it). */
function substUri(c: CallCtx): Branch[] {
  substUriOnDerived(c);
  return substWith(
    c,
    uriString(c.st.ruri),
    (r) => {
      c.st.ruri = parseUri(r) ?? { user: new Unknown(`user of ${r}`), host: new Unknown(`host of ${r}`) };
    },
    'R-URI',
  );
}

/** sanity module defaults (sanity_mod.h SANITY_DEFAULT_CHECKS, SANITY_DEFAULT_URI_CHECKS). */
const SANITY_DEFAULT_CHECKS = 1 | 2 | 4 | 32 | 64 | 128 | 256 | 512 | 2048;
const SANITY_DEFAULT_URI_CHECKS = 1 | 2 | 4;

/**
 * sanity_check(msg_checks, uri_checks) (sanity_mod.c, sanity.c). The simulated request is well
 * formed except where the target says otherwise: a Request-URI parse_uri refuses (`sip:@host`)
 * fails check_ruri_scheme (2) and check_parse_uris (1024, uri check 1) with 400 "Bad Request
 * URI"; an unparseable To fails uri check 4 with 400 "Ivalid To Header" (sic). The reply is sent
 * by the module itself (sanity_reply) unless modparam noreply is set; the function returns -1.
 */
function sanityCheck(c: CallCtx): Branch[] {
  const mp = (name: string, dflt: number) => {
    const p = c.ip.model.modparams.filter((m) => m.module === 'sanity' && m.param === name).pop();
    const n = p ? Number(p.value) : NaN;
    return Number.isFinite(n) ? n : dflt;
  };
  const num = (i: number, dflt: number): number | null => {
    if (c.args.length <= i) return dflt;
    const v = c.str(i);
    const n = typeof v === 'string' ? Number(v.trim()) : NaN;
    return Number.isInteger(n) ? n : null;
  };
  const checks = num(0, mp('default_checks', SANITY_DEFAULT_CHECKS));
  const uriChecks = num(1, mp('uri_checks', SANITY_DEFAULT_URI_CHECKS));
  const req = c.ip.req;
  if (checks === null || uriChecks === null) {
    if (!req.ruriError && !req.toError) return c.ret(1);
    c.ip.notModelled(`${c.name} with computed checks`);
    return [{ st: c.st, v: new Unknown(`${c.name}() passes (computed checks)`) }];
  }
  let failure: string | null = null;
  if (req.ruriError && ((checks & 2) !== 0 || ((checks & 1024) !== 0 && (uriChecks & 1) !== 0))) failure = 'Bad Request URI';
  else if (req.toError && (checks & 1024) !== 0 && (uriChecks & 4) !== 0) failure = 'Ivalid To Header';
  if (!failure) return c.ret(1);
  const why = failure === 'Bad Request URI' ? req.ruriError : req.toError;
  if (req.methodId === 'ACK') {
    // sanity_reply: an ACK gets no reply (kamailio 5.6.3 src/modules/sanity/sanity.c sanity_reply).
    c.ip.step(c.st, c.loc, 'condition', `${c.name}: ${why} → -1 (an ACK gets no reply)`);
    return c.ret(-1);
  }
  if (mp('noreply', 0) !== 0) {
    c.ip.step(c.st, c.loc, 'condition', `${c.name}: ${why} → -1 (modparam noreply: the 400 is left to sanity_reply())`);
    return c.ret(-1);
  }
  c.ip.step(c.st, c.loc, 'reply', `${c.name}: ${why} → the sanity module replies 400 ${failure}, returns -1`);
  c.st.final = { kind: 'reply', status: 400, reason: failure, target: null };
  return c.ret(-1);
}
