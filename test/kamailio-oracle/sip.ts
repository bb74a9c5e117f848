/**
 * A tiny SIP-over-UDP client for the Kamailio oracle test: it sends one request to Kamailio on
 * 127.0.0.1 and waits for its final response. A second socket plays the "downstream" (a gateway,
 * a registered phone, a voicemail server): it only records which requests Kamailio forwarded to it
 * and never answers, so a relay is observed as "arrived downstream".
 */
import * as dgram from 'dgram';
import { randomBytes } from 'crypto';

export interface SipRequest {
  method: string;
  ruri: string;
  fromUser: string;
  fromDomain: string;
  /** To URI; defaults to the Request-URI (for REGISTER pass the AOR). */
  to?: string;
  contact?: string;
  userAgent?: string;
}

export type Observation = { kind: 'final'; status: number; reason: string } | { kind: 'relayed'; to: string } | { kind: 'none' };

const rand = () => randomBytes(6).toString('hex');

export class Downstream {
  private readonly seen = new Map<string, string>();
  private constructor(
    readonly socket: dgram.Socket,
    readonly port: number,
  ) {
    socket.on('message', (msg) => {
      const text = msg.toString('utf8');
      const first = text.slice(0, text.indexOf('\r\n'));
      if (first.startsWith('SIP/2.0')) return; // a response: not a relayed request
      const callId = /^(?:Call-ID|i)\s*:\s*(.+)$/im.exec(text)?.[1].trim();
      if (callId) this.seen.set(callId, first);
    });
  }
  static async open(): Promise<Downstream> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new Downstream(socket, socket.address().port);
  }
  received(callId: string): string | undefined {
    return this.seen.get(callId);
  }
  close(): void {
    this.socket.close();
  }
}

export class SipClient {
  private readonly waiters = new Map<string, (status: number, reason: string) => void>();
  private constructor(
    readonly socket: dgram.Socket,
    readonly port: number,
  ) {
    socket.on('message', (msg) => {
      const text = msg.toString('utf8');
      const m = /^SIP\/2\.0 ([0-9]{3}) ?([^\r\n]*)/.exec(text);
      if (!m) return; // only responses are read; requests are never answered
      const status = Number(m[1]);
      if (status < 200) return;
      const callId = /^(?:Call-ID|i)\s*:\s*(.+)$/im.exec(text)?.[1].trim();
      if (callId) this.waiters.get(callId)?.(status, m[2]);
    });
  }
  static async open(): Promise<SipClient> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new SipClient(socket, socket.address().port);
  }

  /**
   * Sends `req` to 127.0.0.1:`serverPort` and resolves with the first final response, or with
   * "relayed" as soon as the downstream socket sees the request, or "none" after `timeoutMs`.
   */
  send(req: SipRequest, serverPort: number, downstream: Downstream, timeoutMs: number): Promise<Observation> {
    const callId = `${rand()}@127.0.0.1`;
    const lines = [
      `${req.method} ${req.ruri} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${this.port};branch=z9hG4bK${rand()};rport`,
      'Max-Forwards: 70',
      `From: <sip:${req.fromUser}@${req.fromDomain}>;tag=${rand()}`,
      `To: <${req.to ?? req.ruri}>`,
      `Call-ID: ${callId}`,
      `CSeq: 1 ${req.method}`,
    ];
    if (req.contact) lines.push(`Contact: <${req.contact}>`);
    if (req.method.toUpperCase() === 'REGISTER') lines.push('Expires: 3600');
    if (req.userAgent) lines.push(`User-Agent: ${req.userAgent}`);
    lines.push('Content-Length: 0', '', '');
    const data = Buffer.from(lines.join('\r\n'));
    return new Promise((resolve) => {
      let done = false;
      const finish = (o: Observation) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        clearInterval(poll);
        this.waiters.delete(callId);
        resolve(o);
      };
      this.waiters.set(callId, (status, reason) => finish({ kind: 'final', status, reason }));
      const poll = setInterval(() => {
        const first = downstream.received(callId);
        if (first) finish({ kind: 'relayed', to: first });
      }, 20);
      const timer = setTimeout(() => finish({ kind: 'none' }), timeoutMs);
      this.socket.send(data, serverPort, '127.0.0.1');
    });
  }

  close(): void {
    this.socket.close();
  }
}

/** A free UDP port on 127.0.0.1 (bound, read, released). */
export async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  const p = s.address().port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return p;
}
