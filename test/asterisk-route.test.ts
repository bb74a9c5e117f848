/**
 * The Asterisk simulator checked against engine semantics, case by case. Each case names the
 * behaviour (and source) it checks; ../shared/docs/semantics/asterisk.md has the reasoning.
 */
import * as fs from 'fs';
import { loadAsterisk } from '../src/parsers/asterisk';
import { asteriskResolver } from '../src/resolvers/asterisk';
import { isRegistered, lengthsOf } from '../src/resolvers/asterisk/channels';
import type { RouteRequest } from '../src/resolvers/types';
import { writeTree } from './helpers/tmp-config';
import { routeCommand } from '../src/route';
import { fixture } from './helpers/rule-tester';

const PJSIP = `
[phone](!)
type=endpoint
context=from-internal
[1001](phone)
aors=1001
auth=1001-auth
[1001]
type=aor
max_contacts=1
[1001-auth]
type=auth
username=1001
password=x
[1002](phone)
aors=1002
[1002]
type=aor
max_contacts=2
[1003](phone)
aors=1003
[1003]
type=aor
contact=sip:1003@192.0.2.30
[trunk-a]
type=endpoint
context=from-trunk
aors=trunk-a
allow_overlap=no
[trunk-a]
type=aor
contact=sip:203.0.113.5
[trunk-a-ip]
type=identify
endpoint=trunk-a
match=203.0.113.0/24
[lobby]
type=endpoint
context=lobby
[nocontext]
type=endpoint
`;

const EXTENSIONS = `
[general]
autofallthrough=yes

[globals]
TRUNK=trunk-a

[ordering]
exten => _X.,1,NoOp(X.)
exten => _NXXNXXXXXX,1,NoOp(NXXNXXXXXX)
exten => _1NXXNXXXXXX,1,NoOp(1NXXNXXXXXX)
exten => _[2-9]XX,1,NoOp([2-9]XX)
exten => _X!,1,NoOp(X!)
exten => 1234,1,NoOp(literal 1234)
exten => _1XXX,1,NoOp(1XXX)
exten => _[1-2]234,1,NoOp([1-2]234)
exten => _+1NXXNXXXXXX,1,NoOp(+1NXXNXXXXXX)
exten => 555-0100,1,NoOp(dashes ignored)
exten => _9NXX,2,NoOp(no priority 1)
exten => _9XXX,1,NoOp(9XXX)

[cid]
exten => 100/5551234,1,NoOp(vip)
exten => 100/_555XXXX,1,NoOp(555 callers)
exten => 100,1,NoOp(everyone)
exten => 200/,1,NoOp(no caller id)
exten => 200,1,NoOp(with caller id)

[local-first]
include => wide
exten => 300,1,NoOp(local literal)
exten => _4XX,1,NoOp(local pattern)
[wide]
exten => _X.,1,NoOp(wide catch-all)
exten => 300,1,NoOp(shadowed by local)

[inc-order]
include => first
include => second
[first]
exten => _5XX,1,NoOp(first)
[second]
exten => 500,1,NoOp(second literal loses to first's pattern)
exten => 600,1,NoOp(only in second)

[timed]
include => daytime,09:00-17:00,mon-fri,*,*
include => night
[daytime]
exten => 700,1,Playback(day)
[night]
exten => 700,1,Hangup(21)

[from-internal]
exten => _1XXX,1,Dial(PJSIP/\${EXTEN},20)
 same => n,Hangup()
exten => 2000,1,Dial(PJSIP/1099)
 same => n,Hangup()
exten => 2001,1,Dial(PJSIP/1099)
exten => 2002,1,Busy()
exten => 2003,1,Congestion()
exten => 2004,1,Hangup(17)
exten => 2005,1,Hangup()
exten => 2006,1,Answer()
 same => n,Playback(hello-world)
 same => n,Hangup()
exten => 2007,1,Goto(menu,s,1)
exten => 2008,1,Goto(nowhere,1)
exten => 2009,1,Set(MODE=day)
 same => n,GotoIf($["\${MODE}" = "day"]?day:night)
 same => n(day),Playback(day)
 same => n,Hangup()
 same => n(night),Hangup(21)
exten => 2010,1,GotoIf($[\${DB(x)} = 1]?2011,1:2012,1)
exten => 2011,1,VoiceMail(2011@default)
exten => 2012,1,Hangup(20)
exten => 2013,1,Gosub(sub-check,s,1(\${EXTEN}))
 same => n,Hangup(1)
exten => 2014,1,Macro(ring,1003)
exten => 2015,1,Dial(PJSIP/\${EXTEN:1}@\${TRUNK})
exten => 2016,1,Hangup(USER_BUSY)
exten => 2017,1,Goto(2017-missing,1)
exten => i,1,Playback(invalid)
 same => n,Hangup()
exten => _3XXXX,1,Dial(Local/\${EXTEN:1}@from-internal)
exten => 2018,1,Dial(PJSIP/1099&PJSIP/1003)

[menu]
exten => s,1,Background(menu)
 same => n,WaitExten(5)

[sub-check]
exten => s,1,NoOp(\${ARG1})
 same => n,Return()

[macro-ring]
exten => s,1,Dial(PJSIP/\${ARG1})

[from-trunk]
exten => _NXXNXXXXXX,1,Dial(PJSIP/1003)

[lobby]
exten => 100,1,Answer()
`;

const root = writeTree({ 'pjsip.conf': PJSIP, 'extensions.conf': EXTENSIONS });
const model = loadAsterisk(root);
const route = (user: string, opts: Partial<RouteRequest> = {}) => asteriskResolver.route(model, { user, method: 'INVITE', ...opts });

/** Which extension (by its NoOp text) a number reaches first in a context. */
const firstNoop = (user: string, context: string, callerId?: string) => {
  const a = route(user, { context, callerId });
  const first = (a.outcomes[0]?.steps ?? a.steps)[0];
  return a.verdict === 'rejected' && a.status !== null && a.status !== 603 ? `${a.status}` : /^NoOp\(([^)]*)\)/.exec(first?.text ?? '')?.[1];
};

describe('which extension wins (main/pbx.c ext_cmp order, pbx_find_extension)', () => {
  test.each([
    ['12125551234', '1NXXNXXXXXX', 'N cannot match 1; _1NXX… sorts before _X. at position 0 (0x0131 < 0x0A30)'],
    ['2125551234', 'NXXNXXXXXX', 'N (8 chars) sorts before X (10 chars)'],
    ['212', '[2-9]XX', '_NXXNXXXXXX sorts first but does not match 3 digits'],
    ['1234', 'literal 1234', 'literals before every pattern'],
    ['1235', '1XXX', "'1' (1 char) sorts before [1-2] (2 chars) at position 0"],
    ['2234', '[1-2]234', 'only _[1-2]234 and broader patterns match'],
    ['5', 'X!', '_X. needs at least 2 characters; _X! matches 1'],
    ['+12025551234', '+1NXXNXXXXXX', 'E.164 is matched exactly as dialled, + included'],
    ['5550100', 'dashes ignored', '- is ignored in literal extensions (ext_cmp_exten)'],
    ['555-0100', 'dashes ignored', '- is ignored in the dialled string too'],
    ['9212', '9XXX', '_9NXX has no priority 1: the walk continues to the next match (pbx_find_extension)'],
    ['*97', '404', "X needs a digit, so neither _X. nor _X! takes *97 (nothing matches: 404)"],
    ['15551', 'X.', 'five digits starting with 1: only _X. and _X! match; . sorts before !'],
  ])('%s in [ordering] → %s (%s)', (user, expected) => {
    expect(firstNoop(user, 'ordering')).toBe(expected);
  });
});

