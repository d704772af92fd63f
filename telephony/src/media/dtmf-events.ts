import { createSocket, type Socket } from "node:dgram";

/**
 * DTMF digits as rtpengine reports them with `dtmf-log-dest`: one JSON datagram per digit
 * (RFC 2833 events, and in-band tones where it detects them), e.g.
 * `{"callid":"…","source_tag":"…","type":"DTMF","event":4,"duration":80,…}`.
 */
export interface DtmfDigit {
  callId: string;
  /** The tag of the party who pressed the key. */
  sourceTag: string;
  digit: string;
  durationMs: number;
}

const DIGITS = "0123456789*#ABCD";

export function parseDtmfEvent(datagram: Buffer): DtmfDigit | null {
  let event: { callid?: unknown; source_tag?: unknown; event?: unknown; duration?: unknown; type?: unknown };
  try {
    event = JSON.parse(datagram.toString("utf8")) as typeof event;
  } catch {
    return null;
  }
  if (typeof event.callid !== "string" || typeof event.source_tag !== "string" || typeof event.event !== "number") return null;
  if (event.type !== undefined && event.type !== "DTMF") return null;
  const digit = DIGITS[event.event];
  if (!digit) return null;
  return { callId: event.callid, sourceTag: event.source_tag, digit, durationMs: typeof event.duration === "number" ? event.duration : 0 };
}

export class DtmfListener {
  private readonly socket: Socket;
  readonly ready: Promise<number>;

  constructor(port: number, onDigit: (digit: DtmfDigit) => void) {
    this.socket = createSocket("udp4");
    this.socket.on("message", (data) => {
      const digit = parseDtmfEvent(data);
      if (digit) onDigit(digit);
    });
    this.socket.on("error", () => undefined);
    this.ready = new Promise((resolve) => this.socket.bind(port, "127.0.0.1", () => resolve(this.socket.address().port)));
  }

  async close(): Promise<void> {
    await this.ready;
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }
}
