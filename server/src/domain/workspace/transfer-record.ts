import type { Tx } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import type { Ctx } from "../context.ts";
import { storeMessage } from "../conversations/store-message.ts";
import { recordAudit } from "../shared/audit.ts";
import { updateTicketWithEntry } from "../tickets/ticket-events.ts";

export interface TransferFacts {
  conversation: Row<"conversations">;
  from: { id: string; name: string };
  to: { agent: { id: string; name: string } } | { queue: { id: string; name: string } };
  note: string;
  workItemId: string;
}

/** "已为您转接至…" / "Transferred to …", in the tenant's language: what the customer reads. */
export function transferNotice(locale: string, to: TransferFacts["to"]): string {
  const zh = !locale.startsWith("en");
  if ("agent" in to) return zh ? `已为您转接至客服 ${to.agent.name}，请稍候。` : `Transferred to ${to.agent.name}; please hold on.`;
  return zh ? `已为您转接至 ${to.queue.name}，请稍候。` : `Transferred to ${to.queue.name}; please hold on.`;
}

/**
 * What a transfer leaves behind: on the ticket a `transferred` entry with from, to and note, and
 * the ticket follows (to the agent, or into the queue unassigned); for the customer a system
 * message on the conversation; the audit entry.
 */
export async function recordTransfer(tx: Tx, ctx: Ctx, facts: TransferFacts, now: Date): Promise<void> {
  const { conversation, to } = facts;
  const ticket = conversation.ticket_id
    ? await tx.selectFrom("tickets").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", conversation.ticket_id).executeTakeFirst()
    : undefined;
  if (ticket) {
    const moved = "agent" in to ? { assignee_id: to.agent.id } : { assignee_id: null, queue_id: to.queue.id };
    const entry = { kind: "transferred" as const, conversationId: conversation.id, occurredAt: now, data: { from: facts.from, to, note: facts.note, workItemId: facts.workItemId } };
    await updateTicketWithEntry(tx, ctx, ticket.id, moved, entry, "agent" in to ? ["assignee"] : ["assignee", "queue"]);
  }
  const tenant = await tx.selectFrom("tenants").select("locale").where("id", "=", ctx.tenantId).executeTakeFirstOrThrow();
  await storeMessage(tx, ctx, { conversationId: conversation.id, direction: "outbound", text: transferNotice(tenant.locale, to), author: { type: "system", id: null } });
  await recordAudit(tx, ctx, {
    action: "conversation.transferred",
    entityType: "conversation",
    entityId: conversation.id,
    changes: { from: facts.from.id, to: "agent" in to ? { agentId: to.agent.id } : { queueId: to.queue.id }, note: facts.note, ticketId: ticket?.id ?? null },
  });
}
