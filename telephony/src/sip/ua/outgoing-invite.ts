/**
 * An INVITE we send, initial or re-INVITE: provisional responses as they come, the final one as the
 * result, the ACK for a 2xx (sent again if the 2xx is), and CANCEL (RFC 3261 §9.1, §13.2).
 */
import { cancelFor } from "../build.ts";
import { Dialog, dialogKey } from "../dialog/dialog.ts";
import type { SipRequest, SipResponse } from "../message.ts";
import { tagOf } from "../parser/name-addr.ts";
import { serializeMessage } from "../parser/serialize.ts";
import type { ClientTransactionUser } from "../transaction/client-non-invite.ts";
import type { Destination } from "../transport/types.ts";
import { madeUpResponse, type UaCore } from "./core.ts";

export interface InviteResult {
  response: SipResponse;
  /** Set on a 2xx. */
  dialog?: Dialog;
}

export class OutgoingInvite {
  /** Each 1xx as it arrives. */
  onProvisional: ((response: SipResponse) => void) | undefined;
  readonly result: Promise<InviteResult>;
  private settle!: (result: InviteResult) => void;
  private provisional = false;
  private cancelWanted = false;
  private done = false;
  private readonly acked = new Map<string, Dialog>();

  constructor(
    private readonly core: UaCore,
    readonly request: SipRequest,
    readonly destination: Destination,
    /** Set for a re-INVITE. */
    private readonly dialog?: Dialog,
  ) {
    this.result = new Promise((resolve) => (this.settle = resolve));
  }

  start(): void {
    const tu: ClientTransactionUser = {
      response: (response) => this.onResponse(response),
      timeout: () => this.finish({ response: madeUpResponse(this.request, 408) }),
      transportError: () => this.finish({ response: madeUpResponse(this.request, 503) }),
    };
    this.core.layer.sendRequest(this.request, this.destination, tu);
  }

  /** Cancels a pending INVITE; sent once a provisional has come (§9.1), and a late 2xx is ACKed and BYEd. */
  cancel(): void {
    if (this.done || this.cancelWanted) return;
    this.cancelWanted = true;
    if (this.provisional) this.sendCancel();
  }

  private sendCancel(): void {
    const ignore = () => undefined;
    this.core.layer.sendRequest(cancelFor(this.request), this.destination, { response: ignore, timeout: ignore, transportError: ignore });
  }

  private onResponse(response: SipResponse): void {
    if (response.status < 200) {
      if (!this.provisional && this.cancelWanted) {
        this.provisional = true;
        this.sendCancel();
      }
      this.provisional = true;
      if (!this.done) this.onProvisional?.(response);
      return;
    }
    if (response.status >= 300) {
      this.finish({ response });
      return;
    }
    // a 2xx whose ACK cannot be routed (no DNS answer) still ends the wait: the caller sees the 2xx
    this.onSuccess(response).catch(() => this.finish({ response }));
  }

  private async onSuccess(response: SipResponse): Promise<void> {
    const key = dialogKey({ callId: response.callId, localTag: tagOf(response.from) ?? "", remoteTag: tagOf(response.to) ?? "" });
    const known = this.acked.get(key);
    if (known?.lastAck) {
      // the 2xx again: our ACK was lost
      this.core.layer.transports.send(known.lastAck.data, known.lastAck.destination).catch(() => undefined);
      return;
    }
    let dialog = this.dialog;
    if (dialog) dialog.refreshTarget(response);
    else {
      dialog = Dialog.asUac(this.request, response, this.destination.connectionId ? { transport: this.destination.transport, remote: this.destination, local: this.destination, connectionId: this.destination.connectionId } : undefined);
      this.core.addDialog(dialog);
    }
    this.acked.set(key, dialog);
    const ack = dialog.createRequest("ACK", this.core.viaFor(this.destination.transport), { seq: this.request.cseq.seq });
    const destination = await this.core.destinationFor(ack, dialog);
    const data = serializeMessage(ack);
    dialog.lastAck = { seq: this.request.cseq.seq, data, destination };
    await this.core.layer.transports.send(data, destination).catch(() => undefined);
    if (this.cancelWanted && !this.dialog) {
      // CANCEL lost the race with the 2xx: the call is up, so end it
      void this.core.requestInDialog(dialog, "BYE").finally(() => dialog.terminate("local"));
    }
    this.finish({ response, dialog });
  }

  private finish(result: InviteResult): void {
    if (this.done) return;
    this.done = true;
    this.settle(result);
  }
}
