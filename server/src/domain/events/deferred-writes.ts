import { sql, type Insertable } from "kysely";
import type { Executor, Tx } from "../../db/database.ts";
import type { DB } from "../../db/schema.ts";
import type { OutboxEvent } from "./outbox.ts";

/**
 * Append-only rows a transaction produces but never reads back (its outbox events and audit
 * entries): kept in memory while it runs and written in one statement just before its commit,
 * instead of one round trip each.
 */
export interface Deferred {
  events: OutboxEvent[];
  /** The outbox id of each event already written by a statement of the transaction (see `written`), else null. */
  ids: (number | null)[];
  audits: Insertable<DB["audit_log"]>[];
  /** How long the committing node claims its events (0: unclaimed, the pollers deliver them). */
  claimMs: number;
}

/** The outbox row of an event, claimed for `claimMs` (0: unclaimed). */
function outboxRow(e: OutboxEvent, claimMs: number) {
  return {
    tenant_id: e.tenantId,
    event: e.event,
    rooms: e.rooms,
    payload: JSON.stringify(e.payload),
    claimed_until: claimMs > 0 ? sql<Date>`now() + ${claimMs} * interval '1 millisecond'` : null,
  };
}

/**
 * For a statement that writes an event's outbox row itself (one round trip less on a hot path):
 * records that the event was written with `id`, in its place among the transaction's events.
 */
export function written(deferred: Deferred, e: OutboxEvent, id: number): void {
  deferred.events.push(e);
  deferred.ids.push(id);
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
 * and returns the outbox ids in the order of `deferred.events`.
 */
export async function flushDeferred(tx: Tx, deferred: Deferred): Promise<number[]> {
  const { events, audits, claimMs } = deferred;
  const pending = events.flatMap((e, i) => (deferred.ids[i] === null ? [{ e, i }] : []));
  if (pending.length === 0) {
    if (audits.length > 0) await tx.insertInto("audit_log").values(audits).execute();
    return deferred.ids as number[];
  }
  const rows = pending.map(({ e }) => outboxRow(e, claimMs));
  const insert =
    audits.length > 0
      ? tx.with("audits", (qc) => qc.insertInto("audit_log").values(audits)).insertInto("outbox")
      : tx.insertInto("outbox");
  const inserted = await insert.values(rows).returning("id").execute();
  // identity values follow the VALUES order within one statement
  const ids = inserted.map((r) => r.id).sort((a, b) => a - b);
  pending.forEach(({ i }, n) => (deferred.ids[i] = ids[n]!));
  return deferred.ids as number[];
}