describe('caller-ID matches (matchcid, CID variants sort first)', () => {
  test.each([
    ['100', '5551234', 'vip'],
    ['100', '5559999', '555 callers'],
    ['100', '2125550000', 'everyone'],
    ['100', '', 'everyone'],
    ['200', '', 'no caller id'],
    ['200', '5551234', 'with caller id'],
  ])('%s from "%s" → %s', (user, cid, expected) => {
    expect(firstNoop(user, 'cid', cid)).toBe(expected);
  });
});

describe('a caller whose number is not given: caller-ID matches fork the answer', () => {
  const run = (conf: string, user: string, opts: Partial<RouteRequest> = {}) => asteriskResolver.route(loadAsterisk(writeTree({ 'extensions.conf': conf })), { user, method: 'INVITE', context: 'a', ...opts });
  const ways = (a: ReturnType<typeof run>) => a.outcomes.map((o) => `${o.steps[0]?.text} if ${o.conditions.join(' and ')}`);

  test('the extension without a CID match for the ordinary caller, then each CID variant in list order (matchcid)', () => {
    const a = run('[a]\nexten => 100/5551234,1,Hangup(17)\nexten => 100/_555XXXX,1,Hangup(19)\nexten => 100,1,Hangup(21)\n', '100');
    expect(a.verdict).toBe('depends');
    // The ordinary caller first, then each CID variant in list order.
    expect(ways(a)).toEqual([
      'Hangup(21) if the caller number is not 5551234 and the caller number does not match _555XXXX',
      'Hangup(17) if the caller number is 5551234',
      'Hangup(19) if the caller number is not 5551234 and the caller number matches _555XXXX',
    ]);
  });

  test('an empty CID match is the call without a number', () => {
    expect(ways(run('[a]\nexten => 200/,1,Hangup(17)\nexten => 200,1,Hangup(21)\n', '200'))).toEqual(['Hangup(21) if the call has a caller number', 'Hangup(17) if the call has no caller number']);
  });

  test('ways that end alike: the answer does not depend on the caller, and says so', () => {
    const a = route('200', { context: 'cid' });
    expect(a.verdict).toBe('rejected');
    expect(a.outcomes.map((o) => o.conditions)).toEqual([[]]);
  });

  test('a CID variant without the wanted priority is passed over either way: no fork', () => {
    const a = run('[a]\nexten => 100/5551234,2,Hangup(17)\nexten => 100,1,Hangup(21)\n', '100');
    expect(a.verdict).toBe('rejected');
    expect(a.outcomes[0].conditions).toEqual([]);
  });

  test('what one lookup assumed holds for the next priorities of the path (no crossed ways)', () => {
    const a = run('[a]\nexten => 100/5551234,1,NoOp(vip)\n same => n,Hangup(17)\nexten => 100,1,NoOp(other)\n same => n,Hangup(21)\n', '100');
    expect(a.outcomes.map((o) => [o.status, o.conditions])).toEqual([
      [403, ['the caller number is not 5551234']],
      [486, ['the caller number is 5551234']],
    ]);
  });

  test('a known number decides the other literal and pattern CID matches it meets later', () => {
    const conf = '[a]\nexten => 100/5551234,1,Goto(b,300,1)\nexten => 100,1,Goto(b,300,1)\n[b]\nexten => 300/_555XXXX,1,Hangup(17)\nexten => 300/2125550000,1,Hangup(19)\nexten => 300,1,Hangup(21)\n';
    // 5551234 matches _555XXXX: that path asks nothing in [b]. The literal 2125550000 sorts
    // before the pattern; once the number is known to be it, _555XXXX is not asked.
    expect(run(conf, '100').outcomes.map((o) => [o.status, o.conditions.join(' and ')])).toEqual([
      [403, 'the caller number is not 5551234 and the caller number is not 2125550000 and the caller number does not match _555XXXX'],
      [480, 'the caller number is not 5551234 and the caller number is 2125550000'],
      [486, 'the caller number is not 5551234 and the caller number is not 2125550000 and the caller number matches _555XXXX, or the caller number is 5551234'],
    ]);
  });

  test('paths that end alike are one outcome whose condition is either of theirs', () => {
    const a = run('[a]\nexten => 100/5551234,1,Hangup(17)\nexten => 100/_666XXXX,1,Hangup(17)\nexten => 100,1,Hangup(21)\n', '100');
    expect(a.outcomes.map((o) => [o.status, o.conditions.join(' and ')])).toEqual([
      [403, 'the caller number is not 5551234 and the caller number does not match _666XXXX'],
      [486, 'the caller number is 5551234, or the caller number is not 5551234 and the caller number matches _666XXXX'],
    ]);
  });

  test('a number known not to match a pattern is not asked about again as one of its numbers', () => {
    const conf = '[a]\nexten => 100/_555XXXX,1,Goto(b,300,1)\nexten => 100,1,Goto(b,300,1)\n[b]\nexten => 300/5551234,1,Hangup(17)\nexten => 300,1,Hangup(21)\n';
    expect(run(conf, '100').outcomes.map((o) => [o.status, o.conditions.join(' and ')])).toEqual([
      [403, 'the caller number does not match _555XXXX, or the caller number matches _555XXXX and the caller number is not 5551234'],
      [486, 'the caller number matches _555XXXX and the caller number is 5551234'],
    ]);
  });

  test('a CID match in an included context forks too', () => {
    const a = run('[a]\ninclude => b\n[b]\nexten => 100/5551234,1,Hangup(17)\nexten => 100,1,Hangup(21)\n', '100');
    expect(a.outcomes.map((o) => [o.status, o.conditions])).toEqual([[403, ['the caller number is not 5551234']], [486, ['the caller number is 5551234']]]);
  });

  test('chan_pjsip\'s existence check forks too: 404 for some callers only', () => {
    const a = run('[a]\nexten => 100/_555XXXX,1,Hangup(21)\n', '100');
    expect(a.outcomes.map((o) => [o.status, o.conditions])).toEqual([[403, ['the caller number matches _555XXXX']], [404, ['the caller number does not match _555XXXX']]]);
  });

  test('overlap dialling: a number that is a prefix of a CID variant only is 484 for that caller, 404 for the others', () => {
    const root = writeTree({ 'extensions.conf': '[a]\nexten => 100/5551234,1,Hangup(17)\nexten => 200,1,Hangup(17)\n', 'pjsip.conf': '[ep]\ntype=endpoint\ncontext=a\n' });
    const m = loadAsterisk(root);
    const answer = (user: string) => asteriskResolver.route(m, { user, method: 'INVITE', endpoint: 'ep' });
    expect(answer('10').outcomes.map((o) => [o.status, o.conditions])).toEqual([[484, ['the caller number is 5551234']], [404, ['the caller number is not 5551234']]]);
    expect(answer('20').status).toBe(484);
    expect(asteriskResolver.route(m, { user: '10', method: 'INVITE', endpoint: 'ep', callerId: '5551234' }).status).toBe(484);
  });

  test('Gosub to a destination only some callers have: the application fails for the others (app_stack checks it first)', () => {
    const a = run('[a]\nexten => 100,1,Gosub(sub,s,1)\n same => n,Hangup(21)\n[sub]\nexten => s/5551234,1,Return()\n', '100');
    expect(a.outcomes.map((o) => [o.status, o.reason.replace(/;.*/, ''), o.conditions])).toEqual([
      [403, 'Hangup(21)', ['the caller number is 5551234']],
      [603, 'Gosub to s,1@sub, which does not exist (the application fails)', ['the caller number is not 5551234']],
    ]);
  });

  test('a long list of CID variants: 16 ways followed, the rest said in one condition', () => {
    const blocked = Array.from({ length: 40 }, (_, i) => `exten => s/55510${String(i).padStart(2, '0')},1,Hangup(21)`).join('\n');
    const a = run(`[a]\n${blocked}\nexten => s,1,Hangup(16)\n`, '');
    expect(a.outcomes.map((o) => [o.status, o.conditions])).toEqual([
      [603, ['the caller number matches none of the 40 caller-ID matches of s in [a] (5551000, 5551001, 5551002, …; 25 of them are not followed one by one, pass --caller-id to follow one)']],
      [403, ['the caller number is 5551000, or the caller number is 5551001, or the caller number is 5551002, or the caller number is 5551003, or in 11 other cases']],
    ]);
  });

  test('with a caller number given, or an empty one, nothing forks', () => {
    expect(run('[a]\nexten => 100/5551234,1,Hangup(17)\nexten => 100,1,Hangup(21)\n', '100', { callerId: '' }).status).toBe(403);
    expect(run('[a]\nexten => 100/5551234,1,Hangup(17)\nexten => 100,1,Hangup(21)\n', '100', { callerId: '5551234' }).status).toBe(486);
  });

  test('extenpatternmatchnew=yes: a CID under a pattern extension is read as a pattern; under a literal one it never matches', () => {
    const trie = '[general]\nextenpatternmatchnew=yes\n[a]\nexten => _1XX/555XXXX,1,Hangup(17)\nexten => _1XX,1,Hangup(21)\nexten => 200/5551234,1,Hangup(17)\nexten => 200,1,Hangup(21)\n';
    // No CID variant wins over a no-CID extension of the same name in the trie (it ends at an earlier node).
    expect(run(trie, '100').outcomes.map((o) => [o.status, o.conditions])).toEqual([[403, []]]);
    const only = '[general]\nextenpatternmatchnew=yes\n[a]\nexten => _1XX/555XXXX,1,Hangup(17)\nexten => _X.,1,Hangup(21)\n';
    expect(run(only, '100').outcomes.map((o) => [o.status, o.conditions])).toEqual([[403, ['the caller number does not match _555XXXX']], [486, ['the caller number matches _555XXXX']]]);
    expect(run(only, '100', { callerId: '5551234' }).status).toBe(486);
  });

  test('extenpatternmatchnew=yes, chan_pjsip\'s canmatch test: the trie walks the caller number below "/" in E_CANMATCH too, so a caller whose number is the start of the CID match gets 484', () => {
    // main/pbx.c new_find_extension: at a `/` node `new_find_extension(callerid, …)` with the same
    // action; a number that runs out inside the CID pattern sets score->canmatch.
    const conf = '[general]\nextenpatternmatchnew=yes\n[a]\nexten => _1X./5551234,1,Hangup(17)\n';
    const pjsip = '[ep]\ntype=endpoint\ncontext=a\n';
    const m = loadAsterisk(writeTree({ 'extensions.conf': conf, 'pjsip.conf': pjsip }));
    const ask = (callerId?: string) => asteriskResolver.route(m, { user: '123', method: 'INVITE', endpoint: 'ep', callerId });
    expect(ask().outcomes.map((o) => [o.status, o.conditions])).toEqual([
      [486, ['the caller number matches _5551234']],
      [484, ['the caller number does not match _5551234', 'the caller number is the start of a number matching _5551234']],
      [404, ['the caller number does not match _5551234', 'the caller number is not the start of a number matching _5551234']],
    ]);
    expect([ask('555').status, ask('5551234').status, ask('777').status, ask('').status]).toEqual([484, 486, 404, 404]);
    // The classic walk's matchcid compares the whole number: no 484 for a start of it.
    const classic = loadAsterisk(writeTree({ 'extensions.conf': conf.replace('extenpatternmatchnew=yes', 'extenpatternmatchnew=no'), 'pjsip.conf': pjsip }));
    expect(asteriskResolver.route(classic, { user: '123', method: 'INVITE', endpoint: 'ep', callerId: '555' }).status).toBe(404);
    expect(asteriskResolver.route(classic, { user: '123', method: 'INVITE', endpoint: 'ep' }).outcomes.map((o) => o.status)).toEqual([486, 404]);
  });
});

