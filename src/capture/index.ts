/** Reads a capture (pcap, pcapng or pasted text, told apart by content) into SIP messages. */
import { PacketDecoder } from './packets';
import { readFrames, sniffCaptureFile } from './pcap';
import { looksLikeText, readTextCapture } from './text';
import type { Capture } from './types';

export type { Capture, CapturedMessage, CaptureDiagnostic, CaptureFormat, Endpoint } from './types';
export { formatEndpoint } from './types';

export function readCapture(buf: Buffer): Capture {
  const kind = sniffCaptureFile(buf);
  if (kind) {
    const file = readFrames(buf);
    const decoder = new PacketDecoder();
    for (const f of file.frames) decoder.add(f);
    decoder.finish();
    return { format: file.format, messages: decoder.messages, diagnostics: [...file.diagnostics, ...decoder.diagnostics] };
  }
  if (buf.length === 0) return { format: 'raw-sip', messages: [], diagnostics: [{ message: 'the file is empty' }] };
  // Neither a capture file nor text: there are no frames or lines to point at, so the first NUL byte is the location.
  if (!looksLikeText(buf)) return { format: 'raw-sip', messages: [], diagnostics: [{ message: `neither pcap, pcapng nor text (a NUL byte at offset ${buf.indexOf(0)}, no capture file header): no SIP messages read` }] };
  return readTextCapture(buf.toString('utf8'));
}
