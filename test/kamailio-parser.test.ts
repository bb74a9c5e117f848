/** The Kamailio loader: preprocessor, includes, locations, grammar, myself (cfg.lex / cfg.y / ppcfg.c semantics). */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadKamailio } from '../src/parsers/kamailio';
import { kamailioEngine } from '../src/engines/kamailio';
import { compileEre, ereMatch } from '../src/automata/ere/ere';
import { fixture } from './helpers/rule-tester';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbxlint-kparse-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const f = path.join(dir, name);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, text);
  return f;
}

const errors = (m: ReturnType<typeof loadKamailio>) => m.issues.filter((i) => i.kind !== 'not-modelled');

describe('preprocessor', () => {
  it('keeps the branch of #!ifdef/#!ifndef/#!else that applies, nested, with command-line defines', () => {
    const f = write(
      'kamailio.cfg',
      ['#!define A', '#!ifdef A', '#!ifndef B', 'alias="ab.example"', '#!else', 'alias="b.example"', '#!endif', '#!else', 'alias="none.example"', '#!endif', 'request_route { exit; }', ''].join('\n'),
    );
    expect(loadKamailio(f).globals.map((g) => g.value)).toEqual(['ab.example']);
    expect(loadKamailio(f, { defines: ['B'] }).globals.map((g) => g.value)).toEqual(['b.example']);
  });

  it('applies #!trydef, #!redefine and #!undef, and refuses a second #!define', () => {
    const f = write(
      'kamailio.cfg',
      ['#!define PORT 5060', '#!trydef PORT 5070', 'listen=udp:127.0.0.1:PORT', '#!redefine PORT 5080', 'listen=udp:127.0.0.2:PORT', '#!undef PORT', '#!ifdef PORT', 'alias="x"', '#!endif', '#!define D 1', '#!define D 2', 'request_route { exit; }'].join('\n'),
    );
    const m = loadKamailio(f);
    expect(m.globals.map((g) => g.value)).toEqual(['udp:127.0.0.1:5060', 'udp:127.0.0.2:5080']);
    expect(errors(m).map((i) => i.location.line)).toEqual([11]);
  });

  it('substitutes a define for a bare identifier, not inside a quoted string; -A values win over #!trydef', () => {
    const f = write('kamailio.cfg', ['#!trydef DBURL "mysql://db"', 'loadmodule "usrloc.so"', 'modparam("usrloc", "db_url", DBURL)', 'modparam("usrloc", "x", "DBURL")', 'request_route { exit; }'].join('\n'));
    expect(loadKamailio(f).modparams.map((p) => p.value)).toEqual(['mysql://db', 'DBURL']);
    expect(loadKamailio(f, { defines: ['DBURL="text://x"'] }).modparams[0].value).toBe('text://x');
  });

  it('continues a #!define value after a trailing backslash', () => {
    const f = write('kamailio.cfg', ['#!define GW "sip:10.0.0.1\\', ':5060"', 'alias="x.example"', 'request_route { $du = GW; t_relay(); }'].join('\n'));
    const m = loadKamailio(f);
    expect(errors(m)).toEqual([]);
    const assign = m.requestRoute!.body[0];
    expect(assign.k === 'assign' && assign.value.k === 'str' && assign.value.value).toBe('sip:10.0.0.1:5060');
    expect(m.globals[0].location.line).toBe(3);
  });

  it('applies #!substdef and #!subst to later strings', () => {
    const f = write('kamailio.cfg', ['#!substdef "/GWIP/10.0.0.9/"', '#!subst "/example\\.org/example.net/g"', 'alias="sip.example.org"', 'request_route { $du = "sip:GWIP:5060"; t_relay(); }'].join('\n'));
    const m = loadKamailio(f);
    expect(m.globals[0].value).toBe('sip.example.net');
    expect(m.defines.get('GWIP')?.value).toBe('10.0.0.9');
    const assign = m.requestRoute!.body[0];
    expect(assign.k === 'assign' && assign.value.k === 'str' && assign.value.value).toBe('sip:10.0.0.9:5060');
  });

  it('reports an #!ifdef that is never closed and an #!endif without #!ifdef', () => {
    const f = write('kamailio.cfg', ['#!endif', '#!ifdef X', 'request_route { exit; }'].join('\n'));
    expect(errors(loadKamailio(f)).map((i) => [i.location.line, i.message])).toEqual([
      [1, '#!endif without #!ifdef'],
      [2, '#!ifdef without #!endif'],
    ]);
  });

  it('follows include_file/import_file (with or without #!) and keeps locations in the included file', () => {
    write('routes/main.cfg', ['route[MAIN] {', '  sl_send_reply("404", "Not here");', '}'].join('\n'));
    const f = write('kamailio.cfg', ['loadmodule "sl.so"', 'include_file "routes/main.cfg"', '#!import_file "missing.cfg"', 'request_route { route(MAIN); }'].join('\n'));
    const m = loadKamailio(f);
    expect(errors(m)).toEqual([]);
    expect(m.sources.map((s) => path.relative(dir, s.file))).toEqual(['kamailio.cfg', 'routes/main.cfg']);
    expect(m.sources[1].includedFrom?.line).toBe(2);
    expect(m.replies[0]).toMatchObject({ status: 404, reason: 'Not here', location: { file: path.join(dir, 'routes/main.cfg'), line: 2, column: 3 } });
  });

  it('reports a missing include_file and an include cycle at the directive', () => {
    write('a.cfg', '#!include_file "kamailio.cfg"\n');
    const f = write('kamailio.cfg', ['include_file "nope.cfg"', 'include_file "a.cfg"', 'request_route { exit; }'].join('\n'));
    const m = loadKamailio(f);
    expect(m.issues.map((i) => [i.kind, path.basename(i.location.file), i.location.line])).toEqual([
      ['include-missing', 'kamailio.cfg', 1],
      ['include-cycle', 'a.cfg', 1],
    ]);
  });
});

