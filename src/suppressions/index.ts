/**
 * Inline suppressions: `pbxlint-disable-next-line RULE[, RULE]` and `pbxlint-disable-file [RULE…]`
 * in each file's own comment syntax (syntax.ts). Applied after the rules ran on one model; a
 * directive that suppresses nothing is reported as `unused-suppression`, so stale comments do not
 * pile up (as ESLint's --report-unused-disable-directives does).
 */
import * as fs from 'fs';
import type { Finding, Platform, Severity } from '../core/findings';
import { MAX_CONFIG_FILE_BYTES, readConfigText, splitLines } from '../core/files';
import { commentSyntaxFor, parseDirective } from './syntax';

export const UNUSED_SUPPRESSION = 'unused-suppression';

interface Directive {
  file: string;
  line: number;
  column: number;
  kind: 'disable-next-line' | 'disable-file';
  rules: string[];
  /** The line a next-line directive applies to. */
  target: number;
  used: Set<string>;
  usedAny: boolean;
}

const MARKER = 'pbxlint-disable';
const MARKER_BYTES = Buffer.from(MARKER);

/**
 * Whether a file's bytes contain the (ASCII) marker. Most files hold no directive: searching
 * them in chunks spares reading a big dialplan whole and decoding it again after the parser did
 * (3 ms instead of 10 on a 6 MB extensions.conf). On any error: true, and readConfigText decides.
 */
function mentionsMarker(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    if (fs.fstatSync(fd).size > MAX_CONFIG_FILE_BYTES) return true; // not scanned: readConfigText refuses it
    const buf = Buffer.allocUnsafe(1 << 16);
    let kept = 0; // the previous chunk's last bytes, so a marker across two chunks is seen
    for (;;) {
      const n = fs.readSync(fd, buf, kept, buf.length - kept, null);
      if (n === 0) return false;
      const end = kept + n;
      if (buf.subarray(0, end).includes(MARKER_BYTES)) return true;
      kept = Math.min(MARKER_BYTES.length - 1, end);
      buf.copy(buf, 0, end - kept, end);
    }
  } catch {
    return true;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Directives of one file; files without the marker text are not decoded or split into lines. */
export function directivesOf(file: string, platform: Platform): Directive[] {
  if (!mentionsMarker(file)) return [];
  const read = readConfigText(file);
  if (!read.ok || !read.text.includes(MARKER)) return [];
  const syntax = commentSyntaxFor(file, platform);
  const lines = splitLines(read.text);
  const out: Directive[] = [];
  const pending: Directive[] = [];
  for (let i = 0; i < lines.length; i++) {
    const d = lines[i].includes(MARKER) ? parseDirective(lines[i], syntax) : null;
    if (d) {
      const directive: Directive = { file, line: i + 1, column: d.column, kind: d.kind, rules: d.rules, target: 0, used: new Set(), usedAny: false };
      out.push(directive);
      // Stacked next-line directives all apply to the first line that is not a directive.
      if (d.kind === 'disable-next-line') pending.push(directive);
      continue;
    }
    for (const p of pending) p.target = i + 1;
    pending.length = 0;
  }
  return out;
}

export interface SuppressionOptions {
  platform: Platform;
  /** Files to look for directives in (the model's sources); files of findings are added. */
  files: string[];
  /** Rules that ran on this model: only their directives can be judged unused. */
  activeRules: Set<string>;
  /** Severity of `unused-suppression` findings, or 'off'. */
  unusedSeverity: Severity | 'off';
  /** Every rule id pbxlint knows; a directive naming another id is reported. */
  knownRules: { has(id: string): boolean };
}

export function applySuppressions(findings: Finding[], options: SuppressionOptions): Finding[] {
  // Plain loops: a lint of a broken dialplan passes 40,000 findings here, in cold code.
  const files = new Set(options.files);
  for (let i = 0; i < findings.length; i++) files.add(findings[i].file);
  const byFile = new Map<string, Directive[]>();
  for (const file of files) {
    const list = directivesOf(file, options.platform);
    if (list.length) byFile.set(file, list);
  }
  if (byFile.size === 0) return findings;
  const kept: Finding[] = [];
  for (const f of findings) {
    const list = byFile.get(f.file);
    const hit = list?.find((d) => (d.kind === 'disable-file' || d.target === f.line) && (d.rules.length === 0 || d.rules.includes(f.ruleId)));
    if (!hit || f.ruleId === UNUSED_SUPPRESSION || f.ruleId === 'internal-error') {
      kept.push(f);
      continue;
    }
    hit.usedAny = true;
    hit.used.add(f.ruleId);
  }
  if (options.unusedSeverity === 'off') return kept;
  for (const list of byFile.values()) {
    for (const d of list) {
      const what = `pbxlint-${d.kind}`;
      const unused: string[] = [];
      if (d.rules.length === 0) {
        if (!d.usedAny) unused.push('');
      } else {
        for (const r of d.rules) {
          if (!options.knownRules.has(r)) {
            kept.push(unusedFinding(d, options, `${what} names "${r}", which is not a pbxlint rule (see \`pbxlint rules\`)`, `correct the rule id or remove it from the comment`));
            continue;
          }
          if (options.activeRules.has(r) && !d.used.has(r)) unused.push(r);
        }
      }
      for (const r of unused) {
        const where = d.kind === 'disable-file' ? 'in this file' : d.target ? `on line ${d.target}` : 'after it (end of file)';
        const message = r ? `${what} ${r}: no ${r} finding ${where} to suppress` : `${what}: no finding ${where} to suppress`;
        kept.push(unusedFinding(d, options, message, r && d.rules.length > 1 ? `remove ${r} from the comment` : 'remove the comment'));
      }
    }
  }
  return kept;
}

function unusedFinding(d: Directive, options: SuppressionOptions, message: string, fix: string): Finding {
  return {
    ruleId: UNUSED_SUPPRESSION,
    severity: options.unusedSeverity as Severity,
    file: d.file,
    line: d.line,
    column: d.column,
    message,
    wire: 'nothing: the comment changes no finding, so it would hide a future problem on that line without reason',
    fix,
    platform: options.platform,
  };
}
