import { createRule } from '../src/rules/api';
import { dialplanIndex, firstPatternIndex, type DialplanExtension } from '../src/resolvers/asterisk/dialplan-index';
import { extensionMatches, firstMatchExamples, intersects, languageOf, LanguageTooComplex, withLanguageBudget } from '../src/automata/asterisk/pattern';

/** Automaton work allowed per context before the question is left unanswered (see LanguageTooComplex). */
const BUDGET = 500_000;

type Registered = DialplanExtension;

const entriesOf = (list: readonly Registered[]) => list.map((e) => ({ name: e.matchName, covers: e.cid === undefined && e.hasPriority(1) }));

/**
 * firstMatchExamples over the whole walk order, but cheaply for big DID lists: literals sort
 * before every pattern, so first ask with the patterns alone. A pattern hidden by earlier
 * patterns stays hidden; one with an example number that is not a literal of the context is
 * reachable by that number. Only when an example is itself a literal could literals hide the
 * pattern, and then the whole list is checked. Entries before `firstPattern` (literals) get ''.
 */
function examplesFor(sorted: readonly Registered[], firstPattern: number): (string | null)[] {
  const patternExamples = firstMatchExamples(entriesOf(sorted.slice(firstPattern)));
  // The few example numbers are looked up among the literals, rather than a Set of every DID built.
  const examples = new Set(patternExamples.filter((x) => x !== null));
  let literalExample = false;
  for (let i = 0; i < firstPattern && examples.size > 0 && !literalExample; i++) {
    const e = sorted[i];
    literalExample = e.cid === undefined && examples.has(e.matchName) && e.hasPriority(1);
  }
  if (!literalExample) return new Array<string | null>(firstPattern).fill('').concat(patternExamples);
  return firstMatchExamples(entriesOf(sorted));
}

export default createRule({
  id: 'unreachable-pattern',
  description: 'A pattern extension that can never be chosen: for every number it matches, an extension sorted before it wins',
  defaultSeverity: 'warning',
  platforms: ['asterisk'],
  docs: {
    why: 'Asterisk does not pick the "most specific" pattern overall: it walks the context\'s extensions in ext_cmp order and takes the first that matches and has the priority. A pattern whose every number is taken earlier never runs — the routing its author intended (a special DID range, an emergency number) silently goes elsewhere.',
    engineBehaviour: 'main/pbx.c ext_cmp / ext_cmp_pattern_pos (sort order: fewer possible characters at the first differing position first, literals before patterns) and pbx_find_extension (first match with the priority wins). Computed exactly over the patterns\' languages; the default algorithm only (not extenpatternmatchnew=yes).',
    bad: '[from-trunk]\nexten => _2XXXXXX,1,Dial(PJSIP/sales)\nexten => _3XXXXXX,1,Dial(PJSIP/support)\nexten => _[2-3]XXXXXX,1,Dial(PJSIP/reception)   ; every such number is taken by the two above',
    good: '[from-trunk]\nexten => _2XXXXXX,1,Dial(PJSIP/sales)\nexten => _3XXXXXX,1,Dial(PJSIP/support)\nexten => _[4-9]XXXXXX,1,Dial(PJSIP/reception)',
    fix: 'Write the special numbers as literals (literals always sort first), or make the broad pattern narrower at an earlier position.',
  },
  check({ model, report }) {
    if (model.dialplan.general.extenpatternmatchnew) return; // the trie ranks differently; see not-modelled notes
    for (const ci of dialplanIndex(model).contexts.values()) {
      const firstPattern = firstPatternIndex(ci.sorted);
      if (firstPattern === ci.sorted.length) continue;
      let examples: (string | null)[];
      try {
        examples = withLanguageBudget(BUDGET, () => examplesFor(ci.sorted, firstPattern));
      } catch (e) {
        if (!(e instanceof LanguageTooComplex)) throw e;
        report({ location: ci.context.locations[0], severity: 'info', message: `[${ci.context.name}]: its patterns are too complex to check for unreachable ones exactly; skipped` });
        continue;
      }
      // Literals (before firstPattern) are never reported: walk the patterns only.
      ci.sorted.slice(firstPattern).forEach((ext, k) => {
        const i = firstPattern + k;
        if (!ext.isPattern || !ext.hasPriority(1) || examples[i] !== null) return;
        // Name the earlier entries that actually take some of its numbers.
        let winners: string[];
        try {
          winners = withLanguageBudget(BUDGET, () => {
            const own = languageOf([ext.matchName]);
            return ci.sorted
              .slice(0, i)
              .filter((e) => e.cid === undefined && e.hasPriority(1) && (e.isPattern ? intersects(own, languageOf([e.matchName])) : extensionMatches(ext.matchName, e.matchName, 'match')))
              .map((e) => e.name);
          });
        } catch {
          winners = ['earlier extensions'];
        }
        report({
          location: ext.location,
          message: `${ext.name} in [${ci.context.name}] can never be chosen: every number it matches is taken first by ${winners.length > 4 ? `${winners.slice(0, 4).join(', ')} and ${winners.length - 4} more` : winners.join(', ')} (Asterisk's sort order, not overall specificity)`,
          wire: `INVITEs meant for ${ext.name} run another extension's dialplan instead`,
          fix: 'write the intended numbers as literals, or narrow the earlier pattern',
        });
      });
    }
  },
});
