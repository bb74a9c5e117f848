/**
 * `pbxlint explain` against a capture recorded now from the real Kamailio (Debian package) with
 * tcpdump: every failed transaction must be explained by the right line of the cfg.
 * Skips with a note when kamailio or tcpdump is missing (or tcpdump may not capture: not root).
 * With PBXLINT_RECORD_FIXTURES=1 the recording replaces fixtures/explain/captures.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readCapture } from '../src/capture';
import { explainCapture } from '../src/explain';
import { loadOneRoot } from '../src/route';
import { checkOffice } from './explain/expected';
import { CFG, record, toolPath } from './explain/record';
import { kamailioBinary } from './kamailio-oracle/kamailio';

const kamailio = kamailioBinary();
const tcpdump = toolPath('tcpdump');
const root = typeof process.getuid === 'function' && process.getuid() === 0;
const FIXTURES = path.resolve(__dirname, '../fixtures/explain/captures');

const run = kamailio && tcpdump && root ? test : test.skip;
if (!(kamailio && tcpdump && root)) console.log(`explain-live: skipped (${!kamailio ? 'kamailio not installed' : !tcpdump ? 'tcpdump not installed' : 'not root: tcpdump cannot capture'})`);

run(
  'a capture recorded from the real Kamailio is explained line by line, in every format',
  async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbxlint-explain-'));
    const keep = process.env.PBXLINT_KEEP_RECORDING === '1';
    try {
      const rec = await record(kamailio!, tcpdump!, dir);
      const model = loadOneRoot([CFG], { defines: [`LPORT=${rec.P}`, `GWPORT=${rec.D}`] });
      for (const [kind, file] of Object.entries(rec.files)) {
        const capture = readCapture(fs.readFileSync(file));
        // tcpdump on "any" now and then loses a loopback packet (a TCP reply): the reader says so
        // ("bytes missing"), and that transaction then has no final reply. Only the capture on lo
        // (and what is made from it) must be complete.
        const lost = capture.diagnostics.filter((d) => /bytes missing/.test(d.message));
        if (lost.length && (kind === 'sll' || kind === 'sll2')) {
          console.log(`explain-live: the ${kind} capture lost packets (${lost.map((d) => `frame ${d.frame}: ${d.message}`).join('; ')}); not compared`);
          continue;
        }
        const report = explainCapture(capture, model);
        expect({ kind, problems: checkOffice(report) }).toEqual({ kind, problems: [] });
      }
      if (process.env.PBXLINT_RECORD_FIXTURES === '1') {
        for (const file of Object.values(rec.files)) expect({ file, diagnostics: readCapture(fs.readFileSync(file)).diagnostics }).toEqual({ file, diagnostics: [] });
      }
      if (process.env.PBXLINT_RECORD_FIXTURES === '1') {
        fs.mkdirSync(FIXTURES, { recursive: true });
        for (const file of Object.values(rec.files)) fs.copyFileSync(file, path.join(FIXTURES, path.basename(file)));
        fs.writeFileSync(path.join(FIXTURES, 'ports.json'), JSON.stringify({ LPORT: rec.P, GWPORT: rec.D }, null, 2) + '\n');
      }
    } finally {
      if (keep) console.log(`explain-live: recording kept in ${dir}`);
      else fs.rmSync(dir, { recursive: true, force: true });
    }
  },
  60000,
);
