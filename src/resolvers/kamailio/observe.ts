/**
 * Coverage's view of a Kamailio simulation: which values on a path are derived from the dialled
 * Request-URI user, and, for every test the script makes on one, the exact set of dialled strings
 * for which it comes out the same way (reported to RouteRequest.observe). Nothing here runs when
 * the request has no observer.
 *
 * A derived value is u = d(x) (x the dialled user; d built from strip/strip_tail/prefix and
 * concatenation with constants, coverage/derive.ts) seen as pre·u·suf when u is not empty
 * (`$rU` is u; `$ru` is sip:u@host…), and as a value of its own when u is empty (`$rU` is $null,
 * `$ru` is sip:host…). Tests modelled: `==`, `!=`, `eq`, `ne`, `=~`, `!~` against a constant,
 * `switch`, and the registrar's / alias_db's look-ups of the R-URI user. Any other decision on a
 * derived value reports `opaque` (the class is not modelled, with the reason).
 */
import { compile, complement, fromStrings, EMPTY, type Dfa } from '../../automata/dfa';
import { literal, alt, cat, chars, CharSet, type Re } from '../../automata/regex';

const ANY: Re = chars(CharSet.ANY);
import { IDENTITY, andThen, isOpaque, testLanguage, type Deriv, type Op } from '../../coverage/derive';
import type { Expr } from '../../parsers/kamailio/ast';
import type { PathObserver } from '../types';
import { ereSearchLanguage } from '../../automata/ere/ere-re';
import { ereMatch } from '../../automata/ere/ere';
import { formatParts, splitPv, uriString, type St, type Uri } from './state';
import { asString, equals, exprText, isUnknown, type Val } from './values';
import { isRdExpr, readsRd, readsRuri, type HostTests } from './host-tests';

/** A value derived from the dialled user: pre·d(x)·suf, or `empty` when d(x) is ''. */
export interface SymVal {
  ops: readonly Op[];
  pre: string;
  suf: string;
  empty: Val;
  /** The value is the length of that string (`{s.len}`): compared as a number. */
  len?: true;
}
export type Sym = SymVal | { opaque: string } | null;

/** What a path knows about derivations: the current R-URI user's, and script variables holding derived values. */
export interface SymState {
  user: Deriv | null;
  vars: Map<string, Sym>;
}

export function initialSym(method: string): SymState {
  // A REGISTER's Request-URI has no user (the AOR is in To).
  return { user: method === 'REGISTER' ? null : IDENTITY, vars: new Map() };
}

function isSymVal(s: Sym): s is SymVal {
  return s !== null && !('opaque' in s);
}

function fromDeriv(d: Deriv | null, pre: string, suf: string, empty: Val): Sym {
  if (d === null) return null;
  if (isOpaque(d)) return { opaque: d.opaque };
  return { ops: d.ops, pre, suf, empty };
}

/** `sip:` + host, port, transport as uriString writes them after the user. */
function uriParts(u: Uri): { pre: string; suf: string; empty: Val } | null {
  if (isUnknown(u.host)) return null;
  const rest = `${u.host ?? ''}${u.port ? `:${u.port}` : ''}${u.transport ? `;transport=${u.transport}` : ''}`;
  return { pre: 'sip:', suf: `@${rest}`, empty: `sip:${rest}` };
}

export interface ObserveCtx {
  observe: PathObserver;
  req: { method: string; ruri: Uri; toDomain: Val; toPort?: number };
  /** Which Request-URI hosts the request's host stands for (RouteRequest.domainClass). */
  domainClass?: 'served' | 'exact' | 'others';
  /** The script's constant tests on `$rd` (host-tests.ts), when domainClass is set. */
  hostTests?: HostTests;
}