describe('grammar', () => {
  it('reads route blocks of every kind, statements and expressions', () => {
    const f = write(
      'kamailio.cfg',
      [
        'request_route {',
        '  if (uri == myself && !($rU =~ "^[0-9]+$") || method == "OPTIONS") { exit; } else if ($rd != "x") { drop; }',
        '  switch ($rU) { case "1": case -1: break; default: route(X); }',
        '  $var(i) = 0; while ($var(i) < 3) { $var(i) = $var(i) + 1; }',
        '  if (src_ip == 10.0.0.0/8) return 1;',
        '  forward(uri:host, uri:port);',
        '}',
        'route[X] { return; }',
        'failure_route[F] { exit; }',
        'onreply_route[R] { exit; }',
        'branch_route[B] { exit; }',
        'event_route[xhttp:request] { exit; }',
        'onsend_route { exit; }',
      ].join('\n'),
    );
    const m = loadKamailio(f);
    expect(errors(m)).toEqual([]);
    expect([...m.routes.keys()].sort()).toEqual(['branch:B', 'event:xhttp:request', 'failure:F', 'onreply:R', 'onsend:DEFAULT', 'request:DEFAULT', 'request:X']);
    expect(m.requestRoute!.body.map((s) => s.k)).toEqual(['if', 'switch', 'assign', 'while', 'if', 'call']);
  });

  it('reports a missing semicolon at the token after the command, as cfg.y does', () => {
    const f = write('kamailio.cfg', ['request_route {', '  if ($rU == "1") route(A)', '  else exit;', '}', 'route[A] { exit; }'].join('\n'));
    expect(errors(loadKamailio(f)).map((i) => [i.location.line, i.location.column])).toEqual([[3, 3]]);
  });

  it('refuses an unknown core parameter and a duplicate route, accepts custom cfg variables', () => {
    const f = write('kamailio.cfg', ['fifo="/tmp/x"', 'pstn.gw_ip = "10.0.0.1" desc "PSTN gateway"', 'route[A] { exit; }', 'route[A] { exit; }', 'request_route { exit; }'].join('\n'));
    const m = loadKamailio(f);
    expect(errors(m).map((i) => i.location.line)).toEqual([1, 4]);
    expect(m.cfgVars.get('pstn.gw_ip')?.value).toBe('10.0.0.1');
  });

  it('never throws on binary or garbage input', () => {
    fs.writeFileSync(path.join(dir, 'bin.cfg'), Buffer.from([0x72, 0x6f, 0, 1, 2]));
    expect(loadKamailio(path.join(dir, 'bin.cfg')).issues[0].kind).toBe('unreadable');
    const g = write('garbage.cfg', '}}{{ request_route { if ( ; "unterminated\n /* open comment');
    expect(() => loadKamailio(g)).not.toThrow();
    expect(errors(loadKamailio(g)).length).toBeGreaterThan(0);
  });

  it('refuses absurd nesting and define bombs with an issue instead of exhausting the stack or memory', () => {
    const deep = write('deep.cfg', `request_route {${'if(1){'.repeat(20000)}${'}'.repeat(20001)}`);
    expect(loadKamailio(deep).issues[0].message).toMatch(/nested deeper than 200/);
    const paren = write('paren.cfg', `request_route { if (${'('.repeat(20000)}1${')'.repeat(20000)}) exit; }`);
    expect(loadKamailio(paren).issues[0].message).toMatch(/nested deeper than 200/);
    const defs = Array.from({ length: 30 }, (_, i) => `#!define D${i} D${i + 1} D${i + 1}`).join('\n');
    const bomb = write('bomb.cfg', `${defs}\n#!define D30 x\nrequest_route { $var(a) = D0; }\n`);
    expect(loadKamailio(bomb).issues[0]).toMatchObject({ kind: 'unreadable', location: { line: 32 } });
  });

  it('builds "myself" from listen (with advertise), alias, auto_aliases and --myself', () => {
    const f = write('kamailio.cfg', ['listen=udp:127.0.0.1:5070 advertise 198.51.100.7:5060', 'alias="sip.example.test"', 'alias=tls:secure.example.test:5061', 'request_route { exit; }'].join('\n'));
    const m = loadKamailio(f);
    expect(m.myself.complete).toBe(true);
    expect(m.myself.entries.map((e) => `${e.origin} ${e.proto ?? '*'}:${e.host}:${e.port ?? '*'}`)).toEqual([
      'listen udp:127.0.0.1:5070',
      'advertise udp:198.51.100.7:5060',
      'alias *:sip.example.test:*',
      'alias tls:secure.example.test:5061',
      'auto-alias udp:localhost:5070',
    ]);
    const wild = write('w.cfg', 'listen=0.0.0.0\nrequest_route { exit; }');
    expect(loadKamailio(wild).myself.complete).toBe(false);
    expect(loadKamailio(wild, { myself: ['10.1.1.1:5060'] }).myself.complete).toBe(true);
  });
});

