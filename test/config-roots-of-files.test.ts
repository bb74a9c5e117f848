/** `lint --changed-files` (pre-commit): changed files → the configuration roots they belong to. */
import * as path from 'path';
import { rootsOfFiles } from '../src/config/roots-of-files';
import { cli, tempTree } from './helpers/gate-cli';

describe('roots of changed files', () => {
  const repo = tempTree({
    '.git/HEAD': 'ref: refs/heads/main\n',
    'README.md': '# pbx\n',
    'pbx/extensions.conf': '[from-internal]\nexten => 100,1,Goto(missing,s,1)\n#include custom/extensions_custom.conf\n',
    'pbx/pjsip.conf': '',
    'pbx/custom/extensions_custom.conf': '[custom]\nexten => 1,1,NoOp()\n',
    'notes/todo.txt': 'x\n',
  });
  const at = (p: string) => path.join(repo, p);

  test('a root file, an included file in a subdirectory, and files outside any root', () => {
    expect(rootsOfFiles([at('pbx/extensions.conf')])).toEqual([at('pbx')]);
    expect(rootsOfFiles([at('pbx/custom/extensions_custom.conf')])).toEqual([at('pbx')]);
    expect(rootsOfFiles([at('README.md'), at('notes/todo.txt')])).toEqual([]);
    expect(rootsOfFiles([at('pbx/pjsip.conf'), at('pbx/extensions.conf'), at('pbx/custom/extensions_custom.conf')])).toEqual([at('pbx')]);
  });

  test('the CLI lints each root once; with nothing to lint it exits 0', async () => {
    const r = await cli(['lint', '--changed-files', '--format', 'json', 'pbx/custom/extensions_custom.conf', 'pbx/extensions.conf', 'README.md'], repo);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).map((f: { ruleId: string; file: string }) => `${f.ruleId} ${f.file}`)).toEqual(['goto-target-missing pbx/extensions.conf']);
    const none = await cli(['lint', '--changed-files', 'README.md'], repo);
    expect(none.code).toBe(0);
    expect(none.stderr).toBe('');
  });
});
