/** `pbxlint explain <capture> [paths..]`: load the one configuration root, read the capture, explain, render. */
import * as path from 'path';
import type { Platform } from '../core/findings';
import type { LoadOptions } from '../engines';
import { ignoredOptionNotes, loadOneRoot } from '../route';
import { RouteUsageError } from '../resolvers/types';
import { explainCapture, readCaptureFile } from './index';
import { relativizeReport, renderExplainText } from './render';

export interface ExplainCommandOptions {
  capture: string;
  paths: string[];
  platform?: Platform;
  load: LoadOptions;
  servers?: string[];
  format: 'text' | 'json';
}

export interface ExplainIo {
  stdout: (s: string) => void;
  /** Notes on options the engine does not read (`--var` on Kamailio). */
  stderr?: (s: string) => void;
  cwd: string;
  color: boolean;
}

/**
 * Exit codes: 0 no failed transaction disagrees with the configuration (one not simulated counts
 * for neither: the summary says how many),
 * 1 some failure disagrees with the configuration's prediction, 2 usage or configuration error,
 * or a capture without a single SIP message.
 */
export function explainCommand(o: ExplainCommandOptions, io: ExplainIo): number {
  const capture = readCaptureFile(path.resolve(io.cwd, o.capture));
  const model = loadOneRoot(o.paths.map((p) => path.resolve(io.cwd, p)), { ...o.load, platform: o.platform });
  if (capture.messages.length === 0) {
    const why = capture.diagnostics.map((d) => `${d.frame !== undefined ? `frame ${d.frame}: ` : d.line !== undefined ? `line ${d.line}: ` : ''}${d.message}`);
    throw new RouteUsageError(`${o.capture}: no SIP message found (${capture.format}${why.length ? `; ${why.slice(0, 5).join('; ')}` : ''})`);
  }
  // --myself is read on every engine here (the server's own addresses), --define and --var are not.
  for (const note of ignoredOptionNotes(model.platform, { define: o.load.defines, var: o.load.vars })) io.stderr?.(`pbxlint: ${note}\n`);
  const report = explainCapture(capture, model, { servers: o.servers, myself: o.load.myself });
  if (o.format === 'json') io.stdout(JSON.stringify(relativizeReport(report, io.cwd), null, 2) + '\n');
  else io.stdout(renderExplainText(report, io.cwd, io.color));
  return report.summary.disagree > 0 ? 1 : 0;
}
