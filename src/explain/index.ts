/**
 * `pbxlint explain`: for every failed transaction of a capture (final reply ≥ 400, or none), the
 * request the simulator needs is rebuilt from the captured message, simulated with the engine's
 * own resolver (the same `routeWith` as `pbxlint route`), and compared with what the wire shows.
 */
import * as fs from 'fs';
import { readCapture, formatEndpoint, type Capture, type CapturedMessage, type CaptureDiagnostic, type Endpoint } from '../capture';
import type { SipRequest } from '../capture/sip';
import { isIP } from 'net';
import { routeWith } from '../engines';
import type { AnyModel } from '../model';
import type { AsteriskModel } from '../model/asterisk';
import type { KamailioModel } from '../model/kamailio';
import { RouteUsageError, isMethodToken, type Method, type RouteAnswer, type RouteOutcome, type RouteRequest } from '../resolvers/types';
import { chooseEntry, isServer, serverAddresses, parseServers, type ServerAddress } from './entry';
import { groupTransactions, type Transaction } from './transactions';

export interface ExplainOptions {
  /** `--server HOST[:PORT]`: the server's addresses (else taken from the configuration). */
  servers?: string[];
  /** Kamailio `--myself`: also server addresses. */
  myself?: string[];
}

export interface ExplainedTransaction {
  call_id: string;
  /** "N METHOD", as the CSeq header reads. */
  cseq: string;
  method: string;
  ruri: string;
  /** Where the request came from ("ip:port"), null when the capture does not say (pasted SIP). */
  source: string | null;
  /** The final status on the wire; null: no final reply was captured. */
  status: number | null;
  reason: string | null;
  /** pcap/pcapng: the frames of the transaction's messages (request copies, replies). */
  frames?: number[];
  /** Text captures: the lines where the transaction's messages start. */
  lines?: number[];
  /** null when the request could not be simulated (the explanation says why). */
  predicted: { verdict: RouteAnswer['verdict']; status: number | null; reason: string } | null;
  /** Whether the configuration explains the wire's answer; null when not simulated. */
  agrees: boolean | null;
  /** The configuration line that produces the predicted outcome. */
  cause: { file: string; line: number; text: string } | null;
  explanation: string;
  /** Field-practice causes read from the trace itself (R-URI vs To, number format, unserved domain). */
  hints: string[];
  /** The dialog (Call-ID, From tag, To tag) the transaction belongs to, and whether the request is inside it. */
  dialog: { from_tag: string | null; to_tag: string | null; in_dialog: boolean };
}

export interface ExplainReport {
  transactions: ExplainedTransaction[];
  format: Capture['format'];
  summary: { messages: number; transactions: number; dialogs: number; failed: number; agree: number; disagree: number; not_simulated: number };
  /** The server addresses used to tell received requests from sent ones. */
  server: string[];
  diagnostics: CaptureDiagnostic[];
}

export function readCaptureFile(file: string): Capture {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new RouteUsageError(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory, not a capture file' : (e as Error).message}`);
  }
  return readCapture(buf);
}

const where = (c: CapturedMessage): string => (c.frame !== undefined ? `frame ${c.frame}` : `line ${c.line}`);

/** The address a request came from: the capture's, else (pasted SIP) the top Via's received= or sent-by when it is an address (RFC 3261 §18.2.1). */
function sourceOf(req: SipRequest, cap: CapturedMessage): Endpoint | undefined {
  if (cap.src) return cap.src;
  const v = req.vias[0];
  if (!v) return undefined;
  const ip = v.received ?? v.host;
  return isIP(ip) ? { ip, port: v.rport ?? v.port ?? 5060 } : undefined;
}

