'use strict';
/**
 * Writes a synthetic Asterisk configuration with N DID extensions (default 50,000, about 6 MB of
 * extensions.conf): a realistic mix of literal DIDs, patterns, includes, Goto/Gosub and Dial.
 * With `{ missingEndpoints: true }` (the "many findings" input of issue 18) pjsip.conf has N/5
 * endpoints and DID i dials PJSIP/ep<i>: the other four fifths name endpoints that do not exist
 * (for 50,000 extensions: 10,000 endpoints, 40,000 dial-endpoint-missing findings).
 */
const fs = require('fs');
const path = require('path');

function generate(dir, count = 50000, { missingEndpoints = false } = {}) {
  fs.mkdirSync(dir, { recursive: true });
  const endpoints = missingEndpoints ? Math.floor(count / 5) : Math.min(2000, count);
  const pjsip = ['[transport-udp]', 'type=transport', 'protocol=udp', 'bind=0.0.0.0', '', '[phone](!)', 'type=endpoint', 'context=from-internal', '[aor](!)', 'type=aor', 'max_contacts=1', ''];
  for (let i = 0; i < endpoints; i++) pjsip.push(`[ep${i}](phone)`, `aors=ep${i}`, `[ep${i}](aor)`, '');
  pjsip.push('[trunk]', 'type=endpoint', 'context=from-trunk', 'aors=trunk', '[trunk]', 'type=aor', 'contact=sip:203.0.113.1', '[trunk]', 'type=identify', 'endpoint=trunk', 'match=203.0.113.0/24', '');
  fs.writeFileSync(path.join(dir, 'pjsip.conf'), pjsip.join('\n'));

  const out = ['[general]', 'static=yes', 'writeprotect=no', '', '[globals]', 'TRUNK=trunk', '', '[from-trunk]', 'exten => _+1NXXNXXXXXX,1,Goto(${EXTEN:2},1)', 'exten => _X.,1,NoOp(unassigned DID ${EXTEN})', ' same => n,Hangup(1)'];
  for (let i = 0; i < count; i++) {
    const did = String(2025500000 + i);
    out.push(`exten => ${did},1,Set(CDR(accountcode)=acct${i % 977})`);
    out.push(` same => n,Dial(PJSIP/ep${missingEndpoints ? i : i % endpoints},30)`);
    out.push(` same => n,VoiceMail(${i}@default,u)`);
  }
  out.push('', '[from-internal]', 'exten => _1NXXNXXXXXX,1,Dial(PJSIP/+${EXTEN}@${TRUNK},60)', ' same => n,Hangup()', 'exten => _NXXNXXXXXX,1,Goto(from-trunk,${EXTEN},1)', '');
  const text = out.join('\n');
  fs.writeFileSync(path.join(dir, 'extensions.conf'), text);
  return { dir, bytes: Buffer.byteLength(text) + fs.statSync(path.join(dir, 'pjsip.conf')).size, count };
}

/**
 * Writes a FreeSWITCH configuration (one freeswitch.xml) whose public context has N DID
 * extensions, each testing destination_number against its own literal (as FusionPBX writes
 * them) and transferring to one of 100 users' extensions in the default context.
 */
function generateFreeswitch(dir, count = 10000) {
  fs.mkdirSync(dir, { recursive: true });
  const users = [];
  for (let u = 0; u < 100; u++) users.push(`<user id="${1000 + u}"><variables><variable name="user_context" value="default"/></variables></user>`);
  const dids = [];
  for (let i = 0; i < count; i++) {
    dids.push(`<extension name="did${i}"><condition field="destination_number" expression="^${2025500000 + i}$"><action application="transfer" data="${1000 + (i % 100)} XML default"/></condition></extension>`);
  }
  const text = `<?xml version="1.0"?>
<document type="freeswitch/xml">
  <section name="configuration">
    <configuration name="sofia.conf"><profiles>
      <profile name="external"><settings><param name="context" value="public"/><param name="auth-calls" value="false"/></settings></profile>
    </profiles></configuration>
  </section>
  <section name="directory">
    <domain name="example.com"><params><param name="dial-string" value="\${sofia_contact(*/\${dialed_user}@\${dialed_domain})}"/></params><users>
      ${users.join('\n      ')}
    </users></domain>
  </section>
  <section name="dialplan">
    <context name="public">
      ${dids.join('\n      ')}
    </context>
    <context name="default">
      <extension name="local"><condition field="destination_number" expression="^(1\\d{3})$"><action application="bridge" data="user/$1@example.com"/></condition></extension>
    </context>
  </section>
</document>
`;
  fs.writeFileSync(path.join(dir, 'freeswitch.xml'), text);
  return { dir, bytes: Buffer.byteLength(text), count };
}

module.exports = { generate, generateFreeswitch };
if (require.main === module) {
  const args = process.argv.slice(2);
  const missingEndpoints = args.includes('--missing-endpoints');
  const [dir, n] = args.filter((a) => !a.startsWith('--'));
  console.log(generate(dir || path.join(require('os').tmpdir(), 'pbxlint-bench'), Number(n) || 50000, { missingEndpoints }));
}
