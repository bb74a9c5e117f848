/**
 * The runner: rules' checks, then one shared walk over the dialplan for the visitors they
 * return (src/rules/walk.ts).
 */
import { createRule, type AnyRule } from '../src/rules/api';
import { runRules } from '../src/rules/runner';
import { loadAsterisk } from '../src/parsers/asterisk';
import { RULES } from '../rules';
import { writeTree } from './helpers/tmp-config';

const DIALPLAN = ['[a]', 'exten => 1,1,Answer()', ' same => n,Dial(PJSIP/nobody)', 'exten => _2X,1,Goto(b,s,1)', '[b]', 'exten => s,1,Hangup()', 'exten => 9,2,Hangup()'].join('\n') + '\n';

function model() {
  return loadAsterisk(writeTree({ 'extensions.conf': DIALPLAN, 'pjsip.conf': '[x]\ntype=endpoint\ncontext=a\n' }));
}

const meta = { description: 'test', defaultSeverity: 'warning' as const, platforms: ['asterisk' as const], docs: { why: '', engineBehaviour: '', bad: '', good: '', fix: '' } };

/** A rule that reports every extension and every line it is shown, as "ext" / "ext,priority,app". */
function recorder(id: string): AnyRule {
  return createRule({
    ...meta,
    id,
    check({ report, model: m }) {
      const at = { file: m.root, line: 1, column: 1 };
      return {
        extension(ext, ci) {
          report({ location: at, message: `${ext.name}@${ci.context.name}` });
        },
        priority(p, ext, ci) {
          report({ location: at, message: `${ext.name},${p.number},${p.app}@${ci.context.name}` });
        },
      };
    },
  });
}

test('a visitor sees every registered extension, then its lines, in the dialplan index order', () => {
  const found = runRules(model(), [recorder('rec')]).map((f) => f.message);
  expect(found).toEqual(['1@a', '1,1,Answer@a', '1,2,Dial@a', '_2X@a', '_2X,1,Goto@a', '9@b', '9,2,Hangup@b', 's@b', 's,1,Hangup@b']);
});

test('findings keep rule order: each rule\'s own, one rule after the other, although they are found in one walk', () => {
  const found = runRules(model(), [recorder('first'), recorder('second')]);
  const firstCount = found.filter((f) => f.ruleId === 'first').length;
  expect(firstCount).toBe(9);
  expect(found.slice(0, firstCount).every((f) => f.ruleId === 'first')).toBe(true);
  expect(found.slice(firstCount).every((f) => f.ruleId === 'second')).toBe(true);
});

test('a visitor that throws becomes one internal-error finding and is not called again; the other rules go on', () => {
  let calls = 0;
  const broken = createRule({
    ...meta,
    id: 'broken',
    check() {
      return {
        priority() {
          calls++;
          throw new Error('boom');
        },
      };
    },
  });
  const found = runRules(model(), [broken, recorder('rec')]);
  expect(calls).toBe(1);
  expect(found.filter((f) => f.ruleId === 'internal-error').map((f) => f.message)).toEqual([expect.stringMatching(/^rule broken failed: boom\. This is a pbxlint bug/)]);
  expect(found.filter((f) => f.ruleId === 'rec')).toHaveLength(9);
});

test('the rules that visit find the same as when each runs alone', () => {
  const m = model();
  const together = runRules(m, RULES);
  const alone = RULES.flatMap((r) => runRules(m, [r]));
  const key = (f: { ruleId: string; line: number; column: number; message: string }) => `${f.ruleId} ${f.line}:${f.column} ${f.message}`;
  expect(together.map(key).sort()).toEqual(alone.map(key).sort());
  expect(together.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['dial-endpoint-missing', 'missing-priority-1']));
});

/** A rule that reports the given positions and messages, in that order. */
function reporter(id: string, reports: [string, number, number, string][]): AnyRule {
  return createRule({
    ...meta,
    id,
    check({ report }) {
      for (const [file, line, column, message] of reports) report({ location: { file, line, column }, message });
    },
  });
}

test('repeated findings (same rule, position and message) are dropped, the first kept, whether or not the positions move forward', () => {
  const m = model();
  const forward: [string, number, number, string][] = [['/a', 1, 1, 'x'], ['/a', 1, 2, 'x'], ['/a', 3, 1, 'x'], ['/b', 1, 1, 'x']];
  expect(runRules(m, [reporter('fwd', forward)]).map((f) => `${f.file}:${f.line}:${f.column} ${f.message}`)).toEqual(['/a:1:1 x', '/a:1:2 x', '/a:3:1 x', '/b:1:1 x']);
  // A file that comes back (included twice), a line repeated, one position with two messages.
  const repeated: [string, number, number, string][] = [['/a', 5, 1, 'x'], ['/b', 1, 1, 'y'], ['/a', 5, 1, 'x'], ['/a', 5, 1, 'z'], ['/a', 2, 1, 'x'], ['/a', 5, 1, 'z'], ['/a', 2, 1, 'x']];
  expect(runRules(m, [reporter('rep', repeated)]).map((f) => `${f.file}:${f.line}:${f.column} ${f.message}`)).toEqual(['/a:5:1 x', '/b:1:1 y', '/a:5:1 z', '/a:2:1 x']);
  // Two rules reporting alike keep their own; a rule given twice is repeated.
  expect(runRules(m, [reporter('one', forward), reporter('two', forward)])).toHaveLength(8);
  const twice = reporter('same', forward);
  expect(runRules(m, [twice, twice])).toHaveLength(4);
});
