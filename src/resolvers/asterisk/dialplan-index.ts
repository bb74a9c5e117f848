/**
 * The dialplan as Asterisk holds it after loading: extensions registered per context with
 * ast_add_extension2 semantics (names that ext_cmp finds equal are one extension; a repeated
 * priority is refused, "Unable to register extension … already in use"), kept in ext_cmp order.
 * Built once per model and cached; rules and the simulator share it.
 */
import type { AsteriskModel, DialplanContext, Extension, Priority } from '../../model/asterisk';
import { compareExtensions, matchNameOf } from './pattern';

export interface RegisteredExtension {
  /** The name as first written. */
  name: string;
  matchName: string;
  isPattern: boolean;
  cid?: string;
  location: Extension['location'];
  /** Model entries merged into this one (several when names differ only in ways ext_cmp ignores). */
  sources: Extension[];
  priorities: Map<number, Priority>;
  labels: Map<string, number>;
  /** Lines Asterisk refused because the priority was already registered. */
  refused: { priority: Priority; kept: Priority }[];
  hasPriority(priority: number): boolean;
}

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
  const entries = ctx.extensions.map((e) => ({ e, matchName: matchNameOf(e.name) }));
  // Stable sort by Asterisk's order; equal entries are the same registered extension.
  entries.sort((a, b) => compareExtensions({ matchName: a.matchName, cid: a.e.cid }, { matchName: b.matchName, cid: b.e.cid }));
  const out: RegisteredExtension[] = [];
  let prev: RegisteredExtension | undefined;
  for (const { e, matchName } of entries) {
    if (!prev || compareExtensions(prev, { matchName, cid: e.cid }) !== 0) {
      const priorities = new Map<number, Priority>();
      prev = {
        name: e.name,
        matchName,
        isPattern: e.isPattern,
        cid: e.cid,
        location: e.location,
        sources: [],
        priorities,
        labels: new Map(),
        refused: [],
        hasPriority: (p: number) => priorities.has(p),
      };
      out.push(prev);
    }
    prev.sources.push(e);
  }
  // Priorities are registered in file order across all merged sources.
  for (const reg of out) {
    const lines = reg.sources.flatMap((s) => s.priorities);
    if (reg.sources.length > 1) lines.sort((a, b) => (a.location.file === b.location.file ? a.location.line - b.location.line : 0));
    for (const p of lines) {
      const kept = reg.priorities.get(p.number);
      if (kept) reg.refused.push({ priority: p, kept });
      else {
        reg.priorities.set(p.number, p);
        if (p.label && !reg.labels.has(p.label)) reg.labels.set(p.label, p.number);
      }
    }
  }
  return out;
}
