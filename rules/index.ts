/**
 * Every rule pbxlint has, in one list (the registry the CLI, the docs generator and the tests
 * read). The rules are listed by engine in ./registry.ts, where a new rule gets its line;
 * importing this module loads them all (the lint pipeline asks the registry for one engine's).
 */
import type { AnyRule } from '../src/rules/api';
import { RULE_LISTS } from './registry';

export const RULES: AnyRule[] = RULE_LISTS.flatMap((l) => l.rules());

export function ruleById(id: string): AnyRule | undefined {
  return RULES.find((r) => r.id === id);
}
