/**
 * SIP message parsing for `pbxlint explain`: the start line, the headers (compact forms, folded
 * lines, several values of a header on one line) and the body as the Content-Length gives it
 * (RFC 3261 §7, §20). Only what explaining a failure needs is extracted; the rest is kept raw.
 */
import { parseDialTarget, type DialTarget } from '../core/sip-uri';

/** RFC 3261 §7.3.3 compact forms (and RFC 3265/3515/3892/4028 ones seen in the field). */
const COMPACT: Record<string, string> = {
  i: 'call-id',
  f: 'from',
  t: 'to',
  v: 'via',
  m: 'contact',
  l: 'content-length',
  c: 'content-type',
  e: 'content-encoding',
  k: 'supported',
  s: 'subject',
  o: 'event',
  u: 'allow-events',
  r: 'refer-to',
  b: 'referred-by',
  x: 'session-expires',
};

export interface NameAddr {
  uri: string;
  user: string;
  host?: string;
  port?: number;
  tag?: string;
}

export interface Via {
  transport: string;
  host: string;
  port?: number;
  branch?: string;
  received?: string;
  rport?: number;
}

interface SipBase {
  /** Header values in order, by lower-case long name; a comma-separated Via line gives several. */
  headers: Map<string, string[]>;
  callId: string;
  /** The CSeq method as written: method names are case-sensitive (RFC 3261 7.1); each engine decides how it reads them. */
  cseq: { number: number; method: string } | null;
  from: NameAddr | null;
  to: NameAddr | null;
  /** Every Via, topmost first. */
  vias: Via[];
  userAgent?: string;
  body: string;
}

export interface SipRequest extends SipBase {
  kind: 'request';
  /** As captured (`invite` stays `invite`): sofia-sip, pjsip and Kamailio each read the case their own way. */
  method: string;
  ruri: string;
  target: DialTarget;
}

export interface SipResponse extends SipBase {
  kind: 'response';
  status: number;
  reason: string;
}

export type SipMessage = SipRequest | SipResponse;

