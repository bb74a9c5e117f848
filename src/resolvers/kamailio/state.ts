/**
 * The simulated SIP request and script state one path of the interpreter carries: the Request-URI
 * (rewritten by the script), $du, script variables, flags, the last return code, what was sent.
 * Pseudo-variables are read and written here (pv module semantics, kamailio/kamailio
 * src/modules/pv/pv_core.c).
 */
import type { KamailioModel } from '../../model/kamailio';
import type { RouteStep, RouteTarget } from '../types';
import { Unknown, asString, isUnknown, type Val } from './values';
import type { SymState } from './observe';

export interface Uri {
  /** 'tel' for a tel: URI (no host: parse_uri.c moves the number to the user part). Default sip. */
  scheme?: 'sip' | 'sips' | 'tel';
  /** `;user=phone`: with core phone2tel (default on) parse_uri.c types the URI as tel ($rz), host kept. */
  userPhone?: boolean;
  /** The user part as in the URI, escapes kept (parse_uri.c does not unescape; $rU shows `%2B…`). */
  user: Val;
  host: Val;
  port?: number;
  transport?: string;
  /**
   * The URI parameters as written, without the first `;` (`user=phone;lr;x=1`): a rewrite of the
   * user, host or port keeps them (kamailio 5.6.3 src/core/action.c do_action copies
   * uri.sip_params), so the URI relayed carries them all. When set, `transport` and `userPhone`
   * are read from them.
   */
  params?: string;
  /**
   * Why this R-URI does not parse (`sip:@host`), until the script sets a whole new one ($ru,
   * rewriteuri): parse_sip_msg_uri fails, so $ru/$rU/$rd/$rp/$rz read $null (kamailio 5.6.3
   * src/modules/pv/pv_core.c pv_get_ruri, pv_get_ruri_attr: "failed to parse the R-URI" →
   * pv_get_null) and the core rewrites change nothing (src/core/action.c do_action, SET_*_T,
   * STRIP_T, PREFIX_T: "bad uri" → E_UNSPEC).
   */
  unparsed?: string;
}

export interface Final {
  kind: 'reply' | 'relay';
  status: number | null;
  reason: string;
  target: RouteTarget | null;
}

/** The request as it arrives; the same on every path. */
export interface SimRequest {
  /** The method as written in the request line ($rm). */
  method: string;
  /**
   * The method as the core knows it: a standard method in any case is that method (parse_methods.c
   * parse_method_name compares case-insensitively: "register" is a REGISTER), any other token is
   * METHOD_OTHER, kept as written.
   */
  methodId: string;
  ruri: Uri;
  /** Why the Request-URI does not parse (parse_uri.c), when it does not: sanity_check answers 400. */
  ruriError?: string;
  fromUser: Val;
  fromDomain: Val;
  /** Port of the From URI, when it has one (`--from-domain host:port`). */
  fromPort?: number;
  /** The To user as in the URI (escapes kept); for a REGISTER, the AOR. */
  toUser: Val;
  toDomain: Val;
  toPort?: number;
  /** Why the To URI does not parse, when it does not (sanity_check uri check 4: 400). */
  toError?: string;
  sourceIp: Val;
  userAgent: string | null;
  registered?: string[];
}

export interface St {
  ruri: Uri;
  du: Val;
  vars: Map<string, Val>;
  flags: Set<string>;
  rc: Val;
  /** tm routes armed with t_on_failure/t_on_branch/t_on_reply. */
  armed: Set<string>;
  transaction: boolean;
  /** Set by lookup() success: the R-URI now holds a registered contact of this AOR. */
  contactOf?: string;
  steps: RouteStep[];
  conditions: string[];
  /** What this path assumed about unknowns (by description), so that a later test of the same unknown agrees. */
  assumed: Map<string, boolean>;
  final?: Final;
  /** Coverage only (observe.ts): how values on this path derive from the dialled user; absent without an observer. */
  sym?: SymState;
}

