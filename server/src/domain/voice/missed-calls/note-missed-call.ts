import { sql } from "kysely";
import type { Tx } from "../../../db/database.ts";
import { newId } from "../../../platform/ids.ts";
import type { Ctx } from "../../context.ts";
import { missedCallChanged } from "./missed-call-rows.ts";

/** The CDR dispositions that leave a caller waiting for a call-back. */
const CALL_BACK_DISPOSITIONS: Record<string, "missed" | "callback"> = { abandoned: "missed", callback: "callback" };

/**
 * A call just ended (in the transaction that ended its record): a caller who hung up while
 * queued or ringing, or asked to be called back, is listed for a call-back — folded into the
 * open entry of the same number if there is one (one more attempt; a call-back request makes it
 * one). A withheld number cannot be called back and is not listed.
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
  const before = await tx
    .selectFrom("missed_calls")
    .select("queue_id")
    .where("tenant_id", "=", ctx.tenantId)
    .where("number", "=", call.from_number)
    .where("done_at", "is", null)
    .executeTakeFirst();
  const row = await tx
    .insertInto("missed_calls")
    .values({
      id: newId(now.getTime()),
      tenant_id: ctx.tenantId,
      kind,
      number: call.from_number,
      contact_id: call.contact_id,
      queue_id: call.queue_id,
      last_call_id: call.id,
      first_at: endedAt,
      last_at: endedAt,
      waited_seconds: waited,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc
        .columns(["tenant_id", "number"])
        .where("done_at", "is", null)
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
