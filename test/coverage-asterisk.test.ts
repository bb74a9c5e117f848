/**
 * `pbxlint coverage` for Asterisk: exactness on random dialplans. For each random configuration
 * the map of each entry point must be disjoint and cover the dialable strings, and every string
 * must fall in a class whose outcome is the one `route` gives it (classes marked not modelled
 * only have to contain the string). A failure is a test the resolver makes on the dialled string
 * without reporting it (src/resolvers/asterisk/lookup-cells.ts, pbx.ts observe calls).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { accepts, compile, difference, intersect, isEmpty, toRegex, unionAll } from '../src/automata/dfa';
import { chars, CharSet, repeat } from '../src/automata/regex';

const upTo = (n: number) => compile(repeat(chars(CharSet.ANY), 0, n));
import { asteriskCoverage } from '../src/coverage/asterisk';
import { coverageCommand, coverageExitCode, renderCoverageText } from '../src/coverage/command';
import { DIALABLE_UNIVERSE, languageOfClass } from '../src/coverage/partition';
import { runCoverage } from '../src/coverage/run';
import type { CoverageClass } from '../src/coverage/types';
import { loadAsterisk } from '../src/parsers/asterisk';
import { asteriskResolver } from '../src/resolvers/asterisk';
import type { RouteRequest } from '../src/resolvers/types';
import { writeTree } from './helpers/tmp-config';
import { main } from '../src/cli';
import { rng } from './helpers/re-match';
import { sameOutcome } from './helpers/coverage-outcome';

const PJSIP = `
[a]
type=endpoint
context=c0
allow_overlap=yes
[b]
type=endpoint
context=c1
allow_overlap=no
[1001]
type=endpoint
context=c2
aors=1001
[1001]
type=aor
max_contacts=1
`;

const NAMES = ['1', '12', '123', '2', '21', '_1X', '_X', '_XX', '_1.', '_2!', '_[12]X', '_N', '_Z', '*', '*1', '_*X', 's', '_X.', '0', '_0X', '#', '_+1X'];
const CONTEXTS = ['c0', 'c1', 'c2', 'c3'];
/**
 * Names whose extenpatternmatchnew=yes walk differs from the classic one (pattern-trie.ts): `!`
 * not first among its siblings, `_12` before `_12!`, sets starting with N/X/Z, literal and
 * pattern nodes of equal specificity, duplicates, dashes, `.` after a set.
 */
const TRIE_NAMES = [...NAMES, '_X!', '_12!', '_12', '_1!', '_[N1]', '_[15]X', '_[15]', '1-2', '_1-X', '_!', '_.', '_[12].', '_1[!*]', '_*!', '_ZX', '_N.', '15', '_15'];

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)];
}

/** One random line's application (what can route, reject, jump or read ${EXTEN}). */
function randomApp(r: () => number): string {
  const x = r();
  if (x < 0.12) return `Hangup(${pick(r, ['', '1', '17', '21', '34'])})`;
  if (x < 0.18) return 'Busy()';
  if (x < 0.22) return 'Congestion()';
  if (x < 0.32) return `Dial(PJSIP/${pick(r, ['1001', 'a', 'nobody'])},20)`;
  if (x < 0.40) return `VoiceMail(${pick(r, ['100', '200'])}@default,u)`;
  if (x < 0.50) return `Goto(${pick(r, CONTEXTS)},${pick(r, ['${EXTEN}', '${EXTEN:1}', '${EXTEN:2}', '9${EXTEN}', 's', '1', '${EXTEN:-1}'])},1)`;
  if (x < 0.55) return `Goto(${pick(r, ['${EXTEN:1}', '1', 's'])},1)`;
  if (x < 0.60) return `Gosub(${pick(r, CONTEXTS)},${pick(r, ['${EXTEN}', 's', '1'])},${pick(r, ['1', '1', '1(${EXTEN})', '1(7,${EXTEN:1})'])})`;
  if (x < 0.64) return 'Return()';
  if (x < 0.70) return 'NoOp(${EXTEN})';
  if (x < 0.74) return 'Playback(hello)';
  if (x < 0.78) return `Set(X=\${EXTEN:1})`;
  if (x < 0.80) return 'Dial(PJSIP/${EXTEN},20)';
  if (x < 0.82) return `VoiceMail(\${${pick(r, ['ARG1', 'ARG2'])}}@default,u)`;
  if (x < 0.86) return 'GotoIf($["${EXTEN}" = "12"]?c3,s,1)';
  return 'Answer()';
}

