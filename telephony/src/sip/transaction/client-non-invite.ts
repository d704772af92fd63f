/** Non-INVITE client transaction (RFC 3261 §17.1.2, Figure 6). */
import type { SipRequest, SipResponse } from "../message.ts";
import type { Destination } from "../transport/types.ts";
import { ClientTransaction, type ClientTransactionUser } from "./client-transaction.ts";
import { transactionTimeout } from "./timers.ts";
import type { TransactionContext } from "./transaction.ts";

export type { ClientTransactionUser } from "./client-transaction.ts";

type State = "trying" | "proceeding" | "completed";

export class ClientNonInviteTransaction extends ClientTransaction<State> {
  constructor(request: SipRequest, destination: Destination, ctx: TransactionContext, reliable: boolean, tu: ClientTransactionUser) {
    super(request, destination, "trying", ctx, reliable, tu);
  }

  start(): void {
    const data = this.sendMessage(this.request, this.destination);
    if (!this.reliable) this.retransmit(data, this.t.t1);
    this.timerSet.start("F", transactionTimeout(this.t), () => {
      if (this.state !== "trying" && this.state !== "proceeding") return;
      this.terminate();
      this.tu.timeout();
    });
  }

  /** Timer E: doubling up to T2 while trying, every T2 once a provisional came. */
  private retransmit(data: Buffer, interval: number): void {
    this.timerSet.start("E", interval, () => {
      if (this.state !== "trying" && this.state !== "proceeding") return;
      this.sendBytes(data, this.destination);
      this.retransmit(data, this.state === "proceeding" ? this.t.t2 : Math.min(interval * 2, this.t.t2));
    });
  }

  receive(response: SipResponse): void {
    if (this.state !== "trying" && this.state !== "proceeding") return;
    if (response.status < 200) {
      this.state = "proceeding";
      this.tu.response(response);
      return;
    }
    this.state = "completed";
    this.timerSet.stopAll();
    // Timer K absorbs retransmitted responses
    this.timerSet.start("K", this.reliable ? 0 : this.t.t4, () => this.terminate());
    this.tu.response(response);
  }

  protected get pendingFinal(): boolean {
    return this.state === "trying" || this.state === "proceeding";
  }
}
