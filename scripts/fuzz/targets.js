'use strict';
/**
 * Fuzz targets (issue 18): every parser and simulator, fed mutated configurations with fast-check.
 * Used by `npm run fuzz` (scripts/fuzz/run.js, many runs) and by test/fuzz.test.ts (a short smoke).
 * Runs the compiled code (dist/: `npm run build` first).
 *
 * The property, for every input: the run ends — within a time bound — in findings (or a route
 * answer) whose every location is a real position (file, line ≥ 1, column ≥ 1), and never in an
 * exception or an `internal-error` finding (what pbxlint reports when a rule or loader throws).
 *
 * Seeds: this project's fixtures, and the shared corpus (../shared/corpus) when it is there,
 * mutated: ranges deleted or repeated, syntax of the engine inserted (section headers, includes,
 * `${`, quotes, XML tags, `#!define` …), characters replaced by arbitrary ones.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const fc = require('fast-check');

const root = path.resolve(__dirname, '..', '..');
const dist = (p) => require(path.join(root, 'dist', p));
const CORPUS = path.resolve(root, '..', 'shared', 'corpus');
/** Seed files larger than this are cut: a fuzz input should be quick to run. */
const SEED_MAX = 16384;

/** Files under `dir` (recursively) whose base name passes `keep`. */
function filesUnder(dir, keep, out = []) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) filesUnder(p, keep, out);
    else if (e.isFile() && keep(e.name, p)) out.push(p);
  }
  return out;
}

function seedTexts(files) {
  const texts = [];
  for (const f of files) {
    try {
      const t = fs.readFileSync(f, 'utf8');
      texts.push(t.length > SEED_MAX ? t.slice(0, SEED_MAX) : t);
    } catch {
      /* unreadable seed: skipped */
    }
  }
  return texts;
}

/** Syntax worth inserting, per engine: what moves a parser into its other states. */
const TOKENS = {
  asterisk: ['[', ']', '[ctx]\n', '[tpl](!)\n', '[obj](tpl)\n', '(+)', '=>', ' => ', 'exten => ', 'same => n,', 'include => ', '#include ', '#tryinclude ', '#exec ', ';', ';--', '--;', '\\;', '${', '}', '$[', '(', ')', ',', '_X.', '_[', '!', '/', '@', 'Goto(', 'GotoIf(', 'Gosub(', 'Macro(', 'Dial(PJSIP/', 'Dial(Local/', '&', 'type=endpoint\n', 'type=aor\n', 'type=identify\n', 'context=', 'aors=', 'max_contacts=', 'contact=sip:', 'match=', 'endpoint=', 'extenpatternmatchnew=yes\n', 'hint,', '"', '\n', '\r\n', ' ', '\t', '\u0000', '\ufeff'],
  kamailio: ['#!define ', '#!ifdef ', '#!ifndef ', '#!else\n', '#!endif\n', '#!subst ', '#!include_file ', 'include_file ', 'import_file ', 'loadmodule "', 'modparam("', 'route[', 'route(', 'request_route {', 'failure_route[', 'branch_route[', 'onreply_route {', '{', '}', '(', ')', ';', '"', "'", '$ru', '$rU', '$fU', '$var(', '$avp(', '=~', '==', '!=', '&&', '||', 'if (', 'else', 'while (', 'switch (', 'case ', 'exit;', 'drop;', 'return;', 'sl_send_reply("404", "x");', 't_relay();', 'lookup("location")', 'myself', 'uri ==', 'is_myself("', '/*', '*/', '#', '\\', '\n', ' ', '\u0000'],
  freeswitch: ['<', '>', '</', '/>', '<!--', '-->', '<![CDATA[', ']]>', '<?xml version="1.0"?>', '<X-PRE-PROCESS cmd="set" data="', '<X-PRE-PROCESS cmd="include" data="', '<X-PRE-PROCESS cmd="exec" data="', '"/>', '$${', '${', '}', '<context name="', '<extension name="', '<condition field="destination_number" expression="', '<action application="transfer" data="', '<action application="bridge" data="user/', '<anti-action application="', 'break="on-false"', 'continue="true"', '<user id="', '<domain name="', '<profile name="', '<param name="context" value="', '^', '$', '(', ')', '[', ']', '|', '\\d', '+', '*', '?', '{1,', '&amp;', '&', '"', "'", '\n', ' ', '\u0000'],
};

