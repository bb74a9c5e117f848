/**
 * Would a Dial() destination get a channel? chan_pjsip: the endpoint must exist and one of its
 * AORs must have a contact (static `contact=` or a registration), else "No URI available. Is
 * endpoint registered?" and the caller's cause becomes NO_ROUTE_DESTINATION (3). chan_sip: a
 * `host=dynamic` peer without a registration fails with SUBSCRIBER_ABSENT (20).
 */
import type { SourceLocation } from '../../core/location';
import type { AsteriskModel, PjsipAor } from '../../model/asterisk';
import { CAUSE } from './causes';

export type Reachability =
  | { state: 'reachable'; why: string; location?: SourceLocation }
  | { state: 'unreachable'; cause: number; why: string; location?: SourceLocation }
  | {
      state: 'registration';
      aors: string[];
      /** lengthsOf(aors), which isRegistered reads before the names themselves. */
      aorLengths: number;
      why: string;
      location?: SourceLocation;
      causeIfNot: number;
    };

/** Bit n set: some name is n characters long (bit 31: 31 or more). */
export function lengthsOf(names: readonly string[]): number {
  let bits = 0;
  for (const n of names) bits |= lengthBit(n.length);
  return bits;
}

function lengthBit(length: number): number {
  return 1 << (length < 31 ? length : 31);
}

/**
 * Whether `registered` (from --registered) covers an AOR or endpoint name; `user@domain` entries
 * count by user too. `lengths` (lengthsOf(names)) rules out entries no name is as long as: then
 * the names are not read at all (they lie elsewhere in memory, and a route query is mostly
 * waiting on memory).
 */
export function isRegistered(registered: string[], names: string[], lengths = lengthsOf(names)): boolean {
  for (const r of registered) {
    const at = r.indexOf('@');
    if ((lengths & (lengthBit(r.length) | (at >= 0 ? lengthBit(at) : 0))) === 0) continue;
    for (const n of names) {
      if (r.length === n.length ? r.toLowerCase() === n.toLowerCase() : at === n.length && r.slice(0, at).toLowerCase() === n.toLowerCase()) return true;
    }
  }
  return false;
}

/** Reachability depends only on the model: computed once per endpoint name. */
const pjsipCache = new WeakMap<AsteriskModel, Map<string, Reachability>>();

export function pjsipEndpointReachability(model: AsteriskModel, name: string): Reachability {
  let cache = pjsipCache.get(model);
  if (!cache) pjsipCache.set(model, (cache = new Map()));
  let r = cache.get(name);
  if (!r) {
    r = computePjsipReachability(model, name);
    // A name that is no endpoint costs one lookup to tell again: not remembered, as a broken
    // dialplan names tens of thousands (a Map entry each, and the Map's regrowth, for nothing).
    if (!(r instanceof MissingPjsipEndpoint)) cache.set(name, r);
  }
  return r;
}

/**
 * A Dial to an endpoint that does not exist. A broken dialplan names tens of thousands of them,
 * each kept by its finding: the reason is worded when read, not kept per name.
 */
class MissingPjsipEndpoint {
  readonly state = 'unreachable';
  readonly cause = CAUSE.NO_ROUTE_DESTINATION;
  readonly location = undefined;
  constructor(private readonly name: string) {}
  get why(): string {
    return missingPjsipEndpointWhy(this.name);
  }
}

/**
 * No PJSIP endpoint has the name: what pjsipEndpointReachability then answers is all known from
 * the name (cause NO_ROUTE_DESTINATION, missingPjsipEndpointWhy), and a caller with thousands of
 * such names can skip making that answer (computePjsipReachability's first test).
 */
export function isMissingPjsipEndpoint(model: AsteriskModel, name: string): boolean {
  return !model.pjsip.endpoints.has(name);
}

/** The reason of a Dial to a PJSIP endpoint that does not exist (chan_pjsip request(): endpoint not found). */
export function missingPjsipEndpointWhy(name: string): string {
  return `no PJSIP endpoint "${name}" (chan_pjsip: endpoint not found)`;
}

/**
 * pjsipEndpointReachability's answer when it is 'unreachable' (the Dial always fails), else null,
 * without making the answer for an endpoint a call can reach, or keeping any: a lint's Dial check
 * (rules/dial-endpoint-missing.ts) asks this of every endpoint a dialplan dials, and kept 10,000
 * answers (`why` texts and AOR lists, 2.7 MB) for a dialplan dialling 10,000 endpoints that can
 * register. Route simulations, which read the whole answer again and again, keep it
 * (pjsipEndpointReachability).
 */
