import type { ServerEventName } from "@yixian/contracts";
import { sql } from "kysely";
import type { Db, Executor, Tx } from "../../db/database.ts";
import type { Logger } from "../../platform/logger.ts";
import { deferredWrites, flushDeferred, written, type Deferred } from "./deferred-writes.ts";
import type { OutboxEvent, WrittenEvent } from "./outbox-event.ts";
import { Subscribers, type OutboxSubscriber, type RetryPolicy } from "./subscribers.ts";

export type { OutboxEvent, WrittenEvent } from "./outbox-event.ts";
export type { OutboxSubscriber, RetryPolicy } from "./subscribers.ts";

/**
 * Records an event inside the caller's transaction; it is delivered only if that commits.
 * Inside `Outbox.transaction` the row is written once, with the transaction's other events,
 * just before the commit; elsewhere it is written now and the poller delivers it.
 */
export async function recordEvent<E extends ServerEventName>(tx: Executor, e: OutboxEvent<E>): Promise<void> {
  const deferred = deferredWrites(tx);
  if (deferred) {
    written(deferred, e, null);
    return;
  }
  unclaimedWrites++;
  await tx
    .insertInto("outbox")
    .values({ tenant_id: e.tenantId, event: e.event, rooms: e.rooms, payload: JSON.stringify(e.payload) })
    .execute();
}

/** Rows written outside `Outbox.transaction`, which only a drain delivers. */
let unclaimedWrites = 0;

/** How long a row written now in `tx` is claimed by this node (0: unclaimed, a poller delivers it). */
export function claimOf(tx: Executor): number {
  return deferredWrites(tx)?.claimMs ?? 0;
}

/**
 * For a statement that wrote an event's outbox row itself (claimed as `claimOf` said): the event
 * is delivered with the transaction's others, in its place among them.
 */
export function eventWritten(tx: Executor, e: OutboxEvent, id: number): void {
  const deferred = deferredWrites(tx);
  if (deferred) written(deferred, e, id);
  else unclaimedWrites++;
}

const BATCH = 200;
/** How long the committing node has to deliver its events before any node's poller may. */
const CLAIM_MS = 10_000;
/** Delivered ids are marked dispatched in one statement per this interval. */
const MARK_EVERY_MS = 250;

/** Claims the next undelivered rows for this node (unclaimed, or their claim ran out). */
const CLAIM_NEXT = `update outbox set claimed_until = now() + interval '${CLAIM_MS} milliseconds'
where id in (
  select id from outbox
  where dispatched_at is null and (claimed_until is null or claimed_until < now())
  order by id
  limit ${BATCH}
  for update skip locked
)
returning id, tenant_id, event, rooms, payload`;

/**
 * The transactional outbox. `transaction(fn)` runs fn, writes its events (claimed by this node)
 * with the commit and, once committed, hands them at once from memory to every subscriber
 * (`subscribe`: the socket fan-out, channel relays, reply delivery); a row is marked dispatched
 * when all of them have handled it. A slow poll claims rows nobody claimed (written outside
 * `transaction`) or whose claim ran out (the node died before its subscribers were done) with
 * FOR UPDATE SKIP LOCKED, so two nodes never take the same row at once, and delivers them the
 * same way: every subscriber hears every committed event at least once.
 */