function randomDialplan(r: () => number, trie = r() < 0.1): string {
  const lines = ['[general]', `extenpatternmatchnew=${trie ? 'yes' : 'no'}`, ''];
  for (const ctx of CONTEXTS) {
    lines.push(`[${ctx}]`);
    const n = 1 + Math.floor(r() * (trie ? 7 : 5));
    for (let i = 0; i < n; i++) {
      const name = pick(r, trie ? TRIE_NAMES : NAMES);
      const cid = r() < (trie ? 0.15 : 0.08) ? `/${pick(r, trie ? ['555', '_5X', '', '5XX', '55'] : ['555', '_5X', ''])}` : '';
      // Sometimes no priority 1 (the existence test fails for it).
      const first = r() < 0.1 ? 2 : 1;
      lines.push(`exten => ${name}${cid},${first},${randomApp(r)}`);
      const more = Math.floor(r() * 3);
      for (let k = 0; k < more; k++) lines.push(` same => n,${randomApp(r)}`);
    }
    if (r() < 0.4) lines.push(`include => ${pick(r, CONTEXTS)}`);
    if (r() < 0.1) lines.push(`include => ${pick(r, CONTEXTS)},09:00-17:00,mon-fri,*,*`);
    lines.push('');
  }
  return lines.join('\n');
}

/**
 * A third family of draws (its own seed, so the first two keep theirs): what real dialplans do with
 * the dialled number — a variable set from it and tested, ${LEN()}, ${EXTEN:-n}, CUT, FILTER,
 * REGEX, ExecIf, While/EndWhile, Macro with ${ARG1}/${MACRO_EXTEN}, GotoIf with both branches,
 * Gosub with arguments, Dial(Local/…), Set(CALLERID(num)=…), hints, `i`/`t`, patterns with `!`,
 * sets and dashes, timed includes, labels.
 */
const RICH_NAMES = [...NAMES, '_1-X', '_[1-3]X', '_X!', '1-2', '_[0-9*]X', 'i', 't', '_1[2-4]!', '_9NX', '_9.', '_[*#]X.', '_1Z', '99'];
const RICH_CONTEXTS = ['c0', 'c1', 'c2', 'c3'];
const TARGET_EXTENS = ['${EXTEN}', '${EXTEN:1}', '${EXTEN:-2}', '${EXTEN:1:2}', '9${EXTEN}', 's', '1', 'i', '${CUT(EXTEN,*,1)}', '${FILTER(0-9,${EXTEN})}', '${X}', '${CALLERID(num)}', '9${X:1}', '${MACRO_EXTEN:1}', '${X:-2}'];

function randomRichApp(r: () => number): string {
  const ctx = () => pick(r, RICH_CONTEXTS);
  const ext = () => pick(r, TARGET_EXTENS);
  const x = r();
  if (x < 0.06) return `Hangup(${pick(r, ['', '1', '17', '21', '34'])})`;
  if (x < 0.09) return pick(r, ['Busy()', 'Congestion()']);
  if (x < 0.14) return `Dial(PJSIP/${pick(r, ['1001', 'a', 'nobody', '${EXTEN}', '${ARG1}'])},20)`;
  if (x < 0.18) return `Dial(Local/${pick(r, ['${EXTEN}', '${EXTEN:1}', '1', 's'])}@${ctx()}${pick(r, ['', '/n'])})`;
  if (x < 0.22) return `VoiceMail(${pick(r, ['100', '${EXTEN}', '${ARG1}', '${X}', '${MACRO_EXTEN}'])}@default,u)`;
  if (x < 0.30) return `Goto(${ctx()},${ext()},${pick(r, ['1', '1', 'lbl'])})`;
  if (x < 0.34) return `Goto(${pick(r, ['${EXTEN:1}', '1', 's', 'lbl', '${EXTEN:-1}'])}${pick(r, [',1', ''])})`;
  if (x < 0.40) return `GotoIf(${pick(r, ['$["${X}" = "2"]', '$[${LEN(${EXTEN})} > 2]', '$["${EXTEN:0:1}" = "1"]', '$[${REGEX("^1" ${EXTEN})}]', '$["${CALLERID(num)}" = "555"]', '$[1]', '$["${EXTEN}" = "12"]'])}?${ctx()},${ext()},1${pick(r, ['', `:${ctx()},${ext()},1`, ':lbl'])})`;
  if (x < 0.45) return `Set(X=${pick(r, ['${EXTEN:1}', '${EXTEN}', '${EXTEN:-1}', '${LEN(${EXTEN})}', '${FILTER(0-9,${EXTEN})}', '2', '${ARG1}'])})`;
  if (x < 0.49) return `Set(CALLERID(num)=${pick(r, ['555', '${EXTEN}', '5${EXTEN}', '${ARG1}'])})`;
  if (x < 0.54) return `Gosub(${pick(r, ['sub', ...RICH_CONTEXTS])},${pick(r, ['s', '${EXTEN}', '1'])},1${pick(r, ['', '(${EXTEN})', '(${EXTEN:1},${EXTEN})', '(7)'])})`;
  if (x < 0.58) return `Macro(m,${pick(r, ['${EXTEN}', '${EXTEN:1}', '7'])})`;
  if (x < 0.61) return 'Return()';
  if (x < 0.65) return `ExecIf(${pick(r, ['$["${EXTEN}" = "12"]', '$[1]', '$["${X}" = ""]'])}?${pick(r, ['Hangup(17)', 'NoOp(x)', 'Set(X=3)'])})`;
  if (x < 0.68) return pick(r, ['While($["${X}" != ""])', 'EndWhile()', 'Set(X=${X:1})']);
  if (x < 0.72) return 'NoOp(${EXTEN} ${X})';
  if (x < 0.75) return 'Playback(hello)';
  if (x < 0.78) return `GotoIfTime(09:00-17:00,mon-fri,*,*?${ctx()},${ext()},1)`;
  return 'Answer()';
}

