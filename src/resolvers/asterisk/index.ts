/**
 * What Asterisk does with an inbound request, before and after the dialplan:
 * - chan_pjsip: endpoint identification (res/res_pjsip/pjsip_distributor.c, identifier modules),
 *   authentication (an unidentified request meets the artificial endpoint: 401, never 404),
 *   get_destination() in res/res_pjsip_session.c (404 / 484 before any dialplan runs), OPTIONS in
 *   res/res_pjsip/pjsip_options.c, REGISTER in res/res_pjsip_registrar.c;
 * - chan_sip (channels/chan_sip.c, branch 18): guests, domains, allowoverlap, register_verify;
 * - then the dialplan interpreter (pbx.ts) and chan_pjsip's hangup cause → status mapping.
 */
import type { AsteriskModel, PjsipEndpoint, SipPeer } from '../../model/asterisk';
import { METHODS, RouteUsageError, summarizeOutcomes, type Resolver, type RouteAnswer, type RouteOutcome, type RouteRequest, type RouteStep } from '../types';
import { conditionTexts, consistent, findExtension, findLocalExtension, type Condition, type FactChain, type FindBranch, type FindRequest, type FindStep } from './find';
import { exactly, IDENTITY, lookupCell, pullBack, reportLiterals, type CellPrecision, type Derivation } from './lookup-cells';
import { complement, compile, fromStrings, type Dfa } from '../../automata/dfa';
import { ANY_STRING, cat, literal } from '../../automata/regex';
import { runDialplan, type PbxRun } from './pbx';
import { ipMatches } from './ip';
import { parseDialTarget } from '../../core/sip-uri';

const NO_CONDITIONS: readonly Condition[] = [];
const NO_FIND_STEPS: readonly FindStep[] = [];

/** The channel the call arrives on: a SIP driver, or a Local channel (--originate). */
type Driver = 'pjsip' | 'sip' | 'local';

/** Where a request enters routing. Read-only: one entry may serve many requests. */
interface Entry {
  readonly driver: Driver;
  readonly context: string;
  /** Overlap dialling: 484 instead of 404 when the number is a prefix of an extension. */
  readonly allowOverlap: boolean;
  /** The identification steps, which lead answers given before the dialplan runs (copied into them). */
  readonly steps: readonly RouteStep[];
  readonly describe: string;
  /** " " + describe, for describeRequest (kept: a shared entry describes many requests). */
  readonly describeSuffix?: string;
  readonly endpoint?: PjsipEndpoint;
  readonly peer?: SipPeer;
  /** The endpoint has inbound auth: the first request is challenged. */
  readonly challenged?: string;
}

/** "INVITE sip:" and the like, made once: describing a request then joins three strings, not seven. */
const requestHeads = new Map<string, string>();

/** "INVITE sip:2025550100 (caller 5551234) from PJSIP endpoint trunk, context from-trunk"; `entrySuffix` is " " + the entry's description. */
function describeRequest(req: RouteRequest, entrySuffix: string): string {
  let head = requestHeads.get(req.method);
  if (head === undefined) requestHeads.set(req.method, (head = `${req.method} sip:`));
  let s = head + req.user;
  if (req.domain) s += req.user === '' && req.ruriMalformed === undefined ? req.domain : `@${req.domain}`;
  if (req.callerId) s += ` (caller ${req.callerId})`;
  else if (req.callerId === '') s += ' (no caller number)';
  return s + entrySuffix;
}

/** chan_sip's sip_methods[] (sip.h): the methods it knows, and those that cannot create a dialog (ACK apart). */
const CHAN_SIP_METHODS = new Set(['REGISTER', 'OPTIONS', 'NOTIFY', 'INVITE', 'ACK', 'PRACK', 'BYE', 'REFER', 'SUBSCRIBE', 'MESSAGE', 'UPDATE', 'INFO', 'CANCEL', 'PUBLISH', 'PING']);
const CHAN_SIP_NO_DIALOG = new Set(['PRACK', 'BYE', 'UPDATE', 'INFO', 'CANCEL']);

/**
 * pjsip's parser (pjsip/src/pjsip/sip_msg.c pjsip_method_init_np, called by sip_parser.c
 * int_parse_req_line) gives its six own methods their id in any case (pj_stricmp) and their
 * upper-case name; any other name stays as written, and pjsip_method_cmp compares such names
 * case-sensitively (res_pjsip_messaging's MESSAGE does not match "message").
 */
const PJSIP_CORE_METHODS = new Set(['INVITE', 'CANCEL', 'ACK', 'BYE', 'REGISTER', 'OPTIONS']);

