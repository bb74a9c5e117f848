/**
 * Reads a routing-assertions file (YAML or JSON), validates it against
 * schemas/pbxlint-routes.schema.json and returns its cases with the line each starts on.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Platform } from '../core/findings';
import type { Method } from '../resolvers/types';
import { ConfigError, readDocument, validateDocument } from '../config/validate';

export const ASSERTION_FILE_NAMES = ['pbxlint.routes.yaml', 'pbxlint.routes.yml', 'pbxlint.routes.json'];

export type TargetExpectation = string | { equals: string } | { contains: string };

export interface AssertionCase {
  index: number;
  line: number;
  name: string;
  root?: string[];
  platform?: Platform;
  from: { endpoint?: string; context?: string; originate?: boolean; profile?: string; sourceIp?: string; fromUser?: string; fromDomain?: string; callerId?: string; userAgent?: string };
  dial: string;
  domain?: string;
  method?: Method;
  /** The To URI (`to:`, as `route --to`). */
  to?: string;
  registered?: string[];
  time?: string;
  expect: { verdict?: 'routed' | 'rejected' | 'depends'; status?: number; target?: TargetExpectation; via?: string[]; reason?: string };
}

export interface AssertionFile {
  file: string;
  dir: string;
  paths?: string[];
  platform?: Platform;
  registered?: string[];
  defines?: string[];
  vars?: Record<string, string>;
  myself?: string[];
  cases: AssertionCase[];
}

/** The nearest assertions file from `startDir` upwards. */
export function findAssertionFile(startDir: string): string | undefined {
  let dir = path.resolve(startDir);
  for (;;) {
    for (const name of ASSERTION_FILE_NAMES) {
      const f = path.join(dir, name);
      if (fs.existsSync(f)) return f;
    }
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));
const list = (v: unknown): string[] | undefined => (v === undefined ? undefined : (Array.isArray(v) ? v : [v]).map(String));

/** Throws ConfigError naming file, line and field for every problem. */
export function loadAssertionFile(file: string): AssertionFile {
  const abs = path.resolve(file);
  const doc = readDocument(abs);
  const problems = validateDocument(doc, 'pbxlint-routes.schema.json');
  if (problems.length) throw new ConfigError(problems);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const raw = doc.data as any;
  const dir = path.dirname(abs);
  const resolve = (p: string[] | undefined) => p?.map((x) => path.resolve(dir, x));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const cases: AssertionCase[] = raw.cases.map((c: any, index: number) => {
    const from = c.from ?? {};
    const fromText = from.endpoint !== undefined ? ` from endpoint ${from.endpoint}` : from.context ? ` in context ${from.context}` : from.profile ? ` on profile ${from.profile}` : from['source-ip'] ? ` from ${from['source-ip']}` : '';
    return {
      index,
      line: doc.positionOf(['cases', index]).line,
      name: c.name ?? `dial ${c.dial}${c.domain ? `@${c.domain}` : ''}${fromText}`,
      root: resolve(list(c.root)),
      platform: c.platform,
      from: {
        endpoint: str(from.endpoint),
        context: str(from.context),
        originate: from.originate === true ? true : undefined,
        profile: str(from.profile),
        sourceIp: str(from['source-ip']),
        fromUser: str(from['from-user']),
        fromDomain: str(from['from-domain']),
        callerId: str(from['caller-id']),
        userAgent: str(from['user-agent']),
      },
      dial: String(c.dial),
      domain: c.domain,
      method: c.method,
      to: c.to,
      registered: list(c.registered),
      time: c.time,
      expect: { ...c.expect, via: list(c.expect.via) },
    };
  });
  return { file: abs, dir, paths: resolve(list(raw.paths)), platform: raw.platform, registered: list(raw.registered), defines: raw.defines, vars: raw.vars, myself: raw.myself, cases };
}
