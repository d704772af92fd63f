/** Non-INVITE server transaction (RFC 3261 §17.2.2, Figure 8). */
import type { SipRequest, SipResponse } from "../message.ts";
import type { Flow } from "../transport/types.ts";
import { ServerTransaction } from "./server-transaction.ts";
import { transactionTimeout } from "./timers.ts";
import type { TransactionContext } from "./transaction.ts";

type State = "trying" | "proceeding" | "completed";

export class ServerNonInviteTransaction extends ServerTransaction<State> {
  constructor(request: SipRequest, flow: Flow, ctx: TransactionContext) {
    super(request, flow, "trying", ctx);
  }

  respond(response: SipResponse): void {
    if (this.state !== "trying" && this.state !== "proceeding") return;
    this.transmit(response);
    if (response.status < 200) {
      this.state = "proceeding";
      return;
    }
    this.state = "completed";
    // Timer J: answer retransmitted requests from here
    this.timerSet.start("J", this.reliable ? 0 : transactionTimeout(this.t), () => this.terminate());
  }

  receive(_request: SipRequest): void {
    if (this.state === "proceeding" || this.state === "completed") this.retransmitLast();
  }
}