/** One mutation of a text, positions taken modulo its length. */
function mutationArb(tokens) {
  return fc.oneof(
    fc.record({ kind: fc.constant('delete'), at: fc.nat(), len: fc.integer({ min: 1, max: 64 }) }),
    fc.record({ kind: fc.constant('repeat'), at: fc.nat(), len: fc.integer({ min: 1, max: 256 }), times: fc.integer({ min: 1, max: 8 }) }),
    fc.record({ kind: fc.constant('insert'), at: fc.nat(), text: fc.constantFrom(...tokens) }),
    fc.record({ kind: fc.constant('insert'), at: fc.nat(), text: fc.string({ maxLength: 12, unit: 'binary' }) }),
    fc.record({ kind: fc.constant('replace'), at: fc.nat(), text: fc.string({ minLength: 1, maxLength: 4, unit: 'grapheme' }) }),
  );
}

function mutate(text, mutations) {
  let t = text;
  for (const m of mutations) {
    const at = t.length ? m.at % (t.length + 1) : 0;
    if (m.kind === 'delete') t = t.slice(0, at) + t.slice(at + m.len);
    else if (m.kind === 'repeat') t = t.slice(0, at) + t.slice(at, at + m.len).repeat(m.times + 1) + t.slice(at + m.len);
    else if (m.kind === 'insert') t = t.slice(0, at) + m.text + t.slice(at);
    else t = t.slice(0, at) + m.text + t.slice(at + m.text.length);
  }
  return t;
}

/** A fresh directory per run, reused input after input (tmpfs when there is one). */
function scratchDir(tag) {
  const base = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
  return fs.mkdtempSync(path.join(base, `pbxlint-fuzz-${tag}-`));
}

/**
 * Puts `files` in `dir`, writing only the files whose content changed since the last call for this
 * directory and removing the ones no longer there. A target keeps its layout from input to input
 * (one file mutated, the others seeds), so most inputs write one or two files instead of the
 * whole tree: removing and recreating the tree was a third of the time per FreeSWITCH input.
 */
const written = new Map(); // dir → Map(name → content) as on disk
function writeTree(dir, files) {
  let onDisk = written.get(dir);
  if (!onDisk) {
    fs.rmSync(dir, { recursive: true, force: true });
    written.set(dir, (onDisk = new Map()));
  }
  for (const name of [...onDisk.keys()]) {
    if (!(name in files)) {
      fs.rmSync(path.join(dir, name), { force: true });
      onDisk.delete(name);
    }
  }
  for (const [name, content] of Object.entries(files)) {
    if (onDisk.get(name) === content) continue;
    const p = path.join(dir, name);
    if (!onDisk.has(name)) fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
    onDisk.set(name, content);
  }
}

/** Forgets what writeTree wrote in `dir` (after the caller removed it). */
function forgetTree(dir) {
  written.delete(dir);
}

class PropertyFailure extends Error {}

/**
 * Milliseconds of CPU this process has used. The time bound is on CPU, not the wall clock: on a
 * machine shared with other work, a wall-clock bound failed inputs that take 0.3 s alone when the
 * machine was swamped for a while.
 */
function cpuMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** The compiled entry points, required once (not per input). */
let entryPoints;
function compiled() {
  entryPoints ??= { lintRoot: dist('src/lint.js').lintRoot, routeWith: dist('src/engines/index.js').routeWith, RouteUsageError: dist('src/resolvers/types.js').RouteUsageError };
  return entryPoints;
}

function checkLocation(where, loc) {
  if (!loc || typeof loc.file !== 'string' || !Number.isInteger(loc.line) || loc.line < 1 || (loc.column !== undefined && (!Number.isInteger(loc.column) || loc.column < 1))) {
    throw new PropertyFailure(`${where}: not a position: ${JSON.stringify(loc)}`);
  }
}

