/**
 * Every rule pbxlint has, in one list (the registry the CLI, the docs generator and the tests
 * read). Adding a rule: one module beside this file, one line here, fixtures under fixtures/rules/<id>/.
 */
import type { AnyRule } from '../src/rules/api';
import fsProfileContextMissing from './fs-profile-context-missing';
import fsTransferTargetMissing from './fs-transfer-target-missing';
import fsBridgeUserMissing from './fs-bridge-user-missing';
import fsDirectoryUserUnreachable from './fs-directory-user-unreachable';
import fsNumberAliasUnrouted from './fs-number-alias-unrouted';
import fsDidFormatMismatch from './fs-did-format-mismatch';
import fsProfileDomainNotInDirectory from './fs-profile-domain-not-in-directory';
import fsInvalidRegex from './fs-invalid-regex';

export const RULES: AnyRule[] = [
  // FreeSWITCH
  fsProfileContextMissing,
  fsTransferTargetMissing,
  fsBridgeUserMissing,
  fsDirectoryUserUnreachable,
  fsNumberAliasUnrouted,
  fsDidFormatMismatch,
  fsProfileDomainNotInDirectory,
  fsInvalidRegex,
];

export function ruleById(id: string): AnyRule | undefined {
  return RULES.find((r) => r.id === id);
}
