/**
 * Run-time variable expansion, as switch_channel_expand_variables does it: `${name}` is the channel
 * variable, else the global one (pre-processor `set` values are globals), else ''; `${api(args)}`
 * calls an API. What pbxlint cannot know (an API it does not model, a hash lookup, the clock) comes
 * back wrapped in UNKNOWN marks, so conditions that read it fork instead of guessing.
 */
import type { DirectoryDomain, DirectoryUser, FreeswitchModel } from '../../model/freeswitch';
import { matchingClose } from '../../core/brackets';

export const UNKNOWN = '\u0001';

export function unknown(what: string): string {
  return `${UNKNOWN}${what}${UNKNOWN}`;
}

export function isUnknown(s: string): boolean {
  return s.includes(UNKNOWN);
}

/** The unknown parts of a value, for messages. */
export function unknownParts(s: string): string[] {
  const out: string[] = [];
  const re = /\u0001([^\u0001]*)\u0001/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) out.push(m[1]);
  return out;
}

/** Renders a value for people: unknown parts as `${…}` again. */
export function shown(s: string): string {
  return s.replace(/\u0001([^\u0001]*)\u0001/g, '$1');
}

const ci = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function findDomain(model: FreeswitchModel, name: string): DirectoryDomain | undefined {
  return model.directory.domains.find((d) => ci(d.name, name));
}

/** switch_xml.c find_user_in_tag: a user matches by `id` or by `number-alias`, case-insensitively. */
export function findUser(domain: DirectoryDomain, id: string): DirectoryUser | undefined {
  return domain.users.find((u) => ci(u.id, id)) ?? domain.users.find((u) => u.numberAlias !== undefined && ci(u.numberAlias, id));
}

export type Lookup = (name: string) => string | undefined;


/** Nesting and length past which a value is treated as unknown rather than expanded (hostile input stays bounded). */
const MAX_NESTING = 32;
const MAX_LENGTH = 65536;

export function expandVariables(text: string, lookup: Lookup, model: FreeswitchModel, depth = 0): string {
  if (!text.includes('${')) return text;
  if (depth > MAX_NESTING || text.length > MAX_LENGTH) return unknown('a value too deeply nested or too long to expand');
  let out = '';
  let i = 0;
  while (i < text.length) {
    const at = text.indexOf('${', i);
    if (at < 0) break;
    // `$${name}` left by the pre-processor is a symbolic value: copied through as one token.
    if (at > 0 && text[at - 1] === '$') {
      const close = matchingClose(text, at + 1);
      if (close < 0) break;
      out += text.slice(i, close + 1);
      i = close + 1;
      continue;
    }
    const close = matchingClose(text, at + 1);
    if (close < 0) break;
    out += text.slice(i, at);
    const inner = expandVariables(text.slice(at + 2, close), lookup, model, depth + 1);
    const paren = inner.indexOf('(');
    if (paren > 0 && inner.endsWith(')')) {
      out += callApi(inner.slice(0, paren), inner.slice(paren + 1, -1), model);
    } else {
      out += isUnknown(inner) ? unknown(`\${${shown(inner)}}`) : lookupSubstring(inner, lookup);
    }
    i = close + 1;
  }
  return out + text.slice(i);
}

/**
 * `${name:offset:length}` as switch_channel.c switch_channel_expand_variables_check cuts it: the
 * name ends at the first ':'; offset and length are read with atoi ('' and text → 0).
 */
export function substringSpec(name: string): { base: string; offset: number; length: number } | null {
  const colon = name.indexOf(':');
  if (colon < 0) return null;
  const rest = name.slice(colon + 1);
  const second = rest.indexOf(':');
  return { base: name.slice(0, colon), offset: atoi(rest), length: second < 0 ? 0 : atoi(rest.slice(second + 1)) };
}

/** C atoi: leading white space, an optional sign, digits; 0 when there are none. */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m ? Number.parseInt(m[1], 10) : 0;
}

/**
 * switch_channel_expand_variables_check's cut of a value: offset ≥ 0 skips that many characters
 * (all of a shorter value); offset < 0 keeps the last −offset characters when the value has that
 * many (else all of it); then a length > 0 shorter than what is left truncates it (0 or negative: no cut).
 */
export function fsSubstring(v: string, offset: number, length: number): string {
  let s = v;
  if (offset >= 0) s = offset > s.length ? '' : s.slice(offset);
  else if (-offset <= s.length) s = s.slice(s.length + offset);
  if (length > 0 && length < s.length) s = s.slice(0, length);
  return s;
}

/** A variable read, `${name:offset:length}` cut as FreeSWITCH does; unset: undefined. */
function lookupSubstring(inner: string, lookup: Lookup): string | undefined {
  const spec = substringSpec(inner);
  if (!spec) return lookup(inner);
  const v = lookup(spec.base);
  if (v === undefined) return undefined;
  if (isUnknown(v)) return unknown(`\${${inner}}`);
  return fsSubstring(v, spec.offset, spec.length);
}

/** The API functions routing conditions use, answered from the model; any other is unknown. */
function callApi(name: string, args: string, model: FreeswitchModel): string {
  const whole = `\${${name}(${shown(args)})}`;
  if (isUnknown(args)) return unknown(whole);
  switch (name) {
    case 'module_exists':
      // Read from autoload_configs/modules.conf.xml: what is loaded at start-up.
      if (!model.modules.known) return unknown(whole);
      return [...model.modules.names].some((m) => ci(m, args.trim())) ? 'true' : 'false';
    case 'domain_exists':
      return findDomain(model, args.trim()) ? 'true' : 'false';
    case 'user_exists': {
      const [kind, user, domain] = args.trim().split(/\s+/);
      const d = domain ? findDomain(model, domain) : undefined;
      if (!d || !user) return 'false';
      return (kind === 'id' ? findUser(d, user) : d.users.find((u) => u.params.get(kind)?.value === user)) ? 'true' : 'false';
    }
    case 'user_data': {
      const m = /^(\S+)@(\S+)\s+(var|param|attr)\s+(\S+)$/.exec(args.trim());
      if (!m) return unknown(whole);
      const d = findDomain(model, m[2]);
      const u = d && findUser(d, m[1]);
      if (!u) return '';
      if (m[3] === 'var') return u.variables.get(m[4])?.value ?? '';
      if (m[3] === 'param') return u.params.get(m[4])?.value ?? '';
      return m[4] === 'id' ? u.id : m[4] === 'number-alias' ? (u.numberAlias ?? '') : unknown(whole);
    }
    case 'group_call': {
      // mod_dptools group_call_function: each member of group@domain as a user/ leg; +F rings them in order, +A (default) at once.
      const m = /^([^@]+)@([^+]+)(?:\+([FAE]))?$/.exec(args.trim());
      if (!m) return unknown(whole);
      const d = findDomain(model, m[2]);
      const g = d?.groups.find((x) => ci(x.name, m[1]));
      if (!d || !g) return 'error/NO_ROUTE_DESTINATION';
      return g.users.map((u) => `user/${u}@${d.name}`).join(m[3] === 'F' ? '|' : m[3] === 'E' ? ':_:' : ',');
    }
    default:
      return unknown(whole);
  }
}
