/** Model queries the FreeSWITCH rules share: entry contexts, every action, values expanded from globals only. */
import type { SourceLocation } from '../../core/location';
import type { DialplanAction, DialplanCondition, DialplanContext, DialplanExtension, FreeswitchModel, SofiaProfile } from '../../model/freeswitch';
import { expandVariables, isUnknown, unknown } from './expand';

export interface ActionRef {
  action: DialplanAction;
  condition: DialplanCondition;
  extension: DialplanExtension;
  context: DialplanContext;
}

export function* allActions(model: FreeswitchModel): Generator<ActionRef> {
  for (const context of model.dialplan.contexts) {
    for (const extension of context.extensions) {
      const walk = function* (conds: DialplanCondition[]): Generator<ActionRef> {
        for (const condition of conds) {
          for (const action of [...condition.actions, ...condition.antiActions]) yield { action, condition, extension, context };
          yield* walk(condition.conditions);
        }
      };
      yield* walk(extension.conditions);
    }
  }
}

export function* allConditions(model: FreeswitchModel): Generator<{ condition: DialplanCondition; extension: DialplanExtension; context: DialplanContext }> {
  for (const context of model.dialplan.contexts) {
    for (const extension of context.extensions) {
      const walk = function* (conds: DialplanCondition[]): Generator<{ condition: DialplanCondition; extension: DialplanExtension; context: DialplanContext }> {
        for (const condition of conds) {
          yield { condition, extension, context };
          yield* walk(condition.conditions);
        }
      };
      yield* walk(extension.conditions);
    }
  }
}

/**
 * A value as far as the configuration alone decides it: global variables (pre-processor `set`)
 * expanded; channel variables, API calls and `$N` captures left unknown.
 */
export function staticValue(model: FreeswitchModel, text: string): string | null {
  if (/\$\{?\d/.test(text.replace(/\$\$\{[^}]*\}/g, ''))) return null;
  const v = expandVariables(text, (name) => model.vars.get(name)?.value ?? unknown(name), model);
  return isUnknown(v) ? null : v;
}

/** Contexts calls enter: each profile's `context`, each directory user's `user_context`; with where each is set. */
export function entryContexts(model: FreeswitchModel): { context: string; location: SourceLocation; profile?: SofiaProfile; user?: string }[] {
  const out: { context: string; location: SourceLocation; profile?: SofiaProfile; user?: string }[] = [];
  for (const p of model.profiles) {
    if (p.context && p.context.value !== '_domain_') out.push({ context: p.context.value, location: p.context.location, profile: p });
    for (const acl of p.inboundAcls) {
      for (const c of [acl.passContext, acl.failContext]) if (c) out.push({ context: c, location: acl.location, profile: p });
    }
    for (const g of p.gateways) {
      const gc = g.params.get('context');
      if (gc && !gc.value.includes('$')) out.push({ context: gc.value, location: gc.location, profile: p });
    }
  }
  for (const d of model.directory.domains) {
    for (const u of d.users) {
      const uc = u.variables.get('user_context');
      if (uc && !u.pointer) out.push({ context: uc.value, location: uc.location, user: `${u.id}@${d.name}` });
    }
  }
  return out;
}

/** The column where an attribute's value starts, from the attribute's own location (`name="`). */
export function valueColumn(location: SourceLocation, attribute: string): SourceLocation {
  return { ...location, column: location.column + attribute.length + 2 };
}
