import type { ServerEventName, ServerEventPayload } from "@yixian/contracts";
import { sql } from "kysely";
import type { Db, Executor } from "../../db/database.ts";
import type { Logger } from "../../platform/logger.ts";

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

/** Records an event inside the caller's transaction; it is delivered only if that commits. */
export async function recordEvent<E extends ServerEventName>(tx: Executor, e: OutboxEvent<E>): Promise<void> {
  await tx
    .insertInto("outbox")
    .values({ tenant_id: e.tenantId, event: e.event, rooms: e.rooms, payload: JSON.stringify(e.payload) })
    .execute();
}

const BATCH = 200;

/**
 * Delivers outbox rows after commit. `kick()` is called after every transaction; a slow poll
 * picks up rows another process committed but did not deliver (it crashed in between).
 * Rows are claimed with FOR UPDATE SKIP LOCKED so two nodes never deliver the same row.
 */
export class Outbox {
  private fanout: FanoutPort | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;

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

  /** Resolves when everything committed so far has been delivered. */
  async flush(): Promise<void> {
    while (this.running || this.again) await (this.running ?? Promise.resolve());
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
          where dispatched_at is null
          order by id
          limit ${BATCH}
          for update skip locked`.execute(tx);
        if (rows.rows.length === 0) return 0;
        for (const row of rows.rows) fanout.emit(row.rooms, row.event, row.payload);
        await tx
          .updateTable("outbox")
          .set({ dispatched_at: sql<Date>`now()` })
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
