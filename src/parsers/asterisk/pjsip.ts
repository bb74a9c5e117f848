/**
 * pjsip.conf (+ pjsip_wizard.conf) → chan_pjsip objects, as res_sorcery_config and
 * res_pjsip_config_wizard create them. Defaults are the ones in res/res_pjsip/pjsip_config.xml
 * and pjsip_configuration.c.
 */
import type { LoadIssue } from '../../core/findings';
import type { SourceLocation } from '../../core/location';
import type { Located, PjsipAor, PjsipConfig, PjsipEndpoint, PjsipIdentify, PjsipObject } from '../../model/asterisk';
import { isTrue, type ConfDocument, type ConfSection, type ConfVariable } from './conf';

type Option = PjsipObject['options'][number];

/**
 * The list of an option that is not set (an endpoint's auth=, an AOR's contact=), one array for
 * all: 10,000 endpoints each kept an empty array of their own. Frozen: nothing adds to it.
 */
const NO_ITEMS = Object.freeze([]) as unknown as Located[];

function lastOption(options: Option[], name: string): Option | undefined {
  for (let i = options.length - 1; i >= 0; i--) if (options[i].name === name) return options[i];
  return undefined;
}

/** Comma lists (`aors=a,b`), possibly repeated over several lines; each item keeps its line. */
function listOption(options: Option[], name: string): Located[] {
  let out: Located[] | undefined;
  for (const o of options) {
    if (o.name !== name) continue;
    for (const item of o.value.split(',')) {
      const v = item.trim();
      if (v) (out ??= []).push({ value: v, location: o.location, inheritedFrom: o.inheritedFrom });
    }
  }
  return out ?? NO_ITEMS;
}

/**
 * sorcery's object options that take a list and *replace* on repetition vs. those that append:
 * for routing purposes pbxlint needs `aors`, `auth`, `match`, `contact`; aors/auth are single
 * string fields (the last line wins), match/contact accumulate over lines.
 */
function lastList(options: Option[], name: string): Located[] {
  const last = lastOption(options, name);
  if (!last) return NO_ITEMS;
  const items = commaList(last.value);
  if (items.length === 0) return NO_ITEMS;
  const out: Located[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) out[i] = { value: items[i], location: last.location, inheritedFrom: last.inheritedFrom };
  return out;
}

/**
 * `a, b,,c` → ['a', 'b', 'c'] (split on commas, trimmed, empty items dropped), in plain loops:
 * a cold `pbxlint lint` runs this for thousands of objects in V8's unoptimised tiers, where
 * split().map().filter() costs several times more.
 */
function commaList(value: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (;;) {
    const comma = value.indexOf(',', start);
    const item = (comma < 0 ? value.slice(start) : value.slice(start, comma)).trim();
    if (item) out.push(item);
    if (comma < 0) return out;
    start = comma + 1;
  }
}

/**
 * The options of inherited variables, made once per variable: the conf reader gives every section
 * that inherits a template's line the same variable object (conf.ts inheritedCopies), and 10,000
 * `[epN](phone)` endpoints then share one `context=` option instead of 10,000 alike. Options are
 * never changed once made.
 */
type SharedOptions = Map<ConfVariable, Option>;

function optionsOf(vars: ConfVariable[], shared?: SharedOptions): Option[] {
  const out: Option[] = new Array(vars.length);
  for (let i = 0; i < vars.length; i++) {
    const v = vars[i];
    let option = v.inheritedFrom !== undefined ? shared?.get(v) : undefined;
    if (option === undefined) {
      option = { name: v.name.trim(), value: v.value, location: v.valueLocation, inheritedFrom: v.inheritedFrom };
      if (v.inheritedFrom !== undefined) shared?.set(v, option);
    }
    out[i] = option;
  }
  return out;
}

export function emptyPjsip(): PjsipConfig {
  return {
    present: false,
    files: [],
    endpoints: new Map(),
    aors: new Map(),
    auths: new Map(),
    identifies: [],
    domainAliases: new Map(),
    transports: new Map(),
    registrations: new Map(),
    global: { endpointIdentifierOrder: ['ip', 'username', 'anonymous'], ignoreUriUserOptions: false },
    others: [],
  };
}

