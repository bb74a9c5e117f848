/**
 * Loads an Asterisk configuration directory (astetcdir) into the AsteriskModel: the dialplan,
 * chan_pjsip objects, chan_sip peers, and the common view (endpoints, entry points, local domains).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { LoadIssue } from '../../core/findings';
import type { AsteriskModel, Extension, PjsipEndpoint, PjsipIdentify, PjsipObject, Priority, SipPeer } from '../../model/asterisk';
import type { Endpoint, EntryPoint, LocalDomain } from '../../model/common';
import { isTrue, lastValue, readConf, type ConfDocument, type ConfReadOptions } from './conf';
import { buildDialplan, DialplanStream } from './dialplan';
import { buildPjsip, type WizardHint } from './pjsip';
import { buildChanSip } from './sip';
import { dialsOf, jumpsOf } from './applications';
import { setEndpointSource, type EndpointSource } from './common-view';

export interface AsteriskLoadOptions {
  /** Read `<name><suffix>` instead of `<name>` (e.g. `.sample` for Asterisk's sample configs). */
  suffix?: string;
}

export function loadAsterisk(root: string, options: AsteriskLoadOptions = {}): AsteriskModel {
  const suffix = options.suffix ?? '';
  const issues: LoadIssue[] = [];
  const readOptions: ConfReadOptions = {};
  const docs: ConfDocument[] = [];
  const read = (name: string, options: ConfReadOptions = readOptions): ConfDocument | null => {
    if (!fs.existsSync(path.join(root, name + suffix))) return null;
    const doc = readConf(root, name + suffix, options);
    docs.push(doc);
    return doc;
  };

  // asterisk.conf: where the files think they live, and whether #exec would run.
  const asteriskConf = read('asterisk.conf');
  if (asteriskConf) {
    for (const s of asteriskConf.sections) {
      const lower = s.name.toLowerCase();
      if (lower === 'directories') readOptions.astEtcDir = lastValue(s, 'astetcdir')?.value;
      if (lower === 'options') readOptions.execIncludes = isTrue(lastValue(s, 'execincludes')?.value);
    }
  }

  // extensions.conf is the big file: its contexts are built while it is read (DialplanStream),
  // unless something in it needs the whole document first; then it is read again whole.
  const stream = new DialplanStream();
  let extensions = read('extensions.conf', { ...readOptions, sink: stream });
  const streamed = Boolean(extensions && !extensions.streamAbandoned);
  if (extensions && !streamed) {
    docs.pop();
    extensions = read('extensions.conf');
  }
  const pjsipDoc = read('pjsip.conf');
  const wizardDoc = read('pjsip_wizard.conf');
  const sipDoc = read('sip.conf');
  const features = read('features.conf');
  for (const doc of docs) issues.push(...doc.issues);

  const dialplan = streamed && extensions ? stream.finish(extensions, issues) : buildDialplan(extensions, issues);
  const { pjsip, hints } = buildPjsip(pjsipDoc ? [pjsipDoc] : [], wizardDoc, issues);
  const sip = buildChanSip(sipDoc, issues);
  addWizardHints(dialplan, hints);

  for (const other of ['extensions.ael', 'extensions.lua', 'users.conf']) {
    const p = path.join(root, other + suffix);
    if (fs.existsSync(p)) {
      issues.push({ kind: 'not-modelled', severity: 'info', location: { file: p, line: 1, column: 1 }, message: `${other} also adds to the dialplan when its module is loaded; pbxlint does not read it, so numbers it defines are reported as missing` });
      if (other === 'users.conf') dialplan.usersConf = p;
    }
  }

  let pickupexten = '*8';
  const featuresGeneral = features?.sections.find((s) => s.name.toLowerCase() === 'general');
  const pickup = featuresGeneral ? lastValue(featuresGeneral, 'pickupexten') : undefined;
  if (pickup) pickupexten = pickup.value;

  const model: AsteriskModel = {
    platform: 'asterisk',
    root,
    mainFile: extensions?.file ?? pjsipDoc?.file ?? sipDoc?.file,
    sources: docs.flatMap((d) => d.sources),
    issues,
    localDomains: [],
    routesAnyDomain: true,
    endpoints: [],
    entryPoints: [],
    dialplan,
    pjsip,
    sip,
    pickupexten,
  };
  fillCommonView(model);
  return model;
}

