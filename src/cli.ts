/**
 * The command line: `pbxlint lint` (default), `pbxlint route`, `pbxlint explain`, `pbxlint test`,
 * `pbxlint coverage`, `pbxlint graph`, `pbxlint rules`.
 * Exit codes — lint: 0 clean, 1 error findings, 2 usage/config error;
 * route: 0 routed, 1 rejected, 3 depends, 2 usage/config error;
 * explain: 0 every failure explained by the config, 1 some failure disagrees, 2 usage/config error.
 * coverage: 0 complete, 1 a class the configuration takes is rejected, 2 usage, 3 not modelled (src/coverage/command.ts).
 */
import Module from 'module';
import type { Argv } from 'yargs';
import { PLATFORMS, type Platform } from './core/findings';
import * as fs from 'fs';
import * as path from 'path';
import { packageVersion } from './config/package-files';
import { REPORTERS } from './reporters';
import { METHODS, RouteUsageError, exitCodeForVerdict, type Method } from './resolvers/types';

/**
 * yargs, loaded without the modules that lay out help text (cliui, and string-width, which
 * measures it): yargs 17 requires them when it is loaded, and they take about 7 ms of CPU (cliui
 * brings wrap-ansi, strip-ansi, ansi-regex, emoji-regex), a tenth of Node's own start-up, in every
 * run; only --help, a usage error's message or `pbxlint` without a command calls them. While yargs
 * loads, its own requires of those two get a function that requires the real one when first
 * called. Other modules' requires are not touched, and the hook is removed once yargs is loaded.
 */
function requireYargs(): typeof import('yargs/yargs') {
  type Load = (request: string, parent: { filename?: string } | undefined, isMain: boolean) => unknown;
  const modules = Module as unknown as { _load: Load };
  const load = modules._load;
  modules._load = function (this: unknown, request, parent, isMain) {
    if ((request === 'cliui' || request === 'string-width') && parent?.filename && /[\\/]node_modules[\\/]yargs[\\/]/.test(parent.filename)) {
      let real: ((...args: unknown[]) => unknown) | undefined;
      return function (this: unknown, ...args: unknown[]) {
        real ??= load.call(modules, request, parent, isMain) as (...args: unknown[]) => unknown;
        return real.apply(this, args);
      };
    }
    return load.call(this, request, parent, isMain);
  };
  try {
    return require('yargs/yargs') as typeof import('yargs/yargs');
  } finally {
    modules._load = load;
  }
}
const yargs = requireYargs();

/*
 * Each command's implementation is required in its handler: a run loads only the command it
 * runs (a pre-commit `lint` does not load route simulation, assertions, graphs or rule docs).
 */
type LintCommandModule = typeof import('./config/lint-command');

interface Io {
  stdout: (s: string) => void;
  /** Bytes to stdout (lent: written or copied before it returns); see CommandIo. */
  stdoutBytes?: (bytes: Uint8Array) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

const defaultIo = (): Io => ({
  ...stdoutWriter(),
  stderr: (s) => process.stderr.write(s),
  isTTY: Boolean(process.stdout.isTTY),
  cwd: process.cwd(),
  env: process.env,
});

/**
 * Writes to the standard output, waiting for a reader on a pipe to take what it was given.
 * process.stdout on a pipe queues what the reader has not taken yet: `pbxlint lint --format json
 * | jq` held the whole report of 40,000 findings (21 MB of text, queued as it was written) until
 * jq caught up. On a pipe or socket the text is written to descriptor 1 here instead, in full
 * before the next piece is made; libuv has made the descriptor non-blocking, so a full pipe
 * answers EAGAIN, and the write is tried again a millisecond later (no busy loop). A reader that
 * goes away (EPIPE: `| head`) ends the output, as for process.stdout (bin/pbxlint.js). Files and
 * terminals are written synchronously by process.stdout already.
 */
function stdoutWriter(): Pick<Io, 'stdout' | 'stdoutBytes'> {
  let pipe = false;
  try {
    const stat = fs.fstatSync(1);
    pipe = stat.isFIFO() || stat.isSocket();
  } catch {
    // No descriptor 1 to look at: process.stdout decides.
  }
  // process.stdout may keep what it is given: lent bytes are copied.
  if (!pipe) return { stdout: (s) => process.stdout.write(s), stdoutBytes: (b) => process.stdout.write(Buffer.from(b)) };
  let closed = false;
  const stdoutBytes = (bytes: Uint8Array) => {
    if (closed) return;
    let written = 0;
    while (written < bytes.length) {
      try {
        written += fs.writeSync(1, bytes, written, bytes.length - written);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') {
          closed = true;
          return;
        }
        if (code !== 'EAGAIN') throw e;
        Atomics.wait(PAUSE, 0, 0, 1);
      }
    }
  };
  return { stdout: (s) => stdoutBytes(Buffer.from(s, 'utf8')), stdoutBytes };
}