/**
 * `type=` as res_sorcery compares it (trimmed, lower-cased), the usual spellings answered without
 * making a string per object.
 */
const OBJECT_TYPES = new Map(['endpoint', 'aor', 'auth', 'identify', 'transport', 'registration', 'domain_alias', 'global', 'system', 'contact', 'acl', 'phoneprov', 'resource_list', 'outbound-publish', 'inbound-publication', 'asterisk-publication'].map((t) => [t, t]));

function objectType(value: string): string {
  return OBJECT_TYPES.get(value) ?? value.trim().toLowerCase();
}

interface RawObject {
  id: string;
  type: string;
  location: SourceLocation;
  options: Option[];
  fromWizard?: string;
}

/** Objects from plain sections: templates are skipped (ast_category_browse_filtered), `type=` decides the kind. */
function objectsOfDocument(doc: ConfDocument, issues: LoadIssue[], shared: SharedOptions): RawObject[] {
  const out: RawObject[] = [];
  const sections = doc.sections;
  for (let i = 0; i < sections.length; i++) {
    const s = sections[i];
    if (s.template) continue;
    const options = optionsOf(s.variables, shared);
    const type = lastOption(options, 'type');
    if (!type) {
      issues.push({ kind: 'parse-error', severity: 'warning', location: s.location, message: `[${s.name}] has no "type=": res_pjsip loads no object from it` });
      continue;
    }
    // The options other than type=, kept in place (one array, not a filtered copy).
    let kept = 0;
    for (let i = 0; i < options.length; i++) if (options[i].name !== 'type') options[kept++] = options[i];
    options.length = kept;
    out.push({ id: s.name, type: objectType(type.value), location: s.location, options });
  }
  return out;
}

/** res_pjsip_config_wizard: one `type=wizard` section becomes endpoint, aor, auths, identify, registrations. */
function objectsOfWizard(s: ConfSection, issues: LoadIssue[]): RawObject[] {
  const vars = optionsOf(s.variables);
  const get = (n: string) => lastOption(vars, n);
  const prefixed = (prefix: string) => vars.filter((o) => o.name.startsWith(prefix)).map((o) => ({ ...o, name: o.name.slice(prefix.length) }));
  const id = s.name;
  const at = s.location;
  const out: RawObject[] = [];
  const remoteHosts = (get('remote_hosts')?.value ?? '').split(',').map((h) => h.trim()).filter(Boolean);
  const synth = (name: string, value: string): Option => ({ name, value, location: at });

  const endpointOpts = prefixed('endpoint/');
  endpointOpts.push(synth('aors', id));
  const transport = get('transport');
  if (transport) endpointOpts.push(transport);
  if (isTrue(get('sends_auth')?.value)) endpointOpts.push(synth('outbound_auth', `${id}-oauth`));
  if (isTrue(get('accepts_auth')?.value)) endpointOpts.push(synth('auth', `${id}-iauth`));
  out.push({ id, type: 'endpoint', location: at, options: endpointOpts, fromWizard: id });

  const aorOpts = prefixed('aor/');
  if (!lastOption(aorOpts, 'contact')) {
    const pattern = get('contact_pattern')?.value ?? 'sip:${REMOTE_HOST}';
    for (const h of remoteHosts) aorOpts.push(synth('contact', pattern.replace('${REMOTE_HOST}', h)));
  }
  out.push({ id, type: 'aor', location: at, options: aorOpts, fromWizard: id });

  if (isTrue(get('accepts_auth')?.value)) out.push({ id: `${id}-iauth`, type: 'auth', location: at, options: prefixed('inbound_auth/'), fromWizard: id });
  if (isTrue(get('sends_auth')?.value)) out.push({ id: `${id}-oauth`, type: 'auth', location: at, options: prefixed('outbound_auth/'), fromWizard: id });

  const acceptsRegs = isTrue(get('accepts_registrations')?.value);
  const sendsLine = isTrue(get('sends_line_with_registrations')?.value);
  if (!acceptsRegs && !sendsLine) {
    if (remoteHosts.length === 0) {
      issues.push({ kind: 'parse-error', severity: 'error', location: at, message: `wizard [${id}] neither accepts registrations nor has remote_hosts: res_pjsip_config_wizard refuses it ("must have 'remote_hosts' if it doesn't accept registrations")` });
    } else {
      const identOpts = prefixed('identify/');
      identOpts.push(synth('endpoint', id));
      if (!lastOption(identOpts, 'match')) for (const h of remoteHosts) identOpts.push(synth('match', h));
      out.push({ id: `${id}-identify`, type: 'identify', location: at, options: identOpts, fromWizard: id });
    }
  }
  if (isTrue(get('sends_registrations')?.value)) {
    remoteHosts.forEach((h, n) => {
      const regOpts = prefixed('registration/');
      regOpts.push(synth('server_uri', `sip:${h}`));
      if (sendsLine) {
        regOpts.push(synth('line', 'yes'));
        regOpts.push(synth('endpoint', id));
      }
      out.push({ id: `${id}-reg-${n}`, type: 'registration', location: at, options: regOpts, fromWizard: id });
    });
  }
  return out;
}

