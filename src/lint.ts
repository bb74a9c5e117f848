/** The lint pipeline as a library call: find roots → load models → run rules. */
import type { Finding, Platform } from './core/findings';
import { findRoots, loadRoot, type LoadOptions, type RootRef } from './engines';
import type { AnyModel } from './model';
import { RULES } from '../rules';
import type { AnyRule } from './rules/api';
import { runRules, sortFindings, type RuleSetting } from './rules/runner';

export interface LintOptions extends LoadOptions {
  platform?: Platform;
  rules?: AnyRule[];
  settings?: Record<string, RuleSetting>;
}

export interface LintResult {
  findings: Finding[];
  roots: RootRef[];
  models: AnyModel[];
  /** Files read across all roots. */
  files: number;
  /** Paths that could not be used (missing, no configuration found). */
  errors: string[];
}

export function lintPaths(paths: string[], options: LintOptions = {}): LintResult {
  const { roots, errors } = findRoots(paths, options.platform);
  const findings: Finding[] = [];
  const models: AnyModel[] = [];
  let files = 0;
  for (const root of roots) {
    let model: AnyModel;
    try {
      model = loadRoot(root, options);
    } catch (e) {
      findings.push({ ruleId: 'internal-error', severity: 'error', file: root.path, line: 1, column: 1, platform: root.platform, message: `loading failed: ${(e as Error).message}. This is a pbxlint bug; other roots were still checked.` });
      continue;
    }
    models.push(model);
    files += model.sources.length;
    findings.push(...runRules(model, options.rules ?? RULES, options.settings));
  }
  return { findings: sortFindings(findings), roots, models, files, errors };
}
