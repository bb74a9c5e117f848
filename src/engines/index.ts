/**
 * The engine registry and root discovery. Each engine is wired in one file beside this one
 * (parser → model → resolver); adding an engine adds one line to ENGINES.
 *
 * Discovery (discover, claimFile) is light and runs for every engine; an engine's parser,
 * resolver and graph are required only when a root of that engine is loaded, routed or drawn,
 * so `pbxlint lint /etc/asterisk` does not pay for loading the Kamailio and FreeSWITCH code.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Platform } from '../core/findings';
import type { AnyModel } from '../model';
import type { ModelBase } from '../model/common';
import type { RouteAnswer, RouteRequest } from '../resolvers/types';
import { asteriskEngine } from './asterisk';
import { freeswitchEngine } from './freeswitch';
import { kamailioEngine } from './kamailio';
import type { Engine, LoadOptions, RootRef } from './types';

export type { Engine, LoadOptions, RootRef } from './types';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const ENGINES: Engine<any>[] = [asteriskEngine, kamailioEngine, freeswitchEngine];

export function engineFor(platform: Platform): Engine | undefined {
  return ENGINES.find((e) => e.platform === platform);
}

/** OpenSIPS shares Kamailio's ancestry and file names but is another language: say why it is not read. */
const OPENSIPS_NOTE = (p: string) => (/opensips/i.test(p) ? ' (OpenSIPS configuration is not read: its language differs from Kamailio\'s)' : '');

/** Directories never searched for configuration. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist']);
const MAX_DISCOVERY_DEPTH = 32;

/**
 * Finds configuration roots under the given paths. A directory named explicitly with `platform`
 * set is taken as that engine's root even without the usual file names.
 */
export function findRoots(paths: string[], platform?: Platform): { roots: RootRef[]; errors: string[]; fragments: FragmentRef[] } {
  const roots: RootRef[] = [];
  const errors: string[] = [];
  const fragments: FragmentRef[] = [];
  const engines = platform ? ENGINES.filter((e) => e.platform === platform) : ENGINES;
  const seen = new Set<string>();
  const add = (r: RootRef) => {
    const key = `${r.platform}\0${r.path}`;
    if (!seen.has(key)) {
      seen.add(key);
      roots.push(r);
    }
  };
  for (const p of paths) {
    const abs = path.resolve(p);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch {
      errors.push(`${p}: no such file or directory`);
      continue;
    }
    if (stat.isFile()) {
      const claimed = engines.map((e) => e.claimFile(abs)).filter((r): r is RootRef => r !== null);
      if (claimed.length) {
        // A file that looks like a root may still be a part of a root above it (a routes.cfg with
        // its own request_route, included by kamailio.cfg): that root decides, when it reads it.
        const above = rootsAbove(abs, engines).filter((r) => claimed.some((c) => c.platform === r.platform && c.path !== r.path));
        if (above.length) fragments.push({ file: abs, given: path.relative(process.cwd(), abs) || p, candidates: above, forms: [], ownRoots: claimed });
        else claimed.forEach(add);
        continue;
      }
      const fragment = { file: abs, given: path.relative(process.cwd(), abs) || p, candidates: rootsAbove(abs, engines), forms: engines.filter((e) => e.isFragment(abs)).map((e) => e.platform) };
      if (fragment.candidates.length || fragment.forms.length) fragments.push(fragment);
      else errors.push(`${p}: not a configuration file pbxlint recognises${platform ? ` for ${platform}` : ''}${OPENSIPS_NOTE(abs)}`);
      continue;
    }
    const before = roots.length;
    walk(abs, 0, engines, add);
    if (roots.length === before) {
      // A directory of parts (FreeSWITCH's dialplan/, Kamailio's routes/): the root above it decides.
      const above = platform ? [] : rootsAbove(path.join(abs, '.'), engines).filter((r) => r.path !== abs);
      if (platform) add({ platform, path: abs });
      else if (above.length) fragments.push({ file: abs, given: path.relative(process.cwd(), abs) || p, candidates: above, forms: [], directory: true });
      else errors.push(`${p}: no Asterisk, Kamailio or FreeSWITCH configuration found${OPENSIPS_NOTE(abs)}`);
    }
  }
  return { roots, errors, fragments };
}

/**
 * A file named on the command line that is no root of its own: the roots of every engine found in
 * its directory and the directories above it (nearest first; up to the repository's top, the
 * directory holding .git, or outside a repository the working directory), which may include it,
 * and the engines whose fragment form it has.
 */
export interface FragmentRef {
  file: string;
  /** For messages: relative to the working directory. */
  given: string;
  candidates: RootRef[];
  forms: Platform[];
  /** The roots the file is by itself, taken when no candidate includes it. */
  ownRoots?: RootRef[];
  /** A directory: placed through the root that reads a file under it. */
  directory?: boolean;
}

const MAX_LEVELS_UP = 16;

/**
 * The roots of every engine in the directories from the file's up to the boundary. The boundary is
 * the repository's top (the nearest directory above holding .git) when there is one, else the
 * working directory: what lies above is not the user's project (a stray /tmp/q.cfg above a fragment
 * in /tmp/x/ is no root of it). Inside a repository the working directory does not stop the search,
 * so `cd conf/dialplan && pbxlint lint default.xml` still finds conf/freeswitch.xml.
 */
function rootsAbove(file: string, engines: Engine[]): RootRef[] {
  const out: RootRef[] = [];
  const start = path.dirname(file);
  const boundary = repositoryTop(start) ?? process.cwd();
  let dir = start;
  for (let level = 0; level < MAX_LEVELS_UP; level++) {
    let names: string[] = [];
    try {
      names = fs.readdirSync(dir);
    } catch {
      // unreadable: nothing here
    }
    for (const e of engines) for (const r of e.discover(dir, names).roots) if (r.path !== file) out.push(r);
    const up = path.dirname(dir);
    if (dir === boundary || up === dir) break;
    dir = up;
  }
  return out;
}

