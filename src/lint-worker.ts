/**
 * A worker thread of `lintJobsInParallel` (./parallel): takes the next root from the shared
 * counter until none is left, lints it, and posts its findings (plain objects) with the root's
 * index. Every root taken is answered, also when linting it throws (an internal-error finding):
 * the main thread waits for exactly the roots the workers took.
 */
import { workerData } from 'worker_threads';
import { lintJob, NEXT, POSTED, type WorkerInput, type WorkerMessage } from './parallel';

const { jobs, counters, port } = workerData as WorkerInput;
const shared = new Int32Array(counters);
for (;;) {
  const index = Atomics.add(shared, NEXT, 1);
  if (index >= jobs.length) break;
  let message: WorkerMessage;
  try {
    message = { index, ...lintJob(jobs[index]) };
  } catch (e) {
    const root = jobs[index].root;
    message = { index, files: 0, findings: [{ ruleId: 'internal-error', severity: 'error', file: root.path, line: 1, column: 1, platform: root.platform, message: `linting failed: ${(e as Error)?.message ?? String(e)}. This is a pbxlint bug; other roots were still checked.` }] };
  }
  try {
    port.postMessage(message);
  } catch (e) {
    const root = jobs[index].root;
    port.postMessage({ index, files: 0, findings: [{ ruleId: 'internal-error', severity: 'error', file: root.path, line: 1, column: 1, platform: root.platform, message: `linting failed: ${(e as Error)?.message ?? String(e)}. This is a pbxlint bug; other roots were still checked.` }] });
  }
  Atomics.add(shared, POSTED, 1);
  Atomics.notify(shared, POSTED);
}
port.close();
