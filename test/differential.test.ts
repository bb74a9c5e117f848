/**
 * pbxlint against the real engines: every answer recorded under ../shared/differential (see the
 * READMEs there for the conditions) is simulated with `pbxlint route`'s resolver and compared.
 * Agreement is printed per engine; a disagreement fails unless test/differential/known-<engine>.txt
 * lists it with its reason, and a listed case that now agrees fails too (the list stays true).
 * Skipped with a printed note when ../shared is absent.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadRoot, routeWith } from '../src/engines';
import {
  DIFFERENTIAL,
  asteriskRequest,
  caseDirs,
  compareAsterisk,
  compareFreeswitch,
  freeswitchRequest,
  knownLimitations,
  readJsonl,
  type AsteriskRecord,
  type Comparison,
  type FreeswitchCase,
  type FreeswitchRecord,
} from './differential/recorded';

const present = fs.existsSync(DIFFERENTIAL);
if (!present) console.log(`note: ${DIFFERENTIAL} is absent (fresh clone without ../shared); differential test skipped`);
const run = present ? test : test.skip;

function check(engine: string, comparisons: Comparison[]): void {
  const known = knownLimitations(engine);
  const agreeing = comparisons.filter((c) => c.agrees).length;
  const unexpected = comparisons.filter((c) => !c.agrees && !known.has(c.key));
  const stale = comparisons.filter((c) => c.agrees && known.has(c.key)).map((c) => c.key);
  const unknownKeys = [...known.keys()].filter((k) => !comparisons.some((c) => c.key === k));
  console.log(
    `differential ${engine}: ${agreeing}/${comparisons.length} recorded answers agree` +
      ` (${comparisons.length - agreeing - unexpected.length} known limitations, ${unexpected.length} unexpected)`,
  );
  expect(unexpected.map((c) => `${c.key}\n    engine:  ${c.want}\n    pbxlint: ${c.got}`)).toEqual([]);
  expect(stale).toEqual([]);
  expect(unknownKeys).toEqual([]);
}

run('Asterisk 22.10.1: the extension that runs for each recorded query', () => {
  const comparisons: Comparison[] = [];
  for (const dir of caseDirs('asterisk')) {
    const model = loadRoot({ platform: 'asterisk', path: dir }, {});
    for (const r of readJsonl<AsteriskRecord>(path.join(dir, 'expected.jsonl'))) {
      comparisons.push(compareAsterisk(dir, r, routeWith(model, asteriskRequest(r))));
    }
  }
  expect(comparisons.length).toBeGreaterThan(1000);
  check('asterisk', comparisons);
});

run('Asterisk 22.10.1: the coverage map puts each recorded query in a class with the recorded answer, as route does', () => {
  const { runCoverage } = require('../src/coverage/run') as typeof import('../src/coverage/run');
  const { asteriskCoverage } = require('../src/coverage/asterisk') as typeof import('../src/coverage/asterisk');
  const { languageOfClass } = require('../src/coverage/partition') as typeof import('../src/coverage/partition');
  const { accepts } = require('../src/automata/dfa') as typeof import('../src/automata/dfa');
  let total = 0;
  let mapAgrees = 0;
  let notModelled = 0;
  const differ: string[] = [];
  for (const dir of caseDirs('asterisk')) {
    const model = loadRoot({ platform: 'asterisk', path: dir }, {});
    const maps = new Map<string, ReturnType<typeof runCoverage>>();
    for (const r of readJsonl<AsteriskRecord>(path.join(dir, 'expected.jsonl'))) {
      const req = asteriskRequest(r);
      const key = `${req.context}\u0000${req.callerId}`;
      let map = maps.get(key);
      if (!map) maps.set(key, (map = runCoverage('asterisk', asteriskCoverage as never, model, { base: { ...req, user: '' }, strict: true })));
      const cls = map.entries[0].classes.find((c) => accepts(languageOfClass(c)!, r.number))!;
      const viaFile = cls.via ? path.relative(dir, cls.via.file) : undefined;
      // As compareAsterisk: the recording's "no match" is the Local channel's origination failing (no SIP status).
      const agrees = r.matched ? viaFile === r.file && cls.via?.line === r.line : cls.verdict === 'rejected' && cls.status === null;
      total++;
      // A class marked not modelled claims no outcome to compare — unless what is not modelled
      // comes after the lookup (an application reading the number): its lookups are exact, so
      // its winning extension (via) still is, and a matched record can be compared with it.
      const afterLookup = cls.notModelled?.every((n) => / (uses|reads) the dialled number$/.test(n)) ?? true;
      if (cls.notModelled?.length && !(afterLookup && r.matched)) {
        notModelled++;
        continue;
      }
      const routeAgrees = compareAsterisk(dir, r, routeWith(model, req)).agrees;
      if (agrees) mapAgrees++;
      if (agrees !== routeAgrees) differ.push(`${path.basename(dir)} ${r.query}: map ${agrees ? 'agrees' : 'disagrees'} (${cls.regex} → ${cls.verdict} ${viaFile}:${cls.via?.line}), route ${routeAgrees ? 'agrees' : 'disagrees'}`);
    }
  }
  console.log(`differential asterisk (coverage map): ${mapAgrees}/${total} recorded answers agree with their class, ${notModelled} fall in classes marked not modelled; ${differ.length} differ from route's agreement`);
  expect(differ).toEqual([]);
  // 167 before extenpatternmatchnew=yes was mapped (lookup-cells.ts trieCell): pinned, so a regression shows.
  expect(notModelled).toBe(0);
});

run('FreeSWITCH 1.10.12: the final status (and the extension that decided it) for each recorded INVITE', () => {
  const comparisons: Comparison[] = [];
  for (const dir of caseDirs('freeswitch')) {
    const facts = JSON.parse(fs.readFileSync(path.join(dir, 'case.json'), 'utf8')) as FreeswitchCase;
    const model = loadRoot({ platform: 'freeswitch', path: path.join(dir, 'conf') }, {});
    for (const r of readJsonl<FreeswitchRecord>(path.join(dir, 'expected.jsonl'))) {
      comparisons.push(compareFreeswitch(dir, r, routeWith(model, freeswitchRequest(r.request, facts))));
    }
  }
  expect(comparisons.length).toBeGreaterThan(500);
  check('freeswitch', comparisons);
});
