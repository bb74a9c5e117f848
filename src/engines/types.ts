import type { Platform } from '../core/findings';
import type { ModelFor } from '../model';
import type { ModelBase } from '../model/common';
import type { Resolver } from '../resolvers/types';
import type { RouteGraph } from '../graph/types';
import type { CoverageEngine } from '../coverage/types';

/** A configuration root: the directory (or main file) one engine instance would load. */
export interface RootRef {
  platform: Platform;
  /** The configuration directory (Asterisk, FreeSWITCH) or the main file (Kamailio). */
  path: string;
  /** Asterisk: the files are named `<name><suffix>` (`.sample`: the sources `make samples` installs). */
  suffix?: string;
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
  /**
   * Whether a file that is no root of its own has the form of a part of this engine's
   * configuration (an included fragment), to be checked on its own for syntax when no root that
   * includes it is found.
   */
  isFragment(file: string): boolean;
  /** The fragment's syntax alone (the engine-independent rules run on it). Never throws on bad input. */
  loadFragment(file: string, options: LoadOptions): ModelBase;
  /** Never throws on bad input: problems become `model.issues`. */
  load(root: RootRef, options: LoadOptions): ModelFor<P>;
  resolver: Resolver<ModelFor<P>>;
  /** Optional: the routing graph `pbxlint graph` draws (entries → contexts/routes → targets, failing paths marked). */
  graph?(model: ModelFor<P>): RouteGraph;
  /** Optional: `pbxlint coverage` — the entry points and how to partition them (src/coverage/types.ts). */
  coverage?: CoverageEngine<ModelFor<P>>;
}
