/** What both client transactions share: the request, where it goes, and the user told of what happens. */
import type { SipRequest, SipResponse } from "../message.ts";
import type { Destination } from "../transport/types.ts";
import { clientKey } from "./keys.ts";
import { Transaction, type TransactionContext } from "./transaction.ts";

/** What a client transaction tells its user: responses, Timer B/F firing, a transport failure. */
export interface ClientTransactionUser {
  response(response: SipResponse): void;
  timeout(): void;
  transportError(error: Error): void;
}

export abstract class ClientTransaction<State extends string> extends Transaction<State> {
  protected constructor(
    readonly request: SipRequest,
    readonly destination: Destination,
    initial: State,
    ctx: TransactionContext,
    reliable: boolean,
    protected readonly tu: ClientTransactionUser,
  ) {
    super(clientKey(request), initial, ctx, reliable);
  }

  abstract start(): void;
  abstract receive(response: SipResponse): void;

  /** True while no final response has come: a transport failure then is the user's to hear. */
  protected abstract get pendingFinal(): boolean;

  protected override onSendError(error: Error): void {
    const pending = this.pendingFinal;
    super.onSendError(error);
    if (pending) this.tu.transportError(error);
  }
}