function randomRichDialplan(r: () => number): string {
  const lines = ['[general]', `extenpatternmatchnew=${process.env.RICH_TRIE ? 'yes' : 'no'}`, ''];
  const body = (name: string, cid: string) => {
    const first = r() < 0.08 ? 2 : 1;
    lines.push(`exten => ${name}${cid},${first}${r() < 0.15 ? '(lbl)' : ''},${randomRichApp(r)}`);
    const more = Math.floor(r() * 4);
    for (let k = 0; k < more; k++) lines.push(` same => n${r() < 0.15 ? '(lbl)' : ''},${randomRichApp(r)}`);
  };
  for (const ctx of RICH_CONTEXTS) {
    lines.push(`[${ctx}]`);
    const n = 1 + Math.floor(r() * 5);
    for (let i = 0; i < n; i++) {
      const name = pick(r, RICH_NAMES);
      const cid = r() < 0.1 ? `/${pick(r, ['555', '_5X', '', '_5.', '5551234'])}` : '';
      body(name, cid);
    }
    if (r() < 0.15) lines.push(`exten => ${pick(r, ['1', '12', '_1X'])},hint,PJSIP/1001`);
    if (r() < 0.4) lines.push(`include => ${pick(r, RICH_CONTEXTS)}`);
    if (r() < 0.15) lines.push(`include => ${pick(r, RICH_CONTEXTS)},09:00-17:00,mon-fri,*,*`);
    lines.push('');
  }
  lines.push('[sub]');
  body('s', '');
  lines.push(' same => n,Return()', '');
  lines.push('[macro-m]');
  body('s', '');
  lines.push('');
  return lines.join('\n');
}

/**
 * A fourth family of draws (its own seed; the rows above keep theirs), shaped after the samples'
 * and basic-pbx's dialplans (corpus asterisk/configs): [globals] read in targets (${TRUNK},
 * ${EXTEN:${MSD}}, ${GLOBAL(…)}), Gosub to a label of a pattern extension with the number as the
 * extension (stdexten), LOCAL() variables, ${IF(…?…:…)}, Goto(x-${DIALSTATUS},1) after Dial,
 * GosubIf, ${GOSUB_RETVAL}, numeric and prefix GotoIf, While loops stripping the number,
 * `exten => …,n,` continuations, Goto(${ARG1},1) in a subroutine, ignorepat, switch.
 */
const REAL_NAMES = ['_NXX', '_1NX', '_9NX', '_X*X!', '_*X.', '_[2-4]X', '_0.', '_X.', '1', '12', '_1X', '_9X.', '*9', '_00X', 's', '#', '_+X.', '2', '_1[0-3]'];
const REAL_CONTEXTS = ['c0', 'c1', 'c2', 'c3'];
const REAL_TARGETS = ['${EXTEN}', '${EXTEN:1}', '${EXTEN:${MSD}}', '${PREFIX}${EXTEN}', '${EXTEN:0:2}', '${x}', '${IF($["${EXTEN:0:1}" = "9"]?${EXTEN:1}:${EXTEN})}', 's', '1', '${GOSUB_RETVAL}', '${EXTEN:-3}', '${GLOBAL(PREFIX)}${EXTEN:1}'];

