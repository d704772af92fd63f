/** Bytes in from any transport: parse, note where a request came from, or answer what cannot be parsed. */
import type { SipMessage } from "../message.ts";
import { errorResponseFor } from "../parser/error-response.ts";
import { clip } from "../parser/grammar.ts";
import { tryParseMessage } from "../parser/parse-message.ts";
import type { Flow, Receiver, SipLogger } from "./types.ts";

export interface InboundOptions {
  datagram: boolean;
  maxBytes?: number;
  log: SipLogger;
}

/**
 * Parses one message and hands it on. A request that fails to parse is answered with `reply` (400,
 * 505 or 513, RFC 3261 §8.2) and logged; nothing throws, whatever the bytes.
 */
export function receiveBytes(data: Buffer, flow: Flow, options: InboundOptions, receive: Receiver, reply: (data: Buffer) => void): void {
  const parsed = tryParseMessage(data, options.maxBytes === undefined ? { datagram: options.datagram } : { datagram: options.datagram, maxBytes: options.maxBytes });
  if (!(parsed instanceof Error)) {
    if (parsed.kind === "request") markSource(parsed, flow);
    receive(parsed, flow);
    return;
  }
  options.log.warn(
    { transport: flow.transport, remote: `${flow.remote.address}:${flow.remote.port}`, reason: parsed.reason, header: parsed.header, start: clip(data.subarray(0, 60).toString("latin1"), 60) },
    `sip: refused a message: ${parsed.message}`,
  );
  const answer = errorResponseFor(data, parsed);
  if (answer) reply(answer);
}

/** received and rport on the top Via (RFC 3261 §18.2.1, RFC 3581 §4): responses go back where the request came from. */
export function markSource(request: SipMessage, flow: Flow): void {
  const top = request.via[0];
  if (!top) return;
  if (top.host !== flow.remote.address || top.params.has("received")) top.params.set("received", flow.remote.address);
  if (top.params.has("rport")) top.params.set("rport", String(flow.remote.port));
}