/**
 * A test on the Request-URI host (`$rd` compared with `c`, or a switch case `c`) while the host
 * stands for a class of hosts (ObserveCtx.domainClass): not modelled when the test could come out
 * differently for two hosts of the class. A served host's class has the host in every letter case
 * (check_self compares caselessly), which a case-sensitive comparison with a string equal to it
 * but for case tells apart; the class of other hosts is split by every constant the script
 * compares `$rd` with (coverage/kamailio.ts), so only a value not among them tells its hosts apart.
 * `=~` is caseless (REG_ICASE).
 */
export function observeHostTest(ctx: ObserveCtx, st: St, op: string, rdOnLeft: boolean, c: Val, why: string): void {
  const cls = ctx.domainClass;
  if (!cls || cls === 'exact' || !st.sym || isUnknown(c)) return;
  // the test reads the host the request came with only while nothing has rewritten it
  if (st.ruri.host !== ctx.req.ruri.host) return;
  const equality = op === '==' || op === '!=' || op === 'eq' || op === 'ne';
  const match = op === '=~' || op === '!~';
  if (!equality && !match) return ctx.observe.opaque(`${why}: operator ${op} on the Request-URI host`);
  const text = asString(c);
  if (cls === 'served') {
    const host = String(asString(st.ruri.host) ?? '');
    if (equality && typeof text === 'string' && text.toLowerCase() === host.toLowerCase())
      ctx.observe.opaque(`${why}: a case-sensitive comparison with the served host, which is served in every letter case`);
    else if (match && !rdOnLeft) ctx.observe.opaque(`${why}: a regular expression built from the Request-URI host`);
    return;
  }
  const tests = ctx.hostTests;
  const split = typeof text === 'string' && tests !== undefined && (equality ? tests.literals.includes(text) : rdOnLeft && tests.patterns.includes(text));
  if (!split) ctx.observe.opaque(`${why}: a test on the Request-URI host by a value the domain map does not split hosts by`);
}

/** How a pseudo-variable's value on this path depends on the dialled string. */
export function symOfPv(ctx: ObserveCtx, raw: string, st: St): Sym {
  const sym = st.sym;
  if (!sym) return null;
  const { name, inner, transforms } = splitPv(raw);
  let s: Sym = null;
  const original: Deriv | null = ctx.req.method === 'REGISTER' ? null : IDENTITY;
  switch (name) {
    case 'rU':
      s = fromDeriv(sym.user, '', '', null);
      break;
    case 'ru': {
      const p = uriParts(st.ruri);
      s = p ? fromDeriv(sym.user, p.pre, p.suf, p.empty) : null;
      break;
    }
    case 'oU':
      s = fromDeriv(original, '', '', null);
      break;
    case 'ou': {
      const p = uriParts(ctx.req.ruri);
      s = p ? fromDeriv(original, p.pre, p.suf, p.empty) : null;
      break;
    }
    case 'tU':
      s = fromDeriv(IDENTITY, '', '', null);
      break;
    case 'tu': {
      if (isUnknown(ctx.req.toDomain)) break;
      const rest = `${ctx.req.toDomain ?? ''}${ctx.req.toPort ? `:${ctx.req.toPort}` : ''}`;
      s = fromDeriv(IDENTITY, 'sip:', `@${rest}`, `sip:${rest}`);
      break;
    }
    case 'du':
      s = sym.vars.get('du') ?? null;
      break;
    case 'var':
    case 'avp':
    case 'xavp':
    case 'xavu':
    case 'xavi':
    case 'shv':
    case 'sht':
    case 'dlg_var':
      s = sym.vars.get(`${name}:${inner}`) ?? null;
      break;
  }
  if (s !== null && transforms.length) {
    if (isSymVal(s) && !s.len && transforms.length === 1 && transforms[0].trim() === 's.len') return { ...s, len: true };
    return { opaque: `${raw}: transformation {${transforms.join('}{')}} of a value derived from the dialled number` };
  }
  return s;
}

