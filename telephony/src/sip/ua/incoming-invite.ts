/**
 * An INVITE we answer, initial or re-INVITE: provisional and final responses through its server
 * transaction, and the 2xx sent again until its ACK comes (RFC 3261 §13.3.1.4; RFC 6026).
 */
import { createResponse, newTag } from "../build.ts";
import { Dialog } from "../dialog/dialog.ts";
import type { SipRequest } from "../message.ts";
import { formatNameAddr } from "../parser/name-addr.ts";
import { isSips } from "../parser/uri.ts";
import type { ServerInviteTransaction } from "../transaction/server-invite.ts";
import { TimerSet, transactionTimeout } from "../transaction/timers.ts";
import { responseDestination } from "../transport/destination.ts";
import type { Flow } from "../transport/types.ts";
import { bodyHeaders, type Body, type ResponseExtras, type UaCore } from "./core.ts";

export type IncomingInviteState = "pending" | "accepted" | "rejected" | "cancelled";

export interface Accepted {
  dialog: Dialog;
  /** The ACK: it carries the answer when the INVITE had no offer. Undefined when a BYE came first (`dialog.state` is then "terminated"). */
  ack: SipRequest | undefined;
}

/** The 2xx was sent again until 64·T1 and no ACK came: the dialog is ended with a BYE. */
export class NoAckError extends Error {
  override readonly name = "NoAckError";
}

export class IncomingInvite {
  state: IncomingInviteState = "pending";
  /** Called when a CANCEL ended the INVITE (the stack has answered it 487). */
  onCancel: (() => void) | undefined;
  private readonly localTag: string;
  private readonly retransmissions = new TimerSet();

  constructor(
    private readonly core: UaCore,
    readonly request: SipRequest,
    readonly transaction: ServerInviteTransaction,
    /** Set for a re-INVITE: the dialog it arrived in. */
    readonly dialog?: Dialog,
  ) {
    this.localTag = dialog?.id.localTag ?? newTag();
  }

  get flow(): Flow {
    return this.transaction.flow;
  }

  private response(status: number, extras: ResponseExtras = {}) {
    const headers = [...bodyHeaders(extras.body), ...(extras.headers ?? [])];
    if (status < 300 && status > 100) headers.unshift({ name: "Contact", value: formatNameAddr(this.core.contactFor(this.flow.transport, isSips(this.request.uri))) });
    return createResponse(this.request, status, { toTag: this.localTag, reason: extras.reason, headers, body: extras.body?.body });
  }

  /** 180 Ringing, 183 Session Progress (with early media SDP), … */
  progress(status = 180, extras: ResponseExtras = {}): void {
    if (this.state !== "pending" || status <= 100 || status >= 200) return;
    this.transaction.respond(this.response(status, extras));
  }

  /** 200 OK with our session description; resolves when the ACK arrives. */
  accept(body: Body, extras: Omit<ResponseExtras, "body"> = {}): Promise<Accepted> {
    if (this.state !== "pending") return Promise.reject(new Error(`cannot accept an INVITE that is ${this.state}`));
    this.state = "accepted";
    const ok = this.response(200, { ...extras, body });
    this.transaction.respond(ok);
    const dialog = this.dialog ?? Dialog.asUas(this.request, ok, this.flow);
    dialog.localBody = body;
    if (!this.dialog) this.core.addDialog(dialog);
    return new Promise<Accepted>((resolve, reject) => {
      const stop = this.core.awaitAck(dialog, this.request.cseq.seq, (ack) => {
        this.retransmissions.stopAll();
        resolve({ dialog, ack });
      });
      if (!this.transaction.reliable) {
        const destination = responseDestination(ok, this.flow);
        const resend = (interval: number) =>
          this.retransmissions.start("2xx", interval, () => {
            this.core.layer.sendStateless(ok, destination).catch(() => undefined);
            resend(Math.min(interval * 2, this.core.layer.timers.t2));
          });
        resend(this.core.layer.timers.t1);
      }
      // over TCP and WebSocket nothing is resent, but an ACK that never comes still ends the dialog
      this.retransmissions.start("give-up", transactionTimeout(this.core.layer.timers), () => {
        this.retransmissions.stopAll();
        stop();
        reject(new NoAckError("no ACK for the 2xx"));
        if (!this.dialog) {
          void this.core.requestInDialog(dialog, "BYE").finally(() => dialog.terminate("local"));
        }
      });
    });
  }

  /** A final failure: 486 Busy Here, 480, 603, … */
  reject(status: number, extras: ResponseExtras = {}): void {
    if (this.state !== "pending" || status < 300) return;
    this.state = "rejected";
    this.transaction.respond(this.response(status, extras));
  }

  /** The UA core's part of CANCEL (RFC 3261 §9.2): 487 for the INVITE if it is still pending. */
  cancelled(): void {
    if (this.state !== "pending") return;
    this.state = "cancelled";
    this.transaction.respond(this.response(487));
    this.onCancel?.();
  }
}
