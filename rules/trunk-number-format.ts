import { createRule } from '../src/rules/api';
import type { AsteriskModel } from '../src/model/asterisk';
import { dialplanIndex, firstPatternIndex, type ContextIndex, type RegisteredExtension } from '../src/resolvers/asterisk/dialplan-index';
import { exampleInDifference, extensionMatches, intersects, languageOf, LanguageTooComplex, withLanguageBudget, type Language } from '../src/automata/asterisk/pattern';

/** Number formats a trunk can deliver in the Request-URI user part. */
const FORMATS = {
  e164: { pattern: '_+1NXXNXXXXXX', label: 'E.164 (+1NXXNXXXXXX)' },
  national11: { pattern: '_1NXXNXXXXXX', label: '11-digit (1NXXNXXXXXX)' },
  national10: { pattern: '_NXXNXXXXXX', label: '10-digit (NXXNXXXXXX)' },
} as const;
type Format = keyof typeof FORMATS;

/** An entry that exists at priority 1 for every caller (what chan_pjsip's ast_exists_extension asks). */
const callable = (e: RegisteredExtension) => e.cid === undefined && e.hasPriority(1);

/**
 * A context and its includes (timing ignored), in walk order, and whether one has a switch.
 * Their entries are read from the index where needed, not copied: a trunk's context may hold
 * every DID (tens of thousands of literals), and most questions below are about its few patterns.
 */
function reachableContexts(model: AsteriskModel, context: string): { contexts: ContextIndex[]; hasSwitch: boolean } {
  const index = dialplanIndex(model);
  const contexts: ContextIndex[] = [];
  let hasSwitch = false;
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name.toLowerCase())) return;
    seen.add(name.toLowerCase());
    const ci = index.contexts.get(name);
    if (!ci) return;
    if (ci.context.switches.length) hasSwitch = true;
    contexts.push(ci);
    for (const inc of ci.context.includes) visit(inc.context);
  };
  visit(context);
  return { contexts, hasSwitch };
}

/** Whether `test` holds for the name of a callable literal of one of the contexts. */
function someLiteral(contexts: readonly ContextIndex[], test: (name: string) => boolean): boolean {
  for (const ci of contexts) {
    const sorted = ci.sorted;
    const end = firstPatternIndex(sorted);
    for (let i = 0; i < end; i++) if (callable(sorted[i]) && test(sorted[i].matchName)) return true;
  }
  return false;
}

/** The callable names of the contexts in walk order (literals then patterns, context by context). */
function callableNames(contexts: readonly ContextIndex[], from: 'all' | 'patterns'): string[] {
  const names: string[] = [];
  for (const ci of contexts) {
    const sorted = ci.sorted;
    for (let i = from === 'all' ? 0 : firstPatternIndex(sorted); i < sorted.length; i++) if (callable(sorted[i])) names.push(sorted[i].matchName);
  }
  return names;
}

/** Work allowed for one question about a context's patterns before it is left unanswered (see LanguageTooComplex). */
const BUDGET = 500_000;
const TOO_COMPLEX = Symbol('too complex');

/**
 * The questions the rule asks of a context (does it match numbers of a format; which number of
 * that format does it miss), each answered once. Literal DIDs can be tens of thousands: they are
 * tested one by one against a format instead of being built into one automaton with the
 * patterns (few), which form the language. Each question gets its own work budget.
 */
class ContextAnalysis {
  private patterns: Language | undefined;
  private full: Language | undefined;
  private readonly answers = new Map<string, boolean | string | null | typeof TOO_COMPLEX>();

  constructor(
    private readonly contexts: readonly ContextIndex[],
    private readonly patternNames: string[],
    private readonly formatLanguage: (f: Format) => Language,
  ) {}

  /** Some number of the format exists in the context. */
  covers(f: Format): boolean {
    return this.answer(`covers ${f}`, () => intersects(this.formatLanguage(f), this.patternLanguage()) || someLiteral(this.contexts, (l) => extensionMatches(FORMATS[f].pattern, l, 'match'))) as boolean;
  }

  /** A number of the format that no extension of the context matches, or null. */
  missing(f: Format): string | null {
    return this.answer(`missing ${f}`, () => {
      const example = exampleInDifference(this.formatLanguage(f), this.patternLanguage());
      if (example === null || !someLiteral(this.contexts, (l) => l === example)) return example;
      this.full ??= languageOf(callableNames(this.contexts, 'all'));
      return exampleInDifference(this.formatLanguage(f), this.full);
    }) as string | null;
  }

  private patternLanguage(): Language {
    return (this.patterns ??= languageOf(this.patternNames));
  }

  private answer(question: string, compute: () => boolean | string | null): boolean | string | null {
    let a = this.answers.get(question);
    if (a === undefined) {
      try {
        a = withLanguageBudget(BUDGET, compute);
      } catch (e) {
        if (e instanceof LanguageTooComplex) this.answers.set(question, TOO_COMPLEX);
        throw e;
      }
      this.answers.set(question, a);
    }
    if (a === TOO_COMPLEX) throw new LanguageTooComplex();
    return a;
  }
}

