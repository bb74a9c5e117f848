/**
 * The coverage map against the answers recorded from FreeSWITCH 1.10.12 (../shared/differential,
 * conditions in its README): the class containing each recorded number must have the outcome
 * `route` gives that number (the map is exact where route is), and so agrees with the record
 * exactly where route does. Agreement counts are printed. Skipped with a note without ../shared.
 */
import * as fs from 'fs';
import * as path from 'path';
import { accepts } from '../src/automata/dfa';
import { coverEntry, languageOfClass } from '../src/coverage/partition';
import { freeswitchCoverage } from '../src/coverage/freeswitch';
import { loadRoot, routeWith } from '../src/engines';
import type { FreeswitchModel } from '../src/model/freeswitch';
import type { RouteRequest } from '../src/resolvers/types';
import { DIFFERENTIAL, caseDirs, freeswitchRequest, readJsonl, type FreeswitchCase, type FreeswitchRecord } from './differential/recorded';

const present = fs.existsSync(DIFFERENTIAL);
if (!present) console.log(`note: ${DIFFERENTIAL} is absent (fresh clone without ../shared); coverage differential test skipped`);
const run = present ? test : test.skip;

const labeller = { describe: () => ({ description: '' }) };

run('FreeSWITCH 1.10.12: each recorded number falls in a class with the outcome route gives it', () => {
  let records = 0;
  let routeAgrees = 0;
  let mapAgrees = 0;
  let notModelled = 0;
  const mismatches: string[] = [];
  const reasons = new Map<string, number>();
  for (const dir of caseDirs('freeswitch')) {
    const facts = JSON.parse(fs.readFileSync(path.join(dir, 'case.json'), 'utf8')) as FreeswitchCase;
    const model = loadRoot({ platform: 'freeswitch', path: path.join(dir, 'conf') }, {}) as FreeswitchModel;
    // one map per request shape (profile, caller, host): the numbers vary within it
    const maps = new Map<string, ReturnType<typeof coverEntry>>();
    for (const r of readJsonl<FreeswitchRecord>(path.join(dir, 'expected.jsonl'))) {
      const req = freeswitchRequest(r.request, facts);
      const { user, ...base } = req;
      const key = JSON.stringify(base);
      let cov = maps.get(key);
      if (!cov) {
        const t0 = Date.now();
        cov = coverEntry(freeswitchCoverage, model, { entry: { kind: 'profile', name: base.profile ?? '', file: '', line: 1 }, request: base as RouteRequest }, { maxClasses: 2000 }, labeller);
        maps.set(key, cov);
        if (process.env.SHOW_TIME) process.stdout.write(`TIME ${path.basename(dir)} ${Date.now() - t0}ms classes=${cov.classes.length}\n`);
        if (process.env.SHOW_NM) {
          const reasons = new Set(cov.classes.flatMap((k) => k.notModelled ?? []));
          process.stdout.write(`MAP ${path.basename(dir)} ${key.slice(0, 80)} classes=${cov.classes.length} notes=${cov.notes ?? ''}\n${[...reasons].map((x) => `   NM ${x}`).join('\n')}\n`);
        }
      }
      records++;
      const answer = routeWith(model, req);
      const status = (v: string, s: number | null) => (v === 'routed' ? 200 : v === 'depends' ? 'depends' : s);
      const routeStatus = status(answer.verdict, answer.status);
      if (routeStatus === r.status) routeAgrees++;
      const c = cov.classes.find((k) => accepts(languageOfClass(k)!, user));
      if (!c) throw new Error(`${path.basename(dir)} ${r.request}: in no class`);
      if (c.notModelled?.length) {
        notModelled++;
        for (const why of c.notModelled) reasons.set(why.replace(/^.*?: /, ''), (reasons.get(why.replace(/^.*?: /, '')) ?? 0) + 1);
        continue;
      }
      const mapStatus = status(c.verdict, c.status);
      if (mapStatus === r.status) mapAgrees++;
      if (mapStatus !== routeStatus) mismatches.push(`${path.basename(dir)} ${r.request}: route ${routeStatus}, map ${mapStatus} (class /${c.regex}/, example "${c.example}")`);
    }
  }
  console.log(`coverage differential freeswitch: ${records} recorded answers; route agrees with ${routeAgrees}, the map with ${mapAgrees} (${notModelled} in not-modelled classes); map ≠ route: ${mismatches.length}`);
  if (process.env.SHOW_NM) console.log([...reasons].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${v}× ${k}`).join('\n'));
  expect(records).toBeGreaterThan(500);
  expect(mismatches).toEqual([]);
  // 198 before the lookbehinds, back-references and top-level (?i) route's PCRE matcher runs were
  // mapped (pcre-re.ts); 39 before respond with a status from the number, "$2$1" / "21$1$1" and
  // (\d+?)(\d*)$ captures were; 11 before possessive quantifiers and atomic groups on one
  // character set were (pcre.ts possessiveText / atomicBody): none left.
  expect(notModelled).toBe(0);
});
