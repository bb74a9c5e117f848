/**
 * Regressions of the divergences the randomised Kamailio oracle (test/kamailio-random-oracle.test.ts)
 * found, checked here without a running Kamailio; the oracle test runs the same probes
 * (fixtures/kamailio/random-found, scenario "random-found" of test/kamailio-oracle/cases.ts)
 * against kamailio 5.6.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { routeCommand } from '../src/route';

const FOUND = path.resolve(__dirname, '../fixtures/kamailio/random-found/kamailio.cfg');
const ME = '127.0.0.1:5060';

function probe(fromUser: string, target: string, method = 'INVITE'): string {
  const a = routeCommand(target, [FOUND], { fromUser, fromDomain: 'caller.example.net', sourceIp: '127.0.0.1', method, registered: [] }).answer;
  return `${a.status ?? a.verdict} ${a.reason}`;
}

describe('request handling the random oracle found wrong', () => {
  it('an ACK is never answered: sl_send_reply returns -1 and sends nothing', () => {
    expect(probe('ack', `sip:x@${ME}`, 'ACK')).toBe('rejected no reply (an ACK is never answered)');
    expect(probe('ack', `sip:x@${ME}`)).toBe('404 Not Found');
  });

  it('a rewrite keeps every URI parameter; a tel: URI given a host becomes sip: with user=phone', () => {
    expect(probe('params', `sip:x@${ME};user=phone;lr;x=1`)).toBe('475 ru=[sip:x@params.example.test:5060;user=phone;lr;x=1]');
    expect(probe('params', 'tel:+12025551234')).toBe('475 ru=[sip:+12025551234@params.example.test;user=phone]');
  });

  it('an R-URI that does not parse reads $null, refuses rewrites, and t_relay sends nothing', () => {
    expect(probe('unparsed', `sip:@${ME}`)).toBe('476 ru=[<null>] rU=[<null>] len=[]');
    expect(probe('relayunparsed', `sip:@${ME}`)).toBe('477 t_relay failed');
  });

  it('an R-URI without a user parses: strip() leaves it, $rU gives it one', () => {
    expect(probe('unparsed', `sip:${ME}`)).toBe(`476 ru=[sip:x@${ME}] rU=[x] len=[1]`);
  });

  it('uri==myself on an R-URI that does not parse is -1: false alone, true inside && and !', () => {
    expect(probe('elemerror', `sip:@${ME}`)).toBe('479 and');
    expect(probe('elemerror', `sip:x@${ME}`)).toBe('479 alone');
    expect(probe('elemerror', 'sip:x@other.example.org')).toBe('479 negated');
  });

  it('uri==myself does not compare the transport', () => {
    expect(probe('myself', `sip:x@${ME};transport=tcp`)).toBe('470 uri is myself');
    expect(probe('myself', 'sip:x@localhost:5060;transport=tcp')).toBe('470 uri is myself');
  });

  it('t_relay over a transport no listen= socket has: tm answers 500 (E_NO_SOCKET)', () => {
    expect(probe('tcp', 'sip:x@127.0.0.1:5080;transport=tcp')).toBe("500 I'm terribly sorry, server error occurred (7/TM)");
    expect(probe('tcp', 'sip:x@127.0.0.1:5080;transport=tcp', 'ACK')).toBe('rejected no reply (an ACK is never answered)');
  });

  it('strip() past the end of a tel: number leaves a URI that no longer parses', () => {
    expect(probe('telstrip', 'tel:+12025551234')).toBe('478 rU=[<null>] rz=[<null>]');
  });
});

describe('configurations Kamailio refuses, which pbxlint must report', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbxlint-found-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function parseErrors(body: string, head = ''): string[] {
    const file = path.join(dir, 'kamailio.cfg');
    fs.writeFileSync(file, `#!KAMAILIO\n${head}listen=udp:127.0.0.1:5060\nloadmodule "sl.so"\nloadmodule "textops.so"\nrequest_route {\n${body}\n}\n`);
    const { model } = routeCommand('sip:x@127.0.0.1', [file], { platform: 'kamailio' });
    return model.issues.filter((i) => i.kind === 'parse-error').map((i) => `${i.location.line}: ${i.message}`);
  }

  it('has no "!~" operator (cfg.lex: only =~)', () => {
    expect(parseErrors('if ($rU !~ "^1") { sl_send_reply("404", "x"); }')).not.toEqual([]);
    expect(parseErrors('if (!($rU =~ "^1")) { sl_send_reply("404", "x"); }')).toEqual([]);
  });

  it('with use_domain, the AOR of a tel: URI is "user@": lookup() finds no contact registered at a domain', () => {
    const file = path.join(dir, 'kamailio.cfg');
    fs.writeFileSync(file, '#!KAMAILIO\nlisten=udp:127.0.0.1:5060\nloadmodule "tm.so"\nloadmodule "sl.so"\nloadmodule "usrloc.so"\nloadmodule "registrar.so"\nmodparam("usrloc", "use_domain", 1)\nrequest_route {\n\tif (lookup("location")) {\n\t\tt_relay();\n\t\texit;\n\t}\n\tsl_send_reply("404", "Not Found");\n}\n');
    const route = (target: string) => routeCommand(target, [file], { fromUser: 'a', fromDomain: 'x.net', sourceIp: '127.0.0.1', registered: ['+15551234@127.0.0.1'] }).answer;
    expect(route('tel:+15551234').status).toBe(404);
    expect(route('sip:+15551234@127.0.0.1').target?.kind).toBe('location');
  });

  it('core actions take one literal: prefix a string, strip a number (cfg.y)', () => {
    expect(parseErrors('prefix(EMPTY);', '#!define EMPTY\n')).toEqual([expect.stringMatching(/^7: prefix\(\) takes one quoted string literal/)]);
    expect(parseErrors('prefix(UNDEFINED);')).not.toEqual([]);
    expect(parseErrors('strip("2");')).not.toEqual([]);
    expect(parseErrors('prefix(PFX); strip(2); strip_tail(0x1); rewritehostport("h:5");', '#!define PFX "00"\n')).toEqual([]);
  });

  it('a subst expression fixup_substre refuses stops Kamailio at start-up', () => {
    expect(parseErrors('subst_user("/^\\\\/00/g");')).toEqual([expect.stringMatching(/bad subst\. re \(missing separator\)/)]);
    expect(parseErrors('subst_user("/^(\\\\)/00/");')).toEqual([expect.stringMatching(/bad regular expression: unmatched \(/)]);
    expect(parseErrors('subst_user("/^\\\\+(1)/00\\\\1/");')).toEqual([]);
  });
});
