/** src/core/glob.ts: the glob(3) subset the engines' includes use. */
import * as fs from 'fs';
import * as path from 'path';
import { glob } from '../src/core/glob';
import { writeTree } from './helpers/tmp-config';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

test('a run of stars is one star (found by npm run fuzz: 48 stars backtracked without end on a name that does not match)', () => {
  const dir = writeTree({ 'external/a.xml': '<include/>\n', 'external/b.txt': 'x\n' });
  dirs.push(dir);
  expect(glob(path.join(dir, 'external', `${'*'.repeat(48)}.xml`))).toEqual([path.join(dir, 'external/a.xml')]);
  expect(glob(path.join(dir, 'external', `${'*'.repeat(48)} -->`))).toEqual([]);
});
