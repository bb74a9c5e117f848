/**
 * Parses a JSON or YAML document keeping positions, validates it against one of the shipped JSON
 * Schemas (schemas/*.json) with ajv, and turns each error into "file:line:col: key: why". ajv and
 * yaml are loaded here, lazily, so a lint run without a config file never loads them.
 */
import * as fs from 'fs';
import { relative } from 'path';
import type { ErrorObject } from 'ajv';
import type { Document, LineCounter } from 'yaml';
import { packageFile } from './package-files';

export interface Problem {
  file: string;
  line: number;
  column: number;
  /** The key or field, as a dotted path (`rules.goto-target-missing`, `cases[2].expect.verdict`). */
  field: string;
  message: string;
}

export class ConfigError extends Error {
  constructor(public readonly problems: Problem[]) {
    super(problems.map((p) => formatProblem(p)).join('\n'));
  }

  /** The problems with file names relative to `cwd`, one per line. */
  format(cwd: string): string {
    return this.problems.map((p) => formatProblem(p, cwd)).join('\n');
  }
}

export function formatProblem(p: Problem, cwd?: string): string {
  const rel = cwd ? relative(cwd, p.file) : '';
  const file = rel && !rel.startsWith('..') ? rel : p.file;
  return `${file}:${p.line}:${p.column}: ${p.field ? `${p.field}: ` : ''}${p.message}`;
}

export interface ParsedDocument {
  file: string;
  data: unknown;
  /** Position of the value at a path of keys/indexes (the key itself for object members). */
  positionOf(path: (string | number)[]): { line: number; column: number };
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

/**
 * JSON when `json` is true (strict JSON.parse, so a stray comma is an error), YAML otherwise.
 * For JSON, yaml (which also reads JSON, keeping positions) is loaded only when a position is
 * needed, i.e. when there is an error to report.
 */
export function parseDocument(file: string, text: string, json: boolean): ParsedDocument {
  if (json) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      const msg = (e as Error).message;
      const m = /position (\d+)/.exec(msg);
      const at = m ? lineColumn(text, Number(m[1])) : { line: 1, column: 1 };
      throw new ConfigError([{ file, ...at, field: '', message: `invalid JSON: ${msg.replace(/ in JSON at position \d+.*$/, '')}` }]);
    }
    let located: ParsedDocument | undefined;
    return { file, data, positionOf: (p) => (located ??= parseYaml(file, text, true)).positionOf(p) };
  }
  return parseYaml(file, text, false);
}

function parseYaml(file: string, text: string, json: boolean): ParsedDocument {
  const YAML = require('yaml') as typeof import('yaml');
  const lineCounter: LineCounter = new YAML.LineCounter();
  const doc: Document = YAML.parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    throw new ConfigError(
      doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { file, line: pos.line, column: pos.col, field: '', message: `invalid ${json ? 'JSON' : 'YAML'}: ${e.message.split('\n')[0]}` };
      }),
    );
  }
  const data = doc.toJS();
  return {
    file,
    data,
    positionOf(path) {
      // Walk down to the deepest node that exists; for a member, point at its key.
      let node: unknown = doc.contents;
      let best: [number, number] | undefined = (doc.contents as { range?: [number, number] } | null)?.range as [number, number] | undefined;
      for (const key of path) {
        if (YAML.isMap(node)) {
          const pair = node.items.find((p) => (YAML.isScalar(p.key) ? p.key.value : p.key) === key);
          if (!pair) break;
          const k = pair.key as { range?: [number, number] };
          if (k?.range) best = k.range;
          node = pair.value;
        } else if (YAML.isSeq(node) && typeof key === 'number') {
          node = node.items[key];
          const r = (node as { range?: [number, number] } | undefined)?.range;
          if (r) best = r;
        } else break;
      }
      if (!best) return { line: 1, column: 1 };
      const p = lineCounter.linePos(best[0]);
      return { line: p.line, column: p.col };
    },
  };
}

