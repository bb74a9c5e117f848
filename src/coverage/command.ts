/**
 * `pbxlint coverage` as a library call, and its text and HTML renderings (JSON is the report
 * itself, with paths made relative).
 *
 * Exit codes (README, --help):
 *   0  the map is complete and no class the dialplan accepts is rejected;
 *   1  some class that an extension/condition/statement of the configuration takes (its `via`
 *      names it) ends rejected — numbers the configuration means to handle get a failure status.
 *      (The strings no extension takes get 404 by design: they do not fail the run.)
 *   2  usage or configuration error;
 *   3  otherwise complete, but some class is not modelled (its outcome is `depends` on
 *      something pbxlint cannot compute: a construct not modelled, a budget reached).
 */
import * as path from 'path';
import type { Platform } from '../core/findings';
import { engineFor, type LoadOptions } from '../engines';
import { loadOneRoot } from '../route';
import { RouteUsageError, type RouteRequest } from '../resolvers/types';
import { fromStrings, toRegex } from '../automata/dfa';
import { runCoverage } from './run';
import { streamJson } from '../reporters/json-stream';
import type { CoverageClass, CoverageReport, DomainClass, EntryCoverage } from './types';

export interface CoverageCommandOptions extends LoadOptions, Omit<RouteRequest, 'user' | 'method' | 'observe'> {
  platform?: Platform;
  maxLength?: number;
  maxClasses?: number;
}

/**
 * Finds the one configuration root under `paths` as route does (a named file is read as route
 * reads it: a root, or an include fragment placed in the root that includes it), loads it and
 * maps it. Throws RouteUsageError for usage problems.
 */
export function coverageCommand(paths: string[], options: CoverageCommandOptions): CoverageReport {
  const model = loadOneRoot(paths, options);
  const engine = engineFor(model.platform);
  if (!engine?.coverage) throw new RouteUsageError(`coverage is not available for ${model.platform} yet`);
  const base: RouteRequest = {
    user: '',
    method: 'INVITE',
    domain: options.domain,
    context: options.context,
    endpoint: options.endpoint,
    profile: options.profile,
    callerId: options.callerId,
    fromUser: options.fromUser,
    fromDomain: options.fromDomain,
    sourceIp: options.sourceIp,
    userAgent: options.userAgent,
    registered: options.registered,
    time: options.time,
  };
  // The engine's coverage is typed by its own model; the loaded model is that engine's.
  const coverage = engine.coverage as Parameters<typeof runCoverage>[1];
  return runCoverage(model.platform, coverage, model, { base, maxLength: options.maxLength, maxClasses: options.maxClasses });
}

/** Exit code of a map (see the header). */
export function coverageExitCode(report: CoverageReport): number {
  let notModelled = false;
  for (const e of report.entries) {
    if (e.notes?.length) notModelled = true;
    for (const c of e.classes) {
      if (c.verdict === 'rejected' && c.via?.extension !== undefined) return 1;
      if (c.notModelled?.length) notModelled = true;
    }
  }
  return notModelled ? 3 : 0;
}

/** The report with file paths relative to `cwd` (as route's JSON). */
export function relativizeReport(report: CoverageReport, cwd: string): CoverageReport {
  const rel = relativeTo(cwd);
  return relativeShell(report, rel, (classes) => classes.map((c) => relativeClass(c, rel)));
}

/**
 * The JSON of `relativizeReport(report, cwd)`, the text of `JSON.stringify(…, null, 2)` + "\n",
 * a piece at a time: each class is copied with its relative path only when it is written. The
 * 50,000-extension bench's map is 218 MB of JSON; made as one string it needed ~1.4 GB of memory.
 */
export function writeCoverageJson(report: CoverageReport, cwd: string, emit: (s: string) => void): void {
  const rel = relativeTo(cwd);
  const classLists = new Set<readonly unknown[]>();
  const shell = relativeShell(report, rel, (classes) => {
    classLists.add(classes);
    return classes;
  });
  // report → entries → entry → classes → class: the classes are the fifth level.
  streamJson(shell, emit, 4, (element, array) => (classLists.has(array) ? relativeClass(element as CoverageClass, rel) : element));
}

function relativeTo(cwd: string): (file: string) => string {
  const done = new Map<string, string>();
  return (f) => {
    let r = done.get(f);
    if (r === undefined) done.set(f, (r = path.relative(cwd, f) || f));
    return r;
  };
}

function relativeShell(report: CoverageReport, rel: (f: string) => string, classesOf: (classes: CoverageClass[]) => CoverageClass[]): CoverageReport {
  return {
    ...report,
    entries: report.entries.map((e) => ({
      ...e,
      entry: { ...e.entry, file: rel(e.entry.file) },
      classes: classesOf(e.classes),
      ...(e.domains ? { domains: e.domains.map((d) => ({ ...d, via: d.via ? { ...d.via, file: rel(d.via.file) } : null })) } : {}),
    })),
  };
}

function relativeClass(c: CoverageClass, rel: (f: string) => string): CoverageClass {
  return { ...c, via: c.via ? { ...c.via, file: rel(c.via.file) } : null };
}