/** The method as the channel driver sees it: chan_sip matches its names case-insensitively (chan_sip.c find_sip_method, method_match). */
function driverMethod(driver: Driver, method: string): string {
  const upper = method.toUpperCase();
  if (driver === 'sip') return CHAN_SIP_METHODS.has(upper) ? upper : method;
  return PJSIP_CORE_METHODS.has(upper) ? upper : method;
}

/** Whether a request goes to chan_pjsip (not a Local channel, nor a chan_sip peer or chan_sip alone). */
function reachesPjsip(model: AsteriskModel, req: RouteRequest): boolean {
  if (req.originate) return false;
  if (req.endpoint !== undefined) return model.pjsip.endpoints.has(req.endpoint);
  return model.pjsip.present || !model.sip.present;
}

/**
 * What chan_pjsip answers before any endpoint is identified:
 *  - a Request-URI with an "@" and no user (`sip:@host`): the parser refuses it (sip_parser.c
 *    int_parse_user_pass → pj_scan_get on an empty user raises a syntax error), and the transport
 *    layer drops the packet with a log line and no reply (sip_transport.c
 *    pjsip_tpmgr_receive_packet: "Dropping … packet");
 *  - a BYE or CANCEL that matches no dialog: res_pjsip/pjsip_distributor.c distributor() finds no
 *    dialog serializer and answers 481 statelessly, before identification and authentication.
 */
function beforeIdentification(req: RouteRequest, method: string): RouteOutcome | null {
  if (req.ruriMalformed !== undefined) return reject(null, `the Request-URI does not parse (${req.ruriMalformed}): pjsip's parser raises a syntax error (sip_parser.c int_parse_user_pass) and the transport drops the packet without a reply (sip_transport.c pjsip_tpmgr_receive_packet)`, []);
  if (method === 'BYE' || method === 'CANCEL') return reject(481, `${req.method} outside a dialog: chan_pjsip answers 481 Call/Transaction Does Not Exist before identifying the caller (pjsip_distributor.c distributor)`, []);
  return null;
}

const reject = (status: number | null, reason: string, steps: RouteStep[], conditions: string[] = []): RouteOutcome => ({ verdict: 'rejected', status, reason, target: null, steps, conditions });

/** Whether a request goes to chan_sip (a named peer, or chan_sip alone), as identify() decides the driver. */
function reachesChanSip(model: AsteriskModel, req: RouteRequest): boolean {
  if (req.originate) return false;
  if (req.endpoint !== undefined) return !model.pjsip.endpoints.has(req.endpoint) && model.sip.peers.has(req.endpoint);
  return model.sip.present && !model.pjsip.present;
}

/**
 * chan_sip.c find_call, outside a dialog (method names compared case-insensitively, method_match):
 * a method that cannot create a dialog (sip_methods[].can_create) gets 481, an ACK nothing, PING
 * (CAN_CREATE_DIALOG_UNSUPPORTED_METHOD) 501; a method chan_sip does not know creates a dialog and
 * handle_incoming's default answers 501. None of these looks at the peer (check_user runs in
 * handle_request_invite and the like), so they come before identification: an unknown caller
 * gets them too, not 403.
 */
function chanSipMethodAnswer(req: RouteRequest): RouteOutcome | null {
  const m = req.method.toUpperCase();
  if (m === 'INVITE') return null;
  if (CHAN_SIP_NO_DIALOG.has(m)) return reject(481, `${req.method} outside a dialog: chan_sip answers 481 Call leg/transaction does not exist (chan_sip.c find_call)`, []);
  if (m === 'ACK') return reject(null, 'an ACK outside a dialog: chan_sip sends nothing (chan_sip.c find_call)', []);
  if (m === 'PING' || !CHAN_SIP_METHODS.has(m)) return reject(501, `chan_sip does not implement ${req.method}: 501 Method Not Implemented (chan_sip.c ${m === 'PING' ? 'find_call' : 'handle_incoming'})`, []);
  return null;
}

