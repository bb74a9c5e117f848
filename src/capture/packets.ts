/**
 * From frames to SIP messages: link layer (Ethernet with 802.1Q/QinQ tags, Linux cooked v1/v2,
 * BSD loopback/null, raw IP), IPv4 and IPv6 (extension headers skipped; fragments reassembled),
 * UDP (one datagram, one message: RFC 3261 §18.3) and TCP (each direction's byte stream rebuilt
 * in sequence order, then cut into messages by Content-Length: RFC 3261 §18.3, several messages
 * per segment and messages split across segments).
 * Link-type numbers: tcpdump.org link-layer header types (LINKTYPE_*).
 */
import type { Frame } from './pcap';
import { isStartLine } from './sip';
import type { CaptureDiagnostic, CapturedMessage, Endpoint } from './types';

const LINKTYPE_NULL = 0;
const LINKTYPE_ETHERNET = 1;
const LINKTYPE_RAW_OLD = 12; // DLT_RAW on OpenBSD-era files
const LINKTYPE_RAW_BSD = 14;
const LINKTYPE_RAW = 101;
const LINKTYPE_LOOP = 108;
const LINKTYPE_LINUX_SLL = 113;
const LINKTYPE_IPV4 = 228;
const LINKTYPE_IPV6 = 229;
const LINKTYPE_LINUX_SLL2 = 276;

const ETH_IPV4 = 0x0800;
const ETH_IPV6 = 0x86dd;
const ETH_VLAN = [0x8100, 0x88a8, 0x9100];

/** The IP packet inside a frame, or why there is none. */
function ipPayload(f: Frame): { ip: Buffer } | { skip: string } | null {
  const d = f.data;
  const byEtherType = (type: number, at: number) => (type === ETH_IPV4 || type === ETH_IPV6 ? { ip: d.subarray(at) } : null);
  switch (f.linkType) {
    case LINKTYPE_ETHERNET: {
      if (d.length < 14) return { skip: 'Ethernet header truncated' };
      let at = 12;
      let type = d.readUInt16BE(at);
      while (ETH_VLAN.includes(type) && at + 6 <= d.length) {
        at += 4;
        type = d.readUInt16BE(at);
      }
      return byEtherType(type, at + 2);
    }
    case LINKTYPE_LINUX_SLL:
      // packet(7) cooked header v1: 16 bytes, protocol (EtherType) at 14.
      if (d.length < 16) return { skip: 'Linux cooked (SLL) header truncated' };
      return byEtherType(d.readUInt16BE(14), 16);
    case LINKTYPE_LINUX_SLL2:
      // Cooked v2: 20 bytes, protocol first.
      if (d.length < 20) return { skip: 'Linux cooked v2 (SLL2) header truncated' };
      return byEtherType(d.readUInt16BE(0), 20);
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP: {
      // A 4-byte address family: host byte order of the capturing machine for NULL, network
      // order for LOOP. AF_INET is 2 everywhere; AF_INET6 is 10 (Linux), 24, 28 or 30 (BSDs, macOS).
      if (d.length < 4) return { skip: 'loopback header truncated' };
      const fam = f.linkType === LINKTYPE_LOOP ? d.readUInt32BE(0) : d.readUInt32LE(0) < 256 ? d.readUInt32LE(0) : d.readUInt32BE(0);
      if (fam === 2 || [10, 24, 28, 30].includes(fam)) return { ip: d.subarray(4) };
      return null;
    }
    case LINKTYPE_RAW:
    case LINKTYPE_RAW_OLD:
    case LINKTYPE_RAW_BSD:
    case LINKTYPE_IPV4:
    case LINKTYPE_IPV6:
      return { ip: d };
    default:
      return { skip: `link type ${f.linkType} is not read (Ethernet, Linux cooked v1/v2, loopback/null and raw IP are)` };
  }
}

interface Transport {
  proto: number;
  src: string;
  dst: string;
  payload: Buffer;
}

interface FragmentSet {
  pieces: { offset: number; data: Buffer }[];
  total?: number;
  proto: number;
}

function ipv6Text(b: Buffer): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(b.readUInt16BE(i).toString(16));
  // Longest run of zero groups becomes "::" (RFC 5952 §4.2).
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

