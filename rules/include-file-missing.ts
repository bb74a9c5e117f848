import { createRule } from '../src/rules/api';

/**
 * Asterisk: `#include` of a file that does not exist. Its own rule (not parse-error) so that
 * users of generated configurations (FreePBX, Wazo) whose includes are created at deploy time
 * can set its severity apart from genuine syntax errors.
 */
export default createRule({
  id: 'include-file-missing',
  description: 'An Asterisk #include names a file that does not exist: Asterisk refuses the whole including file',
  defaultSeverity: 'error',
  platforms: ['asterisk'],
  docs: {
    why: 'Asterisk does not skip a missing #include: it rejects the file that contains it, so nothing in that file (every context of extensions.conf, every endpoint of pjsip.conf) is loaded and every number it would route gets 404.',
    engineBehaviour: 'main/config.c process_text_line: when ast_config_internal_load finds no file for a #include (not #tryinclude) it logs "The file \'%s\' was listed as a #include but it does not exist." and returns -1, so config_text_file_load returns CONFIG_STATUS_FILEINVALID for the including file.',
    bad: '[general]\n#include extensions_custom.conf',
    good: '[general]\n#tryinclude extensions_custom.conf ; optional: loaded when present',
    fix: 'Create the file (an empty one will do), correct the path (relative paths are read from the config directory), or write #tryinclude when the file is optional.',
  },
  check(ctx) {
    for (const issue of ctx.model.issues) {
      if (issue.kind !== 'include-missing') continue;
      ctx.report({
        location: issue.location,
        message: issue.message,
        wire: 'Asterisk rejects the including file: nothing in it is loaded, so the calls it would route get 404',
        fix: 'create the file, correct the path (relative to the config directory), or use #tryinclude when the file is optional',
      });
    }
  },
});
