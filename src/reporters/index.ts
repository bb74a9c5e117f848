import type { Finding } from '../core/findings';
import type { Reporter, ReportContext } from './types';
import type { ReportSink } from './sink';

export type { Reporter, ReportContext } from './types';

/**
 * Lint output formats by name (`--format`). Each reporter module is required when its format is
 * read, so a run loads only the one it prints with (sarif, for one, brings the rule docs along).
 */
export const REPORTERS: Record<string, Reporter> = {
  get stylish() {
    return (require('./stylish') as typeof import('./stylish')).stylish;
  },
  get json() {
    return (require('./json') as typeof import('./json')).json;
  },
  get sarif() {
    return (require('./sarif') as typeof import('./sarif')).sarif;
  },
  get junit() {
    return (require('./junit') as typeof import('./junit')).junit;
  },
  get github() {
    return (require('./github') as typeof import('./github')).github;
  },
};

/**
 * Writes the report to `sink` in pieces, a finding at a time: a report of tens of thousands of
 * findings is then never held whole. A format without a streaming writer gives its whole text.
 */
export function reportTo(format: string, findings: Finding[], ctx: ReportContext, sink: ReportSink): void {
  const writer = STREAMING[format];
  if (writer) writer(findings, ctx, sink);
  else sink.text(REPORTERS[format](findings, ctx));
}

type StreamingReporter = (findings: Finding[], ctx: ReportContext, sink: ReportSink) => void;

/** The formats written a piece at a time (each required when its format is read, as REPORTERS). */
const STREAMING: Record<string, StreamingReporter> = {
  get stylish() {
    return (require('./stylish') as typeof import('./stylish')).stylishTo;
  },
  get json() {
    return (require('./json') as typeof import('./json')).jsonTo;
  },
  get sarif() {
    return (require('./sarif') as typeof import('./sarif')).sarifTo;
  },
  get junit() {
    return (require('./junit') as typeof import('./junit')).junitTo;
  },
  get github() {
    return (require('./github') as typeof import('./github')).githubTo;
  },
};
