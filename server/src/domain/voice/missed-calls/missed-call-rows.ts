import { rooms, type MissedCall, type MissedCallState } from "@yixian/contracts";
import type { Executor } from "../../../db/database.ts";
import type { Row } from "../../../db/schema.ts";
import { recordEvent } from "../../events/outbox.ts";
import { iso, isoRequired } from "../../shared/pagination.ts";

// The missed-call list's rows, presenter and event, shared by its use-cases.

/** A tenant's missed calls with the names the list shows. */
export function selectMissedCalls(db: Executor, tenantId: string) {
  return db
    .selectFrom("missed_calls as m")
    .leftJoin("contacts as ct", "ct.id", "m.contact_id")
    .leftJoin("companies as co", "co.id", "ct.company_id")
    .leftJoin("queues as q", "q.id", "m.queue_id")
    .leftJoin("users as cu", "cu.id", "m.claimed_by")
    .leftJoin("users as du", "du.id", "m.done_by")
    .leftJoin("work_items as w", "w.id", "m.work_item_id")
    .selectAll("m")
    .select(["w.callback_tries", "w.retry_at", "w.state as work_state", "q.callback_max_tries"])
    .select(["ct.name as contact_name", "co.id as company_id", "co.name as company_name", "q.name as queue_name", "cu.display_name as claimed_by_name", "du.display_name as done_by_name"])
    .where("m.tenant_id", "=", tenantId);
}

type MissedCallRow = Awaited<ReturnType<ReturnType<typeof selectMissedCalls>["execute"]>>[number];

const named = (id: string | null, name: string | null) => (id && name !== null ? { id, name } : null);

export function missedCallState(row: Pick<Row<"missed_calls">, "done_at" | "claimed_by">): MissedCallState {
  if (row.done_at) return "done";
  return row.claimed_by ? "claimed" : "open";
}

export function presentMissedCall(r: MissedCallRow): MissedCall {
  return {
    id: r.id,
    kind: r.kind === "callback" ? "callback" : "missed",
    state: missedCallState(r),
    number: r.number,
    contact: named(r.contact_id, r.contact_name),
    company: named(r.company_id, r.company_name),
    queue: named(r.queue_id, r.queue_name),
    firstAt: isoRequired(r.first_at),
    lastAt: isoRequired(r.last_at),
    attempts: r.attempts,
    waitedSeconds: r.waited_seconds,
    lastCallId: r.last_call_id,
    workItemId: r.work_item_id,
    callbackTries: r.callback_tries ?? 0,
    maxTries: r.work_item_id ? r.callback_max_tries : null,
    retryAt: r.work_state === "waiting" && r.retry_at && !r.done_at ? iso(r.retry_at) : null,
    claimedBy: named(r.claimed_by, r.claimed_by_name),
    claimedAt: iso(r.claimed_at),
    doneAt: iso(r.done_at),
    doneBy: named(r.done_by, r.done_by_name),
    outcome: r.outcome as MissedCall["outcome"],
    note: r.note,
    updatedAt: isoRequired(r.updated_at),
  };
}

/** One missed call, presented (after a change). */
export async function loadMissedCall(db: Executor, tenantId: string, id: string): Promise<MissedCall> {
  return presentMissedCall(await selectMissedCalls(db, tenantId).where("m.id", "=", id).executeTakeFirstOrThrow());
}

/**
 * Queues `missed-call:changed` for the queue's agents and the supervisors, delivered after
 * commit; a repeat call that moved the entry to another queue tells the old queue too.
 */
export async function missedCallChanged(tx: Executor, row: Row<"missed_calls">, previousQueueId?: string | null): Promise<void> {
  const queues = new Set([row.queue_id, previousQueueId].filter((q): q is string => Boolean(q)));
  await recordEvent(tx, {
    tenantId: row.tenant_id,
    event: "missed-call:changed",
    rooms: [rooms.supervisors(row.tenant_id), ...[...queues].map(rooms.queue)],
    payload: { id: row.id, queueId: row.queue_id, state: missedCallState(row), attempts: row.attempts, updatedAt: isoRequired(row.updated_at) },
  });
}
