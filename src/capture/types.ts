/** What every capture reader produces: SIP message texts with where they were seen. */

export interface Endpoint {
  ip: string;
  port: number;
}

export interface CapturedMessage {
  /** pcap/pcapng: the frame number (1-based, as Wireshark counts); for TCP, the frame that completed the message. */
  frame?: number;
  /** Text inputs: the line where the message starts (1-based). */
  line?: number;
  /** Milliseconds since the epoch when the capture says; undefined when it does not. */
  time?: number;
  transport: 'UDP' | 'TCP' | 'unknown';
  /** Addresses when the capture has them (raw pasted SIP has none). */
  src?: Endpoint;
  dst?: Endpoint;
  text: string;
}

/** A problem in the capture itself, at a frame or a line; the reading goes on. */
export interface CaptureDiagnostic {
  frame?: number;
  line?: number;
  message: string;
}

export type CaptureFormat = 'pcap' | 'pcapng' | 'ngrep' | 'sngrep' | 'headed' | 'raw-sip';

export interface Capture {
  format: CaptureFormat;
  messages: CapturedMessage[];
  diagnostics: CaptureDiagnostic[];
}

export function formatEndpoint(e: Endpoint | undefined): string | null {
  if (!e) return null;
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}