/** How a class is named in tables: its pattern notation, else its regex (shortened). */
export function className(c: CoverageClass, max = 48): string {
  if (c.pattern) return c.pattern;
  const body = c.regex.replace(/^\^\(\?:/, '').replace(/\)\$$/, '');
  return body.length > max ? `/${body.slice(0, max - 1)}…/` : `/${body}/`;
}

/** A class's outcome in a few words: "routed → PJSIP/1001", "rejected 404", "depends (…)". */
export function outcomeText(c: CoverageClass): string {
  if (c.verdict === 'routed') return `routed${c.target ? ` → ${c.target.name}` : ''}`;
  if (c.verdict === 'rejected') return `rejected${c.status !== null ? ` ${c.status}` : ''}`;
  if (c.notModelled?.length) return `not modelled: ${c.notModelled[0]}`;
  const ways = (c.outcomes ?? []).map((o) => (o.verdict === 'routed' ? `routed${o.target ? ` → ${o.target.name}` : ''}` : `${o.status ?? 'rejected'}`));
  return `depends: ${[...new Set(ways)].join(' / ')}`;
}

function entryTitle(e: EntryCoverage): string {
  const also = e.entry.alsoFrom?.length ? ` (and ${e.entry.alsoFrom.length} more with the same map: ${e.entry.alsoFrom.slice(0, 5).join(', ')}${e.entry.alsoFrom.length > 5 ? ', …' : ''})` : '';
  return `${e.entry.kind} ${e.entry.name}${also}`;
}

/**
 * The number formats each class holds whole, as one line: "10-digit → routed …; +1NXXNXXXXXX → 404".
 * A format split over several classes is "mixed".
 */
export function formatSummary(e: EntryCoverage): string {
  const whole = new Map<string, string>();
  const seen = new Set<string>();
  for (const c of e.classes) {
    for (const f of c.formats ?? []) {
      const name = f.replace(/^(all|some|one) /, '');
      seen.add(name);
      if (!/^(some|one) /.test(f)) whole.set(name, outcomeText(c));
    }
  }
  const parts: string[] = [];
  for (const name of seen) parts.push(`${name.replace(/ \(.*\)$/, '')} → ${whole.get(name) ?? 'mixed'}`);
  return parts.join('; ');
}

