/**
 * `pbxlint test [assertions-file] [paths..]`. Exit codes: 0 every case passed, 1 a case failed,
 * 2 the assertions file (or the configuration) is invalid, or no file was found.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Platform } from '../core/findings';
import type { LoadOptions } from '../engines/types';
import { ConfigError } from '../config/validate';
import { configOrReport, writeOutput, type CommandIo } from '../config/lint-command';
import { ASSERTION_FILE_NAMES, findAssertionFile, loadAssertionFile } from './load';
import { renderTestJUnit, renderTestText, summaryLine } from './report';
import { runAssertionFile } from './run';

export interface TestCommandOptions {
  file?: string;
  paths?: string[];
  platform?: Platform;
  load: LoadOptions;
  format: 'text' | 'junit';
  config?: string;
  outputFile?: string;
}

const looksLikeAssertions = (p: string) => /\.(ya?ml|json)$/i.test(p);

export function testCommand(options: TestCommandOptions, io: CommandIo): number {
  let file = options.file;
  let paths = options.paths ?? [];
  // `pbxlint test /etc/asterisk`: a directory where the file was expected is a configuration path.
  if (file && !looksLikeAssertions(file) && fs.existsSync(path.resolve(io.cwd, file)) && fs.statSync(path.resolve(io.cwd, file)).isDirectory()) {
    paths = [file, ...paths];
    file = undefined;
  }
  const assertionsPath = file ? path.resolve(io.cwd, file) : findAssertionFile(io.cwd);
  if (!assertionsPath) {
    io.stderr(`pbxlint: no routing-assertions file given and none found (${ASSERTION_FILE_NAMES.join(', ')}) from ${io.cwd} upwards\n`);
    return 2;
  }
  if (!fs.existsSync(assertionsPath)) {
    io.stderr(`pbxlint: ${file}: no such file\n`);
    return 2;
  }
  const loaded = configOrReport(io, options.config);
  if (!loaded) return 2;
  let assertions;
  try {
    assertions = loadAssertionFile(assertionsPath);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    io.stderr(`pbxlint: invalid routing-assertions file:\n${e.format(io.cwd)}\n`);
    return 2;
  }
  const results = runAssertionFile(assertions, { paths: paths.map((p) => path.resolve(io.cwd, p)), platform: options.platform, load: options.load, config: loaded.config });
  if (options.format === 'junit') {
    if (!writeOutput(io, renderTestJUnit(assertionsPath, results, io.cwd), options.outputFile)) return 2;
    io.stderr(summaryLine(results) + '\n');
  } else if (!writeOutput(io, renderTestText(assertionsPath, results, io.cwd, io.color && !options.outputFile), options.outputFile)) return 2;
  return results.every((r) => r.passed) ? 0 : 1;
}
