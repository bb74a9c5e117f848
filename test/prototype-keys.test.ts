/**
 * Names from the configuration or the command line that are also Object.prototype members
 * (`toString`, `constructor`, `__proto__`, …) are names like any other: a lookup keyed by them in a
 * plain object must not find the inherited member, nor must storing one change a prototype.
 */
import * as path from 'path';
import { lintPaths } from '../src/lint';
import { loadFreeswitch } from '../src/parsers/freeswitch';
import { loadKamailio } from '../src/parsers/kamailio';
import { freeswitchResolver } from '../src/resolvers/freeswitch';
import { compileExpression } from '../src/automata/pcre/pcre';
import { compileEre } from '../src/automata/ere/ere';
import { ereMatcher } from '../src/automata/ere/ere-nfa';
import { routeCommand } from '../src/route';
import { cli } from './helpers/gate-cli';
import { writeTree } from './helpers/tmp-config';

const PROTOTYPE_NAMES = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'];

const noInternalErrors = (dir: string) => {
  const r = lintPaths([dir]);
  expect(r.findings.filter((f) => f.ruleId === 'internal-error')).toEqual([]);
  return r;
};

const KAMAILIO_HEAD = 'listen=udp:127.0.0.1:5060\nloadmodule "sl.so"\nloadmodule "tm.so"\nloadmodule "registrar.so"\nloadmodule "usrloc.so"\nloadmodule "textops.so"\n';

function kamailioTree(body: string): string {
  return writeTree({ 'kamailio.cfg': KAMAILIO_HEAD + body });
}

describe.each(PROTOTYPE_NAMES)('Kamailio name %s', (name) => {
  it('at top level is an unknown core parameter, not a route keyword', () => {
    const m = loadKamailio(path.join(kamailioTree(`${name} = 1\nrequest_route {\n\tsl_send_reply("404", "Not Found");\n}\n`), 'kamailio.cfg'));
    expect(m.issues.filter((i) => i.kind === 'parse-error').map((i) => [i.location.line, i.message])).toEqual([[7, `unknown config variable "${name}" (cfg.y: not a core parameter; Kamailio refuses to start)`]]);
    expect(m.requestRoute).toBeDefined();
  });

  it('as a function is not a t_on_* route setter', () => {
    const dir = kamailioTree(`request_route {\n\t${name}("X");\n\tsl_send_reply("404", "Not Found");\n}\n`);
    const m = loadKamailio(path.join(dir, 'kamailio.cfg'));
    expect(m.routeCalls).toEqual([]);
    const r = noInternalErrors(dir);
    expect(r.findings.filter((f) => f.ruleId === 'kamailio-undefined-route')).toEqual([]);
  });

  it('as a function is simulated as an unknown function: not modelled, both outcomes followed', () => {
    const dir = kamailioTree(`request_route {\n\tif (${name}()) {\n\t\tt_relay();\n\t\texit;\n\t}\n\tsl_send_reply("404", "Not Found");\n}\n`);
    const a = routeCommand('sip:1001@127.0.0.1', [dir], { registered: [] }).answer;
    expect(a.notModelled).toEqual([`${name}()`]);
    expect(a.verdict).toBe('depends');
    expect(a.outcomes.map((o) => [o.verdict, o.status])).toEqual([
      ['routed', null],
      ['rejected', 404],
    ]);
  });
});

describe.each(PROTOTYPE_NAMES)('character class [:%s:]', (name) => {
  it('is an unknown class in a Kamailio (POSIX ERE) regular expression', () => {
    expect(compileEre(`^[[:${name}:]]+$`)).toEqual({ ok: false, error: `unknown character class [:${name}:]` });
    expect(ereMatcher(`^[[:${name}:]]+$`)).toBe(`unknown character class [:${name}:]`);
  });

  it('makes a Kamailio =~ condition not modelled, as any unknown class does', () => {
    const dir = kamailioTree(`request_route {\n\tif ($rU =~ "^[[:${name}:]]+$") {\n\t\tt_relay();\n\t\texit;\n\t}\n\tsl_send_reply("404", "Not Found");\n}\n`);
    noInternalErrors(dir);
    const a = routeCommand('sip:1001@127.0.0.1', [dir], { registered: [] }).answer;
    expect(a.notModelled).toEqual([`regular expression "^[[:${name}:]]+$"`]);
    expect(a.verdict).toBe('depends');
  });

  it('is an unknown class in a FreeSWITCH (PCRE) expression', () => {
    expect(compileExpression(`^[[:${name}:]]+$`)).toMatchObject({ kind: 'invalid', message: `unknown POSIX class name "${name}"` });
    expect(compileExpression(`^[[:^${name}:]]+$`)).toMatchObject({ kind: 'invalid', message: `unknown POSIX class name "^${name}"` });
  });
});

