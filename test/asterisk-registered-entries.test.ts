/**
 * The dialplan index registers the loader's entries themselves (DialplanExtension, issue 18): the
 * first entry of each extension carries what registration adds, beside what it says as written.
 * Both views must stay right, whichever is read first.
 */
import * as path from 'path';
import { loadAsterisk } from '../src/parsers/asterisk';
import type { Extension } from '../src/model/asterisk';
import { DialplanExtension, RunStore, RUN_NUMBER } from '../src/parsers/asterisk/dialplan-extension';
import { dialplanIndex } from '../src/resolvers/asterisk/dialplan-index';
import { writeTree } from './helpers/tmp-config';

const registered = (model: ReturnType<typeof loadAsterisk>, context: string) => dialplanIndex(model).contexts.get(context)!.sorted;

test('merged entries: the first entry is the extension; its own lines, labels and location stay as written', () => {
  const dir = writeTree({
    'extensions.conf': ['[ctx]', 'exten => 100,1(start),NoOp(a)', ' same => n,Hangup()', 'exten => 200,1,NoOp(b)', 'exten => 100,2(two),NoOp(refused)', ' same => 3(end),Hangup(done)', ''].join('\n'),
  });
  const model = loadAsterisk(dir);
  const entries = model.dialplan.contexts.get('ctx')!.extensions;
  const [first, , second] = entries as DialplanExtension[];
  const sorted = registered(model, 'ctx');
  expect(sorted.map((e) => e.name)).toEqual(['100', '200']);
  expect(sorted[0]).toBe(first);
  expect(first.sources).toEqual([first, second]);
  // As registered: priority 2 of the second entry is refused, 3 is added.
  expect(first.registeredPriorities.values().map((p) => `${p.number}:${p.args}`)).toEqual(['1:a', '2:', '3:done']);
  expect(first.refused.map((r) => `${r.priority.args}→${r.kept.app}`)).toEqual(['refused→Hangup']);
  expect([...first.registeredLabels]).toEqual([['start', 1], ['end', 3]]);
  expect(first.registeredCount).toBe(3);
  const walked: string[] = [];
  first.forEachRegisteredPriority((p) => walked.push(`${p.number}`));
  expect(walked).toEqual(['1', '2', '3']);
  // As written: the entry's own two lines and its own label.
  expect(first.priorities.map((p) => `${p.number}:${p.app}`)).toEqual(['1:NoOp', '2:Hangup']);
  expect([...first.labels]).toEqual([['start', 1]]);
  expect(first.location).toEqual({ file: path.join(dir, 'extensions.conf'), line: 2, column: 1 });
  expect(second.location.line).toBe(5);
});

test('run lines made before the lines were ever built: the entry still reads its lines and location, and an index made again starts afresh', () => {
  const dir = writeTree({ 'extensions.conf': ['[ctx]', 'exten => 100,1,NoOp(a)', ' same => n,Dial(PJSIP/x)', ' same => n,Hangup()', ''].join('\n') });
  const model = loadAsterisk(dir);
  const [ext] = registered(model, 'ctx');
  const run = ext.runLines(new RunStore());
  expect([1, 2, 3, 4].map((n) => (ext.runIndex(n) < 0 ? null : run[ext.runIndex(n) + RUN_NUMBER]))).toEqual([1, 2, 3, null]);
  const viewed: string[] = [];
  ext.forEachPriority((p) => viewed.push(`${p.number}:${p.app}(${p.args})`));
  expect(viewed).toEqual(['1:NoOp(a)', '2:Dial(PJSIP/x)', '3:Hangup()']);
  expect(ext.priorityNumbers()).toEqual([1, 2, 3]);
  expect(ext.location.line).toBe(2);
  // Another model object over the same dialplan registers the same entries again: same answers.
  const again = registered({ ...model }, 'ctx');
  expect(again[0]).toBe(ext);
  expect([1, 2, 3, 4].map((n) => ext.hasPriority(n))).toEqual([true, true, true, false]);
  expect(ext.runIndex(2)).toBeGreaterThanOrEqual(0);
  expect(ext.runLines()[ext.runIndex(3) + RUN_NUMBER]).toBe(3);
});

test('an entry starting past column 63 keeps its exact location', () => {
  const pad = ' '.repeat(70);
  const dir = writeTree({ 'extensions.conf': ['[ctx]', `${pad}exten => 100,1,NoOp(a)`, 'exten => 200,1,NoOp(b)', ''].join('\n') });
  const model = loadAsterisk(dir);
  const [a, b] = model.dialplan.contexts.get('ctx')!.extensions;
  expect(a.location).toEqual({ file: path.join(dir, 'extensions.conf'), line: 2, column: 71 });
  expect(b.location).toEqual({ file: path.join(dir, 'extensions.conf'), line: 3, column: 1 });
});

test('an Extension made without the loader (as pjsip_wizard hints are) is registered through a DialplanExtension of its own', () => {
  const dir = writeTree({ 'extensions.conf': ['[ctx]', 'exten => 100,1,NoOp(a)', ''].join('\n') });
  const model = loadAsterisk(dir);
  const location = { file: 'pjsip_wizard.conf', line: 7, column: 1, endColumn: 9 };
  const plain: Extension = {
    name: '200',
    matchName: '200',
    isPattern: false,
    location,
    priorities: [{ number: 1, app: 'Dial', args: 'PJSIP/200', file: location.file, line: 7, column: 1, location, appColumn: 1, jumps: [], dials: [] }],
    labels: new Map(),
    hint: { value: 'PJSIP/200', location },
  };
  model.dialplan.contexts.get('ctx')!.extensions.push(plain);
  const sorted = registered(model, 'ctx');
  expect(sorted.map((e) => e.name)).toEqual(['100', '200']);
  const made = sorted[1];
  expect(made).toBeInstanceOf(DialplanExtension);
  expect(made.location).toBe(location);
  expect(made.hint).toBe(plain.hint);
  expect(made.priorities).toBe(plain.priorities);
  expect(made.hasPriority(1)).toBe(true);
  expect(made.registeredPriorities.get(1)).toBe(plain.priorities[0]);
});