export class PacketDecoder {
  readonly messages: CapturedMessage[] = [];
  readonly diagnostics: CaptureDiagnostic[] = [];
  private readonly fragments = new Map<string, FragmentSet>();
  private readonly streams = new Map<string, TcpStream>();
  private skippedLinkTypes = new Set<number>();

  add(f: Frame): void {
    try {
      this.addFrame(f);
    } catch (e) {
      // A Buffer read past the end on a malformed packet: the frame is reported, the reading goes on.
      this.diagnostics.push({ frame: f.number, message: `malformed packet: ${(e as Error).message}` });
    }
  }

  private addFrame(f: Frame): void {
    const link = ipPayload(f);
    if (!link) return; // ARP, LLDP … : not IP, nothing to say
    if ('skip' in link) {
      if (link.skip.startsWith('link type')) {
        if (!this.skippedLinkTypes.has(f.linkType)) this.diagnostics.push({ frame: f.number, message: link.skip });
        this.skippedLinkTypes.add(f.linkType);
      } else this.diagnostics.push({ frame: f.number, message: link.skip });
      return;
    }
    const t = this.ip(link.ip, f);
    if (!t) return;
    if (t.proto === 17) this.udp(t, f);
    else if (t.proto === 6) this.tcp(t, f);
  }

  private ip(p: Buffer, f: Frame): Transport | null {
    if (p.length < 1) return null;
    const version = p[0] >> 4;
    if (version === 4) {
      const ihl = (p[0] & 0x0f) * 4;
      if (p.length < 20 || ihl < 20 || p.length < ihl) {
        this.diagnostics.push({ frame: f.number, message: 'IPv4 header truncated' });
        return null;
      }
      const total = Math.min(p.readUInt16BE(2), p.length);
      const id = p.readUInt16BE(4);
      const flagsOffset = p.readUInt16BE(6);
      const more = (flagsOffset & 0x2000) !== 0;
      const offset = (flagsOffset & 0x1fff) * 8;
      const src = `${p[12]}.${p[13]}.${p[14]}.${p[15]}`;
      const dst = `${p[16]}.${p[17]}.${p[18]}.${p[19]}`;
      const proto = p[9];
      const payload = p.subarray(ihl, total);
      if (!more && offset === 0) return { proto, src, dst, payload };
      const whole = this.reassemble(`4|${src}|${dst}|${id}|${proto}`, proto, offset, more, payload);
      return whole ? { proto, src, dst, payload: whole } : null;
    }
    if (version === 6) {
      if (p.length < 40) {
        this.diagnostics.push({ frame: f.number, message: 'IPv6 header truncated' });
        return null;
      }
      const src = ipv6Text(p.subarray(8, 24));
      const dst = ipv6Text(p.subarray(24, 40));
      let next = p[6];
      let at = 40;
      const end = Math.min(p.length, 40 + p.readUInt16BE(4));
      // Extension headers (RFC 8200 §4): hop-by-hop 0, routing 43, destination options 60, fragment 44.
      for (;;) {
        if (next === 0 || next === 43 || next === 60) {
          if (at + 2 > end) return null;
          const following = p[at];
          at += (p[at + 1] + 1) * 8;
          next = following;
          continue;
        }
        if (next === 44) {
          if (at + 8 > end) return null;
          const proto = p[at];
          const offMore = p.readUInt16BE(at + 2);
          const id = p.readUInt32BE(at + 4);
          const whole = this.reassemble(`6|${src}|${dst}|${id}`, proto, offMore & 0xfff8, (offMore & 1) === 1, p.subarray(at + 8, end));
          return whole ? { proto, src, dst, payload: whole } : null;
        }
        break;
      }
      return { proto: next, src, dst, payload: p.subarray(at, end) };
    }
    return null;
  }

