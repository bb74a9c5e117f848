/** Runs the CLI in-process (src/cli.ts through ts-jest, no build needed) and captures its output. */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../src/cli';
import { writeTree } from './tmp-config';

export const ROOT = path.resolve(__dirname, '../..');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(args: string[], cwd = ROOT): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTTY: false, cwd, env: {} });
  return { code, stdout, stderr };
}

/** A fresh temporary directory with the given files (paths relative to it). */
export function tempTree(files: Record<string, string>): string {
  return writeTree(files, 'pbxlint-gate-');
}

export const GATE_PBX = path.join(ROOT, 'fixtures/gate/pbx');

/** bin/pbxlint.js runs dist/: build it when it is missing or older than a source file. */
export function ensureBuilt(): void {
  const cliJs = path.join(ROOT, 'dist/src/cli.js');
  const newest = (dir: string): number =>
    fs.readdirSync(dir, { withFileTypes: true }).reduce((m, e) => Math.max(m, e.isDirectory() ? newest(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).mtimeMs), 0);
  if (fs.existsSync(cliJs) && fs.statSync(cliJs).mtimeMs >= Math.max(newest(path.join(ROOT, 'src')), newest(path.join(ROOT, 'rules')))) return;
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.json')], { stdio: 'inherit' });
}
