/** Reads the model out of the parsed, pre-processed FreeSWITCH document. */
import type { LoadIssue } from '../../core/findings';
import type { Endpoint, EntryPoint, LocalDomain } from '../../model/common';
import {
  TIME_ATTRIBUTES,
  type BreakMode,
  type DialplanAction,
  type DialplanCondition,
  type DialplanContext,
  type DialplanExtension,
  type DirectoryDomain,
  type DirectoryUser,
  type FreeswitchModel,
  type FsParam,
  type SofiaGateway,
  type SofiaProfile,
  type AclList,
  type InboundAcl,
} from '../../model/freeswitch';
import type { Flattened } from './preprocess';
import { attr, attrLoc, childrenNamed, type XmlElement } from './xml';

/** switch_true(): "yes", "on", "true", "t", "enabled", "active", "allow", or a non-zero number. */
export function switchTrue(v: string | undefined): boolean {
  if (v === undefined) return false;
  const s = v.trim().toLowerCase();
  return ['yes', 'on', 'true', 't', 'enabled', 'enable', 'active', 'allow'].includes(s) || (/^\d+$/.test(s) && Number(s) !== 0);
}

const ci = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();

/** `<params><param name= value=/>…` (or `<variables><variable …/>`) under `el`, later ones winning. */
function paramsOf(el: XmlElement | undefined, group: string, item: string): Map<string, FsParam> {
  const out = new Map<string, FsParam>();
  if (!el) return out;
  for (const g of childrenNamed(el, group)) {
    for (const p of childrenNamed(g, item)) {
      const name = attr(p, 'name');
      if (name === undefined) continue;
      out.set(name, { name, value: attr(p, 'value') ?? '', location: attrLoc(p, 'value') });
    }
  }
  return out;
}

function sections(root: XmlElement | null, name: string): XmlElement[] {
  if (!root) return [];
  return root.children.filter((c) => c.name === 'section' && ci(attr(c, 'name'), name));
}

// ---------------------------------------------------------------- directory

function readDomain(d: XmlElement): DirectoryDomain {
  const domain: DirectoryDomain = {
    name: attr(d, 'name') ?? '',
    location: d.location,
    params: paramsOf(d, 'params', 'param'),
    variables: paramsOf(d, 'variables', 'variable'),
    users: [],
    groups: [],
  };
  const byId = new Map<string, DirectoryUser>();
  const addUser = (u: XmlElement, group?: string, groupEl?: XmlElement) => {
    const id = attr(u, 'id');
    if (id === undefined) return;
    const pointer = ci(attr(u, 'type'), 'pointer');
    const key = id.toLowerCase();
    const existing = byId.get(key);
    if (existing) {
      if (group && !existing.groups.includes(group)) existing.groups.push(group);
      if (existing.pointer && !pointer) Object.assign(existing, userOf(u, id, domain, false, groupEl), { groups: existing.groups });
      return;
    }
    const user = userOf(u, id, domain, pointer, groupEl);
    if (group) user.groups.push(group);
    byId.set(key, user);
    domain.users.push(user);
  };
  for (const users of childrenNamed(d, 'users')) for (const u of childrenNamed(users, 'user')) addUser(u);
  for (const u of childrenNamed(d, 'user')) addUser(u); // the old layout, still read by find_user_in_tag
  for (const groups of childrenNamed(d, 'groups')) {
    for (const g of childrenNamed(groups, 'group')) {
      const name = attr(g, 'name') ?? '';
      const members: string[] = [];
      for (const users of childrenNamed(g, 'users')) {
        for (const u of childrenNamed(users, 'user')) {
          addUser(u, name, g);
          const id = attr(u, 'id');
          if (id !== undefined) members.push(id);
        }
      }
      domain.groups.push({ name, location: g.location, users: members });
    }
  }
  return domain;
}

