import type { SourceLocation } from '../src/core/location';
import { createRule } from '../src/rules/api';
import { compileExpression } from '../src/automata/pcre/pcre';
import { allConditions, staticValue, valueColumn } from '../src/resolvers/freeswitch/queries';

/** switch_regex.c switch_regex_perform (FreeSWITCH 1.10.12 links PCRE 8.x): pcre_compile fails → "COMPILE ERROR" logged, the test is false. */
export default createRule({
  id: 'freeswitch-invalid-regex',
  description: 'A dialplan expression that PCRE cannot compile: its condition never matches',
  defaultSeverity: 'error',
  platforms: ['freeswitch'],
  docs: {
    why: 'switch_regex_perform logs a COMPILE ERROR and returns "no match" for an expression PCRE rejects, so the condition always fails (its anti-actions run instead) and the numbers it was written for fall through — to 404 when nothing else collects an action.',
    engineBehaviour: 'switch_regex.c switch_regex_perform (pcre_compile failure → returns 0); mod_dialplan_xml.c parse_exten.',
    bad: '<condition field="destination_number" expression="^(10[01][0-9]$">',
    good: '<condition field="destination_number" expression="^(10[01][0-9])$">',
    fix: 'Correct the expression at the column shown (balance parentheses and brackets, give quantifiers something to repeat).',
  },
  check({ model, report }) {
    const check = (expression: string, location: SourceLocation, attribute: boolean, where: string) => {
      const expr = staticValue(model, expression);
      if (expr === null) return;
      const c = compileExpression(expr);
      if (c.kind !== 'invalid') return;
      const start = attribute ? valueColumn(location, 'expression') : location; // an <expression> element: where its text starts
      const column = expr === expression && !expression.startsWith('_') && !expression.startsWith('/') ? start.column + c.offset : start.column;
      report({
        location: { ...start, column },
        message: `${where}: invalid regular expression /${expr}/: ${c.message} at offset ${c.offset}`,
        wire: `this test never matches (switch_regex_perform: COMPILE ERROR): the numbers it was meant for fall through`,
        fix: 'fix the expression; PCRE (8.x) syntax applies: a lookbehind must have a fixed length',
      });
    };
    for (const { condition, extension, context } of allConditions(model)) {
      const where = `extension "${extension.name}" in context "${context.name}"`;
      if (condition.expression !== undefined && condition.expressionLocation && condition.field !== undefined) {
        check(condition.expression, condition.expressionLocation, !condition.expressionInElement, where);
      }
      for (const r of condition.regexes) if (r.field !== undefined) check(r.expression, r.expressionLocation, !r.expressionInElement, where);
    }
  },
});
