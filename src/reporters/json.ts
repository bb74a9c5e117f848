import * as path from 'path';
import type { Finding } from '../core/findings';
import type { ReportContext } from './types';

/** `[{ruleId, severity, file, line, column, message, …}]`; file paths relative to the working directory. */
export function json(findings: Finding[], ctx: ReportContext): string {
  return JSON.stringify(findings.map((f) => ({ ...f, file: path.relative(ctx.cwd, f.file) || f.file, related: f.related?.map((r) => ({ ...r, file: path.relative(ctx.cwd, r.file) || r.file })) })), null, 2) + '\n';
}