function userOf(u: XmlElement, id: string, domain: DirectoryDomain, pointer: boolean, group?: XmlElement): DirectoryUser {
  // switch_xml_locate_user_merged → switch_xml_merge_user: domain, then the group the user was found in, then the user's own.
  const params = new Map(domain.params);
  for (const [k, v] of paramsOf(group, 'params', 'param')) params.set(k, v);
  for (const [k, v] of paramsOf(u, 'params', 'param')) params.set(k, v);
  const variables = new Map(domain.variables);
  for (const [k, v] of paramsOf(group, 'variables', 'variable')) variables.set(k, v);
  for (const [k, v] of paramsOf(u, 'variables', 'variable')) variables.set(k, v);
  return { id, numberAlias: attr(u, 'number-alias'), domain: domain.name, groups: [], location: u.location, pointer, cidr: attr(u, 'cidr'), params, variables };
}

// ---------------------------------------------------------------- sofia

function readGateways(el: XmlElement | undefined, origin: SofiaGateway['origin']): SofiaGateway[] {
  const out: SofiaGateway[] = [];
  if (!el) return out;
  for (const gws of childrenNamed(el, 'gateways')) {
    for (const g of childrenNamed(gws, 'gateway')) {
      const name = attr(g, 'name');
      if (name === undefined) continue;
      const params = new Map<string, FsParam>();
      for (const p of childrenNamed(g, 'param')) {
        const n = attr(p, 'name');
        if (n !== undefined) params.set(n, { name: n, value: attr(p, 'value') ?? '', location: attrLoc(p, 'value') });
      }
      for (const [k, v] of paramsOf(g, 'params', 'param')) params.set(k, v);
      out.push({ name, location: g.location, params, origin });
    }
  }
  return out;
}

function readProfile(p: XmlElement, domains: DirectoryDomain[], domainElements: Map<DirectoryDomain, XmlElement>): SofiaProfile {
  const params = new Map<string, FsParam>();
  const inboundAcls: InboundAcl[] = [];
  for (const s of childrenNamed(p, 'settings')) {
    for (const prm of childrenNamed(s, 'param')) {
      const n = attr(prm, 'name');
      if (n === undefined) continue;
      const value = attr(prm, 'value') ?? '';
      params.set(n.toLowerCase(), { name: n, value, location: attrLoc(prm, 'value') });
      if (n.toLowerCase() === 'apply-inbound-acl' && value !== '') {
        if (value.toLowerCase() === 'none') inboundAcls.length = 0;
        else {
          const [list, pass, fail] = value.split(':');
          inboundAcls.push({ list, passContext: pass || undefined, failContext: fail || undefined, location: attrLoc(prm, 'value') });
        }
      }
    }
  }
  const profile: SofiaProfile = {
    name: attr(p, 'name') ?? '',
    location: p.location,
    params,
    context: params.get('context'),
    authCalls: switchTrue(params.get('auth-calls')?.value),
    authCallsLocation: params.get('auth-calls')?.location,
    forceRegisterDomain: params.get('force-register-domain'),
    challengeRealm: params.get('challenge-realm'),
    applyInboundAcl: params.get('apply-inbound-acl'),
    inboundAcls,
    domains: [],
    aliases: [],
    gateways: readGateways(p, 'profile'),
  };
  for (const a of childrenNamed(p, 'aliases')) for (const al of childrenNamed(a, 'alias')) if (attr(al, 'name')) profile.aliases.push(attr(al, 'name') as string);
  // sofia.c config_sofia / parse_domain_tag: name="all" means every directory domain; alias="true"
  // adds the domain as a profile alias; parse="true" reads gateways from the domain's users.
  for (const ds of childrenNamed(p, 'domains')) {
    for (const d of childrenNamed(ds, 'domain')) {
      const name = attr(d, 'name') ?? '';
      const alias = switchTrue(attr(d, 'alias'));
      const parse = switchTrue(attr(d, 'parse'));
      profile.domains.push({ name, alias, parse, location: d.location });
      const targets = ci(name, 'all') ? domains : domains.filter((x) => ci(x.name, name));
      for (const t of targets) {
        if (alias && !profile.aliases.includes(t.name)) profile.aliases.push(t.name);
        if (parse) {
          const el = domainElements.get(t);
          if (!el) continue;
          const users: XmlElement[] = [...childrenNamed(el, 'user')];
          for (const gs of childrenNamed(el, 'groups')) for (const g of childrenNamed(gs, 'group')) for (const us of childrenNamed(g, 'users')) users.push(...childrenNamed(us, 'user'));
          for (const u of users) profile.gateways.push(...readGateways(u, 'directory'));
        }
      }
    }
  }
  return profile;
}

