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

module.exports = { generate };
if (require.main === module) {
  const args = process.argv.slice(2);
  const missingEndpoints = args.includes('--missing-endpoints');
  const [dir, n] = args.filter((a) => !a.startsWith('--'));
  console.log(generate(dir || path.join(require('os').tmpdir(), 'pbxlint-bench'), Number(n) || 50000, { missingEndpoints }));
}
