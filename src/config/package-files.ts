/**
 * Files shipped in the pbxlint package (schemas/, docs/). Found by walking up from this module, so
 * the same code works from dist/src/config (installed, built) and src/config (ts-jest).
 */
import * as fs from 'fs';
import * as path from 'path';

let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if (JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'pbxlint') return (root = dir);
      } catch {
        // not ours; keep walking
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error('pbxlint package root not found');
    dir = up;
  }
}

export function packageFile(...parts: string[]): string {
  return path.join(packageRoot(), ...parts);
}

export function packageVersion(): string {
  return JSON.parse(fs.readFileSync(packageFile('package.json'), 'utf8')).version as string;
}
