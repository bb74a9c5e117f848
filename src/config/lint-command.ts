/**
 * `pbxlint lint` with everything a CI gate needs around the pipeline: the configuration file
 * (roots, platforms, load options, rule settings), pre-commit's changed-file lists, --quiet,
 * --max-warnings and --output-file. Exit codes: 0 clean, 1 error findings or too many warnings,
 * 2 usage/configuration error.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Finding, Platform } from '../core/findings';
import type { LoadOptions, RootRef } from '../engines/types';
import { planLint } from '../lint';
import { lintJobsInParallel, workersFor, type LintJob } from '../parallel';
import { sortFindings } from '../rules/runner';
import { REPORTERS, reportTo, type ReportContext } from '../reporters';
import { ByteSink, StringSink, type ReportSink } from '../reporters/sink';
import { ConfigError, resolveConfig, type ResolvedConfig } from './index';
import { rootsOfFiles } from './roots-of-files';

export interface CommandIo {
  stdout: (s: string) => void;
  /**
   * Writes bytes to stdout, when the io can (the CLI's). The bytes are only lent: they are
   * written or copied before this returns. Without it, reports are written as strings.
   */
  stdoutBytes?: (bytes: Uint8Array) => void;
  stderr: (s: string) => void;
  cwd: string;
  color: boolean;
}

export interface LintCommandOptions {
  /** Paths from the command line; undefined or empty: the config's roots, else '.'. */
  paths?: string[];
  platform?: Platform;
  load: LoadOptions;
  format: string;
  config?: string;
  maxWarnings?: number;
  quiet?: boolean;
  outputFile?: string;
  /** The paths are changed files (pre-commit): lint the roots they belong to. */
  changedFiles?: boolean;
  /** Worker threads besides the main one; default: decided by the size of the run (src/parallel.ts). */
  workers?: number;
}

/** Command-line load options win over the configuration file's, key by key. */
export function mergeLoad(base: LoadOptions, cli: LoadOptions): LoadOptions {
  return {
    defines: cli.defines ?? base.defines,
    vars: cli.vars || base.vars ? { ...base.vars, ...cli.vars } : undefined,
    myself: cli.myself ?? base.myself,
  };
}

interface Target {
  paths: string[];
  platform?: Platform;
  load: LoadOptions;
}

function targetsOf(options: LintCommandOptions, config: ResolvedConfig | undefined, cwd: string): Target[] {
  const base = config?.load ?? {};
  if (options.paths?.length) {
    // A path inside a configured root (or the root itself) gets that root's platform and load options.
    return options.paths.map((p) => {
      const root = config?.roots.find((r) => p === r.path || p.startsWith(r.path + path.sep));
      return { paths: [p], platform: options.platform ?? root?.platform ?? config?.platform, load: mergeLoad(root?.load ?? base, options.load) };
    });
  }
  if (config?.roots.length) return config.roots.map((r) => ({ paths: [r.path], platform: options.platform ?? r.platform ?? config.platform, load: mergeLoad(r.load, options.load) }));
  return [{ paths: [cwd], platform: options.platform ?? config?.platform, load: mergeLoad(base, options.load) }];
}

/** Loads the configuration for any command; prints its problems and returns null on error. */
export function configOrReport(io: CommandIo, explicit?: string): { config?: ResolvedConfig } | null {
  try {
    return { config: resolveConfig(io.cwd, explicit) };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    io.stderr(`pbxlint: invalid configuration:\n${e.format(io.cwd)}\n`);
    return null;
  }
}

/**
 * Characters of a report gathered before they are written (the report itself may be much larger).
 * 16 K: a batch with one character beyond Latin-1 (the `→` of a wire text) is a two-byte string,
 * and at 64 K characters that is 128 KB, past V8's largest ordinary heap object, so every batch
 * went to the large-object space (each one a page of its own, freed only by a full collection):
 * the JSON of 40,000 findings took ~200 ms CPU to join and write, ~135 ms at 16 K.
 */
const BATCH = 1 << 14;

/**
 * Writes a report to stdout or a file: one string, or a function that hands its pieces to a sink
 * (src/reporters/sink.ts; `emit` is the sink's `text`). Pieces are encoded into a buffer written
 * every BATCH_BYTES (to a file, or an io that takes bytes: the CLI's), else joined into one string
 * per BATCH characters: however large the report (the JSON of 40,000 findings is 21 MB), no more
 * of it is held, and the thousands of small pieces cost one write per batch.
 */
