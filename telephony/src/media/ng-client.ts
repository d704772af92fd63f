import { randomBytes } from "node:crypto";
import { createSocket, type Socket } from "node:dgram";
import { decode, encode, type BValue } from "./bencode.ts";

/**
 * A client of rtpengine's NG control protocol: `<cookie> <bencoded dictionary>` over UDP, the
 * answer carrying the same cookie. A request is sent again with the same cookie when no answer
 * comes (rtpengine answers a repeated cookie from its cache, so nothing runs twice) and fails
 * with `MediaServerError` after the last try.
 */
export type NgParams = Record<string, BValue | boolean | undefined>;
export type NgResponse = { result: string; "error-reason"?: string; warning?: string } & Record<string, BValue>;

export class MediaServerError extends Error {
  constructor(
    message: string,
    /** "timeout" when rtpengine did not answer, "refused" when it answered with an error. */
    readonly kind: "timeout" | "refused",
  ) {
    super(message);
  }
}

export interface NgClientOptions {
  host: string;
  port: number;
  /** Milliseconds before a request is sent again (default 500). */
  retryAfterMs?: number;
  /** Tries before giving up (default 4). */
  tries?: number;
}

interface Pending {
  resolve(value: NgResponse): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export class NgClient {
  private readonly socket: Socket;
  private readonly pending = new Map<string, Pending>();
  private readonly ready: Promise<void>;
  private closed = false;

  constructor(private readonly options: NgClientOptions) {
    this.socket = createSocket(options.host.includes(":") ? "udp6" : "udp4");
    this.socket.on("message", (data) => this.receive(data));
    this.socket.on("error", () => undefined);
    this.ready = new Promise((resolve) => this.socket.bind(0, options.host.includes(":") ? "::1" : "127.0.0.1", resolve));
  }

  /** Sends one command and resolves with rtpengine's answer; "error" answers reject. */
  async request(command: string, params: NgParams = {}): Promise<NgResponse> {
    if (this.closed) throw new MediaServerError("the media client is closed", "timeout");
    await this.ready;
    const cookie = randomBytes(8).toString("hex");
    const packet = Buffer.concat([Buffer.from(`${cookie} `), encode({ ...params, command } as BValue)]);
    const tries = this.options.tries ?? 4;
    const wait = this.options.retryAfterMs ?? 500;
    const response = await new Promise<NgResponse>((resolve, reject) => {
      let sent = 0;
      const send = () => {
        if (sent++ >= tries) {
          this.pending.delete(cookie);
          reject(new MediaServerError(`rtpengine did not answer "${command}" in ${tries} tries`, "timeout"));
          return;
        }
        this.socket.send(packet, this.options.port, this.options.host);
        entry.timer = setTimeout(send, wait);
      };
      const entry: Pending = { resolve, reject, timer: setTimeout(() => undefined, 0) };
      this.pending.set(cookie, entry);
      send();
    });
    if (response.result === "error") {
      throw new MediaServerError(`rtpengine refused "${command}": ${response["error-reason"] ?? "no reason given"}`, "refused");
    }
    return response;
  }

  private receive(data: Buffer): void {
    const space = data.indexOf(0x20);
    if (space < 0) return;
    const cookie = data.subarray(0, space).toString("latin1");
    const entry = this.pending.get(cookie);
    if (!entry) return;
    this.pending.delete(cookie);
    clearTimeout(entry.timer);
    try {
      const body = decode(data.subarray(space + 1));
      if (!body || typeof body !== "object" || Array.isArray(body) || typeof body.result !== "string") throw new Error("answer without a result");
      entry.resolve(body as NgResponse);
    } catch (err) {
      entry.reject(new MediaServerError(`unreadable answer from rtpengine: ${(err as Error).message}`, "refused"));
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const [cookie, entry] of this.pending) {
      clearTimeout(entry.timer);
      entry.reject(new MediaServerError("the media client was closed", "timeout"));
      this.pending.delete(cookie);
    }
    await this.ready;
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }
}
