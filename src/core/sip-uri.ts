/** The parts of a dialed target pbxlint needs: `sip:user@host:port;params`, `tel:+1…`, or a bare number. */
export interface DialTarget {
  scheme: 'sip' | 'sips' | 'tel' | 'none' | 'other';
  user: string;
  host?: string;
  port?: number;
  transport?: string;
}

export function parseDialTarget(input: string): DialTarget {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$/.exec(input);
  if (!m || /^\d/.test(input)) return { scheme: 'none', user: input };
  const scheme = m[1].toLowerCase();
  const rest = m[2];
  if (scheme === 'tel') return { scheme: 'tel', user: rest.split(';')[0] };
  if (scheme !== 'sip' && scheme !== 'sips') return { scheme: 'other', user: rest };
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
  return { scheme, user: decodeURIComponentSafe(user), host: hostport || undefined, port: Number.isFinite(port) ? port : undefined, transport: transport?.toLowerCase() };
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
