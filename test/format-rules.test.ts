/**
 * The number-format rules are consequences of the coverage map (issue 14): the class of numbers
 * of a format a finding names is exactly the union of the map's 404 classes of that entry point,
 * restricted to the format — on configurations with literals and patterns.
 */
import * as fs from 'fs';
import { countMembers, intersect, isEmpty, toRegex, unionAll, type Dfa } from '../src/automata/dfa';
import { asteriskCoverage } from '../src/coverage/asterisk';
import { formatNamed, NANP_FORMATS, phoneLikeExample } from '../src/coverage/format-class';
import { languageOfClass } from '../src/coverage/partition';
import { runCoverage } from '../src/coverage/run';
import type { CoverageReport } from '../src/coverage/types';
import type { Finding } from '../src/core/findings';
import { loadAsterisk } from '../src/parsers/asterisk';
import { findingsOf } from './helpers/rule-tester';
import { writeTree } from './helpers/tmp-config';

/** The union of the map's classes rejected with `status`, within `format`. */
function mapClass(report: CoverageReport, entryName: string, format: Dfa, status: number): Dfa {
  const entry = report.entries.find((e) => e.entry.name === entryName || e.entry.alsoFrom?.includes(entryName));
  if (!entry) throw new Error(`no entry ${entryName}`);
  const parts = entry.classes.filter((c) => c.verdict === 'rejected' && c.status === status).map((c) => intersect(languageOfClass(c)!, format));
  return unionAll(parts.filter((p) => !isEmpty(p)));
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('trunk-number-format (Asterisk)', () => {
  const trunk = (name: string, context: string, ip: string, overlap: 'yes' | 'no') => `[${name}]\ntype=endpoint\ncontext=${context}\nallow_overlap=${overlap}\n[${name}]\ntype=identify\nendpoint=${name}\nmatch=${ip}\n`;
  const dir = writeTree({
    'pjsip.conf': [
      trunk('carrier-e164', 'from-carrier', '192.0.2.1', 'no'),
      trunk('carrier-10', 'from-carrier', '192.0.2.2', 'no'),
      trunk('carrier-11', 'from-carrier', '192.0.2.3', 'no'),
      trunk('carrier-overlap', 'from-overlap', '192.0.2.4', 'yes'),
    ].join('\n'),
    'extensions.conf': [
      '[from-carrier]',
      'exten => 2025550100,1,Answer()',
      'exten => 2025550101,1,Answer()',
      'exten => 12025550199,1,Answer()',
      'exten => _1NXX555XXXX,1,Answer()',
      'exten => _+1202NXXXXXX,1,Answer()',
      'exten => _+1303NXXXXXX/5551234,1,Answer()',
      'include => more',
      '[more]',
      'exten => _+1404NXXXXXX,1,Answer()',
      'exten => 3035550100,1,Answer()',
      '[from-overlap]',
      'exten => _2025550XXXX,1,Answer()',
      'exten => 3035550100,1,Answer()',
      'exten => _1NXXNXXXXXX,1,Answer()',
    ].join('\n') + '\n',
  });
  dirs.push(dir);
  const declared = { 'carrier-e164': 'e164', 'carrier-10': 'national10', 'carrier-11': 'national11', 'carrier-overlap': 'national10' } as const;
  const findings = findingsOf('trunk-number-format', dir, { settings: { 'trunk-number-format': ['warning', { trunkFormats: declared }] } });
  const model = loadAsterisk(dir);
  const report = runCoverage('asterisk', asteriskCoverage, model, { base: { user: '', method: 'INVITE' }, strict: true });

  for (const [endpoint, f] of Object.entries(declared)) {
    test(`${endpoint}: the class of ${f} numbers is the map's 404 classes ∩ the format`, () => {
      const format = formatNamed(NANP_FORMATS[f]).language;
      const expected = mapClass(report, endpoint, format, 404);
      const finding = findings.find((x: Finding) => x.message.startsWith(`${endpoint} `));
      expect(isEmpty(expected)).toBe(false);
      expect(finding?.numbers).toHaveLength(1);
      const n = finding!.numbers![0];
      expect([n.regex, n.count, n.status]).toEqual([toRegex(expected), countMembers(expected), 404]);
      expect(n.example).toBe(phoneLikeExample(expected));
      expect(finding!.wire).toBe(`INVITE for ${n.example} from ${endpoint} → 404 (no extension in [${endpoint === 'carrier-overlap' ? 'from-overlap' : 'from-carrier'}] matches it)`);
    });
  }

  test('what the findings say: the class in words, the deciding context, overlap 484s left out', () => {
    const byEp = new Map(findings.map((x) => [x.message.split(' ')[0], x.numbers![0]]));
    // The literals and patterns of the context and its include are taken out; the caller-ID match is the caller's matter (not 404 for every caller).
    expect(byEp.get('carrier-e164')!.description).toBe('all but 24,000,000 of the 6,400,000,000 numbers of +1NXXNXXXXXX (E.164 NANP) (6,376,000,000)');
    expect(byEp.get('carrier-10')!.description).toBe('all 6,399,999,997 numbers of NXXNXXXXXX (10-digit) but 2025550100, 2025550101, 3035550100');
    expect(byEp.get('carrier-overlap')!.description).toBe('all but 1,001 of the 6,400,000,000 numbers of NXXNXXXXXX (10-digit) (6,399,998,999)');
    expect(byEp.get('carrier-10')!.via).toEqual({ file: expect.stringMatching(/extensions\.conf$/), line: 1 });
  });
});
