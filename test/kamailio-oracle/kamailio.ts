/**
 * Starts and stops a real Kamailio for the oracle test: foreground (-DD), logging to stderr (-E),
 * bound to 127.0.0.1 only, with its pid file and runtime sockets in a temporary directory.
 */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export function kamailioBinary(): string | null {
  const r = spawnSync('sh', ['-c', 'command -v kamailio'], { encoding: 'utf8' });
  const bin = r.stdout.trim();
  return r.status === 0 && bin ? bin : null;
}

export interface RunningKamailio {
  port: number;
  log(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  cfg: string;
  port: number;
  defines?: string[];
  /** Add `-l udp:127.0.0.1:<port>` (for configs without their own listen=, like Debian's stock cfg). */
  listenArg?: boolean;
  /** More command-line options (e.g. --loadmodule=db_text.so). */
  extraArgs?: string[];
}

export async function startKamailio(bin: string, opts: StartOptions): Promise<RunningKamailio> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbxlint-kam-'));
  const args = ['-DD', '-E', '-f', opts.cfg, '-P', path.join(dir, 'kamailio.pid'), '-w', dir, '-Y', dir, '-m', '64', '-M', '8', '-n', '2', '--atexit=no'];
  if (opts.listenArg) args.push('-l', `udp:127.0.0.1:${opts.port}`);
  for (const d of opts.defines ?? []) args.push('-A', d);
  args.push(...(opts.extraArgs ?? []));
  // Its own process group, so stopping it also stops the workers it forked.
  const proc: ChildProcess = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-proc.pid!, sig);
    } catch {
      /* already gone */
    }
  };
  let log = '';
  proc.stdout?.on('data', (b) => (log += b.toString()));
  proc.stderr?.on('data', (b) => (log += b.toString()));
  const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
  const started = Date.now();
  // Ready once it prints its listening sockets and its workers had a moment to start.
  const ready = new RegExp(`udp: 127\\.0\\.0\\.1(?: \\[127\\.0\\.0\\.1\\])?:${opts.port}\\b`);
  while (!ready.test(log)) {
    if (proc.exitCode !== null || Date.now() - started > 10000) {
      signal('SIGKILL');
      throw new Error(`kamailio did not start (${opts.cfg}):\n${log.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 400));
  // Modules initialise after the sockets are printed; a failure there ends the process.
  if (proc.exitCode !== null || /error while initializing modules/i.test(log)) {
    signal('SIGKILL');
    throw new Error(`kamailio exited during start-up (${opts.cfg}):\n${log.slice(-3000)}`);
  }
  return {
    port: opts.port,
    log: () => log,
    async stop() {
      signal('SIGTERM');
      const t = setTimeout(() => signal('SIGKILL'), 3000);
      await exited;
      clearTimeout(t);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `kamailio -c -f cfg` (syntax check): exit status and output. */
export function kamailioCheck(bin: string, cfg: string, cwd: string, defines: string[] = []): { ok: boolean; output: string } {
  const args = ['-c', '-f', cfg];
  for (const d of defines) args.push('-A', d);
  const r = spawnSync(bin, args, { cwd, encoding: 'utf8', timeout: 20000 });
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}
