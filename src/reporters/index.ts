import { json } from './json';
import { stylish } from './stylish';
import type { Reporter } from './types';

export type { Reporter, ReportContext } from './types';

/** Lint output formats by name (`--format`). */
export const REPORTERS: Record<string, Reporter> = { stylish, json };
