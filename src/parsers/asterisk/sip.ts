/**
 * sip.conf → chan_sip peers and [general] settings, with chan_sip's defaults
 * (channels/sip/include/sip.h and reload_config in channels/chan_sip.c, branch 18; chan_sip was
 * removed in Asterisk 21 but many deployments still run it).
 */
import type { LoadIssue } from '../../core/findings';
import type { ChanSipConfig, SipPeer } from '../../model/asterisk';
import { allValues, isTrue, lastValue, type ConfDocument } from './conf';

export function emptyChanSip(): ChanSipConfig {
  return {
    present: false,
    general: {
      context: { value: 'default', location: { file: '', line: 0, column: 0 } },
      allowguest: true,
      alwaysauthreject: true,
      allowexternaldomains: true,
      autodomain: false,
      allowoverlap: 'yes',
      domains: [],
    },
    peers: new Map(),
  };
}

function overlapOf(value: string | undefined): 'yes' | 'no' | 'dtmf' | undefined {
  if (value === undefined) return undefined;
  if (/^dtmf$/i.test(value.trim())) return 'dtmf';
  return isTrue(value) ? 'yes' : 'no';
}

export function buildChanSip(doc: ConfDocument | null, issues: LoadIssue[]): ChanSipConfig {
  const sip = emptyChanSip();
  if (!doc?.found) return sip;
  sip.present = true;
  sip.file = doc.file;
  sip.general.context.location = { file: doc.file, line: 1, column: 1 };
  const general = doc.sections.find((s) => !s.template && s.name.toLowerCase() === 'general');
  if (general) {
    const g = sip.general;
    const ctx = lastValue(general, 'context');
    if (ctx) g.context = { value: ctx.value, location: ctx.valueLocation };
    const bool = (name: string, dflt: boolean) => {
      const v = lastValue(general, name);
      return v ? isTrue(v.value) : dflt;
    };
    g.allowguest = bool('allowguest', true);
    g.alwaysauthreject = bool('alwaysauthreject', true);
    g.allowexternaldomains = bool('allowexternaldomains', true);
    g.autodomain = bool('autodomain', false);
    g.allowoverlap = overlapOf(lastValue(general, 'allowoverlap')?.value) ?? 'yes';
    for (const d of allValues(general, 'domain')) {
      const [domain, context] = d.value.split(',').map((s) => s.trim());
      if (domain) g.domains.push({ domain, context: context || undefined, location: d.valueLocation });
    }
    if (!g.allowexternaldomains && g.domains.length === 0 && !g.autodomain) {
      issues.push({ kind: 'parse-error', severity: 'warning', location: lastValue(general, 'allowexternaldomains')!.location, message: 'allowexternaldomains=no with no domain= list: chan_sip forces it back to yes' });
      g.allowexternaldomains = true;
    }
  }
  for (const s of doc.sections) {
    const lower = s.name.toLowerCase();
    if (s.template || lower === 'general' || lower === 'authentication') continue;
    const type = lastValue(s, 'type')?.value.trim().toLowerCase();
    if (type !== 'peer' && type !== 'user' && type !== 'friend') {
      issues.push({ kind: 'parse-error', severity: 'warning', location: s.location, message: `[${s.name}] has no valid "type=" (peer, user or friend): chan_sip ignores it` });
      continue;
    }
    const ctx = lastValue(s, 'context');
    const host = lastValue(s, 'host');
    const peer: SipPeer = {
      name: s.name,
      type,
      location: s.location,
      context: ctx ? { value: ctx.value, location: ctx.valueLocation, inheritedFrom: ctx.inheritedFrom } : { ...sip.general.context },
      contextDefaulted: !ctx,
      host: host ? { value: host.value, location: host.valueLocation } : undefined,
      allowOverlap: overlapOf(lastValue(s, 'allowoverlap')?.value),
      options: s.variables.map((v) => ({ name: v.name, value: v.value, location: v.valueLocation, inheritedFrom: v.inheritedFrom })),
    };
    sip.peers.set(s.name, peer);
  }
  return sip;
}