export function writeOutput(io: CommandIo, text: string | ((emit: (s: string) => void, sink: ReportSink) => void), outputFile?: string): boolean {
  let fd: number | undefined;
  const file = outputFile === undefined ? undefined : path.resolve(io.cwd, outputFile);
  try {
    if (file !== undefined) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fd = fs.openSync(file, 'w');
    }
    const write = (s: string) => (fd === undefined ? io.stdout(s) : fs.writeSync(fd, s));
    if (typeof text === 'string') {
      write(text);
      return true;
    }
    const writeBytes = fd !== undefined ? (b: Uint8Array) => writeAll(fd!, b) : io.stdoutBytes;
    if (writeBytes !== undefined) {
      // A buffer of 64 KB: no string is made of the pieces joined (a batch holding one character
      // beyond Latin-1, the `→` of a wire text, was a two-byte string: the JSON of 40,000
      // findings made 43 MB of them, then encoded each).
      const sink = new ByteSink(writeBytes, BATCH_BYTES);
      text((s) => sink.text(s), sink);
      sink.flush();
      return true;
    }
    let pending: string[] = [];
    let length = 0;
    const sink = new StringSink((s) => {
      pending.push(s);
      length += s.length;
      if (length >= BATCH) {
        write(pending.join(''));
        pending = [];
        length = 0;
      }
    });
    text(sink.text, sink);
    if (pending.length) write(pending.join(''));
    return true;
  } catch (e) {
    if (file === undefined) throw e;
    io.stderr(`pbxlint: cannot write ${outputFile}: ${(e as Error).message}\n`);
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Bytes of a report encoded before they are written (ByteSink). */
const BATCH_BYTES = 1 << 16;

/** fs.writeSync until all of `bytes` is written (a write may take part of them). */
function writeAll(fd: number, bytes: Uint8Array): void {
  for (let written = 0; written < bytes.length; ) written += fs.writeSync(fd, bytes, written, bytes.length - written);
}

/**
 * What a reporter is told besides the findings. `rules` (every rule, which only SARIF describes)
 * is required when read, so other formats never load the rules of engines that were not linted.
 */
function reportContext(io: CommandIo, config: ResolvedConfig | undefined, roots: number, files: number): ReportContext {
  return {
    cwd: io.cwd,
    color: io.color,
    get rules() {
      return (require('../../rules') as typeof import('../../rules')).RULES;
    },
    roots,
    files,
    docsBaseUrl: config?.docsBaseUrl,
  };
}

export function lintCommand(options: LintCommandOptions, io: CommandIo): number {
  const loaded = configOrReport(io, options.config);
  if (!loaded) return 2;
  const { config } = loaded;
  // Paths on the command line are relative to the working directory the CLI was given (io.cwd).
  let paths = options.paths?.map((p) => path.resolve(io.cwd, p));
  if (options.changedFiles) {
    paths = rootsOfFiles(paths ?? []);
    if (paths.length === 0) {
      // Nothing that was changed belongs to a configuration root: nothing to check.
      return writeOutput(io, REPORTERS[options.format]([], reportContext(io, config, 0, 0)), options.outputFile) ? 0 : 2;
    }
  }
  const roots: RootRef[] = [];
  const errors: string[] = [];
  const notes: string[] = [];
  // Every root of every target first, then all linted together: on several cores when there are
  // many (src/parallel.ts), the results in this order either way.
  const jobs: LintJob[] = [];
  /** Jobs of each target, as [first, end), with the findings of its fragments checked alone. */
  const spans: { first: number; end: number; fragmentFindings: Finding[] }[] = [];
  let files = 0;
  for (const t of targetsOf({ ...options, paths }, config, io.cwd)) {
    const load = { platform: t.platform, ...t.load, settings: config?.settings };
    const plan = planLint(t.paths, load);
    errors.push(...plan.errors);
    notes.push(...plan.notes);
    files += plan.files;
    const first = jobs.length;
    for (const root of plan.roots) {
      roots.push(root);
      jobs.push({ root, options: load });
    }
    spans.push({ first, end: jobs.length, fragmentFindings: plan.fragmentFindings });
  }
  const results = lintJobsInParallel(jobs, workersFor(jobs, options.workers));
  let findings: Finding[] = [];
  for (const { first, end, fragmentFindings } of spans) {
    // Indexed loops: a root may have 40,000 findings, and for-of in cold code makes an object per step.
    const ofTarget: Finding[] = [...fragmentFindings];
    for (let i = first; i < end; i++) {
      const found = results[i].findings;
      for (let k = 0; k < found.length; k++) ofTarget.push(found[k]);
      files += results[i].files;
    }
    // One target (the usual run): its sorted findings are the list.
    const sorted = sortFindings(ofTarget);
    if (spans.length === 1) findings = sorted;
    else for (let k = 0; k < sorted.length; k++) findings.push(sorted[k]);
  }
  for (const n of notes) io.stderr(`pbxlint: note: ${n}\n`);
  for (const e of errors) io.stderr(`pbxlint: ${e}\n`);
  if (roots.length === 0 && notes.length === 0) return 2;
  if (options.quiet) findings = findings.filter((f) => f.severity === 'error');
  const ctx = reportContext(io, config, roots.length, files);
  if (!writeOutput(io, (_emit, sink) => reportTo(options.format, findings, ctx, sink), options.outputFile)) return 2;
  if (errors.length) return 2;
  if (findings.some((f) => f.severity === 'error')) return 1;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  if (options.maxWarnings !== undefined && options.maxWarnings >= 0 && warnings > options.maxWarnings) {
    io.stderr(`pbxlint: too many warnings (${warnings}); the maximum allowed is ${options.maxWarnings} (--max-warnings)\n`);
    return 1;
  }
  return 0;
}