/** Lints a root and routes a few requests; throws PropertyFailure (or the bug's own error). */
function lintAndRoute(rootRef, requests, budgetMs) {
  const { lintRoot, routeWith, RouteUsageError } = compiled();
  const t = cpuMs();
  const { findings, model } = lintRoot(rootRef, {});
  for (const f of findings) {
    if (f.ruleId === 'internal-error') throw new PropertyFailure(`internal-error: ${f.message}`);
    checkLocation(`finding ${f.ruleId}`, f);
    if (typeof f.message !== 'string' || !f.message) throw new PropertyFailure(`finding ${f.ruleId} without a message`);
  }
  let answers = 0;
  if (model) {
    for (const request of requests) {
      let answer;
      try {
        answer = routeWith(model, request);
      } catch (e) {
        if (e instanceof RouteUsageError) continue; // the request does not fit this configuration (no such context): a usage error, as on the command line
        throw e;
      }
      if (!['routed', 'rejected', 'depends'].includes(answer.verdict)) throw new PropertyFailure(`route: verdict ${answer.verdict}`);
      for (const s of answer.steps ?? []) checkLocation('route step', s);
      answers++;
    }
  }
  const ms = Math.round(cpuMs() - t);
  if (ms > budgetMs) throw new PropertyFailure(`took ${ms} ms of CPU (budget ${budgetMs} ms)`);
  return { findings: findings.length, answers };
}

const fixtures = path.join(root, 'fixtures');

/**
 * Each target: seeds (file name in the root → texts), the other files of the root, and how to run.
 * `files(seed, text)` gives the root's files with the mutated text in place.
 */
function targets({ corpus = true } = {}) {
  const inCorpus = (sub, keep) => (corpus && fs.existsSync(CORPUS) ? filesUnder(path.join(CORPUS, sub), keep) : []);
  const asteriskSeeds = seedTexts([
    ...filesUnder(fixtures, (n, p) => /^(extensions|pjsip|sip|pjsip_wizard)\.conf$/.test(n) && !p.includes(`${path.sep}kamailio`)),
    ...inCorpus('asterisk', (n) => /^(extensions|pjsip|sip|pjsip_wizard)[^/]*\.conf(\.sample)?$/.test(n)),
  ]);
  const kamailioSeeds = seedTexts([...filesUnder(fixtures, (n) => n.endsWith('.cfg')), ...inCorpus('kamailio', (n) => n.endsWith('.cfg'))]);
  const fsBasic = path.join(fixtures, 'freeswitch', 'basic');
  const fsTree = {};
  for (const f of filesUnder(fsBasic, () => true)) fsTree[path.relative(fsBasic, f)] = fs.readFileSync(f, 'utf8');
  const freeswitchSeeds = seedTexts([...filesUnder(fixtures, (n, p) => n.endsWith('.xml') && p.includes('freeswitch')), ...inCorpus('freeswitch', (n) => n.endsWith('.xml'))]);
  return [
    {
      name: 'asterisk',
      seeds: asteriskSeeds,
      tokens: TOKENS.asterisk,
      // The mutated text is extensions.conf or pjsip.conf (both read in every run), the other a seed as it is.
      files: (text, slot, other) => (slot % 2 === 0 ? { 'extensions.conf': text, 'pjsip.conf': other } : { 'extensions.conf': other, 'pjsip.conf': text }),
      root: (dir) => ({ platform: 'asterisk', path: dir }),
      requests: [
        { user: '100', method: 'INVITE', context: 'from-internal' },
        { user: '+12025550100', method: 'INVITE', context: 'default' },
        { user: '2025550100', method: 'INVITE', endpoint: 'trunk-a' },
      ],
    },
    {
      name: 'kamailio',
      seeds: kamailioSeeds,
      tokens: TOKENS.kamailio,
      files: (text) => ({ 'kamailio.cfg': text }),
      root: (dir) => ({ platform: 'kamailio', path: path.join(dir, 'kamailio.cfg') }),
      requests: [
        { user: '1001', domain: 'example.com', method: 'INVITE' },
        { user: '+12025550100', domain: '127.0.0.1', method: 'INVITE', registered: ['1001'] },
        { user: '1001', domain: 'example.com', method: 'REGISTER', fromUser: '1001' },
      ],
    },
    {
      name: 'freeswitch',
      seeds: freeswitchSeeds,
      tokens: TOKENS.freeswitch,
      // The stock layout of fixtures/freeswitch/basic with one of its files replaced by the mutated text.
      files: (text, slot) => {
        const names = ['dialplan/public.xml', 'dialplan/default.xml', 'sip_profiles/external.xml', 'directory/example.xml', 'freeswitch.xml', 'vars.xml'].filter((n) => n in fsTree);
        return { ...fsTree, [names[slot % names.length]]: text };
      },
      root: (dir) => ({ platform: 'freeswitch', path: dir }),
      requests: [
        { user: '5551234', method: 'INVITE', profile: 'external' },
        { user: '1000', method: 'INVITE', profile: 'internal', domain: 'example.com' },
        { user: '+12025550100', method: 'INVITE', context: 'public' },
      ],
    },
  ];
}