/** add_hints(): a hint in hint_context, and a priority 1 only when hint_application is set. */
function addWizardHints(dialplan: AsteriskModel['dialplan'], hints: WizardHint[]): void {
  for (const h of hints) {
    let ctx = dialplan.contexts.get(h.context);
    if (!ctx) {
      ctx = { name: h.context, locations: [h.location], extensions: [], includes: [], switches: [], ignorepats: [] };
      dialplan.contexts.set(h.context, ctx);
    }
    const ext: Extension = { name: h.exten, matchName: h.exten, isPattern: h.exten.startsWith('_'), location: h.location, priorities: [], labels: new Map(), hint: { value: `PJSIP/${h.endpoint}`, location: h.location } };
    if (h.application) {
      const paren = h.application.indexOf('(');
      const app = paren >= 0 ? h.application.slice(0, paren) : h.application;
      const args = paren >= 0 ? h.application.slice(paren + 1, h.application.lastIndexOf(')') >= 0 ? h.application.lastIndexOf(')') : undefined) : '';
      const resolvedArgs = args.replace('${HINT}', `PJSIP/${h.endpoint}`);
      const priority: Priority = { number: 1, app, args: resolvedArgs, file: h.location.file, line: h.location.line, column: h.location.column, location: h.location, appColumn: h.location.column, jumps: jumpsOf(app, resolvedArgs, h.location), dials: dialsOf(app, resolvedArgs, h.location) };
      ext.priorities.push(priority);
    }
    ctx.extensions.push(ext);
  }
}

/**
 * What pjsipTrunkEvidence looks up, indexed once per model: a config may have thousands of
 * endpoints and of identify sections, and asking each endpoint's question by scanning all of
 * them would be quadratic.
 */
interface TrunkEvidenceIndex {
  /** The first identify (in file order) naming the endpoint and matching by address or header. */
  identifyByEndpoint: Map<string, PjsipIdentify>;
  /** The first outbound registration with line=yes naming the endpoint. */
  lineRegistrationByEndpoint: Map<string, PjsipObject>;
  /** Wizards that made an identify (remote_hosts=). */
  wizardsWithIdentify: Set<string>;
}

function trunkEvidenceIndex(model: AsteriskModel): TrunkEvidenceIndex {
  const identifyByEndpoint = new Map<string, PjsipIdentify>();
  const wizardsWithIdentify = new Set<string>();
  for (const i of model.pjsip.identifies) {
    const endpoint = i.endpoint?.value;
    if (endpoint !== undefined && (i.match.length > 0 || i.matchHeader) && !identifyByEndpoint.has(endpoint)) identifyByEndpoint.set(endpoint, i);
    if (i.fromWizard) wizardsWithIdentify.add(i.fromWizard);
  }
  const lineRegistrationByEndpoint = new Map<string, PjsipObject>();
  for (const reg of model.pjsip.registrations.values()) {
    const line = reg.options.find((o) => o.name === 'line');
    const endpoint = reg.options.find((o) => o.name === 'endpoint');
    if (endpoint && line && isTrue(line.value) && !lineRegistrationByEndpoint.has(endpoint.value)) lineRegistrationByEndpoint.set(endpoint.value, reg);
  }
  return { identifyByEndpoint, lineRegistrationByEndpoint, wizardsWithIdentify };
}