/** The server: `--server`, else the configuration's addresses; if none of those is in the capture, the address receiving the most requests. */
function decideServers(model: AnyModel, capture: Capture, txs: Transaction[], options: ExplainOptions, diagnostics: CaptureDiagnostic[]): { servers: ServerAddress[]; describe: string[] } {
  const given = options.servers?.length ? parseServers(options.servers) : serverAddresses(model, options.myself ?? []);
  const describe = (list: ServerAddress[]) => list.map((s) => `${s.ip ?? '*'}:${s.port ?? '*'} (${s.origin})`);
  if (!capture.messages.some((m) => m.dst)) return { servers: given, describe: describe(given) };
  if (options.servers?.length) {
    // Named by the user: kept even when it receives nothing (then nothing is explained, and this says why).
    if (!txs.some((t) => isServer(t.requests[0].at.dst, given))) diagnostics.push({ message: `no request in the capture is addressed to ${describe(given).join(', ')}` });
    return { servers: given, describe: describe(given) };
  }
  if (txs.some((t) => isServer(t.requests[0].at.dst, given))) {
    // A wildcard bind (0.0.0.0:5060) matches every address on that port, the next hop's too: the
    // server's address is then the one of that port receiving the most requests.
    const refined = given.map((s) => {
      if (s.ip !== undefined) return s;
      const ips = new Map<string, number>();
      for (const t of txs) {
        const d = t.requests[0].at.dst;
        if (d && (s.port === undefined || d.port === s.port)) ips.set(d.ip, (ips.get(d.ip) ?? 0) + 1);
      }
      const top = [...ips].sort((a, b) => b[1] - a[1])[0];
      return top ? { ...s, ip: top[0], origin: `${s.origin}; ${top[0]} receives the most requests on that port` } : s;
    });
    return { servers: refined, describe: describe(refined) };
  }
  const counts = new Map<string, { e: Endpoint; n: number }>();
  for (const t of txs) {
    const d = t.requests[0].at.dst;
    if (!d) continue;
    const k = formatEndpoint(d)!;
    const c = counts.get(k) ?? { e: d, n: 0 };
    c.n++;
    counts.set(k, c);
  }
  const best = [...counts.values()].sort((a, b) => b.n - a.n)[0];
  if (!best) return { servers: given, describe: describe(given) };
  const guessed: ServerAddress[] = [{ ip: best.e.ip, port: best.e.port, origin: 'the address receiving the most requests' }];
  diagnostics.push({ message: `no request in the capture is addressed to the server addresses the configuration gives (${describe(given).join(', ') || 'none'}): taking ${formatEndpoint(best.e)}, which receives the most requests; say otherwise with --server HOST:PORT` });
  return { servers: guessed, describe: describe(guessed) };
}

/** REGISTER answered 2xx registers the To AOR from then on; Expires 0 / Contact * removes it (RFC 3261 §10.2.2, §10.3). */
function registrationChanges(txs: Transaction[], index: Map<CapturedMessage, number>): { at: number; aor: string; user: string; add: boolean }[] {
  const out: { at: number; aor: string; user: string; add: boolean }[] = [];
  for (const t of txs) {
    if (t.method !== 'REGISTER' || !t.final || t.final.sip.status < 200 || t.final.sip.status >= 300) continue;
    const r = t.requests[0].sip;
    const to = r.to;
    if (!to?.user) continue;
    const contacts = r.headers.get('contact') ?? [];
    const expires = r.headers.get('expires')?.[0];
    const removing = contacts.includes('*') || (expires !== undefined && Number(expires) === 0 && !contacts.some((c) => /;\s*expires\s*=\s*[1-9]/i.test(c))) || (contacts.length > 0 && contacts.every((c) => /;\s*expires\s*=\s*0\b/i.test(c)));
    out.push({ at: index.get(t.final.at)!, aor: `${to.user}@${to.host ?? ''}`, user: to.user, add: !removing });
  }
  return out.sort((a, b) => a.at - b.at);
}

/**
 * The registrations in force before a message (by its index in the capture): the changes answered
 * before it, applied in order. Queries come in capture order, so the state is carried forward from
 * one query to the next; a query earlier than the last one starts over.
 *
 * The list handed to the simulator grows in place: a capture interleaving thousands of REGISTERs
 * with calls made a new list per call, every name copied each time (8,000 of each: 2.9 s and
 * most of a 340 MB peak). The simulator reads the list only while it answers, so the same array
 * may change between queries. What a registration names, as each engine looks it up: Kamailio's
 * registrar keys by user or user@domain (usrloc use_domain): the AOR; Asterisk knows AORs by name
 * (the user); FreeSWITCH directory users by user or user@domain: both.
 */