/** Which endpoint the request comes from, the way the distributor's identifiers would decide. */
function identify(model: AsteriskModel, req: RouteRequest): Entry | RouteOutcome {
  // Both would be two different calls (a Local channel, a SIP caller): refused rather than one silently dropped.
  if (req.originate && req.endpoint !== undefined) throw new RouteUsageError('--originate starts a Local channel into --context, with no SIP caller: it does not go with --endpoint');
  if (req.endpoint !== undefined) {
    const ep = model.pjsip.endpoints.get(req.endpoint);
    if (ep) return namedEndpointEntry(ep);
    const peer = model.sip.peers.get(req.endpoint);
    if (peer) return sipEntry(model, peer);
    const known = [...model.pjsip.endpoints.keys(), ...model.sip.peers.keys()];
    throw new RouteUsageError(`no endpoint or peer named "${req.endpoint}"${known.length ? `; known: ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', …' : ''}` : ''}`);
  }
  if (req.originate) {
    if (req.context === undefined) throw new RouteUsageError('--originate starts a Local channel into a context (`channel originate Local/NUMBER@CONTEXT`): give it --context');
    if (req.method !== 'INVITE') throw new RouteUsageError(`--originate simulates a call on a Local channel; ${req.method} has no meaning there (use --context or --endpoint)`);
    return { driver: 'local', context: req.context, allowOverlap: false, steps: [], describe: 'a Local channel, with no SIP channel driver before the dialplan' };
  }
  if (req.context !== undefined) {
    const driver: Driver = model.pjsip.present || !model.sip.present ? 'pjsip' : 'sip';
    const overlap = driver === 'pjsip' ? true : model.sip.general.allowoverlap === 'yes';
    return { driver, context: req.context, allowOverlap: overlap, steps: [], describe: `into context ${req.context} (as ${driver === 'pjsip' ? 'chan_pjsip' : 'chan_sip'} would route an identified caller whose context it is)` };
  }
  if (req.sourceIp === undefined && req.fromUser === undefined) {
    throw new RouteUsageError('say where the call comes from: --context C, --endpoint E, or --from-user/--source-ip to identify the caller as Asterisk would');
  }
  // global endpoint_identifier_order (default ip,username,anonymous), each endpoint's identify_by.
  for (const method of model.pjsip.global.endpointIdentifierOrder) {
    if (method === 'ip' && req.sourceIp) {
      for (const ident of model.pjsip.identifies) {
        const ep = ident.endpoint && model.pjsip.endpoints.get(ident.endpoint.value);
        if (!ep || !ep.identifyBy.includes('ip')) continue;
        const hit = ident.match.find((m) => ipMatches(m.value, req.sourceIp!));
        if (hit) return pjsipEntry(ep, `from PJSIP endpoint ${ep.id} (identified by source ${req.sourceIp}, identify ${ident.id} at ${hit.location.file}:${hit.location.line})`);
      }
    }
    if (method === 'username' && req.fromUser) {
      const domain = req.fromDomain;
      const candidates = [domain ? `${req.fromUser}@${domain}` : undefined, domain && model.pjsip.domainAliases.get(domain) ? `${req.fromUser}@${model.pjsip.domainAliases.get(domain)!.domain.value}` : undefined, req.fromUser].filter((x): x is string => Boolean(x));
      for (const c of candidates) {
        const ep = model.pjsip.endpoints.get(c);
        if (ep && ep.identifyBy.includes('username')) return pjsipEntry(ep, `from PJSIP endpoint ${ep.id} (identified by From user ${req.fromUser})`);
      }
    }
    if (method === 'anonymous') {
      const domain = req.fromDomain;
      const ep = (domain && model.pjsip.endpoints.get(`anonymous@${domain}`)) || model.pjsip.endpoints.get('anonymous');
      if (ep) return pjsipEntry(ep, `from the anonymous endpoint ${ep.id}`);
    }
  }
  if (model.sip.present && !model.pjsip.present) {
    const peer = req.fromUser ? model.sip.peers.get(req.fromUser) : undefined;
    if (peer) return sipEntry(model, peer);
    if (model.sip.general.allowguest) {
      const g = model.sip.general;
      return { driver: 'sip', context: g.context.value, allowOverlap: g.allowoverlap === 'yes', steps: [{ file: g.context.location.file, line: g.context.location.line, kind: 'identify', text: `no peer matches: a guest call (allowguest=yes) in context ${g.context.value}` }], describe: 'from an unknown caller (chan_sip guest)' };
    }
    return reject(403, 'no peer matches and allowguest=no: chan_sip refuses the call (a fake challenge first when alwaysauthreject=yes, then 403)', []);
  }
  return reject(401, 'no endpoint identifies this request: chan_pjsip gives it the artificial endpoint, which always challenges — 401, and 401 again after credentials (never 404)', []);
}

/**
 * The entry of a request said to come from endpoint `ep` (--endpoint): it depends on the endpoint
 * alone, so it is made once per endpoint and shared by every request from it (hence no answer may
 * change an entry's steps in place: they are copied into answers).
 */
const namedEntries = new WeakMap<PjsipEndpoint, Entry>();
function namedEndpointEntry(ep: PjsipEndpoint): Entry {
  let entry = namedEntries.get(ep);
  if (entry === undefined) {
    const made = pjsipEntry(ep, `from PJSIP endpoint ${ep.id}`);
    namedEntries.set(ep, (entry = { ...made, describeSuffix: ` ${made.describe}` }));
  }
  return entry;
}

