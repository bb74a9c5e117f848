/**
 * `pbxlint route` for a Kamailio whose routing is a KEMI script (`cfgengine "lua"` …). Kamailio
 * calls the script's `ksr_request_route` for every request (src/core/kemi.c
 * kemi_request_route_callback; app_lua_api.c app_lua_run_ex); the script calls back into Kamailio
 * through the KSR object (modules' kemi exports: sl, tm, registrar, pv, hdr …).
 *
 * Lua: an abstract interpreter of the common subset — locals and globals, if/elseif/else, while,
 * numeric for, functions, string operations and Lua patterns — run on the same path state as the
 * native simulator (state.ts), with its functions (functions.ts) for the KSR calls that are the
 * cfg functions under another name, so a KEMI script and its native twin give the same answer.
 * Values are Lua's: only nil and false are false (so `if KSR.registrar.lookup("location") then`
 * is always taken, as in Lua). What is not modelled forks both ways, as in the native simulator.
 *
 * Other KEMI languages: not interpreted; the answer says where the routing is (exit 3).
 */
import * as path from 'path';
import type * as Lua from 'luaparse';
import type { SourceLocation } from '../../core/location';
import type { KamailioModel } from '../../model/kamailio';
import type { Expr } from '../../parsers/kamailio/ast';
import { KEMI_LANGUAGE } from '../../parsers/kamailio/kemi';
import { summarizeOutcomes, type RouteAnswer, type RouteRequest } from '../types';
import { callFunction } from './functions';
import { hasHeader, parseUri, readPv, writePv, cloneSt, uriString, type St } from './state';
import { checkSelf } from './myself';
import { newInterp, outcomeOf, resolveTruth, startState, type Interp } from './interpreter';
import { Unknown, isUnknown, type Val } from './values';

/** The KEMI request-route callback name (core/kemi.c kemi_request_route_callback default). */
const REQUEST_ROUTE_CALLBACK = 'ksr_request_route';
const MAX_WORK = 40_000;
const MAX_DEPTH = 100;
const MAX_LOOP = 1000;

interface LuaFunction {
  fn: Lua.FunctionDeclaration;
}
interface LuaTable {
  table: Map<string | number, LuaValue>;
}
/** A member of the KSR object not yet called (`KSR.sl.sl_send_reply`). */
interface KsrRef {
  ksr: string[];
}
/** A library function (string.sub, tostring …). */
interface Builtin {
  builtin: string;
}
type LuaValue = Val | LuaFunction | LuaTable | KsrRef | Builtin;

const isFn = (v: LuaValue): v is LuaFunction => typeof v === 'object' && v !== null && 'fn' in v;
const isTable = (v: LuaValue): v is LuaTable => typeof v === 'object' && v !== null && 'table' in v;
const isKsr = (v: LuaValue): v is KsrRef => typeof v === 'object' && v !== null && 'ksr' in v;
const isBuiltin = (v: LuaValue): v is Builtin => typeof v === 'object' && v !== null && 'builtin' in v;

type Flow = 'next' | 'return' | 'exit' | 'break';
interface LRes {
  st: St;
  flow: Flow;
  rv?: LuaValue;
}
interface LBranch {
  st: St;
  v: LuaValue;
  exit?: boolean;
}

/** Lua variables live in the path state (st.vars, cloned at every fork): locals by frame, globals apart. */
const GLOBAL = 'lua:G:';
const local = (frame: number, name: string) => `lua:${frame}:${name}`;

interface Ctx {
  ip: Interp;
  file: string;
  frames: number;
  globals: Map<string, LuaValue>;
}

const BUILTINS = new Set(['tostring', 'tonumber', 'type', 'print', 'string.sub', 'string.len', 'string.lower', 'string.upper', 'string.find', 'string.match', 'string.gsub', 'string.format', 'string.rep']);

export function simulateKemi(model: KamailioModel, request: RouteRequest): RouteAnswer {
  const kemi = model.kemi!;
  const { interp, req, text } = newInterp(model, request);
  const language = Object.prototype.hasOwnProperty.call(KEMI_LANGUAGE, kemi.engine) ? KEMI_LANGUAGE[kemi.engine] : kemi.engine;
  // Relative to the cfg's directory, as the reader sees the layout.
  const where = kemi.script ? path.relative(model.root, kemi.script) : kemi.scriptParam?.value;
  const notModelled = (reason: string, what: string): RouteAnswer => ({
    platform: 'kamailio',
    verdict: 'depends',
    status: null,
    reason,
    target: null,
    steps: [{ file: kemi.location.file, line: kemi.location.line, column: kemi.location.column, kind: 'route', text: `cfgengine "${kemi.engine}": request routing is in the KEMI script` }],
    outcomes: [],
    notModelled: [what],
    request: text.replace('into request_route', `into ${REQUEST_ROUTE_CALLBACK}`),
  });
  if (kemi.engine !== 'lua') return notModelled(`not modelled: routing is in ${where ?? 'a KEMI script'} (${kemi.engine})`, `${language} KEMI routing (pbxlint interprets Lua KEMI scripts only)`);
  if (!kemi.lua || !kemi.script) return notModelled(`not modelled: routing is in ${where ?? 'a Lua script'} (lua), which ${kemi.script ? 'does not parse as Lua 5.3' : 'is not found'}`, 'the KEMI Lua script');
  const ctx: Ctx = { ip: interp, file: kemi.script, frames: 0, globals: new Map() };
  const start = startState(req);
  // luaL_dofile runs the chunk once at start-up: its top level defines the functions and globals.
  let states: LRes[] = execBlock(ctx, kemi.lua.body, start, 0, 0);
  const entry = states.length ? (states[0].st.vars.get(GLOBAL + REQUEST_ROUTE_CALLBACK) as LuaValue | undefined) : undefined;
  if (!entry || !isFn(entry)) return notModelled(`not modelled: ${where} defines no function ${REQUEST_ROUTE_CALLBACK} (nothing routes the request)`, `${REQUEST_ROUTE_CALLBACK} is not defined`);
  // The top level ran at start-up, not for this request: keep its globals, not its steps.
  const base = states[0].st;
  const first = cloneSt(start);
  first.vars = new Map([...base.vars].filter(([k]) => k.startsWith(GLOBAL) || k.startsWith(local(0, ''))));
  interp.step(first, at(ctx, entry.fn), 'route', `${REQUEST_ROUTE_CALLBACK}() (KEMI, ${path.basename(kemi.script)})`);
  states = callLua(ctx, entry, [], first, 0).map((b) => ({ st: b.st, flow: b.exit ? 'exit' : 'next' }));
  if (interp.limited) interp.notModelledSet.add(interp.limited);
  const answer = summarizeOutcomes('kamailio', text.replace('into request_route', `into ${REQUEST_ROUTE_CALLBACK}`), states.map((r) => outcomeOf(r.st)), [...interp.notModelledSet]);
  return answer;
}

