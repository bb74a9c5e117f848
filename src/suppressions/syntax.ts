/**
 * How a suppression comment is written in each configuration language. Chosen by the file's
 * extension first (an Asterisk .conf, a Kamailio .cfg, a FreeSWITCH .xml), then by the engine of
 * the root it was read for (Kamailio includes often end in .inc or .local). A new engine either
 * uses one of these or adds one line to BY_PLATFORM.
 */
import * as path from 'path';
import type { Platform } from '../core/findings';

export type CommentSyntax = 'semicolon' | 'hash' | 'xml';

const BY_EXTENSION: Record<string, CommentSyntax> = { '.conf': 'semicolon', '.cfg': 'hash', '.xml': 'xml' };
const BY_PLATFORM: Record<Platform, CommentSyntax> = { asterisk: 'semicolon', kamailio: 'hash', freeswitch: 'xml' };

export function commentSyntaxFor(file: string, platform: Platform): CommentSyntax {
  return BY_EXTENSION[path.extname(file).toLowerCase()] ?? BY_PLATFORM[platform];
}

/**
 * A whole-line comment holding a directive: `; pbxlint-…` (Asterisk config files: `;` starts a
 * comment, main/config.c), `# pbxlint-…` or `// pbxlint-…` (Kamailio cfg.lex; `#!` preprocessor
 * directives are not matched because a space or the directive must follow `#`), `<!-- pbxlint-… -->`.
 * Group 1: the column offset of the comment; group 2: the directive; group 3: the rule list.
 */
const PATTERNS: Record<CommentSyntax, RegExp> = {
  semicolon: /^(\s*);+\s*pbxlint-(disable-next-line|disable-file)\b(.*)$/,
  hash: /^(\s*)(?:#|\/\/)\s*pbxlint-(disable-next-line|disable-file)\b(.*)$/,
  xml: /^(\s*)<!--\s*pbxlint-(disable-next-line|disable-file)\b(.*?)-->\s*$/,
};

export interface DirectiveText {
  kind: 'disable-next-line' | 'disable-file';
  column: number;
  /** Rule ids named; empty = every rule. */
  rules: string[];
}

export function parseDirective(line: string, syntax: CommentSyntax): DirectiveText | null {
  const m = PATTERNS[syntax].exec(line);
  if (!m) return null;
  // `-- reason` after the rule list is a free-text justification, as in ESLint.
  const list = m[3].split(/\s--\s|\s--$/)[0];
  const rules = list
    .split(/[\s,]+/)
    .map((r) => r.trim())
    .filter(Boolean);
  return { kind: m[2] as DirectiveText['kind'], column: m[1].length + 1, rules };
}