function pjsipEntry(ep: PjsipEndpoint, describe: string): Entry {
  const ctx = ep.overlapContext ?? ep.context;
  return {
    driver: 'pjsip',
    context: ctx.value,
    allowOverlap: ep.allowOverlap,
    endpoint: ep,
    describe: `${describe}, context ${ctx.value}`,
    challenged: ep.auth.length ? `endpoint ${ep.id} has auth=${ep.auth.map((a) => a.value).join(',')}: the first request is challenged (401); with valid credentials:` : undefined,
    steps: [new EndpointContextStep(ep)],
  };
}

/**
 * "endpoint trunk: context=from-trunk": made for every request from an endpoint, shown only in
 * answers the dialplan does not give (404, 484, OPTIONS…), so its text is built when read.
 */
class EndpointContextStep implements RouteStep {
  readonly kind = 'identify';

  constructor(private readonly ep: PjsipEndpoint) {}

  private get ctx() {
    return this.ep.overlapContext ?? this.ep.context;
  }

  get file(): string {
    return this.ctx.location.file;
  }

  get line(): number {
    return this.ctx.location.line;
  }

  get column(): number {
    return this.ctx.location.column;
  }

  get text(): string {
    const ep = this.ep;
    return `endpoint ${ep.id}: ${ep.overlapContext ? 'overlap_context' : 'context'}=${this.ctx.value}${ep.contextDefaulted && !ep.overlapContext ? ' (default)' : ''}`;
  }

  toJSON(): RouteStep {
    return { file: this.file, line: this.line, column: this.column, kind: this.kind, text: this.text };
  }
}

function sipEntry(model: AsteriskModel, peer: SipPeer): Entry {
  const overlap = (peer.allowOverlap ?? model.sip.general.allowoverlap) === 'yes' && model.sip.general.allowoverlap !== 'no';
  return {
    driver: 'sip',
    context: peer.context.value,
    allowOverlap: overlap,
    peer,
    describe: `from SIP peer ${peer.name}, context ${peer.context.value}`,
    steps: [{ file: peer.context.location.file, line: peer.context.location.line, column: peer.context.location.column, kind: 'identify', text: `peer ${peer.name}: context=${peer.context.value}${peer.contextDefaulted ? ' (from [general])' : ''}` }],
  };
}

function contextNote(model: AsteriskModel, context: string): string {
  if (model.dialplan.loadFailure) return ` (extensions.conf failed to load: ${model.dialplan.loadFailure.message})`;
  if (!model.dialplan.contexts.has(context)) {
    const other = [...model.dialplan.contexts.keys()].find((c) => c.toLowerCase() === context.toLowerCase());
    return other ? ` (context ${context} does not exist; [${other}] differs in case, and Asterisk compares context names case-sensitively)` : ` (context ${context} does not exist)`;
  }
  return '';
}

/**
 * Where a call from a named endpoint or peer enters routing (the entry `--endpoint` gives): the
 * context get_destination() searches, whether overlap dialling is on, the channel driver and the
 * pickup extension it takes first. For coverage's projection of the first lookup (coverage/asterisk.ts).
 */
export function entryOfEndpoint(model: AsteriskModel, name: string): { driver: 'pjsip' | 'sip'; context: string; allowOverlap: boolean; pickupexten: string } | undefined {
  const ep = model.pjsip.endpoints.get(name);
  const peer = ep ? undefined : model.sip.peers.get(name);
  const entry = ep ? namedEndpointEntry(ep) : peer ? sipEntry(model, peer) : undefined;
  if (!entry || entry.driver === 'local') return undefined;
  return { driver: entry.driver, context: entry.context, allowOverlap: entry.allowOverlap, pickupexten: model.pickupexten };
}

