import { createRule } from '../src/rules/api';
import { describeProbe, lastStep, probe, stepLocation, truncated } from '../src/resolvers/kamailio/probe';
import { kamailioCoverage } from '../src/coverage/kamailio';
import { classesWithin, outcomeWithin } from '../src/coverage/restrict';
import { classInWords, numberClass } from '../src/coverage/format-class';
import { builtInFormat } from '../src/coverage/formats';
import { accepts } from '../src/automata/dfa';
import type { FindingNumbers } from '../src/core/findings';
import type { KamailioModel } from '../src/model/kamailio';
import type { RouteRequest } from '../src/resolvers/types';

/** The E.164 numbers the rule is about: `+` and a country code (coverage's built-in format). */
const E164_FORMAT = '+CC… (E.164 international)';

/**
 * The E.164 numbers that get `status` on the probe's request: coverage's map of request_route
 * for that request, restricted to the format (coverage/restrict.ts) — the interpreter itself
 * partitions them. Undefined when the map is too large for lint, or does not hold `example`.
 */
function e164Class(model: KamailioModel, request: RouteRequest, status: number | null, example: string): FindingNumbers | undefined {
  const format = builtInFormat(E164_FORMAT);
  const rr = model.requestRoute;
  const entry = { entry: { kind: 'request_route', name: describeProbe(request), file: rr?.loc.file ?? '', line: rr?.loc.line ?? 1 }, request: { ...request, user: '' } };
  const classes = classesWithin(kamailioCoverage, model, entry, format.language);
  const cls = classes && outcomeWithin(classes, format.language, status);
  if (!cls || !accepts(cls.language, example)) return undefined;
  return numberClass(cls.language, format, { verdict: 'rejected', status, via: cls.via });
}

const E164 = '+12025551234';
/** The same number as dial strings a PSTN route typically accepts. */
const PSTN_SHAPES = ['0012025551234', '012025551234', '912025551234', '12025551234', '2025551234', '0049301234567'];

/**
 * A number check written for digits only (`$rU =~ "^[0-9]+$"`) rejects E.164 numbers ("+…"), which
 * phones, carriers and click-to-dial send, although the config has a route to the PSTN.
 */
export default createRule({
  id: 'kamailio-e164-rejected',
  description: 'E.164 numbers (+…) are rejected by a number check although a PSTN route exists',
  defaultSeverity: 'warning',
  platforms: ['kamailio'],
  docs: {
    why: 'Phones, carriers and click-to-dial send numbers in E.164 form (+12025551234). A check that only accepts digits refuses them, typically with 404, while the same number dialled as 0012025551234 reaches the gateway.',
    engineBehaviour: '`=~` is a POSIX extended, case-insensitive, unanchored match (src/core/rvalue.c, regcomp REG_EXTENDED|REG_ICASE); "^[0-9]+$" does not match a leading "+". The rule simulates the number in E.164 form and in national/international dial forms, and reports the regex test that turns the E.164 form away when another form reaches a relay. The finding names every E.164 number (+ and a country code, up to 15 digits) that gets the same reply: the classes of `pbxlint coverage` for request_route, partitioned with that format as universe (src/coverage/restrict.ts; left out beyond 256 classes).',
    bad: 'if (!($rU =~ "^[0-9]+$")) {\n\tsl_send_reply("404", "Not Found");\n\texit;\n}\nif ($rU =~ "^00[1-9]") route(PSTN);',
    good: 'if ($rU =~ "^\\+[1-9]") {\n\tstrip(1);\n\tprefix("00");\n}\nif (!($rU =~ "^[0-9]+$")) { … }',
    fix: 'Accept a leading "+" in the check (e.g. "^\\+?[0-9]+$") or normalise it first (strip(1); prefix("00");).',
  },
  check({ model, route, report }) {
    const routedShape = PSTN_SHAPES.map((u) => ({ u, a: route(probe(model, u)) })).find(({ a }) => a.outcomes.some((o) => o.verdict === 'routed' && o.target?.kind === 'relay'));
    if (!routedShape) return; // no PSTN route reachable
    const req = probe(model, E164);
    const answer = route(req);
    if (truncated(answer)) return;
    if (answer.outcomes.some((o) => o.verdict === 'routed' && o.target?.kind === 'relay')) return;
    for (const o of answer.outcomes) {
      if (o.verdict !== 'rejected') continue;
      const check = [...o.steps].reverse().find((s) => s.kind === 'condition' && /=~/.test(s.text) && /\$rU|\$\(rU/.test(s.text));
      if (!check) continue;
      const reply = lastStep(o, 'reply');
      const numbers = answer.verdict === 'rejected' ? e164Class(model, req, o.status, E164) : undefined;
      report({
        location: stepLocation(check),
        message: `E.164 numbers are turned away here: ${check.text}, while ${routedShape.u} reaches the gateway${numbers ? ` — ${numbers.status ?? 'no reply'} for ${classInWords(numbers)}` : ''}`,
        wire: `${describeProbe(req)} → ${o.status ?? 'no reply'}${reply ? ` (line ${reply.line})` : ''}; ${describeProbe(probe(model, routedShape.u))} → relayed`,
        fix: 'accept a leading "+" in this regular expression (e.g. "^\\+?[0-9]+$"), or normalise "+" to your international prefix before it',
        ...(numbers ? { numbers: [numbers] } : {}),
      });
      return;
    }
  },
});
