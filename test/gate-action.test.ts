/** action.yml: a composite action that runs pbxlint with SARIF output and uploads it. */
import * as fs from 'fs';
import * as path from 'path';
import YAML from 'yaml';
import { ROOT } from './helpers/gate-cli';

describe('GitHub Action (action.yml)', () => {
  const action = YAML.parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));
  const steps: { uses?: string; run?: string; with?: Record<string, string>; if?: string; shell?: string }[] = action.runs.steps;

  test('composite, every run step with a shell', () => {
    expect(action.runs.using).toBe('composite');
    for (const s of steps) if (s.run) expect(s.shell).toBe('bash');
  });

  test('runs pbxlint lint with --format sarif --output-file, then uploads with codeql-action/upload-sarif', () => {
    const lint = steps.findIndex((s) => s.run?.includes('bin/pbxlint.js" lint'));
    expect(lint).toBeGreaterThanOrEqual(0);
    expect(steps[lint].run).toContain('--format sarif --output-file "$PBXLINT_SARIF"');
    const upload = steps.findIndex((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(upload).toBeGreaterThan(lint);
    expect(steps[upload].with?.sarif_file).toBe('${{ inputs.sarif-file }}');
    expect(steps[upload].if).toContain('always()');
  });

  test('inputs reach the script through env, never interpolated into it', () => {
    for (const s of steps) if (s.run) expect(s.run).not.toMatch(/\$\{\{/);
  });
});
