/**
 * The configuration file: `.pbxlintrc.json`, `.pbxlintrc` (JSON) or the `pbxlint` key of
 * package.json, found from the working directory upwards (the nearest wins, as with ESLint's
 * legacy lookup); `--config FILE` names one. Validated against schemas/pbxlintrc.schema.json.
 * Discovery is plain fs; parsing and validation (yaml, ajv, every rule) load only when a file
 * exists.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Platform } from '../core/findings';
import type { LoadOptions } from '../engines/types';
import type { RuleSetting } from '../rules/runner';
import { ConfigError, readDocument, validateDocument, type ParsedDocument, type Problem } from './validate';

export { ConfigError, formatProblem } from './validate';

export const CONFIG_FILE_NAMES = ['.pbxlintrc.json', '.pbxlintrc'];

/** Options the trunk-number-format rule reads: `options.trunkFormats[endpointName]`. */
export const TRUNK_FORMAT_RULE = 'trunk-number-format';
export type TrunkFormat = 'e164' | 'national10' | 'national11' | 'any';

export interface ConfiguredRoot {
  path: string;
  platform?: Platform;
  load: LoadOptions;
}

export interface ResolvedConfig {
  file: string;
  dir: string;
  settings: Record<string, RuleSetting>;
  roots: ConfiguredRoot[];
  platform?: Platform;
  load: LoadOptions;
  registered?: string[];
  trunks: Record<string, TrunkFormat>;
  docsBaseUrl?: string;
}

interface RawConfig {
  rules?: Record<string, RuleSetting>;
  roots?: (string | { path: string; platform?: Platform; defines?: string[]; vars?: Record<string, string>; myself?: string[] })[];
  platform?: Platform;
  defines?: string[];
  vars?: Record<string, string>;
  myself?: string[];
  registered?: string[];
  trunks?: Record<string, TrunkFormat>;
  docsBaseUrl?: string;
}

function hasPbxlintKey(pkgFile: string): boolean {
  try {
    const data = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
    return data !== null && typeof data === 'object' && 'pbxlint' in data;
  } catch {
    return false;
  }
}

/** The nearest configuration file from `startDir` upwards, or undefined. */
export function findConfigFile(startDir: string): string | undefined {
  let dir = path.resolve(startDir);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const f = path.join(dir, name);
      if (fs.existsSync(f)) return f;
    }
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && hasPbxlintKey(pkg)) return pkg;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

function withPrefix(doc: ParsedDocument, prefix: (string | number)[]): ParsedDocument {
  return { file: doc.file, data: (doc.data as Record<string, unknown>)[prefix[0] as string], positionOf: (p) => doc.positionOf([...prefix, ...p]) };
}

/** Reads, validates and resolves a configuration file. Throws ConfigError with every problem found. */
export function loadConfig(file: string): ResolvedConfig {
  const abs = path.resolve(file);
  let doc = readDocument(abs);
  if (path.basename(abs) === 'package.json') doc = withPrefix(doc, ['pbxlint']);
  const problems: Problem[] = validateDocument(doc, 'pbxlintrc.schema.json');
  const { RULES, ruleById } = require('../../rules') as typeof import('../../rules');
  const raw = (doc.data ?? {}) as RawConfig;
  if (problems.length === 0) {
    for (const id of Object.keys(raw.rules ?? {})) {
      if (!ruleById(id)) {
        const near = RULES.map((r) => r.id).find((r) => editDistance(r, id) <= 2 || r.includes(id) || id.includes(r));
        problems.push({ file: abs, ...doc.positionOf(['rules', id]), field: `rules.${id}`, message: `unknown rule id "${id}"${near ? ` (did you mean "${near}"?)` : ''}; \`pbxlint rules\` lists them` });
      }
    }
  }
  if (problems.length) throw new ConfigError(problems);
  const dir = path.dirname(abs);
  const load: LoadOptions = { defines: raw.defines, vars: raw.vars, myself: raw.myself };
  const roots: ConfiguredRoot[] = (raw.roots ?? []).map((r) =>
    typeof r === 'string'
      ? { path: path.resolve(dir, r), load }
      : { path: path.resolve(dir, r.path), platform: r.platform, load: { defines: r.defines ?? raw.defines, vars: { ...raw.vars, ...r.vars }, myself: r.myself ?? raw.myself } },
  );
  const settings: Record<string, RuleSetting> = { ...(raw.rules ?? {}) };
  const trunks = raw.trunks ?? {};
  if (Object.keys(trunks).length) {
    const current = settings[TRUNK_FORMAT_RULE];
    const [sev, options] = Array.isArray(current) ? current : [current ?? ruleById(TRUNK_FORMAT_RULE)?.defaultSeverity ?? 'warning', {}];
    settings[TRUNK_FORMAT_RULE] = [sev, { ...options, trunkFormats: { ...((options as Record<string, unknown>).trunkFormats as object), ...trunks } }];
  }
  return { file: abs, dir, settings, roots, platform: raw.platform, load, registered: raw.registered, trunks, docsBaseUrl: raw.docsBaseUrl };
}

/** `--config F` if given, else the nearest file from `cwd`; undefined when there is none. */
export function resolveConfig(cwd: string, explicit?: string): ResolvedConfig | undefined {
  if (explicit) {
    const f = path.resolve(cwd, explicit);
    if (!fs.existsSync(f)) throw new ConfigError([{ file: f, line: 1, column: 1, field: '', message: 'no such file (given with --config)' }]);
    return loadConfig(f);
  }
  const found = findConfigFile(cwd);
  return found ? loadConfig(found) : undefined;
}

/** Levenshtein distance, for "did you mean" on a mistyped rule id. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
