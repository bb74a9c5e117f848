import { createRule } from '../src/rules/api';

/** Statements after exit/drop/return in the same block never run (action.c stops the block there). */
export default createRule({
  id: 'kamailio-unreachable-statement',
  description: 'Statements after exit, drop or return in the same block never run',
  defaultSeverity: 'warning',
  platforms: ['kamailio'],
  docs: {
    why: 'The statements after `exit`, `drop` or `return` in a block are dead. When one of them is the reply or relay the author meant to send, the request gets nothing (the caller times out) or takes another path.',
    engineBehaviour: 'src/core/action.c run_actions(): exit and drop set EXIT_R_F and return sets RETURN_R_F; the loop over the block stops at once.',
    bad: 'if (!lookup("location")) {\n\texit;\n\tsl_send_reply("480", "Temporarily Unavailable");\n}',
    good: 'if (!lookup("location")) {\n\tsl_send_reply("480", "Temporarily Unavailable");\n\texit;\n}',
    fix: 'Move the statements before the exit/drop/return, or delete them.',
  },
  check({ model, report }) {
    for (const u of model.unreachable) {
      report({
        location: u.location,
        message: `never runs: it follows ${u.after} at line ${u.afterLocation.line} in the same block`,
        fix: `move it before the ${u.after} at line ${u.afterLocation.line}, or delete it`,
        related: [{ location: u.afterLocation, message: `${u.after} ends the block here` }],
      });
    }
  },
});
