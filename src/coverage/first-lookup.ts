/**
 * Asterisk: the classes of an endpoint's coverage map that chan_pjsip / chan_sip decide before any
 * dialplan runs, projected on a set of strings without simulating one (see entryLookup). Kept
 * apart from coverage/asterisk.ts so that lint's rules load it without the map's machinery.
 */
import { accepts, difference, EMPTY, fromStrings, intersect, isEmpty, union, type Dfa } from '../automata/dfa';
import type { SourceLocation } from '../core/location';
import type { AsteriskModel } from '../model/asterisk';
import { entryOfEndpoint } from '../resolvers/asterisk';
import { foundWithin } from '../resolvers/asterisk/lookup-cells';

/**
 * The first lookup of an endpoint's map, projected on `within` without simulating a string:
 * chan_pjsip's / chan_sip's get_destination() (res/res_pjsip_session.c; chan_sip.c
 * get_destination) — the pickup extension is routed; ast_exists_extension(context, exten, 1)
 * sends the call into the dialplan; else, with overlap dialling, ast_canmatch_extension (or a
 * prefix of the pickup extension) gives 484; else 404. These are the classes of coverage's map
 * decided before any dialplan runs (the resolver reports the same 'found' cells,
 * lookup-cells.ts, which foundWithin restricts to `within`): `notFound` and `incomplete` hold
 * for every caller; `callerDependent` are strings only a caller-ID match has (their outcome
 * depends on the caller); `enters` go on into the dialplan. Used where the whole map is too
 * costly: lint's number-format rule (rules/trunk-number-format.ts) on a context of 50,000 DIDs.
 * `within` must hold neither `_`-first strings nor the empty string (the `s` lookup) nor `;`.
 * undefined: no such endpoint; `notModelled`: a reachable context has a switch (a string may
 * exist through it), and nothing is said to be 404.
 */
export interface EntryLookup {
  context: string;
  /** Where a 404/484 of this lookup is decided (the context's first line), when the context exists. */
  location?: SourceLocation;
  /** Some string of `within` goes on into the dialplan (for every caller): answered without building `enters`. */
  entersSome: boolean;
  /** The classes, built when read (a format less 50,000 literal DIDs costs a minimisation). */
  readonly notFound: Dfa;
  readonly incomplete: Dfa;
  readonly callerDependent: Dfa;
  readonly enters: Dfa;
  notModelled?: string;
}

export function entryLookup(model: AsteriskModel, endpoint: string, within: Dfa): EntryLookup | undefined {
  const entry = entryOfEndpoint(model, endpoint);
  if (!entry) return undefined;
  const location = model.dialplan.contexts.get(entry.context)?.locations[0];
  if (model.dialplan.loadFailure) return { context: entry.context, location, entersSome: false, notFound: within, incomplete: EMPTY, callerDependent: EMPTY, enters: EMPTY };
  const pickup = accepts(within, entry.pickupexten) ? fromStrings([entry.pickupexten]) : EMPTY;
  const dialled = minus(within, pickup);
  const found = foundWithin(model, entry.context, 'match', dialled);
  let classes: { notFound: Dfa; incomplete: Dfa; callerDependent: Dfa; enters: Dfa } | undefined;
  const build = () => {
    if (classes) return classes;
    const enters = plus(found.every, pickup);
    let rest = minus(minus(dialled, found.every), found.some);
    let incomplete = EMPTY;
    let callerDependent = found.some;
    if (entry.allowOverlap && !isEmpty(rest)) {
      const pickupPrefixes = fromStrings(Array.from({ length: entry.pickupexten.length }, (_, i) => entry.pickupexten.slice(0, i + 1)));
      const can = foundWithin(model, entry.context, 'canmatch', rest);
      incomplete = plus(can.every, intersect(rest, pickupPrefixes));
      callerDependent = plus(callerDependent, minus(can.some, pickupPrefixes));
      rest = minus(minus(rest, incomplete), can.some);
    }
    // With a switch a string no extension has may exist through it: nothing is said to be 404 or 484.
    if (found.switches) return (classes = { notFound: EMPTY, incomplete: EMPTY, callerDependent: plus(callerDependent, plus(rest, incomplete)), enters });
    return (classes = { notFound: rest, incomplete, callerDependent, enters });
  };
  return {
    context: entry.context,
    location,
    entersSome: found.anyEvery || !isEmpty(pickup),
    get notFound() {
      return build().notFound;
    },
    get incomplete() {
      return build().incomplete;
    },
    get callerDependent() {
      return build().callerDependent;
    },
    get enters() {
      return build().enters;
    },
    ...(found.switches ? { notModelled: `a context [${entry.context}] searches has a switch: a number may exist through it (decided at run time)` } : {}),
  };
}

/**
 * a \ b and a ∪ b, skipping the operation when a side is empty: a format less 50,000 literal
 * DIDs is an automaton whose every product costs a minimisation.
 */
function minus(a: Dfa, b: Dfa): Dfa {
  return isEmpty(a) || isEmpty(b) ? a : difference(a, b);
}

function plus(a: Dfa, b: Dfa): Dfa {
  return isEmpty(b) ? a : isEmpty(a) ? b : union(a, b);
}
