/**
 * The transaction layer (RFC 3261 §17): matches what arrives to its transaction, makes server
 * transactions for new requests, and hands the transaction user (the UA core) what is left.
 */
import { createResponse, newTag } from "../build.ts";
import type { SipRequest, SipResponse, SipMessage } from "../message.ts";
import { tagOf } from "../parser/name-addr.ts";
import { serializeMessage } from "../parser/serialize.ts";
import type { Transports } from "../transport/transports.ts";
import { silentLogger, type Destination, type Flow, type SipLogger } from "../transport/types.ts";
import { ClientInviteTransaction } from "./client-invite.ts";
import { ClientNonInviteTransaction, type ClientTransactionUser } from "./client-non-invite.ts";
import { clientKey, serverKey } from "./keys.ts";
import { ServerInviteTransaction } from "./server-invite.ts";
import { ServerNonInviteTransaction } from "./server-non-invite.ts";
import { DEFAULT_TIMERS, type TimerConfig } from "./timers.ts";
import type { TransactionContext } from "./transaction.ts";

export type AnyServerTransaction = ServerInviteTransaction | ServerNonInviteTransaction;
export type AnyClientTransaction = ClientInviteTransaction | ClientNonInviteTransaction;

/** What the layer hands up. */
export interface TransactionUser {
  /** A new request with its new server transaction (never ACK; CANCEL comes to `cancel`). */
  request(request: SipRequest, transaction: AnyServerTransaction): void;
  /** A CANCEL, its own transaction, and the INVITE transaction it cancels if one matched. */
  cancel(request: SipRequest, transaction: ServerNonInviteTransaction, invite: ServerInviteTransaction | undefined): void;
  /** An ACK that is not for a failure response: the ACK of a 2xx, for the dialog. */
  ack(request: SipRequest, flow: Flow): void;
  /** A 2xx to an INVITE whose client transaction is gone: the UAC core ACKs it again (RFC 3261 §13.2.2.4). */
  strayInviteSuccess(response: SipResponse, flow: Flow): void;
}

/** What a gate says of a request that would start something: take it, answer 503 with Retry-After, or send nothing. */
export type GateVerdict = { kind: "pass" } | { kind: "refuse"; retryAfterSeconds: number } | { kind: "drop" };

/**
 * Asked before a new INVITE outside a dialog or a REGISTER gets a transaction (a rate limit per
 * source). Retransmissions of a request that passed never reach it.
 */
export type RequestGate = (request: SipRequest, flow: Flow) => GateVerdict;

export interface TransactionLayerOptions {
  timers?: Partial<TimerConfig>;
  log?: SipLogger;
  gate?: RequestGate;
}

export class TransactionLayer {
  private readonly clients = new Map<string, AnyClientTransaction>();
  private readonly servers = new Map<string, AnyServerTransaction>();
  private readonly ctx: TransactionContext;
  readonly timers: TimerConfig;
  readonly log: SipLogger;
  user: TransactionUser | undefined;
  gate: RequestGate | undefined;

  constructor(
    readonly transports: Transports,
    options: TransactionLayerOptions = {},
  ) {
    this.timers = { ...DEFAULT_TIMERS, ...options.timers };
    this.log = options.log ?? silentLogger;
    this.gate = options.gate;
    this.ctx = {
      timers: this.timers,
      log: this.log,
      send: (data, to) => this.transports.send(data, to),
      terminated: (key) => {
        this.clients.delete(key);
        this.servers.delete(key);
      },
    };
  }

  /** The Receiver the transports call with every parsed message. */
  readonly receive = (message: SipMessage, flow: Flow): void => {
    try {
      if (message.kind === "response") this.receiveResponse(message, flow);
      else this.receiveRequest(message, flow);
    } catch (error) {
      this.log.warn({ err: error instanceof Error ? error.message : String(error), callId: message.callId }, "sip: error handling a message");
    }
  };

  private receiveResponse(response: SipResponse, flow: Flow): void {
    const transaction = this.clients.get(clientKey(response));
    if (transaction) {
      transaction.receive(response);
      return;
    }
    if (response.cseq.method === "INVITE" && response.status >= 200 && response.status < 300) this.user?.strayInviteSuccess(response, flow);
  }

  private receiveRequest(request: SipRequest, flow: Flow): void {
    const existing = this.servers.get(serverKey(request));
    if (request.method === "ACK") {
      if (existing instanceof ServerInviteTransaction && existing.currentState === "completed") existing.receive(request);
      else this.user?.ack(request, flow);
      return;
    }
    if (existing) {
      existing.receive(request); // a retransmission
      return;
    }
    if (!this.user) return;
    const gated = this.gate && (request.method === "REGISTER" || (request.method === "INVITE" && tagOf(request.to) === undefined));
    const verdict = gated ? this.gate!(request, flow) : undefined;
    if (verdict?.kind === "drop") return;
    if (request.method === "INVITE") {
      const transaction = new ServerInviteTransaction(request, flow, this.ctx);
      this.servers.set(transaction.key, transaction);
      transaction.start();
      if (verdict?.kind === "refuse") transaction.respond(busy(request, verdict.retryAfterSeconds));
      else this.user.request(request, transaction);
      return;
    }
    const transaction = new ServerNonInviteTransaction(request, flow, this.ctx);
    this.servers.set(transaction.key, transaction);
    if (verdict?.kind === "refuse") {
      transaction.respond(busy(request, verdict.retryAfterSeconds));
      return;
    }
    if (request.method === "CANCEL") {
      const invite = this.servers.get(serverKey(request, "INVITE"));
      this.user.cancel(request, transaction, invite instanceof ServerInviteTransaction ? invite : undefined);
      return;
    }
    this.user.request(request, transaction);
  }

  /** Starts a client transaction for `request` (not ACK) to `destination`. */
  sendRequest(request: SipRequest, destination: Destination, tu: ClientTransactionUser): AnyClientTransaction {
    const reliable = destination.transport !== "udp";
    const transaction =
      request.method === "INVITE"
        ? new ClientInviteTransaction(request, destination, this.ctx, reliable, tu)
        : new ClientNonInviteTransaction(request, destination, this.ctx, reliable, tu);
    this.clients.set(transaction.key, transaction);
    transaction.start();
    return transaction;
  }

  /** Sends without a transaction: the ACK of a 2xx (RFC 3261 §13.2.2.4), a stateless response. */
  sendStateless(message: SipMessage, destination: Destination): Promise<Flow> {
    return this.transports.send(serializeMessage(message), destination);
  }

  get pending(): { clients: number; servers: number } {
    return { clients: this.clients.size, servers: this.servers.size };
  }

  close(): void {
    for (const transaction of [...this.clients.values(), ...this.servers.values()]) transaction.destroy();
  }
}

/** 503 with Retry-After: through the transaction, so retransmissions get the same answer and cost nothing more. */
function busy(request: SipRequest, retryAfterSeconds: number): SipResponse {
  return createResponse(request, 503, { toTag: newTag(), headers: [{ name: "Retry-After", value: String(retryAfterSeconds) }] });
}