function registrationTimeline(model: AnyModel, changes: ReturnType<typeof registrationChanges>): (at: number) => string[] {
  const names = (aor: string, user: string): string[] => (model.platform === 'kamailio' ? [aor] : model.platform === 'asterisk' ? [user] : [user, aor]);
  const byAor = new Map<string, string>();
  // How many registrations name each string; `list` holds the ones named at least once, in the
  // order they were first named (rebuilt in that order when one is no longer named: rare).
  const named = new Map<string, number>();
  let list: string[] = [];
  const name = (s: string) => {
    const n = named.get(s) ?? 0;
    named.set(s, n + 1);
    if (n === 0) list.push(s);
  };
  let dropped = false;
  const unname = (s: string) => {
    const n = named.get(s)!;
    if (n > 1) named.set(s, n - 1);
    else {
      named.delete(s);
      dropped = true;
    }
  };
  let next = 0;
  return (at) => {
    if (next > 0 && changes[next - 1].at >= at) {
      byAor.clear();
      named.clear();
      list = [];
      next = 0;
    }
    for (; next < changes.length && changes[next].at < at; next++) {
      const c = changes[next];
      const before = byAor.get(c.aor);
      // A re-registration changes nothing.
      if (c.add ? before === c.user : before === undefined) continue;
      if (before !== undefined) for (const s of names(c.aor, before)) unname(s);
      if (c.add) {
        byAor.set(c.aor, c.user);
        for (const s of names(c.aor, c.user)) name(s);
      } else byAor.delete(c.aor);
    }
    if (dropped) {
      list = [...named.keys()];
      dropped = false;
    }
    return list;
  };
}

/** At most `n` names of a list, then how many more (a capture may register thousands). */
function someOf(names: string[], n = 5): string {
  return names.length > n ? `${names.slice(0, n).join(', ')} and ${names.length - n} more` : names.join(', ');
}

function wireText(status: number | null, reason: string | null): string {
  return status === null ? 'no final reply' : `${status}${reason ? ` ${reason}` : ''}`;
}

function outcomeText(o: { verdict: string; status: number | null; target?: { name: string } | null }): string {
  if (o.verdict === 'routed') return `routed${o.target ? ` → ${o.target.name}` : ''}`;
  if (o.verdict === 'depends') return 'depends';
  return o.status === null ? 'rejected (no reply sent)' : `rejected → ${o.status}`;
}

/** Does an outcome account for what the wire shows (a failure status, or no reply)? A routed outcome never does. */
function matchesWire(o: RouteOutcome, status: number | null): boolean {
  return o.verdict === 'rejected' && o.status === status;
}

function lineText(file: string, line: number, cache: Map<string, string[] | null>): string | null {
  if (!cache.has(file)) {
    try {
      cache.set(file, fs.readFileSync(file, 'utf8').split(/\r?\n/));
    } catch {
      cache.set(file, null);
    }
  }
  const lines = cache.get(file);
  return lines?.[line - 1]?.trim() ?? null;
}

/** Statuses that say "no such number" (a number-format mismatch shows as one of them). */
const NOT_FOUND = new Set([404, 484, 604]);

/** The number in other formats (E.164 "+", international "00", national without either). */
function numberVariants(user: string): string[] {
  if (/^\+[0-9]{6,15}$/.test(user)) return [user.slice(1), `00${user.slice(1)}`];
  if (/^00[1-9][0-9]{5,14}$/.test(user)) return [`+${user.slice(2)}`, user.slice(2)];
  if (/^[1-9][0-9]{7,14}$/.test(user)) return [`+${user}`];
  return [];
}

