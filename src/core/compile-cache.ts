/**
 * A V8 code cache for the `pbxlint` command's own JavaScript (never used by the library: it
 * replaces how this process compiles modules).
 *
 * A cold `pbxlint lint` compiles ~80 modules (~0.9 MB of JavaScript) before it reads a line of
 * configuration, and compiles each function again when first called (V8 compiles lazily). Node 22
 * has `module.enableCompileCache()` for this; when it exists, it is what runs here. Node 20 has
 * only the parts: `vm.Script` accepts the bytes of an earlier compilation (`cachedData`), and
 * `script.createCachedData()` taken after the run holds every function compiled so far, lazily
 * compiled ones included. So: modules under this package's directory are compiled through
 * `vm.Script` with the bytes cached for them, and when one had none (or V8 refused them), the
 * cache is written again as the process exits.
 *
 * The cache must never change a result nor break a run:
 * - it lives outside the user's tree: a directory of this user's in os.tmpdir() (or the one
 *   PBXLINT_COMPILE_CACHE names; `PBXLINT_COMPILE_CACHE=0` turns it off), mode 0700, used only
 *   when it is a real directory owned by this user and writable by nobody else (V8 runs what it
 *   finds there as code);
 * - each module's bytes are used only for the same source text (a SHA-1 of it: V8 itself checks
 *   only the source's length, and its version and flags), and the file carries a SHA-1 of each
 *   module's bytes (V8 checks none in release builds), so damaged bytes are never given to V8;
 * - a module's bytes are read when it loads, and not kept: the cache costs no memory for the
 *   modules of other commands, nor for the run once loaded (V8's code it made does stay; with it
 *   the many-findings bench's peak RSS was ~2 MB higher, through V8's heap sizing);
 * - it is written to a file of this process's and renamed into place: concurrent runs each
 *   leave a whole file, the last one wins; any failure (read-only or full file system, no
 *   permission) leaves the run as it was, without a message;
 * - modules that use `import()` are left to Node (a `vm.Script` has no loader for it), and so is
 *   everything when a debugger or source maps are asked for (Node's own compile does more then).
 *
 * One file per installation of pbxlint, Node version, V8 version, architecture and Node options:
 * a file named after a hash of those. V8 refuses bytes made under other flags, and the CLI changes a heap flag
 * (heap.ts): it sets it before this is installed, and `pbxlint coverage` changes it again once some
 * modules are loaded. So each module's bytes are kept per value of that flag, made under the value
 * the module was compiled with (those of the modules compiled before a change are made just before
 * it), and only a module that had none is given new ones.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import Module = require('module');
import * as os from 'os';
import * as path from 'path';
import * as vm from 'vm';
import { beforeHeapFlagsChange, heapFlags } from './heap';

/** What the file begins with: a change of layout changes it. */
const MAGIC = 'pbxlint-code-cache-2\n';

interface Entry {
  /** SHA-1 of the module's source text. */
  hash: string;
  data: Buffer;
}

interface CompiledModule {
  /** The file and the heap flags it was compiled under (cacheKey). */
  key: string;
  hash: string;
  /** The compiled script of a module V8 had no bytes for (or refused them); none when it took them. */
  script?: vm.Script;
  /** The bytes made for it (under the flags it was compiled with). */
  made?: Buffer;
}

/** An entry's key: the module's file and the heap flags (heap.ts) it was compiled under. */
function cacheKey(file: string, flags: string): string {
  return `${flags}\0${file}`;
}

function fileOfKey(key: string): string {
  return key.slice(key.indexOf('\0') + 1);
}

/** Node's CommonJS internals this uses (present in every Node since 12, not in its types). */
interface ModuleInternals {
  _compile(content: string, filename: string): unknown;
  require(id: string): unknown;
  exports: unknown;
}
interface ModuleStatics {
  wrap(script: string): string;
  _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
  _resolveLookupPaths(request: string, parent: unknown): string[] | null;
  _extensions: unknown;
  _cache: unknown;
  enableCompileCache?: (dir?: string) => unknown;
}

export interface CompileCacheOptions {
  /** The files whose compilation is cached: those under this directory (default: this package). */
  root?: string;
  /** The environment read for PBXLINT_COMPILE_CACHE (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

/** The cache directory to use, or undefined for none. */
export function compileCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const chosen = env.PBXLINT_COMPILE_CACHE;
  if (chosen === '0' || chosen === 'false' || chosen === 'off') return undefined;
  if (chosen) return path.resolve(chosen);
  const user = typeof process.getuid === 'function' ? String(process.getuid()) : os.userInfo().username.replace(/[^A-Za-z0-9_-]/g, '_');
  return path.join(os.tmpdir(), `pbxlint-compile-cache-${user}`);
}