function randomRealApp(r: () => number): string {
  const ctx = () => pick(r, REAL_CONTEXTS);
  const ext = () => pick(r, REAL_TARGETS);
  const cond = () => pick(r, ['$[${EXTEN} > 50]', '$["${EXTEN:0:1}" = "9"]', '$[${LEN(${EXTEN})} = 3]', '$["${x}" = "12"]', '$["${GOSUB_RETVAL}" = "1"]', '$["${DIALSTATUS}" = "BUSY"]', '$[${ISNULL(${x})}]', '$["${CALLERID(num)}" = "555"]']);
  const x = r();
  if (x < 0.05) return `Hangup(${pick(r, ['', '1', '17', '21', '34'])})`;
  if (x < 0.08) return pick(r, ['Busy()', 'Congestion()']);
  if (x < 0.14) return `Dial(${pick(r, ['${TRUNK}/${EXTEN:1}', 'PJSIP/${EXTEN}', 'PJSIP/1001', '${TRUNK}/${EXTEN:${MSD}}', 'Local/${EXTEN}@' + ctx(), 'PJSIP/${x}'])},20)`;
  if (x < 0.19) return `Goto(${pick(r, ['fn-${DIALSTATUS}', 's-${DIALSTATUS}', 'stdexten-${DIALSTATUS}'])},1)`;
  if (x < 0.24) return `VoiceMail(${pick(r, ['${EXTEN}', '${x}', '100', '${ARG1}', '${x}${IF($[${ISNULL(${ARG2})}]?:@${ARG2})}'])}@default,u)`;
  if (x < 0.32) return `Goto(${ctx()},${ext()},1)`;
  if (x < 0.36) return `GotoIf(${cond()}?${pick(r, [`${ctx()},${ext()},1`, 'lbl', 'fn-BUSY,1'])}${pick(r, ['', `:${ctx()},${ext()},1`, ':lbl'])})`;
  if (x < 0.41) return `Set(${pick(r, ['LOCAL(x)', 'x', '__x'])}=${pick(r, ['${EXTEN}', '${EXTEN:1}', '${EXTEN:${MSD}}', '${ARG1}', '${IF($[${EXTEN} > 50]?1:2)}', '${CUT(EXTEN,*,2)}', '12'])})`;
  if (x < 0.46) return `Gosub(${pick(r, ['stdexten,${EXTEN},stdexten', '${EXTEN},stdexten', 'sub,s,1', 'sub,s,1', 'dundi,s,1'])}(${pick(r, ['PJSIP/${EXTEN}', '${EXTEN:1}', '${EXTEN},default', ''])}))`;
  if (x < 0.50) return `GosubIf(${cond()}?sub,s,1(${pick(r, ['${EXTEN}', '7'])})${pick(r, ['', ':dundi,s,1(${EXTEN:1})'])})`;
  if (x < 0.53) return `Return(${pick(r, ['', '1', '${IF($[${LEN(${ARG1})} > 2]?1:0)}'])})`;
  if (x < 0.57) return `ExecIf(${cond()}?${pick(r, ['Hangup(17)', 'Set(x=3)', 'Busy()'])}${pick(r, ['', ':Set(x=${EXTEN:1})'])})`;
  if (x < 0.61) return pick(r, ['While($[${LEN(${x})} > 2])', 'EndWhile()', 'Set(x=${x:1})', 'ExitWhile()']);
  if (x < 0.65) return pick(r, ['Verbose(2,${EXTEN})', 'NoOp(${x})', 'Wait(1)', 'Progress()', 'Ringing()']);
  if (x < 0.68) return 'Playback(hello)';
  if (x < 0.71) return `Set(CALLERID(num)=${pick(r, ['555', '${EXTEN}', '${x}'])})`;
  if (x < 0.74) return `Macro(m,${pick(r, ['${EXTEN}', '${EXTEN:1}'])})`;
  return 'Answer()';
}