describe('includes (local first, then includes in order, depth first)', () => {
  test('a local literal beats the same literal in an included context', () => expect(firstNoop('300', 'local-first')).toBe('local literal'));
  test('a local pattern beats an included catch-all', () => expect(firstNoop('401', 'local-first')).toBe('local pattern'));
  test('the included catch-all takes the rest', () => expect(firstNoop('999', 'local-first')).toBe('wide catch-all'));
  test('the first include wins even when a later one has a literal', () => expect(firstNoop('500', 'inc-order')).toBe('first'));
  test('a later include is searched when earlier ones miss', () => expect(firstNoop('600', 'inc-order')).toBe('only in second'));
  test('a timed include forks when no time is given (depends)', () => {
    const a = route('700', { context: 'timed' });
    expect(a.verdict).toBe('depends');
    expect(a.outcomes.map((o) => o.conditions.join(' '))).toEqual([expect.stringMatching(/within 09:00-17:00 mon-fri/), expect.stringMatching(/outside/)]);
  });
  test('--time picks one side of a timed include', () => {
    const monday10 = new Date(2026, 10, 23, 10, 0);
    const sunday = new Date(2026, 10, 22, 10, 0);
    expect(route('700', { context: 'timed' }).outcomes).toHaveLength(2);
    expect(route('700', { context: 'timed', time: monday10 }).target?.name).toBe('Playback(day)');
    expect(route('700', { context: 'timed', time: sunday }).status).toBe(403);
  });
});

