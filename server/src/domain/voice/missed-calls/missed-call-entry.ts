import type { CallbackOutcome } from "@yixian/contracts";
import type { Updateable } from "kysely";
import type { Executor } from "../../../db/database.ts";
import type { DB, Row } from "../../../db/schema.ts";
import type { Ctx } from "../../context.ts";
import { recordAudit } from "../../shared/audit.ts";
import { missedCallChanged, missedCallState } from "./missed-call-rows.ts";

// Changes to one missed-call entry, for the use-cases that move it together with the call-back's
// work item (claim = accept, done = finish) and for a call that reaches the caller.

export type MissedCallRow = Row<"missed_calls">;

/** The open entries of a number (its missed calls and each call-back it asked for), row-locked (lock order: ticket → work item → entry). */
export async function lockOpenEntries(tx: Executor, tenantId: string, number: string): Promise<MissedCallRow[]> {
  return tx.selectFrom("missed_calls").selectAll().where("tenant_id", "=", tenantId).where("number", "=", number).where("done_at", "is", null).orderBy("id").forUpdate().execute();
}

/** The entry of a call-back's work item, row-locked (after the item). */
export async function lockEntryOfItem(tx: Executor, tenantId: string, workItemId: string): Promise<MissedCallRow | undefined> {
  return tx.selectFrom("missed_calls").selectAll().where("tenant_id", "=", tenantId).where("work_item_id", "=", workItemId).forUpdate().executeTakeFirst();
}

async function save(tx: Executor, ctx: Ctx, row: MissedCallRow, set: Updateable<DB["missed_calls"]>, now: Date): Promise<MissedCallRow> {
  const changed = await tx.updateTable("missed_calls").set({ ...set, updated_at: now }).where("id", "=", row.id).returningAll().executeTakeFirstOrThrow();
  await recordAudit(tx, ctx, { action: "missed_call.changed", entityType: "missed_call", entityId: row.id, changes: { state: [missedCallState(row), missedCallState(changed)] } });
  await missedCallChanged(tx, changed);
  return changed;
}

/** The agent is calling the number back; null when it is theirs already. */
export function claimEntry(tx: Executor, ctx: Ctx, row: MissedCallRow, agentId: string, now: Date): Promise<MissedCallRow | null> {
  if (row.claimed_by === agentId || row.done_at) return Promise.resolve(null);
  return save(tx, ctx, row, { claimed_by: agentId, claimed_at: now }, now);
}

/** Open again (to try later, or for someone else); null when nobody had it. */
export function releaseEntry(tx: Executor, ctx: Ctx, row: MissedCallRow, now: Date): Promise<MissedCallRow | null> {
  if (!row.claimed_by || row.done_at) return Promise.resolve(null);
  return save(tx, ctx, row, { claimed_by: null, claimed_at: null }, now);
}

/** Tried without an answer, to be tried again: open for anyone (its call-back waits in its queue until the next try). */
export function retryEntry(tx: Executor, ctx: Ctx, row: MissedCallRow, now: Date): Promise<MissedCallRow> {
  return save(tx, ctx, row, { claimed_by: null, claimed_at: null }, now);
}

/** Called back (or the caller reached otherwise), with the outcome; null when done already. */
export function finishEntry(tx: Executor, ctx: Ctx, row: MissedCallRow, done: { agentId: string | null; outcome: CallbackOutcome; note?: string | undefined }, now: Date): Promise<MissedCallRow | null> {
  if (row.done_at) return Promise.resolve(null);
  return save(
    tx,
    ctx,
    row,
    { claimed_by: row.claimed_by ?? done.agentId, claimed_at: row.claimed_at ?? (done.agentId ? now : null), done_at: now, done_by: done.agentId, outcome: done.outcome, note: done.note || null },
    now,
  );
}
