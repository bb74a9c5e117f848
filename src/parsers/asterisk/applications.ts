/**
 * Static reading of dialplan application arguments: where Goto/GotoIf/Gosub/GosubIf/Macro jump,
 * and which channels Dial() asks for. Anything built from variables at run time is marked
 * `dynamic` rather than guessed.
 */
import type { SourceLocation } from '../../core/location';
import type { DialTarget, JumpTarget } from '../../model/asterisk';

/** True when the text is evaluated at run time (`${VAR}`, `$[expr]`). */
export const isDynamic = (s: string) => s.includes('${') || s.includes('$[');

/**
 * main/app.c __ast_app_separate_args (AST_STANDARD_APP_ARGS): split on the delimiter outside
 * parentheses, square brackets and double quotes; a backslash protects the next character.
 * Quotes and backslashes are kept (remove_chars = 0), as the standard macro does.
 */
export function separateArgs(buf: string, delim = ','): string[] {
  const out: string[] = [];
  let paren = 0;
  let bracket = 0;
  let quote = false;
  let start = 0;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (c === '(') paren++;
    else if (c === ')') {
      if (paren) paren--;
    } else if (c === '[') bracket++;
    else if (c === ']') {
      if (bracket) bracket--;
    } else if (c === '"' && delim !== '"') quote = !quote;
    else if (c === '\\') i++;
    else if (c === delim && !paren && !quote && !bracket) {
      out.push(buf.slice(start, i));
      start = i + 1;
    }
  }
  if (buf.length > 0) out.push(buf.slice(start));
  return out;
}

/** The first argument as separateArgs would split it, without splitting the rest. */
function firstArg(buf: string): string {
  let paren = 0;
  let bracket = 0;
  let quote = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf.charCodeAt(i);
    if (c === 0x28) paren++;
    else if (c === 0x29) {
      if (paren) paren--;
    } else if (c === 0x5b) bracket++;
    else if (c === 0x5d) {
      if (bracket) bracket--;
    } else if (c === 0x22) quote = !quote;
    else if (c === 0x5c) i++;
    else if (c === 0x2c && !paren && !quote && !bracket) return buf.slice(0, i);
  }
  return buf;
}

/**
 * A goto location `[[context,]extension,]priority` as pbx_parseable_goto reads it (plain strsep on
 * ',', so no quoting). Used by Goto, GotoIf branches, Gosub (with `(args)` removed) and Local/.
 */
export function parseGotoSpec(spec: string, app: string, location: SourceLocation, returns: boolean, branch?: 'true' | 'false'): JumpTarget | null {
  const trimmed = spec.trim();
  if (!trimmed) return null;
  const parts = trimmed.split(',').map((p) => p.trim());
  let context: string | undefined;
  let extension: string | undefined;
  let priority: string;
  if (parts.length >= 3) [context, extension, priority] = parts;
  else if (parts.length === 2) [extension, priority] = parts;
  else priority = parts[0];
  const dynamic = isDynamic(trimmed);
  return { app, context: context || undefined, extension: extension || undefined, priority, dynamic, branch, returns, location };
}

/** Gosub's `priority(args)`: the argument list is not part of the location. */
function stripGosubArgs(spec: string): string {
  const open = spec.indexOf('(');
  return open >= 0 ? spec.slice(0, open) : spec;
}

/**
 * `cond?true-label:false-label` as GotoIf/GosubIf split it (pbx_builtin_gotoif: strsep on '?',
 * then on ':'). Returns the two branch specs, either possibly empty (= continue).
 */
export function splitCondition(args: string): { condition: string; ifTrue: string; ifFalse: string } {
  const q = args.indexOf('?');
  if (q < 0) return { condition: args, ifTrue: '', ifFalse: '' };
  const rest = args.slice(q + 1);
  // GosubIf arguments may carry `(args)` containing ':'; split outside parentheses.
  let depth = 0;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ':' && depth === 0) return { condition: args.slice(0, q), ifTrue: rest.slice(0, i), ifFalse: rest.slice(i + 1) };
  }
  return { condition: args.slice(0, q), ifTrue: rest, ifFalse: '' };
}

/** Shared empty results: most priorities jump nowhere and dial nothing (saves an array each). */
export const NO_JUMPS: JumpTarget[] = Object.freeze([]) as unknown as JumpTarget[];
export const NO_DIALS: DialTarget[] = Object.freeze([]) as unknown as DialTarget[];

/**
 * What an application name can do to the call's path: 1 jump (jumpsOf reads its targets), 2 dial
 * (dialsOf reads them), 0 neither. Remembered per spelling: a dialplan repeats a few names over
 * and over, and folding the case of each would make a new string every time.
 */
const appKinds = new Map<string, number>();
function appKind(app: string): number {
  let kind = appKinds.get(app);
  if (kind === undefined) {
    const name = app.toLowerCase();
    kind = JUMPING_APPS.has(name) ? 1 : name === 'dial' || name === 'queue_dial' ? 2 : 0;
    if (appKinds.size < 4096) appKinds.set(app, kind);
  }
  return kind;
}

/** Applications whose first argument is a list of channels to dial (dialsOf reads them; they never jump). */
export function isDialApp(app: string): boolean {
  return appKind(app) === 2;
}

