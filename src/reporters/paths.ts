import * as path from 'path';

/** A path relative to `cwd` with forward slashes, as SARIF URIs, JUnit and GitHub annotations want it. */
export function relativePosix(file: string, cwd: string): string {
  const rel = path.relative(cwd, file) || path.basename(file);
  return rel.split(path.sep).join('/');
}