export function pjsipEndpointUnreachable(model: AsteriskModel, name: string): UnreachableReachability | null {
  let cache = pjsipCache.get(model);
  let r = cache?.get(name);
  if (!r) {
    r = computePjsipReachability(model, name, true);
    if (r === CAN_BE_REACHED) return null;
    // An unreachable answer is the one pjsipEndpointReachability makes: kept as it keeps it, so
    // that the findings of many Dials to one such endpoint share it.
    if (!(r instanceof MissingPjsipEndpoint)) {
      if (!cache) pjsipCache.set(model, (cache = new Map()));
      cache.set(name, r);
    }
  }
  return r.state === 'unreachable' ? r : null;
}

type UnreachableReachability = Reachability & { state: 'unreachable' };

/** What computePjsipReachability answers, when asked for unreachable answers only, for every other. */
const CAN_BE_REACHED: Reachability = Object.freeze({ state: 'reachable', why: '' });

// Loops rather than filter/find/map with closures: this runs once per endpoint a Dial names
// (thousands in a big dialplan), cold.
function computePjsipReachability(model: AsteriskModel, name: string, unreachableOnly = false): Reachability {
  const ep = model.pjsip.endpoints.get(name);
  if (!ep) return new MissingPjsipEndpoint(name);
  if (ep.aors.length === 0) return { state: 'unreachable', cause: CAUSE.NO_ROUTE_DESTINATION, why: `endpoint ${name} has no aors= (no contact can exist)`, location: ep.location };
  const aorsByName = model.pjsip.aors;
  // The endpoint's AORs that exist, in order; the first with a static contact; those that can register.
  let firstExisting: PjsipAor | undefined;
  let registrable: string[] | undefined;
  for (let i = 0; i < ep.aors.length; i++) {
    const aor = aorsByName.get(ep.aors[i].value);
    if (!aor) continue;
    if (aor.contacts.length > 0) {
      if (unreachableOnly) return CAN_BE_REACHED;
      return { state: 'reachable', why: `AOR ${aor.id} has static contact ${aor.contacts[0].value}`, location: aor.contacts[0].location };
    }
    firstExisting ??= aor;
    if (aor.maxContacts > 0) {
      // One AOR that can register is all unreachableOnly needs to know.
      if (unreachableOnly) return CAN_BE_REACHED;
      (registrable ??= []).push(ep.aors[i].value);
    }
  }
  if (!firstExisting) return { state: 'unreachable', cause: CAUSE.NO_ROUTE_DESTINATION, why: `endpoint ${name} names AOR ${ep.aors.map((a) => a.value).join(', ')}, which does not exist`, location: ep.aors[0].location };
  if (!registrable) {
    return { state: 'unreachable', cause: CAUSE.NO_ROUTE_DESTINATION, why: `AOR ${firstExisting.id} has no contact= and max_contacts=0 (the default), so it can never register`, location: firstExisting.location };
  }
  const aors = [name].concat(registrable);
  return { state: 'registration', aors, aorLengths: lengthsOf(aors), why: `endpoint ${name} is reachable only while registered (AOR ${registrable.join(', ')})`, location: ep.location, causeIfNot: CAUSE.NO_ROUTE_DESTINATION };
}

export function sipPeerReachability(model: AsteriskModel, name: string): Reachability {
  const peer = model.sip.peers.get(name);
  if (!peer) {
    // chan_sip's create_addr() falls back to treating the name as a host.
    if (/[.:]/.test(name)) return { state: 'reachable', why: `"${name}" is not a peer; chan_sip sends to it as a host name` };
    return { state: 'unreachable', cause: CAUSE.SUBSCRIBER_ABSENT, why: `no SIP peer "${name}", and it is not a resolvable host name` };
  }
  const host = peer.host?.value.toLowerCase();
  if (!host) return { state: 'unreachable', cause: CAUSE.SUBSCRIBER_ABSENT, why: `peer ${name} has no host=`, location: peer.location };
  if (host !== 'dynamic') return { state: 'reachable', why: `peer ${name} has host=${peer.host!.value}`, location: peer.host!.location };
  return { state: 'registration', aors: [name], aorLengths: lengthBit(name.length), why: `peer ${name} is host=dynamic: reachable only while registered`, location: peer.host!.location, causeIfNot: CAUSE.SUBSCRIBER_ABSENT };
}
