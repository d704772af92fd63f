import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { Ctx } from "../context.ts";
import { ticketChanged } from "../tickets/ticket-events.ts";
import { addTimelineEvent } from "../tickets/timeline.ts";

/**
 * Puts a call on its ticket's timeline (an entry of kind `call` whose data names the call; the
 * timeline shows the call record itself, so later facts — the recording, the rating — appear
 * without another entry), once — an entry the call layer wrote for it already (when it was
 * answered) counts — and tells the ticket's viewers. Nothing when the call's
 * conversation has no ticket (yet: a later report, such as the recording, adds the entry then).
 * Run in the transaction that moved the call, which holds the call's row lock.
 */
export async function callOnTimeline(tx: Executor, ctx: Ctx, callId: string): Promise<void> {
  const call = await tx
    .selectFrom("calls as c")
    .innerJoin("conversations as v", (j) => j.onRef("v.id", "=", "c.conversation_id").onRef("v.tenant_id", "=", "c.tenant_id"))
    .innerJoin("tickets as t", (j) => j.onRef("t.id", "=", "v.ticket_id").onRef("t.tenant_id", "=", "v.tenant_id"))
    .select(["c.id", "c.direction", "c.agent_id", "c.conversation_id", "v.contact_id", "t.id as ticket_id", "t.tenant_id", "t.number", "t.updated_at"])
    .where("c.tenant_id", "=", ctx.tenantId)
    .where("c.id", "=", callId)
    .executeTakeFirst();
  if (!call) return;
  const listed = await tx
    .selectFrom("timeline_events")
    .select("id")
    .where("tenant_id", "=", ctx.tenantId)
    .where("ticket_id", "=", call.ticket_id)
    .where("kind", "=", "call")
    .where(sql<string>`data->>'callId'`, "=", callId)
    .executeTakeFirst();
  if (!listed) {
    // an inbound call is the caller's; an outbound one the agent's who dialled
    const actor = call.direction === "inbound" && call.contact_id ? { type: "contact" as const, id: call.contact_id } : call.agent_id ? { type: "user" as const, id: call.agent_id } : { type: "system" as const, id: null };
    await addTimelineEvent(tx, ctx, { ticketId: call.ticket_id, kind: "call", conversationId: call.conversation_id, data: { callId }, actor });
  }
  await ticketChanged(tx, { id: call.ticket_id, tenant_id: call.tenant_id, number: call.number, updated_at: call.updated_at }, ["timeline"]);
}