/** Applications that jump (Goto, GotoIf, Gosub, Macro…: jumpsOf reads their targets). */
export function isJumpApp(app: string): boolean {
  return appKind(app) === 1;
}
const JUMPING_APPS = new Set(['goto', 'gotoif', 'gotoiftime', 'gosub', 'gosubif', 'macro', 'macroexclusive']);

/** The jumps an application line can make, statically. */
export function jumpsOf(app: string, args: string, line: SourceLocation, column = line.column): JumpTarget[] {
  const name = app.toLowerCase();
  if (!JUMPING_APPS.has(name)) return NO_JUMPS;
  const location: SourceLocation = column === line.column ? line : { file: line.file, line: line.line, column };
  const out: JumpTarget[] = [];
  const push = (t: JumpTarget | null) => {
    if (t) out.push(t);
  };
  switch (name) {
    case 'goto':
      push(parseGotoSpec(args, app, location, false));
      break;
    case 'gotoif':
    case 'gotoiftime': {
      const { ifTrue, ifFalse } = splitCondition(args);
      push(parseGotoSpec(ifTrue, app, location, false, 'true'));
      push(parseGotoSpec(ifFalse, app, location, false, 'false'));
      break;
    }
    case 'gosub':
      push(parseGotoSpec(stripGosubArgs(args), app, location, true));
      break;
    case 'gosubif': {
      const { ifTrue, ifFalse } = splitCondition(args);
      push(parseGotoSpec(stripGosubArgs(ifTrue), app, location, true, 'true'));
      push(parseGotoSpec(stripGosubArgs(ifFalse), app, location, true, 'false'));
      break;
    }
    case 'macro':
    case 'macroexclusive': {
      // app_macro: runs extension `s` (priority 1) of context `macro-<name>`.
      const macroName = separateArgs(args)[0]?.trim() ?? '';
      if (macroName) out.push({ app, context: `macro-${macroName}`, extension: 's', priority: '1', dynamic: isDynamic(macroName), returns: true, location });
      break;
    }
    default:
      break;
  }
  return out.slice(); // exact size: the model keeps one per Dial/Goto line
}

/**
 * Dial()'s first argument: `Tech/resource[&Tech/resource…]`. For PJSIP the resource is
 * `endpoint`, `number@endpoint` (number sent through that endpoint) or `endpoint/sip:uri`
 * (chan_pjsip request parsing); for SIP, `peer`, `number@peer` or `peer/number`.
 */
export function dialsOf(app: string, args: string, line: SourceLocation, column = line.column): DialTarget[] {
  // appKind, not toLowerCase: a new string per Dial line of a big dialplan otherwise.
  if (!isDialApp(app)) return NO_DIALS;
  const location: SourceLocation = column === line.column ? line : { file: line.file, line: line.line, column };
  const first = firstArg(args);
  // One destination (nearly every Dial): no list to split, and the result made at its exact size.
  if (!first.includes('&')) {
    const target = dialTarget(first.trim(), location);
    return target ? [target] : NO_DIALS;
  }
  const out: DialTarget[] = [];
  for (const raw of first.split('&')) {
    const target = dialTarget(raw.trim(), location);
    if (target) out.push(target);
  }
  return out.slice(); // exact size: the model keeps one per Dial/Goto line
}

/** One `Tech/resource` item of Dial()'s first argument (trimmed), or null when empty. */
function dialTarget(item: string, location: SourceLocation): DialTarget | null {
  if (!item) return null;
  const slash = item.indexOf('/');
  if (slash < 0) return { tech: '', resource: item, dynamic: isDynamic(item), raw: item, location };
  const tech = item.slice(0, slash);
  const rest = item.slice(slash + 1);
  let resource = rest;
  let number: string | undefined;
  const techUpper = tech === 'PJSIP' || tech === 'SIP' ? tech : tech.toUpperCase();
  if (techUpper === 'PJSIP' || techUpper === 'SIP' || techUpper === 'IAX2') {
    const innerSlash = rest.indexOf('/');
    const at = rest.indexOf('@');
    if (innerSlash >= 0 && (at < 0 || innerSlash < at)) {
      resource = rest.slice(0, innerSlash);
      number = rest.slice(innerSlash + 1);
    } else if (at >= 0) {
      number = rest.slice(0, at);
      resource = rest.slice(at + 1);
    }
  } else if (techUpper === 'LOCAL') {
    const at = rest.indexOf('@');
    if (at >= 0) {
      number = rest.slice(0, at);
      resource = rest.slice(at + 1).split('/')[0];
    }
  }
  return { tech: intern(tech), resource: intern(resource), number, dynamic: isDynamic(item), raw: item, location };
}

/**
 * One string object per technology and endpoint name: a dialplan dials the same few hundred
 * endpoints from thousands of lines, and lookups keyed by them (endpoint tables, reachability)
 * then compare one pointer instead of reading another copy of the name. Names past the first
 * 4,096 are not kept: a dialplan naming tens of thousands of distinct endpoints (one per DID)
 * gains nothing from it, and a table that size grew by rehashing and stayed in memory for good.
 */
const interned = new Map<string, string>();
const INTERNED_MOST = 4096;
function intern(s: string): string {
  const known = interned.get(s);
  if (known !== undefined) return known;
  if (interned.size < INTERNED_MOST) interned.set(s, s);
  return s;
}
