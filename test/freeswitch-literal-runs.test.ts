/**
 * FreeSWITCH: runs of extensions that each test destination_number against one literal are
 * hunted by an index (resolvers/freeswitch/hunt.ts literalRuns). Route must answer as the plain
 * hunt does — checked against the same dialplan written so that no run is indexed (the literal
 * in a group, `^(?:…)$`, which the index does not read) — and the coverage map must agree with
 * route string by string.
 */
import { freeswitchCoverage } from '../src/coverage/freeswitch';
import { runCoverage } from '../src/coverage/run';
import { loadFreeswitch } from '../src/parsers/freeswitch';
import { freeswitchResolver } from '../src/resolvers/freeswitch';
import type { RouteAnswer, RouteRequest } from '../src/resolvers/types';
import { writeTree } from './helpers/tmp-config';

function doc(dialplan: string): string {
  return `<?xml version="1.0"?>
<document type="freeswitch/xml">
  <section name="configuration">
    <configuration name="sofia.conf"><profiles>
      <profile name="external"><settings><param name="context" value="public"/><param name="auth-calls" value="false"/></settings></profile>
    </profiles></configuration>
  </section>
  <section name="dialplan">
${dialplan}
  </section>
</document>`;
}

const ext = (name: string, expression: string, body: string, attrs = '') =>
  `<extension name="${name}"${attrs}><condition field="destination_number" expression="${expression}">${body}</condition></extension>`;

/**
 * The public context: a run of 13 literals (a duplicate among them), broken by a pattern, then 20
 * more of which the fifth has continue="true" (so the run is 4, then 16 with `\*98`), and a catch-all.
 */
function dialplan(literal: (s: string) => string): string {
  const exts: string[] = [];
  for (let i = 0; i < 12; i++) exts.push(ext(`a${i}`, literal(`20255501${String(i).padStart(2, '0')}`), `<action application="respond" data="${480 + (i % 6)}"/>`));
  exts.push(ext('dup', literal('2025550103'), '<action application="respond" data="404"/>'));
  exts.push(ext('pattern', '^3(\\d+)$', '<action application="respond" data="486"/>'));
  for (let i = 0; i < 20; i++) exts.push(ext(`b${i}`, literal(`+120255502${String(i).padStart(2, '0')}`.replace('+', '\\+')), `<action application="respond" data="${600 + i}"/>`, i === 4 ? ' continue="true"' : ''));
  exts.push(ext('star', literal('\\*98'), '<action application="respond" data="501"/>'));
  exts.push(ext('rest', '^(.*)$', '<action application="respond" data="503"/>'));
  return `<context name="public">${exts.join('\n')}</context>`;
}

const indexed = loadFreeswitch(writeTree({ 'freeswitch.xml': doc(dialplan((s) => `^${s}$`)) }), {});
const plain = loadFreeswitch(writeTree({ 'freeswitch.xml': doc(dialplan((s) => `^(?:${s})$`)) }), {});

const shape = (a: RouteAnswer) => JSON.stringify([a.verdict, a.status, a.target?.name, a.outcomes.map((o) => [o.verdict, o.status, o.target?.name, o.conditions])]);

const NUMBERS = ['2025550100', '2025550103', '2025550111', '2025550112', '20255501', '2025550100\n', '31', '+12025550200', '+12025550204', '+12025550208', '+12025550219', '+12025550220', '*98', '98', ''];

test('route answers as the plain hunt for every number', () => {
  for (const user of NUMBERS) {
    const req: RouteRequest = { user, method: 'INVITE', profile: 'external' };
    expect({ user, answer: shape(freeswitchResolver.route(indexed, req)) }).toEqual({ user, answer: shape(freeswitchResolver.route(plain, req)) });
  }
});

test('the first of a duplicated literal wins, and the run resumes after a non-literal extension', () => {
  const at = (user: string) => freeswitchResolver.route(indexed, { user, method: 'INVITE', profile: 'external' });
  expect(at('2025550103').status).toBe(483);
  expect(at('2025550200').status).toBe(503);
  expect(at('+12025550216').status).toBe(616);
  // continue="true" on b4: the hunt goes on (and collects the catch-all's respond too), but b4's
  // respond runs first and ends the call.
  expect(at('+12025550204').status).toBe(604);
});

test('the coverage map agrees with route on the run', () => {
  const base: RouteRequest = { user: '', method: 'INVITE', profile: 'external' };
  const classes = runCoverage('freeswitch', freeswitchCoverage, indexed, { base, strict: true }).entries[0].classes;
  for (const user of NUMBERS.filter((u) => !u.includes('\n') && u !== '')) {
    const c = classes.find((k) => new RegExp(k.regex).test(user))!;
    const a = freeswitchResolver.route(indexed, { ...base, user });
    expect({ user, verdict: c.verdict, status: c.status }).toEqual({ user, verdict: a.verdict, status: a.status });
  }
});
