/**
 * `pbxlint coverage` over one loaded model: the engine's entry points, each partitioned
 * (partition.ts) and described (pattern notation, number formats).
 */
import { compile, intersect, type Dfa } from '../automata/dfa';
import { chars, CharSet, repeat } from '../automata/regex';
import type { Platform } from '../core/findings';
import { coverEntry, DIALABLE_UNIVERSE, DirectAnswers, type Labeller } from './partition';
import { builtInFormats, extensionFormats, formatsOf } from './formats';
import type { CoverageEngine, CoverageOptions, CoverageReport } from './types';

/** The universe cut to strings of at most `maxLength` characters. */
function upToLength(maxLength: number): Dfa {
  return compile(repeat(chars(CharSet.ANY), 0, maxLength));
}

/** Compact: the formats the class holds whole (or is), else those it meets (kept per list: formatsOf shares them). */
function shownFormats(f: string[]): string {
  let out = shownOf.get(f);
  if (out === undefined) {
    const whole = f.filter((x) => !/^(some|one) /.test(x));
    out = (whole.length ? whole : f).map((x) => x.replace(/^all /, '')).join(', ');
    shownOf.set(f, out);
  }
  return out;
}
const shownOf = new WeakMap<string[], string>();

export function runCoverage<M>(platform: Platform, engine: CoverageEngine<M>, model: M, options: CoverageOptions): CoverageReport {
  const formats = [...builtInFormats(), ...extensionFormats(engine.extensionLengths?.(model) ?? [])];
  const labeller: Labeller = {
    describe(language) {
      const pattern = engine.notation?.(model, language);
      const f = formatsOf(language, formats);
      const shown = shownFormats(f);
      const description = pattern && shown ? `${pattern} — ${shown}` : pattern || shown;
      return { description, pattern, formats: f };
    },
  };
  const cut = options.maxLength !== undefined ? upToLength(options.maxLength) : undefined;
  const entries = engine.entries(model, options).map((e) => (cut ? { ...e, universe: intersect(e.universe ?? DIALABLE_UNIVERSE, cut) } : e));
  // Names dialled into a context answer the same from every entry (PathObserver.literals): kept for all.
  const direct = new DirectAnswers();
  return { platform, entries: entries.map((e) => coverEntry(engine, model, e, options, labeller, direct)) };
}
