import type { MissedCall, MissedCallDone } from "@yixian/contracts";
import type { Tx } from "../../../db/database.ts";
import type { Row } from "../../../db/schema.ts";
import { inTransaction, type Ctx } from "../../context.ts";
import { DomainError, found } from "../../errors.ts";
import { agentOf } from "../../shared/agent.ts";
import { recordAudit } from "../../shared/audit.ts";
import { loadMissedCall, missedCallChanged, missedCallState } from "./missed-call-rows.ts";

/**
 * The entry locked for a change by this agent: CALLBACK_DONE once it is done (unless this agent
 * did it and `doneAgain`: a retried "done"), CALLBACK_TAKEN while another agent has claimed it.
 */
async function lockForAgent(tx: Tx, ctx: Ctx, id: string, agentId: string, doneAgain: boolean): Promise<Row<"missed_calls">> {
  const row = found(await tx.selectFrom("missed_calls").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", id).forUpdate().executeTakeFirst(), "missed call");
  if (row.done_at && !(doneAgain && row.done_by === agentId)) throw new DomainError("CALLBACK_DONE", "this missed call has been called back already");
  if (row.claimed_by && row.claimed_by !== agentId) throw new DomainError("CALLBACK_TAKEN", "another agent is calling this number back");
  return row;
}

async function change(ctx: Ctx, id: string, doneAgain: boolean, apply: (tx: Tx, row: Row<"missed_calls">, agentId: string, now: Date) => Promise<Row<"missed_calls"> | null>): Promise<MissedCall> {
  const agent = agentOf(ctx);
  await inTransaction(ctx, async (tx) => {
    const row = await lockForAgent(tx, ctx, id, agent.id, doneAgain);
    const changed = await apply(tx, row, agent.id, ctx.deps.clock.now());
    if (!changed) return;
    await recordAudit(tx, ctx, { action: "missed_call.changed", entityType: "missed_call", entityId: id, changes: { state: [missedCallState(row), missedCallState(changed)] } });
    await missedCallChanged(tx, changed);
  });
  return loadMissedCall(ctx.deps.db, ctx.tenantId, id);
}

/**
 * The agent is calling the number back: the entry is theirs, so no other agent calls too
 * (CALLBACK_TAKEN for them). Claiming one's own claim again changes nothing.
 */
export function claimMissedCall(ctx: Ctx, id: string): Promise<MissedCall> {
  return change(ctx, id, false, async (tx, row, agentId, now) => {
    if (row.claimed_by === agentId) return null;
    return tx.updateTable("missed_calls").set({ claimed_by: agentId, claimed_at: now, updated_at: now }).where("id", "=", row.id).returningAll().executeTakeFirstOrThrow();
  });
}

/** The agent gives the call-back up (to try later, or for someone else): open again. */
export function releaseMissedCall(ctx: Ctx, id: string): Promise<MissedCall> {
  return change(ctx, id, false, async (tx, row, _agentId, now) => {
    if (!row.claimed_by) return null;
    return tx.updateTable("missed_calls").set({ claimed_by: null, claimed_at: null, updated_at: now }).where("id", "=", row.id).returningAll().executeTakeFirstOrThrow();
  });
}

/**
 * Called back, with the outcome (and a note): the entry leaves the open list, and the next missed
 * call from the number opens a new one. Unclaimed entries may be marked done directly; the same
 * agent marking it done again (a retry) changes nothing.
 */
export function markMissedCallDone(ctx: Ctx, id: string, input: MissedCallDone): Promise<MissedCall> {
  return change(ctx, id, true, async (tx, row, agentId, now) =>
    row.done_at
      ? null
      : tx
      .updateTable("missed_calls")
      .set({ claimed_by: row.claimed_by ?? agentId, claimed_at: row.claimed_at ?? now, done_at: now, done_by: agentId, outcome: input.outcome, note: input.note || null, updated_at: now })
      .where("id", "=", row.id)
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
}