const REQUEST_LINE = /^([A-Za-z][A-Za-z0-9.!%*_+`'~-]*) (\S+) SIP\/2\.0\s*$/;
const STATUS_LINE = /^SIP\/2\.0 ([1-6][0-9]{2})(?: (.*))?$/;

/** A line that starts a SIP message: a request line or a status line. */
export function isStartLine(line: string): boolean {
  return REQUEST_LINE.test(line) || STATUS_LINE.test(line);
}

/** Headers that RFC 3261 §7.3.1 lets carry several comma-separated values on one line (those explain reads). */
const MULTI_VALUE = new Set(['via', 'contact', 'route', 'record-route']);

/** Splits at commas outside quotes and <> (a display name or URI may hold commas). */
function splitCommas(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '"' && value[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && ch === '<') depth++;
    else if (!quoted && ch === '>') depth = Math.max(0, depth - 1);
    else if (!quoted && depth === 0 && ch === ',') {
      out.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(value.slice(start).trim());
  return out.filter((v) => v.length > 0);
}

function param(params: string, name: string): string | undefined {
  for (const p of params.split(';')) {
    const eq = p.indexOf('=');
    const k = (eq >= 0 ? p.slice(0, eq) : p).trim().toLowerCase();
    if (k === name) return eq >= 0 ? p.slice(eq + 1).trim() : '';
  }
  return undefined;
}

/** From/To: `"Name" <sip:user@host>;tag=x` or `sip:user@host;tag=x` (RFC 3261 §20.20, §20.39). */
export function parseNameAddr(value: string): NameAddr | null {
  let uri: string;
  let rest: string;
  const lt = value.indexOf('<');
  if (lt >= 0) {
    const gt = value.indexOf('>', lt);
    if (gt < 0) return null;
    uri = value.slice(lt + 1, gt).trim();
    rest = value.slice(gt + 1);
  } else {
    // Without <>, parameters after the URI are header parameters (§20.10).
    const semi = value.indexOf(';');
    uri = (semi >= 0 ? value.slice(0, semi) : value).trim();
    rest = semi >= 0 ? value.slice(semi) : '';
  }
  const t = parseDialTarget(uri);
  return { uri, user: t.user, host: t.host, port: t.port, tag: param(rest, 'tag') };
}

/** `SIP/2.0/UDP host:port;branch=…;received=…;rport=…` (RFC 3261 §20.42, RFC 3581). */
export function parseVia(value: string): Via | null {
  const m = /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z]+)\s+(\[[^\]]+\]|[^;:\s]+)(?:\s*:\s*([0-9]+))?\s*(.*)$/i.exec(value.trim());
  if (!m) return null;
  const rport = param(m[4], 'rport');
  return {
    transport: m[1].toUpperCase(),
    host: m[2].replace(/^\[|\]$/g, ''),
    port: m[3] ? Number(m[3]) : undefined,
    branch: param(m[4], 'branch'),
    received: param(m[4], 'received'),
    rport: rport ? Number(rport) : undefined,
  };
}

export interface ParseOutcome {
  message: SipMessage | null;
  /** Why the text is not a SIP message (or what is wrong with it); absent when all is well. */
  problem?: string;
}

/**
 * Parses one SIP message (the text of one datagram, one framed TCP message or one pasted block).
 * Line ends may be CRLF or bare LF (pasted text). A message without Call-ID or CSeq is still
 * returned, with a problem noted: explain groups such messages as best it can.
 */
export function parseSipMessage(text: string): ParseOutcome {
  const sep = /\r?\n\r?\n/.exec(text);
  const head = sep ? text.slice(0, sep.index) : text;
  let body = sep ? text.slice(sep.index + sep[0].length) : '';
  const lines = head.split(/\r?\n/);
  while (lines.length && lines[0].trim() === '') lines.shift();
  const start = lines.shift() ?? '';
  const req = REQUEST_LINE.exec(start);
  const res = req ? null : STATUS_LINE.exec(start);
  if (!req && !res) return { message: null, problem: `not a SIP start line: "${start.slice(0, 60)}"` };
  const headers = new Map<string, string[]>();
  let last: { name: string; idx: number } | null = null;
  for (const line of lines) {
    if (/^[ \t]/.test(line) && last) {
      // Folded header line (RFC 3261 §7.3.1): continues the previous value.
      const list = headers.get(last.name)!;
      list[last.idx] += ' ' + line.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const raw = line.slice(0, colon).trim().toLowerCase();
    const name = COMPACT[raw] ?? raw;
    const value = line.slice(colon + 1).trim();
    const list = headers.get(name) ?? [];
    headers.set(name, list);
    if (MULTI_VALUE.has(name)) for (const v of splitCommas(value)) list.push(v);
    else list.push(value);
    last = { name, idx: list.length - 1 };
  }
  const problems: string[] = [];
  const one = (n: string) => headers.get(n)?.[0];
  const contentLength = one('content-length');
  if (contentLength !== undefined && /^[0-9]+$/.test(contentLength)) {
    const n = Number(contentLength);
    if (Buffer.byteLength(body, 'utf8') < n) problems.push(`body shorter than Content-Length ${n}`);
    body = body.slice(0, n);
  }
  const callId = one('call-id') ?? '';
  if (!callId) problems.push('no Call-ID');
  const cseqM = /^([0-9]+)\s+(\S+)/.exec(one('cseq') ?? '');
  if (!cseqM) problems.push('no valid CSeq');
  const base: SipBase = {
    headers,
    callId,
    cseq: cseqM ? { number: Number(cseqM[1]), method: cseqM[2] } : null,
    from: one('from') !== undefined ? parseNameAddr(one('from')!) : null,
    to: one('to') !== undefined ? parseNameAddr(one('to')!) : null,
    vias: (headers.get('via') ?? []).map(parseVia).filter((v): v is Via => v !== null),
    userAgent: one('user-agent'),
    body,
  };
  const message: SipMessage = req
    ? { ...base, kind: 'request', method: req[1], ruri: req[2], target: parseDialTarget(req[2]) }
    : { ...base, kind: 'response', status: Number(res![1]), reason: (res![2] ?? '').trim() };
  return problems.length ? { message, problem: problems.join('; ') } : { message };
}

/** The username of an Authorization / Proxy-Authorization header (RFC 3261 §22.4), if any. */
export function authUsername(m: SipMessage): string | undefined {
  const h = m.headers.get('authorization')?.[0] ?? m.headers.get('proxy-authorization')?.[0];
  return h ? /username\s*=\s*"([^"]*)"/i.exec(h)?.[1] : undefined;
}
