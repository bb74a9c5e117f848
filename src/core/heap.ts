/**
 * V8 heap tuning for the CLI process (never called by the library: it is process-wide).
 *
 * pbxlint's big job is loading one large model that lives until the run ends, so nearly
 * everything it allocates survives. V8 grows the young generation when much survives (up to two
 * 16 MB semi-spaces in Node 20), which then only copies those objects once more before promoting
 * them. Keeping it at its initial size cut a 50,000-extension `pbxlint lint` from ~137 to ~107 MB
 * peak RSS at the same speed (interleaved runs: 471 vs 475 ms median; more, smaller scavenges
 * cost what the copying saved; route simulations, which make short-lived garbage, were not
 * slower). `--semi-space-growth-factor` is a number V8 reads each time it considers growing the
 * young generation, so setting it at run time takes effect (a `--max-semi-space-size` given at
 * run time does not: the heap is sized at start-up).
 */
import * as v8 from 'v8';

/** The growth factor last set here ('' before any), and who wants to know before it changes. */
let current = '';
const listeners: ((next: string) => void)[] = [];

/**
 * The factor set here ('' when none was). V8 keys compiled code it caches by its flags, this one
 * included: the code cache (compile-cache.ts) keeps its bytes per value.
 */
export function heapFlags(): string {
  return current;
}

/** Calls `listener` with the new value before each change of the flag (compile-cache.ts). */
export function beforeHeapFlagsChange(listener: (next: string) => void): void {
  listeners.push(listener);
}

function setGrowthFactor(factor: string): void {
  if (factor === current) return;
  for (const l of listeners) l(factor);
  v8.setFlagsFromString(`--semi-space-growth-factor=${factor}`);
  current = factor;
}

export function keepYoungGenerationSmall(): void {
  setGrowthFactor('1');
}

/**
 * V8's own growth of the young generation again (its default factor, 2), for a command that
 * makes much short-lived garbage beside what it keeps: `pbxlint coverage` of the 50,000-extension
 * bench simulates 150,000 calls, and with the young generation held small it spent ~30% more CPU
 * (7.6–7.9 s against 10.2–11.9 s of user time, JSON output, two runs each; same peak RSS).
 */
export function letYoungGenerationGrow(): void {
  setGrowthFactor('2');
}
