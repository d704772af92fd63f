import { sql } from "kysely";
import type { Tx } from "../../../db/database.ts";
import { newId } from "../../../platform/ids.ts";
import type { Ctx } from "../../context.ts";
import { missedCallChanged } from "./missed-call-rows.ts";

/** The CDR dispositions that leave a caller waiting for a call-back. */
const CALL_BACK_DISPOSITIONS: Record<string, "missed" | "callback"> = { abandoned: "missed", callback: "callback" };

/**
 * A call just ended (in the transaction that ended its record): a caller who hung up while
 * queued or ringing, or asked to be called back, is listed for a call-back. A call-back request
 * with its work item (the place it keeps in the queue) is its own entry, linked to the item by
 * id — the number's open missed call becomes it, else a new one — so two requests from one number
 * are two call-backs. A missed call folds into the number's open entry (one more attempt), the
 * one with no call-back work first. A withheld number cannot be called back and is not listed.
 */
export async function noteMissedCall(tx: Tx, ctx: Ctx, callId: string): Promise<void> {
  const call = await tx
    .selectFrom("calls as c")
    .leftJoin("conversations as cv", "cv.id", "c.conversation_id")
    .select(["c.id", "c.direction", "c.disposition", "c.from_number", "c.queue_id", "c.started_at", "c.ended_at", "cv.contact_id"])
    .where("c.tenant_id", "=", ctx.tenantId)
    .where("c.id", "=", callId)
    .executeTakeFirst();
  const kind = call?.disposition ? CALL_BACK_DISPOSITIONS[call.disposition] : undefined;
  if (!call || !kind || call.direction !== "inbound" || !call.from_number) return;
  const now = ctx.deps.clock.now();
  const endedAt = call.ended_at ? new Date(call.ended_at) : now;
  const waited = Math.max(0, Math.round((endedAt.getTime() - new Date(call.started_at).getTime()) / 1000));
  const item =
    kind === "callback"
      ? await tx.selectFrom("work_items").select("id").where("tenant_id", "=", ctx.tenantId).where("call_id", "=", call.id).where("kind", "=", "callback").executeTakeFirst()
      : undefined;
  let open = tx
    .selectFrom("missed_calls")
    .selectAll()
    .where("tenant_id", "=", ctx.tenantId)
    .where("number", "=", call.from_number)
    .where("done_at", "is", null);
  // a call-back request takes over only an entry with no call-back of its own
  if (item) open = open.where("work_item_id", "is", null);
  const before = await open.orderBy(sql`work_item_id is null`, "desc").orderBy("last_at", "desc").limit(1).forUpdate().executeTakeFirst();
  const attempt = {
    contact_id: call.contact_id ?? before?.contact_id ?? null,
    queue_id: call.queue_id ?? before?.queue_id ?? null,
    last_call_id: call.id,
    last_at: endedAt,
    waited_seconds: waited,
    updated_at: now,
  };
  const row = before
    ? await tx
        .updateTable("missed_calls")
        .set({ ...attempt, kind: kind === "callback" ? "callback" : before.kind, attempts: before.attempts + 1, ...(item ? { work_item_id: item.id } : {}) })
        .where("id", "=", before.id)
        .returningAll()
        .executeTakeFirstOrThrow()
    : await tx
        .insertInto("missed_calls")
        .values({ ...attempt, id: newId(now.getTime()), tenant_id: ctx.tenantId, kind, number: call.from_number, first_at: endedAt, work_item_id: item?.id ?? null })
        .onConflict((oc) =>
          // another call of the number listed it meanwhile: one more attempt on that entry
          oc
            .columns(["tenant_id", "number"])
            .where("done_at", "is", null)
            .where("work_item_id", "is", null)
            .doUpdateSet({
              kind: sql`case when excluded.kind = 'callback' then 'callback' else missed_calls.kind end`,
              contact_id: sql`coalesce(excluded.contact_id, missed_calls.contact_id)`,
              queue_id: sql`coalesce(excluded.queue_id, missed_calls.queue_id)`,
              last_call_id: sql`excluded.last_call_id`,
              last_at: sql`excluded.last_at`,
              waited_seconds: sql`excluded.waited_seconds`,
              attempts: sql`missed_calls.attempts + 1`,
              updated_at: sql`excluded.updated_at`,
            }),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
  await missedCallChanged(tx, row, before?.queue_id ?? null);
}