// ---------------------------------------------------------------- dialplan

function readActions(c: XmlElement, name: 'action' | 'anti-action'): DialplanAction[] {
  return childrenNamed(c, name).map((a) => {
    // parse_exten: the element's text wins over data= when not empty.
    const text = a.text.trim();
    const loop = attr(a, 'loop');
    return {
      application: attr(a, 'application') ?? '',
      data: text !== '' ? text : (attr(a, 'data') ?? ''),
      inline: switchTrue(attr(a, 'inline')),
      anti: name === 'anti-action',
      // parse_exten: loop_count = atoi(loop), the application is added that many times.
      ...(loop !== undefined ? { loop: Number(/^\s*([+-]?\d+)/.exec(loop)?.[1] ?? 0) } : {}),
      location: a.location,
    };
  });
}

function timeOf(el: XmlElement): Record<string, string> {
  const t: Record<string, string> = {};
  for (const k of TIME_ATTRIBUTES) {
    const v = attr(el, k);
    if (v !== undefined) t[k] = v;
  }
  for (const k of ['tz-offset', 'tz']) {
    const v = attr(el, k);
    if (v !== undefined) t[k] = v;
  }
  return t;
}

function readCondition(c: XmlElement): DialplanCondition {
  const exprChild = childrenNamed(c, 'expression')[0];
  const b = (attr(c, 'break') ?? '').toLowerCase();
  const breakMode: BreakMode = b === 'on-true' || b === 'always' || b === 'never' ? b : 'on-false';
  const regexAttr = attr(c, 'regex');
  return {
    field: attr(c, 'field'),
    fieldLocation: c.attributes.get('field')?.location,
    expression: exprChild ? exprChild.text : attr(c, 'expression'),
    expressionLocation: exprChild ? (exprChild.textLocation ?? exprChild.location) : c.attributes.get('expression')?.location,
    expressionInElement: exprChild !== undefined,
    regexMode: regexAttr === undefined ? undefined : ci(regexAttr, 'all') ? 'all' : ci(regexAttr, 'xor') ? 'xor' : 'any',
    regexes: childrenNamed(c, 'regex').map((r) => {
      const ex = childrenNamed(r, 'expression')[0];
      return {
        field: attr(r, 'field'),
        expression: ex ? ex.text : (attr(r, 'expression') ?? ''),
        expressionLocation: ex ? (ex.textLocation ?? ex.location) : attrLoc(r, 'expression'),
        expressionInElement: ex !== undefined,
        time: timeOf(r),
        location: r.location,
      };
    }),
    break: breakMode,
    requireNested: attr(c, 'require-nested') === undefined ? true : switchTrue(attr(c, 'require-nested')),
    time: timeOf(c),
    actions: readActions(c, 'action'),
    antiActions: readActions(c, 'anti-action'),
    conditions: childrenNamed(c, 'condition').map(readCondition),
    location: c.location,
  };
}

function readContext(el: XmlElement): DialplanContext {
  const name = attr(el, 'name') ?? '';
  return {
    name,
    location: el.location,
    extensions: childrenNamed(el, 'extension').map(
      (x): DialplanExtension => ({
        name: attr(x, 'name') ?? 'UNKNOWN',
        continue: switchTrue(attr(x, 'continue')),
        conditions: childrenNamed(x, 'condition').map(readCondition),
        location: x.location,
        context: name,
      }),
    ),
  };
}

// ---------------------------------------------------------------- acl.conf

/** switch_core.c switch_load_network_lists: `default` (allow unless false), nodes by cidr, or by directory domain (its users' cidr=). */
function readAcls(conf: XmlElement | undefined, domains: DirectoryDomain[]): Map<string, AclList> {
  const out = new Map<string, AclList>();
  if (!conf) return out;
  for (const nl of childrenNamed(conf, 'network-lists')) {
    for (const l of childrenNamed(nl, 'list')) {
      const name = attr(l, 'name');
      if (!name) continue;
      const dft = attr(l, 'default');
      const list: AclList = { name, defaultAllow: dft === undefined ? true : switchTrue(dft), nodes: [], location: l.location };
      for (const n of childrenNamed(l, 'node')) {
        const type = attr(n, 'type');
        const allow = type === undefined ? true : switchTrue(type);
        const domainName = attr(n, 'domain');
        const cidr = attr(n, 'cidr');
        if (domainName !== undefined) {
          const d = domains.find((x) => ci(x.name, domainName));
          for (const u of d?.users ?? []) {
            if (u.cidr) for (const c of u.cidr.split(',')) list.nodes.push({ allow, cidr: c.trim(), token: `${u.id}@${domainName}`, location: u.location });
          }
        } else if (cidr !== undefined) {
          for (const c of cidr.split(',')) list.nodes.push({ allow, cidr: c.trim(), location: n.location });
        }
      }
      out.set(name, list);
    }
  }
  return out;
}

