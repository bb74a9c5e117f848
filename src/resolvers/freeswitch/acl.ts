/**
 * ACL checks as switch_core.c switch_check_network_list_ip_port_token does them: a named list
 * (acl.conf.xml, or a built-in *.auto list), or a literal CIDR list. Within a list the most
 * specific matching node decides (switch_utils.c switch_network_list_validate_ip_port_token:
 * `node->bits >= bits`, so a later node of equal length wins); no match → the list's default.
 */
import type { FreeswitchModel } from '../../model/freeswitch';
import { ownEntry } from '../../core/own';

export type AclResult = { ok: boolean; token?: string } | { unknown: string };

function ipv4(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s.trim());
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

function cidr(c: string): { net: number; bits: number } | null {
  const [addr, b] = c.split('/');
  const net = ipv4(addr);
  const bits = b === undefined ? 32 : Number(b);
  if (net === null || !Number.isInteger(bits) || bits < 0 || bits > 32) return null;
  return { net, bits };
}

function inSubnet(ip: number, c: { net: number; bits: number }): boolean {
  if (c.bits === 0) return true;
  const mask = (0xffffffff << (32 - c.bits)) >>> 0;
  return ((ip & mask) >>> 0) === ((c.net & mask) >>> 0);
}

/** Built-in lists (switch_core.c switch_load_network_lists); nat.auto and localnet.auto depend on the server's own address. */
const BUILTIN: Record<string, { defaultAllow: boolean; nodes: [string, boolean][] }> = {
  'rfc1918.auto': { defaultAllow: false, nodes: [['10.0.0.0/8', true], ['172.16.0.0/12', true], ['192.168.0.0/16', true]] },
  'rfc6598.auto': { defaultAllow: false, nodes: [['100.64.0.0/10', true]] },
  'wan.auto': { defaultAllow: true, nodes: [['0.0.0.0/8', false], ['10.0.0.0/8', false], ['172.16.0.0/12', false], ['192.168.0.0/16', false], ['169.254.0.0/16', false], ['100.64.0.0/10', false]] },
  'wan_v4.auto': { defaultAllow: true, nodes: [['0.0.0.0/8', false], ['10.0.0.0/8', false], ['172.16.0.0/12', false], ['192.168.0.0/16', false], ['169.254.0.0/16', false], ['100.64.0.0/10', false]] },
  'wan_v6.auto': { defaultAllow: true, nodes: [['0.0.0.0/0', false]] },
  'any_v4.auto': { defaultAllow: true, nodes: [] },
  'any_v6.auto': { defaultAllow: true, nodes: [['0.0.0.0/0', false]] },
  'loopback.auto': { defaultAllow: false, nodes: [['127.0.0.0/8', true]] },
};

export function checkAcl(model: FreeswitchModel, listName: string, ipText: string): AclResult {
  const ip = ipv4(ipText);
  if (ip === null) return { unknown: `ACL "${listName}" for ${ipText} (only IPv4 addresses are checked)` };
  const list = model.acls.get(listName);
  const builtin = ownEntry(BUILTIN, listName);
  if (list || builtin) {
    const nodes = list ? list.nodes.map((n) => ({ c: cidr(n.cidr), allow: n.allow, token: n.token })) : builtin!.nodes.map(([c, allow]) => ({ c: cidr(c), allow, token: undefined as string | undefined }));
    let ok = list ? list.defaultAllow : builtin!.defaultAllow;
    let token: string | undefined;
    let bits = 0;
    for (const n of nodes) {
      if (!n.c) continue;
      if (n.c.bits >= bits && inSubnet(ip, n.c)) {
        ok = n.allow;
        bits = n.c.bits;
        token = n.token;
      }
    }
    return { ok, token };
  }
  if (listName === 'nat.auto' || listName === 'localnet.auto') return { unknown: `ACL "${listName}" depends on the server's own network` };
  if (listName.includes('/')) return { ok: listName.split(',').some((c) => { const p = cidr(c); return p !== null && inSubnet(ip, p); }) };
  return { ok: false }; // an unknown list name matches nothing
}

/** Whether some address could pass the list: a default of allow, or an allow node (vanilla's "domains" list, with no user cidr=, passes nobody). */
export function aclCanAllow(model: FreeswitchModel, listName: string): boolean {
  const list = model.acls.get(listName);
  if (list) return list.defaultAllow || list.nodes.some((n) => n.allow);
  const builtin = ownEntry(BUILTIN, listName);
  if (builtin) return builtin.defaultAllow || builtin.nodes.some(([, allow]) => allow);
  return listName.includes('/') || listName === 'nat.auto' || listName === 'localnet.auto';
}