export default createRule({
  id: 'trunk-number-format',
  description: 'A trunk\'s context does not match the number format the trunk delivers (E.164 +1… vs 11-digit vs 10-digit): those calls get 404',
  defaultSeverity: 'warning',
  platforms: ['asterisk'],
  docs: {
    why: 'chan_pjsip looks the Request-URI user up exactly as received. A provider that sends +12025551234 into a context that only has _NXXNXXXXXX gets 404 Not Found for every DID, before any dialplan runs.',
    engineBehaviour: 'res/res_pjsip_session.c get_destination(): ast_exists_extension(context, user part, 1) with no normalisation; main/pbx.c pattern matching ("+" is an ordinary character).',
    bad: '; pjsip.conf: trunk-a identified by IP, context=from-trunk\n[from-trunk]\nexten => _NXXNXXXXXX,1,Goto(did-${EXTEN},1)',
    good: '[from-trunk]\nexten => _+1NXXNXXXXXX,1,Goto(from-trunk,${EXTEN:2},1)   ; strip +1\nexten => _NXXNXXXXXX,1,Goto(did-${EXTEN},1)',
    fix: 'Add a pattern for the format the trunk sends that normalises the number (e.g. _+1NXXNXXXXXX → Goto(${EXTEN:2},1)), or configure the trunk to send the format the context expects. Tell pbxlint what each trunk sends with the rule option trunkFormats: { "<endpoint>": "e164" | "national11" | "national10" | "any" }.',
  },
  check({ model, report, options }) {
    if (!model.dialplan.present || model.dialplan.loadFailure) return;
    // A Map of the option's own entries: an endpoint named like an Object.prototype member
    // (`toString`, `constructor`) must not find that member.
    const configured = new Map(Object.entries((options.trunkFormats ?? {}) as Record<string, Format | 'any'>));
    const formatLangs = new Map<Format, Language>();
    const langOf = (f: Format) => {
      let l = formatLangs.get(f);
      if (!l) formatLangs.set(f, (l = languageOf([FORMATS[f].pattern])));
      return l;
    };
    // What is asked of a context is worked out once, however many trunks send calls into it (a
    // carrier's configuration may have thousands of trunk endpoints sharing one context).
    const analyses = new Map<string, ContextAnalysis | null>();
    const analysisOf = (ctx: string): ContextAnalysis | null => {
      let a = analyses.get(ctx);
      if (a === undefined) {
        const { contexts, hasSwitch } = reachableContexts(model, ctx);
        const patternNames = hasSwitch ? [] : callableNames(contexts, 'patterns');
        a = hasSwitch || (patternNames.length === 0 && !someLiteral(contexts, () => true)) ? null : new ContextAnalysis(contexts, patternNames, langOf);
        analyses.set(ctx, a);
      }
      return a;
    };
    for (const ep of model.endpoints) {
      try {
        checkEndpoint(ep);
      } catch (e) {
        if (!(e instanceof LanguageTooComplex)) throw e;
        report({ location: ep.context!.location, severity: 'info', message: `the patterns of [${ep.context!.name}] are too complex to compare with the trunk's number formats exactly; skipped` });
      }
    }
    function checkEndpoint(ep: (typeof model.endpoints)[number]): void {
      const declared = configured.get(ep.name);
      if ((!ep.isTrunk && !declared) || !ep.context || declared === 'any') return;
      const ctx = ep.context.name;
      if (!model.dialplan.contexts.has(ctx)) return; // endpoint-context-missing reports it
      const analysis = analysisOf(ctx);
      if (!analysis) return;
      const covers = (f: Format) => analysis.covers(f);
      const missing = (f: Format) => analysis.missing(f);
      const wire = (example: string) => `INVITE for ${example} from ${ep.name} → 404 (no extension in [${ctx}] matches it)`;
      if (declared) {
        const example = missing(declared);
        if (example === null) return;
        report({
          location: ep.context.location,
          message: `${ep.name} delivers ${FORMATS[declared].label} numbers, but [${ctx}] ${covers(declared) ? 'matches only some of them' : 'matches none of them'}: e.g. ${example}`,
          wire: wire(example),
          fix: `add a pattern for ${FORMATS[declared].pattern} to [${ctx}] (normalising the number), or change what ${ep.name} sends`,
          severity: 'error',
        });
        return;
      }
      // Not declared: a trunk whose context takes one North American format but none of the E.164 form (or the reverse).
      const national = covers('national10') || covers('national11');
      const e164 = covers('e164');
      if (national && !e164) {
        const example = missing('e164')!;
        const shape = covers('national10') && covers('national11') ? '10- and 11-digit' : covers('national10') ? '10-digit' : '11-digit';
        report({
          location: ep.context.location,
          message: `${ep.name} is a trunk (${ep.trunkEvidence}) into [${ctx}], which matches ${shape} numbers but no E.164 number: if the provider sends +1…, every DID gets 404`,
          wire: wire(example),
          fix: `add exten => _+1NXXNXXXXXX,1,Goto(${ctx},\${EXTEN:${covers('national10') ? 2 : 1}},1) to [${ctx}], or declare what ${ep.name} sends (trunkFormats option)`,
        });
      } else if (e164 && !national) {
        const example = missing('national10')!;
        report({
          location: ep.context.location,
          message: `${ep.name} is a trunk (${ep.trunkEvidence}) into [${ctx}], which matches E.164 numbers only: if the provider sends 10- or 11-digit numbers, they get 404`,
          wire: wire(example),
          fix: `add patterns for _NXXNXXXXXX / _1NXXNXXXXXX that prefix +1/+, or declare what ${ep.name} sends (trunkFormats option)`,
        });
      }
    }
  },
});
