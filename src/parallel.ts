/**
 * Linting many configuration roots on every core (issue 18): a repository with one root per
 * customer has hundreds. Worker threads (./lint-worker) and this thread take roots in turn from a
 * shared counter, each loading and linting whole roots; the findings come back as plain objects
 * and are put in root order, so the result is the serial one (lintRoot over the roots in order).
 *
 * Synchronous on purpose: `pbxlint lint` is synchronous, so this thread lints roots itself and then
 * waits on the shared counters (Atomics.wait) for the roots the workers took, reading their
 * results with receiveMessageOnPort. A worker never stops without answering for a root it took:
 * each root is linted under try/catch (lintRoot does not throw on input either).
 */
import * as fs from 'fs';
import * as path from 'path';
// worker_threads and os are required when a run may use workers: a run of one root (the usual
// `pbxlint lint`) loads neither.
import type { MessagePort, Worker } from 'worker_threads';
import type { Finding } from './core/findings';
import type { RootRef } from './engines/types';
import { lintRoot, type LintOptions } from './lint';
import { plainFinding } from './rules/deferred';

/** One root to lint with its options (a config file can give each root its own). */
export interface LintJob {
  root: RootRef;
  options: Omit<LintOptions, 'rules'>;
}

export interface JobResult {
  findings: Finding[];
  files: number;
}

/** What is shared with the workers: [next job to take, results posted]. */
export const NEXT = 0;
export const POSTED = 1;

export interface WorkerInput {
  jobs: LintJob[];
  counters: SharedArrayBuffer;
  port: MessagePort;
}

export interface WorkerMessage {
  index: number;
  findings: Finding[];
  files: number;
}

/**
 * Below these, worker threads do not pay: starting one (a Node environment, then pbxlint's
 * modules compiled again) costs about what linting 1–2 MB of configuration does (measured on this
 * 2-core machine: the 50 small roots of fixtures/ took 300–600 ms alone, 500–870 ms with one
 * worker), and a few roots are done before the workers are up. `npm run bench` measures 200
 * roots (13 MB) both ways.
 */
export const PARALLEL_MIN_ROOTS = 8;
export const PARALLEL_MIN_BYTES = 4_000_000;

/** Where the compiled worker is: beside this file in dist/, or dist/ when this runs from src/ (tests). */
function workerScript(): string | undefined {
  for (const candidate of [path.join(__dirname, 'lint-worker.js'), path.join(__dirname, '..', 'dist', 'src', 'lint-worker.js')]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Bytes of configuration a root holds, roughly: its directory's files (or the main file), not descending. */
function rootBytes(root: RootRef): number {
  try {
    const st = fs.statSync(root.path);
    if (!st.isDirectory()) return st.size;
    let total = 0;
    for (const e of fs.readdirSync(root.path, { withFileTypes: true })) {
      if (e.isFile()) total += fs.statSync(path.join(root.path, e.name)).size;
    }
    return total;
  } catch {
    return 0;
  }
}

/**
 * How many worker threads to start for these jobs: none for small runs (few roots or little
 * configuration), else one per core besides this thread's, at most one per two roots.
 */
export function workersFor(jobs: LintJob[], requested?: number): number {
  if (requested !== undefined) return Math.max(0, Math.min(requested, jobs.length - 1));
  if (jobs.length < PARALLEL_MIN_ROOTS) return 0;
  const os = require('os') as typeof import('os');
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  if (cores < 2) return 0;
  let bytes = 0;
  for (const j of jobs) {
    bytes += rootBytes(j.root);
    if (bytes >= PARALLEL_MIN_BYTES) break;
  }
  if (bytes < PARALLEL_MIN_BYTES) return 0;
  return Math.min(cores - 1, Math.floor(jobs.length / 2));
}

/** A root's findings as they cross to another thread: plain objects, texts built. */
export function lintJob(job: LintJob): JobResult {
  const r = lintRoot(job.root, job.options);
  return { findings: r.findings.map(plainFinding), files: r.files };
}

/**
 * Lints the jobs with `workers` worker threads besides this one; results in job order. With no
 * workers (or no compiled worker script), the jobs are linted here, in order.
 */
export function lintJobsInParallel(jobs: LintJob[], workers: number): JobResult[] {
  const script = workers > 0 && jobs.length > 1 ? workerScript() : undefined;
  const results: (JobResult | undefined)[] = new Array(jobs.length);
  if (!script) {
    if (jobs.length === 1) {
      const r = lintRoot(jobs[0].root, jobs[0].options);
      return [{ findings: r.findings, files: r.files }];
    }
    // Several roots: each root's findings made plain before the next is loaded. Deferred findings
    // hold on to their model (src/rules/deferred.ts), and 200 models alive at once cost more in
    // garbage collection than building the texts (200 roots: GC 4.3 s of 7.4).
    for (let i = 0; i < jobs.length; i++) results[i] = lintJob(jobs[i]);
    return results as JobResult[];
  }
  const { MessageChannel, receiveMessageOnPort, Worker } = require('worker_threads') as typeof import('worker_threads');
  const counters = new SharedArrayBuffer(8);
  const shared = new Int32Array(counters);
  const ports: MessagePort[] = [];
  const threads: Worker[] = [];
  for (let w = 0; w < workers; w++) {
    const { port1, port2 } = new MessageChannel();
    ports.push(port1);
    const input: WorkerInput = { jobs, counters, port: port2 };
    threads.push(new Worker(script, { workerData: input, transferList: [port2] }));
  }
  let received = 0;
  const drain = () => {
    for (const port of ports) {
      for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
        const msg = m.message as WorkerMessage;
        results[msg.index] = { findings: msg.findings, files: msg.files };
        received++;
      }
    }
  };
  let mine = 0;
  for (;;) {
    const i = Atomics.add(shared, NEXT, 1);
    if (i >= jobs.length) break;
    results[i] = lintJob(jobs[i]);
    mine++;
  }
  // The rest were taken by workers: wait for each to be posted (POSTED counts them).
  const theirs = jobs.length - mine;
  for (;;) {
    drain();
    if (received >= theirs) break;
    const posted = Atomics.load(shared, POSTED);
    if (posted === received) Atomics.wait(shared, POSTED, posted, 1000);
  }
  for (const port of ports) port.close();
  // Each worker ends by itself once the counter passes the last job; nothing is left to wait for.
  for (const t of threads) t.unref();
  return results as JobResult[];
}