export function explainCapture(capture: Capture, model: AnyModel, options: ExplainOptions = {}): ExplainReport {
  const diagnostics: CaptureDiagnostic[] = [...capture.diagnostics];
  const grouped = groupTransactions(capture.messages);
  diagnostics.push(...grouped.diagnostics);
  const index = new Map<CapturedMessage, number>();
  capture.messages.forEach((m, i) => index.set(m, i));
  const { servers, describe } = decideServers(model, capture, grouped.transactions, options, diagnostics);
  const haveAddresses = capture.messages.some((m) => m.dst);
  const received = (t: Transaction) => !haveAddresses || isServer(t.requests[0].at.dst, servers);
  const changes = registrationChanges(grouped.transactions, index);
  const lineCache = new Map<string, string[] | null>();
  const out: ExplainedTransaction[] = [];
  // Looked up per transaction: indexed once, as a capture may hold thousands of calls.
  const cancels = new Map<string, Transaction>();
  for (const t of grouped.transactions) if (t.method === 'CANCEL' && !cancels.has(`${t.callId}\n${t.cseq}`)) cancels.set(`${t.callId}\n${t.cseq}`, t);
  const registeredAt = registrationTimeline(model, changes);
  const legs = sentLegs(grouped.transactions, received, index);

  for (const tx of grouped.transactions) {
    if (!received(tx)) continue;
    const status = tx.final?.sip.status ?? null;
    if (status !== null && status < 400) continue;
    const first = tx.requests[0];
    const req = first.sip;
    const caps = [...tx.requests.map((r) => r.at), ...tx.responses.map((r) => r.at), ...tx.acks.map((r) => r.at)].sort((a, b) => index.get(a)! - index.get(b)!);
    const src = sourceOf(req, first.at);
    const inDialog = Boolean(req.to?.tag);
    const entry: ExplainedTransaction = {
      call_id: tx.callId,
      cseq: `${tx.cseq} ${req.cseq?.method ?? req.method}`,
      method: req.method,
      ruri: req.ruri,
      source: formatEndpoint(src),
      status,
      reason: tx.final?.sip.reason ?? null,
      ...(first.at.frame !== undefined ? { frames: caps.map((c) => c.frame!) } : { lines: caps.map((c) => c.line!) }),
      predicted: null,
      agrees: null,
      cause: null,
      explanation: '',
      hints: [],
      dialog: { from_tag: req.from?.tag ?? null, to_tag: req.to?.tag ?? tx.final?.sip.to?.tag ?? null, in_dialog: inDialog },
    };
    out.push(entry);
    // Field-practice causes, from the trace alone.
    const user = req.target.user;
    if (!inDialog && req.to?.user && user && req.to.user !== user) entry.hints.push(`the Request-URI user "${user}" is not the To user "${req.to.user}": the server routes on the Request-URI, so it looked up "${user}"`);
    if (model.platform === 'kamailio' && req.target.host && !inDialog) {
      const { checkSelf } = require('../resolvers/kamailio/myself') as typeof import('../resolvers/kamailio/myself');
      if (checkSelf(model as KamailioModel, req.target.host, req.target.port) === false) entry.hints.push(`the Request-URI domain ${req.target.host}${req.target.port ? `:${req.target.port}` : ''} is not one the server serves (no listen=, alias= or domain entry is it): uri==myself is false`);
    }
    if (inDialog) {
      entry.explanation = `an in-dialog request (To tag ${req.to!.tag}): pbxlint simulates initial requests, whose routing the configuration decides; this one follows the dialog's route set`;
      continue;
    }
    // Any method token is simulated, as captured (not upper-cased): each resolver reads the name
    // the way its engine does (sofia-sip case-sensitively, pjsip its six own methods in any case,
    // chan_sip and Kamailio's core in any case) and answers an unknown one as the engine does.
    if (!isMethodToken(req.method)) {
      entry.explanation = `method ${req.method} is not a SIP method token: not simulated`;
      continue;
    }
    if (req.target.user === '' && req.target.host === undefined && !/^sips?:/i.test(req.ruri)) {
      entry.explanation = `Request-URI ${req.ruri} is not a sip:, sips: or tel: URI: not simulated`;
      continue;
    }
    const choice = chooseEntry(model, req, src, first.at.dst);
    if (choice.problem) {
      entry.explanation = `not simulated: ${choice.problem}`;
      continue;
    }
    const request: RouteRequest = {
      user,
      domain: req.target.host,
      port: req.target.port,
      transport: req.target.transport,
      method: req.method as Method,
      // The captured To (Kamailio's $tU/$td, FreeSWITCH's destination for a Request-URI without user).
      to: req.to?.uri,
      endpoint: choice.endpoint,
      profile: choice.profile,
      // chan_pjsip and sofia take the caller number from the From user (res_pjsip_caller_id.c, sofia.c) unless a trusted identity header says otherwise.
      callerId: model.platform === 'kamailio' ? undefined : (req.from?.user ?? ''),
      fromUser: req.from?.user || undefined,
      fromDomain: req.from?.host,
      sourceIp: src?.ip,
      userAgent: req.userAgent,
      registered: registeredAt(index.get(first.at)!),
    };
    let answer: RouteAnswer;
    try {
      answer = routeWith(model, request);
    } catch (e) {
      if (!(e instanceof RouteUsageError)) throw e;
      entry.explanation = `not simulated: ${e.message}`;
      continue;
    }
    const challenge = status === 401 || status === 407 ? challengeOf(model, answer, req) : null;
    if (challenge) {
      entry.predicted = { verdict: 'rejected', status, reason: challenge.reason };
      entry.agrees = true;
      entry.cause = { file: challenge.file, line: challenge.line, text: lineText(challenge.file, challenge.line, lineCache) ?? challenge.reason };
      entry.explanation = `${challenge.reason}: the client is expected to repeat the request with credentials, and then pbxlint predicts ${outcomeText(answer)}`;
      continue;
    }
    const chosen = answer.outcomes.find((o) => matchesWire(o, status)) ?? answer.outcomes[0];
    const agrees = chosen !== undefined && matchesWire(chosen, status);
    entry.predicted = { verdict: answer.verdict, status: answer.verdict === 'rejected' ? answer.status : answer.verdict === 'depends' && agrees ? chosen.status : answer.status, reason: answer.reason };
    entry.agrees = agrees;
    const step = chosen?.steps[chosen.steps.length - 1];
    if (step) entry.cause = { file: step.file, line: step.line, text: lineText(step.file, step.line, lineCache) ?? step.text };
    const wire = wireText(status, entry.reason);
    const via = choice.how ? ` (entry: ${choice.how})` : '';
    if (agrees) {
      const cond = answer.verdict === 'depends' && chosen.conditions.length ? `, the outcome that holds if ${chosen.conditions.join(' and ')}` : '';
      entry.explanation = status === null ? `the configuration ends the request without a reply${cond}: ${chosen.reason}` : `the configuration answers ${status}${cond}: ${chosen.reason}`;
      if (status === 401 || status === 407) entry.explanation += '; a challenge: the client is expected to repeat the request with credentials';
    } else if (chosen && chosen.verdict === 'routed' && answer.verdict !== 'depends') {
      const nextHop = nextHopAnswer(legs, tx, index);
      entry.explanation =
        status === null
          ? `the configuration routes this to ${chosen.target?.name ?? 'its destination'}, and no final reply was captured: the next hop did not answer (or the capture ended first)`
          : `the configuration routes this to ${chosen.target?.name ?? 'its destination'}, yet ${wire} came back: the next hop answered it${nextHop ? ` (${nextHop})` : ''}`;
    } else if (answer.verdict === 'depends') {
      entry.explanation = `pbxlint predicts ${answer.outcomes.map((o) => `${outcomeText(o)}${o.conditions.length ? ` if ${o.conditions.join(' and ')}` : ''}`).join('; ')}; the server sent ${wire}: runtime state or version differs`;
    } else {
      entry.explanation = `pbxlint predicts ${outcomeText(answer)}${answer.status !== null ? ` (${chosen?.reason ?? answer.reason})` : ''}, the server sent ${wire}: runtime state or version differs`;
    }
    if (!agrees && answer.verdict !== 'routed' && request.registered && dependsOnRegistration(answer)) {
      entry.explanation += `; registration state is what the capture shows (${request.registered.length ? `registered: ${someOf(request.registered)}` : 'no REGISTER answered 2xx before this request'}): a contact registered before the capture started is not seen`;
    }
    entry.explanation += via;
    if (status === 487) {
      const cancel = cancels.get(`${tx.callId}\n${tx.cseq}`);
      if (cancel) entry.explanation = `the caller cancelled it (CANCEL at ${where(cancel.requests[0].at)}); ${entry.explanation}`;
    }
    if (answer.verdict !== 'routed') {
      for (const alt of numberVariants(user)) {
        let a: RouteAnswer;
        try {
          a = routeWith(model, { ...request, user: alt });
        } catch {
          continue;
        }
        // The other format goes further: it is routed, or ends otherwise than "no such number".
        if (a.verdict === 'routed' || (answer.verdict === 'rejected' && NOT_FOUND.has(answer.status ?? 0) && a.verdict === 'rejected' && a.status !== answer.status)) {
          entry.hints.push(`the number is dialled as ${user}, but the configuration has a route for ${alt} (${outcomeText(a)}${a.verdict === 'rejected' ? `: ${a.reason}` : ''}): ${user.startsWith('+') || user.startsWith('00') ? 'the caller sends E.164/international format where the configuration expects another' : 'the configuration expects E.164 (+…)'}`);
          break;
        }
      }
    }
  }
  const failed = out.length;
  return {
    transactions: out,
    format: capture.format,
    summary: {
      messages: capture.messages.length,
      transactions: grouped.transactions.length,
      dialogs: grouped.dialogs.length,
      failed,
      agree: out.filter((t) => t.agrees === true).length,
      disagree: out.filter((t) => t.agrees === false).length,
      not_simulated: out.filter((t) => t.agrees === null).length,
    },
    server: describe,
    diagnostics,
  };
}

