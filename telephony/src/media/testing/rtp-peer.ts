import { createSocket, type Socket } from "node:dgram";

/** A plain RTP endpoint on loopback for tests: sends G.711 µ-law frames, counts what arrives. */
export class RtpPeer {
  readonly received: Buffer[] = [];
  private readonly socket: Socket = createSocket("udp4");
  private seq = 0;
  private waiters: { count: number; resolve: () => void }[] = [];

  static async open(): Promise<RtpPeer> {
    const peer = new RtpPeer();
    await new Promise<void>((resolve) => peer.socket.bind(0, "127.0.0.1", resolve));
    peer.socket.on("message", (m) => {
      peer.received.push(m);
      peer.waiters = peer.waiters.filter((w) => (peer.received.length >= w.count ? (w.resolve(), false) : true));
    });
    return peer;
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** An SDP offer/answer for this endpoint: PCMU, PCMA and telephone-event. */
  sdp(sessionId: string): string {
    return [
      "v=0",
      `o=- ${sessionId} 1 IN IP4 127.0.0.1`,
      "s=-",
      "c=IN IP4 127.0.0.1",
      "t=0 0",
      `m=audio ${this.port} RTP/AVP 0 8 101`,
      "a=rtpmap:0 PCMU/8000",
      "a=rtpmap:8 PCMA/8000",
      "a=rtpmap:101 telephone-event/8000",
      "a=fmtp:101 0-16",
      "a=sendrecv",
      "",
    ].join("\r\n");
  }

  private packet(pt: number, timestamp: number, ssrc: number, payload: Buffer, marker = false): Buffer {
    const header = Buffer.alloc(12);
    header[0] = 0x80;
    header[1] = pt | (marker ? 0x80 : 0);
    header.writeUInt16BE(this.seq++ & 0xffff, 2);
    header.writeUInt32BE(timestamp >>> 0, 4);
    header.writeUInt32BE(ssrc, 8);
    return Buffer.concat([header, payload]);
  }

  /** Sends `frames` 20 ms µ-law frames of a loud square wave to host:port, paced at 20 ms. */
  async talk(port: number, frames: number, ssrc: number): Promise<void> {
    const loud = Buffer.from(Array.from({ length: 160 }, (_, i) => (Math.floor(i / 10) % 2 ? 0x80 : 0x00)));
    for (let i = 0; i < frames; i++) {
      this.socket.send(this.packet(0, i * 160, ssrc, loud), port, "127.0.0.1");
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Presses a key as RFC 2833 telephone-events (payload type 101), ending with three end packets. */
  async press(port: number, digit: number, ssrc: number, timestamp: number): Promise<void> {
    for (let k = 0; k < 6; k++) {
      const event = Buffer.alloc(4);
      event[0] = digit;
      event[1] = (k >= 3 ? 0x80 : 0) | 10;
      event.writeUInt16BE(160 * (Math.min(k, 3) + 1), 2);
      this.socket.send(this.packet(101, timestamp, ssrc, event, k === 0), port, "127.0.0.1");
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Resolves once `count` packets have arrived in total. */
  until(count: number): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  ssrcs(): Set<number> {
    return new Set(this.received.filter((m) => m.length >= 12).map((m) => m.readUInt32BE(8)));
  }

  close(): void {
    this.socket.close();
  }
}

/** A UDP port nothing listens on right now (bound and released). */
export async function freeUdpPort(): Promise<number> {
  const s = createSocket("udp4");
  await new Promise<void>((resolve) => s.bind(0, "127.0.0.1", resolve));
  const { port } = s.address();
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export function sdpPort(sdp: string): number {
  const m = /^m=audio (\d+)/m.exec(sdp);
  if (!m) throw new Error(`no audio port in SDP:\n${sdp}`);
  return Number(m[1]);
}