  /** IP fragments (RFC 791 §3.2, RFC 8200 §4.5): the payload once every piece up to the last is there. */
  private reassemble(key: string, proto: number, offset: number, more: boolean, data: Buffer): Buffer | null {
    const set = this.fragments.get(key) ?? { pieces: [], proto };
    this.fragments.set(key, set);
    set.pieces.push({ offset, data: Buffer.from(data) });
    if (!more) set.total = offset + data.length;
    if (set.total === undefined) return null;
    const out = Buffer.alloc(set.total);
    const covered = new Uint8Array(set.total);
    for (const piece of set.pieces) {
      piece.data.copy(out, piece.offset);
      covered.fill(1, piece.offset, Math.min(set.total, piece.offset + piece.data.length));
    }
    if (covered.includes(0)) return null;
    this.fragments.delete(key);
    return out;
  }

  private udp(t: Transport, f: Frame): void {
    if (t.payload.length < 8) {
      this.diagnostics.push({ frame: f.number, message: 'UDP header truncated' });
      return;
    }
    const sport = t.payload.readUInt16BE(0);
    const dport = t.payload.readUInt16BE(2);
    const len = t.payload.readUInt16BE(4);
    const data = t.payload.subarray(8, Math.max(8, Math.min(len, t.payload.length)));
    const text = data.toString('latin1');
    if (!looksLikeSip(text)) return; // RTP, DNS, keepalives: not SIP
    if (f.truncated || len > t.payload.length) this.diagnostics.push({ frame: f.number, message: `SIP datagram truncated by the capture (snaplen): ${data.length} of ${len - 8} bytes` });
    this.messages.push({ frame: f.number, time: f.time, transport: 'UDP', src: { ip: t.src, port: sport }, dst: { ip: t.dst, port: dport }, text: utf8(data) });
  }

  private tcp(t: Transport, f: Frame): void {
    const p = t.payload;
    if (p.length < 20) {
      this.diagnostics.push({ frame: f.number, message: 'TCP header truncated' });
      return;
    }
    const sport = p.readUInt16BE(0);
    const dport = p.readUInt16BE(2);
    const seq = p.readUInt32BE(4);
    const dataOffset = (p[12] >> 4) * 4;
    const flags = p[13];
    const key = `${t.src}|${sport}|${t.dst}|${dport}`;
    let s = this.streams.get(key);
    if (!s) {
      s = new TcpStream({ ip: t.src, port: sport }, { ip: t.dst, port: dport });
      this.streams.set(key, s);
    }
    s.segment(seq, (flags & 0x02) !== 0, p.subarray(Math.min(dataOffset, p.length)), f, this);
  }

  /** Ends the reading: streams with bytes still waiting (a gap, a message cut off) are reported. */
  finish(): void {
    for (const s of this.streams.values()) s.finish(this);
    for (const [key] of this.fragments) this.diagnostics.push({ message: `IP fragments never completed (${key.split('|').slice(1, 3).join(' → ')}): that datagram is lost` });
  }
}

/** SIP text starts with a request or status line (RFC 3261 §7.1, §7.2). */
function looksLikeSip(text: string): boolean {
  const eol = text.indexOf('\n');
  const first = (eol >= 0 ? text.slice(0, eol) : text).replace(/\r$/, '');
  return isStartLine(first);
}

function utf8(b: Buffer): string {
  return b.toString('utf8');
}

/**
 * One direction of a TCP connection: bytes in sequence order (retransmitted bytes dropped,
 * out-of-order segments held until the gap fills), then SIP framing by Content-Length.
 */
class TcpStream {
  private next: number | null = null;
  private pending: { seq: number; data: Buffer; frame: Frame }[] = [];
  private buffer: Buffer = Buffer.alloc(0);
  /** The frames whose bytes are in the buffer (the first is where the message began). */
  private bufferStart: Frame | null = null;

  constructor(
    private readonly src: Endpoint,
    private readonly dst: Endpoint,
  ) {}

  segment(seq: number, syn: boolean, data: Buffer, f: Frame, out: PacketDecoder): void {
    if (syn) {
      this.next = (seq + 1) >>> 0;
      return;
    }
    if (data.length === 0) return;
    if (this.next === null) this.next = seq; // the capture began mid-connection
    this.pending.push({ seq, data: Buffer.from(data), frame: f });
    this.drain(out, f);
  }

