/**
 * `type=identify` `match=` entries (res_pjsip_endpoint_identifier_ip.c): an IP address, a CIDR
 * (`10.0.0.0/8`, `10.0.0.0/255.0.0.0`), optionally with `:port`, or a host name (resolved when
 * Asterisk loads the config; pbxlint does not resolve names, so a name only matches itself).
 */
function ipv4ToInt(ip: string): number | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const v = parseInt(p, 10);
    if (v > 255) return null;
    n = n * 256 + v;
  }
  return n >>> 0;
}

export function ipMatches(match: string, source: string): boolean {
  let m = match.trim();
  if (m.startsWith('!')) return false;
  const src = source.trim();
  // strip :port (IPv4 or name only)
  const portless = (s: string) => (/^[^:]+:\d+$/.test(s) ? s.slice(0, s.lastIndexOf(':')) : s);
  m = portless(m);
  const [addr, mask] = m.split('/');
  const a = ipv4ToInt(addr);
  const s = ipv4ToInt(portless(src));
  if (a === null || s === null) return addr.toLowerCase() === portless(src).toLowerCase();
  let bits = 32;
  if (mask !== undefined) {
    if (/^\d+$/.test(mask)) bits = parseInt(mask, 10);
    else {
      const mi = ipv4ToInt(mask);
      if (mi === null) return false;
      bits = mi.toString(2).replace(/0+$/, '').length;
    }
  }
  if (bits <= 0) return true;
  const maskInt = bits >= 32 ? 0xffffffff : (~((1 << (32 - bits)) - 1)) >>> 0;
  return ((a & maskInt) >>> 0) === ((s & maskInt) >>> 0);
}
