/** `pbxlint route` as a library call, and its text rendering. */
import * as path from 'path';
import type { Platform } from './core/findings';
import { parseDialTarget } from './core/sip-uri';
import { findRoots, loadRoot, placeFragments, routeWith, type LoadOptions } from './engines';
import type { AnyModel } from './model';
import { RouteUsageError, isMethodToken, type Method, type RouteAnswer, type RouteRequest } from './resolvers/types';

export interface RouteCommandOptions extends LoadOptions, Omit<RouteRequest, 'user' | 'method' | 'rawUser' | 'scheme' | 'ruriMalformed' | 'userPhone' | 'uriParams'> {
  method?: Method;
  platform?: Platform;
}

export interface RouteCommandResult {
  answer: RouteAnswer;
  model: AnyModel;
}

const ENGINE_NAMES: Record<Platform, string> = { asterisk: 'Asterisk', kamailio: 'Kamailio', freeswitch: 'FreeSWITCH' };

/**
 * The engines whose simulator reads each option (RouteRequest and LoadOptions fields): another
 * engine's model has no place for it, so it would be dropped without a word.
 */
export const OPTION_ENGINES = {
  context: ['asterisk', 'freeswitch'],
  endpoint: ['asterisk'],
  originate: ['asterisk'],
  profile: ['freeswitch'],
  to: ['asterisk', 'kamailio', 'freeswitch'],
  'caller-id': ['asterisk', 'freeswitch'],
  'user-agent': ['kamailio'],
  define: ['kamailio'],
  myself: ['kamailio'],
  var: ['freeswitch'],
} as const satisfies Record<string, readonly Platform[]>;

export type EngineOption = keyof typeof OPTION_ENGINES;

/**
 * "--originate has no meaning for Kamailio; ignored", for every option given (not undefined, not
 * an empty list or object) that `platform` does not read. `spell` names the option as the user
 * wrote it (`--to` on the command line, `to:` in an assertions file).
 */
export function ignoredOptionNotes(platform: Platform, given: Partial<Record<EngineOption, unknown>>, spell: (name: EngineOption) => string = (n) => `--${n}`): string[] {
  const notes: string[] = [];
  for (const name of Object.keys(OPTION_ENGINES) as EngineOption[]) {
    const v = given[name];
    if (v === undefined || v === false || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && Object.keys(v).length === 0)) continue;
    if (!(OPTION_ENGINES[name] as readonly Platform[]).includes(platform)) notes.push(`${spell(name)} has no meaning for ${ENGINE_NAMES[platform]}; ignored`);
  }
  return notes;
}

/** Finds the one configuration root under `paths` and loads it (route, explain): a named include fragment is placed in the root that includes it. Throws RouteUsageError when there is none or several. */
export function loadOneRoot(paths: string[], options: LoadOptions & { platform?: Platform }): AnyModel {
  const found = findRoots(paths.length ? paths : ['.'], options.platform);
  const cache = new Map<string, AnyModel>();
  const placed = placeFragments(found.fragments, options, cache);
  const roots = [...found.roots, ...placed.roots.filter((r) => !found.roots.some((x) => x.platform === r.platform && x.path === r.path))];
  const errors = [...found.errors, ...placed.errors, ...placed.alone.map((a) => `${a.fragment.given}: no ${a.platform} configuration that includes it was found in the given paths or the directories above; name the configuration to route through it`)];
  if (errors.length) throw new RouteUsageError(errors.join('\n'));
  if (roots.length === 0) throw new RouteUsageError('no configuration found');
  if (roots.length > 1) {
    throw new RouteUsageError(`several configuration roots found; name one path or --platform:\n${roots.map((r) => `  ${r.platform}: ${path.relative(process.cwd(), r.path) || '.'}`).join('\n')}`);
  }
  return loadRoot(roots[0], options, cache);
}