describe('the domain module table', () => {
  it('reads a db_text domain table given by an absolute text:// URL; with register_myself its domains are myself', () => {
    const table = path.resolve(__dirname, '../fixtures/kamailio/hosted/dbtext');
    const m = loadKamailio(fixture('kamailio', 'hosted', 'kamailio.cfg'), { defines: [`DOMAIN_DB="text://${table}"`] });
    expect(m.myself.domainTableEntries).toEqual(['hosted.example.test', 'second.example.test']);
    expect(m.localDomains.filter((d) => d.origin.startsWith('domain-table')).map((d) => d.name)).toEqual(['hosted.example.test', 'second.example.test']);
    expect(m.sources.map((s) => path.basename(s.file))).toContain('domain');
    // without the define the table's path is /etc/kamailio/dbtext: not readable here, so unknown
    expect(loadKamailio(fixture('kamailio', 'hosted', 'kamailio.cfg')).myself.domainTableEntries).toBeUndefined();
  });
});

describe('discovery', () => {
  it('claims kamailio.cfg and main cfgs with a request route, not included parts nor OpenSIPS files', () => {
    write('k/kamailio.cfg', 'include_file "part.cfg"\nrequest_route { exit; }');
    write('k/part.cfg', 'route { exit; }');
    write('k/other.cfg', 'route { exit; }');
    write('opensips/opensips.cfg', 'route { exit; }');
    write('x/opensips.cfg', 'route { exit; }');
    const k = kamailioEngine.discover(path.join(dir, 'k'), ['kamailio.cfg', 'part.cfg', 'other.cfg']);
    expect(k.roots.map((r) => path.basename(r.path)).sort()).toEqual(['kamailio.cfg', 'other.cfg']);
    expect(kamailioEngine.discover(path.join(dir, 'opensips'), ['opensips.cfg']).roots).toEqual([]);
    expect(kamailioEngine.discover(path.join(dir, 'x'), ['opensips.cfg']).roots).toEqual([]);
    expect(kamailioEngine.claimFile(path.join(dir, 'opensips/opensips.cfg'))).toBeNull();
  });
});

