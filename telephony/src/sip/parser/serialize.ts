/** SipMessage → bytes. Refuses header text that could smuggle a header or a body in (CR, LF). */
import type { SipMessage } from "../message.ts";
import { isToken } from "./grammar.ts";
import { formatNameAddr } from "./name-addr.ts";
import { formatUri } from "./uri.ts";
import { formatVia } from "./via.ts";

/** Thrown when the stack's own caller hands it a header that cannot be written safely. */
export class SipBuildError extends Error {
  override readonly name = "SipBuildError";
}

const UNSAFE = /[\r\n]/;

function line(name: string, value: string): string {
  if (!isToken(name)) throw new SipBuildError(`bad header name: ${JSON.stringify(name)}`);
  if (UNSAFE.test(value)) throw new SipBuildError(`header ${name} holds CR or LF`);
  return `${name}: ${value}\r\n`;
}

export function serializeMessage(msg: SipMessage): Buffer {
  let head: string;
  if (msg.kind === "request") {
    const uri = formatUri(msg.uri);
    if (!isToken(msg.method) || /\s/.test(uri) || UNSAFE.test(uri)) throw new SipBuildError("bad request line");
    head = `${msg.method} ${uri} SIP/2.0\r\n`;
  } else {
    if (!Number.isInteger(msg.status) || msg.status < 100 || msg.status > 699 || UNSAFE.test(msg.reason)) throw new SipBuildError("bad status line");
    head = `SIP/2.0 ${msg.status} ${msg.reason}\r\n`;
  }
  for (const via of msg.via) head += line("Via", formatVia(via));
  head += line("From", formatNameAddr(msg.from));
  head += line("To", formatNameAddr(msg.to));
  head += line("Call-ID", msg.callId);
  head += line("CSeq", `${msg.cseq.seq} ${msg.cseq.method}`);
  for (const h of msg.headers) {
    if (h.name.toLowerCase() === "content-length") continue;
    head += line(h.name, h.value);
  }
  head += `Content-Length: ${msg.body.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, "utf8"), msg.body]);
}