/** How an expression's value depends on the dialled string (null: it does not). */
export function symOf(ctx: ObserveCtx, e: Expr, st: St, value?: (e: Expr) => Val): Sym {
  switch (e.k) {
    case 'pv':
      return symOfPv(ctx, e.raw, st);
    case 'id':
      if (e.name === 'uri') return symOfPv(ctx, '$ru', st);
      if (e.name === 'to_uri') return symOfPv(ctx, '$tu', st);
      return null;
    case 'str':
    case 'num':
    case 'sel':
      return null;
    case 'unop': {
      const s = symOf(ctx, e.e, st, value);
      return s === null ? null : { opaque: `${exprText(e)} on a value derived from the dialled number` };
    }
    case 'call': {
      if (e.name === 'route') return null;
      for (const a of e.args) if (symOf(ctx, a, st, value) !== null) return { opaque: `${exprText(e)} of a value derived from the dialled number` };
      return null;
    }
    case 'binop': {
      const l = symOf(ctx, e.l, st, value);
      const r = symOf(ctx, e.r, st, value);
      if (l === null && r === null) return null;
      if (e.op === '+' && value && (l === null || r === null)) {
        // String concatenation with a constant (rvalue.c: a string operand makes `+` concatenate).
        const s = (l ?? r) as Sym;
        if (!isSymVal(s)) return s;
        if (s.len) return { opaque: `${exprText(e)}: arithmetic on a length derived from the dialled number` };
        const other = value(l === null ? e.l : e.r);
        if (isUnknown(other)) return null;
        const os = asString(other) ?? '';
        const emptyText = `${l === null ? os : (asString(s.empty) ?? '')}${l === null ? (asString(s.empty) ?? '') : os}`;
        return l === null ? { ...s, pre: os + s.pre, empty: emptyText } : { ...s, suf: s.suf + os, empty: emptyText };
      }
      if (isSymVal(l) || isSymVal(r) || l !== null || r !== null) {
        if (['==', '!=', 'eq', 'ne', '=~', '!~', '&&', '||', '<', '>', '<=', '>='].includes(e.op)) return null; // a test: observed where it is made
        return { opaque: `${exprText(e)} on a value derived from the dialled number` };
      }
      return null;
    }
  }
}

/** Whether a format string (a function argument) reads a value derived from the dialled number. */
export function formatSym(ctx: ObserveCtx, s: string, st: St): Sym {
  if (!st.sym || !s.includes('$')) return null;
  for (const p of formatParts(s)) if (p.pv && symOfPv(ctx, p.text, st) !== null) return { opaque: `"${s}" reads a value derived from the dialled number` };
  return null;
}

function report(ctx: ObserveCtx, s: SymVal, holdsOnNonEmpty: () => Dfa, emptyHolds: boolean, holds: boolean, why: string): void {
  ctx.observe.test(() => {
    const lang = testLanguage(s, { pre: s.pre, suf: s.suf, emptyHolds }, holdsOnNonEmpty());
    return holds ? lang : complement(lang);
  }, why);
}

const compiledPatterns = new Map<string, Dfa>();
/** A pattern's language compiled once per run of the process. */
function compiledPattern(pattern: string, re: Re): Dfa {
  let d = compiledPatterns.get(pattern);
  if (!d) {
    d = compile(re);
    if (compiledPatterns.size > 5000) compiledPatterns.clear();
    compiledPatterns.set(pattern, d);
  }
  return d;
}

const MAX_EXACT_INT = 2 ** 53;
const COMPARISONS = new Set(['==', '!=', 'eq', 'ne', 'ieq', 'ine', '=~', '!~', '<', '>', '<=', '>=']);

/** Strings v with /^-?[0-9]+$/ and Number(v) === n (values.ts equals: an int compared with such a string). */
function intStrings(n: number): Re | null {
  if (!Number.isInteger(n) || Math.abs(n) >= MAX_EXACT_INT) return null;
  const zeros: Re = { t: 'star', node: literal('0') };
  const digits = String(Math.abs(n));
  if (n === 0) return cat([alt([literal(''), literal('-')]), literal('0'), zeros]);
  return cat([n < 0 ? literal('-') : literal(''), zeros, literal(digits)]);
}

