/**
 * Every rule pbxlint has, in one list (the registry the CLI, the docs generator and the tests
 * read). Adding a rule: one module beside this file, one line here, fixtures under fixtures/rules/<id>/.
 */
import type { AnyRule } from '../src/rules/api';

export const RULES: AnyRule[] = [];

export function ruleById(id: string): AnyRule | undefined {
  return RULES.find((r) => r.id === id);
}