/** What stdoutWriter waits on for a millisecond (Atomics.wait needs a shared Int32Array). */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

function parseVars(list: string[] | undefined): Record<string, string> | undefined {
  if (!list?.length) return undefined;
  const out: [string, string][] = [];
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new RouteUsageError(`--var takes NAME=VALUE, got "${item}"`);
    out.push([item.slice(0, eq), item.slice(eq + 1)]);
  }
  // fromEntries defines every name as an own property, where `out[name] = value` would drop `__proto__`.
  return Object.fromEntries(out);
}

const asList = (v: unknown): string[] | undefined => (v === undefined ? undefined : (Array.isArray(v) ? v : [v]).map(String));

function loadOptionsOf(argv: Record<string, unknown>) {
  return { defines: asList(argv.define), vars: parseVars(asList(argv.var)), myself: asList(argv.myself) };
}

function withLoadOptions<T>(y: Argv<T>) {
  return y
    .option('platform', { choices: PLATFORMS as Platform[], describe: 'Engine of the configuration (overrides detection)' })
    .option('define', { type: 'string', array: true, describe: 'Kamailio: define NAME[=VALUE] as with kamailio -A (repeatable)' })
    .option('var', { type: 'string', array: true, describe: 'FreeSWITCH: set pre-process variable NAME=VALUE, e.g. local_ip_v4=10.0.0.5 (repeatable)' })
    .option('myself', { type: 'string', array: true, describe: 'Kamailio: an address the server has at run time, HOST[:PORT] (repeatable)' });
}

/** Who sends the request and in which state: the options `route` and `coverage` share, meaning the same things. */
function withCallerOptions<T>(y: Argv<T>) {
  return y
    .option('caller-id', { type: 'string', describe: 'Asterisk/FreeSWITCH: caller number, for caller-ID matches ("" = none; without it, tests of the caller number fork the answer)' })
    .option('from-user', { type: 'string', describe: 'From user (Kamailio $fU, FreeSWITCH authenticating user)' })
    .option('from-domain', { type: 'string', describe: 'From host (Kamailio $fd)' })
    .option('source-ip', { type: 'string', describe: 'Source IP of the request' })
    .option('user-agent', { type: 'string', describe: 'Kamailio: User-Agent header ($ua)' })
    .option('registered', { type: 'string', array: true, describe: 'AOR/user that has a registered contact (repeatable). Without it, registration state is unknown and both outcomes are shown' })
    .option('unregistered', { type: 'boolean', describe: 'Nobody is registered (registration state known to be empty)' })
    .conflicts('unregistered', 'registered')
    .option('time', { type: 'string', describe: 'Simulate at this ISO time (time-based includes/conditions); default: any time' });
}

/** The request fields withCallerOptions sets, read from the command line (`--time` as a date). */
function callerOptionsOf(argv: Record<string, unknown>, registered: string[] | undefined) {
  let time: Date | undefined;
  if (argv.time !== undefined) {
    time = new Date(String(argv.time));
    if (Number.isNaN(time.getTime())) throw new RouteUsageError(`--time: not a date: ${argv.time}`);
  }
  return {
    callerId: argv['caller-id'] as string | undefined,
    fromUser: argv['from-user'] as string | undefined,
    fromDomain: argv['from-domain'] as string | undefined,
    sourceIp: argv['source-ip'] as string | undefined,
    userAgent: argv['user-agent'] as string | undefined,
    registered,
    time,
  };
}

/**
 * yargs renders a command's whole help text after its handler runs (usage.cacheHelpMessage), to
 * show it should an async handler fail later. pbxlint never shows help on failure (.fail throws)
 * and never calls showHelp, yet the rendering (cliui, wrap-ansi, string-width, cold) costs about
 * 10 ms of every `lint`, as much as a sixth of Node's own start-up. yargs has no option for it,
 * so this reaches into its internals (17.x); where they differ, nothing is changed.
 */
function skipHelpCache(parser: Argv): void {
  type Internals = { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } };
  const usage = (parser as unknown as Internals).getInternalMethods?.().getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
}