function randomRealDialplan(r: () => number): string {
  const lines = ['[general]', 'extenpatternmatchnew=no', '', '[globals]', `TRUNK=${pick(r, ['PJSIP/a', 'PJSIP/nobody', 'PJSIP/1001'])}`, `MSD=${pick(r, ['1', '2', '0'])}`, `PREFIX=${pick(r, ['9', '', '1'])}`, ''];
  const body = (name: string, cid: string) => {
    const first = r() < 0.06 ? 2 : 1;
    lines.push(`exten => ${name}${cid},${first}${r() < 0.1 ? '(lbl)' : ''},${randomRealApp(r)}`);
    const more = Math.floor(r() * 4);
    // the samples continue an extension both ways: ` same => n,` and `exten => name,n,`
    for (let k = 0; k < more; k++) lines.push(r() < 0.3 ? `exten => ${name}${cid},n${r() < 0.1 ? '(lbl)' : ''},${randomRealApp(r)}` : ` same => n${r() < 0.1 ? '(lbl)' : ''},${randomRealApp(r)}`);
  };
  for (const ctx of REAL_CONTEXTS) {
    lines.push(`[${ctx}]`);
    const n = 1 + Math.floor(r() * 5);
    for (let i = 0; i < n; i++) body(pick(r, REAL_NAMES), r() < 0.08 ? `/${pick(r, ['555', '_5X', '_5.'])}` : '');
    if (r() < 0.3) lines.push(`exten => ${pick(r, ['fn-BUSY', 's-BUSY', 'fn-CONGESTION'])},1,${pick(r, ['Busy()', 'Congestion()', 'Hangup(21)', 'VoiceMail(100@default,b)'])}`);
    if (r() < 0.15) lines.push(`exten => _f[n]-.,1,${pick(r, ['Hangup(34)', 'Congestion()'])}`);
    if (r() < 0.2) lines.push('ignorepat => 9');
    if (r() < 0.1) lines.push(`exten => ${pick(r, ['_1X', '_NXX'])},hint,PJSIP/\${EXTEN}`);
    if (r() < 0.35) lines.push(`include => ${pick(r, [...REAL_CONTEXTS, 'stdexten'])}`);
    if (r() < 0.1) lines.push(`include => ${pick(r, REAL_CONTEXTS)},09:00-17:00,mon-fri,*,*`);
    if (r() < 0.04) lines.push('switch => Loopback/12${EXTEN}@c1');
    lines.push('');
  }
  // the samples' [stdexten]: a pattern extension entered at a labelled high priority by Gosub
  lines.push('[stdexten]', 'exten => _X.,50000(stdexten),NoOp(Start stdexten)', ' same => n,Set(LOCAL(ext)=${EXTEN})', ' same => n,Set(LOCAL(dev)=${ARG1})');
  lines.push(` same => n,${pick(r, ['Dial(${dev},20)', 'Dial(PJSIP/${ext},20)', 'GotoIf($[${LEN(${ext})} > 3]?stdexten-BUSY,1)'])}`, ' same => n,Goto(stdexten-${DIALSTATUS},1)');
  lines.push(`exten => stdexten-NOANSWER,1,VoiceMail(\${ext}@default,u)`, ' same => n,Return()', `exten => stdexten-BUSY,1,${pick(r, ['VoiceMail(${ext}@default,b)', 'Busy()'])}`, ' same => n,Return()', 'exten => _stde[x]te[n]-.,1,Goto(stdexten-NOANSWER,1)', '');
  // the samples' [dundi-e164]: Goto(${ARG1},1) in a subroutine, then its context's includes
  lines.push('[dundi]', `exten => s,1,${pick(r, ['Goto(${ARG1},1)', 'Goto(c1,${ARG1},1)', 'Return()'])}`, `include => ${pick(r, REAL_CONTEXTS)}`, '');
  lines.push('[sub]');
  body('s', '');
  lines.push(' same => n,Return()', '');
  lines.push('[macro-m]');
  body('s', '');
  lines.push('');
  return lines.join('\n');
}

const DIALLED = ['1', '2', '0', '*', '#', '+', 's', '9'];
/** The rich draws also dial the names of `i`, `t`, labels and caller numbers. */
const RICH_DIALLED = [...DIALLED, '5', '3', 'i', 't', 'S', 'I', 'h'];
function probeStrings(r: () => number, n: number, dialled: readonly string[] = DIALLED): string[] {
  const out = new Set<string>(['', '1', '12', '123', 's', '*', '#', '+1', '21', '2', '99']);
  while (out.size < n) {
    const len = Math.floor(r() * 6);
    let s = '';
    for (let i = 0; i < len; i++) s += pick(r, dialled);
    out.add(s);
  }
  return [...out];
}

