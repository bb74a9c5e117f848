import { createRule } from '../src/rules/api';
import { isMissingPjsipEndpoint, missingPjsipEndpointWhy, pjsipEndpointReachability, sipPeerReachability } from '../src/resolvers/asterisk/channels';
import { CAUSE, causeName, sipStatusForCause } from '../src/resolvers/asterisk/causes';
import { isDialApp } from '../src/parsers/asterisk/applications';
import type { Reachability } from '../src/resolvers/asterisk/channels';
import type { FindingText } from '../src/rules/deferred';
import type { ContextIndex, DialplanExtension } from '../src/resolvers/asterisk/dialplan-index';

/**
 * What differs between two findings of this rule; the texts are built from it when printed. Not
 * the DialTarget: a finding keeps only what its texts read that the model does not keep already.
 */
interface DialFinding {
  /** The destination as written, its technology (upper-cased) and the name it looks up. */
  raw: string;
  tech: string;
  resource: string;
  /** Where the Dial is: extension and context (the dialplan index's, read when printed), priority. */
  extension: DialplanExtension;
  context: ContextIndex;
  priority: number;
  /**
   * Why the Dial always fails; undefined when no PJSIP endpoint has that name, the reason of
   * nearly every finding of a broken dialplan (40,000 findings each kept an object saying so).
   */
  reach: (Reachability & { state: 'unreachable' }) | undefined;
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
  return {
    message: `Dial(${f.raw}) at ${f.extension.name},${f.priority}@${f.context.context.name}: ${reach.why}`,
    wire,
    fix: reach.why.startsWith('no ') ? `dial an existing ${f.tech === 'PJSIP' ? 'endpoint' : 'peer'} or define ${f.resource}` : 'give the endpoint an AOR with contact= or max_contacts>0',
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
  check({ model, report }) {
    if (!model.pjsip.present && !model.sip.present) return;
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
          // told without making pjsipEndpointReachability's answer for it.
          let reach: Reachability | null | undefined = null;
          if (tech === 'PJSIP' && model.pjsip.present) reach = isMissingPjsipEndpoint(model, d.resource) ? undefined : pjsipEndpointReachability(model, d.resource);
          else if (tech === 'SIP' && model.sip.present) reach = sipPeerReachability(model, d.resource);
          if (reach === null || (reach !== undefined && reach.state !== 'unreachable')) continue;
          reported = true;
          // Deferred: the texts are built when a reporter prints them (src/rules/deferred.ts).
          report<DialFinding>({ location: d.location, data: { raw: d.raw, tech, resource: d.resource, extension: ext, context: ci, priority: p.number, reach }, text: dialText });
        }
        if (!reported) clean.add(args);
      },
    };
  },
});