// ---------------------------------------------------------------- model

export function buildModel(root: string, mainFile: string | undefined, flat: Flattened, doc: XmlElement | null): FreeswitchModel {
  const issues: LoadIssue[] = [...flat.issues];
  const domainElements = new Map<DirectoryDomain, XmlElement>();
  const domains: DirectoryDomain[] = [];
  for (const s of sections(doc, 'directory')) {
    for (const d of childrenNamed(s, 'domain')) {
      const dom = readDomain(d);
      domains.push(dom);
      domainElements.set(dom, d);
    }
  }
  const configurations = sections(doc, 'configuration').flatMap((s) => childrenNamed(s, 'configuration'));
  const config = (name: string) => configurations.find((c) => ci(attr(c, 'name'), name));

  const profiles: SofiaProfile[] = [];
  const sofia = config('sofia.conf');
  if (sofia) for (const ps of childrenNamed(sofia, 'profiles')) for (const p of childrenNamed(ps, 'profile')) profiles.push(readProfile(p, domains, domainElements));

  const contexts: DialplanContext[] = [];
  const dialplanSections = sections(doc, 'dialplan');
  for (const s of dialplanSections) for (const c of childrenNamed(s, 'context')) contexts.push(readContext(c));

  const modulesConf = config('modules.conf');
  const moduleNames = new Set<string>();
  if (modulesConf) for (const ms of childrenNamed(modulesConf, 'modules')) for (const l of childrenNamed(ms, 'load')) if (attr(l, 'module')) moduleNames.add(attr(l, 'module') as string);

  const acls = readAcls(config('acl.conf'), domains);

  const localDomains: LocalDomain[] = domains.map((d) => ({ name: d.name, origin: 'directory domain', location: d.location }));
  const endpoints: Endpoint[] = [];
  for (const d of domains) {
    for (const u of d.users) {
      if (u.pointer) continue;
      const uc = u.variables.get('user_context');
      endpoints.push({
        name: `${u.id}@${d.name}`,
        kind: 'directory-user',
        location: u.location,
        context: uc ? { name: uc.value, location: uc.location, defaulted: false } : undefined,
        isTrunk: false,
        reachability: { aors: [], staticContacts: [], acceptsRegistration: u.params.has('password') || u.params.has('a1-hash') },
      });
    }
  }
  const entryPoints: EntryPoint[] = [];
  for (const p of profiles) {
    for (const g of p.gateways) {
      endpoints.push({ name: g.name, kind: 'gateway', location: g.location, context: p.context ? { name: g.params.get('context')?.value ?? p.context.value, location: p.context.location, defaulted: !g.params.has('context') } : undefined, isTrunk: true, trunkEvidence: `sofia gateway on profile ${p.name}`, reachability: { aors: [], staticContacts: [], acceptsRegistration: false } });
    }
    if (p.context) entryPoints.push({ id: `profile:${p.name}`, description: `calls arriving on sofia profile ${p.name}${p.authCalls ? ' that authenticate as no directory user with a user_context' : ''}`, context: p.context.value, location: p.context.location, trunk: !p.authCalls });
  }
  return {
    platform: 'freeswitch',
    root,
    mainFile,
    sources: flat.sources,
    issues,
    localDomains,
    routesAnyDomain: true, // sofia_handle_sip_i_invite routes on the R-URI user only
    endpoints,
    entryPoints,
    vars: flat.vars,
    directory: { domains },
    profiles,
    dialplan: { contexts, present: dialplanSections.length > 0 },
    modules: { known: modulesConf !== undefined, names: moduleNames },
    acls,
  };
}