describe.each([
  ['coverage of random Asterisk dialplans', 'coverage property test', Number(process.env.COVERAGE_PLAIN_SEED ?? 1000), Number(process.env.COVERAGE_CONFIGS ?? 24), undefined],
  // The new matcher's walk (lookup-cells.ts trieCell): every dialplan extenpatternmatchnew=yes.
  ['coverage of random extenpatternmatchnew=yes dialplans', 'coverage property test (extenpatternmatchnew=yes)', Number(process.env.COVERAGE_TRIE_SEED ?? 5007), Number(process.env.COVERAGE_CONFIGS ?? 8), true],
  // What real dialplans do with the number (randomRichDialplan), at a time and at any time.
  ['coverage of random dialplans using the number as real ones do', 'coverage property test (rich)', Number(process.env.COVERAGE_SEED ?? 7100), Number(process.env.COVERAGE_CONFIGS ?? 18), 'rich'],
  // Shaped after the samples' dialplans (randomRealDialplan): globals, stdexten, LOCAL, IF, DIALSTATUS.
  // (Seeds 8200…8259 all agreed; CI runs six short ones — some draws take seconds each.)
  ['coverage of random dialplans shaped after the sample configurations', 'coverage property test (samples)', Number(process.env.COVERAGE_REAL_SEED ?? 8241), Number(process.env.COVERAGE_REAL_CONFIGS ?? 6), 'real'],
] as const)('%s', (_title, figures, seed, CONFIGS, kind) => {
  const trie = kind === true;
  const real = kind === 'real';
  const rich = kind === 'rich' || real;
  const PROBES = 120;
  // The trie's cells are finer (each test the walk makes counts) and an unknown caller walks every
  // answer sequence: strings of up to 4 characters keep the run short.
  const MAX = trie ? 4 : 6;
  const UP_TO_MAX = upTo(MAX);
  let compared = 0;
  let notModelled = 0;
  let classes = 0;

  afterAll(() => {
    // The figures the report quotes.
    process.stdout.write(`${figures}: ${CONFIGS} dialplans, ${classes} classes, ${compared} strings compared with route, ${notModelled} in not-modelled classes\n`);
  });

  for (let k = 0; k < CONFIGS; k++) {
    test(`random dialplan #${k}`, () => {
      const r = rng(seed + k);
      const dialplan = real ? randomRealDialplan(r) : rich ? randomRichDialplan(r) : trie ? randomDialplan(r, true) : randomDialplan(r);
      // Half the rich dialplans are mapped at a given time (timed includes and GotoIfTime decided).
      const time = rich && r() < 0.5 ? new Date(pick(r, ['2026-12-07T10:00:00Z', '2026-12-06T20:00:00Z'])) : undefined;
      const dir = writeTree({ 'pjsip.conf': PJSIP, 'extensions.conf': dialplan });
      try {
        const model = loadAsterisk(dir);
        for (const caller of rich ? [undefined, '555', ''] : [undefined, '5551234']) {
          const base: RouteRequest = { user: '', method: 'INVITE', callerId: caller, time };
          const report = runCoverage('asterisk', asteriskCoverage, model, { base, maxLength: MAX, strict: true });
          for (const e of report.entries) {
            const langs = e.classes.map((c) => languageOfClass(c)!);
            classes += langs.length;
            for (let i = 0; i < langs.length; i++) for (let j = i + 1; j < langs.length; j++) expect([e.classes[i].regex, e.classes[j].regex, isEmpty(intersect(langs[i], langs[j]))]).toEqual([e.classes[i].regex, e.classes[j].regex, true]);
            const covered = unionAll(langs);
            expect(toRegex(difference(covered, DIALABLE_UNIVERSE))).toBe('^(?!)$');
            expect(toRegex(difference(intersect(DIALABLE_UNIVERSE, UP_TO_MAX), covered))).toBe('^(?!)$');
            for (const s of [...probeStrings(r, PROBES, rich ? RICH_DIALLED : DIALLED), ...e.classes.map((c) => c.example)]) {
              if (s.length > MAX) continue;
              const hit = e.classes.filter((c) => accepts(languageOfClass(c)!, s));
              expect([s, hit.length]).toEqual([s, 1]);
              const c = hit[0];
              expect(new RegExp(c.regex).test(s)).toBe(true);
              if (c.notModelled?.length) { notModelled++; continue; }
              const answer = asteriskResolver.route(model, { ...base, user: s, endpoint: e.entry.name });
              compared++;
              if (!sameOutcome(c, answer)) throw new Error(`${JSON.stringify(s)} from ${e.entry.name} (caller ${caller}): class ${c.regex} says ${c.verdict} ${c.status} ${c.target?.name}, route says ${answer.verdict} ${answer.status} ${answer.target?.name}\n${dialplan}`);
            }
          }
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe('a class whose outcome is built from the number in a way no cell states', () => {
  // The number reaches VoiceMail through a variable set in a subroutine: the simulator reports the
  // cell as opaque. A finite class (_1XX: 100 numbers) is mapped number by number, exactly; an
  // infinite one (_2.) stays one class, not modelled.
  const dialplan = [
    '[c0]',
    'exten => _1XX,1,Gosub(sub,s,1(${EXTEN}))',
    ' same => n,Hangup()',
    'exten => _2.,1,Gosub(sub,s,1(${EXTEN}))',
    ' same => n,Hangup()',
    '[sub]',
    'exten => s,1,Set(BOX=${ARG1})',
    ' same => n,VoiceMail(${BOX}@default,u)',
    ' same => n,Return()',
  ].join('\n');
  test('each number of the finite class is a class with route\'s outcome; the infinite class is not modelled', () => {
    const dir = writeTree({ 'pjsip.conf': PJSIP, 'extensions.conf': dialplan });
    const model = loadAsterisk(dir);
    const base: RouteRequest = { user: '', method: 'INVITE', endpoint: 'a' };
    const report = runCoverage('asterisk', asteriskCoverage, model, { base, strict: true });
    const classes = report.entries.find((e) => e.entry.name === 'a')!.classes;
    const hundreds = classes.filter((c) => /^1\d\d$/.test(c.example));
    expect(hundreds).toHaveLength(100);
    for (const c of hundreds) {
      expect(c.notModelled).toBeUndefined();
      expect(c.target?.name).toBe(`VoiceMail(${c.example}@default,u)`);
      expect(sameOutcome(c, asteriskResolver.route(model, { ...base, user: c.example }))).toBe(true);
    }
    const twos = classes.filter((c) => c.example.startsWith('2'));
    expect(twos).toHaveLength(1);
    expect(twos[0].notModelled?.length).toBeGreaterThan(0);
    expect(new RegExp(twos[0].regex).test('2555')).toBe(true);
  });
});

describe('a caller number set from the dialled number, then matched against caller IDs', () => {
  // pbx_find_extension's matchcid tests the number Set(CALLERID(num)=${EXTEN}) made: 555 is busy,
  // the rest 403. The map must not give _55X one outcome (it gave 403 to all, 555 included).
  const dialplan = [
    '[c0]',
    'exten => _X.,1,Set(CALLERID(num)=${EXTEN})',
    ' same => n,Goto(c1,s,1)',
    'exten => _55X,1,Set(CALLERID(num)=${EXTEN})',
    ' same => n,Goto(c1,s,1)',
    'exten => _9X,1,Set(CALLERID(num)=${EXTEN})',
    ' same => n,Goto(c2,s,1)',
    // The Local channel's caller is the dialling channel's (core_unreal.c ast_unreal_call_setup).
    'exten => _7X,1,Set(CALLERID(num)=${EXTEN})',
    ' same => n,Dial(Local/100@c3)',
    ' same => n,Hangup(21)',
    '[c1]',
    'exten => s/555,1,Hangup(17)',
    'exten => s,1,Hangup(21)',
    '[c2]',
    'exten => s,1,Hangup(21)',
    '[c3]',
    'exten => 100/71,1,VoiceMail(100@default)',
  ].join('\n');
  test('each string\'s class has route\'s outcome; a search without caller-ID matches stays exact', () => {
    const dir = writeTree({ 'pjsip.conf': PJSIP, 'extensions.conf': dialplan });
    try {
      const model = loadAsterisk(dir);
      const base: RouteRequest = { user: '', method: 'INVITE', endpoint: 'a', callerId: '1' };
      const classes = runCoverage('asterisk', asteriskCoverage, model, { base, strict: true }).entries.find((e) => e.entry.name === 'a')!.classes;
      for (const s of ['555', '556', '55', '91', '5555', '12', '71', '72']) {
        const c = classes.find((k) => accepts(languageOfClass(k)!, s))!;
        const answer = asteriskResolver.route(model, { ...base, user: s });
        if (!c.notModelled?.length) expect([s, sameOutcome(c, answer)]).toEqual([s, true]);
      }
      // The finite class _55X is mapped number by number: 555 busy, exactly; the infinite _X. is not modelled.
      const busy = classes.find((k) => accepts(languageOfClass(k)!, '555'))!;
      expect([busy.notModelled, busy.status, busy.example]).toEqual([undefined, 486, '555']);
      expect(classes.find((k) => accepts(languageOfClass(k)!, '5555'))!.notModelled?.length).toBeGreaterThan(0);
      // [c2] has no caller-ID match: _9X keeps one exact class.
      const nines = classes.find((k) => accepts(languageOfClass(k)!, '91'))!;
      expect([nines.notModelled, nines.status]).toEqual([undefined, 403]);
      const local = classes.find((k) => accepts(languageOfClass(k)!, '71'))!;
      expect([local.notModelled, local.verdict, local.example]).toEqual([undefined, 'routed', '71']);
      expect(classes.find((k) => accepts(languageOfClass(k)!, '72'))!.status).toBe(403);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a jump to a variable Set from the dialled number', () => {
  // Set(NUM=${EXTEN:1}) then Goto(c1,9${NUM:1},1), and a macro's Goto(c1,${MACRO_EXTEN:2},1):
  // the target derives from the number as ${EXTEN:k} does, so the classes are exact (were one
  // infinite class not modelled each).
  const dialplan = [
    '[c0]',
    'exten => _X.,1,Macro(m,${EXTEN:1})',
    ' same => n,Hangup(21)',
    'exten => _8.,1,Set(NUM=${EXTEN:1})',
    ' same => n,Goto(c1,9${NUM:1},1)',
    '[macro-m]',
    'exten => s,1,Goto(c1,${MACRO_EXTEN:2},1)',
    '[c1]',
    'exten => 2,1,VoiceMail(2@default)',
    'exten => _3X,1,Hangup(17)',
    'exten => 934,1,Hangup(34)',
  ].join('\n');
  test('exact classes, each with route\'s outcome', () => {
    const dir = writeTree({ 'pjsip.conf': PJSIP, 'extensions.conf': dialplan });
    try {
      const model = loadAsterisk(dir);
      const base: RouteRequest = { user: '', method: 'INVITE', endpoint: 'a', callerId: '1' };
      const classes = runCoverage('asterisk', asteriskCoverage, model, { base, strict: true }).entries.find((e) => e.entry.name === 'a')!.classes;
      expect(classes.filter((c) => c.notModelled?.length).map((c) => c.regex)).toEqual([]);
      for (const s of ['002', '0030', '00934', '8034', '80934', '0099', '8', '12345']) {
        const c = classes.find((k) => accepts(languageOfClass(k)!, s))!;
        expect([s, sameOutcome(c, asteriskResolver.route(model, { ...base, user: s }))]).toEqual([s, true]);
      }
      expect(classes.find((k) => accepts(languageOfClass(k)!, '8034'))!.status).toBe(503);
      expect(classes.find((k) => accepts(languageOfClass(k)!, '7734'))!.status).toBe(486);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pbxlint coverage on the bundled PBX', () => {
  const dir = `${__dirname}/../fixtures/examples/asterisk-pbx`;
  test('from trunk-a: the main number, the 10-digit DIDs that fail, and the 404 rest', () => {
    const report = coverageCommand([dir], { endpoint: 'trunk-a' });
    expect(report.entries).toHaveLength(1);
    const classes = report.entries[0].classes;
    const main = classes.find((c) => c.example === '2025550100')!;
    expect(main.verdict).toBe('depends');
    expect(main.pattern).toBe('2025550100');
    const plus = classes.find((c) => new RegExp(c.regex).test('+12025550100'))!;
    expect([plus.verdict, plus.status]).toEqual(['rejected', 404]);
    // Every class's example routes as the class says.
    for (const c of classes) {
      const a = asteriskResolver.route(loadAsterisk(dir), { user: c.example, method: 'INVITE', endpoint: 'trunk-a' });
      if (!c.notModelled) expect(sameOutcome(c, a)).toBe(true);
    }
    expect(coverageExitCode(report)).toBe(1);
    const text = renderCoverageText(report, process.cwd());
    expect(text).toMatch(/from endpoint trunk-a/);
    expect(text).toMatch(/\+1NXXNXXXXXX → rejected 404/);
  });
});

describe('pbxlint coverage on the command line', () => {
  async function run(args: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await main(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTTY: false, cwd: `${__dirname}/..`, env: {} });
    return { code, stdout, stderr };
  }
  const example = 'fixtures/examples/asterisk-pbx';

  test('--format json: the contract, classes with an anchored regex and an example that route agrees with', async () => {
    const r = await run(['coverage', example, '--endpoint', 'trunk-a', '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.platform).toBe('asterisk');
    expect(report.entries[0].entry).toMatchObject({ kind: 'endpoint', name: 'trunk-a', file: 'fixtures/examples/asterisk-pbx/pjsip.conf' });
    for (const c of report.entries[0].classes) {
      expect(Object.keys(c)).toEqual(expect.arrayContaining(['regex', 'description', 'verdict', 'status', 'target', 'conditions', 'via', 'example']));
      expect(c.regex).toMatch(/^\^\(\?:.*\)\$$/);
      expect(new RegExp(c.regex).test(c.example)).toBe(true);
    }
    const mainNumber = report.entries[0].classes.find((c: CoverageClass) => c.example === '2025550100');
    expect(mainNumber.via).toMatchObject({ file: 'fixtures/examples/asterisk-pbx/extensions.conf', line: 35, context: 'from-trunk', extension: '2025550100' });
  });

  test('text without an entry option maps every endpoint; usage errors exit 2', async () => {
    const r = await run(['coverage', example]);
    expect(r.stdout).toMatch(/from endpoint 1001 \(and 1 more with the same map: 1002\)/);
    expect(r.stdout).toMatch(/from endpoint trunk-a/);
    expect((await run(['coverage', example, '--endpoint', 'nobody'])).code).toBe(2);
    expect((await run(['coverage', example, '--format', 'nope'])).code).toBe(2);
  });

  test('a configuration file named on the command line is read as route reads it', async () => {
    const byFile = await run(['coverage', `${example}/extensions.conf`, '--endpoint', 'trunk-a', '--format', 'json']);
    const byDir = await run(['coverage', example, '--endpoint', 'trunk-a', '--format', 'json']);
    expect(byFile.code).toBe(byDir.code);
    expect(byFile.stdout).toBe(byDir.stdout);
    const kamailio = await run(['coverage', 'fixtures/kamailio/office/kamailio.cfg', '--format', 'json']);
    expect(JSON.parse(kamailio.stdout).platform).toBe('kamailio');
    // An included file: mapped through the configuration that includes it (was "no configuration found").
    const dir = writeTree({ 'pjsip.conf': PJSIP, 'extensions.conf': '[c0]\n#include "more.conf"\n', 'more.conf': 'exten => 100,1,Hangup()\n' });
    const fragment = await run(['coverage', path.join(dir, 'more.conf'), '--endpoint', 'a', '--format', 'json']);
    expect(fragment.code).not.toBe(2);
    expect(JSON.parse(fragment.stdout).entries[0].classes.some((c: CoverageClass) => c.example === '100')).toBe(true);
  });

  test('-o writes the same map to a file as to the standard output, in every format', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pbxlint-cov-out-'));
    try {
      for (const format of ['json', 'html', 'text']) {
        const file = path.join(tmp, `map.${format}`);
        const toFile = await run(['coverage', example, '--format', format, '-o', file]);
        const toStdout = await run(['coverage', example, '--format', format]);
        expect(toFile.stdout).toBe('');
        expect(toFile.code).toBe(toStdout.code);
        expect(fs.readFileSync(file, 'utf8')).toBe(toStdout.stdout);
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
