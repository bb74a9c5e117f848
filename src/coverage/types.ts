/**
 * `pbxlint coverage` (issue 14): the whole map of dialled strings of every entry point, as
 * classes with one outcome each. The JSON shape (CoverageReport) is a contract: extend only.
 *
 * How an engine plugs in: src/engines/<engine>.ts sets `coverage` (a CoverageEngine) on its
 * Engine; src/coverage/run.ts asks it for the entry points and partitions each one
 * (partition.ts) by running the engine's own resolver with an observer (RouteRequest.observe).
 */
import type { Platform } from '../core/findings';
import type { Dfa } from '../automata/dfa';
import type { RouteAnswer, RouteRequest, RouteTarget } from '../resolvers/types';

export type CoverageVerdict = 'routed' | 'rejected' | 'depends';

/** Where a class is decided: the winning extension's priority 1 (Asterisk), the deciding condition (FreeSWITCH), the deciding statement (Kamailio). */
export interface CoverageVia {
  file: string;
  line: number;
  context?: string;
  extension?: string;
}

export interface CoverageClass {
  /** Anchored ECMAScript regex matching exactly the class's strings (over the dialable alphabet, printable ASCII without space). */
  regex: string;
  /** The class in words: the engine's own pattern notation where one exists, number-format labels. */
  description: string;
  verdict: CoverageVerdict;
  /** The SIP status when rejected; null otherwise. */
  status: number | null;
  target: RouteTarget | null;
  /** What a `depends` class rests on (as route's outcomes say it). */
  conditions: string[];
  via: CoverageVia | null;
  /** A shortest member (smallest in dialable order): `pbxlint route <example>` with the same options gives this outcome. */
  example: string;
  /** Constructs met on this class's paths whose effect is not modelled (the class is then `depends`). */
  notModelled?: string[];
  /** Extension: the engine's pattern notation of the class, when the class is exactly one pattern's strings (`_1NXXNXXXXXX`). */
  pattern?: string;
  /** Extension: built-in number formats the class contains or meets ("10-digit", "+1NXXNXXXXXX (E.164)"). */
  formats?: string[];
  /** Extension: the outcomes of a `depends` class, each with its conditions. */
  outcomes?: { verdict: 'routed' | 'rejected'; status: number | null; target: RouteTarget | null; conditions: string[] }[];
}

/** A Request-URI host (and port) class, for the domain maps (Kamailio, FreeSWITCH, Asterisk). */
export interface DomainClass {
  regex: string;
  description: string;
  /** Whether requests to these hosts are handled as local. */
  local: boolean;
  verdict: CoverageVerdict;
  status: number | null;
  via: CoverageVia | null;
  example: string;
  conditions?: string[];
}

export interface CoverageEntryRef {
  /** 'endpoint' | 'peer' | 'context' (Asterisk), 'profile' | 'context' (FreeSWITCH), 'request_route' (Kamailio) … */
  kind: string;
  name: string;
  file: string;
  line: number;
  /** Extension: other entry points of the same kind with the same map (Asterisk endpoints landing in the same context the same way). */
  alsoFrom?: string[];
}

export interface EntryCoverage {
  entry: CoverageEntryRef;
  classes: CoverageClass[];
  domains?: DomainClass[];
  /** Extension: the request options this entry was simulated with, in words ("INVITE from endpoint trunk-a (context from-trunk)"). */
  request?: string;
  /** Extension: why the map is incomplete (class budget reached, automaton too large …); classes are still disjoint and covering. */
  notes?: string[];
}

export interface CoverageReport {
  platform: Platform;
  entries: EntryCoverage[];
}

/** One entry point to partition. */
export interface CoverageEntry {
  entry: CoverageEntryRef;
  /** The request every dialled string is simulated with (`user` is replaced by each string). */
  request: RouteRequest;
  /** The strings to partition; when absent the dialable strings (digits * # + and letters: partition.ts DIALABLE_UNIVERSE). */
  universe?: Dfa;
  /**
   * Strings worth simulating first (literal extensions): their cells are usually single strings,
   * removed from the rest all at once — 50,000 literal extensions are not 50,000 subtractions.
   */
  seeds?: () => Iterable<string>;
  /**
   * The context the entry's first lookup searches (Asterisk): a seed found there is the name
   * dialled into that context, whose answer other entries may reuse (PathObserver.literals).
   */
  lookupContext?: string;
  /** Domain map of this entry, when the engine computes one. */
  domains?: () => DomainClass[];
}

export interface CoverageOptions {
  /** The request options of the command line (context/endpoint/profile, caller, registration, time, domain). */
  base: RouteRequest;
  /** Longest dialled string considered (--max-length): the universe is cut to strings up to it. */
  maxLength?: number;
  /** Most cells one entry may have before the rest becomes one `depends` class (reported in notes). */
  maxClasses?: number;
  /** Tests: a reported cell that does not hold its string throws (CellInconsistency) instead of being noted. */
  strict?: boolean;
}

/** An engine's coverage: its entry points and how a class is described. Set as `Engine.coverage`. */
export interface CoverageEngine<M> {
  /**
   * The entry points: the one the options select (--context/--endpoint/--profile), or every one
   * found. Throws RouteUsageError for an unknown context/endpoint (exit code 2, as route).
   */
  entries(model: M, options: CoverageOptions): CoverageEntry[];
  /** Simulates one request: the engine's resolver, which reports its tests to `request.observe`. */
  route(model: M, request: RouteRequest): RouteAnswer;
  /**
   * The request of `request`'s caller dialling straight into `context` (its first lookup there),
   * for PathObserver.literals' sameAs; absent where an engine makes no such promise.
   */
  intoContext?(request: RouteRequest, context: string): RouteRequest;
  /** `via` of an answer (the deciding step), or null. */
  via(answer: RouteAnswer, request: RouteRequest): CoverageVia | null;
  /** The class in the engine's own notation when it has one (Asterisk: `_1NXXNXXXXXX`), else undefined. */
  notation?(model: M, language: Dfa): string | undefined;
  /** Internal extension lengths the configuration uses (for the number-format labels). */
  extensionLengths?(model: M): number[];
}
