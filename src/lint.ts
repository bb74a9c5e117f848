/** The lint pipeline as a library call: find roots → load models → run rules. */
import type { Finding, Platform } from './core/findings';
import { findRoots, loadRoot, type LoadOptions, type RootRef } from './engines';
import type { AnyModel } from './model';
import { rulesFor } from '../rules/registry';
import type { AnyRule } from './rules/api';
import { normalizeSeverity, runRules, sortFindings, type RuleSetting } from './rules/runner';
import { applySuppressions, UNUSED_SUPPRESSION } from './suppressions';

export interface LintOptions extends LoadOptions {
  platform?: Platform;
  rules?: AnyRule[];
  settings?: Record<string, RuleSetting>;
  /** Honour `pbxlint-disable-…` comments (default true). */
  suppressions?: boolean;
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
    const r = lintRoot(root, options);
    for (const f of r.findings) findings.push(f); // not push(...): a root may have more findings than a call takes arguments
    if (r.model) models.push(r.model);
    files += r.files;
  }
  return { findings: sortFindings(findings), roots, models, files, errors };
}

/**
 * One root: load, run the rules, apply suppressions. Never throws: a loader that fails is a
 * pbxlint bug, reported as an `internal-error` finding (the other roots are still checked).
 */
export function lintRoot(root: RootRef, options: LintOptions = {}): { findings: Finding[]; model?: AnyModel; files: number } {
  let model: AnyModel;
  try {
    model = loadRoot(root, options);
  } catch (e) {
    return { findings: [{ ruleId: 'internal-error', severity: 'error', file: root.path, line: 1, column: 1, platform: root.platform, message: `loading failed: ${(e as Error).message}. This is a pbxlint bug; other roots were still checked.` }], files: 0 };
  }
  // Only this engine's rules are loaded (a lint of Asterisk loads no Kamailio or FreeSWITCH code).
  const rules = options.rules ?? rulesFor(model.platform);
  const found = runRules(model, rules, options.settings);
  return { findings: options.suppressions === false ? found : suppress(model, found, rules, options.settings ?? {}), model, files: model.sources.length };
}

let ruleIds: Set<string> | undefined;
function allRuleIds(): Set<string> {
  return (ruleIds ??= new Set((require('../rules') as typeof import('../rules')).RULES.map((r) => r.id)));
}

/** Severity a rule runs with under `settings`, or 'off'. */
function effectiveSeverity(rule: AnyRule, settings: Record<string, RuleSetting>) {
  const setting = settings[rule.id];
  const sev = Array.isArray(setting) ? setting[0] : setting;
  return sev === undefined ? rule.defaultSeverity : normalizeSeverity(sev);
}

function suppress(model: AnyModel, findings: Finding[], rules: AnyRule[], settings: Record<string, RuleSetting>): Finding[] {
  const applicable = rules.filter((r) => r.platforms.includes(model.platform));
  const unusedRule = applicable.find((r) => r.id === UNUSED_SUPPRESSION);
  return applySuppressions(findings, {
    platform: model.platform,
    files: model.sources.map((s) => s.file),
    activeRules: new Set(applicable.filter((r) => effectiveSeverity(r, settings) !== 'off').map((r) => r.id)),
    unusedSeverity: unusedRule ? effectiveSeverity(unusedRule, settings) : 'off',
    // Asked only about rule ids that directives name, so every rule loads only if there are some.
    knownRules: { has: (id) => allRuleIds().has(id) },
  });
}
