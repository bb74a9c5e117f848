/**
 * For a pre-commit hook, which passes the changed files: the configuration roots those files
 * belong to. A file belongs to the nearest directory at or above it where an engine discovers a
 * root (an included extensions_custom.conf → the directory with extensions.conf; a Kamailio
 * routes.cfg → the kamailio.cfg beside it; dialplan/default/*.xml → the FreeSWITCH conf dir),
 * searching up to the repository's top (the directory holding .git). Only when none is found is
 * a file an engine claims by itself (claimFile) taken as its own root. Files under no root are
 * ignored: a hook must not fail on a README.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ENGINES } from '../engines';

export function rootsOfFiles(files: string[]): string[] {
  const out = new Set<string>();
  const dirCache = new Map<string, string[] | null>();
  const rootsIn = (dir: string): string[] | null => {
    if (dirCache.has(dir)) return dirCache.get(dir) as string[] | null;
    let names: string[] = [];
    try {
      names = fs.readdirSync(dir);
    } catch {
      // unreadable: not a root
    }
    const found = ENGINES.flatMap((e) => e.discover(dir, names).roots.map((r) => r.path));
    const result = found.length ? found : names.includes('.git') ? [] : null;
    dirCache.set(dir, result);
    return result;
  };
  for (const f of files) {
    const abs = path.resolve(f);
    let found = false;
    let dir = path.dirname(abs);
    for (;;) {
      const roots = rootsIn(dir);
      if (roots) {
        roots.forEach((r) => out.add(r));
        found = roots.length > 0;
        break; // a root found, or the repository's top reached
      }
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
    if (!found) ENGINES.map((e) => e.claimFile(abs)).forEach((r) => r && out.add(r.path));
  }
  return [...out];
}
