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

/** Directories never searched for configuration. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist']);
const MAX_DISCOVERY_DEPTH = 32;

/**
 * Finds configuration roots under the given paths. A directory named explicitly with `platform`
 * set is taken as that engine's root even without the usual file names.
 */
export function findRoots(paths: string[], platform?: Platform): { roots: RootRef[]; errors: string[] } {
  const roots: RootRef[] = [];
  const errors: string[] = [];
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
      if (claimed.length === 0) errors.push(`${p}: not a configuration file pbxlint recognises${platform ? ` for ${platform}` : ''}`);
      claimed.forEach(add);
      continue;
    }
    const before = roots.length;
    walk(abs, 0, engines, add);
    if (roots.length === before) {
      if (platform) add({ platform, path: abs });
      else errors.push(`${p}: no Asterisk, Kamailio or FreeSWITCH configuration found`);
    }
  }
  return { roots, errors };
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
export function loadRoot(root: RootRef, options: LoadOptions): AnyModel {
  const engine = engineFor(root.platform);
  if (!engine) throw new Error(`no engine for ${root.platform}`);
  return engine.load(root, options) as AnyModel;
}

export function routeWith(model: AnyModel, request: RouteRequest): RouteAnswer {
  const engine = engineFor(model.platform);
  if (!engine) throw new Error(`no engine for ${model.platform}`);
  return engine.resolver.route(model, request);
}
