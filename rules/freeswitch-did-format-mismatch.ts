import { createRule } from '../src/rules/api';
import type { RouteAnswer } from '../src/resolvers/types';
import { compileExpression, matchExpression } from '../src/automata/pcre/pcre';
import { staticValue } from '../src/resolvers/freeswitch/queries';
import { switchTrue } from '../src/parsers/freeswitch/build';
import { accepts } from '../src/automata/dfa';
import { freeswitchCoverage } from '../src/coverage/freeswitch';
import { classesWithin, outcomeWithin } from '../src/coverage/restrict';
import { classInWords, NANP_FORMATS, numberClass } from '../src/coverage/format-class';
import { builtInFormat } from '../src/coverage/formats';
import type { CoverageClass } from '../src/coverage/types';
import type { FindingNumbers } from '../src/core/findings';

/** The NANP forms a carrier may put in the Request-URI user for one DID. */
function formsOf(tenDigits: string): string[] {
  return [`+1${tenDigits}`, `1${tenDigits}`, tenDigits];
}

/** The built-in format of each form formsOf gives (coverage/formats.ts). */
function formatOf(form: string): string {
  return form.startsWith('+') ? NANP_FORMATS.e164 : form.length === 11 ? NANP_FORMATS.national11 : NANP_FORMATS.national10;
}

function describe(a: RouteAnswer): string {
  if (a.verdict === 'rejected') return `${a.status}`;
  if (a.verdict === 'routed') return `routed to ${a.target?.name}`;
  return a.outcomes.map((o) => (o.verdict === 'rejected' ? `${o.status}` : `routed to ${o.target?.name}`)).join(' or ');
}

/**
 * destination_number is the Request-URI user exactly as the carrier sends it (sofia_handle_sip_i_invite);
 * an expression written for one format (10 digits) misses the others (+1…, 1…).
 */
