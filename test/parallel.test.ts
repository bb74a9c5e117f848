/**
 * Many roots on worker threads (src/parallel.ts): the same report as linting them in this thread,
 * in the same order. The workers run the compiled code (dist/src/lint-worker.js; `npm run build`);
 * without it the run stays in this thread, which the test notes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { lintCommand } from '../src/config/lint-command';
import { workersFor, type LintJob } from '../src/parallel';
import { writeTree } from './helpers/tmp-config';

const files: Record<string, string> = {};
for (let i = 0; i < 12; i++) {
  const root = `customer${String(i).padStart(2, '0')}`;
  files[`${root}/pjsip.conf`] = `[ep${i}]\ntype=endpoint\ncontext=from-internal\naors=ep${i}\n[ep${i}]\ntype=aor\nmax_contacts=1\n`;
  files[`${root}/extensions.conf`] = `[from-internal]\nexten => 100,1,Dial(PJSIP/ep${i})\nexten => 101,1,Dial(PJSIP/missing${i})\n same => n,Goto(nowhere,s,1)\n`;
}
files['kamailio/kamailio.cfg'] = 'loadmodule "sl.so"\nrequest_route {\n  sl_send_reply("404", "Not here");\n}\n';
let dir: string;
beforeAll(() => {
  dir = writeTree(files);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function lint(workers: number): { code: number; out: string } {
  const out: string[] = [];
  const code = lintCommand({ paths: [dir], load: {}, format: 'json', workers }, { stdout: (s) => out.push(s), stderr: () => {}, cwd: dir, color: false });
  return { code, out: out.join('') };
}

test('roots linted on worker threads give the serial report, in the same order', () => {
  if (!fs.existsSync(path.resolve(__dirname, '../dist/src/lint-worker.js'))) console.log('note: dist/ is not built; the parallel run stays in this thread');
  const serial = lint(0);
  const parallel = lint(3);
  expect(parallel).toEqual(serial);
  const found = JSON.parse(serial.out) as { ruleId: string; file: string }[];
  expect(found.filter((f) => f.ruleId === 'dial-endpoint-missing')).toHaveLength(12);
});

test('small runs stay in this thread', () => {
  const jobs: LintJob[] = Array.from({ length: 12 }, (_, i) => ({ root: { platform: 'asterisk' as const, path: path.join(dir, `customer${String(i).padStart(2, '0')}`) }, options: {} }));
  expect(workersFor(jobs.slice(0, 3))).toBe(0); // few roots
  expect(workersFor(jobs)).toBe(0); // little configuration
  expect(workersFor(jobs, 2)).toBe(2);
});
