/**
 * Module tables kept in db_text, which pbxlint can read like Kamailio does at start-up: the domain
 * table (domain module, src/modules/domain/domain.c reload_tables; with register_myself=1 its
 * domains are "myself", domain_mod.c register_check_self_func), the permissions address table
 * (src/modules/permissions/address.c, loaded at start-up) and the alias_db table (queried per
 * request, src/modules/alias_db/alookup.c).
 *
 * db_text (src/modules/db_text/dbt_base.c): `text:///abs/dir` names a directory holding one file
 * per table; a relative `text://dir` is taken under the build's CFG_DIR, which pbxlint cannot know.
 * A table file's first line declares the columns (`id(int,auto) domain(string) …`), each further
 * line is one row with fields separated by ':' (a literal ':' is written `\:`).
 */
import * as path from 'path';
import type { LoadIssue } from '../../core/findings';
import { readConfigText, splitLines } from '../../core/files';
import type { ModParam } from './parser';

export interface DbTextTable {
  /** Rows as column name → value. */
  rows: Record<string, string>[];
  file: string;
}

function splitRow(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\' && i + 1 < line.length) {
      cur += line[++i];
    } else if (line[i] === ':') {
      out.push(cur);
      cur = '';
    } else cur += line[i];
  }
  out.push(cur);
  return out;
}

/** The module's db_text directory, or undefined (another database, or a relative path). */
function dbTextDir(modparams: ModParam[], module: string, issues: LoadIssue[]): { dir: string; at: ModParam['location'] } | undefined {
  const url = modparams.filter((p) => p.module === module && p.param === 'db_url').pop();
  if (!url || typeof url.value !== 'string') return undefined;
  const m = /^text:\/\/(.*)$/.exec(url.value);
  if (!m) return undefined; // a SQL database: not visible
  if (!m[1].startsWith('/')) {
    issues.push({ kind: 'not-modelled', severity: 'info', location: url.location, message: `${module}: db_text path "${m[1]}" is relative to Kamailio's build-time CFG_DIR; its tables are not read` });
    return undefined;
  }
  return { dir: m[1], at: url.location };
}

/** Reads table `table` of `module`'s db_text database; undefined when it is not a readable db_text table. */
export function readDbTextTable(modparams: ModParam[], module: string, table: string, issues: LoadIssue[]): DbTextTable | undefined {
  const where = dbTextDir(modparams, module, issues);
  if (!where) return undefined;
  const file = path.join(where.dir, table);
  const r = readConfigText(file);
  if (!r.ok) {
    issues.push({ kind: 'not-modelled', severity: 'info', location: where.at, message: `${module}: table ${file} cannot be read (${r.issue.message}); its content is unknown` });
    return undefined;
  }
  const lines = splitLines(r.text).filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').trim().split(/\s+/).map((h) => h.replace(/\(.*$/, ''));
  const rows = lines.slice(1).map((l) => {
    const cells = splitRow(l);
    // No prototype: a column named `__proto__` is stored like any other, and a domain_col such as
    // `constructor` that names no column reads undefined, not an Object.prototype member.
    const row: Record<string, string> = Object.create(null);
    header.forEach((h, i) => (row[h] = cells[i] ?? ''));
    return row;
  });
  return { rows, file };
}

export function modparamString(modparams: ModParam[], module: string, param: string, fallback: string): string {
  const p = modparams.filter((x) => x.module === module && x.param === param).pop();
  return p === undefined ? fallback : String(p.value);
}

export interface DomainTable {
  domains: string[];
  file: string;
}

export function readDomainTable(modparams: ModParam[], issues: LoadIssue[]): DomainTable | undefined {
  const t = readDbTextTable(modparams, 'domain', modparamString(modparams, 'domain', 'domain_table', 'domain'), issues);
  if (!t) return undefined;
  const column = modparamString(modparams, 'domain', 'domain_col', 'domain');
  return { domains: t.rows.map((r) => (r[column] ?? '').trim().toLowerCase()).filter((d) => d !== ''), file: t.file };
}

/** One permissions address-table entry (grp, ip_addr, mask, port; port 0 = any). */
export interface AddressEntry {
  group: number;
  ip: string;
  mask: number;
  port: number;
}

export function readAddressTable(modparams: ModParam[], issues: LoadIssue[]): { entries: AddressEntry[]; file: string } | undefined {
  const t = readDbTextTable(modparams, 'permissions', modparamString(modparams, 'permissions', 'address_table', 'address'), issues);
  if (!t) return undefined;
  const entries = t.rows
    .map((r) => ({ group: Number(r.grp ?? 1), ip: (r.ip_addr ?? '').trim(), mask: r.mask === undefined || r.mask === '' ? 32 : Number(r.mask), port: Number(r.port || 0) }))
    .filter((e) => e.ip !== '' && Number.isFinite(e.group));
  return { entries, file: t.file };
}
