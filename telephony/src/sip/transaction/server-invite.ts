/** INVITE server transaction (RFC 3261 §17.2.1, Figure 7, with RFC 6026's Accepted state). */
import { createResponse } from "../build.ts";
import type { SipRequest, SipResponse } from "../message.ts";
import type { Flow } from "../transport/types.ts";
import { ServerTransaction } from "./server-transaction.ts";
import { transactionTimeout } from "./timers.ts";
import type { TransactionContext } from "./transaction.ts";

type State = "proceeding" | "accepted" | "completed" | "confirmed";

export class ServerInviteTransaction extends ServerTransaction<State> {
  /** Called when Timer H fires: a failure response whose ACK never came. */
  onAckTimeout: (() => void) | undefined;

  constructor(request: SipRequest, flow: Flow, ctx: TransactionContext) {
    super(request, flow, "proceeding", ctx);
  }

  /** 100 Trying at once: the TU answers asynchronously (it may ask the domain first). */
  start(): void {
    this.transmit(createResponse(this.request, 100));
  }

  respond(response: SipResponse): void {
    const { status } = response;
    if (this.state === "accepted" && status >= 200 && status < 300) {
      // RFC 6026: the TU's retransmissions of its 2xx go straight out
      this.transmit(response);
      return;
    }
    if (this.state !== "proceeding") return;
    this.transmit(response);
    if (status < 200) return;
    if (status < 300) {
      this.state = "accepted";
      this.timerSet.start("L", transactionTimeout(this.t), () => this.terminate());
      return;
    }
    this.state = "completed";
    if (!this.reliable) this.retransmitFailure(this.t.t1);
    this.timerSet.start("H", transactionTimeout(this.t), () => {
      this.terminate();
      this.onAckTimeout?.();
    });
  }

  /** Timer G: the failure response again, doubling up to T2, until the ACK. */
  private retransmitFailure(interval: number): void {
    this.timerSet.start("G", interval, () => {
      if (this.state !== "completed") return;
      this.retransmitLast();
      this.retransmitFailure(Math.min(interval * 2, this.t.t2));
    });
  }

  receive(request: SipRequest): void {
    if (request.method === "ACK") {
      if (this.state !== "completed") return;
      this.state = "confirmed";
      this.timerSet.stop("G");
      this.timerSet.stop("H");
      this.timerSet.start("I", this.reliable ? 0 : this.t.t4, () => this.terminate());
      return;
    }
    // a retransmitted INVITE: the last provisional or failure again; absorbed once accepted
    if (this.state === "proceeding" || this.state === "completed") this.retransmitLast();
  }

  /** No final response sent yet: a CANCEL can still end it with 487. */
  get pending(): boolean {
    return this.state === "proceeding";
  }
}