/**
 * A 401/407 to a request without credentials from an endpoint that has auth=: chan_pjsip
 * challenges it before routing (res_pjsip_authenticator_digest.c digest_requires_authentication);
 * the simulator answers for the request that carries valid credentials.
 */
function challengeOf(model: AnyModel, answer: RouteAnswer, req: SipRequest): { reason: string; file: string; line: number } | null {
  if (model.platform !== 'asterisk' || req.headers.has('authorization') || req.headers.has('proxy-authorization')) return null;
  const m = /^endpoint (\S+) has auth=/.exec(answer.reason);
  const ep = m ? (model as AsteriskModel).pjsip.endpoints.get(m[1]) : undefined;
  const auth = ep?.auth[0];
  if (!ep || !auth) return null;
  return { reason: `endpoint ${ep.id} has auth=${auth.value}: chan_pjsip challenges a request without credentials`, file: auth.location.file, line: auth.location.line };
}

/** Whether the answer went through a registration lookup (Kamailio lookup/registered, a Dial or bridge to a registered user). */
function dependsOnRegistration(answer: RouteAnswer): boolean {
  return answer.outcomes.some((o) => o.steps.some((s) => s.kind === 'lookup' || /\bregistered\b|\bcontact\b/i.test(s.text)));
}

/** The transactions the server sent (not received), by Call-ID and by method, each list in capture order. */
interface SentLegs {
  byCallId: Map<string, { start: number; tx: Transaction }[]>;
  byMethod: Map<string, { start: number; tx: Transaction }[]>;
}

