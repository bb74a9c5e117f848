/**
 * The dialplan as Asterisk holds it after loading: extensions registered per context with
 * ast_add_extension2 semantics (names that ext_cmp finds equal are one extension; a repeated
 * priority is refused, "Unable to register extension … already in use"), kept in ext_cmp order.
 * Built once per model and cached; rules and the simulator share it.
 */
import type { AsteriskModel, DialplanContext, Extension, Priority } from '../../model/asterisk';
import { compareExtensions, matchNameOf } from './pattern';

/** An extension as Asterisk registered it (one per name/caller-ID that ext_cmp tells apart). */
export class RegisteredExtension {
  /** Model entries merged into this one (several when names differ only in ways ext_cmp ignores). */
  readonly sources: Extension[] = [];
  readonly priorities = new Map<number, Priority>();
  labels: Map<string, number> = NO_LABELS;
  /** Lines Asterisk refused because the priority was already registered. */
  refused: { priority: Priority; kept: Priority }[] = NONE_REFUSED;

  constructor(
    /** The name as first written. */
    readonly name: string,
    readonly matchName: string,
    readonly isPattern: boolean,
    readonly cid: string | undefined,
    readonly location: Extension['location'],
    /** Order of first registration (file order), which the trie (extenpatternmatchnew) depends on. */
    public registrationOrder: number,
  ) {}

  hasPriority(priority: number): boolean {
    return this.priorities.has(priority);
  }
}

const NO_LABELS = new Map<string, number>();
const NONE_REFUSED: RegisteredExtension['refused'] = [];

export interface ContextIndex {
  context: DialplanContext;
  /** Registered extensions in Asterisk's lookup order. */
  sorted: RegisteredExtension[];
}

export interface DialplanIndex {
  contexts: Map<string, ContextIndex>;
  /** Lower-cased context name → context, for include-loop checks (case-insensitive in pbx_find_extension). */
  byLowerName: Map<string, ContextIndex>;
}

const cache = new WeakMap<AsteriskModel, DialplanIndex>();

export function dialplanIndex(model: AsteriskModel): DialplanIndex {
  let index = cache.get(model);
  if (!index) {
    index = buildIndex(model);
    cache.set(model, index);
  }
  return index;
}

function buildIndex(model: AsteriskModel): DialplanIndex {
  const contexts = new Map<string, ContextIndex>();
  const byLowerName = new Map<string, ContextIndex>();
  for (const ctx of model.dialplan.contexts.values()) {
    const ci: ContextIndex = { context: ctx, sorted: registerContext(ctx) };
    contexts.set(ctx.name, ci);
    if (!byLowerName.has(ctx.name.toLowerCase())) byLowerName.set(ctx.name.toLowerCase(), ci);
  }
  return { contexts, byLowerName };
}

function registerContext(ctx: DialplanContext): RegisteredExtension[] {
  const entries = ctx.extensions.map((e, order) => ({ e, matchName: e.matchName || matchNameOf(e.name), order }));
  // Stable sort by Asterisk's order; equal entries are the same registered extension.
  entries.sort((a, b) => compareExtensions({ matchName: a.matchName, cid: a.e.cid }, { matchName: b.matchName, cid: b.e.cid }));
  const out: RegisteredExtension[] = [];
  let prev: RegisteredExtension | undefined;
  for (const { e, matchName, order } of entries) {
    if (!prev || compareExtensions(prev, { matchName, cid: e.cid }) !== 0) {
      prev = new RegisteredExtension(e.name, matchName, e.isPattern, e.cid, e.location, order);
      out.push(prev);
    }
    prev.sources.push(e);
    if (order < prev.registrationOrder) prev.registrationOrder = order;
  }
  // Priorities are registered in file order across all merged sources.
  for (const reg of out) {
    const lines = reg.sources.length === 1 ? reg.sources[0].priorities : reg.sources.flatMap((s) => s.priorities).sort((a, b) => (a.location.file === b.location.file ? a.location.line - b.location.line : 0));
    for (const p of lines) {
      const kept = reg.priorities.get(p.number);
      if (kept) {
        if (reg.refused === NONE_REFUSED) reg.refused = [];
        reg.refused.push({ priority: p, kept });
      } else {
        reg.priorities.set(p.number, p);
        if (p.label && !reg.labels.has(p.label)) {
          if (reg.labels === NO_LABELS) reg.labels = new Map();
          reg.labels.set(p.label, p.number);
        }
      }
    }
  }
  return out;
}
