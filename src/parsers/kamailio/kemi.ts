/**
 * KEMI: a cfg with `cfgengine "lua"` (python, jsdt, ruby, sqlang) hands request routing to a script
 * loaded by the engine's module (app_lua, app_python3 …, `modparam("app_lua", "load", "file")`);
 * Kamailio then calls the script's ksr_request_route() for every request (src/core/kemi.c
 * kemi_request_route_callback) instead of the cfg's request_route. Here the script is found and,
 * for Lua, parsed (luaparse) so that the resolver can interpret it.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Chunk } from 'luaparse';
import type { LoadIssue } from '../../core/findings';
import type { SourceLocation } from '../../core/location';
import type { ConfigSource } from '../../model/common';
import type { ParsedConfig } from './parser';

export interface KemiInfo {
  /** The cfgengine name: lua, python, jsdt, ruby, sqlang. */
  engine: string;
  location: SourceLocation;
  /** The module that runs it (app_lua …), when loaded. */
  module?: string;
  /** The script file as found on this machine, when found. */
  script?: string;
  /** The script as the modparam names it. */
  scriptParam?: { value: string; location: SourceLocation };
  /** Lua only: the parsed script. */
  lua?: Chunk;
  /** `KSR.route("NAME")` in the script (any language): it runs the cfg's route[NAME] (core/kemi.c sr_kemi_core_route). */
  routeCalls: { target: string; location: SourceLocation }[];
}

/**
 * The modules that register each KEMI engine name (sr_kemi_eng_register in app_lua_mod.c "lua",
 * app_python3_mod.c and app_python3s_mod.c "python", app_jsdt_mod.c "jsdt", app_ruby_mod.c
 * "ruby", app_sqlang "sqlang"); each takes the script in its `load` parameter.
 */
const ENGINE_MODULES: Record<string, string[]> = {
  lua: ['app_lua'],
  python: ['app_python3', 'app_python3s', 'app_python'],
  python3: ['app_python3', 'app_python3s'],
  jsdt: ['app_jsdt'],
  ruby: ['app_ruby'],
  sqlang: ['app_sqlang'],
};

export const KEMI_LANGUAGE: Record<string, string> = { lua: 'Lua', python: 'Python', python3: 'Python', jsdt: 'JavaScript', ruby: 'Ruby', sqlang: 'Squirrel' };

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

export function locateKemi(mainFile: string, parsed: ParsedConfig, issues: LoadIssue[], sources: ConfigSource[]): KemiInfo | undefined {
  const ce = parsed.cfgengine;
  if (!ce || ce.name === 'native' || ce.name === 'default') return undefined;
  const info: KemiInfo = { engine: ce.name, location: ce.location, routeCalls: [] };
  const candidates = Object.prototype.hasOwnProperty.call(ENGINE_MODULES, ce.name) ? ENGINE_MODULES[ce.name] : [`app_${ce.name}`];
  const loaded = parsed.modules.map((m) => m.name);
  info.module = candidates.find((m) => loaded.includes(m));
  if (!info.module) {
    // main.c: the cfgengine is looked up after modules are loaded; unknown → "config engine not found", start-up fails.
    issues.push({ kind: 'parse-error', severity: 'error', location: ce.location, message: `cfgengine "${ce.name}": no module for it is loaded (loadmodule "${candidates[0]}.so"); Kamailio refuses to start` });
    return info;
  }
  const load = [...parsed.modparams].reverse().find((p) => p.module === info.module && p.param === 'load');
  if (!load || typeof load.value !== 'string') {
    issues.push({ kind: 'not-modelled', severity: 'warning', location: ce.location, message: `cfgengine "${ce.name}": no modparam("${info.module}", "load", …) names the script; its routing is not modelled` });
    return info;
  }
  info.scriptParam = { value: load.value, location: load.location };
  const dir = path.dirname(mainFile);
  // As written (relative to Kamailio's working directory, unknown here: try the cfg's directory),
  // then an installation path absent here (/usr/local/etc/kamailio/x.lua) read from beside the cfg.
  const asWritten = path.isAbsolute(load.value) ? load.value : path.join(dir, load.value);
  const beside = path.join(dir, path.basename(load.value));
  const script = isFile(asWritten) ? asWritten : isFile(beside) ? beside : undefined;
  if (!script) {
    // app_lua_api.c lua_sr_init_child: luaL_dofile fails → "failed to load Lua script", child init fails (likewise the other engines).
    issues.push({ kind: 'include-missing', severity: 'error', location: load.location, message: `modparam("${info.module}", "load", "${load.value}"): no such file (${info.module} cannot load the KEMI script; Kamailio refuses to start)` });
    return info;
  }
  info.script = script;
  sources.push({ file: script, includedFrom: load.location });
  if (script !== asWritten) issues.push({ kind: 'not-modelled', severity: 'info', location: load.location, message: `"${load.value}" is not on this machine: read ${path.basename(script)} beside ${path.basename(mainFile)} instead (installed, Kamailio reads the path as written)` });
  let text: string;
  try {
    text = fs.readFileSync(script, 'utf8');
  } catch (e) {
    issues.push({ kind: 'unreadable', severity: 'error', location: load.location, message: `${script}: ${(e as Error).message}` });
    return info;
  }
  for (const m of text.matchAll(/KSR\.route\(\s*["']([A-Za-z0-9_]+)["']/g)) {
    const before = text.slice(0, m.index);
    const line = before.split('\n').length;
    info.routeCalls.push({ target: m[1], location: { file: script, line, column: m.index - before.lastIndexOf('\n') } });
  }
  if (ce.name === 'lua') {
    try {
      const luaparse = require('luaparse') as typeof import('luaparse');
      info.lua = luaparse.parse(text, { locations: true, comments: false, luaVersion: '5.3', scope: false });
    } catch (e) {
      const err = e as Error & { line?: number; column?: number };
      // luaparse knows Lua up to 5.3: a 5.4 construct is no proof that Lua refuses the script.
      issues.push({ kind: 'not-modelled', severity: 'warning', location: { file: script, line: err.line ?? 1, column: (err.column ?? 0) + 1 }, message: `the Lua script does not parse as Lua 5.3 (${err.message.replace(/^\[\d+:\d+\] /, '')}); its routing is not modelled` });
    }
  }
  return info;
}
