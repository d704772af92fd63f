import type { OfferAck } from "@yixian/contracts";
import { api } from "./client.ts";
import { knownCode } from "./error-text.ts";
import type { ConsoleSocket } from "./live.ts";

/** Answers over the socket (acknowledged), or over REST when the socket is down. */
export function answerOffer(socket: ConsoleSocket | null, offerId: string, answer: "accept" | "reject"): Promise<OfferAck> {
  if (socket?.connected) {
    return new Promise((resolve) => socket.emit(answer === "accept" ? "offer:accept" : "offer:reject", offerId, resolve));
  }
  return api.offers.answer(offerId, answer).then(
    (data): OfferAck => ({ ok: true, data }),
    (err: Error & { code?: string }): OfferAck => ({ ok: false, error: { code: knownCode(err.code), message: err.message } }),
  );
}