describe('catch-alls against longer, specific patterns (main/pbx.c ext_cmp_pattern_pos: Z 0x0931 < X 0x0A30 < . 0x18000 < ! 0x28000 < end 0x30000; the local context before its includes)', () => {
  const conf = [
    '[a]',
    'exten => _.,1,NoOp(dot)',
    'exten => _!,1,NoOp(bang)',
    'exten => _X.,1,NoOp(X.)',
    'exten => _X!,1,NoOp(X!)',
    'exten => _Z!,1,NoOp(Z!)',
    'exten => _ZX.,1,NoOp(ZX.)',
    'include => b',
    '[b]',
    'exten => 2125551212,1,NoOp(b literal)',
    'exten => _NXXNXXXXXX,1,NoOp(b NANP)',
    '[c]',
    'include => a',
    'exten => _NXXNXXXXXX,1,NoOp(c NANP)',
    '[d]',
    'include => b',
    'include => a',
  ].join('\n') + '\n';
  const m = loadAsterisk(writeTree({ 'extensions.conf': conf }));
  const noop = (user: string, context: string) => /^NoOp\(([^)]*)\)/.exec(asteriskResolver.route(m, { user, method: 'INVITE', context, callerId: '', originate: true }).steps[0]?.text ?? '')?.[1] ?? 'none';
  test.each([
    ['555', 'a', 'ZX.', '_ZX. (Z, X, .) before _Z! (Z, !): X sorts before ! at the second position'],
    ['55', 'a', 'Z!', '_ZX. needs three characters; _Z! (Z first) before _X. and _X!'],
    ['05', 'a', 'X.', 'Z does not take 0; _X. (.) before _X! (!)'],
    ['0', 'a', 'X!', '_X. needs two characters'],
    ['*9', 'a', 'dot', 'no X takes *; _. (.) before _! (!)'],
    ['i', 'a', 'dot', '_. takes the special extensions too (pbx_config warns about it)'],
    ['2125551212', 'a', 'ZX.', 'the local catch-all wins over the included literal: includes are searched only when the context has nothing'],
    ['2125551212', 'c', 'c NANP', 'the context\'s own pattern before the included catch-alls'],
    ['2125551212', 'd', 'b literal', 'includes in order: the first one that has the number wins, whatever the second one has'],
  ])('%s in [%s] → %s (%s)', (user, context, expected) => {
    expect(noop(user, context)).toBe(expected);
  });
});

describe('the winning name without a priority 1 (main/pbx.c pbx_find_extension)', () => {
  const conf = (trie: boolean) => `[general]\nextenpatternmatchnew=${trie ? 'yes' : 'no'}\n[a]\nexten => _5.,2,NoOp(no priority 1)\nexten => _XX!,1,NoOp(local later)\ninclude => b\n[b]\nexten => _X.,1,NoOp(included)\n`;
  const first = (trie: boolean) => asteriskResolver.route(loadAsterisk(writeTree({ 'extensions.conf': conf(trie) })), { user: '555', method: 'INVITE', context: 'a', callerId: '' }).steps[0];
  test('the classic walk goes on to the next extension of the same context', () => {
    expect(first(false)).toMatchObject({ context: 'a', extension: '_XX!', priority: 1 });
  });
  test('the trie (extenpatternmatchnew=yes) stops at the extension it scored: the context has nothing, the includes are searched', () => {
    expect(first(true)).toMatchObject({ context: 'b', extension: '_X.', priority: 1 });
  });
});

describe('`n` right after a `hint` line (pbx/pbx_config.c pbx_load_config: lastpri -1 + 1 = 0, registered only `if (ipri)`)', () => {
  const load = (conf: string) => loadAsterisk(writeTree({ 'extensions.conf': conf }));
  const run = (conf: string, user: string) => asteriskResolver.route(load(conf), { user, method: 'INVITE', context: 'a', callerId: '' });
  test('the `n` lines after a hint are dropped: the extension has no priority 1 (404), and the loader says why', () => {
    const conf = '[a]\nexten => 100,hint,PJSIP/100\n same => n,NoOp(dropped)\n same => n,Answer()\n';
    expect([run(conf, '100').verdict, run(conf, '100').status]).toEqual(['rejected', 404]);
    const warnings = load(conf).issues.filter((i) => /right after a "hint"/.test(i.message));
    expect(warnings.map((i) => i.location.line)).toEqual([3, 4]);
  });
  test('so the search goes on: an included catch-all wins over the hint-only pattern (rand-1009 _XX! vs lobby _.)', () => {
    const conf = '[a]\nexten => _XX!,hint,PJSIP/2\n same => n,NoOp(local)\ninclude => b\n[b]\nexten => _X.,1,NoOp(included)\n';
    expect(run(conf, '3487728').steps[0]).toMatchObject({ context: 'b', extension: '_X.', priority: 1, line: 6 });
  });
  test('lastpri is the context\'s, not the extension\'s: `n` on the next extension is dropped too', () => {
    const conf = '[a]\nexten => 100,hint,PJSIP/100\nexten => 200,n,NoOp(dropped)\nexten => 300,1,NoOp(kept)\n';
    expect(run(conf, '200').status).toBe(404);
    expect(run(conf, '300').steps[0]).toMatchObject({ extension: '300', priority: 1, line: 4 });
  });
  test('a numbered priority after the hint starts the count again, and the later `n` follow it', () => {
    const conf = '[a]\nexten => 100,hint,PJSIP/100\n same => n,NoOp(dropped)\n same => 1,NoOp(first)\n same => n,Hangup(17)\n';
    const a = run(conf, '100');
    expect(a.steps[0]).toMatchObject({ priority: 1, line: 4 });
    expect([a.verdict, a.status]).toEqual(['rejected', 486]);
  });
  test('a later priority 1 of the same extension is the one that runs (its line, not the hint\'s `n` line)', () => {
    const conf = '[a]\nexten => _9./_X.,hint,PJSIP/21\n same => n,NoOp(dropped)\nexten => _9.,1,NoOp(e22)\n';
    expect(run(conf, '95').steps[0]).toMatchObject({ extension: '_9.', line: 4 });
  });
});

