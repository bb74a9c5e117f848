/**
 * "myself" as Kamailio decides it (kamailio/kamailio src/core/forward.c check_self:
 * grep_sock_info over listen sockets and their advertised addresses, then grep_aliases over
 * `alias=` and auto aliases, then the functions modules register, i.e. the domain table with
 * `register_myself`). Host names compare case-insensitively; a port of 0 (an alias without one)
 * matches any port.
 */
import type { KamailioModel } from '../../model/kamailio';
import { Unknown } from './values';

/**
 * `port` undefined: the port is not compared (kex is_myself("host") and is_myself on a URI
 * without a port). `uri==myself` passes the URI's port or 5060/5061 (route.c, forward.h GET_URI_PORT).
 */
export function checkSelf(model: KamailioModel, host: string, port: number | undefined, proto?: string, notModelled?: (what: string) => void): boolean | Unknown {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === '') return false;
  for (const e of model.myself.entries) {
    if (e.host !== h) continue;
    if (port !== undefined && e.port !== undefined && e.port !== port) continue;
    if (proto && e.proto && e.proto !== 'any' && e.proto !== proto) continue;
    return true;
  }
  const table = model.myself.domainTable ? model.myself.domainTableEntries : undefined;
  if (table?.includes(h)) return true;
  if (!model.myself.complete) {
    notModelled?.('the server\'s own addresses: the cfg has no fixed listen= address (give --myself HOST:PORT)');
    return new Unknown(`${host}${port !== undefined ? `:${port}` : ''} is one of the server's own addresses`);
  }
  if (model.myself.domainTable && !table) return new Unknown(`${host} is in the domain table (domain module register_myself; database not visible)`);
  return false;
}