export function cloneSt(s: St): St {
  return {
    ruri: { ...s.ruri },
    du: s.du,
    vars: new Map(s.vars),
    flags: new Set(s.flags),
    rc: s.rc,
    armed: new Set(s.armed),
    transaction: s.transaction,
    contactOf: s.contactOf,
    steps: [...s.steps],
    conditions: [...s.conditions],
    assumed: new Map(s.assumed),
    final: s.final,
    sym: s.sym && { user: s.sym.user, vars: new Map(s.sym.vars) },
  };
}

/**
 * The R-URI with a new user part. A tel: URI left without a number ("tel:") no longer parses
 * (kamailio 5.6.3 src/core/parser/parse_uri.c; seen on 5.6.3: after strip() removed the whole
 * number, $rU and $rd read $null and later rewrites fail), so it becomes unparsed.
 */
export function withUser(u: Uri, user: Val): Uri {
  if (u.scheme === 'tel' && (user === null || user === '')) return { ...u, user: null, unparsed: 'the tel: URI has no number left' };
  return { ...u, user };
}

export function uriString(u: Uri): Val {
  if (isUnknown(u.host)) return u.host;
  if (isUnknown(u.user)) return u.user;
  if (u.scheme === 'tel') return `tel:${u.user ?? ''}`;
  // The text of an R-URI that does not parse is still there (`uri =~ "…"` compares the request
  // line as written, route.c comp_str): `sip:@host` keeps its "@".
  const user = u.user === null || u.user === '' ? (u.unparsed ? '@' : '') : `${u.user}@`;
  return `${u.scheme === 'sips' ? 'sips' : 'sip'}:${user}${u.host ?? ''}${u.port ? `:${u.port}` : ''}${u.params !== undefined ? `;${u.params}` : `${u.transport ? `;transport=${u.transport}` : ''}${u.userPhone ? ';user=phone' : ''}`}`;
}

/** Parses `sip:user@host:port;params` for `$ru = …` and rewriteuri(). */
export function parseUri(s: string): Uri | null {
  // tel: the number (visual separators kept) is the user, there is no host (parse_uri.c TEL_URI_T).
  const tel = /^tel:([^;?]+)/i.exec(s.trim());
  if (tel) return { scheme: 'tel', user: tel[1], host: null };
  const m = /^sips?:(?:([^@]*)@)?(\[[^\]]+\]|[^:;?]+)(?::([0-9]+))?((?:;[^?]*)?)/i.exec(s.trim());
  if (!m) return null;
  const tr = /;transport=([a-z]+)/i.exec(m[4] ?? '')?.[1];
  const userPhone = /;user=phone(?:;|$)/i.test(m[4] ?? '') || undefined;
  return { scheme: /^sips/i.test(s.trim()) ? 'sips' : 'sip', user: m[1] ?? null, host: m[2], port: m[3] ? Number(m[3]) : undefined, transport: tr?.toLowerCase(), userPhone, params: m[4] ? m[4].slice(1) : undefined };
}

const HEADERS_PRESENT = new Set(['via', 'v', 'from', 'f', 'to', 't', 'call-id', 'i', 'cseq', 'max-forwards', 'content-length', 'l']);

/**
 * Whether the simulated request carries a header. It carries what a simple UAC sends: Via, From,
 * To, Call-ID, CSeq, Max-Forwards (70), Content-Length, Contact for INVITE/REGISTER, and
 * User-Agent when --user-agent is given. No Route, no credentials, no body.
 */
export function hasHeader(req: SimRequest, name: string): boolean {
  const n = name.toLowerCase();
  if (HEADERS_PRESENT.has(n)) return true;
  if (n === 'contact' || n === 'm') return req.methodId === 'INVITE' || req.methodId === 'REGISTER';
  if (n === 'user-agent') return req.userAgent !== null;
  return false;
}

function headerValue(req: SimRequest, name: string): Val {
  const n = name.toLowerCase();
  if (n === 'max-forwards') return '70';
  if (n === 'user-agent') return req.userAgent;
  if (!hasHeader(req, n)) return null;
  return new Unknown(`the ${name} header's value`);
}

export interface PvContext {
  model: KamailioModel;
  req: SimRequest;
  notModelled: (what: string) => void;
}

