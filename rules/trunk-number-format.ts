import { createRule } from '../src/rules/api';
import { AutomatonBudget, isEmpty } from '../src/automata/dfa';
import { entryLookup, type EntryLookup } from '../src/coverage/first-lookup';
import { classInWords, NANP_FORMATS, numberClass } from '../src/coverage/format-class';
import { builtInFormat } from '../src/coverage/formats';
import { entryOfEndpoint } from '../src/resolvers/asterisk';
import { asteriskEndpointsWhere } from '../src/parsers/asterisk/common-view';
import type { FindingNumbers } from '../src/core/findings';

/** Number formats a trunk can deliver in the Request-URI user part (the class is coverage's built-in format of that name). */
const FORMATS = {
  e164: { pattern: '_+1NXXNXXXXXX', label: 'E.164 (+1NXXNXXXXXX)' },
  national11: { pattern: '_1NXXNXXXXXX', label: '11-digit (1NXXNXXXXXX)' },
  national10: { pattern: '_NXXNXXXXXX', label: '10-digit (NXXNXXXXXX)' },
} as const;
type Format = keyof typeof FORMATS;

export default createRule({
  id: 'trunk-number-format',
  description: 'A trunk\'s context does not match the number format the trunk delivers (E.164 +1… vs 11-digit vs 10-digit): those calls get 404',
  defaultSeverity: 'warning',
  platforms: ['asterisk'],
  docs: {
    why: 'chan_pjsip looks the Request-URI user up exactly as received. A provider that sends +12025551234 into a context that only has _NXXNXXXXXX gets 404 Not Found for every DID, before any dialplan runs.',
    engineBehaviour: 'res/res_pjsip_session.c get_destination(): ast_exists_extension(context, user part, 1) with no normalisation, then with allow_overlap ast_canmatch_extension (484) before 404; main/pbx.c pattern matching ("+" is an ordinary character). The finding names the whole class of numbers of the format that get 404 (count, pattern or regex, a shortest example, the context that decides it): the classes of `pbxlint coverage` decided by that first lookup (src/coverage/first-lookup.ts), restricted to the format — numbers that enter the dialplan and are refused later (Hangup(1)) are not counted here.',
    bad: '; pjsip.conf: trunk-a identified by IP, context=from-trunk\n[from-trunk]\nexten => _NXXNXXXXXX,1,Goto(did-${EXTEN},1)',
    good: '[from-trunk]\nexten => _+1NXXNXXXXXX,1,Goto(from-trunk,${EXTEN:2},1)   ; strip +1\nexten => _NXXNXXXXXX,1,Goto(did-${EXTEN},1)',
    fix: 'Add a pattern for the format the trunk sends that normalises the number (e.g. _+1NXXNXXXXXX → Goto(${EXTEN:2},1)), or configure the trunk to send the format the context expects. Tell pbxlint what each trunk sends with the rule option trunkFormats: { "<endpoint>": "e164" | "national11" | "national10" | "any" }.',
  },
  check({ model, report, options }) {
    if (!model.dialplan.present || model.dialplan.loadFailure) return;
    // A Map of the option's own entries: an endpoint named like an Object.prototype member
    // (`toString`, `constructor`) must not find that member.
    const configured = new Map(Object.entries((options.trunkFormats ?? {}) as Record<string, Format | 'any'>));
    // The numbers of a format that get 404 are coverage's classes decided by chan_pjsip's first
    // lookup (coverage/asterisk.ts entryLookup: get_destination's exists/canmatch tests, the same
    // cells the map is made of), restricted to the format: no number is simulated, and a context
    // of 50,000 literal DIDs costs one walk along each. Asked once per context and overlap setting,
    // however many trunks send calls into it (a carrier may have thousands of trunk endpoints).
    const lookups = new Map<string, EntryLookup | null>();
    const lookupOf = (endpoint: string, f: Format): EntryLookup | null => {
      const entry = entryOfEndpoint(model, endpoint);
      if (!entry) return null;
      const key = `${entry.context}\u0000${entry.allowOverlap}\u0000${f}`;
      let l = lookups.get(key);
      if (l === undefined) lookups.set(key, (l = entryLookup(model, endpoint, builtInFormat(NANP_FORMATS[f]).language) ?? null));
      return l?.notModelled ? null : l;
    };
    // Only trunks and the endpoints the option names are checked: the others are not made
    // (a model of 10,000 phones makes no common-view endpoint for lint; asteriskEndpointsWhere).
    for (const ep of asteriskEndpointsWhere(model, (name, isTrunk) => isTrunk || configured.has(name))) {
      try {
        checkEndpoint(ep);
      } catch (e) {
        if (!(e instanceof AutomatonBudget)) throw e;
        report({ location: ep.context!.location, severity: 'info', message: `the patterns of [${ep.context!.name}] are too complex to compare with the trunk's number formats exactly; skipped` });
      }
    }
    function checkEndpoint(ep: (typeof model.endpoints)[number]): void {
      const declared = configured.get(ep.name);
      if ((!ep.isTrunk && !declared) || !ep.context || declared === 'any') return;
      const ctx = ep.context.name;
      if (!model.dialplan.contexts.has(ctx)) return; // endpoint-context-missing reports it
      const lookup = (f: Format) => lookupOf(ep.name, f);
      if (!lookup('e164')) return; // a switch decides (not modelled), or not an endpoint the resolver knows
      // Some number of the format exists at priority 1 for every caller.
      const covers = (f: Format) => lookup(f)!.entersSome;
      // The numbers of the format that get 404, as a finding's class; undefined when none does.
      const notFound = (f: Format): FindingNumbers | undefined => {
        const l = lookup(f)!;
        if (isEmpty(l.notFound)) return undefined;
        return numberClass(l.notFound, builtInFormat(NANP_FORMATS[f]), {
          verdict: 'rejected',
          status: 404,
          via: l.location ? { file: l.location.file, line: l.location.line } : undefined,
          formatNotation: FORMATS[f].pattern,
          // The map's own notation (a pattern of the dialplan), loaded only when there is a finding.
          notation: (d) => (require('../src/coverage/asterisk') as typeof import('../src/coverage/asterisk')).asteriskCoverage.notation?.(model, d),
        });
      };
      const wire = (example: string) => `INVITE for ${example} from ${ep.name} → 404 (no extension in [${ctx}] matches it)`;
      const decided = () => ` (chan_pjsip's lookup at priority 1 in [${ctx}] decides it)`;
      // The context whose lookup decides the class, beside the endpoint's context= line.
      const related = (n: FindingNumbers) => (n.via ? [{ location: { file: n.via.file, line: n.via.line, column: 1 }, message: `[${ctx}]: no extension here (or in its includes) matches these numbers at priority 1` }] : undefined);
      if (declared) {
        const cls = notFound(declared);
        if (!cls) return;
        report({
          location: ep.context.location,
          message: `${ep.name} delivers ${FORMATS[declared].label} numbers, but [${ctx}] ${covers(declared) ? 'matches only some of them' : 'matches none of them'}: e.g. ${cls.example}; 404 for ${classInWords(cls)}${decided()}`,
          wire: wire(cls.example),
          fix: `add a pattern for ${FORMATS[declared].pattern} to [${ctx}] (normalising the number), or change what ${ep.name} sends`,
          severity: 'error',
          numbers: [cls],
          related: related(cls),
        });
        return;
      }
      // Not declared: a trunk whose context takes one North American format but none of the E.164 form (or the reverse).
      const national = covers('national10') || covers('national11');
      const e164 = covers('e164');
      if (national && !e164) {
        const cls = notFound('e164');
        if (!cls) return; // every one is 484 or caller-dependent: not this rule's 404
        const shape = covers('national10') && covers('national11') ? '10- and 11-digit' : covers('national10') ? '10-digit' : '11-digit';
        report({
          location: ep.context.location,
          message: `${ep.name} is a trunk (${ep.trunkEvidence}) into [${ctx}], which matches ${shape} numbers but no E.164 number: if the provider sends +1…, every DID gets 404 — ${classInWords(cls)}${decided()}`,
          wire: wire(cls.example),
          fix: `add exten => _+1NXXNXXXXXX,1,Goto(${ctx},\${EXTEN:${covers('national10') ? 2 : 1}},1) to [${ctx}], or declare what ${ep.name} sends (trunkFormats option)`,
          numbers: [cls],
          related: related(cls),
        });
      } else if (e164 && !national) {
        const classes = (['national10', 'national11'] as const).map(notFound).filter((c): c is FindingNumbers => c !== undefined);
        if (classes.length === 0) return;
        report({
          location: ep.context.location,
          message: `${ep.name} is a trunk (${ep.trunkEvidence}) into [${ctx}], which matches E.164 numbers only: if the provider sends 10- or 11-digit numbers, they get 404 — ${classes.map(classInWords).join('; ')}${decided()}`,
          wire: wire(classes[0].example),
          fix: `add patterns for _NXXNXXXXXX / _1NXXNXXXXXX that prefix +1/+, or declare what ${ep.name} sends (trunkFormats option)`,
          numbers: classes,
          related: related(classes[0]),
        });
      }
    }
  },
});
