/**
 * Every rule pbxlint has, listed by engine. Adding a rule: one module beside this file, one line
 * in its engine's list here, fixtures under fixtures/rules/<id>/. ./index.ts makes RULES of them.
 *
 * A list's modules are required when the list is first asked for: the lint pipeline asks only for
 * the rules of the engines whose configuration it found (rulesFor), so a lint of Asterisk loads
 * neither the Kamailio and FreeSWITCH rules nor the resolver code they import.
 */
import type { Platform } from '../src/core/findings';
import type { AnyRule } from '../src/rules/api';

interface RuleList {
  /** The engines the list's rules run on ('every': all of them). */
  engine: Platform | 'every';
  rules: () => AnyRule[];
}

/** In registry order: the engine-generic rules, then Asterisk, FreeSWITCH and Kamailio. */
export const RULE_LISTS: RuleList[] = [
  { engine: 'every', rules: () => [
    (require('./parse-error') as typeof import('./parse-error')).default,
    (require('./exec-directive') as typeof import('./exec-directive')).default,
    (require('./not-modelled') as typeof import('./not-modelled')).default,
    (require('./unused-suppression') as typeof import('./unused-suppression')).default,
  ] },
  { engine: 'asterisk', rules: () => [
    (require('./endpoint-context-missing') as typeof import('./endpoint-context-missing')).default,
    (require('./include-missing-context') as typeof import('./include-missing-context')).default,
    (require('./include-cycle') as typeof import('./include-cycle')).default,
    (require('./include-file-missing') as typeof import('./include-file-missing')).default,
    (require('./goto-target-missing') as typeof import('./goto-target-missing')).default,
    (require('./dial-endpoint-missing') as typeof import('./dial-endpoint-missing')).default,
    (require('./aor-cannot-register') as typeof import('./aor-cannot-register')).default,
    (require('./duplicate-priority') as typeof import('./duplicate-priority')).default,
    (require('./missing-priority-1') as typeof import('./missing-priority-1')).default,
    (require('./unreachable-pattern') as typeof import('./unreachable-pattern')).default,
    (require('./trunk-number-format') as typeof import('./trunk-number-format')).default,
    (require('./unknown-application') as typeof import('./unknown-application')).default,
  ] },
  { engine: 'freeswitch', rules: () => [
    (require('./freeswitch-profile-context-missing') as typeof import('./freeswitch-profile-context-missing')).default,
    (require('./freeswitch-transfer-target-missing') as typeof import('./freeswitch-transfer-target-missing')).default,
    (require('./freeswitch-bridge-user-missing') as typeof import('./freeswitch-bridge-user-missing')).default,
    (require('./freeswitch-directory-user-unreachable') as typeof import('./freeswitch-directory-user-unreachable')).default,
    (require('./freeswitch-number-alias-unrouted') as typeof import('./freeswitch-number-alias-unrouted')).default,
    (require('./freeswitch-did-format-mismatch') as typeof import('./freeswitch-did-format-mismatch')).default,
    (require('./freeswitch-profile-domain-not-in-directory') as typeof import('./freeswitch-profile-domain-not-in-directory')).default,
    (require('./freeswitch-invalid-regex') as typeof import('./freeswitch-invalid-regex')).default,
  ] },
  { engine: 'kamailio', rules: () => [
    (require('./kamailio-unregistered-404') as typeof import('./kamailio-unregistered-404')).default,
    (require('./kamailio-open-relay') as typeof import('./kamailio-open-relay')).default,
    (require('./kamailio-domain-not-local') as typeof import('./kamailio-domain-not-local')).default,
    (require('./kamailio-undefined-route') as typeof import('./kamailio-undefined-route')).default,
    (require('./kamailio-unused-route') as typeof import('./kamailio-unused-route')).default,
    (require('./kamailio-unreachable-statement') as typeof import('./kamailio-unreachable-statement')).default,
    (require('./kamailio-e164-rejected') as typeof import('./kamailio-e164-rejected')).default,
    (require('./kamailio-function-module-not-loaded') as typeof import('./kamailio-function-module-not-loaded')).default,
    (require('./kamailio-modparam-module-not-loaded') as typeof import('./kamailio-modparam-module-not-loaded')).default,
    (require('./kamailio-alias-quoted-port') as typeof import('./kamailio-alias-quoted-port')).default,
  ] },
];

/** The rules that run on one engine's models, in registry order: RULES filtered by platform, without loading the other engines' rules. */
export function rulesFor(platform: Platform): AnyRule[] {
  return RULE_LISTS.filter((l) => l.engine === 'every' || l.engine === platform)
    .flatMap((l) => l.rules())
    .filter((r) => r.platforms.includes(platform));
}