describe('chan_pjsip before the dialplan (res_pjsip_session.c get_destination)', () => {
  test('no extension at priority 1 → 404', () => {
    const a = route('+12025551234', { endpoint: 'trunk-a' });
    expect([a.verdict, a.status]).toEqual(['rejected', 404]);
  });
  test('a prefix of an extension with allow_overlap=yes (default) → 484', () => {
    expect(route('10', { endpoint: '1002' }).status).toBe(484);
  });
  test('the same prefix from an endpoint with allow_overlap=no → 404', () => {
    expect(route('202', { endpoint: 'trunk-a' }).status).toBe(404);
  });
  test('an endpoint whose context does not exist → 404 for every number', () => {
    const a = route('1001', { endpoint: 'nocontext' });
    expect(a.status).toBe(404);
    expect(a.reason).toMatch(/context default does not exist/);
  });
  test('identification by source IP (type=identify match=CIDR)', () => {
    const a = route('2025550100', { sourceIp: '203.0.113.77' });
    expect(a.request).toMatch(/trunk-a/);
  });
  test('an unidentified request is challenged (401), never 404', () => {
    expect([route('1001', { sourceIp: '198.51.100.1' }).status, route('9999', { fromUser: 'stranger' }).status]).toEqual([401, 401]);
  });
  test('the pickup extension (*8) routes even without an extension', () => {
    expect(route('*8', { endpoint: '1002' }).verdict).toBe('routed');
  });
  test('a Local channel (--originate) has no pickup supplement: *8 is the dialplan\'s own extension (chan_pjsip.c call_pickup_incoming_request is chan_pjsip\'s)', () => {
    const m = loadAsterisk(writeTree({ 'extensions.conf': '[a]\nexten => *8,1,NoOp(own)\n same => n,Hangup(17)\nexten => 1234,1,NoOp(x)\n' }));
    expect(asteriskResolver.route(m, { user: '*8', method: 'INVITE', context: 'a' }).verdict).toBe('routed');
    expect(asteriskResolver.route(m, { user: '*8', method: 'INVITE', context: 'a', originate: true }).steps[0]).toMatchObject({ extension: '*8', priority: 1, line: 2 });
  });
  test('a Local channel into a number without priority 1: core_local.c local_call fails the origination (no status, no 484 for a prefix)', () => {
    const m = loadAsterisk(writeTree({ 'extensions.conf': '[a]\nexten => 1234,1,NoOp(x)\n' }));
    expect(asteriskResolver.route(m, { user: '12', method: 'INVITE', context: 'a' }).status).toBe(484);
    const a = asteriskResolver.route(m, { user: '12', method: 'INVITE', context: 'a', originate: true });
    expect([a.verdict, a.status]).toEqual(['rejected', null]);
    expect(a.reason).toMatch(/No such extension\/context 12@a while calling Local channel/);
    expect(() => asteriskResolver.route(m, { user: '12', method: 'INVITE', originate: true })).toThrow(/give it --context/);
    expect(() => asteriskResolver.route(m, { user: '12', method: 'OPTIONS', context: 'a', originate: true })).toThrow(/OPTIONS has no meaning/);
    expect(() => asteriskResolver.route(m, { user: '12', method: 'INVITE', context: 'a', endpoint: 'a', originate: true })).toThrow(/does not go with --endpoint/);
  });
  test('chan_sip outside a dialog: BYE/CANCEL/INFO/UPDATE/PRACK → 481, ACK → nothing, PING and a method it does not know → 501 (chan_sip.c find_call, handle_incoming)', () => {
    const peer = (method: string) => routeCommand('+13135550111', [fixture('explain', 'asterisk-chan-sip')], { endpoint: 'provider', method }).answer;
    for (const m of ['BYE', 'cancel', 'INFO', 'UPDATE', 'PRACK']) expect([m, peer(m).status]).toEqual([m, 481]);
    expect([peer('ACK').verdict, peer('ACK').status]).toEqual(['rejected', null]);
    for (const m of ['PING', 'HELLO', 'hello']) expect([m, peer(m).status, peer(m).reason]).toEqual([m, 501, expect.stringMatching(/501 Method Not Implemented/)]);
    expect(peer('MESSAGE').reason).toMatch(/MESSAGE is not simulated for chan_sip/);
  });
  test('the first step of a routed answer is the chosen extension\'s priority 1', () => {
    const a = route('1003', { endpoint: '1002' });
    expect(a.steps[0]).toMatchObject({ context: 'from-internal', extension: '_1XXX', priority: 1 });
    expect(a.steps[0].line).toBeGreaterThan(0);
  });
});

describe('after the dialplan ran: hangup cause → SIP status (chan_pjsip hangup_cause2sip)', () => {
  const cases: [string, string, number | null, string | RegExp][] = [
    ['1003', 'routed', null, 'PJSIP/1003'],
    ['2000', 'rejected', 404, /NO_ROUTE_DESTINATION \(3\) → SIP 404/],
    ['2001', 'rejected', 503, /DIALSTATUS=CHANUNAVAIL.*congestion/],
    ['2002', 'rejected', 486, /Busy/],
    ['2003', 'rejected', 503, /Congestion/],
    ['2004', 'rejected', 486, /USER_BUSY/],
    ['2005', 'rejected', 603, /NORMAL_CLEARING.*603/],
    ['2006', 'routed', null, 'Playback(hello-world)'],
    ['2007', 'routed', null, /WaitExten/],
    ['2008', 'routed', null, /Playback\(invalid\)/],
    ['2011', 'routed', null, /VoiceMail\(2011@default\)/],
    ['2012', 'rejected', 480, /SUBSCRIBER_ABSENT/],
    ['2013', 'rejected', 404, /UNALLOCATED/],
    ['2014', 'routed', null, 'PJSIP/1003'],
    ['2015', 'routed', null, 'PJSIP/015@trunk-a'],
    ['2016', 'rejected', 486, /USER_BUSY/],
    ['2018', 'routed', null, 'PJSIP/1003'],
  ];
  test.each(cases)('%s → %s %s', (user, verdict, status, target) => {
    const a = route(user, { endpoint: '1002', registered: [] });
    expect(a.verdict).toBe(verdict);
    expect(a.status).toBe(status);
    const text = verdict === 'routed' ? (a.target?.name ?? '') : a.reason;
    if (typeof target === 'string') expect(text).toContain(target);
    else expect(text).toMatch(target);
  });

  test('the end of the dialplan (autofallthrough, main/pbx.c __ast_pbx_run): no cause 603, DIALSTATUS — also one Set by hand, in any case — CONGESTION/CHANUNAVAIL 503, BUSY 486; an invalid Goto without "i" 603', () => {
    const conf = '[general]\nautofallthrough=yes\n[a]\nexten => 1,1,NoOp()\nexten => 2,1,Set(DIALSTATUS=CONGESTION)\nexten => 3,1,Set(DIALSTATUS=busy)\nexten => 4,1,Set(DIALSTATUS=CHANUNAVAIL)\n same => n,Set(DIALSTATUS=ANSWER)\nexten => 5,1,Goto(b,100,1)\nexten => 6,1,Goto(c,100,1)\nexten => 7,1,Set(DIALSTATUS=${DB(x/y)})\n[b]\nexten => 100,2,NoOp(no priority 1)\nexten => i,1,Hangup(3)\n[c]\nexten => 100,2,NoOp(no priority 1)\n';
    const m = loadAsterisk(writeTree({ 'extensions.conf': conf }));
    const statusOf = (user: string) => asteriskResolver.route(m, { user, method: 'INVITE', context: 'a', callerId: '' });
    expect(['1', '2', '3', '4', '5', '6'].map((u) => statusOf(u).status)).toEqual([603, 503, 486, 603, 404, 603]);
    const runTime = statusOf('7');
    expect(runTime.status).toBe(603);
    expect(runTime.notModelled.join(' ')).toMatch(/DIALSTATUS set to a value known only at run time/);
  });

  test('GotoIf on a value known at load time follows one branch', () => {
    const a = route('2009', { endpoint: '1002' });
    expect(a.verdict).toBe('routed');
    expect(a.steps.map((s) => s.text)).toContain('Playback(day)');
  });
  test('GotoIf on a run-time value forks and lists both outcomes', () => {
    const a = route('2010', { endpoint: '1002' });
    expect(a.verdict).toBe('depends');
    expect(a.outcomes.map((o) => o.status)).toEqual([null, 480]);
    expect(a.notModelled.join(' ')).toMatch(/DB\(x\)/);
  });
  test('registration unknown: Dial to a registering phone forks (routed / unavailable)', () => {
    const a = route('1002', { endpoint: '1003' });
    expect(a.verdict).toBe('depends');
    expect(a.outcomes.map((o) => [o.verdict, o.status])).toEqual([
      ['routed', null],
      ['rejected', 404],
    ]);
    expect(a.outcomes[1].conditions.join()).toMatch(/not registered/);
  });
  test('--registered decides the fork', () => {
    expect(route('1002', { endpoint: '1003', registered: ['1002'] }).verdict).toBe('routed');
    expect(route('1002', { endpoint: '1003', registered: [] }).status).toBe(404);
  });
  test('--registered names an AOR or endpoint case-insensitively, and user@domain counts by its user', () => {
    for (const registered of [['1002'], ['1002@pbx.example.com'], ['other', '1002'], ['other@x', '1002@y']]) {
      expect(route('1002', { endpoint: '1003', registered }).verdict).toBe('routed');
    }
    for (const registered of [['100'], ['10020'], ['1002x@pbx.example.com'], ['@1002'], ['x1002']]) {
      expect(route('1002', { endpoint: '1003', registered }).status).toBe(404);
    }
  });
  test('isRegistered: names of any length, with and without their lengths given', () => {
    const long = 'a-very-long-endpoint-name-of-40-characters'.slice(0, 40);
    expect(isRegistered([long.toUpperCase()], [long])).toBe(true);
    expect(isRegistered([`${long}@example.com`], ['x', long], lengthsOf(['x', long]))).toBe(true);
    expect(isRegistered([`${long}z`], [long], lengthsOf([long]))).toBe(false);
    expect(isRegistered(['EP1'], ['ep1'], lengthsOf(['ep1']))).toBe(true);
    expect(isRegistered(['ep1'], ['ep345'], lengthsOf(['ep345']))).toBe(false);
    expect(isRegistered(['ep1'], [], 0)).toBe(false);
  });
  test('a Goto to a missing extension goes to the i extension', () => {
    const a = route('2017', { endpoint: '1002' });
    expect(a.steps.some((s) => /continues at extension i/.test(s.text))).toBe(true);
  });
  test('Dial(Local/…) follows the Local channel into the dialplan', () => {
    expect(route('31003', { endpoint: '1002' }).verdict).toBe('routed');
    // The Local leg fails with NO_ROUTE_DESTINATION: DIALSTATUS=CHANUNAVAIL, and falling off the end indicates congestion.
    expect(route('32000', { endpoint: '1002', registered: [] }).status).toBe(503);
  });
});

