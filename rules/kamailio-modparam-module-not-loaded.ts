import { createRule } from '../src/rules/api';

/** modparam() for a module that is not loaded (yet): src/core/modparam.c "No module matching <x> found". */
export default createRule({
  id: 'kamailio-modparam-module-not-loaded',
  description: 'modparam() sets a parameter of a module that is not loaded before it',
  defaultSeverity: 'error',
  platforms: ['kamailio'],
  docs: {
    why: 'Kamailio applies modparam() while it reads the config, to the modules loaded so far. A parameter for a module that is not loaded, or loaded further down, is a parse error and Kamailio does not start.',
    engineBehaviour: 'src/core/modparam.c set_mod_param_regex(): "No module matching <name> found", then cfg.y "Can\'t set module parameter"; start-up aborts.',
    bad: 'modparam("usrloc", "db_mode", 0)\nloadmodule "usrloc.so"',
    good: 'loadmodule "usrloc.so"\nmodparam("usrloc", "db_mode", 0)',
    fix: 'Load the module before setting its parameters, or remove the modparam.',
  },
  check({ model, report }) {
    for (const p of model.modparams) {
      // The module name in modparam is a regular expression in Kamailio; plain names are the rule.
      if (/[^A-Za-z0-9_]/.test(p.module)) continue;
      const mod = model.modules.find((m) => m.name === p.module);
      if (mod && mod.seq < p.seq) continue;
      report({
        location: p.location,
        message: mod ? `modparam("${p.module}", "${p.param}", …) comes before loadmodule "${mod.path}" (line ${mod.location.line}); Kamailio applies it to the modules loaded so far` : `modparam("${p.module}", "${p.param}", …) sets a parameter of ${p.module}, which is not loaded`,
        wire: 'Kamailio refuses to start ("Can\'t set module parameter"): every request times out',
        fix: mod ? `move loadmodule "${mod.path}" above this line` : `add loadmodule "${p.module}.so" before this line, or remove it`,
        related: mod ? [{ location: mod.location, message: 'loaded here' }] : undefined,
      });
    }
  },
});
