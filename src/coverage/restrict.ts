/**
 * Coverage's map of one entry point restricted to a set of strings (a number format): the
 * partition itself (partition.ts) with the format as its universe, for the number-format rules
 * of FreeSWITCH and Kamailio (issue 14: their findings name the whole class, derived from the map,
 * not a third copy of the matching). Small configurations are mapped in milliseconds; a map that
 * reaches `maxClasses` cells is not used (undefined): the finding then keeps its example only.
 */
import { intersect, isEmpty, shortestExample, union, type Dfa } from '../automata/dfa';
import { coverEntry, languageOfClass } from './partition';
import type { CoverageClass, CoverageEngine, CoverageEntry } from './types';

/** Cells a rule lets one restricted map have before it gives up (lint must stay fast). */
export const RULE_MAX_CLASSES = 256;

/** The classes of `entry`'s map within `within`, or undefined when the map is incomplete (budget, automaton too large). */
export function classesWithin<M>(engine: CoverageEngine<M>, model: M, entry: CoverageEntry, within: Dfa, maxClasses = RULE_MAX_CLASSES): CoverageClass[] | undefined {
  const restricted: CoverageEntry = { entry: entry.entry, request: entry.request, universe: within };
  const out = coverEntry(engine, model, restricted, { maxClasses }, { describe: () => ({ description: '' }) });
  return out.notes?.length ? undefined : out.classes;
}

/**
 * The strings of `within` that coverage's classes give this outcome (rejected with `status`),
 * with the deciding line of the class holding the shortest one. The classes are disjoint and
 * cover their entry's universe (partition.ts), so this is the map's answer restricted to `within`.
 */
export function outcomeWithin(classes: readonly CoverageClass[], within: Dfa, status: number | null): { language: Dfa; via?: { file: string; line: number } } | undefined {
  let language: Dfa | undefined;
  let best: { example: string; via?: { file: string; line: number } } | undefined;
  for (const c of classes) {
    if (c.verdict !== 'rejected' || c.status !== status) continue;
    const l = languageOfClass(c);
    if (!l) continue;
    const part = intersect(l, within);
    if (isEmpty(part)) continue;
    language = language ? union(language, part) : part;
    const example = shortestExample(part)!;
    if (!best || example.length < best.example.length || (example.length === best.example.length && example < best.example)) best = { example, via: c.via ? { file: c.via.file, line: c.via.line } : undefined };
  }
  return language ? { language, via: best?.via } : undefined;
}

