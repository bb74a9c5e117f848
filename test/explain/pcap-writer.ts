/** Writes small pcap files for the decoder tests: link types, IPv6, fragments and TCP segments built by hand. */

export function pcapFile(linkType: number, frames: Buffer[]): Buffer {
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(262144, 16);
  head.writeUInt32LE(linkType, 20);
  const records = frames.map((f, i) => {
    const r = Buffer.alloc(16);
    r.writeUInt32LE(1_800_000_000 + i, 0);
    r.writeUInt32LE(0, 4);
    r.writeUInt32LE(f.length, 8);
    r.writeUInt32LE(f.length, 12);
    return Buffer.concat([r, f]);
  });
  return Buffer.concat([head, ...records]);
}

/** A big-endian pcapng file: section header, one interface, enhanced packet blocks. */
export function pcapngFileBE(linkType: number, frames: Buffer[]): Buffer {
  const block = (type: number, body: Buffer) => {
    const pad = Buffer.alloc((4 - (body.length % 4)) % 4);
    const len = 12 + body.length + pad.length;
    const h = Buffer.alloc(8);
    h.writeUInt32BE(type, 0);
    h.writeUInt32BE(len, 4);
    const t = Buffer.alloc(4);
    t.writeUInt32BE(len, 0);
    return Buffer.concat([h, body, pad, t]);
  };
  const shb = Buffer.alloc(16);
  shb.writeUInt32BE(0x1a2b3c4d, 0);
  shb.writeUInt16BE(1, 4);
  shb.writeInt32BE(-1, 8);
  shb.writeInt32BE(-1, 12);
  const idb = Buffer.alloc(8);
  idb.writeUInt16BE(linkType, 0);
  idb.writeUInt32BE(262144, 4);
  const epbs = frames.map((f) => {
    const b = Buffer.alloc(20);
    b.writeUInt32BE(0, 0);
    b.writeUInt32BE(0, 4);
    b.writeUInt32BE(1000, 8);
    b.writeUInt32BE(f.length, 12);
    b.writeUInt32BE(f.length, 16);
    return block(6, Buffer.concat([b, f]));
  });
  return Buffer.concat([block(0x0a0d0d0a, shb), block(1, idb), ...epbs]);
}

function ipv6Bytes(addr: string): Buffer {
  const [head, tail] = addr.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail ? tail.split(':') : [];
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const b = Buffer.alloc(16);
  groups.forEach((g, i) => b.writeUInt16BE(parseInt(g, 16), i * 2));
  return b;
}

export function udp(sport: number, dport: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(sport, 0);
  h.writeUInt16BE(dport, 2);
  h.writeUInt16BE(8 + payload.length, 4);
  return Buffer.concat([h, payload]);
}

export function tcp(sport: number, dport: number, seq: number, flags: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(sport, 0);
  h.writeUInt16BE(dport, 2);
  h.writeUInt32BE(seq >>> 0, 4);
  h[12] = 5 << 4;
  h[13] = flags;
  return Buffer.concat([h, payload]);
}

export function ipv4(src: string, dst: string, proto: number, payload: Buffer, frag?: { id: number; offset: number; more: boolean }): Buffer {
  const h = Buffer.alloc(20);
  h[0] = 0x45;
  h.writeUInt16BE(20 + payload.length, 2);
  h.writeUInt16BE(frag?.id ?? 0, 4);
  h.writeUInt16BE(((frag?.more ? 1 : 0) << 13) | ((frag?.offset ?? 0) / 8), 6);
  h[8] = 64;
  h[9] = proto;
  src.split('.').forEach((o, i) => (h[12 + i] = Number(o)));
  dst.split('.').forEach((o, i) => (h[16 + i] = Number(o)));
  return Buffer.concat([h, payload]);
}

/** IPv6 with, optionally, a destination-options header and a fragment header before the payload. */
export function ipv6(src: string, dst: string, proto: number, payload: Buffer, opts: { frag?: { id: number; offset: number; more: boolean }; destOpts?: boolean } = {}): Buffer {
  const ext: Buffer[] = [];
  let next = proto;
  if (opts.frag) {
    const f = Buffer.alloc(8);
    f[0] = next;
    f.writeUInt16BE(opts.frag.offset | (opts.frag.more ? 1 : 0), 2);
    f.writeUInt32BE(opts.frag.id, 4);
    ext.unshift(f);
    next = 44;
  }
  if (opts.destOpts) {
    const d = Buffer.alloc(8);
    d[0] = next;
    d[1] = 0;
    d[2] = 1; // PadN
    d[3] = 4;
    ext.unshift(d);
    next = 60;
  }
  const h = Buffer.alloc(40);
  h[0] = 0x60;
  const body = Buffer.concat([...ext, payload]);
  h.writeUInt16BE(body.length, 4);
  h[6] = next;
  h[7] = 64;
  ipv6Bytes(src).copy(h, 8);
  ipv6Bytes(dst).copy(h, 24);
  return Buffer.concat([h, body]);
}

/** BSD loopback (LINKTYPE_NULL): the address family in the capturing host's byte order (little-endian here). */
export function nullLink(ipPacket: Buffer, v6: boolean): Buffer {
  const h = Buffer.alloc(4);
  h.writeUInt32LE(v6 ? 30 : 2, 0);
  return Buffer.concat([h, ipPacket]);
}

export function ethernet(ipPacket: Buffer, v6: boolean, vlan?: number): Buffer {
  const h = Buffer.alloc(12);
  const tag = vlan !== undefined ? Buffer.from([0x81, 0x00, 0, vlan]) : Buffer.alloc(0);
  const type = Buffer.alloc(2);
  type.writeUInt16BE(v6 ? 0x86dd : 0x0800, 0);
  return Buffer.concat([h, tag, type, ipPacket]);
}