/** get_destination(): exists at priority 1 → dialplan; else 484 with overlap; else 404. */
function inviteOutcomes(model: AsteriskModel, req: RouteRequest, entry: Entry): PbxRun {
  let exten = req.user === '' ? 's' : req.user;
  const observe = req.observe;
  // Coverage: how the extension looked up derives from the dialled string (undefined: it does not).
  let source: Derivation | undefined = req.user === '' ? undefined : IDENTITY;
  if (observe) observe.test(req.user === '' ? EMPTY_USER : NON_EMPTY_USER, 'the Request-URI has a user part');
  if (model.pjsip.global.ignoreUriUserOptions && entry.driver === 'pjsip') {
    // res_pjsip ignore_uri_user_options: the user part is cut at ';'.
    if (observe) {
      const cut = exten.includes(';');
      observe.test(cut ? WITH_SEMICOLON : complement(WITH_SEMICOLON), 'the user part has ;');
      if (cut) {
        observe.opaque('ignore_uri_user_options cuts the user part at ;');
        // The lookups see the cut string: not reported (the class is not modelled anyway).
        source = undefined;
      }
    }
    exten = exten.split(';')[0];
  }
  // The identification steps lead every answer given before the dialplan runs.
  const pre = entry.steps;
  if (model.dialplan.loadFailure) {
    return { outcomes: [reject(404, `Asterisk has no dialplan: extensions.conf failed to load (${model.dialplan.loadFailure.message}), so no extension exists → 404`, [...pre, { file: model.dialplan.loadFailure.location.file, line: model.dialplan.loadFailure.location.line, kind: 'load', text: 'extensions.conf rejected' }])], notModelled: [] };
  }
  // chan_pjsip's call_pickup_supplement (channels/chan_pjsip.c call_pickup_incoming_request) takes
  // the pickup code before the dialplan; a Local channel has no such supplement.
  if (observe && source && entry.driver !== 'local') observe.test(exten === model.pickupexten ? exactly(model.pickupexten) : notPickup(model.pickupexten), 'the pickup extension');
  if (exten === model.pickupexten && entry.driver !== 'local') {
    return { outcomes: [{ verdict: 'routed', status: null, reason: `${exten} is the pickup extension (features.conf pickupexten): chan_pjsip routes it to call pickup`, target: { kind: 'application', name: 'Pickup' }, steps: pre.slice(), conditions: [] }], notModelled: [] };
  }
  // The usual case: the entry context itself has the extension (nothing else is searched).
  // Without a caller ID in the request, caller-ID matches fork the answer (find.ts choicesIn).
  const callerUnknown = req.callerId === undefined;
  if (observe && source) observeEntryLookup(model, req, { context: entry.context, exten, callerId: req.callerId, callerUnknown, priority: 1, mode: 'match', time: req.time }, source, 'winner');
  const local = findLocalExtension(model, entry.context, exten, req.callerId, 1, callerUnknown);
  if (local) return challenge(entry, runDialplan(model, req, entry.context, exten, NO_CONDITIONS, local, NO_FIND_STEPS));
  const outcomes: RouteOutcome[] = [];
  const notModelled: string[] = [];
  const branches: FindBranch[] = findExtension(model, { context: entry.context, exten, callerId: req.callerId, callerUnknown, priority: 1, mode: 'match', time: req.time });
  // Found through includes or switches: one extension still gives the run's outcomes as they are.
  const only = branches.length === 1 ? branches[0] : undefined;
  if (only?.kind === 'extension') return challenge(entry, runFrom(model, req, entry, exten, only));
  for (const b of branches) {
    if (b.kind === 'switch') {
      notModelled.push(`switch ${b.sw.data}`);
      outcomes.push({ verdict: 'routed', status: null, reason: `${exten} may exist through switch ${b.sw.data} (decided at run time)`, target: { kind: 'switch', name: b.sw.data }, steps: pre.slice(), conditions: conditionTexts(b.conditions) });
      continue;
    }
    if (b.kind === 'extension') {
      const run = runFrom(model, req, entry, exten, b);
      notModelled.push(...run.notModelled);
      outcomes.push(...run.outcomes);
      continue;
    }
    // Not found at priority 1: overlap (484) or 404. Whether the number is a prefix can itself
    // depend on the caller (a CID variant) or the time (a timed include): each way of that lookup
    // consistent with this one is its own outcome.
    const ctxInfo = contextNote(model, entry.context);
    const ctxLoc = model.dialplan.contexts.get(entry.context)?.locations[0];
    const steps = [...pre];
    if (ctxLoc) steps.push({ file: ctxLoc.file, line: ctxLoc.line, column: ctxLoc.column, kind: 'context', text: `no extension in [${entry.context}] (or its includes) matches ${exten} at priority 1`, context: entry.context });
    const incomplete = (conditions: readonly Condition[]) => reject(484, `${exten} is a prefix of an extension in [${entry.context}] and overlap dialling is on (allow_overlap=yes): Address Incomplete${ctxInfo}`, steps, conditionTexts(conditions));
    if (entry.driver === 'local') {
      // main/core_local.c local_call: `if (!ast_exists_extension(NULL, p->context, p->exten, 1, chan_cid))`
      // logs "No such extension/context %s@%s while calling Local channel" and fails the call;
      // no SIP response exists (no overlap either: the Local channel is not waiting for digits).
      outcomes.push(reject(null, `no extension in [${entry.context}] matches ${exten} at priority 1: the Local channel refuses the call ("No such extension/context ${exten}@${entry.context} while calling Local channel", main/core_local.c) and the origination fails${ctxInfo}`, steps, conditionTexts(b.conditions)));
      continue;
    }
    const notFound = (conditions: readonly Condition[]) => reject(404, `no extension in [${entry.context}] matches ${exten} at priority 1, so ${entry.driver === 'pjsip' ? 'chan_pjsip' : 'chan_sip'} answers 404 before any dialplan runs${ctxInfo}`, steps, conditionTexts(conditions));
    if (!entry.allowOverlap) {
      outcomes.push(notFound(b.conditions));
      continue;
    }
    if (observe && source) observe.test(model.pickupexten.startsWith(exten) ? prefixesOfPickup(model.pickupexten) : complement(prefixesOfPickup(model.pickupexten)), 'a prefix of the pickup extension');
    if (model.pickupexten.startsWith(exten)) {
      outcomes.push(incomplete(b.conditions));
      continue;
    }
    const assumed = new Map(b.conditions.map((c) => [c.key, c.holds]));
    // What the exists test assumed is known to the canmatch test (its questions are said knowing it).
    let facts: FactChain | undefined;
    for (const c of b.conditions) facts = { key: c.key, holds: c.holds, next: facts };
    const canmatch: FindRequest = { context: entry.context, exten, callerId: req.callerId, callerUnknown, facts, priority: 1, mode: 'canmatch', time: req.time };
    if (observe && source) observeEntryLookup(model, req, canmatch, source, 'found');
    const ways = findExtension(model, canmatch).filter((x) => consistent(x.conditions, assumed));
    const prefixWays = ways.filter((x) => x.kind !== 'none');
    if (prefixWays.length === 0) outcomes.push(notFound(b.conditions));
    else if (prefixWays.length === ways.length) outcomes.push(incomplete(b.conditions));
    else for (const x of ways) outcomes.push((x.kind === 'none' ? notFound : incomplete)([...b.conditions, ...x.conditions.filter((c) => !assumed.has(c.key))]));
  }
  return challenge(entry, { outcomes, notModelled });
}

