/**
 * Temporary directories for tests, removed when the test file ends: jest loads this module once
 * per test file, so the list below is that file's, and the afterAll registered at load runs after
 * its last test. (Without it the suite left tens of thousands of directories in the temp dir.)
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const created: string[] = [];

// Outside jest (a script importing a helper) there is no afterAll: the caller cleans up.
if (typeof afterAll === 'function') {
  afterAll(() => {
    for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
}

/** A fresh directory under the system temp dir, removed after the current test file. */
export function tempDir(prefix = 'pbxlint-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Writes a configuration tree to a fresh temporary directory, for tests that need many small variants. */
export function writeTree(files: Record<string, string | Buffer>, prefix = 'pbxlint-'): string {
  const dir = tempDir(prefix);
  for (const [name, content] of Object.entries(files)) {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
  return dir;
}
