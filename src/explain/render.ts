/** Text and JSON renderings of an explain report (file paths relative to the working directory, like route's). */
import * as path from 'path';
import type { ExplainReport, ExplainedTransaction } from './index';

export function relativizeReport(report: ExplainReport, cwd: string): ExplainReport {
  const rel = (f: string) => path.relative(cwd, f) || f;
  return { ...report, transactions: report.transactions.map((t) => ({ ...t, cause: t.cause ? { ...t.cause, file: rel(t.cause.file) } : null })) };
}

export function renderExplainText(report: ExplainReport, cwd: string, color: boolean): string {
  const paint = (code: string, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const rel = (f: string) => path.relative(cwd, f) || f;
  const out: string[] = [];
  const at = (t: ExplainedTransaction) => (t.frames ? `frame ${t.frames[0]}` : `line ${t.lines![0]}`);
  for (const t of report.transactions) {
    const wire = t.status === null ? paint('33;1', 'no final reply') : paint('31;1', `${t.status}${t.reason ? ` ${t.reason}` : ''}`);
    out.push(`${paint('1', `${at(t)}  ${t.method} ${t.ruri}`)}${t.source ? ` from ${t.source}` : ''} → ${wire}`);
    out.push(`  Call-ID ${t.call_id}, CSeq ${t.cseq}; ${t.frames ? `frames ${t.frames.join(', ')}` : `lines ${t.lines!.join(', ')}`}`);
    if (t.predicted) {
      const p = t.predicted;
      const head = p.verdict === 'routed' ? 'routed' : p.verdict === 'depends' ? 'depends' : `rejected${p.status !== null ? ` → ${p.status}` : ''}`;
      const verdict = t.agrees ? paint('32', 'agrees with the wire') : paint('31;1', 'DISAGREES with the wire');
      out.push(`  pbxlint: ${head} — ${verdict}`);
    } else out.push(`  pbxlint: ${paint('36', 'not simulated')}`);
    if (t.cause) out.push(`  ${paint('2', `${rel(t.cause.file)}:${t.cause.line}`)}  ${t.cause.text}`);
    out.push(`  ${t.explanation}`);
    for (const h of t.hints) out.push(`  ${paint('33', 'hint:')} ${h}`);
    out.push('');
  }
  const s = report.summary;
  for (const d of report.diagnostics) out.push(paint('36', `${d.frame !== undefined ? `frame ${d.frame}: ` : d.line !== undefined ? `line ${d.line}: ` : ''}${d.message}`));
  out.push(
    `${s.messages} SIP message(s) (${report.format}), ${s.transactions} transaction(s) in ${s.dialogs} dialog(s); ${s.failed} failed on the server: ${s.agree} explained by the configuration, ${s.disagree} not (the failure came from elsewhere), ${s.not_simulated} not simulated`,
  );
  return out.join('\n') + '\n';
}
