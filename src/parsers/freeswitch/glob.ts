/**
 * The subset of glob(3) that `X-PRE-PROCESS cmd="include"` uses (switch_xml.c `preprocess_glob`
 * calls `glob(pattern, GLOB_ERR, …)`): `*`, `?` and `[...]` in any path segment, matches sorted
 * (glob sorts with strcoll; the C locale FreeSWITCH runs in sorts by byte), and — as glob does
 * without GLOB_PERIOD — a wildcard never matches a leading dot. Node 20 has no fs.glob.
 */
import * as fs from 'fs';
import * as path from 'path';

const WILDCARD = /[*?[]/;

function segmentRegex(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close < 0) {
        re += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, close);
      if (body.startsWith('!')) body = '^' + body.slice(1);
      re += `[${body.replace(/\\/g, '\\\\')}]`;
      i = close;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Files matching an absolute glob pattern, sorted; [] when nothing matches (FreeSWITCH logs "No files to include" and goes on). */
export function globFiles(pattern: string): string[] {
  const parts = pattern.split('/');
  let bases = [parts[0] === '' ? '/' : parts[0]];
  for (let i = 1; i < parts.length; i++) {
    const seg = parts[i];
    if (seg === '') continue;
    const next: string[] = [];
    for (const base of bases) {
      if (!WILDCARD.test(seg)) {
        const p = path.join(base, seg);
        if (fs.existsSync(p)) next.push(p);
        continue;
      }
      let names: string[];
      try {
        names = fs.readdirSync(base);
      } catch {
        continue;
      }
      const re = segmentRegex(seg);
      for (const n of names) if (!n.startsWith('.') && re.test(n)) next.push(path.join(base, n));
    }
    bases = next;
    if (bases.length === 0) break;
  }
  // glob(3) sorts the whole list of paths, not each directory level.
  return bases.sort().filter((p) => {
    try {
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  });
}
