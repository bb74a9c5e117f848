import { github } from './github';
import { json } from './json';
import { junit } from './junit';
import { sarif } from './sarif';
import { stylish } from './stylish';
import type { Reporter } from './types';

export type { Reporter, ReportContext } from './types';

/** Lint output formats by name (`--format`). */
export const REPORTERS: Record<string, Reporter> = { stylish, json, sarif, junit, github };