describe('=~ regular expressions (POSIX ERE, case-insensitive, unanchored)', () => {
  it.each([
    ['^[[:digit:]]{3}$', '123', true],
    ['^[[:digit:]]{3}$', '1234', false],
    ['^\\+?[0-9]+$', '+4930', true],
    ['\\d', 'd', true],
    ['\\d', '5', false],
    ['[\\.]', '\\', true],
    ['ALICE', 'xalicex', true],
    ['^a{2,3}$', 'aaaa', false],
    ['^*a', '*a', true],
    ['^(sales|info)$', 'INFO', true],
    ['[]a]', ']', true],
    ['[^]a]', 'b', true],
    ['^[a-c]x$', 'BX', true],
    ['\\bsip\\b', 'a sip b', true],
    ['^a{2}b?$', 'aab', true],
    ['x|', 'anything', true],
  ])('%s on %s → %s', (re, s, expected) => {
    expect(ereMatch(re, s)).toBe(expected);
  });

  it('evaluates patterns that make backtracking engines run away, in linear time', () => {
    const subject = `${'a'.repeat(5000)}b`.slice(0, 4000);
    expect(ereMatch('^(a+)+$', `${'a'.repeat(60)}b`)).toBe(false);
    expect(ereMatch('^(a|aa)*$', `${'a'.repeat(60)}b`)).toBe(false);
    expect(ereMatch('^(a|aa)*$', subject)).toBe(true);
    expect(ereMatch('[@:]iptel\\.org([;:].*)*', 'sip:x@iptel.org;transport=udp')).toBe(true);
  });

  it('reports what regcomp would reject or pbxlint does not support', () => {
    expect(ereMatch('(a', 'a')).toBeNull();
    expect(ereMatch('(a)\\1', 'aa')).toBeNull(); // back-reference
    expect(ereMatch('a{3,2}', 'aaa')).toBeNull();
    expect(compileEre('^(a+)+$').ok).toBe(false); // the JavaScript translation (for #!subst) still refuses it
  });
});

describe('a define whose value names itself (found by npm run fuzz)', () => {
  test('twice: one positioned error, the expansion abandoned, and the rest of the file read (it used to expand 2^32 times and run out of memory)', () => {
    const main = write('kamailio.cfg', '#!define X X X\nlisten=udp:127.0.0.1:5060\nX\nrequest_route {\n  sl_send_reply("404", "Not Found");\n}\n');
    const m = loadKamailio(main);
    expect(errors(m).map((i) => `${i.location.line}:${i.location.column} ${i.message}`)).toEqual(['3:1 define X expands into itself']);
    expect(errors(m).filter((i) => /expands into itself/.test(i.message))).toHaveLength(1);
    expect(m.requestRoute?.loc.line).toBe(4);
  });
});
