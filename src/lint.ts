/** The lint pipeline as a library call: find roots → load models → run rules. */
import * as path from 'path';
import type { Finding, Platform } from './core/findings';
import { findRoots, loadFragment, loadRoot, placeFragments, type LoadOptions, type RootRef } from './engines';
import type { ModelBase } from './model/common';
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
  /** How named files that are no roots were checked (through the root that includes them, or alone). */
  notes: string[];
}

/** What a lint run covers before any rule runs: the roots, and the findings of fragments checked alone. */
export interface LintPlan {
  roots: RootRef[];
  errors: string[];
  notes: string[];
  /** Findings of named files no root includes, checked on their own for syntax. */
  fragmentFindings: Finding[];
  /** Files those fragments read. */
  files: number;
  /** Models loaded while placing fragments, reused when their roots are linted. */
  cache: Map<string, AnyModel>;
}

/**
 * Finds the roots under `paths`; a named file that a root includes is placed in that root (with a
 * note), and one no root includes is checked alone for syntax (engine-independent rules only).
 */
export function planLint(paths: string[], options: LintOptions = {}): LintPlan {
  const found = findRoots(paths, options.platform);
  const roots = [...found.roots];
  const cache = new Map<string, AnyModel>();
  const placed = placeFragments(found.fragments, options, cache);
  for (const r of placed.roots) if (!roots.some((x) => x.platform === r.platform && x.path === r.path)) roots.push(r);
  const errors = [...found.errors, ...placed.errors];
  const fragmentFindings: Finding[] = [];
  let files = 0;
  const notes = [...placed.notes];
  for (const { fragment, platform } of placed.alone) {
    const above = fragment.candidates.find((r) => r.platform === platform);
    const why = above ? `the ${platform} configuration ${path.relative(process.cwd(), above.path) || '.'} above it does not include it` : `no ${platform} configuration that includes it was found in the given paths or the directories above (up to the repository's top, or the working directory outside a repository: name the configuration to check the file through it)`;
    notes.push(`${fragment.given}: ${why}; its syntax was checked on its own (what it routes is not)`);
    // Only the engine-independent rules (syntax, exec, not-modelled, suppressions): nothing here routes.
    let model: ModelBase;
    try {
      model = loadFragment(platform, fragment.file, options);
    } catch (e) {
      fragmentFindings.push({ ruleId: 'internal-error', severity: 'error', file: fragment.file, line: 1, column: 1, platform, message: `loading failed: ${(e as Error).message}. This is a pbxlint bug; other roots were still checked.` });
      continue;
    }
    files += model.sources.length;
    const rules = (options.rules ?? rulesFor(platform)).filter((r) => ENGINE_INDEPENDENT.has(r.id));
    const asAny = model as AnyModel;
    const ruleFindings = runRules(asAny, rules, options.settings);
    for (const f of options.suppressions === false ? ruleFindings : suppress(asAny, ruleFindings, rules, options.settings ?? {})) fragmentFindings.push(f);
  }
  return { roots, errors, notes, fragmentFindings, files, cache };
}

export function lintPaths(paths: string[], options: LintOptions = {}): LintResult {
  const plan = planLint(paths, options);
  const findings: Finding[] = [...plan.fragmentFindings];
  const models: AnyModel[] = [];
  let files = plan.files;
  for (const root of plan.roots) {
    const r = lintRoot(root, options, plan.cache);
    for (const f of r.findings) findings.push(f); // not push(...): a root may have more findings than a call takes arguments
    if (r.model) models.push(r.model);
    files += r.files;
  }
  return { findings: sortFindings(findings), roots: plan.roots, models, files, errors: plan.errors, notes: plan.notes };
}

/** Rules that read only what every model has (its files and load issues): the ones a fragment alone gets. */
const ENGINE_INDEPENDENT = new Set(['parse-error', 'exec-directive', 'not-modelled', 'unused-suppression', 'include-file-missing']);

/**
 * One root: load, run the rules, apply suppressions. Never throws: a loader that fails is a
 * pbxlint bug, reported as an `internal-error` finding (the other roots are still checked).
 * `cache`: models already loaded (while placing fragments), keyed as placeFragments keys them.
 */
export function lintRoot(root: RootRef, options: LintOptions = {}, cache?: Map<string, AnyModel>): { findings: Finding[]; model?: AnyModel; files: number } {
  let model: AnyModel;
  try {
    model = loadRoot(root, options, cache);
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