function at(ctx: Ctx, node: Lua.Node): SourceLocation {
  return { file: ctx.file, line: node.loc?.start.line ?? 1, column: (node.loc?.start.column ?? 0) + 1 };
}

function overBudget(ctx: Ctx): boolean {
  ctx.ip.work++;
  if (ctx.ip.work > MAX_WORK) {
    ctx.ip.limited = `simulation stopped after ${MAX_WORK} steps (loops or too many paths)`;
    return true;
  }
  return false;
}

function lookupVar(st: St, frame: number, name: string): LuaValue {
  const l = local(frame, name);
  if (st.vars.has(l)) return st.vars.get(l) as LuaValue;
  // The chunk's own locals are the upvalues of its functions (closures beyond that are not modelled).
  if (st.vars.has(local(0, name))) return st.vars.get(local(0, name)) as LuaValue;
  if (st.vars.has(GLOBAL + name)) return st.vars.get(GLOBAL + name) as LuaValue;
  if (name === 'KSR') return { ksr: [] };
  if (name === 'string') return { builtin: 'string' };
  if (BUILTINS.has(name)) return { builtin: name };
  return null;
}

function setVar(st: St, frame: number, name: string, v: LuaValue, isLocal: boolean): void {
  const l = local(frame, name);
  if (isLocal || st.vars.has(l)) st.vars.set(l, v as Val);
  else if (st.vars.has(local(0, name))) st.vars.set(local(0, name), v as Val);
  else st.vars.set(GLOBAL + name, v as Val);
}

// ---- statements ----

function execBlock(ctx: Ctx, body: Lua.Statement[], st: St, frame: number, depth: number): LRes[] {
  let cur: LRes[] = [{ st, flow: 'next' }];
  for (const s of body) {
    const next: LRes[] = [];
    for (const r of cur) {
      if (r.flow !== 'next') next.push(r);
      else if (r.st.final) next.push({ ...r, flow: 'exit' }); // the first final reply or relay is what the caller gets
      else next.push(...execStmt(ctx, s, r.st, frame, depth));
    }
    cur = next;
    if (cur.every((r) => r.flow !== 'next')) break;
  }
  return cur;
}

function execStmt(ctx: Ctx, s: Lua.Statement, st: St, frame: number, depth: number): LRes[] {
  if (overBudget(ctx)) return [{ st, flow: 'exit' }];
  switch (s.type) {
    case 'LocalStatement':
    case 'AssignmentStatement':
      return assign(ctx, s, st, frame, depth);
    case 'CallStatement':
      return evalExpr(ctx, s.expression, st, frame, depth).map((b) => ({ st: b.st, flow: b.exit || b.st.final ? 'exit' : 'next' }));
    case 'FunctionDeclaration': {
      const id = s.identifier;
      if (id && id.type === 'Identifier') setVar(st, frame, id.name, { fn: s }, s.isLocal);
      else if (id) ctx.ip.notModelled(`Lua function stored in a table (${path.basename(ctx.file)}:${at(ctx, s).line})`);
      return [{ st, flow: 'next' }];
    }
    case 'IfStatement':
      return execIf(ctx, s.clauses, 0, st, frame, depth);
    case 'ReturnStatement': {
      if (s.arguments.length === 0) return [{ st, flow: 'return', rv: null }];
      return evalExpr(ctx, s.arguments[0], st, frame, depth).map((b) => (b.exit ? { st: b.st, flow: 'exit' } : { st: b.st, flow: 'return', rv: b.v }));
    }
    case 'BreakStatement':
      return [{ st, flow: 'break' }];
    case 'DoStatement':
      return execBlock(ctx, s.body, st, frame, depth);
    case 'WhileStatement':
    case 'RepeatStatement':
      return execLoop(ctx, s, st, frame, depth);
    case 'ForNumericStatement':
      return execFor(ctx, s, st, frame, depth);
    default:
      ctx.ip.notModelled(`Lua ${s.type.replace(/Statement$/, '').toLowerCase()} statement (${path.basename(ctx.file)}:${at(ctx, s).line})`);
      return [{ st, flow: 'next' }];
  }
}

function assign(ctx: Ctx, s: Lua.LocalStatement | Lua.AssignmentStatement, st: St, frame: number, depth: number): LRes[] {
  // Values first (left to right), then the assignments: `local a, b = f(), g()`.
  let cur: { st: St; vals: LuaValue[] }[] = [{ st, vals: [] }];
  for (const e of s.init) {
    const next: { st: St; vals: LuaValue[] }[] = [];
    for (const c of cur) {
      for (const b of evalExpr(ctx, e, c.st, frame, depth)) {
        if (b.exit) return [{ st: b.st, flow: 'exit' }];
        next.push({ st: b.st, vals: [...c.vals, b.v] });
      }
    }
    cur = next;
  }
  return cur.map(({ st: s2, vals }) => {
    s.variables.forEach((v, i) => {
      const value = i < vals.length ? vals[i] : null;
      if (v.type === 'Identifier') setVar(s2, frame, v.name, value, s.type === 'LocalStatement');
      else if ((v.type === 'MemberExpression' || v.type === 'IndexExpression') && v.base.type === 'Identifier') {
        const t = lookupVar(s2, frame, v.base.name);
        const key = v.type === 'MemberExpression' ? v.identifier.name : literalKey(v.index);
        if (isTable(t) && key !== null) t.table.set(key, value);
        else ctx.ip.notModelled(`Lua assignment to ${v.base.name}[…] (${path.basename(ctx.file)}:${at(ctx, v).line})`);
      }
    });
    return { st: s2, flow: 'next' as Flow };
  });
}

