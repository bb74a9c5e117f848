/**
 * FreeSWITCH's model, filled by src/parsers/freeswitch from the pre-processed XML tree: the user
 * directory, the sofia profiles, the XML dialplan and the loaded modules, each object with the
 * file:line:column it was written at. Semantics: ../shared/docs/semantics/freeswitch.md; the
 * engine function each field models is named beside it.
 */
import type { SourceLocation } from '../core/location';
import type { ModelBase } from './common';

/** A pre-processor variable (`X-PRE-PROCESS cmd="set"`), also a global variable at run time. */
export interface PreprocessVar {
  name: string;
  /** The value; for a symbolic variable, its own `$${name}` text. */
  value: string;
  /** True when the value is unknowable without the running server (stun-set, exec-set, env-set, core run-time values). */
  symbolic: boolean;
  origin: 'set' | 'env-set' | 'stun-set' | 'exec-set' | 'option';
  location?: SourceLocation;
}

/** A `<param name= value=>` or `<variable name= value=>`. */
export interface FsParam {
  name: string;
  value: string;
  location: SourceLocation;
}

// ---------------------------------------------------------------- directory

export interface DirectoryUser {
  id: string;
  numberAlias?: string;
  /** The directory domain the user is in. */
  domain: string;
  /** Groups listing this user. */
  groups: string[];
  location: SourceLocation;
  /** `type="pointer"`: a reference to a user defined elsewhere (find_user_in_tag skips nothing, registration refuses it). */
  pointer: boolean;
  cidr?: string;
  /** Own params, with the domain's merged under them (switch_xml_locate_user_merged). */
  params: Map<string, FsParam>;
  variables: Map<string, FsParam>;
}

export interface DirectoryDomain {
  /** As written after pre-processing; may hold symbolic `$${local_ip_v4}` text. */
  name: string;
  location: SourceLocation;
  params: Map<string, FsParam>;
  variables: Map<string, FsParam>;
  users: DirectoryUser[];
  groups: { name: string; location: SourceLocation; users: string[] }[];
}

// ---------------------------------------------------------------- sofia

export interface SofiaGateway {
  name: string;
  location: SourceLocation;
  params: Map<string, FsParam>;
  /** 'profile' for `<gateways>` in the profile; 'directory' when parsed from a user by `<domain parse="true">`. */
  origin: 'profile' | 'directory';
}

export interface SofiaProfileDomain {
  name: string;
  alias: boolean;
  parse: boolean;
  location: SourceLocation;
}

/** One `apply-inbound-acl` param: `list[:pass-context[:fail-context]]` (sofia.c config_sofia). */
export interface InboundAcl {
  list: string;
  passContext?: string;
  failContext?: string;
  location: SourceLocation;
}

export interface SofiaProfile {
  name: string;
  location: SourceLocation;
  params: Map<string, FsParam>;
  /** `context` param; sofia.c falls back to it after the ACL context and the user's user_context. */
  context?: FsParam;
  /** `auth-calls`: INVITEs are challenged (407) unless an inbound ACL lets them through. */
  authCalls: boolean;
  authCallsLocation?: SourceLocation;
  forceRegisterDomain?: FsParam;
  challengeRealm?: FsParam;
  applyInboundAcl?: FsParam;
  /** Every apply-inbound-acl, in order (`none` clears the ones before). */
  inboundAcls: InboundAcl[];
  domains: SofiaProfileDomain[];
  /** `<aliases><alias name=>`, plus directory domains made aliases by `<domain alias="true">` (sofia.c parse_domain_tag). */
  aliases: string[];
  gateways: SofiaGateway[];
}

// ---------------------------------------------------------------- dialplan

export interface DialplanAction {
  application: string;
  data: string;
  inline: boolean;
  anti: boolean;
  /** `loop="N"` (C atoi): queued N times — none when N ≤ 0; absent: once. */
  loop?: number;
  location: SourceLocation;
}

export type BreakMode = 'on-false' | 'on-true' | 'always' | 'never';

/** Time attributes of a condition (switch_xml_std_datetime_check). */
export const TIME_ATTRIBUTES = ['year', 'yday', 'mon', 'mday', 'week', 'mweek', 'wday', 'hour', 'minute', 'minute-of-day', 'time-of-day', 'date-time'] as const;

export interface DialplanRegex {
  field?: string;
  expression: string;
  expressionLocation: SourceLocation;
  /** The expression is a child <expression> element's text (its location: where the text starts), else an attribute. */
  expressionInElement: boolean;
  time: Record<string, string>;
  location: SourceLocation;
}

export interface DialplanCondition {
  field?: string;
  fieldLocation?: SourceLocation;
  expression?: string;
  expressionLocation?: SourceLocation;
  expressionInElement: boolean;
  /** `regex="all|any|xor"` with `<regex>` children. */
  regexMode?: 'all' | 'any' | 'xor';
  regexes: DialplanRegex[];
  break: BreakMode;
  /** `require-nested` on this condition: read by parse_exten when it evaluates the nested conditions. */
  requireNested: boolean;
  time: Record<string, string>;
  actions: DialplanAction[];
  antiActions: DialplanAction[];
  conditions: DialplanCondition[];
  location: SourceLocation;
}

export interface DialplanExtension {
  name: string;
  continue: boolean;
  conditions: DialplanCondition[];
  location: SourceLocation;
  context: string;
}

export interface DialplanContext {
  name: string;
  location: SourceLocation;
  extensions: DialplanExtension[];
}

/** A node of an ACL list: a CIDR allowed or denied; `token` is the directory user a `domain=` node stands for. */
export interface AclNode {
  allow: boolean;
  cidr: string;
  token?: string;
  location: SourceLocation;
}

/** A `<list>` of acl.conf.xml (switch_core.c switch_load_network_lists). */
export interface AclList {
  name: string;
  defaultAllow: boolean;
  nodes: AclNode[];
  location: SourceLocation;
}

export interface FreeswitchModel extends ModelBase {
  platform: 'freeswitch';
  vars: Map<string, PreprocessVar>;
  directory: { domains: DirectoryDomain[] };
  profiles: SofiaProfile[];
  /** Contexts in document order; dialplan_hunt takes the first whose name matches (case-insensitively). */
  dialplan: { contexts: DialplanContext[]; present: boolean };
  /** `autoload_configs/modules.conf.xml` `<load module=>`; `known` false when that file is absent. */
  modules: { known: boolean; names: Set<string> };
  /** acl.conf.xml network lists by name. */
  acls: Map<string, AclList>;
}