/** Reports a comparison (`==`, `=~` …) one of whose operands is derived from the dialled number. */
export function observeComparison(ctx: ObserveCtx, e: Extract<Expr, { k: 'binop' }>, st: St, l: Val, r: Val, result: Val, value: (x: Expr) => Val): void {
  if (!st.sym || isUnknown(result) || isUnknown(l) || isUnknown(r)) return;
  // arithmetic and concatenation compute a value (followed by symOf where it is tested); only comparisons decide
  if (!COMPARISONS.has(e.op)) return;
  if (ctx.domainClass && ctx.domainClass !== 'exact' && (readsRd(e.l) || readsRd(e.r))) {
    if (isRdExpr(e.l) || isRdExpr(e.r)) observeHostTest(ctx, st, e.op, isRdExpr(e.l), isRdExpr(e.l) ? r : l, exprText(e));
    else if (st.ruri.host === ctx.req.ruri.host) ctx.observe.opaque(`${exprText(e)}: a test on a value computed from the Request-URI host, which the domain map does not split hosts by`);
  }
  // the whole Request-URI holds the host: its tests could tell apart the hosts the class stands for
  if (ctx.domainClass === 'others' && readsRuri(e) && (st.ruri.host === ctx.req.ruri.host || /\$\(?\s*ou\b/.test(exprText(e))))
    ctx.observe.opaque(`${exprText(e)}: a test on the Request-URI with the host in it, which the domain map's class of other hosts does not fix`);
  const sl = symOf(ctx, e.l, st, value);
  const sr = symOf(ctx, e.r, st, value);
  if (sl === null && sr === null) return;
  const why = exprText(e);
  const fail = (reason: string) => ctx.observe.opaque(`${why}: ${reason}`);
  if (sl !== null && !isSymVal(sl)) return fail(sl.opaque);
  if (sr !== null && !isSymVal(sr)) return fail(sr.opaque);
  if (sl !== null && sr !== null) return fail('both operands derive from the dialled number');
  const op = e.op;
  const positive = op === '==' || op === 'eq' || op === '=~';
  const holds = result === true;
  const testHolds = positive ? holds : !holds;
  const left = sl !== null;
  const s = (sl ?? sr) as SymVal;
  const c = left ? r : l;
  if (s.len) return lengthComparison(ctx, s, left, c, op, holds, why, fail);
  // whether the test holds for the value the operand has when the derived user is empty
  const emptyTest = (): boolean => {
    if (op === '=~' || op === '!~') return s.empty !== null && ereMatch(String(asString(c) ?? ''), String(asString(s.empty))) === true;
    if (op === 'eq' || op === 'ne') return asString(s.empty) === asString(c);
    return (left ? equals(s.empty, c) : equals(c, s.empty)) === true;
  };
  if (op === '=~' || op === '!~') {
    if (!left) return fail('a regular expression built from the dialled number');
    const pattern = String(asString(c) ?? '');
    if (ereMatch(pattern, 'x') === null) {
      // the pattern is not evaluated (route forks): only $null (false) is decided
      ctx.observe.test(() => {
        const lang = testLanguage(s, { pre: s.pre, suf: s.suf, emptyHolds: true }, EMPTY);
        return s.empty === null ? (holds === (positive ? false : true) ? lang : complement(lang)) : complement(EMPTY);
      }, why);
      return;
    }
    const lang = ereSearchLanguage(pattern);
    if (!lang.ok) return fail(lang.reason);
    return report(ctx, s, () => compiledPattern(pattern, lang.re), emptyTest(), testHolds, why);
  }
  if (op === 'eq' || op === 'ne') {
    const cs = asString(c);
    return report(ctx, s, () => (typeof cs === 'string' ? fromStrings([cs]) : EMPTY), emptyTest(), testHolds, why);
  }
  if (op === '==' || op === '!=') {
    let lang: Re | null;
    if (c === null) lang = { t: 'none' };
    else if (left && typeof c === 'number') lang = intStrings(c) ?? (Number.isFinite(c) && !Number.isInteger(c) ? literal(String(c)) : null);
    else if (left) lang = literal(String(c));
    else if (typeof c === 'string') lang = literal(c);
    else lang = null; // a number on the left converts the string with Number(): not modelled
    if (lang === null) return fail(`numeric comparison with ${String(c)}`);
    const re = lang;
    return report(ctx, s, () => compile(re), emptyTest(), testHolds, why);
  }
  fail(`operator ${op}`);
}

/** Lengths past this are not turned into automata. */
const MAX_LENGTH_BOUND = 10_000;

/**
 * A comparison of `{s.len}` of a derived value with a constant (rvalue.c: numbers compared as
 * numbers; `$null`'s length is $null, which compares as 0): the values whose length satisfies it.
 */
function lengthComparison(ctx: ObserveCtx, s: SymVal, left: boolean, c: Val, op: string, holds: boolean, why: string, fail: (reason: string) => void): void {
  // the test as "n OP b" with the length n on the left
  const flip: Record<string, string> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=', '==': '==', '!=': '!=' };
  const o = left ? op : flip[op];
  if (o === undefined) return fail(`operator ${op} on a length`);
  let b: number;
  if (o === '==' || o === '!=') {
    // values.ts equals: with the length on the left the constant is converted by Number(); on the
    // right, a string is compared as an integer only when it looks like one; $null equals no number
    if (c === null) b = NaN;
    else if (left || typeof c !== 'string') b = Number(c);
    else b = /^-?[0-9]+$/.test(c) ? Number(c) : NaN;
  } else b = c === null ? 0 : Number(c);
  if (Number.isNaN(b) && o !== '==' && o !== '!=') return fail(`comparison of a length with ${String(c)}`);
  const n = (k: number): Re => ({ t: 'cat', items: Array.from({ length: k }, () => ANY) });
  const atLeast = (k: number): Re => (k <= 0 ? { t: 'star', node: ANY } : cat([n(k), { t: 'star', node: ANY }]));
  const atMost = (k: number): Re => (k < 0 ? { t: 'none' } : alt(Array.from({ length: k + 1 }, (_, i) => n(i))));
  const exactly = (k: number): Re => (Number.isInteger(k) && k >= 0 ? n(k) : { t: 'none' });
  const bound = Math.abs(Number.isFinite(b) ? b : 0);
  if (bound > MAX_LENGTH_BOUND) return fail(`comparison of a length with ${String(c)}`);
  let lang: Re;
  let negate = false;
  switch (o) {
    case '>': lang = atLeast(Math.floor(b) + 1); break;
    case '>=': lang = atLeast(Math.ceil(b)); break;
    case '<': lang = atMost(Math.ceil(b) - 1); break;
    case '<=': lang = atMost(Math.floor(b)); break;
    case '==': lang = exactly(b); break;
    default: lang = exactly(b); negate = true;
  }
  // the empty user: the length of the empty value ($null for $rU, a number for $ru)
  const e = s.empty === null ? 0 : String(asString(s.empty)).length;
  const nullEquals = c === null || c === '';
  const emptyEq = s.empty === null ? nullEquals : e === b;
  const emptyHolds = o === '>' ? e > b : o === '>=' ? e >= b : o === '<' ? e < b : o === '<=' ? e <= b : o === '==' ? emptyEq : !emptyEq;
  const re = lang;
  const positive = negate ? !holds : holds;
  ctx.observe.test(() => {
    const l = testLanguage(s, { pre: s.pre, suf: s.suf, emptyHolds: negate ? !emptyHolds : emptyHolds }, compile(re));
    return positive ? l : complement(l);
  }, why);
}

/** `if (X)` / `X && …` where X itself is derived from the dialled number: its truth is not modelled. */
export function observeTruth(ctx: ObserveCtx, e: Expr, st: St, value: (x: Expr) => Val): void {
  if (!st.sym) return;
  const s = symOf(ctx, e, st, value);
  if (s !== null) ctx.observe.opaque(`the truth of ${exprText(e)}: ${isSymVal(s) ? 'a value derived from the dialled number' : s.opaque}`);
}

/** switch on a derived subject: each case compared in order up to the one taken. */
export function observeSwitch(ctx: ObserveCtx, subject: Expr, st: St, v: Val, cases: (string | number | null)[], taken: number, value: (x: Expr) => Val): void {
  if (!st.sym || isUnknown(v)) return;
  if (ctx.domainClass === 'others' && readsRuri(subject) && st.ruri.host === ctx.req.ruri.host) ctx.observe.opaque(`switch (${exprText(subject)}): the Request-URI with the host in it, which the domain map's class of other hosts does not fix`);
  if (ctx.domainClass && isRdExpr(subject)) for (let i = 0; i < cases.length && i <= taken; i++) observeHostTest(ctx, st, '==', true, cases[i], `switch (${exprText(subject)}) case ${String(cases[i])}`);
  const s = symOf(ctx, subject, st, value);
  if (s === null) return;
  if (!isSymVal(s)) return ctx.observe.opaque(`switch (${exprText(subject)}): ${s.opaque}`);
  if (s.len) return ctx.observe.opaque(`switch (${exprText(subject)}): a length derived from the dialled number`);
  for (let i = 0; i < cases.length && i <= taken; i++) {
    const cv = cases[i];
    let lang: Re | null;
    if (cv === null) lang = { t: 'none' };
    else if (typeof cv === 'number') lang = intStrings(cv);
    else lang = literal(cv);
    if (lang === null) return ctx.observe.opaque(`switch (${exprText(subject)}): case ${String(cv)}`);
    const re = lang;
    report(ctx, s, () => compile(re), equals(s.empty, cv) === true, i === taken, `switch (${exprText(subject)}) case ${String(cv)}`);
  }
}

/** A new derivation for the R-URI user after an assignment `$rU = …` (null: now a constant). */
export function userAfterAssign(s: Sym): Deriv | null {
  if (s === null) return null;
  if (!isSymVal(s)) return { opaque: s.opaque };
  if (s.len) return { opaque: 'a length assigned as the user' };
  // pre·u·suf for a non-empty u; the empty case must give pre·suf for the ops to stay exact
  if ((asString(s.empty) ?? '') !== s.pre + s.suf) return { opaque: 'an assignment that treats an empty user differently' };
  return andThen(andThen(s, { k: 'prefix', s: s.pre }), { k: 'suffix', s: s.suf });
}

/** The case variants of a string (ASCII letters either case), for user look-ups that lowercase. */
export function caseVariants(s: string): Re {
  const items: Re[] = [];
  for (const ch of s) {
    const lo = ch.toLowerCase();
    const up = ch.toUpperCase();
    items.push(lo !== up && lo.length === 1 && up.length === 1 ? chars(CharSet.of(lo + up)) : literal(ch));
  }
  return cat(items);
}

/** The R-URI user (as read by ruriUser) is tested against a set of strings (look-ups keyed on it). */
export function observeUserIn(ctx: ObserveCtx, st: St, members: () => Re, emptyHolds: boolean, holds: boolean, why: string): void {
  if (!st.sym || st.sym.user === null) return;
  if (isOpaque(st.sym.user)) return ctx.observe.opaque(`${why}: ${st.sym.user.opaque}`);
  const s: SymVal = { ops: st.sym.user.ops, pre: '', suf: '', empty: null };
  report(ctx, s, () => compile(members()), emptyHolds, holds, why);
}

export { uriString };