function literalKey(e: Lua.Expression): string | number | null {
  if (e.type === 'StringLiteral') return strValue(e);
  if (e.type === 'NumericLiteral') return e.value;
  return null;
}

function strValue(e: Lua.StringLiteral): string {
  if (e.value !== null && e.value !== undefined) return e.value;
  // luaparse leaves value null without an encoding mode: decode the raw literal's simple escapes.
  const raw = e.raw;
  const body = raw.startsWith('[') ? raw.replace(/^\[=*\[\n?/, '').replace(/\]=*\]$/, '') : raw.slice(1, -1);
  return raw.startsWith('[') ? body : body.replace(/\\(n|t|r|\\|"|'|[0-9]{1,3})/g, (_m, c: string) => ({ n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'" } as Record<string, string>)[c] ?? String.fromCharCode(Number(c)));
}

function execIf(ctx: Ctx, clauses: (Lua.IfClause | Lua.ElseifClause | Lua.ElseClause)[], i: number, st: St, frame: number, depth: number): LRes[] {
  if (i >= clauses.length) return [{ st, flow: 'next' }];
  const c = clauses[i];
  if (c.type === 'ElseClause') return execBlock(ctx, c.body, st, frame, depth);
  const out: LRes[] = [];
  for (const d of decide(ctx, c.condition, st, frame, depth)) {
    if (d.value === 'exit') out.push({ st: d.st, flow: 'exit' });
    else if (d.value) out.push(...execBlock(ctx, c.body, d.st, frame, depth));
    else out.push(...execIf(ctx, clauses, i + 1, d.st, frame, depth));
  }
  return out;
}

function execLoop(ctx: Ctx, s: Lua.WhileStatement | Lua.RepeatStatement, st: St, frame: number, depth: number): LRes[] {
  const done: LRes[] = [];
  let cur: St[] = [st];
  for (let n = 0; n < MAX_LOOP && cur.length; n++) {
    const next: St[] = [];
    for (const s0 of cur) {
      if (s.type === 'WhileStatement') {
        for (const d of decide(ctx, s.condition, s0, frame, depth)) {
          if (d.value === 'exit') done.push({ st: d.st, flow: 'exit' });
          else if (!d.value) done.push({ st: d.st, flow: 'next' });
          else {
            for (const r of execBlock(ctx, s.body, d.st, frame, depth)) {
              if (r.flow === 'next') next.push(r.st);
              else done.push(r.flow === 'break' ? { st: r.st, flow: 'next' } : r);
            }
          }
        }
      } else {
        for (const r of execBlock(ctx, s.body, s0, frame, depth)) {
          if (r.flow !== 'next') done.push(r.flow === 'break' ? { st: r.st, flow: 'next' } : r);
          else {
            for (const d of decide(ctx, s.condition, r.st, frame, depth)) {
              if (d.value === 'exit') done.push({ st: d.st, flow: 'exit' });
              else if (d.value) done.push({ st: d.st, flow: 'next' });
              else next.push(d.st);
            }
          }
        }
      }
    }
    cur = next;
    if (ctx.ip.limited) break;
  }
  if (cur.length) {
    ctx.ip.limited ??= `a Lua loop ran more than ${MAX_LOOP} times`;
    done.push(...cur.map((s2) => ({ st: s2, flow: 'exit' as Flow })));
  }
  return done;
}

function execFor(ctx: Ctx, s: Lua.ForNumericStatement, st: St, frame: number, depth: number): LRes[] {
  const nums = [s.start, s.end, s.step].map((e) => (e ? evalExpr(ctx, e, st, frame, depth) : [{ st, v: 1 }]));
  const [a, b, c] = nums.map((r) => (r.length === 1 && typeof r[0].v === 'number' ? r[0].v : null));
  if (a === null || b === null || c === null || c === 0) {
    ctx.ip.notModelled(`Lua for loop over values not known (${path.basename(ctx.file)}:${at(ctx, s).line})`);
    return [{ st, flow: 'next' }];
  }
  let cur: LRes[] = [{ st, flow: 'next' }];
  /** Paths that left the loop with break. */
  const finished: LRes[] = [];
  let n = 0;
  for (let i = a; c > 0 ? i <= b : i >= b; i += c) {
    if (++n > MAX_LOOP) {
      ctx.ip.limited ??= `a Lua loop ran more than ${MAX_LOOP} times`;
      break;
    }
    const next: LRes[] = [];
    for (const r of cur) {
      if (r.flow !== 'next') {
        next.push(r);
        continue;
      }
      setVar(r.st, frame, s.variable.name, i, true);
      for (const x of execBlock(ctx, s.body, r.st, frame, depth)) {
        if (x.flow === 'break') finished.push({ st: x.st, flow: 'next' });
        else next.push(x);
      }
    }
    cur = next;
    if (cur.every((r) => r.flow !== 'next')) break;
  }
  return [...finished, ...cur];
}

/** Lua truth: only nil and false are false. An unknown value forks, remembered per path. */
function decide(ctx: Ctx, cond: Lua.Expression, st: St, frame: number, depth: number): { st: St; value: boolean | 'exit' }[] {
  const out: { st: St; value: boolean | 'exit' }[] = [];
  const loc = at(ctx, cond);
  const text = sourceText(cond);
  for (const b of evalExpr(ctx, cond, st, frame, depth)) {
    if (b.exit) {
      out.push({ st: b.st, value: 'exit' });
      continue;
    }
    if (isUnknown(b.v as Val)) {
      out.push(...resolveTruth(ctx.ip, b.st, b.v as Val, loc, text));
      continue;
    }
    const t = luaTruth(b.v);
    ctx.ip.step(b.st, loc, 'condition', `if ${text} → ${t}`);
    out.push({ st: b.st, value: t });
  }
  return out;
}

function luaTruth(v: LuaValue): boolean {
  return !(v === null || v === false);
}

