/**
 * Shared helpers for rule tests: run one rule (or all) on a fixture directory and get its findings.
 * Convention: fixtures/rules/<rule-id>/fires/… must produce at least one finding of that rule;
 * fixtures/rules/<rule-id>/clean/… must produce none.
 */
import * as path from 'path';
import * as fs from 'fs';
import type { Finding, Platform } from '../../src/core/findings';
import { lintPaths, type LintOptions } from '../../src/lint';
import { RULES, ruleById } from '../../rules';
import { plainFinding } from '../../src/rules/deferred';

export const FIXTURES = path.resolve(__dirname, '../../fixtures');
export const CORPUS = path.resolve(__dirname, '../../../shared/corpus');

export function fixture(...parts: string[]): string {
  return path.join(FIXTURES, ...parts);
}

/** Findings of `ruleId` only, with file paths relative to the fixture dir. */
export function findingsOf(ruleId: string, dir: string, options: LintOptions = {}): Finding[] {
  const rule = ruleById(ruleId);
  if (!rule) throw new Error(`unknown rule ${ruleId}`);
  const result = lintPaths([dir], { ...options, rules: [rule] });
  return result.findings.filter((f) => f.ruleId === ruleId).map((f) => ({ ...plainFinding(f), file: path.relative(dir, f.file) }));
}

/** Every finding of every rule. */
export function allFindings(dir: string, options: LintOptions = {}): Finding[] {
  return lintPaths([dir], { ...options, rules: RULES }).findings.map((f) => ({ ...plainFinding(f), file: path.relative(dir, f.file) }));
}

/** Skips (with a printed note) when ../shared/corpus is absent, as on a user's fresh clone. */
export function corpusOrSkip(sub: string): string | null {
  const dir = path.join(CORPUS, sub);
  if (!fs.existsSync(dir)) {
    console.log(`note: ${dir} is absent (fresh clone without ../shared); corpus test skipped`);
    return null;
  }
  return dir;
}

export type { Platform };
