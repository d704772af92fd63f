/** What the call objects need of the UA core (so they do not import it): sending, our addresses, dialogs. */
import { createResponse } from "../build.ts";
import type { Dialog } from "../dialog/dialog.ts";
import type { SipHeader, SipRequest, SipResponse } from "../message.ts";
import type { NameAddr } from "../parser/name-addr.ts";
import type { Via } from "../parser/via.ts";
import type { TransactionLayer } from "../transaction/layer.ts";
import type { Destination, TransportName } from "../transport/types.ts";

export interface UaCore {
  readonly layer: TransactionLayer;
  /** Our Via (without params) for a transport. */
  viaFor(transport: TransportName): Omit<Via, "params">;
  /** Our Contact for a transport; `sips` (over TLS) for a dialog with a `sips:` URI. */
  contactFor(transport: TransportName, sips?: boolean): NameAddr;
  /** Where a request goes: back on the dialog's connection, else by its Route or Request-URI. */
  destinationFor(request: SipRequest, dialog?: Dialog): Promise<Destination>;
  addDialog(dialog: Dialog): void;
  /**
   * Waits for the ACK of the 2xx with this CSeq in this dialog (`undefined` if a BYE ended the dialog
   * first); answers a function that stops waiting.
   */
  awaitAck(dialog: Dialog, seq: number, arrived: (ack: SipRequest | undefined) => void): () => void;
  /** A non-INVITE request in a dialog; resolves with its final response (408 or 503 made up on timeout or transport failure). */
  requestInDialog(dialog: Dialog, method: string, options?: { headers?: SipHeader[]; body?: Buffer }): Promise<SipResponse>;
}

export interface Body {
  body: Buffer;
  contentType: string;
}

export interface ResponseExtras {
  reason?: string;
  headers?: SipHeader[];
  body?: Body;
}

/** Headers for a body. */
export function bodyHeaders(body: Body | undefined): SipHeader[] {
  return body ? [{ name: "Content-Type", value: body.contentType }] : [];
}

/**
 * The response the stack makes up when a request got none (RFC 3261 §8.1.3.1: timeout 408,
 * transport 503); a transport error's words go in the reason (e.g. an untrusted TLS certificate),
 * so the trunk's status and the call record say why.
 */
export function madeUpResponse(request: SipRequest, status: 408 | 503, error?: Error): SipResponse {
  const response = createResponse(request, status);
  if (error) response.reason = `${response.reason} (${error.message.replace(/[\r\n]+/g, " ").slice(0, 100)})`;
  return response;
}
