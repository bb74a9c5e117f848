import { createRule } from '../src/rules/api';
import { moduleOfPv, modulesExporting } from '../src/parsers/kamailio/module-functions';

/** A module function called without its loadmodule: cfg.y "unknown command, missing loadmodule?". */
export default createRule({
  id: 'kamailio-function-module-not-loaded',
  description: 'A module function or pseudo-variable is used but its module is not loaded',
  defaultSeverity: 'error',
  platforms: ['kamailio'],
  docs: {
    why: 'Kamailio looks script functions and pseudo-variables up in the loaded modules while it parses the config. A function or variable whose module is not loaded is a parse error (or a start-up error inside a string parameter): Kamailio does not start and every request times out. Even $rU and $rd need the pv module.',
    engineBehaviour: 'src/core/cfg.y: "cfg. parser: failed to find command <name>" and "unknown command, missing loadmodule?" at the call; start-up aborts. Pseudo-variables: src/core/pvapi.c pv_parse_spec2() "error searching pvar". The tables come from the modules\' cmd_export_t and pv_export_t arrays.',
    bad: 'loadmodule "sl.so"\nrequest_route {\n\tif (is_method("OPTIONS")) sl_send_reply("200", "OK");\n}',
    good: 'loadmodule "sl.so"\nloadmodule "textops.so"\nrequest_route {\n\tif (is_method("OPTIONS")) sl_send_reply("200", "OK");\n}',
    fix: 'Add loadmodule "<module>.so" before the routing blocks.',
  },
  check({ model, report }) {
    if (model.modules.length === 0 && model.globals.some((g) => g.name === 'loadpath' || g.name === 'mpath')) return;
    const loaded = new Set(model.modules.map((m) => m.name));
    // Variants such as ims_dialog or ims_registrar_scscf export the same names as dialog/registrar.
    const maybeExports = (m: string) => loaded.has(m) || model.modules.some((l) => l.name !== m && l.name.includes(m));
    for (const c of model.calls) {
      const mods = modulesExporting(c.name);
      if (mods.length === 0 || mods.some(maybeExports)) continue;
      report({
        location: c.location,
        message: `${c.name}() comes from the ${mods.join(' or ')} module, which is not loaded`,
        wire: 'Kamailio refuses to start ("unknown command, missing loadmodule?"): every request times out',
        fix: `add loadmodule "${mods[0]}.so"`,
      });
    }
    // Pseudo-variables in expressions and assignments (the parser looks them up), once per name.
    // Inside string parameters a module decides how to read "$…" (SER-era modules take AVP names
    // such as "$fd"), so those are not judged.
    const seen = new Set<string>();
    for (const u of model.pvUses) {
      if (u.inString) continue;
      const mod = moduleOfPv(u.name);
      if (!mod || maybeExports(mod) || seen.has(u.name)) continue;
      seen.add(u.name);
      report({
        location: u.location,
        message: `$${u.name} comes from the ${mod} module, which is not loaded`,
        wire: 'Kamailio rejects the config ("error searching pvar"): every request times out',
        fix: `add loadmodule "${mod}.so"`,
      });
    }
  },
});
