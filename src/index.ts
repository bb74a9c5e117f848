/** Library entry point: the same pipeline the CLI runs. */
export { lintPaths } from './lint';
export type { LintOptions, LintResult } from './lint';
export { routeCommand } from './route';
export { findRoots, loadRoot, routeWith, ENGINES } from './engines';
export type * from './model';
export type * from './resolvers/types';
export type { Finding, LoadIssue, Platform, Severity } from './core/findings';
export { RULES } from '../rules';
export { plainFinding } from './rules/deferred';
