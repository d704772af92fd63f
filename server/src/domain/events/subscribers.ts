import type { Logger } from "../../platform/logger.ts";
import type { OutboxEvent } from "./outbox-event.ts";

/**
 * Something that acts on committed events: the socket fan-out, a channel's relay, reply
 * delivery, later notifications and webhooks. Each event reaches it at least once; a handler that
 * throws (or rejects) gets the event again after a backoff, without holding up the others.
 */
export interface OutboxSubscriber {
  /** Names the subscriber in logs. */
  readonly name: string;
  handle(event: OutboxEvent): void | Promise<void>;
  /** After the last failed try of an event (e.g. to mark a reply failed with the reason). */
  gaveUp?(event: OutboxEvent, err: unknown): void | Promise<void>;
}

/** How often a failing handler is tried in all, and its first and longest wait between tries. */
export interface RetryPolicy {
  attempts: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

/** Six tries over about three seconds: well inside the outbox claim (10 s), so no other node redelivers meanwhile. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, firstDelayMs: 100, maxDelayMs: 1600 };

/**
 * The subscribers of one outbox. `dispatch` hands an event to every subscriber and calls `done`
 * once each has handled it (or given up after its last try); until then its outbox row stays
 * claimed and unmarked, so a node that dies meanwhile leaves it to another node's poller.
 */
export class Subscribers {
  private readonly list: OutboxSubscriber[] = [];
  private readonly waits = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly log: Logger,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {}

  get size(): number {
    return this.list.length;
  }

  add(subscriber: OutboxSubscriber): () => void {
    this.list.push(subscriber);
    return () => {
      const at = this.list.indexOf(subscriber);
      if (at >= 0) this.list.splice(at, 1);
    };
  }

  /** `done(true)` when every subscriber handled the event or gave up on it; `done(false)` when stopped first. */
  dispatch(event: OutboxEvent, done: (handled: boolean) => void): void {
    let waiting = 0;
    let handled = true;
    for (const subscriber of this.list) {
      const later = this.attempt(subscriber, event, 1);
      if (!later) continue;
      waiting++;
      const settled = later.then((ok) => {
        this.inFlight.delete(settled);
        handled &&= ok;
        if (--waiting === 0) done(handled);
      });
      this.inFlight.add(settled);
    }
    if (waiting === 0) done(true);
  }

  /** Null when handled at once; otherwise settles (true) once handled or given up, (false) when stopped first. */
  private attempt(subscriber: OutboxSubscriber, event: OutboxEvent, tried: number): Promise<boolean> | null {
    let outcome: void | Promise<void>;
    try {
      outcome = subscriber.handle(event);
    } catch (err) {
      return this.again(subscriber, event, tried, err);
    }
    if (!outcome) return null;
    return outcome.then(
      () => true,
      (err: unknown) => this.again(subscriber, event, tried, err),
    );
  }

  private async again(subscriber: OutboxSubscriber, event: OutboxEvent, tried: number, err: unknown): Promise<boolean> {
    const about = { err, subscriber: subscriber.name, event: event.event, tenantId: event.tenantId, tried };
    if (tried >= this.retry.attempts) {
      this.log.error(about, "an outbox subscriber failed on an event for the last time; giving up on it");
      try {
        await subscriber.gaveUp?.(event, err);
      } catch (failed) {
        this.log.error({ ...about, err: failed }, "an outbox subscriber's give-up failed");
      }
      return true;
    }
    this.log.warn(about, "an outbox subscriber failed on an event; will retry");
    const delay = Math.min(this.retry.firstDelayMs * 2 ** (tried - 1), this.retry.maxDelayMs);
    if (!(await this.wait(delay))) return false;
    return (await this.attempt(subscriber, event, tried + 1)) ?? true;
  }

  /** Resolves true after ms, or false at once when stopped. */
  private wait(ms: number): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.waits.delete(entry);
          resolve(true);
        }, ms),
        resolve: () => resolve(false),
      };
      this.waits.add(entry);
    });
  }

  /** Resolves when every handler running now (and its retries) has settled. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Stops retrying: the events still waiting stay unmarked and a poller delivers them again. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const entry of this.waits) {
      clearTimeout(entry.timer);
      entry.resolve();
    }
    this.waits.clear();
    await this.settled();
  }
}