function sourceText(e: Lua.Expression): string {
  switch (e.type) {
    case 'Identifier':
      return e.name;
    case 'StringLiteral':
      return e.raw;
    case 'NumericLiteral':
    case 'BooleanLiteral':
    case 'NilLiteral':
      return e.raw;
    case 'MemberExpression':
      return `${sourceText(e.base)}${e.indexer}${e.identifier.name}`;
    case 'IndexExpression':
      return `${sourceText(e.base)}[${sourceText(e.index)}]`;
    case 'CallExpression':
      return `${sourceText(e.base)}(${e.arguments.map(sourceText).join(', ')})`;
    case 'StringCallExpression':
      return `${sourceText(e.base)} ${sourceText(e.argument)}`;
    case 'BinaryExpression':
    case 'LogicalExpression':
      return `${sourceText(e.left)} ${e.operator} ${sourceText(e.right)}`;
    case 'UnaryExpression':
      return `${e.operator}${e.operator === 'not' ? ' ' : ''}${sourceText(e.argument)}`;
    default:
      return '…';
  }
}

// ---- expressions ----

function evalExpr(ctx: Ctx, e: Lua.Expression, st: St, frame: number, depth: number): LBranch[] {
  switch (e.type) {
    case 'StringLiteral':
      return [{ st, v: strValue(e) }];
    case 'NumericLiteral':
      return [{ st, v: e.value }];
    case 'BooleanLiteral':
      return [{ st, v: e.value }];
    case 'NilLiteral':
      return [{ st, v: null }];
    case 'Identifier':
      return [{ st, v: lookupVar(st, frame, e.name) }];
    case 'FunctionDeclaration':
      return [{ st, v: { fn: e } }];
    case 'TableConstructorExpression': {
      const table = new Map<string | number, LuaValue>();
      let n = 1;
      for (const f of e.fields) {
        const vs = evalExpr(ctx, f.value, st, frame, depth);
        const v = vs.length === 1 ? vs[0].v : new Unknown('a table field');
        if (f.type === 'TableValue') table.set(n++, v);
        else if (f.type === 'TableKeyString') table.set(f.key.name, v);
        else {
          const k = literalKey(f.key);
          if (k !== null) table.set(k, v);
        }
      }
      return [{ st, v: { table } }];
    }
    case 'MemberExpression':
    case 'IndexExpression':
      return evalExpr(ctx, e.base, st, frame, depth).map((b) => {
        if (b.exit) return b;
        const key = e.type === 'MemberExpression' ? e.identifier.name : literalKeyOf(ctx, e.index, b.st, frame, depth);
        return { st: b.st, v: member(b.v, key) };
      });
    case 'CallExpression':
    case 'StringCallExpression':
    case 'TableCallExpression':
      return evalCall(ctx, e, st, frame, depth);
    case 'LogicalExpression':
      return evalExpr(ctx, e.left, st, frame, depth).flatMap((b) => {
        if (b.exit) return [b];
        if (isUnknown(b.v as Val)) {
          // `a and b` / `a or b` on an unknown a: fork on it, as an if would.
          return resolveTruth(ctx.ip, b.st, b.v as Val, at(ctx, e.left), null).flatMap((d) => ((e.operator === 'and') === d.value ? evalExpr(ctx, e.right, d.st, frame, depth) : [{ st: d.st, v: d.value }]));
        }
        const t = luaTruth(b.v);
        if (e.operator === 'and') return t ? evalExpr(ctx, e.right, b.st, frame, depth) : [b];
        return t ? [b] : evalExpr(ctx, e.right, b.st, frame, depth);
      });
    case 'UnaryExpression':
      return evalExpr(ctx, e.argument, st, frame, depth).map((b) => {
        if (b.exit) return b;
        const v = b.v;
        if (e.operator === 'not') return { st: b.st, v: isUnknown(v as Val) ? (v as Unknown).not() : !luaTruth(v) };
        if (isUnknown(v as Val)) return b;
        if (e.operator === '-') return { st: b.st, v: typeof v === 'number' ? -v : toNumber(v) === null ? new Unknown(`-${sourceText(e.argument)}`) : -(toNumber(v) as number) };
        if (e.operator === '#') return { st: b.st, v: typeof v === 'string' ? Buffer.byteLength(v, 'latin1') : isTable(v) ? countSequence(v) : new Unknown(`#${sourceText(e.argument)}`) };
        return { st: b.st, v: new Unknown(`${e.operator}${sourceText(e.argument)}`) };
      });
    case 'BinaryExpression':
      return evalExpr(ctx, e.left, st, frame, depth).flatMap((l) => (l.exit ? [l] : evalExpr(ctx, e.right, l.st, frame, depth).map((r) => (r.exit ? r : { st: r.st, v: binary(e.operator, l.v, r.v, e) }))));
    default:
      ctx.ip.notModelled(`Lua ${e.type} (${path.basename(ctx.file)}:${at(ctx, e).line})`);
      return [{ st, v: new Unknown(`${sourceText(e)} (not modelled)`) }];
  }
}

function literalKeyOf(ctx: Ctx, e: Lua.Expression, st: St, frame: number, depth: number): string | number | null {
  const vs = evalExpr(ctx, e, st, frame, depth);
  const v = vs.length === 1 ? vs[0].v : null;
  return typeof v === 'string' || typeof v === 'number' ? v : null;
}

function countSequence(t: LuaTable): number {
  let n = 0;
  while (t.table.has(n + 1)) n++;
  return n;
}

function member(base: LuaValue, key: string | number | null): LuaValue {
  if (key === null) return new Unknown('a table member');
  if (isKsr(base)) return { ksr: [...base.ksr, String(key)] };
  if (isBuiltin(base) && base.builtin === 'string') return { builtin: `string.${key}` };
  if (isTable(base)) return base.table.has(key) ? (base.table.get(key) as LuaValue) : null;
  if (isUnknown(base as Val)) return base;
  return new Unknown(`a member of ${typeof base}`);
}

function toNumber(v: LuaValue): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

function toStr(v: LuaValue): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v);
  return null;
}