/** The formats of a class, short ("10-digit, 7-digit…"): those it holds whole, else those it meets. */
function shortFormats(c: CoverageClass): string {
  const f = c.formats ?? [];
  const whole = f.filter((x) => !/^(some|one) /.test(x));
  const list = (whole.length ? whole : f).map((x) => x.replace(/^all /, '').replace(/ \(.*\)$/, ''));
  const text = list.join(', ');
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

type Row = CoverageClass & { shownOutcome?: string };

/**
 * Classes of one number each that end alike but for the number itself ("routed →
 * VoiceMail(1004@default,u)", "… 1005 …") are one row in text and html: the numbers as one regex
 * and the outcome with `${EXTEN}` for the number. (The JSON keeps every class.)
 */
export function displayRows(classes: readonly CoverageClass[]): Row[] {
  const groups = new Map<string, CoverageClass[]>();
  const rows: (Row | CoverageClass[])[] = [];
  for (const c of classes) {
    const single = c.pattern !== undefined && c.pattern === c.example && c.example !== '';
    if (!single) { rows.push(c); continue; }
    // NUL is in no path or outcome text: the three parts cannot run into each other.
    const key = `${c.via?.file}\u0000${c.via?.line}\u0000${outcomeText(c).split(c.example).join('${EXTEN}')}`;
    const g = groups.get(key);
    if (g) g.push(c);
    else { const list = [c]; groups.set(key, list); rows.push(list); }
  }
  return rows.map((r) => {
    if (!Array.isArray(r)) return r;
    if (r.length === 1) return r[0];
    const numbers = r.map((c) => c.example);
    const regex = toRegex(fromStrings(numbers));
    const first = r[0];
    return { ...first, pattern: undefined, regex, example: first.example, formats: first.formats?.map((f) => f.replace(/^one /, 'some ')), shownOutcome: `${outcomeText(first).split(first.example).join('${EXTEN}')} (${r.length} numbers)` };
  });
}

/** Most classes listed per entry in text (the JSON has all). */
const TEXT_CLASSES = 60;

export function renderCoverageText(report: CoverageReport, cwd: string): string {
  const rel = (f: string) => path.relative(cwd, f) || f;
  const out: string[] = [];
  for (const e of report.entries) {
    out.push(`from ${entryTitle(e)} — ${rel(e.entry.file)}:${e.entry.line}`);
    const summary = formatSummary(e);
    if (summary) out.push(`  ${summary}`);
    const all = displayRows(e.classes);
    const rows = all.slice(0, TEXT_CLASSES).map((c) => [className(c, 36), shortFormats(c), c.pattern === c.example ? '' : c.example === '' ? '""' : c.example, c.shownOutcome ?? outcomeText(c), c.via ? `${rel(c.via.file)}:${c.via.line}` : '']);
    const heads = ['class', 'formats', 'e.g.', 'outcome'];
    const widths = heads.map((h, i) => Math.min(i === 3 ? 70 : 40, Math.max(...rows.map((r) => r[i].length), h.length)));
    out.push(`  ${heads.map((h, i) => h.padEnd(widths[i])).join('  ')}  at`);
    for (const r of rows) out.push(`  ${r.slice(0, 4).map((x, i) => x.padEnd(widths[i])).join('  ')}  ${r[4]}`.trimEnd());
    const shown = all.length;
    if (shown > TEXT_CLASSES) out.push(`  … ${shown - TEXT_CLASSES} more rows (--format json lists every class)`);
    for (const n of e.notes ?? []) out.push(`  note: ${n}`);
    for (const d of e.domains ?? []) out.push(`  host ${d.example} (${d.local ? 'local' : 'not local'}) → ${domainOutcome(d)} — ${d.description}`);
    out.push('');
  }
  return out.join('\n');
}

/** A domain class's outcome in words (the Request-URI host map, issue 14 "Domains"). */
function domainOutcome(d: DomainClass): string {
  return d.verdict === 'rejected' ? `rejected ${d.status ?? '(no reply)'}` : d.verdict === 'routed' ? 'routed' : 'depends on the number';
}

function domainsHtml(e: EntryCoverage, link: (file: string, line: number) => string): string {
  if (!e.domains?.length) return '';
  const rows = e.domains.map((d) => `<tr class="host ${d.verdict}-host"><td><code>${esc(d.regex)}</code></td><td>${d.local ? 'local' : 'not local'}</td><td>${esc(domainOutcome(d))}</td><td>${esc(d.description)}</td><td>${d.via ? link(d.via.file, d.via.line) : ''}</td></tr>`);
  return `<table class="domains"><thead><tr><th>Request-URI host</th><th></th><th>outcome</th><th></th><th>at</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** One self-contained page (no script, no network): per entry a format map and the class table, coloured by outcome. */
export function renderCoverageHtml(report: CoverageReport, cwd: string): string {
  const parts: string[] = [];
  writeCoverageHtml(report, cwd, (s) => parts.push(s));
  return parts.join('');
}

/** renderCoverageHtml's page a piece at a time (a row per piece: the bench's page is 71 MB). */
export function writeCoverageHtml(report: CoverageReport, cwd: string, emit: (s: string) => void): void {
  const rel = (f: string) => path.relative(cwd, f) || f;
  const link = (file: string, line: number) => `<a href="${esc(`file://${path.resolve(cwd, file)}`)}#L${line}">${esc(`${rel(file)}:${line}`)}</a>`;
  const colour = (c: CoverageClass) => (c.verdict === 'routed' ? 'routed' : c.verdict === 'rejected' ? 'rejected' : 'depends');
  emit(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>pbxlint coverage (${esc(report.platform)})</title>
<style>
body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
tr.routed td:first-child,.cell.routed{background:#c8f0c8}tr.rejected td:first-child,.cell.rejected{background:#f6c6c6}tr.depends td:first-child,.cell.depends{background:#f8e6a8}tr.routed-host td:first-child{background:#c8f0c8}tr.rejected-host td:first-child{background:#f6c6c6}tr.depends-host td:first-child{background:#f8e6a8}
.map{display:flex;flex-wrap:wrap;gap:2px;margin:.5em 0}.cell{padding:.1em .4em;border-radius:3px;font:12px monospace}
.where,.note{color:#666}.legend span{margin-right:1em;padding:.1em .4em}
</style></head><body>
<h1>pbxlint coverage — ${esc(report.platform)}</h1>
<p class="legend"><span class="cell routed">routed</span><span class="cell rejected">rejected</span><span class="cell depends">depends / not modelled</span></p>
`);
  report.entries.forEach((e, i) => {
    const shown = displayRows(e.classes);
    if (i > 0) emit('\n');
    emit(`<section id="entry-${i}"><h2>${esc(entryTitle(e))}</h2><p class="where">${link(e.entry.file, e.entry.line)}</p>
<p class="summary">${esc(formatSummary(e))}</p>
<div class="map">`);
    for (const c of shown) emit(`<span class="cell ${colour(c)}" title="${esc(`${className(c, 200)}: ${c.shownOutcome ?? outcomeText(c)}`)}">${esc(c.pattern ?? c.example ?? '')}</span>`);
    emit(`</div>
<table><thead><tr><th>class</th><th>formats</th><th>outcome</th><th>example</th><th>at</th></tr></thead><tbody>
`);
    shown.forEach((c, j) => emit(`${j > 0 ? '\n' : ''}<tr class="${colour(c)}"><td><code>${esc(className(c, 80))}</code></td><td>${esc(c.description)}</td><td>${esc(c.shownOutcome ?? outcomeText(c))}</td><td><code>${esc(c.example)}</code></td><td>${c.via ? link(c.via.file, c.via.line) : ''}</td></tr>`));
    emit(`
</tbody></table>${(e.notes ?? []).map((n) => `<p class="note">${esc(n)}</p>`).join('')}${domainsHtml(e, link)}</section>`);
  });
  emit(`
</body></html>
`);
}
