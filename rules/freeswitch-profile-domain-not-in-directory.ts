import { createRule } from '../src/rules/api';
import { findDomain } from '../src/resolvers/freeswitch/expand';

/** sofia_reg.c sofia_reg_parse_auth: domain_name = profile->reg_domain (force-register-domain) else the realm answered. */
export default createRule({
  id: 'freeswitch-profile-domain-not-in-directory',
  description: 'A domain a sofia profile authenticates or accepts users in that no directory domain matches: every user lookup there fails',
  defaultSeverity: 'error',
  platforms: ['freeswitch'],
  docs: {
    why: 'When a phone registers or answers an INVITE challenge, sofia looks the user up in the directory domain given by force-register-domain (else the challenge realm). If no <domain name=…> matches, every lookup fails with "Can\'t find user" → 403 Forbidden, so no phone can register or place calls on that profile. A <domains><domain name=…> entry naming a domain the directory lacks is silently skipped, so it adds no alias.',
    engineBehaviour: 'sofia_reg.c sofia_reg_parse_auth (switch_xml_locate_user_merged in domain reg_domain or realm; failure → AUTH_FORBIDDEN → 403); sofia_reg_handle_register_token (challenge realm: auto_to → To host, auto_from → From host); sofia.c config_sofia <domains> (switch_xml_locate_domain must succeed before parse_domain_tag).',
    bad: '<param name="force-register-domain" value="pbx.example.com"/>  <!-- directory has only example.com -->',
    good: '<param name="force-register-domain" value="$${domain}"/>',
    fix: 'Use a domain the directory defines (often $${domain}), or add <domain name=…> for it to the directory.',
  },
  check({ model, report }) {
    if (model.directory.domains.length === 0 && model.profiles.every((p) => !p.authCalls)) return;
    const names = model.directory.domains.map((d) => d.name).join(', ') || 'none';
    for (const p of model.profiles) {
      for (const key of ['force-register-domain', 'force-register-db-domain', 'force-subscription-domain']) {
        const prm = p.params.get(key);
        if (!prm || prm.value === '' || findDomain(model, prm.value)) continue;
        report({
          location: prm.location,
          message: `profile ${p.name}: ${key} "${prm.value}" is not a directory domain (directory domains: ${names})`,
          wire: key === 'force-register-domain' ? `REGISTER, or an INVITE answering the challenge, on profile ${p.name} → 403 Forbidden ("Can't find user [user@${prm.value}]")` : `registrations/subscriptions on profile ${p.name} are stored under "${prm.value}", where user lookups find nobody`,
          fix: `set ${key} to a directory domain (${names}), or add <domain name="${prm.value}"> to the directory`,
        });
      }
      const realm = p.challengeRealm?.value;
      if (p.challengeRealm && realm && !/^auto_(to|from)$/i.test(realm) && !p.forceRegisterDomain && !findDomain(model, realm)) {
        report({
          location: p.challengeRealm.location,
          message: `profile ${p.name}: challenge-realm "${realm}" is where users are looked up (no force-register-domain), and it is not a directory domain`,
          wire: `REGISTER on profile ${p.name} → 401, then 403 Forbidden for every user`,
          fix: `use a directory domain (${names}) as the realm, or set force-register-domain`,
        });
      }
      for (const d of p.domains) {
        if (d.name.toLowerCase() === 'all' || findDomain(model, d.name)) continue;
        report({
          location: d.location,
          message: `profile ${p.name}: <domain name="${d.name}"> names no directory domain, so sofia skips it (no alias${d.parse ? ', no gateways parsed' : ''})`,
          wire: `sofia/${d.name}/… dial strings → INVALID_PROFILE → 502`,
          fix: `add <domain name="${d.name}"> to the directory, or remove this entry`,
        });
      }
    }
  },
});
