/**
 * Coverage (Asterisk): literal extensions mapped one by one without the observer
 * (PathObserver.literals, partition.ts expandLiterals), and answers taken over from the literal
 * dialled directly (sameAs) — checked string by string against route, in strict mode (which
 * also simulates every taken-over string and compares).
 */
import { asteriskCoverage } from '../src/coverage/asterisk';
import { runCoverage } from '../src/coverage/run';
import type { CoverageEngine } from '../src/coverage/types';
import type { AsteriskModel } from '../src/model/asterisk';
import { loadAsterisk } from '../src/parsers/asterisk';
import { asteriskResolver } from '../src/resolvers/asterisk';
import type { RouteRequest } from '../src/resolvers/types';
import { writeTree } from './helpers/tmp-config';
import { sameOutcome } from './helpers/coverage-outcome';

const PJSIP = ['[trunk]', 'type=endpoint', 'context=from-trunk', '[ep1]', 'type=endpoint', 'context=from-internal', 'aors=ep1', '[ep1]', 'type=aor', 'max_contacts=1'].join('\n');

/** `n` priorities, the last a Hangup: the run of a long but finite body. */
function longBody(name: string, n: number): string[] {
  return [`exten => ${name},1,NoOp(1)`, ...Array.from({ length: n - 2 }, (_, i) => ` same => n,NoOp(${i + 2})`), ' same => n,Hangup(21)'];
}

const DIALPLAN = [
  '[from-trunk]',
  // E.164 normalised by a Goto in the same context: the channel is as chan_pjsip left it.
  'exten => _+1NXXNXXXXXX,1,Goto(${EXTEN:2},1)',
  // A Set first: the channel carries a variable the literal reads — no answer is taken over.
  'exten => _9NXXNXXXXXX,1,Set(FROM9=yes)',
  ' same => n,Goto(${EXTEN:1},1)',
  'exten => _X.,1,Hangup(1)',
  'exten => 2025550100,1,Dial(PJSIP/ep1,20)',
  ' same => n,VoiceMail(100@default,u)',
  'exten => 2025550101,1,GotoIf($["${FROM9}" = "yes"]?busy)',
  ' same => n,Playback(hello-world)',
  ' same => n,Hangup()',
  ' same => n(busy),Busy()',
  'exten => 2025550102,1,Dial(PJSIP/${EXTEN},20)',
  // 400 priorities dialled directly (the step budget), 401 after the Goto: the loop note.
  ...longBody('2025550103', 400),
  'exten => 2025550104,1,Answer()',
  ' same => n,Playback(${EXTEN})',
  ' same => n,Hangup()',
  '[from-internal]',
  'exten => _NXXNXXXXXX,1,Goto(from-trunk,${EXTEN},1)',
].join('\n');

/** The coverage engine, keeping the dialled string of each route call it makes (observed or not). */
function counted(): { engine: CoverageEngine<AsteriskModel>; routed: string[]; observed: string[] } {
  const routed: string[] = [];
  const observed: string[] = [];
  const engine: CoverageEngine<AsteriskModel> = {
    ...asteriskCoverage,
    route(model, request) {
      (request.observe ? observed : routed).push(request.user);
      return asteriskCoverage.route(model, request);
    },
  };
  return { engine, routed, observed };
}

describe('a test on the number reported before the normalising Goto', () => {
  // UserEvent reads the number in a finite pattern: its test is the string alone (pbx.ts
  // usesDialled), reported before the literal lookup. Only the lookup's own test is set aside
  // when the strings hinted with it are gathered (partition.ts expandLiterals).
  const dialplan = [
    '[from-trunk]',
    'exten => _+1202555010X,1,UserEvent(x,n: ${EXTEN})',
    ' same => n,Goto(${EXTEN:2},1)',
    'exten => _X.,1,Hangup(1)',
    'exten => 2025550100,1,Playback(hello-world)',
    ' same => n,Hangup()',
    'exten => 2025550101,1,Hangup(17)',
  ].join('\n');
  test('each number of the pattern has the class route gives it', () => {
    const model = loadAsterisk(writeTree({ 'pjsip.conf': PJSIP, 'extensions.conf': dialplan }));
    const base: RouteRequest = { user: '', method: 'INVITE', endpoint: 'trunk' };
    const classes = runCoverage('asterisk', asteriskCoverage, model, { base, strict: true }).entries[0].classes;
    for (let i = 0; i < 10; i++) {
      const s = `+1202555010${i}`;
      const c = classes.find((k) => new RegExp(k.regex).test(s))!;
      expect(c.notModelled).toBeUndefined();
      expect({ s, same: sameOutcome(c, asteriskResolver.route(model, { ...base, user: s })) }).toEqual({ s, same: true });
    }
  });
});