export function readDocument(file: string): ParsedDocument {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError([{ file, line: 1, column: 1, field: '', message: `cannot read: ${(e as Error).message}` }]);
  }
  const json = /\.json$/i.test(file) || /(^|[\\/])\.pbxlintrc$/.test(file);
  return parseDocument(file, text, json);
}

const validators = new Map<string, (data: unknown) => { ok: boolean; errors: ErrorObject[] }>();

function validatorFor(schemaName: string) {
  let v = validators.get(schemaName);
  if (v) return v;
  const Ajv = (require('ajv') as { default: typeof import('ajv').default }).default;
  const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
  const schema = JSON.parse(fs.readFileSync(packageFile('schemas', schemaName), 'utf8'));
  const validate = ajv.compile(schema);
  v = (data: unknown) => ({ ok: Boolean(validate(data)), errors: validate.errors ?? [] });
  validators.set(schemaName, v);
  return v;
}

function pathOf(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function dotted(path: (string | number)[]): string {
  return path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${k}` : String(k)), '');
}

/** Human reason for one ajv error. */
function explain(e: ErrorObject): { extra?: string; message: string } {
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      return { extra: key, message: `unknown key "${key}"` };
    }
    case 'enum':
      return { message: `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}` };
    case 'required':
      return { message: `missing required key "${(e.params as { missingProperty: string }).missingProperty}"` };
    case 'type':
      if ((e.params as { type: string }).type === 'string' && typeof e.data === 'number') return { message: 'must be a string: quote it (YAML reads +12025551234 or 0123 as a number, dropping the + or the leading zero)' };
      return { message: e.message ?? 'is invalid' };
    case 'propertyNames':
      return { extra: (e.params as { propertyName: string }).propertyName, message: 'is not a valid name' };
    default:
      return { message: e.message ?? 'is invalid' };
  }
}

/** Validates and returns positioned problems (empty when valid). */
export function validateDocument(doc: ParsedDocument, schemaName: string): Problem[] {
  const { ok, errors } = validatorFor(schemaName)(doc.data);
  if (ok) return [];
  // oneOf/anyOf report every branch; keep the most specific errors (deepest path), drop the summary.
  const specific = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && e.keyword !== 'if');
  const deepest = new Map<string, ErrorObject[]>();
  for (const e of specific.length ? specific : errors) {
    const list = deepest.get(e.instancePath) ?? [];
    list.push(e);
    deepest.set(e.instancePath, list);
  }
  // A value that matches no branch of a oneOf gets an error per branch. Keep the branch that got
  // furthest (errors below this value), else merge the type mismatches into one message.
  const pointers = [...deepest.keys()];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const [pointer, list] of deepest) {
    const path = pathOf(pointer);
    const deeper = pointers.some((p) => p !== pointer && p.startsWith(pointer + '/')) && errors.some((e) => e.keyword === 'oneOf' && e.instancePath === pointer);
    let errs = list.filter((e) => !(deeper && (e.keyword === 'type' || e.keyword === 'enum')));
    // A branch of the right type failed on something else: the other branches' type errors are noise.
    if (errors.some((e) => e.keyword === 'oneOf' && e.instancePath === pointer) && errs.some((e) => e.keyword !== 'type')) errs = errs.filter((e) => e.keyword !== 'type');
    const types = errs.filter((e) => e.keyword === 'type');
    if (types.length > 1) {
      const names = [...new Set(types.map((e) => (e.params as { type: string }).type))];
      errs = [...errs.filter((e) => e.keyword !== 'type'), { ...types[0], message: `must be ${names.join(' or ')}`, params: { type: names.join(',') } }];
    }
    for (const e of errs) {
      const { extra, message } = explain(e);
      const full = extra !== undefined ? [...path, extra] : path;
      const key = `${dotted(full)}\0${message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push({ file: doc.file, ...doc.positionOf(full), field: dotted(full) || '(top level)', message });
    }
  }
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}