/** Splits `$name(inner)` / `$(name(inner){tr}…)` into its parts. */
export function splitPv(raw: string): { name: string; inner?: string; transforms: string[] } {
  let body = raw.slice(1);
  const transforms: string[] = [];
  if (body.startsWith('(') && body.endsWith(')')) {
    body = body.slice(1, -1);
    // peel {…} transformations from the end
    for (;;) {
      const m = /\{([^{}]*)\}$/.exec(body);
      if (!m) break;
      transforms.unshift(m[1]);
      body = body.slice(0, m.index);
    }
  }
  const m = /^([A-Za-z_?][A-Za-z0-9_.]*)(?:\((.*)\))?(\[[^\]]*\])?$/s.exec(body);
  if (!m) return { name: body, transforms };
  return { name: m[1], inner: m[2], transforms };
}

function applyTransform(v: Val, tr: string): Val | undefined {
  if (isUnknown(v)) return v;
  const s = asString(v);
  if (s === null || isUnknown(s)) return s === null ? null : s;
  const [op, ...args] = tr.split(',');
  switch (op.trim()) {
    case 's.len':
      return s.length;
    case 's.tolower':
      return s.toLowerCase();
    case 's.toupper':
      return s.toUpperCase();
    case 's.int':
      return parseInt(s, 10) || 0;
    // pv_trans.c TR_S_UNESCAPEUSER / TR_S_ESCAPEUSER (strutils.c un_escape, escape_user: lower-case hex,
    // letters, digits and -_.!~*'()&=+$,;? kept), TR_S_NUMERIC (getNumericValue: the digits only),
    // TR_S_RM (every occurrence of the parameter removed; a parameter with a backslash is not modelled).
    case 's.unescape.user':
      return s.replace(/%([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    case 's.escape.user':
      return s.replace(/[^A-Za-z0-9\-_.!~*'()&=+$,;?]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
    case 's.numeric':
      return s.replace(/[^0-9]/g, '');
    case 's.rm': {
      const what = tr.slice(tr.indexOf(',') + 1);
      if (!tr.includes(',') || what === '' || what.includes('\\') || what.includes('$')) return undefined;
      return s.split(what).join('');
    }
    case 's.substr': {
      const off = Number(args[0]);
      const len = Number(args[1]);
      if (!Number.isFinite(off) || !Number.isFinite(len)) return undefined;
      const start = off < 0 ? Math.max(0, s.length + off) : off;
      return len === 0 ? s.slice(start) : len > 0 ? s.slice(start, start + len) : s.slice(start, s.length + len);
    }
  }
  return undefined;
}

export function readPv(raw: string, st: St, ctx: PvContext): Val {
  const { name, inner, transforms } = splitPv(raw);
  let v = readPvBase(name, inner, st, ctx, raw);
  // A transformation of $null fails (kamailio 5.6.3 src/modules/pv/pv_trans.c tr_eval_string:
  // PV_VAL_NULL → -1), so pv_get_spec_value fails: a format string prints nothing for it
  // (src/core/pvapi.c pv_printf) and a comparison sees an empty value, not $null.
  if (v === null && transforms.length) return '';
  for (const t of transforms) {
    const r = applyTransform(v, t);
    if (r === undefined) {
      ctx.notModelled(`transformation {${t}}`);
      return new Unknown(`${raw} (transformation {${t}} not modelled)`);
    }
    v = r;
  }
  return v;
}

function readPvBase(name: string, inner: string | undefined, st: St, ctx: PvContext, raw: string): Val {
  const { req } = ctx;
  switch (name) {
    case 'rU':
      if (st.ruri.unparsed) return null;
      return st.ruri.user === '' ? null : st.ruri.user;
    case 'rd':
      if (st.ruri.unparsed) return null;
      return st.ruri.host;
    case 'rp':
      if (st.ruri.unparsed) return null;
      return st.ruri.port ?? 5060;
    case 'rz':
      if (st.ruri.unparsed) return null;
      // pv_core.c pv_get_ruri_attr: uri_type_to_str(parsed_uri.type); parse_uri.c makes a sip: URI
      // with user=phone a TEL_URI_T when the core parameter phone2tel is on (default 1).
      return st.ruri.userPhone && phone2tel(ctx.model) ? 'tel' : (st.ruri.scheme ?? 'sip');
    case 'ru':
      return st.ruri.unparsed ? null : uriString(st.ruri);
    // parse_orig_ruri fails the same way (pv_core.c pv_get_ouri, pv_get_ouri_attr).
    case 'ou':
      return req.ruri.unparsed ? null : uriString(req.ruri);
    case 'oU':
      if (req.ruri.unparsed) return null;
      return req.ruri.user === '' ? null : req.ruri.user;
    case 'od':
      return req.ruri.unparsed ? null : req.ruri.host;
    case 'rm':
    case 'rmethod':
      return req.method;
    case 'fU':
      return req.fromUser;
    case 'fd':
      return req.fromDomain;
    case 'fu':
      return isUnknown(req.fromUser) ? req.fromUser : isUnknown(req.fromDomain) ? req.fromDomain : `sip:${req.fromUser ?? ''}@${req.fromDomain ?? ''}${req.fromPort ? `:${req.fromPort}` : ''}`;
    case 'tU':
      return req.toUser;
    case 'td':
      return req.toDomain;
    case 'tu':
      // A tel: To (toDomain null: no host) is tel:number; its parameters are not kept.
      if (req.toDomain === null && !isUnknown(req.toUser)) return `tel:${req.toUser ?? ''}`;
      return isUnknown(req.toUser) ? req.toUser : isUnknown(req.toDomain) ? req.toDomain : `sip:${req.toUser ? `${req.toUser}@` : ''}${req.toDomain ?? ''}${req.toPort ? `:${req.toPort}` : ''}`;
    case 'si':
      return req.sourceIp;
    case 'ua':
      return req.userAgent;
    case 'du':
      return st.du;
    case 'null':
      return null;
    case 'rc':
    case '?':
    case 'retcode':
      return st.rc;
    case 'pr':
    case 'proto':
      return req.ruri.transport ?? 'udp';
    case 'var':
      // $var() holds 0 until assigned (pv module pv_get_scriptvar).
      return st.vars.has(`var:${inner}`) ? st.vars.get(`var:${inner}`)! : 0;
    case 'avp':
    case 'xavp':
    case 'xavu':
    case 'xavi':
    case 'shv':
    case 'sht':
    case 'dlg_var':
      return st.vars.has(`${name}:${inner}`) ? st.vars.get(`${name}:${inner}`)! : null;
    case 'hdr':
      return headerValue(req, inner ?? '');
    case 'sel':
      return readSelect(inner ?? '', ctx);
    case 'au':
    case 'ar':
    case 'ad':
    case 'aU':
      return null; // no credentials in the simulated request
    case 'ml':
    case 'msg':
      // $msg(len)/$ml: the simulated request is an initial one without body or credentials, a few
      // hundred bytes; stock cfgs only compare it with MSG_MAX_SIZE (16384), so this estimate is safe.
      if (name === 'msg' && inner !== 'len') break;
      return estimateMessageLength(req);
    case 'rb':
    case 'bs':
    case 'mb':
      return req.methodId === 'INVITE' ? new Unknown('the message body') : '';
  }
  ctx.notModelled(`pseudo-variable ${raw}`);
  return new Unknown(raw);
}

/** Core parameter phone2tel (cfg.y PHONE2TEL; default 1). */
function phone2tel(model: KamailioModel): boolean {
  const g = model.globals.filter((p) => !p.group && p.name === 'phone2tel').pop();
  return !g || !/^(0|no|off|false)$/i.test(g.value.trim());
}

/** Size of the simulated request: request line, Via, From, To, Call-ID, CSeq, Contact, Max-Forwards, User-Agent, Content-Length. */
function estimateMessageLength(req: PvContext['req']): number {
  const text = (v: unknown) => (typeof v === 'string' ? v.length : 16);
  return 320 + 3 * (text(req.ruri.user) + text(req.ruri.host)) + 2 * (text(req.fromUser) + text(req.fromDomain)) + text(req.userAgent);
}

/** `$sel(cfg_get.group.var)` / `@cfg_get.group.var`: a custom cfg variable's declared value. */
export function readSelect(path: string, ctx: PvContext): Val {
  const m = /^cfg_get\.([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)$/.exec(path.replace(/^@/, ''));
  if (m) {
    const g = ctx.model.cfgVars.get(`${m[1]}.${m[2]}`);
    if (!g) return null;
    return /^-?[0-9]+$/.test(g.value) ? Number(g.value) : g.value;
  }
  ctx.notModelled(`select @${path}`);
  return new Unknown(`@${path}`);
}

/** Writes a pseudo-variable; returns false for one the interpreter does not model. */
export function writePv(raw: string, v: Val, st: St, ctx: PvContext): boolean {
  const { name, inner } = splitPv(raw);
  const s = asString(v);
  switch (name) {
    // pv_set_ruri_user / pv_set_ruri_host run the SET_USER_T / SET_HOST_T actions, which fail on
    // an R-URI that does not parse ("do action failed", pv_core.c): nothing changes.
    case 'rU':
      if (!st.ruri.unparsed) st.ruri = withUser(st.ruri, s === null ? null : s);
      return true;
    case 'rd':
      // SET_HOST_T on a tel: URI makes it sip:…;user=phone (action.c), as rewritehost() does.
      if (!st.ruri.unparsed) st.ruri = { ...(st.ruri.scheme === 'tel' ? { ...st.ruri, scheme: 'sip' as const, userPhone: true } : st.ruri), host: s };
      return true;
    case 'rp': {
      if (st.ruri.unparsed) return true;
      const n = typeof s === 'string' ? Number(s) : NaN;
      st.ruri = { ...st.ruri, port: Number.isFinite(n) && n > 0 ? n : undefined };
      return true;
    }
    case 'ru': {
      if (s === null || isUnknown(s)) {
        st.ruri = { user: s ?? null, host: s ?? null };
        return true;
      }
      const u = parseUri(s);
      st.ruri = u ?? { user: new Unknown(`user of ${s}`), host: new Unknown(`host of ${s}`) };
      st.contactOf = undefined;
      return true;
    }
    case 'du':
      st.du = s;
      return true;
    case 'var':
    case 'avp':
    case 'xavp':
    case 'xavu':
    case 'xavi':
    case 'shv':
    case 'sht':
    case 'dlg_var':
      st.vars.set(`${name}:${inner}`, v);
      return true;
  }
  ctx.notModelled(`assignment to ${raw}`);
  return false;
}

/**
 * Expands pseudo-variables inside a string argument (Kamailio's fparam/pv format strings:
 * `"$fd"`, `"sip:$rU@$rd"`). Unknown when any part is.
 */
export function expandString(s: string, st: St, ctx: PvContext): Val {
  if (!s.includes('$')) return s;
  let out = '';
  for (const part of formatParts(s)) {
    if (!part.pv) {
      out += part.text;
      continue;
    }
    const v = readPv(part.text, st, ctx);
    if (isUnknown(v)) return v;
    out += v === null ? '<null>' : String(v);
  }
  return out;
}

/** A format string cut into literal text and pseudo-variable references (`$rU`, `$var(x)`, `$(ru{uri.user})`). */
export function formatParts(s: string): { pv: boolean; text: string }[] {
  const parts: { pv: boolean; text: string }[] = [];
  let lit = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c !== '$' || i + 1 >= s.length || !/[A-Za-z_(]/.test(s[i + 1])) {
      lit += c;
      i++;
      continue;
    }
    let j = i + 1;
    if (s[j] === '(') {
      let depth = 0;
      for (; j < s.length; j++) {
        if (s[j] === '(') depth++;
        else if (s[j] === ')' && --depth === 0) {
          j++;
          break;
        }
      }
    } else {
      while (j < s.length && /[A-Za-z0-9_]/.test(s[j])) j++;
      if (s[j] === '(') {
        let depth = 0;
        for (; j < s.length; j++) {
          if (s[j] === '(') depth++;
          else if (s[j] === ')' && --depth === 0) {
            j++;
            break;
          }
        }
      }
    }
    if (lit) parts.push({ pv: false, text: lit });
    lit = '';
    parts.push({ pv: true, text: s.slice(i, j) });
    i = j;
  }
  if (lit) parts.push({ pv: false, text: lit });
  return parts;
}
