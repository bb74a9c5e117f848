/**
 * Every rule pbxlint has, in one list (the registry the CLI, the docs generator and the tests
 * read). Adding a rule: one module beside this file, one line here, fixtures under fixtures/rules/<id>/.
 */
import type { AnyRule } from '../src/rules/api';
import kamailioDomainNotLocal from './kamailio-domain-not-local';
import kamailioE164Rejected from './kamailio-e164-rejected';
import kamailioFunctionModuleNotLoaded from './kamailio-function-module-not-loaded';
import kamailioModparamModuleNotLoaded from './kamailio-modparam-module-not-loaded';
import kamailioOpenRelay from './kamailio-open-relay';
import kamailioUndefinedRoute from './kamailio-undefined-route';
import kamailioUnreachableStatement from './kamailio-unreachable-statement';
import kamailioUnregistered404 from './kamailio-unregistered-404';
import kamailioUnusedRoute from './kamailio-unused-route';

export const RULES: AnyRule[] = [
  kamailioUnregistered404,
  kamailioOpenRelay,
  kamailioDomainNotLocal,
  kamailioUndefinedRoute,
  kamailioUnusedRoute,
  kamailioUnreachableStatement,
  kamailioE164Rejected,
  kamailioFunctionModuleNotLoaded,
  kamailioModparamModuleNotLoaded,
];

export function ruleById(id: string): AnyRule | undefined {
  return RULES.find((r) => r.id === id);
}
