import type { ConversationDetail, SetConversationContact } from "@yixian/contracts";
import type { Tx } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { inTransaction, type Ctx } from "../context.ts";
import { recordAudit } from "../shared/audit.ts";
import { updateTicketWithEntry } from "../tickets/ticket-events.ts";
import { lockTicket } from "../tickets/ticket-guards.ts";
import { conversationChanged } from "./conversation-events.ts";
import { createFor, identifyAs } from "./conversation-contact.ts";
import { agentOf, lockConversation } from "./conversation-guards.ts";
import { presentConversationDetail } from "./get-conversation.ts";

/** The conversation's ticket follows its customer when it had none (or had the visitor). */
async function ticketFollows(tx: Tx, ctx: Ctx, ticketId: string, before: Row<"contacts"> | null, after: Row<"contacts">, how: "identified" | "created"): Promise<void> {
  const ticket = await lockTicket(tx, ctx, ticketId);
  const now = ctx.deps.clock.now();
  const ours = ticket.contact_id === null || ticket.contact_id === before?.id || ticket.contact_id === after.id;
  await updateTicketWithEntry(
    tx,
    ctx,
    ticket.id,
    {
      ...(ours ? { contact_id: after.id } : {}),
      ...(ours && !ticket.company_id && after.company_id ? { company_id: after.company_id } : {}),
    },
    { kind: "contact_identified", conversationId: null, occurredAt: now, data: { how, contactId: after.id, from: before?.name ?? null, to: after.name, companyId: after.company_id } },
    ours && ticket.contact_id !== after.id ? ["contact"] : [],
  );
}

/**
 * Says who the customer of a conversation is, from the console: `{ contactId }` identifies an
 * unknown web-chat visitor as a known customer (their anonymous contact is merged into it, so the
 * browser is recognised next time), `{ create }` turns the anonymous contact into a named one.
 * The conversation's ticket follows, with a contact_identified timeline entry. Errors: NOT_FOUND
 * for another tenant's conversation, contact or company; CONTACT_ALREADY_IDENTIFIED when the
 * customer is known already; IDENTITY_TAKEN for another contact's phone or e-mail.
 */
export async function setConversationContact(ctx: Ctx, conversationId: string, input: SetConversationContact): Promise<ConversationDetail> {
  agentOf(ctx);
  const row = await inTransaction(ctx, async (tx) => {
    const conversation = await lockConversation(tx, ctx, conversationId);
    const before = conversation.contact_id
      ? ((await tx.selectFrom("contacts").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", conversation.contact_id).executeTakeFirst()) ?? null)
      : null;
    const how = "contactId" in input ? "identified" : "created";
    const after = "contactId" in input ? await identifyAs(tx, ctx, before, input.contactId) : await createFor(tx, ctx, before, input.create);
    if (before?.id === after.id && how === "identified") return conversation;

    const now = ctx.deps.clock.now();
    const updated = await tx
      .updateTable("conversations")
      .set({ contact_id: after.id, updated_at: now })
      .where("tenant_id", "=", ctx.tenantId)
      .where("id", "=", conversation.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await tx
      .updateTable("conversation_participants")
      .set({ contact_id: after.id })
      .where("tenant_id", "=", ctx.tenantId)
      .where("conversation_id", "=", conversation.id)
      .where("kind", "=", "customer")
      .execute();
    if (conversation.ticket_id) await ticketFollows(tx, ctx, conversation.ticket_id, before, after, how);
    await recordAudit(tx, ctx, {
      action: `conversation.contact_${how}`,
      entityType: "conversation",
      entityId: conversation.id,
      changes: { contactId: [before?.id ?? null, after.id], name: [before?.name ?? null, after.name] },
    });
    await conversationChanged(tx, updated, ["contact"]);
    return updated;
  });
  return presentConversationDetail(ctx.deps.db, ctx, row);
}