function binary(op: string, l: LuaValue, r: LuaValue, e: Lua.Expression): LuaValue {
  if (isUnknown(l as Val)) return l;
  if (isUnknown(r as Val)) return r;
  switch (op) {
    case '..': {
      const a = toStr(l);
      const b = toStr(r);
      return a === null || b === null ? new Unknown(`${sourceText(e)} (concatenating a ${a === null ? typeof l : typeof r})`) : a + b;
    }
    case '==':
      return l === r;
    case '~=':
      return l !== r;
    case '<':
    case '>':
    case '<=':
    case '>=': {
      const both = (typeof l === 'number' && typeof r === 'number') || (typeof l === 'string' && typeof r === 'string');
      if (!both) return new Unknown(`${sourceText(e)} (compares ${typeof l} with ${typeof r}: a Lua error)`);
      const a = l as number | string;
      const b = r as number | string;
      return op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b;
    }
    default: {
      const a = toNumber(l);
      const b = toNumber(r);
      if (a === null || b === null) return new Unknown(`${sourceText(e)} (arithmetic on a ${a === null ? typeof l : typeof r})`);
      switch (op) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
          return a / b;
        case '//':
          return Math.floor(a / b);
        case '%':
          return a - Math.floor(a / b) * b;
        case '^':
          return a ** b;
        default:
          return new Unknown(`${sourceText(e)} (operator ${op} not modelled)`);
      }
    }
  }
}

// ---- calls ----

function evalArgs(ctx: Ctx, args: Lua.Expression[], st: St, frame: number, depth: number): { st: St; vals: LuaValue[]; exit?: boolean }[] {
  let cur: { st: St; vals: LuaValue[]; exit?: boolean }[] = [{ st, vals: [] }];
  for (const a of args) {
    const next: { st: St; vals: LuaValue[]; exit?: boolean }[] = [];
    for (const c of cur) {
      if (c.exit) {
        next.push(c);
        continue;
      }
      for (const b of evalExpr(ctx, a, c.st, frame, depth)) next.push(b.exit ? { st: b.st, vals: c.vals, exit: true } : { st: b.st, vals: [...c.vals, b.v] });
    }
    cur = next;
  }
  return cur;
}

function evalCall(ctx: Ctx, e: Lua.CallExpression | Lua.StringCallExpression | Lua.TableCallExpression, st: St, frame: number, depth: number): LBranch[] {
  const argExprs: Lua.Expression[] = e.type === 'CallExpression' ? e.arguments : e.type === 'StringCallExpression' ? [e.argument] : [e.arguments];
  // obj:method(…) passes obj first (s:sub(1, 2) is string.sub(s, 1, 2)).
  const method = e.base.type === 'MemberExpression' && e.base.indexer === ':' ? e.base : null;
  const out: LBranch[] = [];
  const bases = method ? evalExpr(ctx, method.base, st, frame, depth) : evalExpr(ctx, e.base, st, frame, depth);
  for (const b of bases) {
    if (b.exit) {
      out.push(b);
      continue;
    }
    const callee: LuaValue = method ? (typeof b.v === 'string' || isUnknown(b.v as Val) ? { builtin: `string.${method.identifier.name}` } : member(b.v, method.identifier.name)) : b.v;
    for (const a of evalArgs(ctx, argExprs, b.st, frame, depth)) {
      if (a.exit) {
        out.push({ st: a.st, v: null, exit: true });
        continue;
      }
      const args = method ? [b.v, ...a.vals] : a.vals;
      out.push(...apply(ctx, callee, args, a.st, depth, e));
    }
  }
  return out;
}

function apply(ctx: Ctx, callee: LuaValue, args: LuaValue[], st: St, depth: number, e: Lua.Expression): LBranch[] {
  if (isFn(callee)) return callLua(ctx, callee, args, st, depth, e);
  if (isKsr(callee)) return callKsr(ctx, callee.ksr, args, st, depth, at(ctx, e));
  if (isBuiltin(callee)) return [{ st, v: builtin(ctx, callee.builtin, args) }];
  const name = sourceText((e as Lua.CallExpression).base ?? e);
  ctx.ip.notModelled(`${name}() (${path.basename(ctx.file)}:${at(ctx, e).line})`);
  return [{ st, v: new Unknown(`${name}() (not modelled)`) }];
}

function callLua(ctx: Ctx, f: LuaFunction, args: LuaValue[], st: St, depth: number, callSite?: Lua.Expression): LBranch[] {
  if (depth >= MAX_DEPTH) {
    ctx.ip.limited = `Lua calls nested deeper than ${MAX_DEPTH}`;
    return [{ st, v: null, exit: true }];
  }
  const frame = ++ctx.frames;
  f.fn.parameters.forEach((p, i) => {
    if (p.type === 'Identifier') st.vars.set(local(frame, p.name), (i < args.length ? args[i] : null) as Val);
  });
  const name = f.fn.identifier && f.fn.identifier.type === 'Identifier' ? f.fn.identifier.name : 'function';
  if (callSite) ctx.ip.step(st, at(ctx, callSite), 'route', `${name}()`);
  return execBlock(ctx, f.fn.body, st, frame, depth + 1).map((r) => {
    // A frame's locals die with it.
    for (const k of [...r.st.vars.keys()]) if (k.startsWith(`lua:${frame}:`)) r.st.vars.delete(k);
    if (r.flow === 'exit') return { st: r.st, v: null, exit: true };
    return { st: r.st, v: r.flow === 'return' ? (r.rv ?? null) : null };
  });
}

// ---- KSR ----

/** KEMI names of cfg functions whose cfg name differs (each module's kemi export table). */
const KEMI_TO_CFG: Record<string, string> = {
  'maxfwd.process_maxfwd': 'mf_process_maxfwd_header',
  'sl.sl_send_reply': 'sl_send_reply',
  'sl.send_reply': 'send_reply',
  'sl.sl_reply_error': 'sl_reply_error',
  'tm.t_relay': 't_relay',
  'tm.t_reply': 't_reply',
  'tm.t_check_trans': 't_check_trans',
  'tmx.t_precheck_trans': 't_precheck_trans',
  'registrar.lookup': 'lookup',
  'registrar.save': 'save',
  'registrar.registered': 'registered',
  'siputils.has_totag': 'has_totag',
  'rr.record_route': 'record_route',
  'rr.loose_route': 'loose_route',
  'textops.is_present_hf': 'is_present_hf',
  'sanity.sanity_check': 'sanity_check',
  'auth_db.auth_check': 'auth_check',
  'permissions.allow_source_address': 'allow_source_address',
  'dispatcher.ds_select_dst': 'ds_select_dst',
  'forward': 'forward',
};