/** Wizard hints: `has_hint=yes` + `hint_exten` adds a hint and, only with `hint_application`, a priority 1 (add_hints()). */
export interface WizardHint {
  context: string;
  exten: string;
  application?: string;
  endpoint: string;
  location: SourceLocation;
}

export function buildPjsip(docs: ConfDocument[], wizard: ConfDocument | null, issues: LoadIssue[]): { pjsip: PjsipConfig; hints: WizardHint[] } {
  const pjsip = emptyPjsip();
  const hints: WizardHint[] = [];
  const raw: RawObject[] = [];
  const shared: SharedOptions = new Map();
  for (const doc of docs) {
    if (!doc.found) continue;
    pjsip.present = true;
    pjsip.files.push(doc.file);
    const objects = objectsOfDocument(doc, issues, shared);
    for (let i = 0; i < objects.length; i++) raw.push(objects[i]);
  }
  if (wizard?.found) {
    pjsip.present = true;
    pjsip.files.push(wizard.file);
    for (const s of wizard.sections) {
      if (s.template) continue;
      const type = s.variables.filter((v) => v.name.trim() === 'type').pop();
      if (type?.value.trim().toLowerCase() !== 'wizard') continue;
      raw.push(...objectsOfWizard(s, issues));
      const vars = optionsOf(s.variables);
      const hintExten = lastOption(vars, 'hint_exten');
      if (hintExten && isTrue(lastOption(vars, 'has_hint')?.value)) {
        const ctx = lastOption(vars, 'hint_context')?.value || lastOption(vars, 'endpoint/context')?.value || 'default';
        const application = lastOption(vars, 'hint_application')?.value || undefined;
        hints.push({ context: ctx, exten: hintExten.value, application, endpoint: s.name, location: hintExten.location });
      }
    }
  }

  // res_sorcery_config: two objects with the same id and type make the load of that type fail
  // ("configuration contains a duplicate object"): no object of that type is loaded.
  // Ids are looked up in a table per type: no `type+id` key string made for every object.
  const failedTypes = new Set<string>();
  const seenByType = new Map<string, Map<string, RawObject>>();
  for (let i = 0; i < raw.length; i++) {
    const o = raw[i];
    let seen = seenByType.get(o.type);
    if (seen === undefined) seenByType.set(o.type, (seen = new Map()));
    const first = seen.get(o.id);
    if (first) {
      failedTypes.add(o.type);
      issues.push({
        kind: 'parse-error',
        severity: 'error',
        location: o.location,
        message: `duplicate ${o.type} "${o.id}" (first at ${first.location.file}:${first.location.line}): res_sorcery_config refuses the whole configuration for type ${o.type} ("contains a duplicate object"), so no ${o.type} object is loaded`,
      });
    } else seen.set(o.id, o);
  }
  seenByType.clear();

  // Objects are written out field by field, not spread from `base`: an object spread runs ~5×
  // slower than a literal in V8's unoptimised tiers, where a cold `pbxlint lint` builds them
  // (4,000 objects: 13 ms → 3 ms).
  const base = (o: RawObject): PjsipObject => ({ id: o.id, type: o.type, location: o.location, options: o.options, fromWizard: o.fromWizard });
  // An endpoint's context as a Located, one per option: endpoints whose `context=` comes from one
  // template line share it (as they share the option).
  const contexts = new Map<Option, Located>();
  // identify_by lists by their text: nearly every endpoint has the default or the same few (read only).
  const identifyByLists = new Map<string, string[]>();
  const identifyByOf = (value: string): string[] => {
    let list = identifyByLists.get(value);
    if (list === undefined) identifyByLists.set(value, (list = commaList(value).map((s) => s.toLowerCase())));
    return list;
  };
  const contextOf = (option: Option): Located => {
    if (option.inheritedFrom === undefined) return { value: option.value, location: option.location, inheritedFrom: option.inheritedFrom };
    let located = contexts.get(option);
    if (located === undefined) contexts.set(option, (located = { value: option.value, location: option.location, inheritedFrom: option.inheritedFrom }));
    return located;
  };
  for (let i = 0; i < raw.length; i++) {
    const o = raw[i];
    if (failedTypes.has(o.type)) continue;
    switch (o.type) {
      case 'endpoint': {
        const context = lastOption(o.options, 'context');
        const identifyBy = lastOption(o.options, 'identify_by')?.value ?? 'username,ip';
        const allowOverlap = lastOption(o.options, 'allow_overlap');
        const overlap = lastOption(o.options, 'overlap_context');
        const transport = lastOption(o.options, 'transport');
        const endpoint: PjsipEndpoint = {
          id: o.id,
          type: o.type,
          location: o.location,
          options: o.options,
          fromWizard: o.fromWizard,
          context: context ? contextOf(context) : { value: 'default', location: o.location },
          contextDefaulted: !context,
          aors: lastList(o.options, 'aors'),
          auth: lastList(o.options, 'auth'),
          identifyBy: identifyByOf(identifyBy),
          allowOverlap: allowOverlap ? isTrue(allowOverlap.value) : true,
          overlapContext: overlap && overlap.value ? { value: overlap.value, location: overlap.location } : undefined,
          transport: transport ? { value: transport.value, location: transport.location } : undefined,
        };
        pjsip.endpoints.set(o.id, endpoint);
        break;
      }
      case 'aor': {
        const mc = lastOption(o.options, 'max_contacts');
        const aor: PjsipAor = { id: o.id, type: o.type, location: o.location, options: o.options, fromWizard: o.fromWizard, maxContacts: mc ? parseInt(mc.value, 10) || 0 : 0, contacts: listOption(o.options, 'contact') };
        pjsip.aors.set(o.id, aor);
        break;
      }
      case 'auth':
        pjsip.auths.set(o.id, base(o));
        break;
      case 'identify': {
        const ep = lastOption(o.options, 'endpoint');
        const header = lastOption(o.options, 'match_header');
        const identify: PjsipIdentify = { id: o.id, type: o.type, location: o.location, options: o.options, fromWizard: o.fromWizard, endpoint: ep ? { value: ep.value, location: ep.location } : undefined, match: listOption(o.options, 'match'), matchHeader: header ? { value: header.value, location: header.location } : undefined };
        pjsip.identifies.push(identify);
        break;
      }
      case 'domain_alias': {
        const domain = lastOption(o.options, 'domain');
        if (domain) pjsip.domainAliases.set(o.id, { domain: { value: domain.value, location: domain.location }, object: base(o) });
        break;
      }
      case 'transport':
        pjsip.transports.set(o.id, base(o));
        break;
      case 'registration':
        pjsip.registrations.set(o.id, base(o));
        break;
      case 'global': {
        const order = lastOption(o.options, 'endpoint_identifier_order');
        if (order) pjsip.global.endpointIdentifierOrder = commaList(order.value).map((s) => s.toLowerCase());
        const iuuo = lastOption(o.options, 'ignore_uri_user_options');
        if (iuuo) pjsip.global.ignoreUriUserOptions = isTrue(iuuo.value);
        pjsip.global.location = o.location;
        pjsip.others.push(base(o));
        break;
      }
      default:
        pjsip.others.push(base(o));
    }
  }
  return { pjsip, hints };
}
