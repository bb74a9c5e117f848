import * as fs from 'fs';
import * as path from 'path';
import type { KamailioModel } from '../model/kamailio';
import type { Engine, RootRef } from './types';
import { fragmentModel } from './fragment-model';

/** OpenSIPS shares the .cfg extension and much of the look, but is another language. */
function isOpenSipsPath(file: string): boolean {
  return /opensips/i.test(file);
}

/**
 * Text only OpenSIPS configs carry: its name, its signaling module, and global parameters
 * Kamailio does not have (`log_level=`, `stderror_enabled=`, `syslog_enabled=`, `udp_workers=`).
 */
const OPENSIPS_MARKER = /opensips|"signaling(\.so)?"|^\s*(log_level|stderror_enabled|syslog_enabled|udp_workers)\s*=/im;

/**
 * The cfg text with its comments blanked out (newlines kept), as cfg.lex reads it: `#` to the end
 * of the line unless it starts a `#!` directive, `//` to the end of the line, and block comments;
 * none inside double- or single-quoted strings.
 */
export function withoutComments(text: string): string {
  let out = '';
  let i = 0;
  const n = text.length;
  let lineStart = true;
  while (i < n) {
    const c = text[i];
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < n && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      lineStart = false;
      continue;
    }
    const directive = c === '#' && text[i + 1] === '!' && lineStart;
    if ((c === '#' && !directive) || (c === '/' && text[i + 1] === '/')) {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
      continue;
    }
    out += c;
    if (c === '\n') lineStart = true;
    else if (c !== ' ' && c !== '\t') lineStart = false;
    i++;
  }
  return out;
}

/**
 * cfg.y route_stm: `request_route {` or `route {` (the unnamed main route), the keyword and the
 * brace separated by any blanks or comments (`route{` too); `route[name] {` is a sub-route.
 */
const MAIN_ROUTE = /(?<![\w$.])(request_route|route)\s*\{/;
/** cfg.lex CFGENGINE: `cfgengine "lua"` hands request routing to a KEMI script (the cfg then needs no request_route). */
const CFGENGINE = /^\s*cfgengine\s*=?\s*"?\s*([A-Za-z0-9_]+)/m;
const INCLUDE = /^\s*(?:#!|!!)?(?:include_file|import_file)\s+"([^"]+)"/gm;
/** cfg.lex MAX_INCLUDE_DEPTH. */
const MAX_INCLUDE_DEPTH = 10;

/** The KEMI engine a cfg hands routing to (`cfgengine "lua"`), or null for the native language. */
export function kemiEngineOf(text: string): string | null {
  const m = CFGENGINE.exec(withoutComments(text));
  return m && m[1] !== 'native' && m[1] !== 'default' ? m[1] : null;
}

/**
 * Whether a cfg is a Kamailio main file by its grammar: it (or a file it includes) holds the
 * main route block, or it names a KEMI engine; and it is not OpenSIPS.
 */
function looksLikeKamailioMain(file: string, text: string): boolean {
  if (OPENSIPS_MARKER.test(text)) return false;
  const seen = new Set<string>();
  const visit = (f: string, t: string, depth: number): boolean => {
    seen.add(f);
    const code = withoutComments(t);
    if (MAIN_ROUTE.test(code) || CFGENGINE.test(code)) return true;
    if (depth >= MAX_INCLUDE_DEPTH) return false;
    for (const m of code.matchAll(INCLUDE)) {
      // cfg.lex sr_push_yy_state: as given, then beside the including file.
      const target = path.isAbsolute(m[1]) ? m[1] : path.join(path.dirname(f), m[1]);
      if (seen.has(target)) continue;
      const inc = readHead(target);
      if (inc !== null && visit(target, inc, depth + 1)) return true;
    }
    return false;
  };
  return visit(file, text, 0);
}

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
    for (const m of withoutComments(text).matchAll(INCLUDE)) out.add(path.basename(m[1]));
  }
  return out;
}

/**
 * A Kamailio root is a main cfg file: kamailio.cfg, or a *.cfg that no other cfg of the same
 * directory includes and that holds (itself or through its includes) a `request_route {` or
 * unnamed `route {` block, or hands routing to a KEMI script (`cfgengine`). Files under an
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
      if (text && looksLikeKamailioMain(full, text)) roots.push({ platform: 'kamailio', path: full });
    }
    return { roots, stopDescent: false };
  },
  claimFile(file): RootRef | null {
    if (isOpenSipsPath(file) || !file.endsWith('.cfg')) return null;
    if (path.basename(file) === 'kamailio.cfg') return { platform: 'kamailio', path: file };
    const text = readHead(file);
    if (text && looksLikeKamailioMain(file, text)) return { platform: 'kamailio', path: file };
    return null;
  },
  isFragment(file) {
    if (isOpenSipsPath(file) || !/\.(cfg|inc)(\.sample)?$/.test(file)) return false;
    // tls.cfg and the like are module files in INI form (`[server:default]`), not cfg.y language.
    const text = readHead(file);
    return text !== null && !/^\s*\[[^\]\n]+\]\s*$/m.test(withoutComments(text));
  },
  loadFragment(file, options) {
    const { lexKamailio } = require('../parsers/kamailio/lexer') as typeof import('../parsers/kamailio/lexer');
    const { parseTokens } = require('../parsers/kamailio/parser') as typeof import('../parsers/kamailio/parser');
    const lexed = lexKamailio(file, options.defines ?? []);
    const parsed = parseTokens(lexed.tokens);
    return fragmentModel('kamailio', file, lexed.sources, [...lexed.issues, ...parsed.issues]);
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