const EMPTY_USER = fromStrings(['']);
const NON_EMPTY_USER = complement(EMPTY_USER);
const WITH_SEMICOLON = compile(cat([ANY_STRING, literal(';'), ANY_STRING]));

const notPickups = new Map<string, Dfa>();
function notPickup(pickup: string): Dfa {
  let d = notPickups.get(pickup);
  if (!d) notPickups.set(pickup, (d = complement(exactly(pickup))));
  return d;
}

/** Strings that are a prefix of the pickup extension (the empty one excepted: exten is never empty). */
function prefixesOfPickup(pickup: string): Dfa {
  let d = pickupPrefixes.get(pickup);
  if (!d) {
    const out: string[] = [];
    for (let i = 0; i <= pickup.length; i++) out.push(pickup.slice(0, i));
    d = fromStrings(out);
    // (Coverage asks on every run; the same automaton also keeps its complement, see complement.)
    if (pickupPrefixes.size > 100) pickupPrefixes.clear();
    pickupPrefixes.set(pickup, d);
  }
  return d;
}
const pickupPrefixes = new Map<string, Dfa>();

/** Coverage: the cell of chan_pjsip's / chan_sip's lookup at priority 1 (lookup-cells.ts), over the dialled string. */
function observeEntryLookup(model: AsteriskModel, req: RouteRequest, find: FindRequest, source: Derivation, precision: CellPrecision): void {
  const { cell, opaque } = lookupCell(model, find, precision);
  const observe = req.observe!;
  if (opaque) observe.opaque(opaque);
  const plain = source.prefix === '' && source.offset === 0 && source.length === undefined;
  observe.test(plain ? cell : () => pullBack(cell, source) ?? cell, `lookup of ${find.exten} in [${find.context}] (${find.mode})`);
  if (cell.single !== undefined && observe.literals) reportLiterals(model, observe, find, source);
}

/** The dialplan run from an extension the lookup found; what the lookup assumed leads each outcome's conditions. */
function runFrom(model: AsteriskModel, req: RouteRequest, entry: Entry, exten: string, b: Extract<FindBranch, { kind: 'extension' }>): PbxRun {
  const run = runDialplan(model, req, entry.context, exten, b.conditions, b.extension, b.steps, b.context);
  // The run's outcomes are its own: changed in place.
  if (b.conditions.length) for (const o of run.outcomes) o.conditions = [...conditionTexts(b.conditions), ...o.conditions];
  return run;
}

/** An endpoint with inbound auth: every answer comes after the challenge. */
function challenge(entry: Entry, run: PbxRun): PbxRun {
  if (entry.challenged) for (const o of run.outcomes) o.reason = `${entry.challenged} ${o.reason}`;
  return run;
}

/**
 * The To URI of a REGISTER: `--to` as written, else the Request-URI (whose user is the target given,
 * or the From user when none is: see RouteRequest.to).
 */
