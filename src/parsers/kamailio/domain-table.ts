/**
 * The domain module's table, when it is a db_text directory that pbxlint can read: the domains
 * Kamailio loads at start-up (domain module, src/modules/domain/domain.c reload_tables) and, with
 * register_myself=1, treats as "myself" (domain_mod.c register_check_self_func).
 *
 * db_text (src/modules/db_text/dbt_base.c): `text:///abs/dir` names a directory holding one file
 * per table; a relative `text://dir` is taken under the build's CFG_DIR, which pbxlint cannot know.
 * A table file's first line declares the columns (`id(int,auto) domain(string) …`), each further
 * line is one row with fields separated by ':' (a literal ':' is written `\:`).
 */
import * as path from 'path';
import type { LoadIssue } from '../../core/findings';
import { readConfigText, splitLines } from '../../core/files';
import type { SourceLocation } from '../../core/location';
import type { ModParam } from './parser';

export interface DomainTable {
  domains: string[];
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

export function readDomainTable(modparams: ModParam[], issues: LoadIssue[]): DomainTable | undefined {
  const param = (name: string) => modparams.filter((p) => p.module === 'domain' && p.param === name).pop();
  const url = param('db_url');
  if (!url || typeof url.value !== 'string') return undefined;
  const at: SourceLocation = url.location;
  const m = /^text:\/\/(.*)$/.exec(url.value);
  if (!m) return undefined; // a SQL database: not visible
  if (!m[1].startsWith('/')) {
    issues.push({ kind: 'not-modelled', severity: 'info', location: at, message: `db_text path "${m[1]}" is relative to Kamailio's build-time CFG_DIR; the domain table is not read` });
    return undefined;
  }
  const table = String(param('domain_table')?.value ?? 'domain');
  const column = String(param('domain_col')?.value ?? 'domain');
  const file = path.join(m[1], table);
  const r = readConfigText(file);
  if (!r.ok) {
    issues.push({ kind: 'not-modelled', severity: 'info', location: at, message: `domain table ${file} cannot be read (${r.issue.message}); its domains are unknown` });
    return undefined;
  }
  const lines = splitLines(r.text).filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').trim().split(/\s+/).map((h) => h.replace(/\(.*$/, ''));
  const idx = header.indexOf(column);
  if (idx < 0) {
    issues.push({ kind: 'not-modelled', severity: 'warning', location: at, message: `domain table ${file} has no "${column}" column` });
    return undefined;
  }
  const domains = lines.slice(1).map((l) => (splitRow(l)[idx] ?? '').trim().toLowerCase()).filter((d) => d !== '');
  return { domains, file };
}
