/**
 * Where a captured request enters the configuration: which addresses are the server's (so which
 * requests it received), and per engine the entry point the simulator starts from.
 */
import { isIP } from 'net';
import * as path from 'path';
import type { Endpoint } from '../capture';
import { authUsername, type SipRequest } from '../capture/sip';
import type { AnyModel } from '../model';
import type { AsteriskModel } from '../model/asterisk';
import type { FreeswitchModel, SofiaProfile } from '../model/freeswitch';
import type { KamailioModel } from '../model/kamailio';
import { RouteUsageError } from '../resolvers/types';

/** One address the server listens on; `ip` undefined: any address (a wildcard bind, or a name). */
export interface ServerAddress {
  ip?: string;
  port?: number;
  origin: string;
}

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]', '*', '']);

function hostPort(text: string, origin: string, defaultPort?: number): ServerAddress {
  const t = text.trim().replace(/^(udp|tcp|tls|sctp|ws|wss):/i, '');
  let host = t;
  let port: number | undefined;
  const v6 = /^\[([^\]]*)\](?::([0-9]+))?$/.exec(t);
  if (v6) {
    host = v6[1];
    port = v6[2] ? Number(v6[2]) : undefined;
  } else {
    const m = /^([^:]*)(?::([0-9]+))?$/.exec(t);
    if (m) {
      host = m[1];
      port = m[2] ? Number(m[2]) : undefined;
    } else if (isIP(t) === 6) host = t;
  }
  const ip = WILDCARDS.has(host) || !isIP(host) ? undefined : host;
  return { ip, port: port ?? defaultPort, origin };
}

/**
 * `--server HOST[:PORT]` values: an IP address (IPv6 in brackets when a port follows) or a wildcard
 * (`*`, `0.0.0.0`, `::`) for any address on that port. A name is refused, as is a malformed value
 * or port: a capture holds addresses, pbxlint resolves no names, and a value read as "any address"
 * would silently count every other host's answers as the server's.
 */
export function parseServers(list: string[]): ServerAddress[] {
  return list.map((s) => {
    const t = s.trim();
    const m = /^\[([^\]]*)\](?::([0-9]+))?$/.exec(t) ?? /^([^:]*)(?::([0-9]+))?$/.exec(t) ?? (isIP(t) === 6 ? [t, t] : null);
    const host = m?.[1] ?? '';
    const port = m?.[2] !== undefined ? Number(m[2]) : undefined;
    if (!m || !(isIP(host) || (host !== '' && WILDCARDS.has(host))) || (port !== undefined && (port < 1 || port > 65535))) {
      throw new RouteUsageError(`--server ${JSON.stringify(s)}: give an IP address or * with an optional port (10.0.0.5, 10.0.0.5:5060, [2001:db8::5]:5060, *:5080); names are not resolved`);
    }
    return hostPort(t, '--server');
  });
}

/**
 * The server's own addresses from the configuration: Kamailio's listen/advertise/--myself
 * entries (forward.c check_self's list), Asterisk's pjsip transports (`bind`, res_pjsip
 * config_transport.c; default port 5060) and chan_sip's bindport (5060), FreeSWITCH's sofia
 * profiles (`sip-ip`, `sip-port`; sofia.c defaults the port to 5060).
 */
export function serverAddresses(model: AnyModel, myself: string[]): ServerAddress[] {
  const out: ServerAddress[] = myself.map((m) => hostPort(m, '--myself', 5060));
  if (model.platform === 'kamailio') {
    for (const e of (model as KamailioModel).myself.entries) {
      if (e.origin !== 'listen' && e.origin !== 'command-line' && e.origin !== 'advertise') continue;
      out.push({ ip: isIP(e.host) && !WILDCARDS.has(e.host) ? e.host : undefined, port: e.port ?? 5060, origin: `${e.origin}${e.location ? ` (${path.basename(e.location.file)}:${e.location.line})` : ''}` });
    }
  } else if (model.platform === 'asterisk') {
    const m = model as AsteriskModel;
    for (const t of m.pjsip.transports.values()) {
      const bind = t.options.find((o) => o.name === 'bind');
      if (bind) out.push(hostPort(bind.value, `transport ${t.id} (${path.basename(bind.location.file)}:${bind.location.line})`, 5060));
    }
    if (m.sip.present) out.push({ port: 5060, origin: 'sip.conf' });
  } else if (model.platform === 'freeswitch') {
    for (const p of (model as FreeswitchModel).profiles) {
      const port = profilePort(p);
      const ip = p.params.get('sip-ip')?.value;
      out.push({ ip: ip && isIP(ip) ? ip : undefined, port, origin: `sofia profile ${p.name}` });
    }
  }
  return out;
}