  /**
   * Appends the segments that continue the stream; `arrival` is the frame that let them in
   * (Wireshark reports a reassembled message there); null after a gap: each segment's own frame.
   */
  private drain(out: PacketDecoder, arrival: Frame | null): void {
    let progressed = true;
    while (progressed && this.pending.length) {
      progressed = false;
      for (let i = 0; i < this.pending.length; i++) {
        const seg = this.pending[i];
        const rel = (seg.seq - this.next!) | 0; // sequence arithmetic (RFC 793 §3.3), wraps at 2^32
        if (rel > 0) continue;
        this.pending.splice(i, 1);
        progressed = true;
        if (-rel < seg.data.length) this.append(seg.data.subarray(-rel), arrival ?? seg.frame, out);
        break;
      }
    }
  }

  private append(data: Buffer, f: Frame, out: PacketDecoder): void {
    this.next = (this.next! + data.length) >>> 0;
    if (this.buffer.length === 0) this.bufferStart = f;
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, data]) : data;
    this.frame(f, out);
  }

  /** Cuts complete messages off the front of the buffer (RFC 3261 §18.3: Content-Length frames them). */
  private frame(f: Frame, out: PacketDecoder): void {
    for (;;) {
      // CRLF keep-alives (RFC 5626 §3.5.1) between messages.
      let skip = 0;
      while (skip < this.buffer.length && (this.buffer[skip] === 0x0d || this.buffer[skip] === 0x0a)) skip++;
      if (skip) this.buffer = this.buffer.subarray(skip);
      if (this.buffer.length === 0) return;
      const headEnd = this.buffer.indexOf('\r\n\r\n');
      if (headEnd < 0) {
        if (this.buffer.length > 65536) this.resync(f, out, 'no end of headers within 64 KiB');
        return;
      }
      const head = this.buffer.subarray(0, headEnd).toString('latin1');
      if (!looksLikeSip(head)) {
        this.resync(f, out, 'bytes that are not a SIP message');
        continue;
      }
      const cl = /^(?:content-length|l)[ \t]*:[ \t]*([0-9]+)/im.exec(head);
      if (!cl) out.diagnostics.push({ frame: f.number, message: 'SIP message over TCP without Content-Length (RFC 3261 §18.3 requires it): taken as having no body' });
      const total = headEnd + 4 + (cl ? Number(cl[1]) : 0);
      if (this.buffer.length < total) return;
      out.messages.push({ frame: f.number, time: f.time, transport: 'TCP', src: this.src, dst: this.dst, text: utf8(this.buffer.subarray(0, total)) });
      this.buffer = this.buffer.subarray(total);
      this.bufferStart = this.buffer.length ? f : null;
    }
  }

  /** Drops bytes up to the next start line, saying so. */
  private resync(f: Frame, out: PacketDecoder, why: string): void {
    const text = this.buffer.toString('latin1');
    const m = /\r\n(?=[A-Za-z]+ \S+ SIP\/2\.0\r\n|SIP\/2\.0 [1-6][0-9]{2} )/.exec(text);
    const cut = m ? m.index + 2 : this.buffer.length;
    out.diagnostics.push({ frame: f.number, message: `TCP ${fmt(this.src)} → ${fmt(this.dst)}: ${cut} bytes skipped (${why})` });
    this.buffer = this.buffer.subarray(cut);
  }

  finish(out: PacketDecoder): void {
    if (this.pending.length) {
      const first = this.pending.reduce((a, b) => (((b.seq - a.seq) | 0) < 0 ? b : a));
      out.diagnostics.push({ frame: first.frame.number, message: `TCP ${fmt(this.src)} → ${fmt(this.dst)}: ${((first.seq - this.next!) | 0) >>> 0} bytes missing before this frame (not captured): the messages after the gap are read from here` });
      this.next = first.seq;
      this.pending.sort((a, b) => (a.seq - b.seq) | 0);
      this.buffer = Buffer.alloc(0);
      this.drain(out, null);
      if (this.pending.length) this.finish(out);
    }
    if (this.buffer.length && /\S/.test(this.buffer.toString('latin1'))) {
      out.diagnostics.push({ frame: this.bufferStart?.number, message: `TCP ${fmt(this.src)} → ${fmt(this.dst)}: the capture ends inside a message (${this.buffer.length} bytes of it)` });
    }
  }
}

function fmt(e: Endpoint): string {
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}
