/**
 * Asterisk's model: the dialplan (extensions.conf), chan_pjsip objects (pjsip.conf,
 * pjsip_wizard.conf) and chan_sip peers (sip.conf), each object with its source location.
 * Semantics: ../shared/docs/semantics/asterisk.md; sources named per field.
 */
import type { SourceLocation } from '../core/location';
import type { ModelBase } from './common';

/** A value read from a config file, with where it was written (through includes and templates). */
export interface Located<T = string> {
  value: T;
  location: SourceLocation;
  /** Set when the value came from a template or parent section (`[name](tmpl)`). */
  inheritedFrom?: string;
}

// ---------------------------------------------------------------- dialplan

/** Where a Goto/Gosub/Macro/Local dial would jump. Fields built from variables are marked dynamic. */
export interface JumpTarget {
  app: string;
  /** undefined: the current context. */
  context?: string;
  /** undefined: the current extension. */
  extension?: string;
  /** A number or a label. */
  priority: string;
  /** True when a part is built at run time (`${VAR}`, `$[...]`) and cannot be checked statically. */
  dynamic: boolean;
  /** For GotoIf/GosubIf/ExecIf: which branch of the condition this is. */
  branch?: 'true' | 'false';
  /** Gosub/Macro return to the caller; Goto does not. */
  returns: boolean;
  location: SourceLocation;
}

/** One destination of a Dial(): `PJSIP/1001`, `PJSIP/+12025551234@trunk`, `SIP/peer`, `Local/100@ctx`. */
export interface DialTarget {
  tech: string;
  /** The endpoint/peer name the channel driver looks up (for `PJSIP/num@trunk`, `trunk`). */
  resource: string;
  /** The number dialled through a trunk, when the form carries one. */
  number?: string;
  dynamic: boolean;
  raw: string;
  location: SourceLocation;
}

export interface Priority {
  /** Resolved priority number (`n`, `s`, labels and `+N` applied). */
  number: number;
  label?: string;
  app: string;
  /** Arguments as written, up to the last `)`. */
  args: string;
  /** Where the line is (the same as `location`, which may be built on demand: prefer these in loops). */
  file: string;
  line: number;
  column: number;
  location: SourceLocation;
  /** True when the arguments hold no `$` (nothing to evaluate at run time); absent when not worked out. */
  staticArgs?: boolean;
  /** Column where the application name starts. */
  appColumn: number;
  jumps: JumpTarget[];
  dials: DialTarget[];
}

export interface Extension {
  /** As written after `${GLOBAL}` substitution, spaces removed (`_1NXXNXXXXXX`, `+12025551234`, `s`). */
  name: string;
  /** Name used for matching: `-` removed outside `[...]` (pbx.c ext_strncpy). */
  matchName: string;
  isPattern: boolean;
  /** Caller-ID match (`exten => 100/5551234,…`) as stored: ast_shrink_phone_number, then spaces and `-` dropped. */
  cid?: string;
  location: SourceLocation;
  /** Every priority line of this entry in file order (duplicates included). May be built on first access. */
  priorities: Priority[];
  /** The priority numbers of `priorities`, without building the Priority objects (loaders that build them lazily provide it). */
  priorityNumbers?(): number[];
  /**
   * Calls fn with each of `priorities` without building them (loaders that build them lazily
   * provide it): fn must read its argument then and there, not keep it.
   */
  forEachPriority?(fn: (p: Priority) => void): void;
  labels: Map<string, number>;
  hint?: Located;
}

export interface Include {
  context: string;
  /** Time window `times,weekdays,monthdays,months[,tz]`; absent = always. */
  timing?: string;
  location: SourceLocation;
}

export interface DialplanSwitch {
  kind: 'switch' | 'lswitch' | 'eswitch';
  data: string;
  location: SourceLocation;
}

/** A dialplan line Asterisk refused while loading (pbx_config logs it and goes on). */
export interface DialplanLineIssue {
  location: SourceLocation;
  message: string;
}