describe('REGISTER (res_pjsip_registrar.c) and OPTIONS (pjsip_options.c)', () => {
  test('REGISTER to an AOR of the endpoint with max_contacts>0 → 200 (routed to location)', () => {
    expect(route('1002', { endpoint: '1002', method: 'REGISTER' }).verdict).toBe('routed');
  });
  test('REGISTER for a user that is not one of the endpoint\'s aors → 404', () => {
    expect(route('1009', { endpoint: '1002', method: 'REGISTER' }).status).toBe(404);
  });
  test('REGISTER to an AOR with max_contacts=0 (the default) → 403', () => {
    expect(route('1003', { endpoint: '1003', method: 'REGISTER' }).status).toBe(403);
  });
  test('REGISTER from an endpoint without aors → 403', () => {
    expect(route('lobby', { endpoint: 'lobby', method: 'REGISTER' }).status).toBe(403);
  });
  test('the AOR is named by the To URI, not the Request-URI (find_registrar_aor: RFC 3261 10.2)', () => {
    const pjsip = [
      '[alice]\ntype=endpoint\ncontext=a\naors=alice,bob@pbx.example.com\nauth=alice-auth\nidentify_by=username,auth_username',
      '[alice-auth]\ntype=auth\nauth_type=userpass\nusername=alice\npassword=x',
      '[alice]\ntype=aor\nmax_contacts=1',
      '[bob@pbx.example.com]\ntype=aor\nmax_contacts=1',
      '[carol]\ntype=endpoint\ncontext=a\naors=carol\nauth=carol-auth',
      '[carol-auth]\ntype=auth\nauth_type=userpass\nusername=carol\npassword=x',
      '[carol]\ntype=aor\nmax_contacts=1',
      '[pbx.example.com]\ntype=domain_alias\ndomain=pbx.example.com',
      '[alias.example.com]\ntype=domain_alias\ndomain=pbx.example.com',
    ].join('\n');
    const m = loadAsterisk(writeTree({ 'pjsip.conf': pjsip, 'extensions.conf': '[a]\n' }));
    const reg = (opts: Partial<RouteRequest>) => asteriskResolver.route(m, { user: '', method: 'REGISTER', domain: 'pbx.example.com', ...opts });
    // Request-URI sip:pbx.example.com, To names the AOR.
    expect(reg({ endpoint: 'carol', to: 'sip:carol@pbx.example.com' }).target?.name).toBe('carol');
    expect(reg({ endpoint: 'carol', to: 'sip:dave@pbx.example.com' }).status).toBe(404);
    // user@host first, then user@<domain_alias of host>, then the user alone.
    expect(reg({ endpoint: 'alice', to: 'sip:bob@pbx.example.com' }).target?.name).toBe('bob@pbx.example.com');
    expect(reg({ endpoint: 'alice', to: 'sip:bob@alias.example.com' }).target?.name).toBe('bob@pbx.example.com');
    // identify_by=auth_username: the digest username is tried after the To (alice's auth is alice).
    expect(reg({ endpoint: 'alice', to: 'bob@elsewhere.example' }).target?.name).toBe('alice');
    expect(reg({ endpoint: 'alice', to: 'sip:nobody@pbx.example.com' }).target?.name).toBe('alice');
    // Without auth_username in identify_by there is no second try.
    expect(reg({ endpoint: 'carol', to: 'sip:nobody@pbx.example.com' }).status).toBe(404);
    // A To that is not sip:/sips: → 416 (registrar_on_rx_request).
    expect(reg({ endpoint: 'carol', to: 'tel:+12025550100' }).status).toBe(416);
    // No --to: the Request-URI is the To (route carol --method REGISTER).
    expect(reg({ endpoint: 'carol', user: 'carol' }).target?.name).toBe('carol');
  });
  test('OPTIONS for a missing extension → 404; for an existing one → 200', () => {
    expect(route('9999', { endpoint: 'lobby', method: 'OPTIONS' }).status).toBe(404);
    expect(route('100', { endpoint: 'lobby', method: 'OPTIONS' }).verdict).toBe('routed');
  });
});

test('Gosub into an extension of the same name in another context returns to the caller\'s priorities', () => {
  const m = loadAsterisk(writeTree({ 'extensions.conf': '[a]\nexten => s,1,Gosub(b,s,1)\n same => n,Hangup(17)\n[b]\nexten => s,1,NoOp(in b)\n same => n,Return()\n same => n,Hangup(21)\n' }));
  const a = asteriskResolver.route(m, { user: 's', method: 'INVITE', context: 'a' });
  expect([a.verdict, a.status]).toEqual(['rejected', 486]);
  expect(a.steps.map((s) => `${s.context}:${s.priority}`)).toEqual(['a:1', 'b:1', 'b:2', 'a:2']);
});

test('an application Asterisk does not have hangs the call up (pbx_extension_helper returns -1)', () => {
  const m = loadAsterisk(writeTree({ 'extensions.conf': '[a]\nexten => 100,1,Dail(PJSIP/100)\n same => n,Dial(PJSIP/100)\n' }));
  const a = asteriskResolver.route(m, { user: '100', method: 'INVITE', context: 'a' });
  expect([a.verdict, a.status]).toEqual(['rejected', 603]);
  expect(a.reason).toMatch(/no application "Dail"/);
  expect(a.notModelled.join()).toMatch(/not an Asterisk application/);
});

