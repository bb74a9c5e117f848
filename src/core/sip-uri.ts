/** The parts of a dialed target pbxlint needs: `sip:user@host:port;params`, `tel:+1…`, or a bare number. */
export interface DialTarget {
  scheme: 'sip' | 'sips' | 'tel' | 'none' | 'other';
  /** The user part unescaped (`%2B1202…` → `+1202…`): the number as dialed. */
  user: string;
  /**
   * The user part as it stands in the URI, escapes kept; for a tel: URI the number as written
   * (visual separators kept); for a bare number, the number with what a SIP user part may not
   * carry unescaped percent-encoded (sipUserEscape), as a UA would send it.
   */
  rawUser: string;
  /** The sip: URI carries `;user=phone` (a telephone number in a SIP URI, RFC 3261 19.1.1). */
  userPhone?: boolean;
  /** Why a SIP parser refuses the URI (`sip:@host`: an "@" with no user before it), if it does. */
  malformed?: string;
  host?: string;
  port?: number;
  transport?: string;
  /** The URI parameters of a sip:/sips: URI as written, without the first `;` (`user=phone;lr`). */
  params?: string;
}

export function parseDialTarget(input: string): DialTarget {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$/.exec(input);
  if (!m || /^\d/.test(input)) return { scheme: 'none', user: input, rawUser: sipUserEscape(input) };
  const scheme = m[1].toLowerCase();
  const rest = m[2];
  if (scheme === 'tel') {
    const number = rest.split(';')[0];
    return { scheme: 'tel', user: decodeURIComponentSafe(number), rawUser: number };
  }
  if (scheme !== 'sip' && scheme !== 'sips') return { scheme: 'other', user: rest, rawUser: rest };
  const [addr, ...params] = rest.split(';');
  const at = addr.lastIndexOf('@');
  const user = at >= 0 ? addr.slice(0, at) : '';
  let hostport = at >= 0 ? addr.slice(at + 1) : addr;
  let port: number | undefined;
  if (hostport.startsWith('[')) {
    const close = hostport.indexOf(']');
    const after = hostport.slice(close + 1);
    if (after.startsWith(':')) port = Number(after.slice(1));
    hostport = hostport.slice(0, close + 1);
  } else {
    const colon = hostport.lastIndexOf(':');
    if (colon >= 0) {
      port = Number(hostport.slice(colon + 1));
      hostport = hostport.slice(0, colon);
    }
  }
  const transport = params.map((p) => p.split('=')).find(([k]) => k.toLowerCase() === 'transport')?.[1];
  // Kamailio parse_uri.c (URI_USER state, '@'): "at '@' and no user part" is a parse error.
  const malformed = at === 0 ? 'the user part is empty (an "@" with no user before it)' : undefined;
  const userPhone = params.some((p) => /^user=phone$/i.test(p)) || undefined;
  return { scheme, user: decodeURIComponentSafe(user), rawUser: user, malformed, userPhone, host: hostport || undefined, port: Number.isFinite(port) ? port : undefined, transport: transport?.toLowerCase(), params: params.length ? params.join(';') : undefined };
}

/**
 * A number written into a SIP URI user part: RFC 3261 25.1 `user = 1*( unreserved / escaped /
 * user-unreserved )` lets letters, digits, `-_.!~*'()` and `&=+$,;?/` stand as they are; any
 * other character (a space, `#`, `@`, `:`) is sent %-escaped. An escape already written stays.
 */
export function sipUserEscape(number: string): string {
  return number.replace(/%[0-9A-Fa-f]{2}|[^A-Za-z0-9\-_.!~*'()&=+$,;?/]/g, (c) => (c.length === 3 ? c : Buffer.from(c, 'utf8').reduce((out, b) => `${out}%${b.toString(16).toUpperCase().padStart(2, '0')}`, '')));
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
