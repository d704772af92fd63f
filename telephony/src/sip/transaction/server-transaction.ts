/** What server transactions share: the request, the flow it came on, and sending a response back along it. */
import type { SipRequest, SipResponse } from "../message.ts";
import { serializeMessage } from "../parser/serialize.ts";
import { responseDestination } from "../transport/destination.ts";
import type { Flow } from "../transport/types.ts";
import { serverKey } from "./keys.ts";
import { Transaction, type TransactionContext } from "./transaction.ts";

export abstract class ServerTransaction<State extends string> extends Transaction<State> {
  protected last: { data: Buffer; response: SipResponse } | undefined;

  protected constructor(
    readonly request: SipRequest,
    readonly flow: Flow,
    initial: State,
    ctx: TransactionContext,
  ) {
    super(serverKey(request), initial, ctx, flow.transport !== "udp");
  }

  /** The TU's response; what the machine does with it depends on its state. */
  abstract respond(response: SipResponse): void;

  /** A retransmission of the request (or, for INVITE, the ACK of a failure) matched this transaction. */
  abstract receive(request: SipRequest): void;

  /** The final response sent, if any. */
  get finalResponse(): SipResponse | undefined {
    return this.last && this.last.response.status >= 200 ? this.last.response : undefined;
  }

  protected transmit(response: SipResponse): void {
    const data = serializeMessage(response);
    this.last = { data, response };
    this.sendBytes(data, responseDestination(response, this.flow));
  }

  protected retransmitLast(): void {
    if (this.last) this.sendBytes(this.last.data, responseDestination(this.last.response, this.flow));
  }
}