/** The fast-check property of a configuration target, running in `dir`. */
function configProperty(target, dir, budgetMs) {
  const seeds = target.seeds.length ? target.seeds : [''];
  return fc.property(fc.nat(), fc.nat(), fc.nat(), fc.array(mutationArb(target.tokens), { maxLength: 8 }), (seed, slot, otherSeed, mutations) => {
    const text = mutate(seeds[seed % seeds.length], mutations);
    writeTree(dir, target.files(text, slot, seeds[otherSeed % seeds.length]));
    lintAndRoute(target.root(dir), target.requests, budgetMs);
  });
}

/** Regex-like text: pattern syntax of the three engines and arbitrary characters. */
const PATTERN_TOKENS = ['^', '$', '(', ')', '(?:', '(?i)', '(?=', '(?<name>', '[', ']', '[^', '-', '|', '*', '+', '?', '*?', '{', '}', '{2,}', '{1,3}', '\\', '\\d', '\\w', '\\1', '.', '[[:digit:]]', '[[:alpha:]', 'X', 'N', 'Z', '_', '!', '0', '1', '9', 'a'];
const patternArb = fc.array(fc.oneof(fc.constantFrom(...PATTERN_TOKENS), fc.string({ maxLength: 3, unit: 'binary' })), { maxLength: 24 }).map((parts) => parts.join(''));
const subjectArb = fc.oneof(fc.stringMatching(/^\+?[0-9*#]{0,20}$/), fc.string({ maxLength: 24, unit: 'binary' }));

function timed(budgetMs, what, fn) {
  const t = cpuMs();
  const r = fn();
  const ms = Math.round(cpuMs() - t);
  if (ms > budgetMs) throw new PropertyFailure(`${what} took ${ms} ms of CPU (budget ${budgetMs} ms)`);
  return r;
}

/** The regular-expression engines the simulators run: FreeSWITCH PCRE, Kamailio POSIX ERE, Asterisk patterns. */
function patternProperties(budgetMs) {
  const pcre = dist('src/automata/pcre/pcre.js');
  const ere = dist('src/automata/ere/ere.js');
  const pattern = dist('src/automata/asterisk/pattern.js');
  const language = dist('src/automata/asterisk/pattern-language.js');
  return {
    'freeswitch-pcre': fc.property(patternArb, subjectArb, (p, s) =>
      timed(budgetMs, `PCRE /${p}/ on "${s}"`, () => {
        const compiled = pcre.compileExpression(p);
        pcre.matchExpression(compiled, s);
      }),
    ),
    'kamailio-ere': fc.property(patternArb, subjectArb, fc.boolean(), (p, s, icase) =>
      timed(budgetMs, `ERE /${p}/ on "${s}"`, () => {
        ere.compileEre(p, icase);
        ere.ereMatch(p, s);
        ere.ereProblem(p);
      }),
    ),
    'asterisk-pattern': fc.property(patternArb, subjectArb, fc.constantFrom('match', 'canmatch', 'matchmore'), (p, s, mode) =>
      timed(budgetMs, `pattern ${p} on "${s}"`, () => {
        const name = pattern.matchNameOf(p);
        pattern.matchCode(name, s, mode);
        pattern.extensionMatches(name, s, mode);
        try {
          language.withLanguageBudget(5000, () => {
            const lang = language.languageOf([name]);
            language.lengthBounds(lang);
            language.describeLanguage(lang);
          });
        } catch (e) {
          if (!(e instanceof language.LanguageTooComplex)) throw e; // the analysis gives up within its budget: fine
        }
      }),
    ),
  };
}

module.exports = { targets, configProperty, patternProperties, lintAndRoute, scratchDir, forgetTree, mutate, PropertyFailure, CORPUS };
