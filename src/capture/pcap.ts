/**
 * pcap and pcapng file readers: the frames (link type, time, bytes) of a capture file.
 *
 * Written here rather than taken from npm: the registry's `pcap` binds libpcap (a native build),
 * and `pcap-parser` (0.2.1, unmaintained) reads classic pcap only, as a stream, with no pcapng
 * blocks. Both formats are small and fully specified:
 *  - pcap: the libpcap file format (pcap-savefile(5); draft-ietf-opsawg-pcap): 24-byte header
 *    with magic 0xa1b2c3d4 (microseconds) or 0xa1b23c4d (nanoseconds), in either byte order, then
 *    16-byte record headers.
 *  - pcapng: draft-ietf-opsawg-pcapng: Section Header (0x0A0D0D0A, byte-order magic 0x1A2B3C4D),
 *    Interface Description (1; option if_tsresol 9), Enhanced Packet (6), Simple Packet (3),
 *    obsolete Packet (2); other blocks are skipped by their length.
 * A truncated or malformed file gives a diagnostic with the frame number and the frames read so
 * far; it never throws.
 */
import type { CaptureDiagnostic } from './types';

export interface Frame {
  /** 1-based, counting every packet record/block in file order (Wireshark's frame number). */
  number: number;
  linkType: number;
  /** Milliseconds since the epoch. */
  time: number;
  data: Buffer;
  /** The packet was longer on the wire than captured (snaplen). */
  truncated: boolean;
}

export interface FrameFile {
  format: 'pcap' | 'pcapng';
  frames: Frame[];
  diagnostics: CaptureDiagnostic[];
}

const PCAPNG_SHB = 0x0a0d0d0a;

export function sniffCaptureFile(buf: Buffer): 'pcap' | 'pcapng' | null {
  if (buf.length < 4) return null;
  const be = buf.readUInt32BE(0);
  if (be === PCAPNG_SHB) return 'pcapng';
  if (be === 0xa1b2c3d4 || be === 0xd4c3b2a1 || be === 0xa1b23c4d || be === 0x4d3cb2a1) return 'pcap';
  return null;
}

export function readFrames(buf: Buffer): FrameFile {
  return sniffCaptureFile(buf) === 'pcapng' ? readPcapng(buf) : readPcap(buf);
}

function readPcap(buf: Buffer): FrameFile {
  const diagnostics: CaptureDiagnostic[] = [];
  const frames: Frame[] = [];
  if (buf.length < 24) return { format: 'pcap', frames, diagnostics: [{ frame: 0, message: `pcap file header truncated (${buf.length} of 24 bytes)` }] };
  const magicBE = buf.readUInt32BE(0);
  const le = magicBE === 0xd4c3b2a1 || magicBE === 0x4d3cb2a1;
  const nano = magicBE === 0xa1b23c4d || magicBE === 0x4d3cb2a1;
  const u32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  // The link-layer header type is the low 16 bits; the upper bits may carry FCS length (pcap-savefile).
  const linkType = u32(20) & 0xffff;
  let off = 24;
  let n = 0;
  while (off < buf.length) {
    n++;
    if (off + 16 > buf.length) {
      diagnostics.push({ frame: n, message: `record header truncated (${buf.length - off} of 16 bytes): the capture ends mid-frame` });
      break;
    }
    const sec = u32(off);
    const frac = u32(off + 4);
    const incl = u32(off + 8);
    const orig = u32(off + 12);
    if (incl > 262144 * 4) {
      diagnostics.push({ frame: n, message: `record claims ${incl} captured bytes, more than any snaplen: the file is corrupt from here` });
      break;
    }
    if (off + 16 + incl > buf.length) {
      diagnostics.push({ frame: n, message: `frame truncated (${buf.length - off - 16} of ${incl} bytes): the capture ends mid-frame` });
      break;
    }
    frames.push({ number: n, linkType, time: sec * 1000 + (nano ? frac / 1e6 : frac / 1e3), data: buf.subarray(off + 16, off + 16 + incl), truncated: incl < orig });
    off += 16 + incl;
  }
  return { format: 'pcap', frames, diagnostics };
}

interface NgInterface {
  linkType: number;
  /** Timestamp units per second. */
  unitsPerSecond: number;
}