/** Finds the one configuration root under `paths`, loads it and simulates the request. Throws RouteUsageError for usage problems. */
export function routeCommand(target: string, paths: string[], options: RouteCommandOptions): RouteCommandResult {
  const dial = parseDialTarget(target);
  if (dial.scheme === 'other') throw new RouteUsageError(`unsupported URI scheme in "${target}" (sip:, sips:, tel: or a bare number)`);
  const model = loadOneRoot(paths, options);
  if (options.method !== undefined && !isMethodToken(options.method)) throw new RouteUsageError(`--method: "${options.method}" is not a SIP method token (RFC 3261 25.1: letters, digits and - . ! % * _ + \` ' ~)`);
  const request: RouteRequest = {
    user: dial.user,
    rawUser: dial.rawUser,
    scheme: dial.scheme === 'sips' || dial.scheme === 'tel' ? dial.scheme : 'sip',
    ruriMalformed: dial.malformed,
    userPhone: dial.userPhone,
    to: options.to,
    domain: options.domain ?? dial.host,
    port: dial.port,
    transport: dial.transport,
    uriParams: dial.params,
    method: options.method ?? 'INVITE',
    context: options.context,
    endpoint: options.endpoint,
    originate: options.originate,
    profile: options.profile,
    callerId: options.callerId,
    fromUser: options.fromUser,
    fromDomain: options.fromDomain,
    sourceIp: options.sourceIp,
    userAgent: options.userAgent,
    registered: options.registered,
    time: options.time,
  };
  return { answer: routeWith(model, request), model };
}

/** The same answer with file paths relative to `cwd` (for JSON output, like lint's). */
export function relativizeAnswer(answer: RouteAnswer, cwd: string): RouteAnswer {
  const rel = (f: string) => path.relative(cwd, f) || f;
  // Steps may be lazy objects (getters): copy their fields explicitly rather than spreading.
  const steps = (list: RouteAnswer['steps']) => list.map((s) => ({ file: rel(s.file), line: s.line, column: s.column, kind: s.kind, text: s.text, context: s.context, extension: s.extension, priority: s.priority }));
  return { ...answer, steps: steps(answer.steps), outcomes: answer.outcomes.map((o) => ({ ...o, steps: steps(o.steps) })) };
}

/** Renders an answer the way `dialplan show` reads: the request, the verdict, then every step at file:line. */
export function renderRouteText(answer: RouteAnswer, cwd: string, color: boolean): string {
  const paint = (code: string, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const rel = (f: string) => path.relative(cwd, f) || f;
  const out: string[] = [answer.request];
  const headline =
    answer.verdict === 'routed'
      ? paint('32;1', `routed${answer.target ? ` → ${answer.target.name}` : ''}`)
      : answer.verdict === 'rejected'
        ? paint('31;1', `rejected${answer.status !== null ? ` → ${answer.status}` : ''}`)
        : paint('33;1', 'depends');
  out.push(`${headline}: ${answer.reason}`);
  const renderSteps = (steps: RouteAnswer['steps'], indent: string) => {
    for (const s of steps) {
      const where = paint('2', `${rel(s.file)}:${s.line}`);
      const ctx = s.context !== undefined ? ` [${s.context}]${s.extension !== undefined ? ` ${s.extension}${s.priority !== undefined ? `,${s.priority}` : ''}` : ''}` : '';
      out.push(`${indent}${where}${ctx}  ${s.text}`);
    }
  };
  if (answer.verdict === 'depends') {
    if (answer.steps.length) renderSteps(answer.steps, '  ');
    answer.outcomes.forEach((o, i) => {
      const head = o.verdict === 'routed' ? paint('32', `routed${o.target ? ` → ${o.target.name}` : ''}`) : paint('31', `rejected${o.status !== null ? ` → ${o.status}` : ''}`);
      out.push(`  outcome ${i + 1}: ${head} — ${o.reason}${o.conditions.length ? ` (if ${o.conditions.join(' and ')})` : ''}`);
      renderSteps(o.steps.slice(answer.steps.length), '    ');
    });
  } else {
    renderSteps(answer.steps, '  ');
  }
  if (answer.notModelled.length) out.push(paint('36', `not modelled (both ways were followed): ${answer.notModelled.join('; ')}`));
  return out.join('\n') + '\n';
}