export interface DialplanContext {
  /** Case-sensitive, as Asterisk's context table compares names with strcmp. */
  name: string;
  /** Every `[name]` header that contributes to this context (repeated headers merge). */
  locations: SourceLocation[];
  /**
   * As written: one entry per run of consecutive lines with the same name (and caller ID), in
   * file order, with every priority line (duplicates included). A name written again later gets
   * another entry. Asterisk's registration (names that ext_cmp
   * finds equal merge, a repeated priority is dropped) and its lookup order are applied by the
   * resolver (src/resolvers/asterisk/dialplan-index.ts), which rules use for those questions.
   */
  extensions: Extension[];
  includes: Include[];
  switches: DialplanSwitch[];
  ignorepats: Located[];
  /**
   * Set when loading built this context's extension trie (the `extenpatternmatchnew=yes`
   * lookup) before the context was complete: `extensions.length` at the first line whose
   * priority is a label (`exten => 100,mylabel+1,…`, `same => mylabel,…`) while the context
   * already held an extension. pbx_config (pbx/pbx_config.c pbx_load_config) resolves such a
   * priority with `ast_findlabel_extension2`, a lookup, and `pbx_find_extension` (main/pbx.c)
   * creates the trie on the first lookup from the extensions registered so far, whatever
   * extenpatternmatchnew says; `ast_add_extension2_lockopt` appends later extensions to it in
   * load order. Compared with DialplanExtension.registrationOrder (entries before this index
   * were in the tree when it was built). Absent when no such lookup built it during loading.
   */
  trieBuiltAfter?: number;
}

export interface DialplanGeneral {
  autofallthrough: boolean;
  extenpatternmatchnew: boolean;
  /** `[general] extenpatternmatchnew` line, when set. */
  extenpatternmatchnewLocation?: SourceLocation;
  overrideswitch?: Located;
}

export interface Dialplan {
  /** extensions.conf was found. */
  present: boolean;
  file?: string;
  /** Set when Asterisk refuses the whole extensions.conf (a fatal syntax error): it then has no dialplan. */
  loadFailure?: { location: SourceLocation; message: string };
  /** users.conf adds extensions for its users (pbx_config pbx_load_users); pbxlint does not model that. */
  usersConf?: string;
  general: DialplanGeneral;
  globals: Map<string, Located>;
  contexts: Map<string, DialplanContext>;
}

// ---------------------------------------------------------------- chan_pjsip

export interface PjsipObject {
  /** Section name (the object id). */
  id: string;
  type: string;
  location: SourceLocation;
  /** Every key in order, templates first (repeated keys kept). */
  options: { name: string; value: string; location: SourceLocation; inheritedFrom?: string }[];
  /** Objects made by a pjsip_wizard.conf section carry its name. */
  fromWizard?: string;
}

export interface PjsipEndpoint extends PjsipObject {
  context: Located;
  contextDefaulted: boolean;
  aors: Located<string>[];
  auth: Located<string>[];
  identifyBy: string[];
  allowOverlap: boolean;
  overlapContext?: Located;
  transport?: Located;
}

export interface PjsipAor extends PjsipObject {
  maxContacts: number;
  contacts: Located[];
}

export interface PjsipIdentify extends PjsipObject {
  endpoint?: Located;
  match: Located[];
  matchHeader?: Located;
}

export interface PjsipConfig {
  present: boolean;
  files: string[];
  endpoints: Map<string, PjsipEndpoint>;
  aors: Map<string, PjsipAor>;
  auths: Map<string, PjsipObject>;
  identifies: PjsipIdentify[];
  domainAliases: Map<string, { domain: Located; object: PjsipObject }>;
  transports: Map<string, PjsipObject>;
  registrations: Map<string, PjsipObject>;
  /** `type=global` settings that change routing. */
  global: { endpointIdentifierOrder: string[]; ignoreUriUserOptions: boolean; location?: SourceLocation };
  /** Any other object type (system, contact, …), kept for completeness. */
  others: PjsipObject[];
}

// ---------------------------------------------------------------- chan_sip

export interface SipPeer {
  name: string;
  type: 'peer' | 'user' | 'friend';
  location: SourceLocation;
  context: Located;
  contextDefaulted: boolean;
  host?: Located;
  allowOverlap?: 'yes' | 'no' | 'dtmf';
  options: { name: string; value: string; location: SourceLocation; inheritedFrom?: string }[];
}

export interface ChanSipConfig {
  present: boolean;
  file?: string;
  general: {
    context: Located;
    allowguest: boolean;
    alwaysauthreject: boolean;
    allowexternaldomains: boolean;
    autodomain: boolean;
    allowoverlap: 'yes' | 'no' | 'dtmf';
    domains: { domain: string; context?: string; location: SourceLocation }[];
  };
  peers: Map<string, SipPeer>;
}

export interface AsteriskModel extends ModelBase {
  platform: 'asterisk';
  dialplan: Dialplan;
  pjsip: PjsipConfig;
  sip: ChanSipConfig;
  /** features.conf `pickupexten` (default `*8`): chan_pjsip routes it even without an extension. */
  pickupexten: string;
}