/** Makes the directory (0700) if it is missing; true when it is this user's and nobody else can write it. */
function privateDirectory(dir: string): boolean {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.lstatSync(dir);
    if (!st.isDirectory()) return false;
    if (typeof process.getuid === 'function' && st.uid !== process.getuid()) return false;
    return process.platform === 'win32' || (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/** One module's bytes in a cache file: where they are, and their SHA-1 (checked when read). */
interface Stored {
  /** SHA-1 of the module's source text. */
  hash: string;
  at: number;
  length: number;
  sum: string;
}

/**
 * A cache file open for reading: its table is read at once, each module's bytes only when that
 * module loads (a lint reads no bytes of coverage's modules, and keeps none once compiled), from
 * the file as it was opened (a concurrent run renaming a new one into place does not change it).
 */
export class CacheFile {
  private constructor(
    private readonly fd: number,
    readonly stored: Map<string, Stored>,
  ) {}

  /** The file's table; undefined when it is missing, damaged or of another layout. */
  static open(file: string): CacheFile | undefined {
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch {
      return undefined;
    }
    try {
      const size = fs.fstatSync(fd).size;
      const magic = Buffer.byteLength(MAGIC);
      const head = Buffer.alloc(magic + 4);
      if (size < head.length || fs.readSync(fd, head, 0, head.length, 0) !== head.length || head.toString('latin1', 0, magic) !== MAGIC) throw new Error('not a cache');
      const headerLength = head.readUInt32LE(magic);
      const dataStart = head.length + headerLength;
      if (dataStart > size) throw new Error('truncated');
      const headerBytes = Buffer.alloc(headerLength);
      if (fs.readSync(fd, headerBytes, 0, headerLength, head.length) !== headerLength) throw new Error('truncated');
      const header = JSON.parse(headerBytes.toString('utf8')) as unknown;
      if (!Array.isArray(header)) throw new Error('not a table');
      const stored = new Map<string, Stored>();
      let at = dataStart;
      for (const row of header as unknown[]) {
        if (!Array.isArray(row)) throw new Error('not a row');
        const [key, hash, length, sum] = row as unknown[];
        if (typeof key !== 'string' || typeof hash !== 'string' || typeof sum !== 'string' || typeof length !== 'number' || !Number.isInteger(length) || length < 0) throw new Error('not a row');
        stored.set(key, { hash, at, length, sum });
        at += length;
      }
      if (at !== size) throw new Error('truncated');
      return new CacheFile(fd, stored);
    } catch {
      fs.closeSync(fd);
      return undefined;
    }
  }

  /** The bytes of `key` when they are there for this source and undamaged. */
  read(key: string, hash?: string): Buffer | undefined {
    const s = this.stored.get(key);
    if (s === undefined || (hash !== undefined && s.hash !== hash)) return undefined;
    try {
      const bytes = Buffer.allocUnsafe(s.length);
      if (fs.readSync(this.fd, bytes, 0, s.length, s.at) !== s.length) return undefined;
      return crypto.createHash('sha1').update(bytes).digest('hex') === s.sum ? bytes : undefined;
    } catch {
      return undefined;
    }
  }

  close(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      // closed already
    }
  }
}

/** Every undamaged entry of a cache file (empty when it is missing or of another layout). */
export function readCacheFile(file: string): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  const cache = CacheFile.open(file);
  if (cache === undefined) return entries;
  for (const [key, s] of cache.stored) {
    const data = cache.read(key);
    if (data !== undefined) entries.set(key, { hash: s.hash, data });
  }
  cache.close();
  return entries;
}

/** Writes the entries to `file` through a file of this process's, renamed into place. */
export function writeCacheFile(file: string, entries: Map<string, Entry>): void {
  const header: [string, string, number, string][] = [];
  const parts: Buffer[] = [];
  for (const [key, e] of entries) {
    header.push([key, e.hash, e.data.length, crypto.createHash('sha1').update(e.data).digest('hex')]);
    parts.push(e.data);
  }
  const headerBytes = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temp, Buffer.concat([Buffer.from(MAGIC, 'latin1'), length, headerBytes, ...parts]), { mode: 0o600 });
    fs.renameSync(temp, file);
  } catch {
    try {
      fs.unlinkSync(temp);
    } catch {
      // nothing was written
    }
  }
}

function sha1(text: string): string {
  return crypto.createHash('sha1').update(text).digest('hex');
}