function registerTo(req: RouteRequest): { scheme: 'sip' | 'other'; user: string; host: string | undefined } {
  if (req.to === undefined) return { scheme: req.scheme === 'tel' ? 'other' : 'sip', user: req.user || req.fromUser || '', host: req.domain };
  const to = parseDialTarget(req.to.trim().replace(/^<|>$/g, ''));
  if (to.scheme === 'tel' || to.scheme === 'other') return { scheme: 'other', user: to.user, host: undefined };
  if (to.scheme === 'none') {
    const at = to.user.lastIndexOf('@');
    return at < 0 ? { scheme: 'sip', user: to.user, host: req.domain } : { scheme: 'sip', user: to.user.slice(0, at), host: to.user.slice(at + 1).replace(/:\d*$/, '') };
  }
  return { scheme: 'sip', user: to.user, host: to.host };
}

/**
 * res_pjsip_registrar.c find_aor_name: among the endpoint's aors (exact, case-sensitive strcmp),
 * `user@host`, then `user@<domain_alias of host>`, then — only for a non-empty user — `user`.
 */
function findAorName(model: AsteriskModel, ep: PjsipEndpoint, user: string, host: string | undefined): string | undefined {
  const has = (n: string) => ep.aors.some((a) => a.value !== '' && a.value === n);
  const domain = host ?? '';
  if (has(`${user}@${domain}`)) return `${user}@${domain}`;
  const alias = model.pjsip.domainAliases.get(domain)?.domain.value;
  if (alias !== undefined && has(`${user}@${alias}`)) return `${user}@${alias}`;
  if (user !== '' && has(user)) return user;
  return undefined;
}

/** res_pjsip_registrar: identify → authenticate → find the AOR among the endpoint's aors. */
function registerOutcome(model: AsteriskModel, req: RouteRequest, entry: Entry): RouteOutcome {
  const steps = [...entry.steps];
  if (entry.driver === 'sip') {
    const peer = entry.peer;
    if (!peer) return reject(model.sip.general.alwaysauthreject ? 401 : 404, 'REGISTER for an unknown peer: chan_sip sends a fake challenge (alwaysauthreject) or 404', steps);
    if (peer.host?.value.toLowerCase() !== 'dynamic') return reject(model.sip.general.alwaysauthreject ? 401 : 403, `peer ${peer.name} is not host=dynamic, so it cannot register`, steps);
    return { verdict: 'routed', status: null, reason: `peer ${peer.name} (host=dynamic) registers`, target: { kind: 'location', name: peer.name }, steps, conditions: [] };
  }
  const ep = entry.endpoint;
  if (!ep) return reject(401, 'REGISTER from an unidentified source meets the artificial endpoint: 401', steps);
  if (ep.aors.length === 0) return reject(403, `endpoint ${ep.id} has no aors=, so res_pjsip_registrar refuses every REGISTER (403)`, steps);
  // registrar_on_rx_request: the AOR is named by the To URI (RFC 3261 10.2), which must be sip: or sips:.
  const to = registerTo(req);
  if (to.scheme !== 'sip') return reject(416, `the To URI of the REGISTER is not sip: or sips: → 416 Unsupported URI Scheme (res_pjsip_registrar.c registrar_on_rx_request)`, steps);
  const user = model.pjsip.global.ignoreUriUserOptions ? to.user.split(';')[0] : to.user;
  let aorName = findAorName(model, ep, user, to.host);
  // find_registrar_aor: with identify_by=auth_username, the digest username (and realm) of the
  // Authorization header is tried next; the simulated caller authenticates as the endpoint's auth.
  if (!aorName && ep.identifyBy.includes('auth_username')) {
    for (const ref of ep.auth) {
      const auth = model.pjsip.auths.get(ref.value);
      const username = auth?.options.find((o) => o.name === 'username')?.value;
      if (!username) continue;
      aorName = findAorName(model, ep, username, auth?.options.find((o) => o.name === 'realm')?.value ?? 'asterisk');
      break;
    }
  }
  if (!aorName) return reject(404, `the To user ${user} is not one of endpoint ${ep.id}'s aors (${ep.aors.map((a) => a.value).join(', ')}): res_pjsip_registrar answers 404`, steps);
  const aor = model.pjsip.aors.get(aorName);
  if (!aor) return reject(404, `endpoint ${ep.id} lists AOR ${aorName}, which does not exist: 404`, steps);
  steps.push({ file: aor.location.file, line: aor.location.line, kind: 'aor', text: `AOR ${aor.id}: max_contacts=${aor.maxContacts}` });
  if (aor.maxContacts <= 0) return reject(403, `AOR ${aor.id} has max_contacts=0 (the default): no contact may register → 403`, steps);
  return { verdict: 'routed', status: null, reason: `${entry.challenged ? `${entry.challenged} ` : ''}the contact is stored in AOR ${aor.id} (200 OK)`, target: { kind: 'location', name: aor.id }, steps, conditions: [] };
}

