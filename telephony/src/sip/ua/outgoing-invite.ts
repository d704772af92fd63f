/**
 * An INVITE we send, initial or re-INVITE: provisional responses as they come, the final one as the
 * result, the ACK for a 2xx (sent again if the 2xx is), and CANCEL (RFC 3261 §9.1, §13.2).
 */
import { authorize } from "../auth/digest.ts";
import { cancelFor, newBranch } from "../build.ts";
import { Dialog, dialogKey } from "../dialog/dialog.ts";
import { getHeader, getHeaders, type SipRequest, type SipResponse } from "../message.ts";
import { tagOf } from "../parser/name-addr.ts";
import { formatUri } from "../parser/uri.ts";
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

  private authAnswered = false;

  constructor(
    private readonly core: UaCore,
    /** The INVITE on the wire: after a digest challenge, the one sent again with credentials. */
    public request: SipRequest,
    readonly destination: Destination,
    /** Set for a re-INVITE. */
    private readonly dialog?: Dialog,
    /** For a trunk that challenges INVITEs (401/407): answered once. */
    private readonly credentials?: { username: string; password: string },
  ) {
    this.result = new Promise((resolve) => (this.settle = resolve));
  }

  start(): void {
    const tu: ClientTransactionUser = {
      response: (response) => this.onResponse(response),
      timeout: () => this.finish({ response: madeUpResponse(this.request, 408) }),
      transportError: (error) => this.finish({ response: madeUpResponse(this.request, 503, error) }),
    };
    this.core.layer.sendRequest(this.request, this.destination, tu);
  }

  /** The same INVITE with an answer to the challenge: same Call-ID and From tag, next CSeq, new branch (RFC 3261 §22.2). */
  private answerChallenge(response: SipResponse): boolean {
    if (!this.credentials || this.authAnswered || this.cancelWanted || (response.status !== 401 && response.status !== 407)) return false;
    const [challengeName, answerName] = response.status === 401 ? ["WWW-Authenticate", "Authorization"] : ["Proxy-Authenticate", "Proxy-Authorization"];
    const answer = getHeaders(response, challengeName)
      .map((c) => authorize(c, { ...this.credentials!, method: "INVITE", uri: formatUri(this.request.uri) }))
      .find((a) => a !== undefined);
    if (!answer) return false;
    this.authAnswered = true;
    const top = this.request.via[0];
    this.request = {
      ...this.request,
      via: top ? [{ ...top, params: new Map([["branch", newBranch()], ["rport", null]]) }] : [],
      cseq: { seq: this.request.cseq.seq + 1, method: "INVITE" },
      headers: [...this.request.headers.filter((h) => h.name !== answerName), { name: answerName, value: answer }],
    };
    this.provisional = false;
    this.start();
    return true;
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
      if (!this.answerChallenge(response)) this.finish({ response });
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
      // over a connection transport the dialog stays on it, even when the far end's Contact names no transport
      const { transport, connectionId } = this.destination;
      dialog = Dialog.asUac(this.request, response, { transport, remote: this.destination, local: this.destination, ...(connectionId ? { connectionId } : {}) });
      // our offer is our session description in the dialog: a re-INVITE without one is answered with it
      const contentType = getHeader(this.request, "Content-Type");
      if (this.request.body.length > 0 && contentType) dialog.localBody = { body: this.request.body, contentType };
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
