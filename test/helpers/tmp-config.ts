/** Writes a configuration tree to a fresh temporary directory, for tests that need many small variants. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export function writeTree(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbxlint-'));
  for (const [name, content] of Object.entries(files)) {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
  return dir;
}
