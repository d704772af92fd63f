/** What every transaction machine shares: its key, its timers, sending, and leaving the layer's table. */
import type { SipMessage } from "../message.ts";
import { serializeMessage } from "../parser/serialize.ts";
import type { Destination, Flow, SipLogger } from "../transport/types.ts";
import { TimerSet, type TimerConfig } from "./timers.ts";

export interface TransactionContext {
  timers: TimerConfig;
  send(data: Buffer, to: Destination): Promise<Flow>;
  log: SipLogger;
  /** The layer forgets a transaction once it is terminated. */
  terminated(key: string): void;
}

export abstract class Transaction<State extends string> {
  protected readonly timerSet = new TimerSet();

  protected constructor(
    readonly key: string,
    protected state: State | "terminated",
    protected readonly ctx: TransactionContext,
    /** Over TCP and WebSocket nothing is retransmitted and the waiting timers are zero. */
    readonly reliable: boolean,
  ) {}

  get currentState(): State | "terminated" {
    return this.state;
  }

  protected get t(): TimerConfig {
    return this.ctx.timers;
  }

  /** Sends bytes already serialised; a failure is reported through `onSendError`. */
  protected sendBytes(data: Buffer, to: Destination): void {
    this.ctx.send(data, to).catch((error: unknown) => this.onSendError(error instanceof Error ? error : new Error(String(error))));
  }

  protected sendMessage(message: SipMessage, to: Destination): Buffer {
    const data = serializeMessage(message);
    this.sendBytes(data, to);
    return data;
  }

  protected onSendError(error: Error): void {
    this.ctx.log.warn({ key: this.key, err: error.message }, "sip: transport error");
    this.terminate();
  }

  protected terminate(): void {
    if (this.state === "terminated") return;
    this.state = "terminated";
    this.timerSet.stopAll();
    this.ctx.terminated(this.key);
  }

  /** Stops everything now (the stack is closing). */
  destroy(): void {
    this.terminate();
  }
}