/** The nearest directory at or above `dir` holding .git (within MAX_LEVELS_UP), or undefined. */
function repositoryTop(dir: string): string | undefined {
  for (let level = 0; level < MAX_LEVELS_UP; level++) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
  return undefined;
}

/** Where a fragment goes: through a root that reads it (and the include that does), or on its own. */
export interface PlacedFragments {
  /** Roots that include one of the fragments, to lint (or route) through. */
  roots: RootRef[];
  /** Which root each included fragment goes through, to tell the user (`x.cfg is included by … (at kamailio.cfg:12)`). */
  notes: string[];
  /** Fragments no root includes, with the engine whose form they have: checked on their own for syntax. */
  alone: { fragment: FragmentRef; platform: Platform }[];
  /** Files no root includes and no engine reads on their own. */
  errors: string[];
}

/**
 * Loads each fragment's candidate roots, of every engine (nearest first), and keeps the first whose loaded files
 * include the fragment. `cache` holds the models loaded, by `platform\0path`, for the caller to reuse.
 */
export function placeFragments(fragments: FragmentRef[], options: LoadOptions, cache: Map<string, AnyModel>): PlacedFragments {
  const placed: PlacedFragments = { roots: [], notes: [], alone: [], errors: [] };
  for (const f of fragments) {
    let through: { root: RootRef; model: AnyModel } | undefined;
    for (const root of f.candidates) {
      const key = `${root.platform}\0${root.path}`;
      let model = cache.get(key);
      if (!model) {
        try {
          model = loadRoot(root, options);
        } catch {
          continue; // a loader bug: the root is linted (and the bug reported) if it is named itself
        }
        cache.set(key, model);
      }
      if (model.sources.some((s) => reads(s.file, f))) {
        through = { root, model };
        break;
      }
    }
    if (through) {
      const src = through.model.sources.find((s) => reads(s.file, f));
      const at = src?.includedFrom ? ` (at ${path.relative(process.cwd(), src.includedFrom.file)}:${src.includedFrom.line})` : '';
      placed.notes.push(`${f.given} ${f.directory ? 'holds files included by' : 'is included by'} the ${through.root.platform} configuration ${path.relative(process.cwd(), through.root.path) || '.'}${at}: checked through that root`);
      if (!placed.roots.some((r) => r.platform === through.root.platform && r.path === through.root.path)) placed.roots.push(through.root);
      continue;
    }
    if (f.ownRoots) {
      for (const r of f.ownRoots) if (!placed.roots.some((x) => x.platform === r.platform && x.path === r.path)) placed.roots.push(r);
      continue;
    }
    if (f.directory) {
      const above = f.candidates[0];
      placed.errors.push(`${f.given}: no Asterisk, Kamailio or FreeSWITCH configuration found, and the ${above.platform} configuration ${path.relative(process.cwd(), above.path) || '.'} above it reads nothing in it`);
      continue;
    }
    // Of the file's forms, those of an engine with a root above come first (nearest first): a file
    // both Asterisk and Kamailio could read is the form of the configuration around it. A root of
    // another engine above says nothing of the file's form: an Asterisk .inc under a directory
    // holding a stray Kamailio cfg is still checked as Asterisk.
    const withRoot = [...new Set(f.candidates.map((r) => r.platform))].filter((p) => f.forms.includes(p));
    const platforms = [...withRoot, ...f.forms.filter((p) => !withRoot.includes(p))];
    if (platforms.length === 0) {
      const above = f.candidates[0];
      placed.errors.push(`${f.given}: not read by the ${above.platform} configuration ${path.relative(process.cwd(), above.path) || '.'} above it, and not a configuration file pbxlint recognises`);
      continue;
    }
    placed.alone.push({ fragment: f, platform: platforms[0] });
  }
  return placed;
}

/** Whether a root's source file is the fragment (or, for a directory, under it). */
function reads(source: string, f: FragmentRef): boolean {
  const abs = path.resolve(source);
  return f.directory ? abs.startsWith(f.file + path.sep) : abs === f.file;
}

/** The syntax-only model of a fragment no root includes. */
export function loadFragment(platform: Platform, file: string, options: LoadOptions): ModelBase {
  const engine = engineFor(platform);
  if (!engine) throw new Error(`no engine for ${platform}`);
  return engine.loadFragment(file, options);
}

function walk(dir: string, depth: number, engines: Engine[], add: (r: RootRef) => void): void {
  if (depth > MAX_DISCOVERY_DEPTH) return;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  const names = entries.map((e) => e.name);
  let stop = false;
  for (const engine of engines) {
    const found = engine.discover(dir, names);
    found.roots.forEach(add);
    stop = stop || found.stopDescent;
  }
  if (stop) return;
  for (const e of entries) {
    if (e.isDirectory() && !SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) walk(path.join(dir, e.name), depth + 1, engines, add);
  }
}

/** Loads one root. Loaders do not throw on input; a throw here is a pbxlint bug, reported as a finding by the caller. */
export function loadRoot(root: RootRef, options: LoadOptions, cache?: Map<string, AnyModel>): AnyModel {
  const cached = cache?.get(`${root.platform}\0${root.path}`);
  if (cached) return cached;
  const engine = engineFor(root.platform);
  if (!engine) throw new Error(`no engine for ${root.platform}`);
  return engine.load(root, options) as AnyModel;
}

export function routeWith(model: AnyModel, request: RouteRequest): RouteAnswer {
  const engine = engineFor(model.platform);
  if (!engine) throw new Error(`no engine for ${model.platform}`);
  return engine.resolver.route(model, request);
}
