/**
 * Every rule pbxlint has, in one list (the registry the CLI, the docs generator and the tests
 * read). Adding a rule: one module beside this file, one line here, fixtures under fixtures/rules/<id>/.
 */
import type { AnyRule } from '../src/rules/api';
import aorCannotRegister from './aor-cannot-register';
import dialEndpointMissing from './dial-endpoint-missing';
import duplicatePriority from './duplicate-priority';
import endpointContextMissing from './endpoint-context-missing';
import execDirective from './exec-directive';
import gotoTargetMissing from './goto-target-missing';
import includeCycle from './include-cycle';
import includeMissingContext from './include-missing-context';
import missingPriority1 from './missing-priority-1';
import notModelled from './not-modelled';
import parseError from './parse-error';
import trunkNumberFormat from './trunk-number-format';
import unreachablePattern from './unreachable-pattern';
import unknownApplication from './unknown-application';
import freeswitchProfileContextMissing from './freeswitch-profile-context-missing';
import freeswitchTransferTargetMissing from './freeswitch-transfer-target-missing';
import freeswitchBridgeUserMissing from './freeswitch-bridge-user-missing';
import freeswitchDirectoryUserUnreachable from './freeswitch-directory-user-unreachable';
import freeswitchNumberAliasUnrouted from './freeswitch-number-alias-unrouted';
import freeswitchDidFormatMismatch from './freeswitch-did-format-mismatch';
import freeswitchProfileDomainNotInDirectory from './freeswitch-profile-domain-not-in-directory';
import freeswitchInvalidRegex from './freeswitch-invalid-regex';
import unusedSuppression from './unused-suppression';
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
  // every engine
  parseError,
  execDirective,
  notModelled,
  unusedSuppression,
  // Asterisk
  endpointContextMissing,
  includeMissingContext,
  includeCycle,
  gotoTargetMissing,
  dialEndpointMissing,
  aorCannotRegister,
  duplicatePriority,
  missingPriority1,
  unreachablePattern,
  trunkNumberFormat,
  unknownApplication,
  // FreeSWITCH
  freeswitchProfileContextMissing,
  freeswitchTransferTargetMissing,
  freeswitchBridgeUserMissing,
  freeswitchDirectoryUserUnreachable,
  freeswitchNumberAliasUnrouted,
  freeswitchDidFormatMismatch,
  freeswitchProfileDomainNotInDirectory,
  freeswitchInvalidRegex,
  // Kamailio
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
