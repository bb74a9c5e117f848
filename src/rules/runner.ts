import type { Finding, Severity } from '../core/findings';
import type { AnyModel } from '../model';
import { routeWith } from '../engines';
import type { RouteAnswer, RouteRequest } from '../resolvers/types';
import type { AnyRule, Report } from './api';
import { walkModel } from './walk';
import { DataFinding, DeferredFinding, FindingKind, type DeferredReport, type FindingText } from './deferred';

/** Per-rule settings: a severity, 'off', or [severity, options]. */
export type RuleSetting = Severity | 'off' | 'warn' | [Severity | 'off' | 'warn', Record<string, unknown>];

export function normalizeSeverity(s: Severity | 'off' | 'warn'): Severity | 'off' {
  return s === 'warn' ? 'warning' : s;
}

/**
 * Runs every applicable rule on one model: each rule's check, then one walk over the model for
 * the visitors the checks returned (./walk). A rule that throws is a pbxlint bug: it becomes an
 * `internal-error` finding and the other rules still run.
 */
export function runRules(model: AnyModel, rules: AnyRule[], settings: Record<string, RuleSetting> = {}): Finding[] {
  const routeCache = new Map<string, RouteAnswer>();
  const route = (request: RouteRequest): RouteAnswer => {
    const key = JSON.stringify(request);
    let answer = routeCache.get(key);
    if (!answer) {
      answer = routeWith(model, request);
      routeCache.set(key, answer);
    }
    return answer;
  };
  // Each rule's findings on their own, joined in rule order at the end: a rule that visits finds
  // during the shared walk, interleaved with the others.
  const byRule: Finding[][] = [];
  /** The id of the rule of each list in byRule. */
  const ruleIds: string[] = [];
  const visiting: { rule: AnyRule; findings: Finding[]; visitor: object }[] = [];
  const failed = (rule: AnyRule, findings: Finding[], e: unknown) => {
    findings.push({
      ruleId: 'internal-error',
      severity: 'error',
      file: model.mainFile ?? model.root,
      line: 1,
      column: 1,
      message: `rule ${rule.id} failed: ${(e as Error)?.message ?? String(e)}. This is a pbxlint bug; the other rules ran.`,
      platform: model.platform,
    });
  };
  for (const rule of rules) {
    if (!rule.platforms.includes(model.platform)) continue;
    const setting = settings[rule.id];
    const [sevSetting, options] = Array.isArray(setting) ? setting : [setting, {}];
    const severity = sevSetting === undefined ? rule.defaultSeverity : normalizeSeverity(sevSetting);
    if (severity === 'off') continue;
    const findings: Finding[] = [];
    byRule.push(findings);
    ruleIds.push(rule.id);
    // What this rule's deferred findings share, made again only when a report changes severity or text.
    let kind: FindingKind | undefined;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const kindOf = (build: (data: any) => FindingText, sev: Severity) => {
      if (kind === undefined || kind.severity !== sev || kind.build !== build) kind = new FindingKind(rule.id, sev, model.platform, build);
      return kind;
    };
    const findingKind = <F>(text: (finding: F) => FindingText, sev?: Severity) => kindOf(text, sev ?? severity);
    const report = <D>(r: Report | DeferredReport<D> | DeferredFinding) => {
      if (r instanceof DeferredFinding) {
        findings.push(r);
        return;
      }
      if ('text' in r) {
        findings.push(new DataFinding(kindOf(r.text, r.severity ?? severity), r.location, r.data));
        return;
      }
      findings.push({
        ruleId: rule.id,
        severity: r.severity ?? severity,
        file: r.location.file,
        line: r.location.line,
        column: r.location.column,
        endLine: r.location.endLine,
        endColumn: r.location.endColumn,
        message: r.message,
        wire: r.wire,
        fix: r.fix,
        platform: model.platform,
        related: r.related?.map((x) => ({ file: x.location.file, line: x.location.line, column: x.location.column, message: x.message })),
        ...(r.numbers ? { numbers: r.numbers } : {}),
      });
    };
    try {
      const visitor = rule.check({ model, route, options: options ?? {}, report, findingKind });
      if (visitor) visiting.push({ rule, findings, visitor });
    } catch (e) {
      failed(rule, findings, e);
    }
  }
  walkModel(
    model,
    visiting.map((v) => v.visitor),
    (i, e) => failed(visiting[i].rule, visiting[i].findings, e),
  );
  // Rules given twice (a list of rules built by a caller) find alike: their findings are compared together.
  const ids = new Set(ruleIds);
  return ids.size === ruleIds.length ? dedupe(byRule) : dedupeByPosition(byRule.flat());
}

/**
 * Drops repeated findings (same rule, position and message: a file included twice), keeping the
 * first, and joins the rules' lists in order. A rule's findings are compared only with its own
 * (the rule is part of what is repeated; an internal-error names its rule in the message). A
 * list whose positions only ever move forward, file by file (a rule reporting as the walk goes,
 * as one that finds 40,000 does), has no two findings at one position: it is kept as it is, with
 * no table of its positions.
 */
function dedupe(byRule: Finding[][]): Finding[] {
  const out: Finding[] = [];
  for (const findings of byRule) {
    const kept = movesForward(findings) ? findings : dedupeByPosition(findings);
    for (let i = 0; i < kept.length; i++) out.push(kept[i]);
  }
  return out;
}

/** Whether every finding is past the one before it in the same file, and no file comes back. */
function movesForward(findings: Finding[]): boolean {
  let file: string | undefined;
  let line = 0;
  let column = 0;
  let done: Set<string> | undefined;
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i];
    if (f.file !== file) {
      if (file !== undefined) (done ??= new Set()).add(file);
      if (done?.has(f.file)) return false;
      file = f.file;
    } else if (f.line < line || (f.line === line && f.column <= column)) return false;
    line = f.line;
    column = f.column;
  }
  return true;
}

/**
 * Findings are grouped by position first, and messages compared only where positions meet:
 * building a key with the message of every finding would build every deferred finding's texts.
 */
function dedupeByPosition(findings: Finding[]): Finding[] {
  const byPosition = new Map<string, Map<number, Finding | Finding[]>>();
  return findings.filter((f) => {
    let inFile = byPosition.get(f.file);
    if (!inFile) byPosition.set(f.file, (inFile = new Map()));
    // A small integer key (no heap number per finding): columns past 1023 share a key and are
    // told apart below.
    const at = f.line * 1024 + Math.min(f.column, 1023);
    const same = inFile.get(at);
    if (same === undefined) {
      inFile.set(at, f);
      return true;
    }
    const list = Array.isArray(same) ? same : [same];
    if (list.some((g) => g.ruleId === f.ruleId && g.column === f.column && g.message === f.message)) return false;
    list.push(f);
    inFile.set(at, list);
    return true;
  });
}

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)));
}
