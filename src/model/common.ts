/**
 * The part of the model every engine fills in. Rules that work across engines query only this;
 * engine-specific rules use the engine's own model (asterisk.ts, kamailio.ts, freeswitch.ts), which
 * extends it.
 */
import type { LoadIssue, Platform } from '../core/findings';
import type { SourceLocation } from '../core/location';

/** A file that was read, and the directive that pulled it in. */
export interface ConfigSource {
  file: string;
  includedFrom?: SourceLocation;
}

/** A Request-URI host the server treats as its own, and the line that makes it so. */
export interface LocalDomain {
  name: string;
  origin: string;
  location?: SourceLocation;
}

/** What a call must find to reach an endpoint: an AOR with a contact, a registration, a static host. */
export interface Reachability {
  /** AOR names the endpoint points at, and whether each exists. */
  aors: { name: string; location: SourceLocation; exists: boolean }[];
  /** Contacts configured statically (pjsip `contact=`, sip.conf `host=` that is not dynamic). */
  staticContacts: string[];
  /** Whether the endpoint can register (pjsip AOR max_contacts > 0, sip.conf host=dynamic, directory user with password). */
  acceptsRegistration: boolean;
}

export type EndpointKind = 'pjsip-endpoint' | 'sip-peer' | 'directory-user' | 'gateway' | 'subscriber';

export interface Endpoint {
  name: string;
  kind: EndpointKind;
  location: SourceLocation;
  /** Where calls from this endpoint enter routing. */
  context?: { name: string; location: SourceLocation; defaulted: boolean };
  /** A provider/gateway that delivers calls from the public network (DIDs), as opposed to a phone. */
  isTrunk: boolean;
  /** Why pbxlint thinks it is a trunk (identify by IP, outbound registration, `type=peer` with a host…). */
  trunkEvidence?: string;
  reachability: Reachability;
}

/** A place where a call from outside enters routing: an endpoint's context, a profile's context, request_route. */
export interface EntryPoint {
  id: string;
  description: string;
  context: string;
  location: SourceLocation;
  endpoint?: string;
  trunk: boolean;
}

export interface ModelBase {
  platform: Platform;
  /** The configuration directory (Asterisk's astetcdir, FreeSWITCH's conf dir, kamailio.cfg's directory). */
  root: string;
  /** The main file the engine starts from, when there is one. */
  mainFile?: string;
  sources: ConfigSource[];
  issues: LoadIssue[];
  localDomains: LocalDomain[];
  /**
   * True when the engine routes INVITEs without looking at the Request-URI host (chan_pjsip and
   * sofia take only the user part), so no domain is "foreign" for routing purposes.
   */
  routesAnyDomain: boolean;
  endpoints: Endpoint[];
  entryPoints: EntryPoint[];
}
