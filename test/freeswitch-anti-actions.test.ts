/**
 * Anti-actions, `break` and `continue="true"` as mod_dialplan_xml.c parse_exten / dialplan_hunt
 * run them: queueing an anti-action sets `proceed = 1`, so a failed condition with anti-actions
 * counts as passed — the extension matches, the hunt stops (unless continue="true"), and its nested
 * conditions are parsed; `break` is decided on `anti_action` (on-true: the actions ran; on-false:
 * the anti-actions ran; always; never). The answer names the extension that queued the last
 * application run. Dialplans written here.
 */
import * as fs from 'fs';
import { loadFreeswitch } from '../src/parsers/freeswitch';
import { freeswitchResolver } from '../src/resolvers/freeswitch';
import type { RouteAnswer } from '../src/resolvers/types';
import { writeTree } from './helpers/tmp-config';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function route(extensions: string, user: string): RouteAnswer {
  const dir = writeTree({ 'freeswitch.xml': `<document type="freeswitch/xml"><section name="dialplan"><context name="c">${extensions}</context></section></document>` });
  dirs.push(dir);
  return freeswitchResolver.route(loadFreeswitch(dir), { user, method: 'INVITE', context: 'c' });
}
const by = (a: RouteAnswer) => [...a.steps].reverse().find((s) => s.extension !== undefined)?.extension;
const LATER = `<extension name="later"><condition field="destination_number" expression="^5"><action application="respond" data="404 Later"/></condition></extension>`;

describe('anti-actions end the hunt like actions do', () => {
  test('the last condition fails into an anti-action: the extension matched, the hunt stops, the call ends unanswered (480)', () => {
    const a = route(`<extension name="anti_stop">
        <condition field="destination_number" expression="^56\\d{2}$"/>
        <condition field="destination_number" expression="^56[0-4]\\d$"><action application="respond" data="486 Low"/><anti-action application="set" data="high=1"/></condition>
      </extension>${LATER}`, '5677');
    expect(a).toMatchObject({ verdict: 'rejected', status: 480 });
    expect(by(a)).toBe('anti_stop');
    expect(route(`<extension name="no_anti"><condition field="destination_number" expression="^56[0-4]\\d$"><action application="respond" data="486 Low"/></condition></extension>${LATER}`, '5677')).toMatchObject({ status: 404, reason: 'respond 404 Later' });
  });

  test('break="on-true" does not stop after anti-actions: the next condition decides', () => {
    const ext = (second: string) => `<extension name="x">
        <condition field="destination_number" expression="^9" break="on-true"><action application="respond" data="486"/><anti-action application="set" data="a=1"/></condition>
        <condition field="destination_number" expression="${second}"><action application="respond" data="503"/></condition>
      </extension>${LATER}`;
    expect(route(ext('^5'), '5000')).toMatchObject({ status: 503 });
    // The second fails without anti-actions: proceed is 0, the hunt goes on to "later".
    expect(route(ext('^6'), '5000')).toMatchObject({ status: 404, reason: 'respond 404 Later' });
  });

  test('break="always" stops after the anti-actions too; break="never" goes on', () => {
    const ext = (brk: string) => `<extension name="x">
        <condition field="destination_number" expression="^9" break="${brk}"><anti-action application="set" data="a=1"/></condition>
        <condition field="destination_number" expression="^5"><action application="respond" data="503"/></condition>
      </extension>${LATER}`;
    expect(route(ext('always'), '5000')).toMatchObject({ status: 480 });
    expect(route(ext('never'), '5000')).toMatchObject({ status: 503 });
  });

  test('anti-actions make proceed true: nested conditions are parsed', () => {
    const a = route(`<extension name="x">
        <condition field="destination_number" expression="^9" break="never"><anti-action application="set" data="a=1"/>
          <condition field="destination_number" expression="^5"><action application="respond" data="486 Nested"/></condition>
        </condition>
      </extension>${LATER}`, '5000');
    expect(a).toMatchObject({ status: 486, reason: 'respond 486 Nested' });
  });
});

describe('continue="true": the answer names the extension that queued the application that ended the call', () => {
  test('an earlier continue extension queued the respond; a later one matched with only a set', () => {
    const a = route(`<extension name="cont" continue="true"><condition field="destination_number" expression="^5"><action application="respond" data="486 From Cont"/></condition></extension>
      <extension name="last"><condition field="destination_number" expression="^5"><action application="set" data="x=1"/></condition></extension>`, '5000');
    expect(a).toMatchObject({ status: 486 });
    expect(by(a)).toBe('cont');
  });

  test('running out of applications: the last one queued names its extension (a later match queued nothing)', () => {
    const a = route(`<extension name="cont" continue="true"><condition field="destination_number" expression="^5"><action application="set" data="x=1"/></condition></extension>
      <extension name="last"><condition field="destination_number" expression="^5"/></extension>`, '5000');
    expect(a).toMatchObject({ status: 480 });
    expect(by(a)).toBe('cont');
  });
});

describe('regex="any|all|xor": proceed and $N as parse_exten keeps them', () => {
  test('"any": an earlier failed regex with a group is saved, so proceed is its 0 — the actions run but the hunt goes on', () => {
    const ext = (first: string) => `<extension name="x"><condition regex="any">
        <regex field="destination_number" expression="${first}"/><regex field="destination_number" expression="^5"/>
        <action application="set" data="seen=1"/></condition></extension>${LATER}`;
    expect(route(ext('^(\\d+)x$'), '5000')).toMatchObject({ status: 404, reason: 'respond 404 Later' });
    // Without a group nothing is saved: proceed is the passing regex's, the extension matches.
    expect(route(ext('^\\d+x$'), '5000')).toMatchObject({ status: 480 });
  });

  test('"all": $N comes from the last regex with a group; "xor" wants exactly one pass', () => {
    const all = route(`<extension name="x"><condition regex="all">
        <regex field="destination_number" expression="^(5)(\\d+)$"/><regex field="destination_number" expression="^5\\d{3}$"/>
        <action application="respond" data="486 $2"/></condition></extension>`, '5123');
    expect(all).toMatchObject({ status: 486, reason: 'respond 486 123' });
    const xor = (user: string) => route(`<extension name="x"><condition regex="xor">
        <regex field="destination_number" expression="^5"/><regex field="destination_number" expression="^\\d{4}$"/>
        <action application="respond" data="486"/><anti-action application="respond" data="503"/></condition></extension>`, user);
    expect(xor('5x')).toMatchObject({ status: 486 });
    expect(xor('5123')).toMatchObject({ status: 503 });
  });
});

describe('loop="N" on actions (parse_exten: loop_count = atoi(loop))', () => {
  test('loop="0" queues nothing, yet the extension exists: the call runs out of applications (480), not 404', () => {
    expect(route(`<extension name="x"><condition field="destination_number" expression="^5"><action application="respond" data="486" loop="0"/></condition></extension>`, '5000')).toMatchObject({ status: 480 });
    expect(route(`<extension name="x"><condition field="destination_number" expression="^5"><action application="respond" data="486" loop="2"/></condition></extension>`, '5000')).toMatchObject({ status: 486 });
  });
});