export const asteriskResolver: Resolver<AsteriskModel> = {
  route(model, req): RouteAnswer {
    if (reachesPjsip(model, req)) {
      const early = beforeIdentification(req, driverMethod('pjsip', req.method));
      if (early) return summarizeOutcomes('asterisk', describeRequest(req, ' to chan_pjsip'), [early]);
    }
    if (reachesChanSip(model, req)) {
      const early = chanSipMethodAnswer(req);
      if (early) return summarizeOutcomes('asterisk', describeRequest(req, ' to chan_sip'), [early]);
    }
    const identified = identify(model, req);
    if ('verdict' in identified) return summarizeOutcomes('asterisk', describeRequest(req, ' '), [identified]);
    const entry = identified;
    // Coverage reads no answer's request text (PathObserver.textsUnread): not written for it.
    const textsUnread = req.textsUnread === true || req.observe?.textsUnread === true;
    const described = textsUnread ? '' : entry.driver === 'local' ? `channel originate Local/${req.user === '' ? 's' : req.user}@${entry.context}${req.callerId ? ` (caller ${req.callerId})` : req.callerId === '' ? ' (no caller number)' : ''}: ${entry.describe}` : describeRequest(req, entry.describeSuffix ?? ` ${entry.describe}`);
    // The channel driver's own reading of the method name (case): decisions use it, texts show the request's.
    const method = entry.driver === 'local' ? req.method : driverMethod(entry.driver, req.method);
    if (method === 'REGISTER') return summarizeOutcomes('asterisk', described, [registerOutcome(model, req, entry)]);
    if (method === 'OPTIONS' && entry.driver === 'pjsip') {
      // pjsip_options.c: 404 when a user part is given and does not exist in the endpoint's context (no caller ID).
      const ctx = entry.endpoint?.context.value ?? entry.context;
      if (!req.user) return summarizeOutcomes('asterisk', described, [{ verdict: 'routed', status: null, reason: 'OPTIONS without a user part: 200 OK', target: { kind: 'application', name: 'OPTIONS' }, steps: entry.steps.slice(), conditions: [] }]);
      const found = findExtension(model, { context: ctx, exten: req.user, priority: 1, mode: 'match', time: req.time });
      const outcomes = found.map((b): RouteOutcome =>
        b.kind === 'none'
          ? reject(404, `OPTIONS for ${req.user}: no such extension in [${ctx}] at priority 1 → 404 (pjsip_options.c)`, entry.steps.slice(), conditionTexts(b.conditions))
          : { verdict: 'routed', status: null, reason: `OPTIONS for ${req.user}: the extension exists → 200 OK`, target: { kind: 'application', name: 'OPTIONS' }, steps: entry.steps.slice(), conditions: conditionTexts(b.conditions) },
      );
      return summarizeOutcomes('asterisk', described, outcomes);
    }
    if (method === 'ACK' && entry.driver === 'pjsip') {
      // pjsip_distributor.c distribute(): no module takes an ACK outside a dialog, and an ACK is never answered.
      return summarizeOutcomes('asterisk', described, [reject(null, 'an ACK outside a dialog: chan_pjsip sends nothing (pjsip_distributor.c distribute)', entry.steps.slice())]);
    }
    if (method !== 'INVITE' && entry.driver === 'pjsip' && !(METHODS as readonly string[]).includes(method)) {
      // res_pjsip/pjsip_distributor.c distribute(): after identification and authentication
      // (auth_mod), a request no module handles gets a stateless 501 Not Implemented. Outside
      // pjsip's six own methods names compare case-sensitively (sip_msg.c pjsip_method_cmp), so a
      // "message" is no MESSAGE to res_pjsip_messaging.
      const reason = `${entry.challenged ? `${entry.challenged} ` : ''}no res_pjsip module handles the method ${req.method}: 501 Not Implemented (pjsip_distributor.c distribute)`;
      return summarizeOutcomes('asterisk', described, [reject(501, reason, entry.steps.slice())]);
    }
    if (method !== 'INVITE') {
      return summarizeOutcomes('asterisk', described, [reject(null, `${req.method} is not simulated for ${entry.driver === 'sip' ? 'chan_sip (INVITE and REGISTER are)' : 'Asterisk (INVITE, OPTIONS and REGISTER are)'}`, entry.steps.slice())], [`${req.method} handling`]);
    }
    if (entry.driver === 'sip' && !model.routesAnyDomain && req.domain && !model.localDomains.some((d) => d.name.toLowerCase() === req.domain!.toLowerCase())) {
      return summarizeOutcomes('asterisk', described, [reject(403, `${req.domain} is not in sip.conf's domain list and allowexternaldomains=no: chan_sip refuses the INVITE (403)`, entry.steps.slice())]);
    }
    const { outcomes, notModelled } = inviteOutcomes(model, req, entry);
    return summarizeOutcomes('asterisk', described, outcomes, notModelled, textsUnread);
  },
};