/** KSR functions whose KEMI return type is a boolean (SR_KEMI_BOOL), not the int code. */
const METHODS = ['INVITE', 'ACK', 'BYE', 'CANCEL', 'REGISTER', 'OPTIONS', 'SUBSCRIBE', 'NOTIFY', 'PUBLISH', 'MESSAGE', 'INFO', 'UPDATE', 'PRACK', 'REFER', 'KDMQ'];

const LOGGING = /^(x\.)?(info|err|warn|dbg|notice|crit|alert|log|xlog\..*|xinfo|xerr|xwarn|xdbg|xnotice)$/;

function callKsr(ctx: Ctx, ksr: string[], args: LuaValue[], st: St, depth: number, loc: SourceLocation): LBranch[] {
  const name = ksr.join('.');
  const ip = ctx.ip;
  const s = (i: number) => (typeof args[i] === 'string' ? (args[i] as string) : typeof args[i] === 'number' ? String(args[i]) : null);
  const ret = (v: LuaValue): LBranch[] => [{ st, v }];
  // core/kemi.c sr_kemi_core: KSR.x.exit / KSR.x.drop end the script (app_lua raises an error that stops it).
  if (name === 'x.exit' || name === 'x.drop' || name === 'drop') {
    ip.step(st, loc, 'exit', `KSR.${name}()${st.final ? '' : ': the script ends with nothing sent'}`);
    return [{ st, v: null, exit: true }];
  }
  if (LOGGING.test(name) || name.startsWith('xlog.') || name.startsWith('log')) return ret(null);
  // pv: KSR.pv.get("$rU") → the value (nil for $null); sets/seti write it (app_lua_sr.c / kemi pv exports).
  if (ksr[0] === 'pv') {
    const raw = s(0);
    if (raw === null) return ret(new Unknown(`KSR.${name}(…)`));
    const fn = ksr[1];
    if (fn === 'get' || fn === 'gete' || fn === 'getw' || fn === 'getvs' || fn === 'getvn') {
      const v = readPv(raw, st, ip);
      if (v === null) return ret(fn === 'gete' ? '' : fn === 'getw' ? '<<null>>' : fn === 'getvs' ? (s(1) ?? '') : fn === 'getvn' ? (args[1] ?? 0) : null);
      return ret(typeof v === 'boolean' ? (v ? 1 : 0) : v);
    }
    if (fn === 'sets' || fn === 'seti' || fn === 'setx') {
      const v = args[1];
      writePv(raw, typeof v === 'string' || typeof v === 'number' || isUnknown(v as Val) ? (v as Val) : null, st, ip);
      ip.step(st, loc, 'assign', `KSR.${name}("${raw}", ${typeof v === 'string' ? `"${v}"` : String(isUnknown(v as Val) ? '…' : v)})`);
      return ret(null);
    }
    if (fn === 'unset') {
      writePv(raw, null, st, ip);
      return ret(null);
    }
    if (fn === 'is_null') {
      const v = readPv(raw, st, ip);
      return ret(isUnknown(v) ? v : v === null);
    }
  }
  // core/kemi.c: is_myself(uri), is_myself_ruri/furi/turi/srcip (check_self).
  if (name === 'is_myself' || name === 'is_myself_ruri' || name === 'is_myself_furi' || name === 'is_myself_fhost' || name === 'is_myself_turi' || name === 'is_myself_srcip') {
    let host: Val;
    let port: number | undefined;
    if (name === 'is_myself') {
      const u = s(0) === null ? null : parseUri(s(0) as string);
      if (!u) return ret(isUnknown(args[0] as Val) ? (args[0] as Val) : false);
      host = u.host;
      port = u.port;
    } else if (name === 'is_myself_ruri') {
      host = st.ruri.host;
      port = st.ruri.port;
    } else if (name === 'is_myself_turi') {
      host = ip.req.toDomain;
      port = ip.req.toPort;
    } else if (name === 'is_myself_srcip') {
      host = ip.req.sourceIp;
    } else {
      host = ip.req.fromDomain;
      port = ip.req.fromPort;
    }
    if (isUnknown(host)) return ret(host);
    if (host === null || typeof host !== 'string') return ret(false);
    const v = checkSelf(ip.model, host, port, undefined, (w) => ip.notModelled(w));
    ip.step(st, loc, 'condition', `KSR.${name}(): ${host}${isUnknown(v) ? ' may be' : v ? ' is' : ' is not'} myself`);
    return ret(v);
  }
  if (name === 'is_method') {
    const m = s(0);
    return ret(m === null ? new Unknown('KSR.is_method(…)') : m.split(/[,|]/).some((x) => x.trim().toUpperCase() === ip.req.method));
  }
  if (ksr.length === 1 && /^is_[A-Z]+$/.test(name) && METHODS.includes(name.slice(3))) return ret(ip.req.method === name.slice(3));
  // core/kemi.c: setflag/resetflag/isflagset and the branch-flag forms return SR_KEMIP_BOOL.
  const flagOp = /^(set|reset|is)(b?)flag(set)?$/.exec(name);
  if (flagOp && (flagOp[1] !== 'is' || flagOp[3])) {
    const f = s(0);
    if (f === null) return ret(new Unknown(`KSR.${name}(…)`));
    const key = flagOp[2] ? `b:${s(1) ?? '0'}:${f}` : f;
    if (flagOp[1] === 'set') st.flags.add(key);
    else if (flagOp[1] === 'reset') st.flags.delete(key);
    else return ret(st.flags.has(key));
    return ret(true);
  }
  // core/kemi.c: the destination URI ($du).
  if (name === 'isdsturiset') return ret(isUnknown(st.du) ? st.du : st.du !== null);
  if (name === 'resetdsturi') {
    st.du = null;
    return ret(true);
  }
  // core/kemi.c: transport and connection flags that do not decide the routing.
  if (name === 'force_rport' || name === 'set_reply_no_connect' || name === 'set_forward_no_connect' || name === 'set_reply_close' || name === 'set_forward_close' || name === 'add_local_rport') return ret(true);
  // corex has_ruri_user: 1 when the R-URI has a user part, -1 otherwise.
  if (name === 'corex.has_ruri_user') return ret(isUnknown(st.ruri.user) ? st.ruri.user : st.ruri.user ? 1 : -1);
  // kemix (KSR.kx): request attributes; gete_* give "" when absent.
  if (ksr[0] === 'kx') {
    const kx = ksr[1];
    const req = ip.req;
    const orEmpty = (v: Val) => (v === null ? (kx.startsWith('gete_') ? '' : new Unknown(`KSR.kx.${kx}() of an absent value`)) : v);
    if (kx === 'ifdef') return ret(s(0) === null ? new Unknown('KSR.kx.ifdef(…)') : ip.model.defines.has(s(0) as string));
    if (kx === 'ifndef') return ret(s(0) === null ? new Unknown('KSR.kx.ifndef(…)') : !ip.model.defines.has(s(0) as string));
    if (kx === 'get_method') return ret(req.method);
    if (kx === 'get_srcip') return ret(req.sourceIp);
    if (kx === 'get_ua' || kx === 'gete_ua') return ret(orEmpty(req.userAgent));
    if (kx === 'get_fhost' || kx === 'gete_fhost') return ret(orEmpty(req.fromDomain));
    if (kx === 'get_fuser' || kx === 'gete_fuser') return ret(orEmpty(req.fromUser));
    if (kx === 'get_rhost' || kx === 'gete_rhost') return ret(orEmpty(st.ruri.host));
    if (kx === 'get_ruser' || kx === 'gete_ruser') return ret(orEmpty(st.ruri.user));
    if (kx === 'get_ruri') return ret(uriString(st.ruri));
    if (kx === 'get_furi') return ret(isUnknown(req.fromUser) ? req.fromUser : isUnknown(req.fromDomain) ? req.fromDomain : `sip:${req.fromUser ? `${req.fromUser}@` : ''}${req.fromDomain}${req.fromPort ? `:${req.fromPort}` : ''}`);
  }
  // htable (ht_api kemi exports): the same per-path table the native $sht(table=>key) reads — empty
  // until the path stores a key (state.ts readPv 'sht'), as a table without db_url starts.
  if (ksr[0] === 'htable' && ['sht_get', 'sht_gete', 'sht_seti', 'sht_sets', 'sht_rm', 'sht_match_name'].includes(ksr[1])) {
    const table = s(0);
    const key = s(1);
    const other = args[2];
    if (table === null || (key === null && ksr[1] !== 'sht_match_name') || isUnknown(other as Val)) {
      ip.notModelled(`KSR.${name}()`);
      return ret(new Unknown(`KSR.${name}() (not modelled)`));
    }
    const slot = `sht:${table}=>${key}`;
    if (ksr[1] === 'sht_seti' || ksr[1] === 'sht_sets') {
      st.vars.set(slot, other as Val);
      return ret(1);
    }
    if (ksr[1] === 'sht_rm') {
      st.vars.delete(slot);
      return ret(1);
    }
    if (ksr[1] === 'sht_get' || ksr[1] === 'sht_gete') {
      const v = st.vars.has(slot) ? (st.vars.get(slot) as Val) : null;
      return ret(v === null && ksr[1] === 'sht_gete' ? '' : v);
    }
    // sht_match_name(table, op, value): 1 when a key of the table matches ("eq", "ne", "re", "sw"), -1 otherwise.
    const op = key;
    const value = toStr(other);
    if (value === null || !['eq', 'ne', 'sw'].includes(op ?? '')) {
      ip.notModelled(`KSR.${name}("${table}", "${op}")`);
      return ret(new Unknown(`KSR.${name}() (not modelled)`));
    }
    const prefix = `sht:${table}=>`;
    const names = [...st.vars.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
    const hit = names.some((n) => (op === 'eq' ? n === value : op === 'ne' ? n !== value : n.startsWith(value)));
    return ret(hit ? 1 : -1);
  }
  // KSR.x.modf("function", args…): the cfg function of that name (core/kemi.c sr_kemi_core_modf).
  if (name === 'x.modf') {
    const fname = s(0);
    if (fname === null) return ret(new Unknown('KSR.x.modf(…)'));
    return callKsr(ctx, [fname], args.slice(1), st, depth, loc);
  }
  // KSR.route("NAME"): runs the cfg's route[NAME] block (core/kemi.c sr_kemi_core_route).
  if (name === 'route') {
    const r = s(0);
    if (r === null) return ret(new Unknown('KSR.route(…)'));
    return ip.runRoute(r, st, depth, loc).map((res) => ({ st: res.st, v: null, exit: res.flow === 'exit' }));
  }
  if (ksr[0] === 'hdr') {
    const h = s(0);
    if (ksr[1] === 'is_present') return ret(h === null ? new Unknown('KSR.hdr.is_present(…)') : hasHeader(ip.req, h) ? 1 : -1);
    if (ksr[1] === 'get' || ksr[1] === 'gete' || ksr[1] === 'getw') return ret(h === null ? new Unknown('KSR.hdr.get(…)') : hasHeader(ip.req, h) ? (h.toLowerCase() === 'max-forwards' ? '70' : h.toLowerCase() === 'user-agent' ? ip.req.userAgent : new Unknown(`the ${h} header's value`)) : ksr[1] === 'gete' ? '' : null);
    // append/insert/remove change headers the routing decision does not read.
    return ret(1);
  }
  if (name === 'tm.t_on_failure' || name === 'tm.t_on_branch' || name === 'tm.t_on_reply' || name === 'tm.t_on_branch_failure') return ret(1);
  // The rest: the cfg function of that name, with the native simulator's semantics.
  const known = args.every((a) => typeof a === 'string' || typeof a === 'number');
  const fn = Object.prototype.hasOwnProperty.call(KEMI_TO_CFG, name) ? KEMI_TO_CFG[name] : ksr[ksr.length - 1];
  if (!known || ksr.length === 0) {
    ip.notModelled(`KSR.${name}()`);
    return ret(new Unknown(`KSR.${name}() returns true (not modelled)`));
  }
  const exprs: Expr[] = args.map((a) => (typeof a === 'number' ? { k: 'num', value: a, raw: String(a), loc } : { k: 'str', value: a as string, loc }));
  // KEMI has no MODF_HANDLE_RETCODE: a function returning 0 does not end the script.
  return callFunction(ip, fn, exprs, st, depth, loc).map((b) => ({ st: b.st, v: b.v }));
}

// ---- string library ----

function builtin(ctx: Ctx, name: string, args: LuaValue[]): LuaValue {
  if (args.some((a) => isUnknown(a as Val)) && name !== 'type' && name !== 'print') return args.find((a) => isUnknown(a as Val)) as LuaValue;
  const str = (i: number) => toStr(args[i]);
  const num = (i: number, d: number) => (args[i] === undefined || args[i] === null ? d : toNumber(args[i]));
  switch (name) {
    case 'print':
      return null;
    case 'tostring':
      return args[0] === null ? 'nil' : typeof args[0] === 'boolean' ? String(args[0]) : (toStr(args[0]) ?? new Unknown('tostring(…)'));
    case 'tonumber':
      return toNumber(args[0]);
    case 'type':
      return args[0] === null ? 'nil' : isUnknown(args[0] as Val) ? (args[0] as Val) : typeof args[0] === 'object' ? (isTable(args[0]) ? 'table' : 'function') : typeof args[0];
    case 'string.len':
      return str(0)?.length ?? null;
    case 'string.lower':
      return str(0)?.toLowerCase() ?? null;
    case 'string.upper':
      return str(0)?.toUpperCase() ?? null;
    case 'string.rep': {
      const s = str(0);
      const n = num(1, 0);
      return s === null || n === null ? null : s.repeat(Math.max(0, Math.min(n, 10000)));
    }
    case 'string.sub': {
      const s = str(0);
      const i = num(1, 1);
      const j = num(2, -1);
      if (s === null || i === null || j === null) return new Unknown('string.sub(…)');
      // lstrlib.c str_sub: negative positions count from the end; clamp to [1, len].
      const len = s.length;
      let a = i < 0 ? Math.max(len + i + 1, 1) : i === 0 ? 1 : i;
      let b = j < 0 ? len + j + 1 : j > len ? len : j;
      if (a < 1) a = 1;
      if (b > len) b = len;
      return a > b ? '' : s.slice(a - 1, b);
    }
    case 'string.find':
    case 'string.match':
    case 'string.gsub': {
      const s = str(0);
      const p = str(1);
      if (s === null || p === null) return new Unknown(`${name}(…)`);
      const plain = name === 'string.find' && luaTruth(args[3] ?? null);
      const re = plain ? new RegExp(p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : luaPattern(p);
      if (!re) {
        ctx.ip.notModelled(`Lua pattern "${p}"`);
        return new Unknown(`${name}(…, "${p}") (pattern not modelled)`);
      }
      if (name === 'string.gsub') {
        const r = str(2);
        if (r === null) return new Unknown('string.gsub(…) with a function or table replacement');
        return s.replace(new RegExp(re.source, 'g'), r.replace(/\$/g, '$$$$').replace(/%([0-9%])/g, (_m, d: string) => (d === '%' ? '%' : d === '0' ? '$&' : `$${d}`)));
      }
      const init = num(2, 1) ?? 1;
      const from = init < 0 ? Math.max(s.length + init, 0) : Math.max(init - 1, 0);
      const m = re.exec(s.slice(from));
      if (!m) return null;
      if (name === 'string.find') return from + m.index + 1;
      return m.length > 1 ? (m[1] ?? null) : m[0];
    }
    case 'string.format': {
      const f = str(0);
      if (f === null) return new Unknown('string.format(…)');
      let i = 1;
      return f.replace(/%([-0-9.]*)([sdif%])/g, (_m, _w: string, c: string) => (c === '%' ? '%' : (toStr(args[i++]) ?? '')));
    }
    default:
      ctx.ip.notModelled(`${name}()`);
      return new Unknown(`${name}() (not modelled)`);
  }
}

const CLASSES: Record<string, string> = { a: 'A-Za-z', d: '0-9', l: 'a-z', s: ' \\t\\n\\r\\f\\v', u: 'A-Z', w: 'A-Za-z0-9', x: '0-9A-Fa-f', p: '!-/:-@\\[-`{-~', c: '\\x00-\\x1f\\x7f' };

/**
 * A Lua pattern (lstrlib.c) as a JavaScript RegExp: %-classes, sets, anchors, * + - ?, captures.
 * %b, %f and position captures are not translated (null).
 */
export function luaPattern(p: string): RegExp | null {
  let out = '';
  let i = 0;
  if (p[0] === '^') {
    out += '^';
    i = 1;
  }
  const cls = (c: string, inSet: boolean): string | null => {
    const lower = c.toLowerCase();
    if (Object.prototype.hasOwnProperty.call(CLASSES, lower)) {
      const body = CLASSES[lower];
      if (c === lower) return inSet ? body : `[${body}]`;
      return inSet ? null : `[^${body}]`;
    }
    if (/[A-Za-z0-9]/.test(c)) return null; // %b, %f, %1 …
    return `\\${c}`;
  };
  while (i < p.length) {
    const c = p[i];
    let atom: string;
    if (c === '%') {
      if (p[i + 1] === undefined) return null;
      const a = cls(p[i + 1], false);
      if (a === null) return null;
      atom = a;
      i += 2;
    } else if (c === '[') {
      let j = i + 1;
      let set = '[';
      if (p[j] === '^') {
        set += '^';
        j++;
      }
      let first = true;
      while (j < p.length && (p[j] !== ']' || first)) {
        first = false;
        if (p[j] === '%') {
          const a = cls(p[j + 1] ?? '', true);
          if (a === null) return null;
          set += a;
          j += 2;
        } else {
          set += /[\\\]^]/.test(p[j]) ? `\\${p[j]}` : p[j];
          j++;
        }
      }
      if (j >= p.length) return null;
      atom = `${set}]`;
      i = j + 1;
    } else if (c === '$' && i === p.length - 1) {
      out += '$';
      i++;
      continue;
    } else if (c === '(' || c === ')') {
      if (c === '(' && p[i + 1] === ')') return null; // position capture
      out += c;
      i++;
      continue;
    } else if (c === '.') {
      atom = '[\\s\\S]';
      i++;
    } else {
      atom = c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      i++;
    }
    const q = p[i];
    if (q === '*' || q === '+' || q === '?') {
      out += atom + q;
      i++;
    } else if (q === '-') {
      out += `${atom}*?`;
      i++;
    } else out += atom;
  }
  try {
    return new RegExp(out);
  } catch {
    return null;
  }
}