/** Whether this process was started with options Node's own compile serves and vm.Script does not. */
function nodeCompilesItself(): boolean {
  const options = process.execArgv.join(' ') + ' ' + (process.env.NODE_OPTIONS ?? '');
  return /--inspect|--debug|--enable-source-maps|--experimental-policy|--experimental-permission/.test(options);
}

let installed = false;
/** The process's main module, which a module's require.main names. */
const mainModule = require.main;

/**
 * Compiles this package's modules with a V8 code cache from now on (see above). Returns the cache
 * file used, or undefined when there is none (turned off, no usable directory, already installed).
 */
export function useCompileCache(options: CompileCacheOptions = {}): string | undefined {
  if (installed) return undefined;
  const dir = compileCacheDir(options.env);
  if (dir === undefined || nodeCompilesItself()) return undefined;
  if (!privateDirectory(dir)) return undefined;
  const statics = Module as unknown as ModuleStatics;
  if (typeof statics.enableCompileCache === 'function') {
    // Node 22 and later: Node's own cache (it writes its directory as it sees fit).
    installed = true;
    try {
      statics.enableCompileCache(dir);
    } catch {
      return undefined;
    }
    return dir;
  }
  const root = (options.root ?? path.resolve(__dirname, '..', '..', '..')) + path.sep;
  // Node's options and NODE_OPTIONS too: V8 refuses bytes made under other V8 flags
  // (`node --max-old-space-size=… pbxlint`), and one file for both would be refused and written
  // again on every run of each.
  const key = sha1([root, process.version, process.versions.v8, process.arch, MAGIC, process.execArgv.join(' '), process.env.NODE_OPTIONS ?? ''].join('\0')).slice(0, 20);
  const file = path.join(dir, `${key}.bin`);
  const cached = CacheFile.open(file);
  const compiled: CompiledModule[] = [];
  let missed = 0;
  let flags = heapFlags();
  // Bytes for the modules that had none, made under the flags they were compiled with.
  const makeMissing = (): void => {
    for (const m of compiled) {
      if (m.script === undefined || m.made !== undefined) continue;
      try {
        m.made = m.script.createCachedData();
      } catch {
        // this one is compiled again next time
      }
    }
  };
  beforeHeapFlagsChange((next) => {
    makeMissing();
    flags = next;
  });

  const proto = Module.prototype as unknown as ModuleInternals;
  const nodeCompile = proto._compile;
  const compileCached = (mod: ModuleInternals, content: string, filename: string): unknown => {
    const hash = sha1(content);
    const key = cacheKey(filename, flags);
    const bytes = cached?.read(key, hash);
    const script = new vm.Script(statics.wrap(content), { filename, cachedData: bytes });
    const hit = bytes !== undefined && script.cachedDataRejected !== true;
    if (!hit) missed++;
    compiled.push({ key, hash, script: hit ? undefined : script });
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    // The require a module gets from Node (lib/internal/modules/helpers.js makeRequireFunction).
    const require = ((id: string) => mod.require(id)) as NodeJS.Require;
    const resolve = ((request: string, opts?: { paths?: string[] }) => statics._resolveFilename(request, mod, false, opts)) as NodeJS.RequireResolve;
    resolve.paths = (request: string) => statics._resolveLookupPaths(request, mod);
    require.resolve = resolve;
    require.main = mainModule;
    require.extensions = statics._extensions as NodeJS.Require['extensions'];
    require.cache = statics._cache as NodeJS.Require['cache'];
    return wrapper.call(mod.exports, mod.exports, require, mod, filename, path.dirname(filename));
  };
  proto._compile = function compile(this: ModuleInternals, content: string, filename: string): unknown {
    if (!filename.startsWith(root) || content.includes('import(')) return nodeCompile.call(this, content, filename);
    return compileCached(this, content, filename);
  };
  installed = true;

  process.once('exit', () => {
    if (missed > 0) {
      makeMissing();
      const entries = new Map<string, Entry>();
      for (const m of compiled) if (m.made !== undefined) entries.set(m.key, { hash: m.hash, data: m.made });
      // The others stay (checked against their source when next loaded), unless their file is gone.
      if (cached !== undefined) {
        for (const [key, s] of cached.stored) {
          if (entries.has(key) || !fs.existsSync(fileOfKey(key))) continue;
          const data = cached.read(key);
          if (data !== undefined) entries.set(key, { hash: s.hash, data });
        }
      }
      writeCacheFile(file, entries);
    }
    cached?.close();
  });
  return file;
}
