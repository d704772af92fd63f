import { isIP } from "node:net";
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

/**
 * Receives rtpengine's DTMF datagrams on a loopback port. Each call's listeners (the IVR's caller
 * lines) `subscribe` and pick their own call and party; `onDigit` sees every digit.
 */
export class DtmfListener {
  private readonly socket: Socket;
  private readonly listeners = new Set<(digit: DtmfDigit) => void>();
  readonly ready: Promise<number>;

  constructor(port: number, onDigit?: (digit: DtmfDigit) => void, address = "127.0.0.1") {
    if (onDigit) this.listeners.add(onDigit);
    this.socket = createSocket(isIP(address) === 6 ? "udp6" : "udp4");
    this.socket.on("message", (data) => {
      const digit = parseDtmfEvent(data);
      if (digit) for (const listener of [...this.listeners]) listener(digit);
    });
    this.socket.on("error", () => undefined);
    this.ready = new Promise((resolve) => this.socket.bind(port, address, () => resolve(this.socket.address().port)));
  }

  /** Calls `listener` with every digit from now on; the function returned stops it. */
  subscribe(listener: (digit: DtmfDigit) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.ready;
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }
}
