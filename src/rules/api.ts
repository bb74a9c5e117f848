/**
 * The rule API. A rule is one module in `rules/` that calls `createRule` with its metadata and a
 * `check` that queries the model (and, through `ctx.route`, the engine's resolver) and reports
 * findings. Rules never read configuration text and never format output.
 */
import type { FindingNumbers, Platform, Severity } from '../core/findings';
import type { SourceLocation } from '../core/location';
import type { AnyModel, ModelFor } from '../model';
import type { RouteAnswer, RouteRequest } from '../resolvers/types';
import type { ContextIndex, DialplanExtension } from '../resolvers/asterisk/dialplan-index';
import type { Priority } from '../model/asterisk';
import type { DeferredFinding, DeferredReport, FindingKind, FindingText } from './deferred';

export interface RuleDocs {
  /** Why this leads to 404 (or another failure) on the wire. */
  why: string;
  /** Which engine behaviour the rule models, citing the engine's source. */
  engineBehaviour: string;
  /** A configuration that makes the rule fire, and one that does not, in the engine's own syntax. */
  bad: string;
  good: string;
  /** How to fix a finding. */
  fix: string;
}

export interface Report {
  location: SourceLocation;
  message: string;
  /** What happens on the wire: "INVITE for +12025551234 from trunk-a → 404". */
  wire?: string;
  fix?: string;
  /** Overrides the rule's severity for this finding (rarely: e.g. an error only in some cases). */
  severity?: Severity;
  related?: { location: SourceLocation; message: string }[];
  /** The whole class of numbers the finding is about (Finding.numbers). */
  numbers?: FindingNumbers[];
}

export interface RuleContext<M extends AnyModel> {
  model: M;
  /** Simulates a request with the engine's resolver (the same one `pbxlint route` uses). */
  route(request: RouteRequest): RouteAnswer;
  /** Options for this rule from the configuration file (issue: CI gate). */
  options: Record<string, unknown>;
  /**
   * Reports a finding. A rule that can find thousands (one per Dial, per Goto …) reports a
   * DeferredReport: its texts are built from `data` when a reporter reads them (./deferred).
   */
  report<D>(report: Report | DeferredReport<D> | DeferredFinding): void;
  /**
   * What the findings a rule makes itself (a DeferredFinding subclass with the fields its texts
   * are made of, reported as it is) share: the rule, its severity (or `severity`), the platform,
   * and `text`, given the finding. For rules that find tens of thousands: one object per finding.
   */
  findingKind<F>(text: (finding: F) => FindingText, severity?: Severity): FindingKind;
}

export interface RuleMeta {
  /** Stable, kebab-case id; also the name of the docs page `docs/rules/<id>.md`. */
  id: string;
  description: string;
  defaultSeverity: Severity;
  platforms: readonly Platform[];
  docs: RuleDocs;
}

/**
 * What a rule looks at in the one walk the runner makes over an Asterisk dialplan for all rules
 * (as ESLint rules visit one shared syntax tree). Why: a big dialplan has 150,000 lines, and a
 * cold `pbxlint lint` paid a walk over all of them for each rule that reads every line.
 */
export interface AsteriskDialplanVisitor {
  /**
   * Each registered extension of each context (dialplanIndex order: contexts, then ext_cmp order).
   * It is the extension's first entry as loaded: what Asterisk registered is in its registered…
   * members (registeredPriorities, registeredLabels, hasPriority, refused, sources); its
   * `priorities` and `labels` are that one entry's as written.
   */
  extension?(ext: DialplanExtension, context: ContextIndex): void;
  /**
   * Each registered priority line of that extension, in registration order. `line` may be a view
   * moved along the lines (DialplanExtension.forEachRegisteredPriority): read it during the call, do not keep it.
   */
  priority?(line: Priority, ext: DialplanExtension, context: ContextIndex): void;
}

/** The visitor a rule of these platforms may return from `check`. */
export type VisitorFor<P extends Platform> = P extends 'asterisk' ? AsteriskDialplanVisitor : never;

export interface Rule<P extends Platform = Platform> extends RuleMeta {
  platforms: readonly P[];
  /**
   * Checks the model. What needs every line of a big model (Asterisk: every extension or
   * priority) is better returned as a visitor: the runner then walks the model once for all rules.
   */
  check(ctx: RuleContext<ModelFor<P>>): void | VisitorFor<P>;
}

/** Typed factory: the platforms listed decide which model `check` receives. */
export function createRule<P extends Platform>(rule: Rule<P>): Rule<P> {
  return rule;
}

/** A rule of any platform, as stored in the registry. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRule = Rule<any>;
