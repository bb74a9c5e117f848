/**
 * Files named on the command line that are no roots (issue 17): an included fragment is linted
 * through the root that includes it, found in the given paths or the directories above; a file
 * no root includes is checked on its own for syntax. And Kamailio root detection by the grammar.
 */
import * as fs from 'fs';
import * as path from 'path';
import { findRoots } from '../src/engines';
import { lintPaths } from '../src/lint';
import { writeTree } from './helpers/tmp-config';

const dirs: string[] = [];
function tree(files: Record<string, string>): string {
  const dir = writeTree({ '.git/HEAD': 'ref: refs/heads/main\n', ...files });
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const KAM_MAIN = 'loadmodule "sl.so"\ninclude_file "routes.cfg"\n';
const KAM_ROUTES = 'request_route {\n  route(RELAY);\n}\nroute[RELAY] {\n  sl_send_reply("404", "Not Found");\n}\n';

describe('Kamailio root detection follows the grammar', () => {
  test.each([
    ['route{ with no space', 'route{\n  sl_send_reply("404", "x");\n}\n'],
    ['a comment between keyword and brace', 'request_route # the main route\n{\n  drop;\n}\n'],
    ['a block comment between keyword and brace', 'request_route /* main */ {\n  drop;\n}\n'],
    ['cfgengine (KEMI)', 'loadmodule "app_lua.so"\nmodparam("app_lua", "load", "/etc/kamailio/kamailio.lua")\ncfgengine "lua"\n'],
  ])('%s', (_name, text) => {
    const dir = tree({ 'proxy.cfg': text });
    expect(findRoots([path.join(dir, 'proxy.cfg')]).roots.map((r) => path.basename(r.path))).toEqual(['proxy.cfg']);
  });

  test('request_route in an included file makes the including cfg the root, not the included one', () => {
    const dir = tree({ 'proxy.cfg': KAM_MAIN, 'routes.cfg': KAM_ROUTES });
    expect(findRoots([dir]).roots.map((r) => path.basename(r.path))).toEqual(['proxy.cfg']);
  });

  test('a route word in a comment does not make a root', () => {
    const dir = tree({ 'notes.cfg': '# route { is where it starts\nloadmodule "sl.so"\n' });
    const found = findRoots([path.join(dir, 'notes.cfg')]);
    expect(found.roots).toEqual([]);
    expect(found.errors).toEqual([]);
    expect(found.fragments.map((f) => f.forms)).toEqual([['kamailio']]);
  });
});

describe('include fragments', () => {
  test('Kamailio: an included cfg is linted through the root above it, saying so', () => {
    const dir = tree({ 'kamailio.cfg': 'loadmodule "sl.so"\ninclude_file "route/main.cfg"\n', 'route/main.cfg': KAM_ROUTES });
    const r = lintPaths([path.join(dir, 'route/main.cfg')]);
    expect(r.errors).toEqual([]);
    expect(r.roots.map((x) => x.path)).toEqual([path.join(dir, 'kamailio.cfg')]);
    expect(r.notes.join('\n')).toMatch(/main\.cfg is included by the kamailio configuration .*kamailio\.cfg \(at .*kamailio\.cfg:2\): checked through that root/);
  });

  test('Asterisk: an #include-d file is linted through the directory root', () => {
    const dir = tree({ 'extensions.conf': '[from-internal]\n#include extensions_custom.conf\n', 'extensions_custom.conf': '[custom]\nexten => 100,1,Hangup()\n' });
    const r = lintPaths([path.join(dir, 'extensions_custom.conf')]);
    expect(r.errors).toEqual([]);
    expect(r.roots.map((x) => x.path)).toEqual([dir]);
    expect(r.notes.join('\n')).toMatch(/extensions_custom\.conf is included by the asterisk configuration/);
  });

  test('FreeSWITCH: an X-PRE-PROCESS included file is linted through the conf directory', () => {
    const dir = tree({
      'freeswitch.xml': '<?xml version="1.0"?>\n<document type="freeswitch/xml">\n  <section name="dialplan">\n    <X-PRE-PROCESS cmd="include" data="dialplan/*.xml"/>\n  </section>\n</document>\n',
      'dialplan/default.xml': '<include>\n  <context name="default">\n    <extension name="x"><condition field="destination_number" expression="^100$"><action application="hangup"/></condition></extension>\n  </context>\n</include>\n',
    });
    const r = lintPaths([path.join(dir, 'dialplan/default.xml')]);
    expect(r.errors).toEqual([]);
    expect(r.roots.map((x) => x.platform)).toEqual(['freeswitch']);
    expect(r.notes.join('\n')).toMatch(/default\.xml is included by the freeswitch configuration/);
  });

  test('a fragment no root includes is checked on its own for syntax, with a note', () => {
    const dir = tree({ 'sub/routes.cfg': 'route[X] {\n  sl_send_reply("404", "x")\n}\n' });
    const r = lintPaths([path.join(dir, 'sub/routes.cfg')]);
    expect(r.errors).toEqual([]);
    expect(r.roots).toEqual([]);
    expect(r.notes.join('\n')).toMatch(/routes\.cfg: no kamailio configuration that includes it was found .*checked on its own/);
    expect(r.findings.map((f) => `${f.ruleId}@${f.line}`)).toEqual(['parse-error@3']);
  });

  test('a FreeSWITCH fragment alone: its <include> lines are dropped as switch_xml.c preprocess does, so several top-level elements load', () => {
    const dir = tree({ 'phrases.xml': '<include>\n  <macro name="a"/>\n  <macro name="b"/>\n</include>\n' });
    const r = lintPaths([path.join(dir, 'phrases.xml')]);
    expect(r.findings).toEqual([]);
    expect(r.errors).toEqual([]);
  });

  test('a file under a root that the root does not read, in no form pbxlint reads, is refused with the reason', () => {
    const dir = tree({ 'freeswitch.xml': '<document type="freeswitch/xml"/>\n', 'mime.types': 'text/plain txt\n' });
    const r = lintPaths([path.join(dir, 'mime.types')]);
    expect(r.errors.join('\n')).toMatch(/mime\.types: not read by the freeswitch configuration .* and not a configuration file pbxlint recognises/);
  });

  test('a Kamailio include at an installation path absent here stays an error (kamailio -c refuses), naming the copy beside the cfg', () => {
    const dir = tree({ 'kamailio.cfg': 'loadmodule "sl.so"\ninclude_file "/nonexistent-pbxlint/etc/kamailio/routes.cfg"\n', 'routes.cfg': KAM_ROUTES });
    const r = lintPaths([dir]);
    expect(r.findings.filter((f) => f.severity === 'error').map((f) => f.message)).toEqual([expect.stringMatching(/no such file \(Kamailio refuses to start\); routes\.cfg is beside kamailio\.cfg: install it at that path, or include it by a relative path/)]);
  });

  test('Asterisk configs/samples (*.conf.sample) is a root read with the suffix, saying so', () => {
    const dir = tree({ 'extensions.conf.sample': '[default]\nexten => 100,1,Hangup()\n', 'cdr.conf.sample': '[general]\nenable=yes\n' });
    const r = lintPaths([dir]);
    expect(r.roots).toEqual([{ platform: 'asterisk', path: dir, suffix: '.sample' }]);
    expect(r.findings.map((f) => f.message)).toEqual([expect.stringMatching(/read as Asterisk's sample configuration/)]);
    const alone = lintPaths([path.join(dir, 'cdr.conf.sample')]);
    expect(alone.errors).toEqual([]);
    expect(alone.notes.join('\n')).toMatch(/cdr\.conf\.sample: the asterisk configuration .* above it does not include it; its syntax was checked on its own/);
  });

  test('an OpenSIPS cfg is refused, saying why', () => {
    const dir = tree({ 'opensips/opensips.cfg': 'loadmodule "signaling.so"\nroute {\n  exit;\n}\n' });
    expect(lintPaths([path.join(dir, 'opensips/opensips.cfg')]).errors.join('\n')).toMatch(/not a configuration file pbxlint recognises \(OpenSIPS configuration is not read/);
  });

  test('a directory of parts (dialplan/) is linted through the root above it; one the root does not read is refused with the reason', () => {
    const dir = tree({
      'freeswitch.xml': '<document type="freeswitch/xml">\n  <section name="dialplan">\n    <X-PRE-PROCESS cmd="include" data="dialplan/*.xml"/>\n  </section>\n</document>\n',
      'dialplan/default.xml': '<include>\n  <context name="default"/>\n</include>\n',
      'unused/x.xml': '<include/>\n',
    });
    const r = lintPaths([path.join(dir, 'dialplan')]);
    expect(r.errors).toEqual([]);
    expect(r.roots.map((x) => x.path)).toEqual([dir]);
    expect(r.notes.join('\n')).toMatch(/dialplan holds files included by the freeswitch configuration/);
    expect(lintPaths([path.join(dir, 'unused')]).errors.join('\n')).toMatch(/unused: no Asterisk, Kamailio or FreeSWITCH configuration found, and the freeswitch configuration .* above it reads nothing in it/);
  });
});

describe('fragment placement with a stray root of another engine above', () => {
  // A tree with no .git: the search above the fragment goes on to the temp dir's own parents,
  // unless the working directory stops it first; the tests set it to control what lies above.
  const cwd = process.cwd();
  afterEach(() => process.chdir(cwd));
  const KAM_STRAY = 'listen=udp:127.0.0.1:5060\nrequest_route {\n  sl_send_reply("404", "Not Found");\n}\n';

  test('an Asterisk .inc that the Asterisk root includes goes through that root, not the Kamailio cfg above', () => {
    const top = writeTree({
      'q.cfg': KAM_STRAY,
      'pbx/extensions.conf': '[from-internal]\nexten => 100,1,Dial(PJSIP/alice)\n',
      'pbx/pjsip.conf': '[global]\ntype=global\n#include pjsip.conf.inc\n',
      'pbx/pjsip.conf.inc': '[alice]\ntype=endpoint\ncontext=from-internal\n',
    });
    dirs.push(top);
    process.chdir(top);
    const r = lintPaths([path.join(top, 'pbx/pjsip.conf.inc')]);
    expect(r.errors).toEqual([]);
    expect(r.roots).toEqual([{ platform: 'asterisk', path: path.join(top, 'pbx') }]);
    expect(r.notes.join('\n')).toMatch(/pjsip\.conf\.inc is included by the asterisk configuration pbx \(at pbx\/pjsip\.conf:3\)/);
  });

  test('an Asterisk .inc no root includes is checked alone as Asterisk, not refused for the Kamailio cfg above', () => {
    const top = writeTree({ 'q.cfg': KAM_STRAY, 'work/pjsip.conf.inc': '[alice]\ntype=endpoint\n' });
    dirs.push(top);
    process.chdir(top);
    const r = lintPaths([path.join(top, 'work/pjsip.conf.inc')]);
    expect(r.errors).toEqual([]);
    expect(r.roots).toEqual([]);
    expect(r.notes.join('\n')).toMatch(/pjsip\.conf\.inc: no asterisk configuration that includes it was found .*checked on its own/);
  });

  test('inside a repository the search goes on past the working directory to the repository\'s top', () => {
    const top = writeTree({ '.git/HEAD': 'ref: refs/heads/main\n', 'kamailio.cfg': 'include_file "routes/x.cfg"\nrequest_route {\n  route(X);\n}\n', 'routes/x.cfg': 'route[X] {\n  drop;\n}\n' });
    dirs.push(top);
    process.chdir(path.join(top, 'routes'));
    expect(findRoots(['x.cfg']).fragments.map((f) => f.candidates)).toEqual([[{ platform: 'kamailio', path: path.join(top, 'kamailio.cfg') }]]);
  });

  test('outside a repository the search above a fragment stops at the working directory', () => {
    const top = writeTree({ 'q.cfg': KAM_STRAY, 'work/routes.cfg': 'route[X] {\n  drop;\n}\n' });
    dirs.push(top);
    process.chdir(path.join(top, 'work'));
    expect(findRoots(['routes.cfg']).fragments.map((f) => f.candidates)).toEqual([[]]);
    process.chdir(top);
    expect(findRoots(['work/routes.cfg']).fragments.map((f) => f.candidates)).toEqual([[{ platform: 'kamailio', path: path.join(top, 'q.cfg') }]]);
  });
});
