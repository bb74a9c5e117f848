/**
 * FreeSWITCH loading: the pre-processor as switch_xml.c preprocess() does it (line-based, in
 * document order, directives active even inside comments), positions mapped back to the files,
 * hostile input reported and never run, and the stock corpus loading with zero errors.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadFreeswitch } from '../src/parsers/freeswitch';
import { freeswitchEngine } from '../src/engines/freeswitch';
import { corpusOrSkip, fixture } from './helpers/rule-tester';
import { writeTree } from './helpers/tmp-config';

function tree(files: Record<string, string | Buffer>): string {
  return writeTree(files, 'pbxlint-fs-');
}

const doc = (body: string) => `<?xml version="1.0"?>\n<document type="freeswitch/xml">\n${body}\n</document>\n`;

describe('FreeSWITCH loader', () => {
  test('basic fixture: directory, profiles, gateways, dialplan, modules, positions', () => {
    const dir = fixture('freeswitch', 'basic');
    const m = loadFreeswitch(dir);
    expect(m.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(m.directory.domains.map((d) => d.name)).toEqual(['example.com']);
    expect(m.directory.domains[0].users.map((u) => u.id)).toEqual(['100', '101']);
    const u100 = m.directory.domains[0].users[0];
    expect(u100.location).toEqual({ file: path.join(dir, 'directory/example/100.xml'), line: 2, column: 3 });
    expect(u100.variables.get('user_context')?.value).toBe('default');
    expect(u100.params.get('dial-string')?.value).toContain('sofia_contact'); // merged from the domain
    const internal = m.profiles.find((p) => p.name === 'internal');
    expect(internal?.authCalls).toBe(true);
    expect(internal?.forceRegisterDomain?.value).toBe('example.com');
    expect(internal?.aliases).toEqual(['example.com']);
    expect(m.profiles.find((p) => p.name === 'external')?.gateways.map((g) => g.name)).toEqual(['carrier']);
    const local = m.dialplan.contexts.find((c) => c.name === 'default')?.extensions.find((x) => x.name === 'local');
    expect(local?.location).toEqual({ file: path.join(dir, 'dialplan/default.xml'), line: 8, column: 5 });
    expect(local?.conditions[0].expressionLocation).toMatchObject({ line: 9, column: 45 });
    expect(m.modules.known).toBe(true);
    expect(m.modules.names.has('mod_voicemail')).toBe(true);
    expect(m.vars.get('external_sip_ip')).toMatchObject({ symbolic: true, origin: 'stun-set' });
  });

  test('$${var} expands in document order; unknown core values stay symbolic until --var gives them', () => {
    const dir = tree({
      'freeswitch.xml': doc('<X-PRE-PROCESS cmd="set" data="a=$${b}"/>\n<X-PRE-PROCESS cmd="set" data="b = one"/>\n<X-PRE-PROCESS cmd="set" data="c=$${b}-$${local_ip_v4}"/>\n<section name="directory"><domain name="$${a}|$${c}"/></section>'),
    });
    expect(loadFreeswitch(dir).directory.domains[0].name).toBe('|one-$${local_ip_v4}');
    expect(loadFreeswitch(dir, { local_ip_v4: '10.0.0.5' }).directory.domains[0].name).toBe('|one-10.0.0.5');
  });

  test('X-PRE-PROCESS runs even inside <!-- -->; lines with <include> or <?…?> are dropped whole', () => {
    const dir = tree({
      'freeswitch.xml': doc('<!-- <X-PRE-PROCESS cmd="set" data="d=commented"/> -->\n<section name="directory"><domain name="$${d}"/></section>'),
    });
    expect(loadFreeswitch(dir).directory.domains[0].name).toBe('commented');
  });

  test('includes are globbed relative to the including file, sorted', () => {
    const dir = tree({
      'freeswitch.xml': doc('<section name="dialplan">\n<X-PRE-PROCESS cmd="include" data="dp/*.xml"/>\n</section>'),
      'dp/b.xml': '<include>\n<context name="b"/>\n</include>\n',
      'dp/a.xml': '<include>\n<X-PRE-PROCESS cmd="include" data="sub/*.xml"/>\n</include>\n',
      'dp/sub/c.xml': '<context name="c"/>\n',
    });
    const m = loadFreeswitch(dir);
    expect(m.dialplan.contexts.map((c) => c.name)).toEqual(['c', 'b']);
    expect(m.dialplan.contexts[0].location).toEqual({ file: path.join(dir, 'dp/sub/c.xml'), line: 1, column: 1 });
  });

  test('exec and exec-set are reported and never run', () => {
    const marker = path.join(os.tmpdir(), `pbxlint-exec-${process.pid}`);
    const dir = tree({
      'freeswitch.xml': doc(`<X-PRE-PROCESS cmd="exec" data="touch ${marker}"/>\n<X-PRE-PROCESS cmd="exec-set" data="x=touch ${marker}"/>\n<section name="directory"><domain name="$\${x}"/></section>`),
    });
    const m = loadFreeswitch(dir);
    expect(fs.existsSync(marker)).toBe(false);
    const execs = m.issues.filter((i) => i.kind === 'exec');
    expect(execs).toHaveLength(2);
    expect(execs[0].location).toMatchObject({ line: 3, column: 1 });
    expect(m.directory.domains[0].name).toBe('$${x}');
    // the <!--#exec "…"--> form too; <!--#set--> still sets
    const dir2 = tree({ 'freeswitch.xml': doc(`<!--#exec "touch ${marker}"-->\n<!--#set "d=x.example"-->\n<section name="directory"><domain name="$\${d}"/></section>`) });
    const m2 = loadFreeswitch(dir2);
    expect(fs.existsSync(marker)).toBe(false);
    expect(m2.issues.map((i) => [i.kind, i.location.line])).toEqual([['exec', 3]]);
    expect(m2.directory.domains[0].name).toBe('x.example');
  });

  test('hostile input: entity bomb, external entity, malformed XML, binary file, include cycle → issues, no crash', () => {
    const bomb = '<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>';
    const dir = tree({
      'freeswitch.xml': `${bomb}\n<document>\n<section name="x"><v>&c;</v><w>&ext;</w>\n<X-PRE-PROCESS cmd="include" data="loop.xml"/>\n<X-PRE-PROCESS cmd="include" data="bin.xml"/>\n<X-PRE-PROCESS cmd="include" data="missing.xml"/>\n<broken attr="x></section>\n</document>\n`,
      'loop.xml': '<X-PRE-PROCESS cmd="include" data="loop.xml"/>\n<y/>\n',
      'bin.xml': Buffer.from([0x3c, 0x61, 0x00, 0x01, 0x3e]),
      'ext.xml': '<!DOCTYPE x [<!ENTITY ext SYSTEM "file:///etc/passwd">]><x>&ext;</x>',
    });
    const m = loadFreeswitch(dir);
    const kinds = m.issues.map((i) => i.kind);
    expect(kinds).toContain('include-cycle');
    expect(kinds).toContain('unreadable');
    expect(kinds).toContain('include-missing');
    expect(kinds).toContain('parse-error');
    for (const i of m.issues) expect(i.location.file.startsWith(dir)).toBe(true);
    expect(JSON.stringify(m.issues)).not.toContain('root:');
  });

  test('a huge line-count document loads bounded', () => {
    const body = Array.from({ length: 20000 }, (_, i) => `<extension name="e${i}"><condition field="destination_number" expression="^${i}$"><action application="answer"/></condition></extension>`).join('\n');
    const dir = tree({ 'freeswitch.xml': doc(`<section name="dialplan"><context name="big">\n${body}\n</context></section>`) });
    const m = loadFreeswitch(dir);
    expect(m.dialplan.contexts[0].extensions).toHaveLength(20000);
    expect(m.dialplan.contexts[0].extensions[19999].location.line).toBe(20003);
  });

  test('discovery: freeswitch.xml, or vars.xml with the stock folders; stops descending', () => {
    expect(freeswitchEngine.discover('/x', ['freeswitch.xml', 'dialplan'])).toEqual({ roots: [{ platform: 'freeswitch', path: '/x' }], stopDescent: true });
    expect(freeswitchEngine.discover('/x', ['vars.xml', 'sip_profiles']).roots).toHaveLength(1);
    expect(freeswitchEngine.discover('/x', ['vars.xml']).roots).toHaveLength(0);
  });

  test('a conf dir without freeswitch.xml is read with the stock layout', () => {
    const dir = tree({
      'vars.xml': '<include>\n<X-PRE-PROCESS cmd="set" data="domain=d.example"/>\n</include>\n',
      'directory/d.xml': '<include>\n<domain name="$${domain}"><users><user id="7"/></users></domain>\n</include>\n',
      'dialplan/p.xml': '<include>\n<context name="public"/>\n</include>\n',
    });
    const m = loadFreeswitch(dir);
    expect(m.directory.domains[0].name).toBe('d.example');
    expect(m.dialplan.contexts.map((c) => c.name)).toEqual(['public']);
    expect(m.issues.filter((i) => i.severity === 'error')).toEqual([]);
  });
});

describe('FreeSWITCH corpus', () => {
  for (const name of ['vanilla', 'minimal']) {
    test(`conf/${name} loads with zero errors`, () => {
      const dir = corpusOrSkip(`freeswitch/conf/${name}`);
      if (!dir) return;
      const m = loadFreeswitch(dir);
      expect(m.issues.filter((i) => i.severity === 'error' || i.kind === 'parse-error')).toEqual([]);
      expect(m.dialplan.contexts.length).toBeGreaterThan(0);
      expect(m.profiles.length).toBeGreaterThan(0);
    });
  }
});
