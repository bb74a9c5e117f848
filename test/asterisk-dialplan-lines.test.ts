/**
 * Loaded priority lines are kept as numbers in a store of typed-array chunks until first read
 * (src/parsers/asterisk/dialplan-extension.ts LineStore): whatever the chunk boundaries, every line must
 * read back as written, through forEachPriority (the rules' view), priorityNumbers and the built
 * Priority objects alike.
 */
import { loadAsterisk } from '../src/parsers/asterisk';
import type { Extension, Priority } from '../src/model/asterisk';
import { writeTree } from './helpers/tmp-config';

interface Seen {
  number: number;
  label: string | undefined;
  app: string;
  args: string;
  file: string;
  line: number;
  column: number;
  appColumn: number;
}

const seen = (p: Priority): Seen => ({ number: p.number, label: p.label, app: p.app, args: p.args, file: p.file, line: p.line, column: p.column, appColumn: p.appColumn });

/** Every line of an entry, read the three ways; the view first, since building replaces the stored form. */
function readAll(e: Extension) {
  const viewed: Seen[] = [];
  e.forEachPriority!((p) => viewed.push(seen(p)));
  const numbers = e.priorityNumbers!();
  const built = e.priorities.map(seen);
  return { viewed, numbers, built };
}

test('lines of thousands of entries read back exactly across chunk boundaries', () => {
  const lines = ['[in]'];
  for (let i = 0; i < 6000; i++) {
    lines.push(`exten => ${1000000 + i},1,Set(X=${i})`, ` same => n,Dial(PJSIP/ep${i % 7},${i})`, ` same => n(done${i % 3}),Hangup(${i % 5})`);
  }
  const dir = writeTree({ 'extensions.conf': lines.join('\n') + '\n' });
  const exts = loadAsterisk(dir).dialplan.contexts.get('in')!.extensions;
  expect(exts).toHaveLength(6000);
  // Compared as text, entry by entry (18,000 deep comparisons would be slow): the first mismatches are shown.
  const mismatches: string[] = [];
  exts.forEach((e, i) => {
    const { viewed, numbers, built } = readAll(e);
    const line = 2 + 3 * i;
    const expected = [
      { number: 1, label: undefined, app: 'Set', args: `X=${i}`, file: e.location.file, line, column: 1, appColumn: 12 + String(1000000 + i).length + 1 },
      { number: 2, label: undefined, app: 'Dial', args: `PJSIP/ep${i % 7},${i}`, file: e.location.file, line: line + 1, column: 2, appColumn: 12 },
      { number: 3, label: `done${i % 3}`, app: 'Hangup', args: String(i % 5), file: e.location.file, line: line + 2, column: 2, appColumn: 19 },
    ];
    const want = JSON.stringify(expected);
    if (JSON.stringify(viewed) !== want || JSON.stringify(built) !== want || numbers.join() !== '1,2,3') mismatches.push(`${e.name}: ${JSON.stringify(viewed)}`);
  });
  expect(mismatches.slice(0, 3)).toEqual([]);
});

test('an entry longer than a whole chunk gets one of its own size', () => {
  const lines = ['[long]', 'exten => s,1,Answer()'];
  for (let i = 2; i <= 12000; i++) lines.push(` same => n,NoOp(${i})`);
  lines.push('exten => t,1,Hangup()');
  const dir = writeTree({ 'extensions.conf': lines.join('\n') + '\n' });
  const [s, t] = loadAsterisk(dir).dialplan.contexts.get('long')!.extensions;
  const { viewed, numbers } = readAll(s);
  expect(numbers).toEqual(Array.from({ length: 12000 }, (_, k) => k + 1));
  expect(viewed[11999]).toMatchObject({ number: 12000, app: 'NoOp', args: '12000', line: 12001 });
  expect(readAll(t).built).toMatchObject([{ number: 1, app: 'Hangup', args: '' }]);
});

test('a priority beyond 32 bits, arguments rewritten by the loader and a line from an included file keep their values', () => {
  const dir = writeTree({
    'extensions.conf': ['[c]', 'exten => 1,99999999999,NoOp(big)', 'exten => 2,1,Dial(PJSIP/a', 'exten => 3,1,Answer()', '#include more.conf', ' same => n,Hangup()'].join('\n') + '\n',
    'more.conf': 'exten => 3,n,Playback(x)\n',
  });
  const exts = loadAsterisk(dir).dialplan.contexts.get('c')!.extensions;
  expect(readAll(exts[0]).numbers).toEqual([99999999999]);
  expect(readAll(exts[0]).built[0]).toMatchObject({ number: 99999999999, args: 'big' });
  // No closing parenthesis: the loader takes the rest of the line (the general path keeps a string).
  expect(readAll(exts[1]).viewed[0]).toMatchObject({ app: 'Dial', args: 'PJSIP/a' });
  const three = readAll(exts[2]);
  expect(three.viewed.map((p) => [p.number, p.app, p.file.split('/').pop(), p.line])).toEqual([
    [1, 'Answer', 'extensions.conf', 4],
    [2, 'Playback', 'more.conf', 1],
    [3, 'Hangup', 'extensions.conf', 6],
  ]);
  expect(three.built).toEqual(three.viewed);
});

test('a walk inside another (forEachPriority called from forEachPriority) reads both entries right; arguments read twice are the same', () => {
  const dir = writeTree({ 'extensions.conf': '[c]\nexten => 1,1,Dial(PJSIP/a,30)\n same => n,Hangup(16)\nexten => 2,1,Playback(hello-world)\n same => n,Goto(1,1)\n' });
  const [one, two] = loadAsterisk(dir).dialplan.contexts.get('c')!.extensions;
  const seenLines: string[] = [];
  one.forEachPriority!((outer) => {
    const before = `${outer.app}(${outer.args})`;
    two.forEachPriority!((inner) => seenLines.push(`${before} / ${inner.app}(${inner.args}) ${inner.args === inner.args}`));
    seenLines.push(`${outer.number} ${outer.app}(${outer.args})`);
  });
  expect(seenLines).toEqual([
    'Dial(PJSIP/a,30) / Playback(hello-world) true',
    'Dial(PJSIP/a,30) / Goto(1,1) true',
    '1 Dial(PJSIP/a,30)',
    'Hangup(16) / Playback(hello-world) true',
    'Hangup(16) / Goto(1,1) true',
    '2 Hangup(16)',
  ]);
});
