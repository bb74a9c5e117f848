import type { SourceLocation } from './location';

export type Severity = 'error' | 'warning' | 'info';
export type Platform = 'asterisk' | 'kamailio' | 'freeswitch';
export const PLATFORMS: readonly Platform[] = ['asterisk', 'kamailio', 'freeswitch'];

/**
 * One finding as the reporters print it. `wire` says what happens on the network
 * ("INVITE for +12025551234 from trunk-a → 404"), `fix` says what to change.
 * A rule that finds thousands reports them deferred (src/rules/deferred.ts): the texts and the
 * position are then getters, so copy a finding with `plainFinding(f)`, not `{ ...f }`.
 */
export interface Finding {
  ruleId: string;
  severity: Severity;
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  message: string;
  wire?: string;
  fix?: string;
  platform?: Platform;
  /** Other places that matter for this finding (the include that pulled a file in, the other duplicate…). */
  related?: { file: string; line: number; column: number; message: string }[];
  /**
   * The whole class of dialled numbers a finding is about, one per number format (issue 14: the
   * number-format rules name every number of a format that fails, not one example).
   */
  numbers?: FindingNumbers[];
}

/** A class of dialled numbers of one format and what they get (see Finding.numbers). */
export interface FindingNumbers {
  /** The number format ("+1NXXNXXXXXX (E.164 NANP)"). */
  format: string;
  /** What the class gets: "rejected" (status set), "depends". */
  verdict: 'rejected' | 'depends';
  status: number | null;
  /** Anchored ECMAScript regular expression matching exactly the class; absent when too large to write out. */
  regex?: string;
  /** The class in the engine's own notation, where one says it (Asterisk: `_+1NXXNXXXXXX`). */
  pattern?: string;
  /** How many numbers the class holds ('infinite' for an unbounded one). */
  count: number | 'infinite';
  /** The class in words: "all 8,000,000,000 numbers of +1NXXNXXXXXX", "all but 3 …". */
  description: string;
  /** A shortest member (smallest in dialable order). */
  example: string;
  /** The configuration line that decides the class's outcome. */
  via?: { file: string; line: number };
}

/**
 * Something the loader met while reading configuration: a syntax error, an `#exec` it refused to run,
 * a construct it does not model. Loaders never throw on input; they record one of these and go on.
 */
export type LoadIssueKind =
  | 'parse-error' // the engine would reject or misread this
  | 'unreadable' // binary, too large, unreadable, not UTF-8 text
  | 'include-missing' // an include names a file that does not exist
  | 'include-cycle' // a file includes itself, directly or not
  | 'exec' // a directive that runs a command; recorded, never run
  | 'not-modelled'; // understood syntactically, but pbxlint cannot predict its effect

export interface LoadIssue {
  kind: LoadIssueKind;
  severity: Severity;
  location: SourceLocation;
  message: string;
}