test('RaiseException jumps to the e extension (pbx.c raise_exception): not taken for a no-op', () => {
  const m = loadAsterisk(writeTree({ 'extensions.conf': '[a]\nexten => 100,1,RaiseException(BAD)\n same => n,Dial(PJSIP/100)\nexten => e,1,Hangup(17)\n' }));
  const a = asteriskResolver.route(m, { user: '100', method: 'INVITE', context: 'a' });
  expect(a.notModelled.join()).toMatch(/application RaiseException .* is assumed to return and continue/);
});

test('Set(CALLERID(num)=…) changes which caller-ID match later lookups choose (ast_spawn_extension passes the channel\'s number)', () => {
  const conf = '[a]\nexten => 1,1,Set(CALLERID(num)=5551234)\n same => n,Goto(200,1)\nexten => 200/5551234,1,Hangup(17)\nexten => 200,1,Hangup(21)\n';
  const m = loadAsterisk(writeTree({ 'extensions.conf': conf }));
  // The request's own number (999) would reach 200 without a match (21 → 403); the number set
  // before the Goto reaches the caller-ID match (17 → 486).
  expect(asteriskResolver.route(m, { user: '1', method: 'INVITE', context: 'a', callerId: '999' }).status).toBe(486);
  const unknown = loadAsterisk(writeTree({ 'extensions.conf': conf.replace('=5551234)', '=${DB(cid/x)})') }));
  // A number set at run time to a value pbxlint cannot know: the lookups after it fork on that
  // number, whatever the request's was.
  const a = asteriskResolver.route(unknown, { user: '1', method: 'INVITE', context: 'a', callerId: '5551234' });
  expect(a.outcomes.map((o) => [o.status, o.conditions])).toEqual([
    [403, [expect.stringMatching(/^the caller number set at .*extensions\.conf:2 is not 5551234$/)]],
    [486, [expect.stringMatching(/^the caller number set at .*extensions\.conf:2 is 5551234$/)]],
  ]);
});

test('after a caller number set at run time, the next priority of a caller-ID extension is looked up with the new number', () => {
  // __ast_pbx_run looks each priority up with the channel's number as it is now: if the new
  // number no longer matches 100/5551234, priority 2 comes from 100, which has none.
  const conf = '[a]\nexten => 100/5551234,1,Set(CALLERID(num)=${DB(map/x)})\n same => n,Hangup(17)\nexten => 100,1,Hangup(21)\n';
  const a = asteriskResolver.route(loadAsterisk(writeTree({ 'extensions.conf': conf })), { user: '100', method: 'INVITE', context: 'a', callerId: '5551234' });
  expect(a.outcomes.map((o) => [o.status, o.conditions.map((c) => c.replace(/set at .*:2/, 'set at :2'))])).toEqual([
    [486, ['the caller number set at :2 is 5551234']],
    [603, ['the caller number set at :2 is not 5551234']],
  ]);
  expect(a.outcomes[1].reason).toMatch(/ends after priority 1 of 100@a/);
});

test('Set(CALLERID(num)=…) changes what later conditions read', () => {
  const m = loadAsterisk(writeTree({ 'extensions.conf': '[a]\nexten => 1,1,Set(CALLERID(num)=5551234)\n same => n,GotoIf($["${CALLERID(num)}" = "5551234"]?vip)\n same => n,Hangup(21)\n same => n(vip),Hangup(17)\n' }));
  expect(asteriskResolver.route(m, { user: '1', method: 'INVITE', context: 'a', callerId: '999' }).status).toBe(486);
});

describe('extenpatternmatchnew=yes: a label priority builds the trie while loading (pbx_config → ast_findlabel_extension2)', () => {
  // The trie is built on a context's first lookup (pbx_find_extension → create_match_char_tree),
  // from root_table newest first; extensions registered after that are appended in load order
  // (ast_add_extension2_lockopt). A literal node and a pattern node for the same first digit
  // have equal specificity, so whichever is inserted first is searched first.
  const body = (second: string) =>
    `exten => 2125550100,1(reception),NoOp(reception)\n same => ${second},Hangup(16)\n` +
    'exten => _212555XXXX,1,NoOp(other DIDs)\n same => n,Hangup(16)\n';
  const m = loadAsterisk(writeTree({
    'extensions.conf': `[general]\nextenpatternmatchnew=yes\n\n[plain]\n${body('n')}\n[labelled]\n${body('reception+1')}`,
  }));
  const first = (user: string, context: string) => {
    const a = asteriskResolver.route(m, { user, method: 'INVITE', context });
    return /^NoOp\(([^)]*)\)/.exec((a.outcomes[0]?.steps ?? a.steps)[0]?.text ?? '')?.[1];
  };

  test('no label priority: built after loading, newest first, so the later pattern is searched before the literal', () => {
    expect(first('2125550100', 'plain')).toBe('other DIDs');
  });
  test('`same => reception+1` built it holding only the literal; the pattern was appended after it', () => {
    expect(m.dialplan.contexts.get('labelled')?.trieBuiltAfter).toBe(1);
    expect(first('2125550100', 'labelled')).toBe('reception');
    expect(first('2125550199', 'labelled')).toBe('other DIDs');
  });
});

describe('a loop whose test reads a run-time value', () => {
  test('the same condition met again in a row is counted, not listed once per turn', () => {
    const conf = '[a]\nexten => 100,1,Set(I=${RAND(1,9)})\n same => n(top),GotoIf($[${I} > 5]?out)\n same => n,Wait(1)\n same => n,Goto(top)\n same => n(out),Hangup(17)\n';
    const a = asteriskResolver.route(loadAsterisk(writeTree({ 'extensions.conf': conf })), { user: '100', method: 'INVITE', context: 'a' });
    const looped = a.outcomes.find((o) => o.status === null);
    expect(looped?.reason).toMatch(/loops through \[a\]/);
    expect(looped?.conditions).toEqual([expect.stringMatching(/^\$\[\$\{I\} > 5\] is false \(\d+ times in a row\)$/)]);
    // Leaving the loop at some turn: one outcome.
    expect(a.outcomes.filter((o) => o.status === 486)).toHaveLength(1);
  });
});

