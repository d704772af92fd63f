import type { RenderedCannedReply } from "@yixian/contracts";
import { sql } from "kysely";
import { inTransaction, type Ctx } from "../context.ts";
import { agentOf } from "../shared/agent.ts";
import { found } from "../errors.ts";
import { recordAudit } from "../shared/audit.ts";
import { visibleCannedReply } from "./canned-reply-store.ts";
import { renderTemplate } from "./render-template.ts";

/**
 * A canned reply's text for one conversation: {{contact.name}} is its customer, {{agent.name}}
 * the caller, {{ticket.number}} its ticket. Counts one use of the reply. Sending it stays the
 * agent's step (POST /conversations/{id}/messages), so the text can be edited first.
 */
export async function renderCannedReply(ctx: Ctx, cannedReplyId: string, input: { conversationId: string }): Promise<RenderedCannedReply> {
  const me = agentOf(ctx);
  return inTransaction(ctx, async (tx) => {
    const reply = await visibleCannedReply(tx, ctx, cannedReplyId, { lock: true });
    const conversation = found(
      await tx
        .selectFrom("conversations")
        .leftJoin("contacts", "contacts.id", "conversations.contact_id")
        .leftJoin("tickets", "tickets.id", "conversations.ticket_id")
        .select(["conversations.id", "contacts.name as contact_name", "tickets.number as ticket_number"])
        .where("conversations.tenant_id", "=", ctx.tenantId)
        .where("conversations.id", "=", input.conversationId)
        .executeTakeFirst(),
      "conversation",
    );
    const text = renderTemplate(reply.body, { "contact.name": conversation.contact_name, "agent.name": me.name, "ticket.number": conversation.ticket_number });
    const used = await tx
      .updateTable("canned_replies")
      .set({ usage_count: sql<number>`usage_count + 1` })
      .where("tenant_id", "=", ctx.tenantId)
      .where("id", "=", reply.id)
      .returning("usage_count")
      .executeTakeFirstOrThrow();
    await recordAudit(tx, ctx, { action: "canned_reply.used", entityType: "canned_reply", entityId: reply.id, changes: { conversationId: conversation.id } });
    return { cannedReplyId: reply.id, text, usageCount: used.usage_count };
  });
}