function pjsipTrunkEvidence(index: TrunkEvidenceIndex, ep: PjsipEndpoint): string | undefined {
  const ident = index.identifyByEndpoint.get(ep.id);
  if (ident) return `identified by source address (identify "${ident.id}")`;
  const reg = index.lineRegistrationByEndpoint.get(ep.id);
  if (reg) return `outbound registration "${reg.id}" with line=yes`;
  if (ep.fromWizard && index.wizardsWithIdentify.has(ep.fromWizard)) return `wizard "${ep.fromWizard}" with remote_hosts`;
  return undefined;
}

/** The static contacts of an endpoint that has none, one frozen list for all of them. */
const NO_CONTACTS = Object.freeze([]) as unknown as string[];

/** The model's entry points: one per PJSIP endpoint and SIP peer (`trunks` says which are trunks, in that order), and chan_sip's guest calls. */
function entryPointsOf(model: AsteriskModel, trunks: Uint8Array): EntryPoint[] {
  const entries: EntryPoint[] = [];
  let k = 0;
  model.pjsip.endpoints.forEach((ep) => {
    entries.push({ id: `pjsip:${ep.id}`, description: `calls from PJSIP endpoint ${ep.id}`, context: ep.overlapContext?.value ?? ep.context.value, location: ep.overlapContext?.location ?? ep.context.location, endpoint: ep.id, trunk: trunks[k++] === 1 });
  });
  for (const peer of model.sip.peers.values()) {
    const trunk = trunks[k++] === 1;
    if (peer.type !== 'peer') entries.push({ id: `sip:${peer.name}`, description: `calls from SIP peer ${peer.name}`, context: peer.context.value, location: peer.context.location, endpoint: peer.name, trunk });
    else entries.push({ id: `sip:${peer.name}`, description: `calls from SIP peer ${peer.name} (matched by IP)`, context: peer.context.value, location: peer.context.location, endpoint: peer.name, trunk });
  }
  if (model.sip.present && model.sip.general.allowguest) {
    entries.push({ id: 'sip:guest', description: 'unauthenticated (guest) calls to chan_sip', context: model.sip.general.context.value, location: model.sip.general.context.location, trunk: false });
  }
  return entries;
}

/** Why a chan_sip peer is taken for a trunk: a fixed host, as `type=peer` or with insecure=; undefined when it is not. */
function peerTrunkEvidence(peer: SipPeer): string | undefined {
  const host = peer.host?.value.toLowerCase();
  const insecure = peer.options.some((o) => o.name.toLowerCase() === 'insecure');
  return host !== 'dynamic' && host && (peer.type === 'peer' || insecure) ? `host=${peer.host!.value}${insecure ? ', insecure=' : ''}` : undefined;
}

