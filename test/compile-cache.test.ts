/**
 * The CLI's V8 code cache (src/core/compile-cache.ts): it must never change what a run does, nor
 * break one. Every case runs in a child process (the cache replaces how a process compiles its
 * modules), with PBXLINT_COMPILE_CACHE pointing into a temporary directory.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ensureBuilt, ROOT } from './helpers/gate-cli';
import { tempDir } from './helpers/tmp-config';
import { compileCacheDir, readCacheFile } from '../src/core/compile-cache';

const CACHE_JS = path.join(ROOT, 'dist/src/core/compile-cache.js');
const HEAP_JS = path.join(ROOT, 'dist/src/core/heap.js');
const BIN = path.join(ROOT, 'bin/pbxlint.js');
const PBX = path.join(ROOT, 'fixtures/examples/asterisk-pbx');

beforeAll(() => ensureBuilt());

/** Runs `main` in a child that uses the cache for the modules under `root` (as bin/pbxlint.js installs it). */
function withCache(root: string, cacheDir: string, main: string, extraEnv: Record<string, string> = {}): { stdout: string; stderr: string; status: number | null } {
  const code = `
    require(${JSON.stringify(HEAP_JS)}).keepYoungGenerationSmall();
    const used = require(${JSON.stringify(CACHE_JS)}).useCompileCache({ root: ${JSON.stringify(root)} });
    process.stdout.write(JSON.stringify({ used: used !== undefined }) + '\\n');
    ${main}`;
  const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', env: { ...process.env, PBXLINT_COMPILE_CACHE: cacheDir, ...extraEnv } });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

function cacheFiles(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.bin')) : [];
}

function stamp(file: string): string {
  const st = fs.statSync(file);
  return `${st.ino}:${st.mtimeMs}:${st.size}`;
}

describe('compile cache', () => {
  test('a module changed to another text of the same length runs as changed (V8 alone checks only the length)', () => {
    const root = tempDir('pbxlint-cc-root-');
    const cache = path.join(tempDir('pbxlint-cc-'), 'cache');
    const mod = path.join(root, 'mod.js');
    fs.writeFileSync(mod, "module.exports = function () { return 'aaa'; };\n");
    const run = () => withCache(root, cache, `process.stdout.write(require(${JSON.stringify(mod)})());`);
    expect(run().stdout).toBe('{"used":true}\naaa');
    expect(cacheFiles(cache)).toHaveLength(1);
    const file = path.join(cache, cacheFiles(cache)[0]);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(cache).mode & 0o777).toBe(0o700);
    const before = stamp(file);
    // Taken from the cache: the file is not written again.
    expect(run().stdout).toBe('{"used":true}\naaa');
    expect(stamp(file)).toBe(before);
    fs.writeFileSync(mod, "module.exports = function () { return 'bbb'; };\n");
    expect(run().stdout).toBe('{"used":true}\nbbb');
    expect(stamp(file)).not.toBe(before);
    expect(run().stdout).toBe('{"used":true}\nbbb');
  });

  test('a module compiled through the cache gets the require, module, exports and paths Node gives it', () => {
    const root = tempDir('pbxlint-cc-root-');
    const cache = path.join(tempDir('pbxlint-cc-'), 'cache');
    fs.writeFileSync(path.join(root, 'other.js'), 'exports.x = 1;\n');
    fs.writeFileSync(
      path.join(root, 'mod.js'),
      `'use strict';
module.exports = {
  self: this === module.exports && exports === module.exports,
  resolved: require.resolve('./other') === require('path').join(__dirname, 'other.js'),
  paths: Array.isArray(require.resolve.paths('x')),
  other: require('./other').x,
  cached: require.cache[__filename] === module,
  main: require.main === process.mainModule,
  file: __filename === require('path').join(__dirname, 'mod.js'),
  strict: (function () { return this; })() === undefined,
  lineOfError: Number(/mod\\.js:(\\d+)/.exec(new Error().stack)[1]),
};
`,
    );
    for (let i = 0; i < 2; i++) {
      const r = withCache(root, cache, `process.stdout.write(JSON.stringify(require(${JSON.stringify(path.join(root, 'mod.js'))})));`);
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout.split('\n')[1])).toEqual({ self: true, resolved: true, paths: true, other: 1, cached: true, main: true, file: true, strict: true, lineOfError: 11 });
    }
    // A module that uses import() is left to Node (a vm.Script has no loader for it).
    fs.writeFileSync(path.join(root, 'dynamic.js'), "module.exports = () => import('path').then((p) => typeof p.join);\n");
    for (let i = 0; i < 2; i++) {
      const r = withCache(root, cache, `require(${JSON.stringify(path.join(root, 'dynamic.js'))})().then((t) => process.stdout.write(t));`);
      expect(r).toEqual({ stdout: '{"used":true}\nfunction', stderr: '', status: 0 });
    }
  });

  test('a damaged or truncated cache file is ignored and replaced', () => {
    const root = tempDir('pbxlint-cc-root-');
    const cache = path.join(tempDir('pbxlint-cc-'), 'cache');
    const mod = path.join(root, 'mod.js');
    fs.writeFileSync(mod, 'module.exports = () => 6 * 7;\n');
    const run = () => withCache(root, cache, `process.stdout.write(String(require(${JSON.stringify(mod)})()));`);
    expect(run().stdout).toBe('{"used":true}\n42');
    const file = path.join(cache, cacheFiles(cache)[0]);
    const good = fs.readFileSync(file);
    const flipped = Buffer.from(good);
    flipped[flipped.length - 10] ^= 0xff;
    for (const bad of [good.subarray(0, good.length - 7), flipped, Buffer.from('not a cache'), Buffer.alloc(0)]) {
      fs.writeFileSync(file, bad);
      const r = run();
      expect(r).toEqual({ stdout: '{"used":true}\n42', stderr: '', status: 0 });
      expect(readCacheFile(file).size).toBe(1);
    }
  });

  test('no cache when turned off, when its path is a file, or when others may write its directory; the run is the same', () => {
    const root = tempDir('pbxlint-cc-root-');
    const mod = path.join(root, 'mod.js');
    fs.writeFileSync(mod, "module.exports = 'ok';\n");
    const main = `process.stdout.write(require(${JSON.stringify(mod)}));`;
    const parent = tempDir('pbxlint-cc-');
    expect(withCache(root, '0', main).stdout).toBe('{"used":false}\nok');
    const notDir = path.join(parent, 'file');
    fs.writeFileSync(notDir, '');
    expect(withCache(root, notDir, main)).toEqual({ stdout: '{"used":false}\nok', stderr: '', status: 0 });
    const open = path.join(parent, 'open');
    fs.mkdirSync(open);
    fs.chmodSync(open, 0o777);
    expect(withCache(root, open, main).stdout).toBe('{"used":false}\nok');
    expect(fs.readdirSync(open)).toEqual([]);
  });

  test('a directory that cannot be written leaves the run as it was', () => {
    if (process.getuid?.() === 0) {
      // root writes anyway: a read-only directory is simulated by a cache path under a file.
      const root = tempDir('pbxlint-cc-root-');
      fs.writeFileSync(path.join(root, 'mod.js'), "module.exports = 'ok';\n");
      const blocker = path.join(tempDir('pbxlint-cc-'), 'blocker');
      fs.writeFileSync(blocker, '');
      const r = withCache(root, path.join(blocker, 'cache'), `process.stdout.write(require(${JSON.stringify(path.join(root, 'mod.js'))}));`);
      expect(r).toEqual({ stdout: '{"used":false}\nok', stderr: '', status: 0 });
      return;
    }
    const root = tempDir('pbxlint-cc-root-');
    fs.writeFileSync(path.join(root, 'mod.js'), "module.exports = 'ok';\n");
    const cache = path.join(tempDir('pbxlint-cc-'), 'cache');
    fs.mkdirSync(cache, { mode: 0o700 });
    fs.chmodSync(cache, 0o500);
    try {
      const r = withCache(root, cache, `process.stdout.write(require(${JSON.stringify(path.join(root, 'mod.js'))}));`);
      expect(r).toEqual({ stdout: '{"used":true}\nok', stderr: '', status: 0 });
      expect(fs.readdirSync(cache)).toEqual([]);
    } finally {
      fs.chmodSync(cache, 0o700);
    }
  });

  test('pbxlint runs through bin/pbxlint.js give the same output with no cache, a new one and a filled one; concurrent runs leave a whole file', async () => {
    const cache = path.join(tempDir('pbxlint-cc-'), 'cache');
    const lint = (env: Record<string, string>) => spawnSync(process.execPath, [BIN, 'lint', PBX, '--format', 'json'], { encoding: 'utf8', env: { ...process.env, ...env } });
    const plain = lint({ PBXLINT_COMPILE_CACHE: '0' });
    expect(plain.status).toBe(1);
    const first = lint({ PBXLINT_COMPILE_CACHE: cache });
    expect(cacheFiles(cache)).toHaveLength(1);
    const file = path.join(cache, cacheFiles(cache)[0]);
    const written = stamp(file);
    const second = lint({ PBXLINT_COMPILE_CACHE: cache });
    for (const r of [first, second]) expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: plain.status, stdout: plain.stdout, stderr: plain.stderr });
    // Every module of the second run was in the cache: nothing written again.
    expect(stamp(file)).toBe(written);

    // Four runs at once into an empty directory: each gets the same report, and the file left is whole.
    fs.rmSync(cache, { recursive: true, force: true });
    const outputs = await Promise.all(
      [0, 1, 2, 3].map(
        () =>
          new Promise<string>((resolve) => {
            const child = spawn(process.execPath, [BIN, 'lint', PBX, '--format', 'json'], { env: { ...process.env, PBXLINT_COMPILE_CACHE: cache } });
            let out = '';
            child.stdout.on('data', (d) => (out += d));
            child.on('close', () => resolve(out));
          }),
      ),
    );
    for (const out of outputs) expect(out).toBe(plain.stdout);
    expect(fs.readdirSync(cache)).toEqual(cacheFiles(cache));
    expect(readCacheFile(path.join(cache, cacheFiles(cache)[0])).size).toBeGreaterThan(20);
    expect(lint({ PBXLINT_COMPILE_CACHE: cache }).stdout).toBe(plain.stdout);
  });

  test('lint and coverage in turn each find their bytes (coverage changes a heap flag, which V8 keys its bytes by)', () => {
    const cache = path.join(tempDir('pbxlint-cc-'), 'cache');
    const run = (command: string) => spawnSync(process.execPath, [BIN, command, PBX], { encoding: 'utf8', env: { ...process.env, PBXLINT_COMPILE_CACHE: cache } });
    run('lint');
    run('coverage');
    const file = path.join(cache, cacheFiles(cache)[0]);
    const written = stamp(file);
    const lint = run('lint');
    const coverage = run('coverage');
    expect(stamp(file)).toBe(written);
    const plain = (command: string) => spawnSync(process.execPath, [BIN, command, PBX], { encoding: 'utf8', env: { ...process.env, PBXLINT_COMPILE_CACHE: '0' } });
    expect(lint.stdout).toBe(plain('lint').stdout);
    expect(coverage.stdout).toBe(plain('coverage').stdout);
  });

  test('runs with other V8 flags keep bytes of their own (V8 refuses bytes made under other flags)', () => {
    const cache = path.join(tempDir('pbxlint-cc-'), 'cache');
    const run = (flags: string[]) => spawnSync(process.execPath, [...flags, BIN, 'lint', PBX, '--format', 'json'], { encoding: 'utf8', env: { ...process.env, PBXLINT_COMPILE_CACHE: cache } });
    const plain = run([]);
    const other = run(['--single-threaded-gc']);
    expect(other.stdout).toBe(plain.stdout);
    expect(cacheFiles(cache)).toHaveLength(2);
    const stamps = () => cacheFiles(cache).map((f) => stamp(path.join(cache, f))).sort();
    const before = stamps();
    expect(run(['--single-threaded-gc']).stdout).toBe(plain.stdout);
    expect(run([]).stdout).toBe(plain.stdout);
    expect(stamps()).toEqual(before);
  });

  test('the default directory is in the temp dir, per user', () => {
    expect(compileCacheDir({})).toBe(path.join(require('os').tmpdir(), `pbxlint-compile-cache-${process.getuid?.() ?? require('os').userInfo().username}`));
    expect(compileCacheDir({ PBXLINT_COMPILE_CACHE: 'off' })).toBeUndefined();
    expect(compileCacheDir({ PBXLINT_COMPILE_CACHE: 'rel/dir' })).toBe(path.resolve('rel/dir'));
  });
});
