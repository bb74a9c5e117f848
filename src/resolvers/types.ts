/**
 * The resolver interface: one per engine, each answering "what happens to this request?" by
 * simulating that engine's own semantics over its model. The CLI's `route` command, the rules
 * and the `test` command all ask through this interface.
 */
import type { Platform } from '../core/findings';
import type { Dfa } from '../automata/dfa';

/**
 * A SIP method: any RFC 3261 token (section 25.1: `Method = INVITEm / … / extension-method`,
 * `extension-method = token`), so scanners' HELLO or XMETHOD can be simulated too. Methods are
 * case-sensitive on the wire (RFC 3261 7.1); each engine decides what it does with an unknown one.
 */
export type Method = string;
/** The methods with a standard meaning (RFC 3261, 3262, 3265, 3311, 3428, 3515, 3903, 6086), listed in `--help`. */
export const METHODS: readonly Method[] = ['INVITE', 'REGISTER', 'OPTIONS', 'MESSAGE', 'SUBSCRIBE', 'NOTIFY', 'PUBLISH', 'REFER', 'INFO', 'BYE', 'CANCEL', 'ACK', 'UPDATE', 'PRACK'];

/** RFC 3261 25.1 `token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")`. */
const TOKEN = /^[A-Za-z0-9.!%*_+`'~-]+$/;

/** Whether `m` is a method token a request line can carry (RFC 3261 25.1 Method / token). */
export function isMethodToken(m: string): boolean {
  return TOKEN.test(m);
}

/** A request to simulate. Fields an engine does not use are ignored by its resolver. */
export interface RouteRequest {
  /** The Request-URI user part exactly as dialed (`+12025551234`, `1001`, `*97`), or '' for none. */
  user: string;
  /**
   * The Request-URI user part as it stands in the URI, escapes kept (`%2B1202…`); for a bare
   * number, the number with the characters a SIP user part may not carry escaped (RFC 3261 25.1
   * `user`: a space becomes %20). Kamailio's $rU is this (parse_uri.c does not unescape);
   * undefined = the same as `user`.
   */
  rawUser?: string;
  /** The sip: Request-URI carries `;user=phone`. */
  userPhone?: boolean;
  /** Why the Request-URI does not parse as a SIP URI (`sip:@host`), when it does not. */
  ruriMalformed?: string;
  /** The Request-URI scheme: `tel:` URIs have no host (Kamailio parse_uri.c moves the number to the user). Default sip. */
  scheme?: 'sip' | 'sips' | 'tel';
  /**
   * The To URI (`--to`), as written: `sip:1001@example.com`, `1001@example.com` or `1001`. For a
   * REGISTER it names the AOR (RFC 3261 10.2). Default: the Request-URI; for a REGISTER whose
   * Request-URI has no user, the user given as the target (`route 1001 --method REGISTER`) or
   * else the From user, at the Request-URI host.
   */
  to?: string;
  /** The Request-URI host, when known (`--domain`, or from a sip: URI). */
  domain?: string;
  /** The Request-URI port, when given in a sip: URI. */
  port?: number;
  /**
   * Coverage (Kamailio, with `observe`): which Request-URI hosts `domain` stands for — a served
   * host in any letter case ('served'), exactly this string ('exact'), or a class of hosts not
   * served that the script's constant `$rd` tests do not tell apart ('others'). A test on `$rd`
   * that would tell the class's hosts apart is reported as not modelled.
   */
  domainClass?: 'served' | 'exact' | 'others';
  /** Transport parameter of the Request-URI, when given. */
  transport?: string;
  /** The Request-URI's parameters as written (`user=phone;lr`), without the first `;`. */
  uriParams?: string;
  method: Method;
  /** Asterisk: enter this dialplan context directly (like `dialplan show N@C`). FreeSWITCH: this dialplan context. */
  context?: string;
  /** Asterisk: the endpoint/peer the call comes from; its context is the entry. */
  endpoint?: string;
  /**
   * Asterisk: the call is a Local channel started into `context` (`channel originate
   * Local/NUMBER@CONTEXT`, AMI Originate, a call file): it enters the dialplan with no SIP channel
   * driver before it, so no pickup code, no 484 for a prefix; a number with no priority 1 makes
   * the origination fail (main/core_local.c local_call). Needs `context`.
   */
  originate?: boolean;
  /** FreeSWITCH: the sofia profile that receives the request. */
  profile?: string;
  /** Caller number for caller-ID matches (`exten => 100/5551234,…`, `caller_id_number`). */
  callerId?: string;
  /** From user (Kamailio `$fU`, FreeSWITCH authenticating user). */
  fromUser?: string;
  /** From host (Kamailio `$fd`). */
  fromDomain?: string;
  sourceIp?: string;
  userAgent?: string;
  /**
   * Registration state: the AORs/users that have a contact. `undefined` means unknown, and
   * every registration-dependent step forks into both outcomes.
   */
  registered?: string[];
  /** Simulated time for time-dependent routing; `undefined` means "any time" (both branches). */
  time?: Date;
  /**
   * FreeSWITCH: follow at most this many transfers (default: the simulator's loop bound). A rule
   * that judges one transfer's target asks for 0: the target's own transfers are then answered
   * as routed on ("not followed"), not simulated to the end of the chain.
   */
  transfers?: number;
  /**
   * Coverage (src/coverage/partition.ts): when present, the resolver reports every test it makes
   * on the dialled string (or on a string derived from it) to this observer. Absent: no cost.
   */
  observe?: PathObserver;
  /**
   * The caller reads no `reason` or `request` text of the answer (as PathObserver.textsUnread,
   * without an observer: coverage simulating a string that is a cell of its own).
   */
  textsUnread?: boolean;
}

/**
 * What `pbxlint coverage` needs from a simulation: each test on the dialled string as the set of
 * DIALLED strings for which it holds, so that every string in the intersection of the reported
 * tests (each as it came out) follows the same paths to the same outcome.
 */
export interface PathObserver {
  /**
   * A test whose outcome depends on the dialled string: `language` is the set of dialled strings
   * (the Request-URI user part as given, before any transformation) for which the test comes out
   * as `holds` did for this request — i.e. report the cell of strings that take the same branch:
   * when `holds` is true, `language` is where the test is true; when false, where it is false.
   * A function is called only if the language is needed (lazily, once per run at most).
   */
  test(language: Dfa | (() => Dfa), why: string): void;
  /**
   * A decision on a value derived from the dialled string in a way that is not modelled: every
   * string of the cell gets the outcome `depends` with this reason — never a guess.
   */
  opaque(why: string): void;
  /**
   * A hint (optional to make and to read), made right after the test() of the lookup it is about,
   * which found a literal extension; see LiteralHint. Never needed for exactness: any single
   * string is an exact cell.
   */
  literals?(hint: LiteralHint): void;
  /**
   * The caller reads of each answer only what decides and locates it — verdict, status, target,
   * steps, outcomes (with their conditions) and notModelled — never the answer's `reason` or
   * `request` texts (coverage keeps 150,000 answers' outcomes, and writes none of those texts):
   * a resolver may leave them empty rather than write them.
   */
  readonly textsUnread?: boolean;
}

/** PathObserver.literals. */
export interface LiteralHint {
  /**
   * The dialled strings whose lookup would find one of the same search's literals the same way
   * (built only if called). Each is a cell of its own, so the caller may simulate them one by one
   * without an observer (RouteRequest.textsUnread) instead of observing each.
   */
  strings: () => Dfa;
  /**
   * A promise about the rest of the simulation, for the strings that take the same branches as
   * this one up to the lookup (every test reported before it, none opaque): for each such y for which
   * sameAs(y) is a string n, routing y answers as n dialled directly into `context` does (the
   * same outcomes — verdicts, statuses, targets, conditions — with the same request otherwise,
   * by any entry point whose first lookup is in `context` and finds n there), differing only in
   * the steps (so in `via`) and the texts — provided that answer made no note (`notModelled`)
   * and none of its paths has more than `longest` steps (a simulator's loop budget may be nearer
   * for y than for n).
   */
  sameAs?: (dialled: string) => string | undefined;
  context?: string;
  longest?: number;
}

export type Verdict = 'routed' | 'rejected' | 'depends';

/** One step of a path, always at a real file:line. */
export interface RouteStep {
  file: string;
  line: number;
  column?: number;
  /** What kind of step: 'identify', 'extension', 'priority', 'include', 'route', 'condition', 'reply', 'relay', 'transfer', 'bridge', … */
  kind: string;
  /** What happened, in words ("Dial(PJSIP/1001): endpoint 1001 has no contact"). */
  text: string;
  context?: string;
  /** The extension as written in the config (`_1NXXNXXXXXX`, not the dialed number). */
  extension?: string;
  priority?: number;
}

export interface RouteTarget {
  /** 'endpoint' (PJSIP/1001), 'user', 'gateway', 'relay' (forwarded elsewhere), 'application' (Voicemail, Playback…), 'location' */
  kind: string;
  name: string;
  detail?: string;
}

/** One definite path through the configuration. */
export interface RouteOutcome {
  verdict: 'routed' | 'rejected';
  /** The SIP status the caller receives: final failure status when rejected; null when routed (or when nothing is sent). */
  status: number | null;
  reason: string;
  target: RouteTarget | null;
  steps: RouteStep[];
  /** What this path rests on ("endpoint 1001 is registered", "time is 09:00–17:00 mon–fri"); empty if unconditional. */
  conditions: string[];
}

export interface RouteAnswer {
  platform: Platform;
  verdict: Verdict;
  status: number | null;
  reason: string;
  target: RouteTarget | null;
  /** For one definite outcome, its steps; for `depends`, the steps all outcomes share. */
  steps: RouteStep[];
  /** Every distinct outcome. One element unless the verdict is `depends`. */
  outcomes: RouteOutcome[];
  /** Constructs met on the way whose effect pbxlint does not know; each forked the simulation. */
  notModelled: string[];
  /** What was simulated, for the reader: "INVITE sip:+12025551234@… from endpoint trunk-a (context from-trunk)". */
  request: string;
}

/** Raised for requests that cannot be simulated as given (an unknown context or endpoint): exit code 2. */
export class RouteUsageError extends Error {}

export interface Resolver<M> {
  route(model: M, request: RouteRequest): RouteAnswer;
}

function sameOutcome(a: RouteOutcome, b: RouteOutcome): boolean {
  return a.verdict === b.verdict && a.status === b.status && (a.target?.kind ?? '') === (b.target?.kind ?? '') && (a.target?.name ?? '') === (b.target?.name ?? '');
}

/**
 * The first path of each way of ending, with the conditions under which ANY path ending that way
 * is taken: showing only the first path's would say "486 if the caller number is 5551234" where
 * callers matching _555XXXX get 486 too.
 */
function distinctOutcomes(paths: readonly RouteOutcome[]): RouteOutcome[] {
  const groups: RouteOutcome[][] = [];
  for (const p of paths) {
    const same = groups.find((g) => sameOutcome(g[0], p));
    if (same) same.push(p);
    else groups.push([p]);
  }
  // Every way the simulation forked ends the same: what the forks assumed decides nothing (the
  // paths together cover every case), so only what they all assume is kept.
  if (groups.length === 1) return [{ ...paths[0], conditions: paths[0].conditions.filter((c) => paths.every((p) => p.conditions.includes(c))) }];
  return groups.map((g) => (g.length === 1 ? g[0] : { ...g[0], conditions: eitherOf(g.map((o) => o.conditions)) }));
}

/** Alternatives listed before the rest are counted. */
const MAX_ALTERNATIVES = 4;

/**
 * The conditions of several paths as one list: what they all assume, then the rest as one
 * "A, or B" condition. A path that assumes nothing beyond the common part covers the others.
 */
function eitherOf(lists: readonly string[][]): string[] {
  const common = lists[0].filter((c) => lists.every((l) => l.includes(c)));
  const alternatives: string[] = [];
  for (const l of lists) {
    const rest = l.filter((c) => !common.includes(c));
    if (rest.length === 0) return common;
    const text = rest.join(' and ');
    if (!alternatives.includes(text)) alternatives.push(text);
  }
  if (alternatives.length === 1) return [...common, alternatives[0]];
  const more = alternatives.length - MAX_ALTERNATIVES;
  const listed = alternatives.slice(0, MAX_ALTERNATIVES).join(', or ');
  return [...common, more > 0 ? `${listed}, or in ${more} other case${more === 1 ? '' : 's'}` : listed];
}

function commonStepPrefix(paths: RouteStep[][]): RouteStep[] {
  if (paths.length === 0) return [];
  const out: RouteStep[] = [];
  const first = paths[0];
  for (let i = 0; i < first.length; i++) {
    const s = first[i];
    if (allHaveStep(paths, i, s)) out.push(s);
    else break;
  }
  return out;
}

function allHaveStep(paths: RouteStep[][], i: number, s: RouteStep): boolean {
  for (const p of paths) if (!(p.length > i && sameStep(p[i], s))) return false;
  return true;
}

/** Forked paths share the step objects before the fork: the same object needs no comparing (nor its lazy text building). */
function sameStep(a: RouteStep, b: RouteStep): boolean {
  return a === b || (a.file === b.file && a.line === b.line && a.text === b.text);
}

/** The notModelled of every answer that has none: shared, so frozen (nothing adds to an answer's list). */
const NOTHING_NOT_MODELLED: string[] = Object.freeze([]) as unknown as string[];

/**
 * Folds a resolver's paths into one answer: outcomes that end the same way (same verdict, status
 * and target) are one outcome; more than one distinct outcome is `depends`. The answer may keep
 * `paths` itself (one path: it is the answer's list of outcomes), so the caller hands it over.
 */
/**
 * The answer of a simulation's outcomes. `textsUnread` (PathObserver.textsUnread): a depends
 * answer's reason, which joins every outcome's, is left empty.
 */
export function summarizeOutcomes(platform: Platform, request: string, paths: RouteOutcome[], notModelled: readonly string[] = [], textsUnread = false): RouteAnswer {
  const distinct = paths.length === 1 ? paths : paths.length === 0 ? [] : distinctOutcomes(paths);
  const uniqNotModelled = notModelled.length ? [...new Set(notModelled)] : NOTHING_NOT_MODELLED;
  if (distinct.length === 0) {
    return { platform, verdict: 'rejected', status: null, reason: 'no outcome could be simulated', target: null, steps: [], outcomes: [], notModelled: uniqNotModelled, request };
  }
  if (distinct.length === 1) {
    const o = distinct[0];
    return { platform, verdict: o.verdict, status: o.verdict === 'rejected' ? o.status : null, reason: o.reason, target: o.target, steps: o.steps, outcomes: distinct, notModelled: uniqNotModelled, request };
  }
  return {
    platform,
    verdict: 'depends',
    status: null,
    reason: textsUnread ? '' : distinct.map((o) => `${o.verdict === 'routed' ? `routed${o.target ? ` → ${o.target.name}` : ''}` : o.status !== null ? `rejected → ${o.status}` : 'unknown'} if ${o.conditions.join(' and ') || 'another branch is taken'}`).join('; '),
    target: null,
    steps: commonStepPrefix(distinct.map((o) => o.steps)),
    outcomes: distinct,
    notModelled: uniqNotModelled,
    request,
  };
}

/** Exit codes of `pbxlint route`: 0 routed, 1 rejected, 3 depends (2 is usage/config error). */
export function exitCodeForVerdict(v: Verdict): number {
  return v === 'routed' ? 0 : v === 'rejected' ? 1 : 3;
}