describe('literal extensions reached directly and through a Goto', () => {
  const model = loadAsterisk(writeTree({ 'pjsip.conf': PJSIP, 'extensions.conf': DIALPLAN }));
  const numbers = ['2025550100', '2025550101', '2025550102', '2025550103', '2025550104'];

  test.each([
    ['trunk', (n: string) => [n, `+1${n}`, `9${n}`]],
    ['ep1', (n: string) => [n]],
  ])('from %s, every literal and its forms have the class route gives them', (endpoint, forms) => {
    const base: RouteRequest = { user: '', method: 'INVITE', endpoint };
    const report = runCoverage('asterisk', asteriskCoverage, model, { base, strict: true });
    const classes = report.entries[0].classes;
    for (const n of numbers) {
      for (const s of forms(n)) {
        const c = classes.find((k) => new RegExp(k.regex).test(s));
        expect(c).toBeDefined();
        const answer = asteriskResolver.route(model, { ...base, user: s });
        // A class with constructs not modelled only has to hold the string (as in coverage-asterisk.test.ts).
        if (c!.notModelled) expect(answer.notModelled.length + (answer.verdict === 'depends' ? 1 : 0)).toBeGreaterThan(0);
        else expect({ s, same: sameOutcome(c!, answer) }).toEqual({ s, same: true });
      }
    }
  });

  test('the loop budget: 400 priorities directly, a loop note after the Goto', () => {
    const base: RouteRequest = { user: '', method: 'INVITE', endpoint: 'trunk' };
    expect(asteriskResolver.route(model, { ...base, user: '2025550103' }).notModelled).toEqual([]);
    expect(asteriskResolver.route(model, { ...base, user: '+12025550103' }).notModelled.join(' ')).toMatch(/loops/);
    const classes = runCoverage('asterisk', asteriskCoverage, model, { base, strict: true }).entries[0].classes;
    const plus = classes.find((k) => new RegExp(k.regex).test('+12025550103'))!;
    expect(plus.verdict).toBe('depends');
    expect(plus.notModelled?.join(' ')).toMatch(/loops/);
  });

  test('the variable set before the Goto: 9 + 2025550101 is busy; 2025550101 depends on a variable never set', () => {
    const base: RouteRequest = { user: '', method: 'INVITE', endpoint: 'trunk' };
    const classes = runCoverage('asterisk', asteriskCoverage, model, { base, strict: true }).entries[0].classes;
    const direct = classes.find((k) => new RegExp(k.regex).test('2025550101'))!;
    const nine = classes.find((k) => new RegExp(k.regex).test('92025550101'))!;
    expect(direct.verdict).toBe('depends');
    expect(direct.outcomes?.map((o) => o.status ?? o.target?.name).sort()).toEqual([486, 'Playback(hello-world)']);
    expect(nine.status).toBe(486);
  });

  test('literals after the normalising Goto are simulated once each, none observed one by one', () => {
    const base: RouteRequest = { user: '', method: 'INVITE', endpoint: 'trunk' };
    const { engine, routed, observed } = counted();
    const plain = runCoverage('asterisk', asteriskCoverage, model, { base }).entries[0].classes;
    const fast = runCoverage('asterisk', engine, model, { base }).entries[0].classes;
    expect(JSON.stringify(fast)).toBe(JSON.stringify(plain));
    // The seeds alone, unobserved; of the +1 forms one is observed (the first the walk meets) and
    // two simulated alone — +12025550101, whose seed's answer rests on a construct not modelled,
    // and +12025550103, whose seed's 400 priorities do not fit after the Goto; the others take
    // their seed's answer. The 9 forms (a Set before the Goto) are each simulated.
    expect(numbers.every((n) => routed.includes(n))).toBe(true);
    expect(observed.filter((u) => numbers.includes(u.slice(2)) && u.startsWith('+1'))).toEqual(['+12025550100']);
    expect(routed.filter((u) => u.startsWith('+1'))).toEqual(['+12025550101', '+12025550103']);
    expect(numbers.slice(1).every((n) => routed.includes(`9${n}`))).toBe(true);
  });

  test('across entry points: ep1 reaches the literals by Goto(from-trunk,${EXTEN},1) and takes the answers trunk kept', () => {
    const base: RouteRequest = { user: '', method: 'INVITE' };
    const { engine, routed } = counted();
    const plain = runCoverage('asterisk', asteriskCoverage, model, { base });
    const fast = runCoverage('asterisk', engine, model, { base });
    expect(JSON.stringify(fast)).toBe(JSON.stringify(plain));
    expect(fast.entries.map((e) => e.entry.name)).toEqual(['trunk', 'ep1']);
    // Each seed once (by trunk); ep1's forms of them not at all, but 2025550101 (its seed's answer
    // has a note) and 2025550103 (400 priorities do not fit after ep1's Goto).
    for (const n of numbers) expect(routed.filter((u) => u === n)).toHaveLength(n === '2025550101' || n === '2025550103' ? 2 : 1);
    // Strict: every taken-over answer checked against its own simulation.
    expect(() => runCoverage('asterisk', asteriskCoverage, model, { base, strict: true })).not.toThrow();
  });

  test('from ep1 alone (trunk not mapped first), the names are simulated as dialled into from-trunk, then reused', () => {
    const base: RouteRequest = { user: '', method: 'INVITE', endpoint: 'ep1' };
    const { engine, routed } = counted();
    const plain = runCoverage('asterisk', asteriskCoverage, model, { base });
    const fast = runCoverage('asterisk', engine, model, { base });
    expect(JSON.stringify(fast)).toBe(JSON.stringify(plain));
    for (const n of numbers) expect(routed.filter((u) => u === n).length).toBeLessThanOrEqual(2);
  });
});