function sentLegs(all: Transaction[], received: (t: Transaction) => boolean, index: Map<CapturedMessage, number>): SentLegs {
  const legs: SentLegs = { byCallId: new Map(), byMethod: new Map() };
  for (const tx of all) {
    if (received(tx)) continue;
    const leg = { start: index.get(tx.requests[0].at)!, tx };
    for (const [map, key] of [[legs.byCallId, tx.callId], [legs.byMethod, tx.method]] as const) {
      const list = map.get(key) ?? [];
      list.push(leg);
      map.set(key, list);
    }
  }
  // Transactions are in the order of their first message already; sorted anyway for the binary search below.
  for (const list of legs.byMethod.values()) list.sort((a, b) => a.start - b.start);
  return legs;
}

/** The same request sent on by the server (a transaction of the same Call-ID and method that the server sent), and what came back on that leg. */
function nextHopAnswer(legs: SentLegs, tx: Transaction, index: Map<CapturedMessage, number>): string | null {
  const start = index.get(tx.requests[0].at)!;
  const describeLeg = (leg: Transaction, b2bua: boolean) => {
    const dst = formatEndpoint(leg.requests[0].at.dst);
    const lead = b2bua ? `the server's own call to ${dst ?? 'the next hop'} (Call-ID ${leg.callId}) ` : `${dst ?? 'the next hop'} `;
    if (leg.final) return `${lead}${b2bua ? 'got' : 'answered'} ${leg.final.sip.status} ${leg.final.sip.reason} at ${where(leg.final.at)}`;
    return `${b2bua ? lead.trim() : `sent on to ${lead.trim()}`} at ${where(leg.requests[0].at)}, with no final reply`;
  };
  // A proxy forwards the request in the same Call-ID.
  const same = legs.byCallId.get(tx.callId)?.find((l) => l.tx !== tx && l.tx.method === tx.method && l.start > start);
  if (same) return describeLeg(same.tx, false);
  // A back-to-back user agent (Asterisk, FreeSWITCH) places a call of its own: the one it sent
  // while the request was pending, whose final status is the one relayed back.
  if (!tx.final) return null;
  const end = index.get(tx.final.at)!;
  const sent = legs.byMethod.get(tx.method) ?? [];
  let lo = 0;
  for (let hi = sent.length; lo < hi; ) {
    const mid = (lo + hi) >> 1;
    if (sent[mid].start > start) hi = mid;
    else lo = mid + 1;
  }
  for (let i = lo; i < sent.length && sent[i].start < end; i++) {
    const t = sent[i].tx;
    if (t !== tx && t.final && t.final.sip.status === tx.final.sip.status) return describeLeg(t, true);
  }
  return null;
}