/** sofia.c config_sofia: `sip-port`, default 5060. */
export function profilePort(p: SofiaProfile): number {
  const v = p.params.get('sip-port')?.value;
  return v && /^[0-9]+$/.test(v) ? Number(v) : 5060;
}

export function isServer(e: Endpoint | undefined, servers: ServerAddress[]): boolean {
  if (!e) return false;
  return servers.some((s) => (s.port === undefined || s.port === e.port) && (s.ip === undefined || s.ip === e.ip));
}

export interface EntryChoice {
  endpoint?: string;
  profile?: string;
  /** Words for the reader: how the entry was chosen. */
  how?: string;
  /** Why no entry could be chosen (the request is then not simulated). */
  problem?: string;
}

/**
 * The entry point of a request received on `dst` from `src`:
 *  - Kamailio: request_route, always (receive_msg → run_top_route);
 *  - Asterisk: chan_pjsip identifies the endpoint itself from the source address and the From
 *    user (the resolver models res_pjsip_endpoint_identifier_ip/_user); explain adds what the
 *    capture alone shows: a chan_sip peer whose host= is the source address (chan_sip.c
 *    find_peer by address), and the user of an Authorization header (an endpoint whose auth has
 *    that username, res_pjsip_authenticator_digest);
 *  - FreeSWITCH: the sofia profile listening on the port the request arrived on.
 */
export function chooseEntry(model: AnyModel, req: SipRequest, src: Endpoint | undefined, dst: Endpoint | undefined): EntryChoice {
  if (model.platform === 'asterisk') {
    const m = model as AsteriskModel;
    if (src && m.sip.present && !m.pjsip.present) {
      for (const peer of m.sip.peers.values()) {
        if (peer.host && peer.host.value === src.ip) return { endpoint: peer.name, how: `chan_sip peer ${peer.name}: host=${peer.host.value} (${path.basename(peer.host.location.file)}:${peer.host.location.line})` };
      }
    }
    const user = authUsername(req);
    if (user) {
      for (const ep of m.pjsip.endpoints.values()) {
        for (const a of ep.auth) {
          const auth = m.pjsip.auths.get(a.value);
          if (auth?.options.some((o) => o.name === 'username' && o.value === user)) return { endpoint: ep.id, how: `endpoint ${ep.id} authenticates as ${user} (auth ${auth.id})` };
        }
      }
      if (m.sip.present && m.sip.peers.has(user)) return { endpoint: user, how: `chan_sip peer ${user} (the authenticating user)` };
    }
    return {};
  }
  if (model.platform === 'freeswitch') {
    const fs = model as FreeswitchModel;
    if (fs.profiles.length <= 1) return {};
    const port = dst?.port ?? req.target.port;
    if (port === undefined) return { problem: `the capture does not show the port the request arrived on: name the profile's port with --server HOST:PORT` };
    const hits = fs.profiles.filter((p) => profilePort(p) === port);
    if (hits.length === 0) return { problem: `no sofia profile listens on port ${port} (profiles: ${fs.profiles.map((p) => `${p.name}:${profilePort(p)}`).join(', ')})` };
    const ip = dst?.ip;
    const exact = hits.find((p) => p.params.get('sip-ip')?.value === ip) ?? hits[0];
    return { profile: exact.name, how: `sofia profile ${exact.name} listens on port ${port}` };
  }
  return {};
}
