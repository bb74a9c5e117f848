import { createRule } from '../src/rules/api';
import { PLATFORMS } from '../src/core/findings';

/** Syntax the engine rejects or misreads, unreadable files, missing includes and include cycles. */
export default createRule({
  id: 'parse-error',
  description: 'Configuration the engine rejects, misreads or cannot read (syntax errors, missing includes except Asterisk #include, which is include-file-missing, include cycles, binary files)',
  defaultSeverity: 'error',
  platforms: PLATFORMS,
  docs: {
    why: 'A line the engine rejects is not loaded; in Asterisk a fatal error in extensions.conf or pjsip.conf drops the whole file, so every number routed by it gets 404 (or every endpoint in it is unknown).',
    engineBehaviour: 'Asterisk: main/config.c process_text_line returning -1 makes config_text_file_load return CONFIG_STATUS_FILEINVALID; Kamailio: cfg.y syntax errors abort start-up; FreeSWITCH: switch_xml.c refuses a document that is not well-formed XML.',
    bad: '[from-trunk\nexten => _X.,1,Dial(PJSIP/1001)',
    good: '[from-trunk]\nexten => _X.,1,Dial(PJSIP/1001)',
    fix: 'Correct the line at the reported position; the message quotes what the engine logs for it.',
  },
  check(ctx) {
    for (const issue of ctx.model.issues) {
      // An Asterisk #include of a missing file has its own rule, include-file-missing.
      const ownRule = issue.kind === 'include-missing' && ctx.model.platform === 'asterisk';
      if (!ownRule && (issue.kind === 'parse-error' || issue.kind === 'unreadable' || issue.kind === 'include-missing' || issue.kind === 'include-cycle')) {
        ctx.report({ location: issue.location, message: issue.message, severity: issue.severity });
      }
    }
  },
});
