import * as fs from 'fs';
import * as path from 'path';
import type { KamailioModel } from '../model/kamailio';
import type { Engine, RootRef } from './types';

/** OpenSIPS shares the .cfg extension and much of the look, but is another language. */
function isOpenSipsPath(file: string): boolean {
  return /opensips/i.test(file);
}

const ROUTE_BLOCK = /^\s*(request_route|route)\s*\{/m;
/**
 * Text only OpenSIPS configs carry: its name, its signaling module, and global parameters
 * Kamailio does not have (`log_level=`, `stderror_enabled=`, `syslog_enabled=`, `udp_workers=`).
 */
const OPENSIPS_MARKER = /opensips|"signaling(\.so)?"|^\s*(log_level|stderror_enabled|syslog_enabled|udp_workers)\s*=/im;

/** A main cfg: a request route, not a kamailio `startup_route`-only file, not OpenSIPS. */
function looksLikeKamailioMain(text: string): boolean {
  return ROUTE_BLOCK.test(text) && !OPENSIPS_MARKER.test(text);
}
const INCLUDE = /^\s*(?:#!|!!)?(?:include_file|import_file)\s+"([^"]+)"/gm;

function readHead(file: string): string | null {
  try {
    const st = fs.statSync(file);
    if (!st.isFile() || st.size > 8 * 1024 * 1024) return null;
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** Files the other cfgs of a directory include (by base name): they are parts, not roots. */
function includedNames(dir: string, cfgs: string[]): Set<string> {
  const out = new Set<string>();
  for (const c of cfgs) {
    const text = readHead(path.join(dir, c));
    if (!text) continue;
    for (const m of text.matchAll(INCLUDE)) out.add(path.basename(m[1]));
  }
  return out;
}

/**
 * A Kamailio root is a main cfg file: kamailio.cfg, or a *.cfg holding a `request_route {` or
 * unnamed `route {` block that no other cfg of the same directory includes. Files under an
 * OpenSIPS path, opensips*.cfg, and cfgs that name OpenSIPS, load its signaling module or set
 * OpenSIPS-only globals are never claimed (OpenSIPS is a different language; when in doubt, not ours).
 */
export const kamailioEngine: Engine<'kamailio'> = {
  platform: 'kamailio',
  discover(dir, entries) {
    if (isOpenSipsPath(dir)) return { roots: [], stopDescent: false };
    const cfgs = entries.filter((e) => e.endsWith('.cfg') && !/opensips/i.test(e));
    if (cfgs.length === 0) return { roots: [], stopDescent: false };
    const included = includedNames(dir, cfgs);
    const roots: RootRef[] = [];
    for (const c of cfgs) {
      if (included.has(c)) continue;
      const full = path.join(dir, c);
      if (c === 'kamailio.cfg') {
        roots.push({ platform: 'kamailio', path: full });
        continue;
      }
      const text = readHead(full);
      if (text && looksLikeKamailioMain(text)) roots.push({ platform: 'kamailio', path: full });
    }
    return { roots, stopDescent: false };
  },
  claimFile(file): RootRef | null {
    if (isOpenSipsPath(file) || !file.endsWith('.cfg')) return null;
    if (path.basename(file) === 'kamailio.cfg') return { platform: 'kamailio', path: file };
    const text = readHead(file);
    if (text && looksLikeKamailioMain(text)) return { platform: 'kamailio', path: file };
    return null;
  },
  // Parser, resolver and graph load on first use (see ENGINES).
  load(root, options): KamailioModel {
    return (require('../parsers/kamailio') as typeof import('../parsers/kamailio')).loadKamailio(root.path, { defines: options.defines, myself: options.myself });
  },
  get resolver() {
    return (require('../resolvers/kamailio') as typeof import('../resolvers/kamailio')).kamailioResolver;
  },
  get graph() {
    return (require('../graph/kamailio') as typeof import('../graph/kamailio')).kamailioGraph;
  },
  get coverage() {
    return (require('../coverage/kamailio') as typeof import('../coverage/kamailio')).kamailioCoverage;
  },
};