function readPcapng(buf: Buffer): FrameFile {
  const diagnostics: CaptureDiagnostic[] = [];
  const frames: Frame[] = [];
  let le = true;
  let interfaces: NgInterface[] = [];
  let off = 0;
  let n = 0;
  const u32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const u16 = (o: number) => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
  while (off < buf.length) {
    if (off + 12 > buf.length) {
      diagnostics.push({ frame: n + 1, message: `block header truncated at byte ${off}: the capture ends mid-block` });
      break;
    }
    const typeBE = buf.readUInt32BE(off);
    if (typeBE === PCAPNG_SHB) {
      // The byte-order magic decides the order of this section (and of the SHB's own length).
      const bom = buf.readUInt32BE(off + 8);
      if (bom === 0x1a2b3c4d) le = false;
      else if (bom === 0x4d3c2b1a) le = true;
      else {
        diagnostics.push({ frame: n + 1, message: `section header at byte ${off} has no valid byte-order magic: not a pcapng section` });
        break;
      }
      interfaces = [];
    }
    const type = u32(off);
    const len = u32(off + 4);
    if (len < 12 || len % 4 !== 0) {
      diagnostics.push({ frame: n + 1, message: `block at byte ${off} has an invalid length ${len}: the file is corrupt from here` });
      break;
    }
    if (off + len > buf.length) {
      const isPacket = type === 6 || type === 3 || type === 2;
      diagnostics.push({ frame: isPacket ? n + 1 : n, message: `${isPacket ? 'frame' : `block type ${type}`} truncated (${buf.length - off} of ${len} bytes): the capture ends mid-block` });
      break;
    }
    const body = off + 8;
    const bodyEnd = off + len - 4;
    try {
      if (type === 1) {
        interfaces.push({ linkType: u16(body), unitsPerSecond: tsResolution(buf, body + 8, bodyEnd, le) });
      } else if (type === 6 || type === 2) {
        n++;
        const ifId = type === 6 ? u32(body) : u16(body);
        const tsHigh = u32(body + 4);
        const tsLow = u32(body + 8);
        const capLen = u32(body + 12);
        const origLen = u32(body + 16);
        const dataStart = body + 20;
        const iface = interfaces[ifId];
        if (!iface) diagnostics.push({ frame: n, message: `packet names interface ${ifId}, which no Interface Description Block defined: skipped` });
        else if (dataStart + capLen > bodyEnd) diagnostics.push({ frame: n, message: `packet block claims ${capLen} captured bytes, more than the block holds: skipped` });
        else {
          const ts = tsHigh * 4294967296 + tsLow;
          frames.push({ number: n, linkType: iface.linkType, time: (ts / iface.unitsPerSecond) * 1000, data: buf.subarray(dataStart, dataStart + capLen), truncated: capLen < origLen });
        }
      } else if (type === 3) {
        n++;
        const origLen = u32(body);
        const iface = interfaces[0];
        const capLen = Math.min(origLen, bodyEnd - (body + 4));
        if (!iface) diagnostics.push({ frame: n, message: 'simple packet block without an Interface Description Block: skipped' });
        else frames.push({ number: n, linkType: iface.linkType, time: NaN, data: buf.subarray(body + 4, body + 4 + capLen), truncated: capLen < origLen });
      }
    } catch {
      diagnostics.push({ frame: n, message: `block type ${type} at byte ${off} is malformed: skipped` });
    }
    off += len;
  }
  return { format: 'pcapng', frames, diagnostics };
}

/** if_tsresol (option 9): 2^-n seconds when the top bit is set, else 10^-n; default 10^-6. */
function tsResolution(buf: Buffer, start: number, end: number, le: boolean): number {
  let o = start;
  while (o + 4 <= end) {
    const code = le ? buf.readUInt16LE(o) : buf.readUInt16BE(o);
    const len = le ? buf.readUInt16LE(o + 2) : buf.readUInt16BE(o + 2);
    if (code === 0) break;
    if (code === 9 && len >= 1 && o + 5 <= end) {
      const v = buf[o + 4];
      return v & 0x80 ? 2 ** (v & 0x7f) : 10 ** v;
    }
    o += 4 + Math.ceil(len / 4) * 4;
  }
  return 1e6;
}
