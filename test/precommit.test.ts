/**
 * The pre-commit flow end to end, as a user meets it: Debian's `pre-commit`, a temporary git repo
 * with a broken Asterisk configuration, a commit the hook refuses, then a fixed one that passes.
 *
 * Hermetic: the shipped hook (.pre-commit-hooks.yaml) says `language: node`, for which pre-commit
 * runs `npm install` and `npm pack` on the hook repository — that needs the npm registry. So the
 * test uses the shipped hook's definition (args, files pattern, pass_filenames, require_serial) as a
 * `repo: local` hook with `language: system`, its entry pointing at this checkout's bin/pbxlint.js.
 * Skipped with a note when pre-commit is not installed (`apt-get install -y pre-commit`).
 * With the registry reachable, `language: node` itself was checked by hand (Debian pre-commit
 * 3.0.4, `repo:` = this checkout): it needs `npm pack` to print only the tarball name, which the
 * last test here checks without the network.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import YAML from 'yaml';
import { ensureBuilt } from './helpers/gate-cli';
import { tempDir } from './helpers/tmp-config';

const ROOT = path.resolve(__dirname, '..');

function which(cmd: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

const preCommit = which('pre-commit');
const maybe = preCommit && which('git') ? describe : describe.skip;
if (!preCommit) {
  console.log('note: pre-commit is not installed (Debian: apt-get install -y pre-commit); the pre-commit end-to-end test is skipped');
}

maybe('pre-commit hook (end to end)', () => {
  let repo: string;
  let env: NodeJS.ProcessEnv;
  const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { cwd: repo, env, encoding: 'utf8' });
  const write = (name: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(repo, name)), { recursive: true });
    fs.writeFileSync(path.join(repo, name), text);
  };
  const commit = (message: string) => {
    run('git', ['add', '-A']);
    const r = run('git', ['commit', '-m', message]);
    return { code: r.status, output: r.stdout + r.stderr };
  };

  beforeAll(() => {
    ensureBuilt();
    const tmp = tempDir('pbxlint-precommit-');
    repo = path.join(tmp, 'pbx-config');
    fs.mkdirSync(repo);
    env = { ...process.env, PRE_COMMIT_HOME: path.join(tmp, 'pre-commit-home'), HOME: tmp, GIT_CONFIG_NOSYSTEM: '1', NO_COLOR: '1', PRE_COMMIT_COLOR: 'never' };
    run('git', ['init', '-q', '-b', 'main']);
    run('git', ['config', 'user.email', 'pbx@example.com']);
    run('git', ['config', 'user.name', 'PBX admin']);
    // The shipped hook, made local: same args, files pattern and flags; entry → this checkout.
    const shipped = YAML.parse(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')).find((h: { id: string }) => h.id === 'pbxlint');
    const entry = String(shipped.entry).replace(/^pbxlint\b/, `${process.execPath} ${path.join(ROOT, 'bin/pbxlint.js')}`);
    const hook = { ...shipped, entry, language: 'system' };
    delete hook.minimum_pre_commit_version;
    write('.pre-commit-config.yaml', YAML.stringify({ repos: [{ repo: 'local', hooks: [hook] }] }));
    const install = run('pre-commit', ['install']);
    expect(install.status).toBe(0);
  });

  test('the shipped manifest is valid for pre-commit', () => {
    const r = spawnSync('pre-commit', ['validate-manifest', path.join(ROOT, '.pre-commit-hooks.yaml')], { env, encoding: 'utf8' });
    expect(r.stderr + r.stdout).toBe('');
    expect(r.status).toBe(0);
  });

  test('a commit with a broken configuration is refused, with the finding in the output', () => {
    write('asterisk/extensions.conf', '[from-internal]\nexten => _1XXX,1,Dial(PJSIP/${EXTEN},20)\n');
    write('asterisk/pjsip.conf', '[1001]\ntype=endpoint\ncontext=from-internl\naors=1001\n[1001]\ntype=aor\nmax_contacts=1\n');
    const r = commit('add phones');
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('pbxlint');
    expect(r.output).toContain('Failed');
    expect(r.output).toMatch(/asterisk\/pjsip\.conf\n\s+3:9\s+error\s+endpoint 1001 sends its calls to context "from-internl", which does not exist/);
    expect(run('git', ['rev-parse', '--verify', '-q', 'HEAD']).status).not.toBe(0); // nothing was committed
  });

  test('the fixed configuration commits', () => {
    write('asterisk/pjsip.conf', '[1001]\ntype=endpoint\ncontext=from-internal\naors=1001\n[1001]\ntype=aor\nmax_contacts=1\n');
    const r = commit('add phones');
    expect(r.output).toMatch(/pbxlint.*Passed/);
    expect(r.code).toBe(0);
  });

  test('a change to an included file is checked through its root; other files skip the hook', () => {
    write('asterisk/extensions.conf', '[from-internal]\nexten => _1XXX,1,Dial(PJSIP/${EXTEN},20)\n#include extensions_custom.conf\n');
    write('asterisk/extensions_custom.conf', '[custom]\nexten => 500,1,Goto(no-such-menu,s,1)\n');
    const refused = commit('custom menu');
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain('goto-target-missing');
    write('asterisk/extensions_custom.conf', '[custom]\n; pbxlint-disable-next-line goto-target-missing -- menu loaded from realtime\nexten => 500,1,Goto(no-such-menu,s,1)\n');
    expect(commit('custom menu, suppressed').code).toBe(0);
    write('README.md', '# our PBX\n');
    const readme = commit('readme');
    expect(readme.output).toMatch(/pbxlint.*Skipped/);
    expect(readme.code).toBe(0);
  });
});

describe('language: node prerequisites (no network)', () => {
  test('`npm pack` prints only the tarball name on stdout (pre-commit installs that file)', () => {
    const r = spawnSync('npm', ['pack', '--dry-run'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, npm_config_offline: 'true' } });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^pbxlint-\d+\.\d+\.\d+\.tgz$/);
  });
});