describe('a label priority at run time (pbx_parseable_goto → ast_findlabel_extension, E_FINDLABEL)', () => {
  const run = (conf: string, user: string, opts: Partial<RouteRequest> = {}) => asteriskResolver.route(loadAsterisk(writeTree({ 'extensions.conf': conf })), { user, method: 'INVITE', context: 'a', ...opts });
  const statuses = (a: ReturnType<typeof run>) => (a.outcomes.length ? a.outcomes : [a]).map((o) => o.status);

  test('the label is found through an include of the channel\'s context (pbx_find_extension searches includes)', () => {
    const conf = '[a]\ninclude => b\nexten => 100,1,Goto(200,lbl)\n[b]\nexten => 200,1,Hangup(1)\n same => n(lbl),Hangup(17)\n';
    expect(statuses(run(conf, '100'))).toEqual([486]);
  });

  test('the walk goes on past a matching extension without the label, into the includes', () => {
    const conf = '[a]\ninclude => b\nexten => 100,1,Goto(123,lbl)\nexten => _1XX,1,Hangup(1)\n[b]\nexten => 123,1,Hangup(1)\n same => n,Hangup(1)\n same => n(lbl),Hangup(17)\n';
    const a = run(conf, '100');
    // The label is priority 3 of 123@b; the next lookup (123, priority 3) misses _1XX locally and finds b's.
    expect(statuses(a)).toEqual([486]);
  });

  test('an extension whose caller-ID match rejects the caller is skipped (matchcid, the channel\'s caller number)', () => {
    const conf = '[a]\nexten => 100,1,Goto(200,lbl)\nexten => 200/5551234,1,NoOp(vip)\n same => n(lbl),Hangup(17)\nexten => 200,1,NoOp(other)\n same => n,Hangup(1)\n same => n(lbl),Hangup(21)\n';
    expect(statuses(run(conf, '100', { callerId: '5551234' }))).toEqual([486]);
    // Not the vip: its label (priority 2) is not this caller's; 200's own is priority 3.
    expect(statuses(run(conf, '100', { callerId: '2125550000' }))).toEqual([403]);
    expect(statuses(run(conf, '100', { callerId: '' }))).toEqual([403]);
    // No number given: both ways.
    expect(statuses(run(conf, '100'))).toEqual([403, 486]);
  });

  test('extenpatternmatchnew=yes: the trie stops at the first complete match\'s branch, so a label on another branch is missed', () => {
    // Dialled 12: the trie scores _1X (no label) and, back in the parent node, returns; the label
    // is looked up in _1X alone. The classic walk goes on from _1X to _X2.
    const body = '[a]\nexten => 100,1,Goto(12,lbl)\nexten => _1X,1,NoOp(1X)\nexten => _X2,1,NoOp(X2)\n same => n(lbl),Hangup(17)\n';
    expect(statuses(run(body, '100'))).toEqual([486]);
    const trie = run(`[general]\nextenpatternmatchnew=yes\n${body}`, '100');
    expect([trie.verdict, trie.status]).toEqual(['rejected', 603]);
    expect(trie.reason).toMatch(/Goto to a missing label/);
  });

  test('extenpatternmatchnew=yes: a later sibling at the same level that has the label is found', () => {
    // Dialled 12: after '1', the node '2' (of _12, no label) comes before X (of _1X); both end
    // there, and _1X replaces _12 on the scoreboard. The label is priority 3; the next lookup
    // (12, priority 3) is E_MATCH, which stops at _12 in the trie and runs its priority 3.
    const conf = '[general]\nextenpatternmatchnew=yes\n[a]\nexten => 100,1,Goto(12,lbl)\nexten => _12,1,NoOp(12)\n same => n,Hangup(1)\n same => n,Hangup(17)\nexten => _1X,1,NoOp(1X)\n same => n,Hangup(1)\n same => n(lbl),Hangup(1)\n';
    expect(statuses(run(conf, '100'))).toEqual([486]);
  });

  test('a label only in a timed include forks on the time; outside it the Goto fails and the channel hangs up', () => {
    const conf = '[a]\ninclude => b,09:00-17:00,mon-fri,*,*\nexten => 100,1,Goto(200,lbl)\nexten => 200,1,Hangup(1)\n[b]\nexten => 200,1,Hangup(1)\n same => n(lbl),Hangup(17)\n';
    const a = run(conf, '100');
    expect(a.verdict).toBe('depends');
    expect(a.outcomes.map((o) => [o.status, o.conditions.join(' ')])).toEqual([
      [486, expect.stringMatching(/within 09:00-17:00/)],
      [603, expect.stringMatching(/outside 09:00-17:00/)],
    ]);
    expect(a.outcomes[1].reason).toMatch(/Goto to a missing label; hangup cause/);
    expect(a.outcomes[1].steps.at(-1)?.text).toMatch(/no label "lbl" in 200@a — the application fails/);
    expect(statuses(run(conf, '100', { time: new Date(2026, 10, 23, 10, 0) }))).toEqual([486]);
  });

  test('a switch that may claim the extension forks; claimed, what it does is the switch\'s (not modelled)', () => {
    const conf = '[a]\nswitch => Realtime/a@extensions\ninclude => b\nexten => 100,1,Goto(200,lbl)\nexten => 200,1,Hangup(1)\n[b]\nexten => 200,1,Hangup(1)\n same => n(lbl),Hangup(17)\n';
    const a = run(conf, '100');
    expect(a.outcomes.map((o) => [o.verdict, o.status])).toEqual([['routed', null], ['rejected', 486]]);
    expect(a.notModelled.join('\n')).toMatch(/during the lookup of label "lbl", Asterisk runs the switch/);
  });

  test('a label missing everywhere: the application fails and the unanswered channel hangs up (603, no cause)', () => {
    const a = run('[a]\ninclude => b\nexten => 100,1,GotoIf($[1 = 1]?200,nolabel)\n[b]\nexten => 200,1(lbl),Hangup(17)\n', '100');
    expect([a.verdict, a.status]).toEqual(['rejected', 603]);
    expect(a.reason).toMatch(/GotoIf to a missing label/);
  });
});

describe('${GLOBAL(name)} (func_global.c global_read)', () => {
  const conf = '[globals]\nTRUNK=PJSIP/out\n[a]\nexten => 1,1,Dial(${GLOBAL(TRUNK)}/${EXTEN})\nexten => 2,1,Set(GLOBAL(TRUNK)=PJSIP/other)\n same => n,Dial(${GLOBAL(TRUNK)})\n';
  const run = (user: string) => asteriskResolver.route(loadAsterisk(writeTree({ 'extensions.conf': conf, 'pjsip.conf': '[out]\ntype=endpoint\ncontext=a\n[other]\ntype=endpoint\ncontext=a\n' })), { user, method: 'INVITE', context: 'a' });
  test('reads [globals], or what Set(GLOBAL(x)=…) set on the path', () => {
    expect(run('1').steps.map((s) => s.text).join('\n')).toMatch(/Dial\(PJSIP\/out\/1\)/);
    expect(run('2').steps.map((s) => s.text).join('\n')).toMatch(/Dial\(PJSIP\/other\)/);
    expect(run('1').notModelled.join(' ')).not.toMatch(/GLOBAL/);
  });
});

describe('a Local channel\'s caller number is the dialling channel\'s as it is at the Dial', () => {
  // core_unreal.c ast_unreal_call_setup: the ;2 channel's caller is the ;1 channel's connected
  // line, which app_dial copied from the dialling channel's caller (after its Set(CALLERID(num)=…)).
  test('Set(CALLERID(num)=555) before Dial(Local/100@c1) reaches 100/555', () => {
    const dir = writeTree({
      'extensions.conf': [
        '[a]',
        'exten => 1,1,Set(CALLERID(num)=555)',
        ' same => n,Dial(Local/100@c1)',
        ' same => n,Hangup(21)',
        'exten => 2,1,Dial(Local/100@c1)',
        ' same => n,Hangup(21)',
        '[c1]',
        'exten => 100/555,1,VoiceMail(100@default)',
      ].join('\n'),
    });
    try {
      const model = loadAsterisk(dir);
      const one = asteriskResolver.route(model, { user: '1', method: 'INVITE', context: 'a', callerId: '1001' });
      expect([one.verdict, one.target?.name]).toEqual(['routed', 'Local/100@c1']);
      const two = asteriskResolver.route(model, { user: '2', method: 'INVITE', context: 'a', callerId: '1001' });
      expect([two.verdict, two.status]).toEqual(['rejected', 403]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
