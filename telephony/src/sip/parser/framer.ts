/** Cuts a byte stream (TCP, TLS) into SIP messages by Content-Length (RFC 3261 §18.3). */
import { SipParseError } from "./errors.ts";
import { DEFAULT_MAX_BYTES, findHeadEnd } from "./parse-message.ts";

export type Framed =
  /** One whole message, still to be parsed. */
  | { kind: "message"; data: Buffer }
  /** A CRLFCRLF keep-alive (RFC 5626 §4.4.1): answer with one CRLF. */
  | { kind: "ping" }
  /** The stream cannot be framed any more: answer if possible, then close it. `head` is what was read of the message. */
  | { kind: "fatal"; error: SipParseError; head: Buffer };

const CONTENT_LENGTH = /^(?:content-length|l)[ \t]*:[ \t]*(.*?)[ \t]*\r?$/gim;

export class StreamFramer {
  private buffer: Buffer = Buffer.alloc(0);
  private dead = false;

  constructor(private readonly maxBytes = DEFAULT_MAX_BYTES) {}

  /** Feeds bytes; answers every complete item they finish. After a `fatal` item nothing more comes out. */
  push(chunk: Buffer): Framed[] {
    if (this.dead) return [];
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const out: Framed[] = [];
    for (;;) {
      const item = this.next();
      if (!item) break;
      out.push(item);
      if (item.kind === "fatal") {
        this.dead = true;
        this.buffer = Buffer.alloc(0);
        break;
      }
    }
    return out;
  }

  private next(): Framed | undefined {
    const b = this.buffer;
    if (b.length >= 4 && b[0] === 0x0d && b[1] === 0x0a && b[2] === 0x0d && b[3] === 0x0a) {
      this.buffer = b.subarray(4);
      return { kind: "ping" };
    }
    if (b.length >= 2 && b[0] === 0x0d && b[1] === 0x0a && !(b.length >= 3 && b[2] === 0x0d)) {
      this.buffer = b.subarray(2); // a pong, or a stray CRLF before a start line
      return this.next();
    }
    const end = findHeadEnd(b);
    if (!end) {
      if (b.length > this.maxBytes) return this.fatal("TOO_LARGE", "header block over the size limit", b);
      return undefined;
    }
    const head = b.subarray(0, end.at);
    const values = [...head.toString("latin1").matchAll(CONTENT_LENGTH)].map((m) => m[1] ?? "");
    if (values.length === 0) return this.fatal("CONTENT_LENGTH", "Content-Length is required on a stream transport", head);
    if (values.length > 1) return this.fatal("CONTENT_LENGTH", "more than one Content-Length", head);
    if (!/^\d{1,10}$/.test(values[0] ?? "")) return this.fatal("CONTENT_LENGTH", "bad Content-Length", head);
    const total = end.at + end.length + Number(values[0]);
    if (total > this.maxBytes) return this.fatal("TOO_LARGE", `message of ${total} bytes is over the limit`, head);
    if (b.length < total) return undefined;
    this.buffer = b.subarray(total);
    return { kind: "message", data: b.subarray(0, total) };
  }

  private fatal(reason: "TOO_LARGE" | "CONTENT_LENGTH", message: string, head: Buffer): Framed {
    return { kind: "fatal", error: new SipParseError(reason, message), head: Buffer.from(head.subarray(0, this.maxBytes)) };
  }
}