export default createRule({
  id: 'freeswitch-did-format-mismatch',
  description: 'An inbound (public) context whose destination_number expression matches a DID in one format but not the E.164 / 11-digit / 10-digit forms a gateway may deliver',
  defaultSeverity: 'warning',
  platforms: ['freeswitch'],
  docs: {
    why: 'Carriers deliver the same DID as +12025550100, 12025550100 or 2025550100 depending on the trunk. destination_number is the Request-URI user as received, so an expression written for one form does not match the others; the call then falls to whatever else the context does — 404 when no extension collects an action, 480 when only continue="true" helpers ran.',
    engineBehaviour: 'sofia.c sofia_handle_sip_i_invite (destination_number = R-URI user); mod_dialplan_xml.c parse_exten (PCRE match, unanchored unless ^/$); switch_core_standard_on_routing (no action → NO_ROUTE_DESTINATION → 404); mod_sofia.c hangup_cause_to_sip. For each form that fails, the finding names every number of that format (E.164 +1NXXNXXXXXX, 11-digit, 10-digit) the profile gives the same answer: the classes of `pbxlint coverage` for the profile, partitioned with the format as universe (src/coverage/restrict.ts; left out beyond 256 classes).',
    bad: '<condition field="destination_number" expression="^(2025550100)$">',
    good: '<condition field="destination_number" expression="^(?:\\+?1)?(2025550100)$">',
    fix: 'Accept every form the gateways deliver (e.g. ^(?:\\+?1)?(NXXNXXXXXX)$), or normalise the number first.',
  },
  check({ model, route, report }) {
    // The map of a profile's numbers of one format (coverage's partition with the format as its
    // universe: the simulator's own tests), made once per profile and format.
    const maps = new Map<string, CoverageClass[] | undefined>();
    const mapOf = (profile: string, format: string) => {
      const key = `${profile}\u0000${format}`;
      if (!maps.has(key)) {
        const request = { user: '', method: 'INVITE', profile };
        const entry = { entry: { kind: 'profile', name: profile, file: '', line: 1 }, request };
        maps.set(key, classesWithin(freeswitchCoverage, model, entry, builtInFormat(format).language));
      }
      return maps.get(key);
    };
    /** Every number of the form's format that gets what `form` gets (a rejection), when the map holds `form` there. */
    const classOf = (profile: string, form: string, a: RouteAnswer): FindingNumbers | undefined => {
      if (a.verdict !== 'rejected') return undefined;
      const format = builtInFormat(formatOf(form));
      const classes = mapOf(profile, format.name);
      const cls = classes && outcomeWithin(classes, format.language, a.status);
      if (!cls || !accepts(cls.language, form)) return undefined;
      return numberClass(cls.language, format, { verdict: 'rejected', status: a.status, via: cls.via });
    };
    // Inbound contexts: those of profiles that take calls unauthenticated (trunks) or carry gateways.
    const inbound = model.profiles.filter((p) => p.context && (!p.authCalls || p.gateways.length > 0));
    const contexts = new Map<string, (typeof inbound)[number]>();
    for (const p of inbound) if (!contexts.has(p.context!.value.toLowerCase())) contexts.set(p.context!.value.toLowerCase(), p);
    const seen = new Set<string>();
    for (const ctx of model.dialplan.contexts) {
      const profile = contexts.get(ctx.name.toLowerCase());
      if (!profile) continue;
      for (const ext of ctx.extensions) {
        for (const cond of ext.conditions) {
          if (cond.field !== 'destination_number' || cond.expression === undefined || !cond.expressionLocation) continue;
          const expr = staticValue(model, cond.expression);
          if (expr === null) continue;
          const compiled = compileExpression(expr);
          if (compiled.kind !== 'ok') continue;
          for (const m of expr.matchAll(/(?<!\d)1?([2-9]\d{2}[2-9]\d{6})(?!\d)/g)) {
            const did = m[1];
            const forms = formsOf(did);
            const matching = forms.filter((f) => matchExpression(compiled, f).kind === 'match');
            if (matching.length === 0 || matching.length === forms.length) continue;
            const key = `${cond.expressionLocation.file}:${cond.expressionLocation.line}:${did}`;
            if (seen.has(key)) continue;
            seen.add(key);
            const good = route({ user: matching[0], method: 'INVITE', profile: profile.name });
            const failing = forms
              .filter((f) => !matching.includes(f))
              .map((f) => ({ f, a: route({ user: f, method: 'INVITE', profile: profile.name }) }))
              .filter((x) => describe(x.a) !== describe(good));
            if (failing.length === 0) continue;
            const numbers = failing.map((x) => classOf(profile.name, x.f, x.a)).filter((n): n is FindingNumbers => n !== undefined);
            const whole = numbers.length ? ` — on profile ${profile.name}: ${numbers.map((n) => `${n.status} for ${classInWords(n)}`).join('; ')}` : '';
            report({
              location: cond.expressionLocation,
              message: `extension "${ext.name}" in inbound context "${ctx.name}" matches DID ${did} as ${matching.join(', ')} but not as ${failing.map((x) => x.f).join(', ')}${whole}`,
              wire: failing.map((x) => `INVITE for ${x.f} on profile ${profile.name} → ${describe(x.a)}`).join('; ') + ` (while ${matching[0]} is ${describe(good)})`,
              fix: `accept every form, e.g. expression="^(?:\\+?1)?(${did})$"`,
              ...(numbers.length ? { numbers } : {}),
            });
          }
        }
      }
    }
    // A gateway's `extension` param is the number its inbound calls are routed as.
    for (const p of model.profiles) {
      for (const g of p.gateways) {
        const ext = g.params.get('extension');
        // The extension applies to calls sent to the gw+<name> contact the gateway registers (sofia.c, "gw+").
        if (!ext || !p.context || /\$|^auto/.test(ext.value) || !switchTrue(g.params.get('register')?.value)) continue;
        const ctx = g.params.get('context')?.value ?? p.context.value;
        const a = route({ user: ext.value, method: 'INVITE', context: ctx });
        if (a.verdict !== 'rejected') continue;
        report({
          location: ext.location,
          message: `calls from gateway ${g.name} arrive as ${ext.value} in context "${ctx}", which does not route it`,
          wire: `INVITE from gateway ${g.name} → ${a.status}`,
          fix: `add an extension matching ${ext.value} to context "${ctx}", or change the gateway's extension param`,
        });
      }
    }
  },
});
