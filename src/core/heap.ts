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

export function keepYoungGenerationSmall(): void {
  v8.setFlagsFromString('--semi-space-growth-factor=1');
}
