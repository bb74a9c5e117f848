/**
 * `pbxlint coverage --format html` renders in a real headless browser (Debian's chromium): the
 * page is self-contained (no script, no network), so the DOM the browser builds holds every
 * entry point's map and table. Skipped with a note when chromium is not installed.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { coverageCommand, displayRows, renderCoverageHtml } from '../src/coverage/command';

const browser = ['chromium', 'chromium-browser', 'google-chrome'].find((b) => spawnSync('which', [b]).status === 0);
if (!browser) console.log('note: no chromium on PATH; the headless rendering test of coverage --format html is skipped');
const run = browser ? test : test.skip;

run('the coverage page of the bundled PBX renders in headless chromium', () => {
  const dir = path.join(__dirname, '..', 'fixtures', 'examples', 'asterisk-pbx');
  const report = coverageCommand([dir], {});
  const html = renderCoverageHtml(report, process.cwd());
  expect(html).not.toMatch(/<script|https?:\/\//);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pbxlint-html-'));
  try {
    const file = path.join(tmp, 'coverage.html');
    fs.writeFileSync(file, html);
    const r = spawnSync(browser!, ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', `--user-data-dir=${path.join(tmp, 'profile')}`, '--dump-dom', `file://${file}`], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(0);
    const dom = r.stdout;
    expect(dom).toMatch(/<h1>pbxlint coverage — asterisk<\/h1>/);
    // One section per entry point, each with its class rows coloured by outcome.
    expect((dom.match(/<section id="entry-/g) ?? []).length).toBe(report.entries.length);
    const rows = report.entries.reduce((n, e) => n + displayRows(e.classes).length, 0);
    expect((dom.match(/<tr class="(routed|rejected|depends)">/g) ?? []).length).toBe(rows);
    expect(dom).toMatch(/endpoint trunk-a/);
    expect(dom).toMatch(/href="file:\/\/[^"]*extensions\.conf#L\d+"/);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
