import * as fs from 'fs';
import type { LoadIssue } from './findings';

/** Files larger than this are not read: no PBX configuration is this big, and reading it could exhaust memory. */
export const MAX_CONFIG_FILE_BYTES = 256 * 1024 * 1024;

export type ReadResult = { ok: true; text: string } | { ok: false; issue: LoadIssue };

/**
 * Reads a configuration file as text, refusing what no engine would read as configuration:
 * directories, binary files (a NUL byte), files over MAX_CONFIG_FILE_BYTES. Never throws.
 */
export function readConfigText(file: string): ReadResult {
  const at = { file, line: 1, column: 1 };
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    return { ok: false, issue: { kind: 'unreadable', severity: 'error', location: at, message: `cannot read: ${(e as Error).message}` } };
  }
  if (!stat.isFile()) {
    return { ok: false, issue: { kind: 'unreadable', severity: 'error', location: at, message: 'not a regular file' } };
  }
  if (stat.size > MAX_CONFIG_FILE_BYTES) {
    return { ok: false, issue: { kind: 'unreadable', severity: 'error', location: at, message: `file is ${stat.size} bytes, over the ${MAX_CONFIG_FILE_BYTES}-byte limit; not read` } };
  }
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    return { ok: false, issue: { kind: 'unreadable', severity: 'error', location: at, message: `cannot read: ${(e as Error).message}` } };
  }
  const nul = buf.indexOf(0);
  if (nul >= 0) {
    const before = buf.subarray(0, nul);
    let line = 1;
    for (const b of before) if (b === 10) line++;
    return { ok: false, issue: { kind: 'unreadable', severity: 'error', location: { file, line, column: 1 }, message: 'binary file (contains a NUL byte); not read as configuration' } };
  }
  let text = buf.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // engines drop a UTF-8 BOM on line 1
  return { ok: true, text };
}

/** Splits text into lines the way fgets-based loaders see them (\n, with a trailing \r removed). */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.length > 0 && l.charCodeAt(l.length - 1) === 13) lines[i] = l.slice(0, -1);
  }
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