export async function main(args: string[], io: Io = defaultIo()): Promise<number> {
  let exitCode = 0;
  const color = io.isTTY && !io.env.NO_COLOR;
  const parser = yargs(args)
    .scriptName('pbxlint')
    .usage('$0 <command> [options]\n\nPredicts which dialed numbers and Request-URI domains get SIP 404 from Asterisk, Kamailio and FreeSWITCH configuration, without running it.')
    .command(
      ['lint [paths..]', '$0 [paths..]'],
      'Find what will 404 (and other routing failures) in the configuration under paths',
      (y) =>
        withLoadOptions(y)
          .positional('paths', { type: 'string', array: true, describe: 'Files or directories to search for configuration roots (default: the config file\'s roots, else .)' })
          .option('format', { alias: 'f', choices: Object.keys(REPORTERS), default: 'stylish', describe: 'Output format' })
          .option('config', { type: 'string', describe: 'Configuration file (default: .pbxlintrc.json, .pbxlintrc or package.json "pbxlint", from the working directory upwards)' })
          .option('max-warnings', { type: 'number', describe: 'Exit 1 when there are more warnings than this' })
          .option('quiet', { alias: 'q', type: 'boolean', describe: 'Report errors only' })
          .option('output-file', { alias: 'o', type: 'string', describe: 'Write the report to this file instead of stdout' })
          .option('changed-files', { type: 'boolean', describe: 'The paths are changed files (pre-commit): lint the configuration roots they belong to; other files are ignored' })
          .example('$0 lint /etc/asterisk', 'lint an Asterisk configuration directory')
          .example('$0 lint --format json .', 'machine-readable findings')
          .example('$0 lint --format sarif -o pbxlint.sarif .', 'SARIF for GitHub code scanning')
          .epilogue('Exit codes: 0 no error findings, 1 error findings (or more warnings than --max-warnings), 2 usage or configuration error.'),
      (argv) => {
        const { lintCommand } = require('./config/lint-command') as LintCommandModule;
        exitCode = lintCommand(
          {
            paths: argv.paths as string[] | undefined,
            platform: argv.platform as Platform | undefined,
            load: loadOptionsOf(argv),
            format: argv.format as string,
            config: argv.config as string | undefined,
            maxWarnings: argv['max-warnings'] as number | undefined,
            quiet: argv.quiet as boolean | undefined,
            outputFile: argv['output-file'] as string | undefined,
            changedFiles: argv['changed-files'] as boolean | undefined,
          },
          { ...io, color },
        );
      },
    )
    .command(
      'route <number> [paths..]',
      'Simulate a request: would this number route, along which lines, or with which SIP status is it rejected?',
      (y) =>
        withCallerOptions(withLoadOptions(y))
          .positional('number', {
            type: 'string',
            describe:
              'Dialed number (exactly as dialed, e.g. +12025551234) or a sip:/tel: URI. A sip: URI\'s user is taken as written, escapes kept (Kamailio $rU shows %2B…); a bare number is %-escaped where a SIP user part needs it (a space → %20); tel: has no host; sip:@host is a malformed URI',
          })
          .positional('paths', { type: 'string', array: true, default: ['.'], describe: 'Configuration root (or a path containing exactly one)' })
          .option('context', { alias: 'c', type: 'string', describe: 'Asterisk/FreeSWITCH: start in this dialplan context (Asterisk: as a SIP call from an endpoint with that context, chan_pjsip\'s 404/484/pickup checks first; see --originate)' })
          .option('endpoint', { alias: 'e', type: 'string', describe: 'Asterisk: the call comes from this endpoint/peer (its context is used)' })
          .option('originate', { type: 'boolean', describe: 'Asterisk, with --context: a Local channel started into the context (`channel originate Local/N@C`): no SIP driver checks before the dialplan (pickup code, 484); no priority 1 fails the origination' })
          .option('profile', { type: 'string', describe: 'FreeSWITCH: the sofia profile that receives the call' })
          .option('domain', { alias: 'd', type: 'string', describe: 'Request-URI host' })
          .option('method', {
            alias: 'm',
            type: 'string',
            default: 'INVITE' as Method,
            describe: `SIP method: any RFC 3261 token, case-sensitive (${METHODS.join(', ')}, or an extension like HELLO or XMETHOD). Kamailio runs its script on any method; Asterisk (chan_pjsip, chan_sip) and FreeSWITCH answer a method they do not know with 501; Asterisk simulates INVITE, OPTIONS and REGISTER among the standard ones`,
          })
          .option('to', {
            type: 'string',
            describe:
              'To URI (sip:user@host, user@host, user or tel:number). For REGISTER it names the AOR (all engines); Kamailio and FreeSWITCH also read it for other requests ($tu, destination_number of a URI without user). Default: the Request-URI; for a REGISTER, the target\'s user (route 1001 --method REGISTER registers 1001, the Request-URI then has no user), else the From user, at the Request-URI host',
          })
          .option('format', { alias: 'f', choices: ['text', 'json'], default: 'text', describe: 'Output format' })
          .option('config', { type: 'string', describe: 'Configuration file (registered users, platform, defines, vars, myself)' })
          .example('$0 route 12025551234 /etc/asterisk --context from-trunk', 'like `dialplan show 12025551234@from-trunk`, plus what chan_pjsip answers')
          .example('$0 route \'*8\' /etc/asterisk --context from-internal --originate', 'like `channel originate Local/*8@from-internal`: the dialplan\'s own answer')
          .example('$0 route +12025551234 --endpoint trunk-a --format json', 'machine-readable answer')
          .example('$0 route sip:pbx.example.com /etc/kamailio --method REGISTER --to sip:1001@pbx.example.com', 'a REGISTER for the AOR 1001')
          .epilogue('An option the engine does not read is ignored with a note on stderr. Exit codes: 0 routed, 1 rejected, 3 depends (each outcome with its conditions), 2 usage or configuration error.'),
      (argv) => {
        const { configOrReport, mergeLoad } = require('./config/lint-command') as LintCommandModule;
        const { ignoredOptionNotes, relativizeAnswer, renderRouteText, routeCommand } = require('./route') as typeof import('./route');
        const loaded = configOrReport({ ...io, color }, argv.config as string | undefined);
        if (!loaded) {
          exitCode = 2;
          return;
        }
        const config = loaded.config;
        const registered = argv.unregistered ? [] : (asList(argv.registered) ?? config?.registered);
        const { answer, model } = routeCommand(String(argv.number), ((argv.paths as string[]) ?? ['.']).map((p) => path.resolve(io.cwd, p)), {
          platform: (argv.platform as Platform | undefined) ?? config?.platform,
          ...mergeLoad(config?.load ?? {}, loadOptionsOf(argv)),
          context: argv.context as string | undefined,
          endpoint: argv.endpoint as string | undefined,
          originate: argv.originate as boolean | undefined,
          profile: argv.profile as string | undefined,
          domain: argv.domain as string | undefined,
          method: argv.method as Method,
          to: argv.to as string | undefined,
          ...callerOptionsOf(argv, registered),
        });
        for (const note of ignoredOptionNotes(model.platform, argv)) io.stderr(`pbxlint: ${note}\n`);
        if (argv.format === 'json') io.stdout(JSON.stringify(relativizeAnswer(answer, io.cwd), null, 2) + '\n');
        else io.stdout(renderRouteText(answer, io.cwd, color));
        exitCode = exitCodeForVerdict(answer.verdict);
      },
    )
    .command(
      'explain <capture> [paths..]',
      'Explain a captured failure: for every failed SIP transaction in a capture (pcap, pcapng, ngrep, sngrep or pasted SIP), the config line that produced it, or that the config would have routed it',
      (y) =>
        withLoadOptions(y)
          .positional('capture', { type: 'string', describe: 'Capture file: pcap, pcapng (Ethernet, Linux cooked v1/v2, loopback; IPv4/IPv6; UDP and TCP), `ngrep -W byline` output, sngrep text save, `U date time src:port -> dst:port` dump, or raw SIP messages' })
          .positional('paths', { type: 'string', array: true, default: ['.'], describe: 'Configuration root (or a path containing exactly one)' })
          .option('server', { type: 'string', array: true, describe: 'The server\'s address IP[:PORT] in the capture, or *:PORT for any address (repeatable; names are not resolved); default: the config\'s listen/bind addresses, --myself, profile ports' })
          .option('format', { alias: 'f', choices: ['text', 'json'], default: 'text', describe: 'Output format' })
          .example('$0 explain call.pcap /etc/kamailio/kamailio.cfg', 'which line of kamailio.cfg answered each failed request')
          .example('$0 explain ngrep.txt /etc/asterisk --server 10.0.0.5:5060 --format json', 'machine-readable explanation')
          .epilogue('Exit codes: 0 no failure disagrees with the configuration (those not simulated count for neither), 1 some failure disagrees with it, 2 usage or configuration error, or no SIP message in the capture.'),
      (argv) => {
        const { explainCommand } = require('./explain/command') as typeof import('./explain/command');
        exitCode = explainCommand(
          {
            capture: String(argv.capture),
            paths: (argv.paths as string[]) ?? ['.'],
            platform: argv.platform as Platform | undefined,
            load: loadOptionsOf(argv),
            servers: asList(argv.server),
            format: argv.format as 'text' | 'json',
          },
          { stdout: io.stdout, stderr: io.stderr, cwd: io.cwd, color },
        );
      },
    )
    .command(
      'coverage [paths..]',
      'Map every dialled number of each entry point: classes of numbers, each with one outcome (routed → target, rejected → status, depends)',
      (y) =>
        withCallerOptions(withLoadOptions(y))
          .positional('paths', { type: 'string', array: true, default: ['.'], describe: 'Configuration root (or a path containing exactly one)' })
          .option('context', { alias: 'c', type: 'string', describe: 'Asterisk/FreeSWITCH: map only this dialplan context (entered directly)' })
          .option('endpoint', { alias: 'e', type: 'string', describe: 'Asterisk: map only calls from this endpoint/peer' })
          .option('profile', { type: 'string', describe: 'FreeSWITCH: map only this sofia profile' })
          .option('domain', { alias: 'd', type: 'string', describe: 'Request-URI host' })
          .option('max-length', { type: 'number', describe: 'Map only dialled strings up to this many characters (default: every length)' })
          .option('max-classes', { type: 'number', describe: 'Cells one entry point may have before the rest is one class, noted (default 200000)' })
          .option('format', { alias: 'f', choices: ['text', 'json', 'html'], default: 'text', describe: 'Output format (html: one self-contained page)' })
          .option('output-file', { alias: 'o', type: 'string', describe: 'Write the map to this file instead of stdout' })
          .option('config', { type: 'string', describe: 'Configuration file (registered users, platform, defines, vars, myself)' })
          .example('$0 coverage /etc/asterisk --endpoint trunk-a', 'which numbers from trunk-a route, and which get 404')
          .example('$0 coverage --format html -o map.html', 'the map of every entry point as one page')
          .epilogue('Exit codes: 0 the map is complete and no class the configuration takes is rejected; 1 a class an extension/condition takes ends rejected; 2 usage or configuration error; 3 some class is not modelled (depends on a construct pbxlint does not model, or a budget was reached).'),
      (argv) => {
        const { configOrReport, mergeLoad, writeOutput } = require('./config/lint-command') as LintCommandModule;
        const cov = require('./coverage/command') as typeof import('./coverage/command');
        (require('./core/heap') as typeof import('./core/heap')).letYoungGenerationGrow();
        const loaded = configOrReport({ ...io, color }, argv.config as string | undefined);
        if (!loaded) {
          exitCode = 2;
          return;
        }
        const config = loaded.config;
        const registered = argv.unregistered ? [] : (asList(argv.registered) ?? config?.registered);
        const report = cov.coverageCommand(((argv.paths as string[]) ?? ['.']).map((p) => path.resolve(io.cwd, p)), {
          platform: (argv.platform as Platform | undefined) ?? config?.platform,
          ...mergeLoad(config?.load ?? {}, loadOptionsOf(argv)),
          context: argv.context as string | undefined,
          endpoint: argv.endpoint as string | undefined,
          profile: argv.profile as string | undefined,
          domain: argv.domain as string | undefined,
          ...callerOptionsOf(argv, registered),
          maxLength: argv['max-length'] as number | undefined,
          maxClasses: argv['max-classes'] as number | undefined,
        });
        // JSON and HTML a piece at a time (a 150,000-class map is hundreds of MB of text), through
        // the writer every report uses (the -o file or the standard output).
        const written = writeOutput(
          { ...io, color },
          (emit) => {
            if (argv.format === 'json') cov.writeCoverageJson(report, io.cwd, emit);
            else if (argv.format === 'html') cov.writeCoverageHtml(report, io.cwd, emit);
            else emit(cov.renderCoverageText(report, io.cwd));
          },
          argv['output-file'] as string | undefined,
        );
        exitCode = written ? cov.coverageExitCode(report) : 2;
      },
    )
    .command(
      'test [file] [paths..]',
      'Check routing assertions: each call in the file (default: pbxlint.routes.yaml, found upwards) must be routed or rejected as it expects',
      (y) =>
        withLoadOptions(y)
          .positional('file', { type: 'string', describe: 'Routing-assertions file (YAML or JSON)' })
          .positional('paths', { type: 'string', array: true, describe: 'Configuration root(s) (default: the file\'s paths, the config file\'s roots, else the file\'s directory)' })
          .option('format', { alias: 'f', choices: ['text', 'junit'], default: 'text', describe: 'Output format' })
          .option('config', { type: 'string', describe: 'Configuration file' })
          .option('output-file', { alias: 'o', type: 'string', describe: 'Write the report to this file instead of stdout' })
          .example('$0 test pbxlint.routes.yaml /etc/asterisk', 'run the assertions against /etc/asterisk')
          .epilogue('Exit codes: 0 every case passed, 1 a case failed, 2 the assertions file (or the configuration) is invalid, or no file was found.'),
      (argv) => {
        const { testCommand } = require('./assertions/command') as typeof import('./assertions/command');
        exitCode = testCommand(
          {
            file: argv.file as string | undefined,
            paths: argv.paths as string[] | undefined,
            platform: argv.platform as Platform | undefined,
            load: loadOptionsOf(argv),
            format: argv.format as 'text' | 'junit',
            config: argv.config as string | undefined,
            outputFile: argv['output-file'] as string | undefined,
          },
          { ...io, color },
        );
      },
    )
    .command(
      'graph [paths..]',
      'Draw the routing: entry points → contexts/routes → targets, with the paths that end in 404 (or another failure) marked',
      (y) =>
        withLoadOptions(y)
          .positional('paths', { type: 'string', array: true, describe: 'Configuration roots (default: the config file\'s roots, else .)' })
          .option('format', { alias: 'f', choices: ['mermaid', 'dot', 'json'], default: 'mermaid', describe: 'Output format' })
          .option('all', { type: 'boolean', describe: 'Also draw contexts no entry point reaches' })
          .option('from', { type: 'string', array: true, describe: 'Draw only what these entry points reach (endpoint/peer name, or an entry id like pjsip:1001)' })
          .option('config', { type: 'string', describe: 'Configuration file' })
          .option('output-file', { alias: 'o', type: 'string', describe: 'Write the graph to this file instead of stdout' })
          .example('$0 graph /etc/asterisk --format dot | dot -Tsvg > routing.svg', 'a picture of the routing')
          .epilogue('Exit codes: 0 drawn, 2 usage or configuration error.'),
      (argv) => {
        const { graphCommand } = require('./graph') as typeof import('./graph');
        exitCode = graphCommand(
          {
            paths: argv.paths as string[] | undefined,
            platform: argv.platform as Platform | undefined,
            load: loadOptionsOf(argv),
            format: argv.format as 'mermaid' | 'dot' | 'json',
            all: argv.all as boolean | undefined,
            from: asList(argv.from),
            config: argv.config as string | undefined,
            outputFile: argv['output-file'] as string | undefined,
          },
          { ...io, color },
        );
      },
    )
    .command(
      'rules',
      'List every rule with its id, platforms, default severity and description',
      (y) => y.option('format', { alias: 'f', choices: ['text', 'json', 'markdown'], default: 'text', describe: 'Output format' }),
      (argv) => {
        const { RULES } = require('../rules') as typeof import('../rules');
        if (argv.format === 'json') {
          io.stdout(JSON.stringify(RULES.map((r) => ({ id: r.id, platforms: r.platforms, severity: r.defaultSeverity, description: r.description })), null, 2) + '\n');
          return;
        }
        if (argv.format === 'markdown') {
          io.stdout((require('./reporters/rule-docs') as typeof import('./reporters/rule-docs')).renderRuleIndex(RULES));
          return;
        }
        for (const r of RULES) io.stdout(`${r.id.padEnd(32)} ${r.defaultSeverity.padEnd(8)} ${r.platforms.join(',').padEnd(28)} ${r.description}\n`);
      },
    )
    .strict()
    .help()
    .alias('h', 'help')
    // An explicit version: without one, yargs searches the directories above the entry script for package.json.
    .version(packageVersion())
    .wrap(Math.min(110, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new RouteUsageError(msg);
    });
  skipHelpCache(parser);
  try {
    await parser.parseAsync();
  } catch (e) {
    if (e instanceof RouteUsageError) {
      io.stderr(`pbxlint: ${e.message}\n`);
      return 2;
    }
    if (e instanceof Error && e.name === 'YError') {
      io.stderr(`pbxlint: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  return exitCode;
}