function fillCommonView(model: AsteriskModel): void {
  // Whether each endpoint (PJSIP endpoints, then SIP peers, in model order) is a trunk, for the
  // entry points and endpoints made when first read (entryPointsOf, endpointOf).
  const pjsipEndpoints: PjsipEndpoint[] = new Array(model.pjsip.endpoints.size);
  const peers = [...model.sip.peers.values()];
  const trunks = new Uint8Array(pjsipEndpoints.length + peers.length);
  let k = 0;
  const evidenceIndex = trunkEvidenceIndex(model);
  const aorsByName = model.pjsip.aors;
  // forEach, not for-of: a cold run iterates in the interpreter, where for-of makes a result object per step.
  model.pjsip.endpoints.forEach((ep) => {
    pjsipEndpoints[k] = ep;
    trunks[k++] = pjsipTrunkEvidence(evidenceIndex, ep) !== undefined ? 1 : 0;
  });
  for (const peer of peers) trunks[k++] = peerTrunkEvidence(peer) !== undefined ? 1 : 0;

  const pjsipEndpointOf = (ep: PjsipEndpoint): Endpoint => {
    // One loop over the endpoint's AORs. The list is made at its size: a first push makes room
    // for 17 (~150 bytes), kept by every endpoint of the model.
    const aors: Endpoint['reachability']['aors'] = new Array(ep.aors.length);
    // Most endpoints have no static contact: they share one empty list.
    let staticContacts: string[] | undefined;
    let acceptsRegistration = false;
    for (let i = 0; i < ep.aors.length; i++) {
      const a = ep.aors[i];
      const aor = aorsByName.get(a.value);
      aors[i] = { name: a.value, location: a.location, exists: aor !== undefined };
      if (!aor) continue;
      for (let c = 0; c < aor.contacts.length; c++) (staticContacts ??= []).push(aor.contacts[c].value);
      if (aor.maxContacts > 0) acceptsRegistration = true;
    }
    const evidence = pjsipTrunkEvidence(evidenceIndex, ep);
    return {
      name: ep.id,
      kind: 'pjsip-endpoint',
      location: ep.location,
      context: { name: ep.context.value, location: ep.context.location, defaulted: ep.contextDefaulted },
      isTrunk: evidence !== undefined,
      trunkEvidence: evidence,
      reachability: { aors, staticContacts: staticContacts ?? NO_CONTACTS, acceptsRegistration },
    };
  };
  const peerEndpointOf = (peer: SipPeer): Endpoint => {
    const dynamic = peer.host?.value.toLowerCase() === 'dynamic';
    const evidence = peerTrunkEvidence(peer);
    return {
      name: peer.name,
      kind: 'sip-peer',
      location: peer.location,
      context: { name: peer.context.value, location: peer.context.location, defaulted: peer.contextDefaulted },
      isTrunk: evidence !== undefined,
      trunkEvidence: evidence,
      reachability: { aors: [], staticContacts: !dynamic && peer.host ? [peer.host.value] : [], acceptsRegistration: dynamic },
    };
  };
  const source: EndpointSource = {
    count: trunks.length,
    trunks,
    name: (i) => (i < pjsipEndpoints.length ? pjsipEndpoints[i].id : peers[i - pjsipEndpoints.length].name),
    make: (i) => (endpoints !== undefined ? endpoints[i] : i < pjsipEndpoints.length ? pjsipEndpointOf(pjsipEndpoints[i]) : peerEndpointOf(peers[i - pjsipEndpoints.length])),
  };
  setEndpointSource(model, source);
  let endpoints: Endpoint[] | undefined;
  Object.defineProperty(model, 'endpoints', {
    configurable: true,
    enumerable: true,
    get: () => {
      if (endpoints === undefined) {
        const all: Endpoint[] = new Array(source.count);
        for (let i = 0; i < source.count; i++) all[i] = source.make(i);
        endpoints = all;
      }
      return endpoints;
    },
    set: (value: Endpoint[]) => {
      endpoints = value;
      setEndpointSource(model, undefined);
    },
  });
  const domains: LocalDomain[] = [];
  for (const [alias, { domain }] of model.pjsip.domainAliases) {
    domains.push({ name: alias, origin: `pjsip domain_alias → ${domain.value}`, location: domain.location });
  }
  for (const t of model.pjsip.transports.values()) {
    const d = t.options.find((o) => o.name === 'domain');
    if (d) domains.push({ name: d.value, origin: `pjsip transport ${t.id} domain`, location: d.location });
  }
  for (const d of model.sip.general.domains) domains.push({ name: d.domain, origin: 'sip.conf domain=', location: d.location });
  // Made when first read: lint never reads them (graph and coverage do), and a model of 10,000
  // endpoints kept 10,000 of them (1.3 MB with their texts) for nothing.
  let entries: EntryPoint[] | undefined;
  Object.defineProperty(model, 'entryPoints', {
    configurable: true,
    enumerable: true,
    get: () => (entries ??= entryPointsOf(model, trunks)),
    set: (value: EntryPoint[]) => {
      entries = value;
    },
  });
  model.localDomains = domains;
  // chan_pjsip ignores the Request-URI host when routing; chan_sip refuses foreign domains only
  // with a domain list and allowexternaldomains=no (check_sip_domain in get_destination).
  model.routesAnyDomain = !(model.sip.present && !model.pjsip.present && model.sip.general.domains.length > 0 && !model.sip.general.allowexternaldomains);
}
