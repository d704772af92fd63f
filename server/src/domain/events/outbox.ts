import type { ServerEventName, ServerEventPayload } from "@yixian/contracts";
import { sql } from "kysely";
import type { Db, Executor, Tx } from "../../db/database.ts";
import type { Logger } from "../../platform/logger.ts";
import { deferredWrites, flushDeferred, written, type Deferred, type WrittenEvent } from "./deferred-writes.ts";

/** Where committed events go: the socket.io server (and through its adapter, every node). */
export interface FanoutPort {
  emit(rooms: string[], event: string, payload: unknown): void;
}

export interface OutboxEvent<E extends ServerEventName = ServerEventName> {
  tenantId: string;
  event: E;
  rooms: string[];
  payload: ServerEventPayload<E>;
}

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

/**
 * The transactional outbox. `transaction(fn)` runs fn, writes its events (claimed by this node)
 * with the commit and, once committed, fans them out at once from memory; their rows are marked
 * dispatched in batches. A slow poll delivers rows nobody claimed (written outside
 * `transaction`) or whose claim ran out (the node died between commit and delivery); rows are
 * taken with FOR UPDATE SKIP LOCKED so two nodes never deliver the same row.
 */
export class Outbox {
  private fanout: FanoutPort | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private toMark: number[] = [];
  private marking: Promise<void> | null = null;
  private markTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
  ) {}

  attach(fanout: FanoutPort, pollMs = 1000): void {
    this.fanout = fanout;
    this.timer = setInterval(() => this.kick(), pollMs);
    this.timer.unref();
    this.kick();
  }

  /**
   * Runs fn in one transaction; what it records with `recordEvent` (and `recordAudit`) is written
   * in one statement before the commit, and the events fan out right after it.
   */
  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const unclaimedBefore = unclaimedWrites;
    let committed: WrittenEvent[] = [];
    const result = await this.db.transaction().execute(async (tx) => {
      const deferred: Deferred = { events: [], audits: [], claimMs: this.fanout ? CLAIM_MS : 0 };
      const value = await deferredWrites.run(tx, deferred, () => fn(tx));
      committed = await flushDeferred(tx, deferred);
      return value;
    });
    if (committed.length > 0) this.deliver(committed);
    if (unclaimedWrites !== unclaimedBefore) this.kick();
    return result;
  }

  private deliver(events: WrittenEvent[]): void {
    const fanout = this.fanout;
    // Not attached (yet): the rows were written unclaimed and the first drain delivers them.
    if (!fanout) return;
    for (const { event: e, id } of events) {
      try {
        fanout.emit(e.rooms, e.event, e.payload);
      } catch (err) {
        this.log.error({ err, event: e.event }, "fan-out of a committed event failed");
      }
      this.toMark.push(id);
    }
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
    if (!this.fanout) return;
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

  /** Resolves when everything committed so far has been delivered and marked. */
  async flush(): Promise<void> {
    while (this.running || this.again) await (this.running ?? Promise.resolve());
    if (this.markTimer) clearTimeout(this.markTimer);
    this.markTimer = null;
    while (this.marking || this.toMark.length > 0) await this.markDelivered();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
    this.fanout = null;
  }

  private async drain(): Promise<void> {
    const fanout = this.fanout;
    if (!fanout) return;
    for (;;) {
      const delivered = await this.db.transaction().execute(async (tx) => {
        const rows = await sql<{ id: number; event: string; rooms: string[]; payload: unknown }>`
          select id, event, rooms, payload from outbox
          where dispatched_at is null and (claimed_until is null or claimed_until < now())
          order by id
          limit ${BATCH}
          for update skip locked`.execute(tx);
        if (rows.rows.length === 0) return 0;
        for (const row of rows.rows) fanout.emit(row.rooms, row.event, row.payload);
        await tx
          .updateTable("outbox")
          .set({ dispatched_at: sql<Date>`now()`, claimed_until: null })
          .where("id", "in", rows.rows.map((r) => r.id))
          .execute();
        return rows.rows.length;
      });
      if (delivered < BATCH) return;
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
