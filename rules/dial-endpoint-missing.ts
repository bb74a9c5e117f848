import { createRule } from '../src/rules/api';
import { isMissingPjsipEndpoint, missingPjsipEndpointWhy, pjsipEndpointUnreachable, sipPeerReachability } from '../src/resolvers/asterisk/channels';
import { CAUSE, causeName, sipStatusForCause } from '../src/resolvers/asterisk/causes';
import { isDialApp } from '../src/parsers/asterisk/applications';
import type { Reachability } from '../src/resolvers/asterisk/channels';
import { DeferredFinding, type FindingKind, type FindingText } from '../src/rules/deferred';
import type { SourceLocation } from '../src/core/location';
import type { ContextIndex, DialplanExtension } from '../src/resolvers/asterisk/dialplan-index';

/**
 * One finding of this rule: what its texts are made of is kept in the finding itself (one object
 * per finding: 40,000 of them for a broken dialplan), and the texts are built when printed. Not
 * the DialTarget: a finding keeps only what its texts read that the model does not keep already.
 */
class DialFinding extends DeferredFinding {
  constructor(
    kind: FindingKind,
    location: SourceLocation,
    /**
     * The destination as written (its technology is read from it when printed), left out when it
     * is `PJSIP/` and the name (a broken dialplan's usual spelling: 40,000 strings kept for
     * nothing); and the name it looks up.
     */
    private readonly written: string | undefined,
    readonly resource: string,
    /** Where the Dial is: extension and context (the dialplan index's, read when printed), priority. */
    readonly extension: DialplanExtension,
    readonly context: ContextIndex,
    readonly priority: number,
    /**
     * Why the Dial always fails; undefined when no PJSIP endpoint has that name, the reason of
     * nearly every finding of a broken dialplan (40,000 findings each kept an object saying so).
     */
    readonly reach: (Reachability & { state: 'unreachable' }) | undefined,
  ) {
    super(kind, location);
  }

  get raw(): string {
    return this.written ?? PJSIP + this.resource;
  }
}

const PJSIP = 'PJSIP/';

/** What a finding keeps of the destination as written: nothing when it is `PJSIP/<resource>`. */
function writtenUnlessPlain(raw: string, resource: string): string | undefined {
  return raw.length === PJSIP.length + resource.length && raw.startsWith(PJSIP) && raw.endsWith(resource) ? undefined : raw;
}

/** The technology of a destination as written, upper-cased as the check compares it (`pjsip/x` → PJSIP). */
function techOf(raw: string): string {
  const slash = raw.indexOf('/');
  return slash < 0 ? '' : raw.slice(0, slash).toUpperCase();
}

/** The reason of a finding whose `reach` was left out: no PJSIP endpoint of that name. */
function missingEndpoint(name: string): Reachability & { state: 'unreachable' } {
  return { state: 'unreachable', cause: CAUSE.NO_ROUTE_DESTINATION, why: missingPjsipEndpointWhy(name) };
}

/** One wire text per hangup cause, shared by every finding with that cause. */
const wireByCause = new Map<number, string>();

function dialText(f: DialFinding): FindingText {
  const reach = f.reach ?? missingEndpoint(f.resource);
  let wire = wireByCause.get(reach.cause);
  if (wire === undefined) {
    wire = `the Dial always fails: DIALSTATUS=CHANUNAVAIL, caller cause ${causeName(reach.cause)} (→ ${sipStatusForCause(reach.cause)} if the dialplan then hangs up, 503 if it falls off the end)`;
    wireByCause.set(reach.cause, wire);
  }
  const raw = f.raw;
  return {
    message: `Dial(${raw}) at ${f.extension.name},${f.priority}@${f.context.context.name}: ${reach.why}`,
    wire,
    fix: reach.why.startsWith('no ') ? `dial an existing ${techOf(raw) === 'PJSIP' ? 'endpoint' : 'peer'} or define ${f.resource}` : 'give the endpoint an AOR with contact= or max_contacts>0',
    related: reach.location ? [{ location: reach.location, message: reach.why }] : undefined,
  };
}

export default createRule({
  id: 'dial-endpoint-missing',
  description: 'Dial() to a PJSIP/SIP endpoint that does not exist, or that can never have a contact (no aors, a missing AOR, max_contacts=0 without contact=)',
  defaultSeverity: 'error',
  platforms: ['asterisk'],
  docs: {
    why: 'chan_pjsip cannot create the channel ("No URI available. Is endpoint registered?" / endpoint not found), app_dial sets DIALSTATUS=CHANUNAVAIL and copies NO_ROUTE_DESTINATION (3) to the caller: a following Hangup() answers 404, falling off the end answers 503.',
    engineBehaviour: 'channels/chan_pjsip.c request(); apps/app_dial.c (DIALSTATUS, cause propagation); res/res_pjsip/location.c (contacts of an AOR); AOR max_contacts defaults to 0 (res/res_pjsip/pjsip_config.xml).',
    bad: '; pjsip.conf\n[1004]\ntype=endpoint\naors=1004   ; but no [1004] type=aor\n\n; extensions.conf\nexten => 1004,1,Dial(PJSIP/1004)',
    good: '[1004]\ntype=aor\nmax_contacts=1',
    fix: 'Dial an existing endpoint; give it aors= naming an AOR that has contact= or max_contacts>0 so it can register.',
  },
  check({ model, report, findingKind }) {
    if (!model.pjsip.present && !model.sip.present) return;
    const kind = findingKind(dialText);
    // Whether a Dial's arguments name a destination that can never be reached depends on their
    // text alone: a dialplan repeats the same few hundred Dial lines, each judged once.
    const clean = new Set<string>();
    return {
      priority(p, ext, ci) {
        if (!isDialApp(p.app)) return;
        const args = p.args;
        if (clean.has(args)) return;
        const dials = p.dials;
        let reported = false;
        for (let j = 0; j < dials.length; j++) {
          const d = dials[j];
          if (d.dynamic) continue;
          // The usual spellings skip toUpperCase (a V8 runtime call, for every Dial of the dialplan).
          const tech = d.tech === 'PJSIP' || d.tech === 'SIP' ? d.tech : d.tech.toUpperCase();
          // undefined: no PJSIP endpoint of that name (nearly every finding of a broken dialplan),
          // told without making pjsipEndpointReachability's answer for it; an endpoint that can
          // be reached gets no answer made either (pjsipEndpointUnreachable: null).
          let reach: Reachability | null | undefined = null;
          if (tech === 'PJSIP' && model.pjsip.present) reach = isMissingPjsipEndpoint(model, d.resource) ? undefined : pjsipEndpointUnreachable(model, d.resource);
          else if (tech === 'SIP' && model.sip.present) reach = sipPeerReachability(model, d.resource);
          if (reach === null || (reach !== undefined && reach.state !== 'unreachable')) continue;
          reported = true;
          // Deferred: the texts are built when a reporter prints them (src/rules/deferred.ts).
          report(new DialFinding(kind, d.location, writtenUnlessPlain(d.raw, d.resource), d.resource, ext, ci, p.number, reach));
        }
        if (!reported) clean.add(args);
      },
    };
  },
});
