import type { Platform } from '../core/findings';
import type { ModelFor } from '../model';
import type { Resolver } from '../resolvers/types';
import type { RouteGraph } from '../graph/types';
import type { CoverageEngine } from '../coverage/types';

/** A configuration root: the directory (or main file) one engine instance would load. */
export interface RootRef {
  platform: Platform;
  /** The configuration directory (Asterisk, FreeSWITCH) or the main file (Kamailio). */
  path: string;
}

/** Facts the configuration cannot tell by itself, given on the command line or in .pbxlintrc. */
export interface LoadOptions {
  /** Kamailio: names defined as with `kamailio -A NAME[=value]`. */
  defines?: string[];
  /** FreeSWITCH: pre-process variables (`local_ip_v4=10.0.0.5`) that vars.xml leaves to the runtime. */
  vars?: Record<string, string>;
  /** Kamailio: addresses the server will have at run time (`listen=0.0.0.0` leaves them unknown). */
  myself?: string[];
}

/** One engine: how to find its configuration, load it into the model, and simulate it. */
export interface Engine<P extends Platform = Platform> {
  platform: P;
  /** Configuration roots in a directory, given the names of its entries. `stopDescent`: its subdirectories belong to the root. */
  discover(dir: string, entries: string[]): { roots: RootRef[]; stopDescent: boolean };
  /** A file named on the command line: the root it belongs to, if it is this engine's. */
  claimFile(file: string): RootRef | null;
  /** Never throws on bad input: problems become `model.issues`. */
  load(root: RootRef, options: LoadOptions): ModelFor<P>;
  resolver: Resolver<ModelFor<P>>;
  /** Optional: the routing graph `pbxlint graph` draws (entries → contexts/routes → targets, failing paths marked). */
  graph?(model: ModelFor<P>): RouteGraph;
  /** Optional: `pbxlint coverage` — the entry points and how to partition them (src/coverage/types.ts). */
  coverage?: CoverageEngine<ModelFor<P>>;
}