describe.each(PROTOTYPE_NAMES)('FreeSWITCH inbound ACL named %s', (name) => {
  const aclProfile = (list: string) =>
    writeTree({
      'freeswitch.xml': `<document type="freeswitch/xml">
  <section name="configuration">
    <configuration name="sofia.conf"><profiles>
      <profile name="trunk"><settings>
        <param name="context" value="public"/>
        <param name="apply-inbound-acl" value="${list}"/>
      </settings></profile>
    </profiles></configuration>
  </section>
  <section name="dialplan">
    <context name="public"><extension name="x"><condition><action application="respond" data="486"/></condition></extension></context>
  </section>
</document>
`,
    });

  it('is an undefined list, which lets no address through (not a built-in list)', () => {
    const dir = aclProfile(name);
    noInternalErrors(dir);
    const route = (m: ReturnType<typeof loadFreeswitch>, sourceIp?: string) => freeswitchResolver.route(m, { user: '1', method: 'INVITE', profile: 'trunk', sourceIp });
    const m = loadFreeswitch(dir);
    const undefinedList = loadFreeswitch(aclProfile('no-such-list'));
    for (const sourceIp of ['198.51.100.10', undefined]) {
      const a = route(m, sourceIp);
      const expected = route(undefinedList, sourceIp);
      expect(a).toMatchObject({ verdict: 'rejected', status: 403 });
      expect([a.verdict, a.status, a.notModelled]).toEqual([expected.verdict, expected.status, expected.notModelled]);
    }
  });
});

describe.each(PROTOTYPE_NAMES)('FreeSWITCH pre-process variable %s', (name) => {
  const respondWithVariable = () =>
    writeTree({
      'freeswitch.xml': `<document type="freeswitch/xml">
  <X-PRE-PROCESS cmd="set" data="${name}=503"/>
  <section name="configuration">
    <configuration name="sofia.conf"><profiles>
      <profile name="trunk"><settings><param name="context" value="public"/></settings></profile>
    </profiles></configuration>
  </section>
  <section name="dialplan">
    <context name="public"><extension name="x"><condition><action application="respond" data="$\${${name}}"/></condition></extension></context>
  </section>
</document>
`,
    });
  const route = (m: ReturnType<typeof loadFreeswitch>) => freeswitchResolver.route(m, { user: '1', method: 'INVITE', profile: 'trunk' });

  it('is set by X-PRE-PROCESS and expanded by $${…}', () => {
    const m = loadFreeswitch(respondWithVariable());
    expect(m.vars.get(name)).toMatchObject({ value: '503', origin: 'set' });
    expect(route(m)).toMatchObject({ verdict: 'rejected', status: 503 });
  });

  it('given with --var (or the configuration file) wins over the file', () => {
    // JSON.parse, as the configuration file is read, makes `__proto__` an own property.
    const m = loadFreeswitch(respondWithVariable(), JSON.parse(`{"${name}": "486"}`));
    expect(m.vars.get(name)).toMatchObject({ value: '486', origin: 'option' });
    expect(route(m)).toMatchObject({ verdict: 'rejected', status: 486 });
  });

  it('given on the command line reaches the pre-processor', async () => {
    const run = await cli(['route', '1', respondWithVariable(), '--profile', 'trunk', '--var', `${name}=486`, '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({ verdict: 'rejected', status: 486 });
  });
});

describe.each(PROTOTYPE_NAMES)('Kamailio db_text column %s', (name) => {
  const withDomainTable = (header: string, column: string) => {
    const dir = writeTree({ 'db/domain': `id(int,auto) ${header}(string) did(string)\n1:Example.test:x\n2:pbx.example.test:y\n` });
    const cfg = `loadmodule "db_text.so"\nloadmodule "domain.so"\nmodparam("domain", "db_url", "text://${path.join(dir, 'db')}")\nmodparam("domain", "domain_col", "${column}")\nrequest_route {\n\tsl_send_reply("404", "Not Found");\n}\n`;
    const cfgDir = writeTree({ 'kamailio.cfg': KAMAILIO_HEAD + cfg });
    return { cfgDir, model: loadKamailio(path.join(cfgDir, 'kamailio.cfg')) };
  };

  it('holds the domain column it is named as', () => {
    const { cfgDir, model } = withDomainTable(name, name);
    expect(model.myself.domainTableEntries).toEqual(['example.test', 'pbx.example.test']);
    noInternalErrors(cfgDir);
  });

  it('names no column when the table has none such: no domains, as for any missing column', () => {
    const { cfgDir, model } = withDomainTable('domain', name);
    expect(model.myself.domainTableEntries).toEqual([]);
    expect(model.myself.domainTableEntries).toEqual(withDomainTable('domain', 'no_such_column').model.myself.domainTableEntries);
    noInternalErrors(cfgDir);
  });
});
