import { sql, type CompiledQuery, type Insertable, type QueryResult } from "kysely";
import { THEN_COMMIT } from "../../db/postgres-pool.ts";
import type { Executor, Tx } from "../../db/database.ts";
import type { DB } from "../../db/schema.ts";
import type { OutboxEvent, WrittenEvent } from "./outbox-event.ts";

/**
 * Append-only rows a transaction produces but never reads back (its outbox events and audit
 * entries): kept in memory while it runs and written in one statement just before its commit,
 * instead of one round trip each.
 */
export interface Deferred {
  /** The transaction's events in order, each with its outbox id once a statement has written it (see `written`). */
  events: { event: OutboxEvent; id: number | null }[];
  audits: Insertable<DB["audit_log"]>[];
  /** How long the committing node claims its events (0: unclaimed, the pollers deliver them). */
  claimMs: number;
}

/**
 * SQL for when the claim of an event written now runs out, `ms` being the claim's length in
 * milliseconds as SQL (a parameter, or a literal); null for 0 (unclaimed).
 */
export function claimedUntilSql(ms: string): string {
  return `case when ${ms}::int > 0 then now() + ${ms}::int * interval '1 millisecond' end`;
}

/** The outbox row of an event, claimed for `claimMs` (0: unclaimed). */
function outboxRow(e: OutboxEvent, claimMs: number) {
  // claimMs is this node's own constant, never outside input: safe as a literal
  const claimed_until = sql<Date | null>`${sql.raw(claimedUntilSql(String(Math.trunc(claimMs))))}`;
  return { tenant_id: e.tenantId, event: e.event, rooms: e.rooms, payload: JSON.stringify(e.payload), claimed_until };
}

/**
 * For a statement that writes an event's outbox row itself (one round trip less on a hot path):
 * records that the event was written with `id`, in its place among the transaction's events.
 */
export function written(deferred: Deferred, e: OutboxEvent, id: number | null): void {
  deferred.events.push({ event: e, id });
}

const open = new WeakMap<Executor, Deferred>();

/** The deferred rows of this open transaction, or null when writes must go straight in. */
export function deferredWrites(tx: Executor): Deferred | null {
  return open.get(tx) ?? null;
}

/** Runs fn with `tx`'s append-only writes deferred into `deferred`. */
deferredWrites.run = async function run<T>(tx: Tx, deferred: Deferred, fn: () => Promise<T>): Promise<T> {
  open.set(tx, deferred);
  try {
    return await fn();
  } finally {
    open.delete(tx);
  }
};

/**
 * Writes the deferred rows not written yet (audit entries and outbox events in one statement)
 * and returns the transaction's events with their outbox ids, in order.
 */
export async function flushDeferred(tx: Tx, deferred: Deferred): Promise<WrittenEvent[]> {
  const { events, audits, claimMs } = deferred;
  const pending = events.filter((e) => e.id === null);
  if (pending.length === 0) {
    if (audits.length > 0) await tx.insertInto("audit_log").values(audits).execute();
    return events as WrittenEvent[];
  }
  const rows = pending.map(({ event }) => outboxRow(event, claimMs));
  const insert =
    audits.length > 0
      ? tx.with("audits", (qc) => qc.insertInto("audit_log").values(audits)).insertInto("outbox")
      : tx.insertInto("outbox");
  const inserted = await insert.values(rows).returning("id").execute();
  // identity values follow the VALUES order within one statement
  const ids = inserted.map((r) => r.id).sort((a, b) => a - b);
  pending.forEach((e, n) => (e.id = ids[n]!));
  return events as WrittenEvent[];
}

/**
 * Runs the transaction's last statement (`last`: its caller writes nothing after it), with the
 * COMMIT in the same round trip where it can (PostgreSQL, inside `Outbox.transaction`, with no
 * deferred row left to write before the commit); otherwise as any statement. The statement must
 * fail itself rather than leave the caller to roll back after reading its answer.
 */
export async function thenCommit<R>(tx: Tx, query: CompiledQuery<R>, last: boolean): Promise<QueryResult<R>> {
  const deferred = deferredWrites(tx);
  const nothingLeft = deferred !== null && deferred.audits.length === 0 && deferred.events.every((e) => e.id !== null);
  return tx.executeQuery(last && nothingLeft ? { ...query, sql: THEN_COMMIT + query.sql } : query);
}
