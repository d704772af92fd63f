/** INVITE client transaction (RFC 3261 §17.1.1, Figure 5, with RFC 6026's Accepted state). */
import { ackForFailure } from "../build.ts";
import type { SipRequest, SipResponse } from "../message.ts";
import { serializeMessage } from "../parser/serialize.ts";
import type { Destination } from "../transport/types.ts";
import { ClientTransaction, type ClientTransactionUser } from "./client-transaction.ts";
import { timerD, transactionTimeout } from "./timers.ts";
import type { TransactionContext } from "./transaction.ts";

type State = "calling" | "proceeding" | "accepted" | "completed";

export class ClientInviteTransaction extends ClientTransaction<State> {
  private ack: Buffer | undefined;

  constructor(request: SipRequest, destination: Destination, ctx: TransactionContext, reliable: boolean, tu: ClientTransactionUser) {
    super(request, destination, "calling", ctx, reliable, tu);
  }

  start(): void {
    const data = this.sendMessage(this.request, this.destination);
    if (!this.reliable) this.retransmit(data, this.t.t1);
    this.timerSet.start("B", transactionTimeout(this.t), () => {
      if (this.state !== "calling") return;
      this.terminate();
      this.tu.timeout();
    });
  }

  private retransmit(data: Buffer, interval: number): void {
    this.timerSet.start("A", interval, () => {
      if (this.state !== "calling") return;
      this.sendBytes(data, this.destination);
      this.retransmit(data, interval * 2);
    });
  }

  receive(response: SipResponse): void {
    const { status } = response;
    switch (this.state) {
      case "calling":
      case "proceeding":
        if (status < 200) {
          this.state = "proceeding";
          this.timerSet.stop("A");
          this.tu.response(response);
        } else if (status < 300) {
          // RFC 6026: stay to pass on further 2xx (forks, retransmissions) for the TU to ACK
          this.state = "accepted";
          this.timerSet.stopAll();
          this.timerSet.start("M", transactionTimeout(this.t), () => this.terminate());
          this.tu.response(response);
        } else {
          this.state = "completed";
          this.timerSet.stopAll();
          this.ack = serializeMessage(ackForFailure(this.request, response));
          this.sendBytes(this.ack, this.destination);
          this.timerSet.start("D", timerD(this.t, this.reliable), () => this.terminate());
          this.tu.response(response);
        }
        return;
      case "accepted":
        if (status >= 200 && status < 300) this.tu.response(response);
        return;
      case "completed":
        if (status >= 300 && this.ack) this.sendBytes(this.ack, this.destination);
        return;
      case "terminated":
        return;
      default:
        this.state satisfies never;
    }
  }

  protected get pendingFinal(): boolean {
    return this.state === "calling";
  }
}
