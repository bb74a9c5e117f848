import { createRule } from '../src/rules/api';

export default createRule({
  id: 'aor-cannot-register',
  description: 'A phone endpoint (it has inbound auth) whose AORs can never hold a contact: max_contacts is 0 (the default) and there is no contact=',
  defaultSeverity: 'error',
  platforms: ['asterisk'],
  docs: {
    why: 'res_pjsip_registrar refuses every REGISTER to an AOR with max_contacts=0 (403 Forbidden), so the phone never registers; every Dial(PJSIP/…) to it then fails ("No URI available"), and with a following Hangup() the caller gets 404. pjsip_wizard.conf\'s accepts_registrations=yes does not set max_contacts either.',
    engineBehaviour: 'res/res_pjsip_registrar.c registrar_on_rx_request (max_contacts 0 → 403); res/res_pjsip/pjsip_config.xml (max_contacts default 0); res/res_pjsip_config_wizard.c handle_aor (no max_contacts unless aor/max_contacts is given).',
    bad: '[1001]\ntype=endpoint\nauth=1001\naors=1001\n\n[1001]\ntype=aor\n; no max_contacts: it is 0',
    good: '[1001]\ntype=aor\nmax_contacts=1\nremove_existing=yes',
    fix: 'Set max_contacts=1 (or more) on the AOR (aor/max_contacts=1 in pjsip_wizard.conf), or give it a static contact=.',
  },
  check({ model, report }) {
    for (const ep of model.pjsip.endpoints.values()) {
      if (ep.auth.length === 0 || ep.aors.length === 0) continue; // no inbound auth: not a registering phone
      const aors = ep.aors.map((a) => model.pjsip.aors.get(a.value)).filter((a) => a !== undefined);
      if (aors.length === 0) continue; // missing AORs: dial-endpoint-missing reports the consequence
      if (aors.some((a) => a.maxContacts > 0 || a.contacts.length > 0)) continue;
      const aor = aors[0];
      const mc = aor.options.find((o) => o.name === 'max_contacts');
      report({
        location: mc ? mc.location : aor.location,
        message: `endpoint ${ep.id} authenticates callers (auth=${ep.auth.map((a) => a.value).join(',')}) but its AOR ${aor.id} has max_contacts=${aor.maxContacts}${mc ? '' : ' (the default)'} and no contact=: it can never register${aor.fromWizard ? ` (pjsip_wizard.conf [${aor.fromWizard}] needs aor/max_contacts)` : ''}`,
        wire: `REGISTER for ${aor.id} → 403 Forbidden; calls to PJSIP/${ep.id} fail (→ 404 after Dial+Hangup, 503 on fall-through)`,
        fix: aor.fromWizard ? `add aor/max_contacts=1 to [${aor.fromWizard}] in pjsip_wizard.conf` : `add max_contacts=1 to [${aor.id}] (type=aor)`,
      });
    }
  },
});