export class Outbox {
  private readonly subscribers: Subscribers;
  private started = false;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private toMark: number[] = [];
  private marking: Promise<void> | null = null;
  private markTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    retry?: RetryPolicy,
  ) {
    this.subscribers = new Subscribers(log, retry);
  }

  /**
   * Adds a subscriber: from now on it hears every committed event (at least once, each in
   * order of commit on this node). Answers a function that removes it again.
   */
  subscribe(subscriber: OutboxSubscriber): () => void {
    return this.subscribers.add(subscriber);
  }

  /** Starts delivering: at once what is waiting, then every pollMs. */
  start(pollMs = 1000): void {
    this.started = true;
    this.timer = setInterval(() => this.kick(), pollMs);
    this.timer.unref();
    this.kick();
  }

  /**
   * Runs fn in one transaction; what it records with `recordEvent` (and `recordAudit`) is written
   * in one statement before the commit, and the events go to the subscribers right after it.
   */
  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const unclaimedBefore = unclaimedWrites;
    let committed: WrittenEvent[] = [];
    const result = await this.db.transaction().execute(async (tx) => {
      const deferred: Deferred = { events: [], audits: [], claimMs: this.started ? CLAIM_MS : 0 };
      const value = await deferredWrites.run(tx, deferred, () => fn(tx));
      committed = await flushDeferred(tx, deferred);
      return value;
    });
    if (committed.length > 0) this.deliver(committed);
    if (unclaimedWrites !== unclaimedBefore) this.kick();
    return result;
  }

  /** Hands claimed events to the subscribers, in order; each row is marked once all are done with it. */
  private deliver(events: WrittenEvent[]): void {
    // Not started (yet): the rows were written unclaimed and the first drain delivers them.
    if (!this.started) return;
    for (const { event, id } of events) {
      this.subscribers.dispatch(event, (handled) => {
        if (handled) this.mark(id);
      });
    }
  }

  private mark(id: number): void {
    this.toMark.push(id);
    this.markTimer ??= setTimeout(() => {
      this.markTimer = null;
      void this.markDelivered();
    }, MARK_EVERY_MS);
  }

  private markDelivered(): Promise<void> {
    if (this.marking || this.toMark.length === 0) return this.marking ?? Promise.resolve();
    const ids = this.toMark;
    this.toMark = [];
    this.marking = this.db
      .updateTable("outbox")
      .set({ dispatched_at: sql<Date>`now()`, claimed_until: null })
      .where("id", "=", sql<number>`any(${ids}::bigint[])`)
      .execute()
      .then(
        () => undefined,
        // the claims run out and a poller delivers these again: at least once, never lost
        (err: unknown) => this.log.error({ err, count: ids.length }, "marking delivered outbox rows failed"),
      )
      .finally(() => {
        this.marking = null;
        if (this.toMark.length > 0) void this.markDelivered();
      });
    return this.marking;
  }

  kick(): void {
    if (!this.started) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((err: unknown) => this.log.error({ err }, "outbox delivery failed; will retry"))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Resolves when everything committed so far has been delivered (retries included) and marked. */
  async flush(): Promise<void> {
    while (this.running || this.again) await (this.running ?? Promise.resolve());
    await this.subscribers.settled();
    if (this.markTimer) clearTimeout(this.markTimer);
    this.markTimer = null;
    while (this.marking || this.toMark.length > 0) await this.markDelivered();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    while (this.running || this.again) await (this.running ?? Promise.resolve());
    this.started = false;
    // events still being retried stay claimed; when the claim runs out a poller delivers them
    await this.subscribers.stop();
    await this.flush();
  }

  private async drain(): Promise<void> {
    for (;;) {
      const claimed = await sql<{ id: number | string; tenant_id: string; event: string; rooms: string[]; payload: unknown }>`${sql.raw(CLAIM_NEXT)}`.execute(this.db);
      const rows = claimed.rows.map((r) => ({ ...r, id: Number(r.id) })).sort((a, b) => a.id - b.id);
      this.deliver(rows.map((r) => ({ id: r.id, event: { tenantId: r.tenant_id, event: r.event, rooms: r.rooms, payload: r.payload } as OutboxEvent })));
      if (rows.length < BATCH) return;
    }
  }

  /** Deletes delivered rows older than a day; called by the housekeeping timer. */
  async prune(): Promise<number> {
    const result = await this.db
      .deleteFrom("outbox")
      .where("dispatched_at", "<", sql<Date>`now() - interval '1 day'`)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
