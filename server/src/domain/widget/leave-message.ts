import type { LeaveMessage, LeaveMessageResult, LocalisedText } from "@yixian/contracts";
import { inTransaction } from "../context.ts";
import { conversationChanged } from "../conversations/conversation-events.ts";
import { ticketOnAccept } from "../conversations/conversation-ticket.ts";
import { storeMessage } from "../conversations/store-message.ts";
import { refreshContactSearch } from "../customers/contact-search.ts";
import { customerChanged } from "../customers/customer-events.ts";
import { newId } from "../../platform/ids.ts";
import { recordAudit } from "../shared/audit.ts";
import { contactByIdentity, moveVisitorIdentity } from "./identify-visitor.ts";
import { messageLimiter } from "./rate-limit.ts";
import type { VisitorChannel } from "./visitor-channel.ts";
import type { VisitorSession } from "./visitor-context.ts";

/**
 * Nobody available (or outside business hours): the visitor leaves a message. It is stored as a
 * conversation of the adapter's channel that ends at once, with its message on a ticket: the contact's open
 * ticket (one problem, one ticket) or a new one in the widget's queue. A phone number or e-mail
 * address finds the known customer. Answers the ticket number and how they will be answered.
 */
export async function leaveMessage(session: VisitorSession, via: VisitorChannel, input: LeaveMessage): Promise<LeaveMessageResult> {
  const { ctx, widget, visitor } = session;
  messageLimiter.take(`visitor:${visitor.id}`, ctx.deps.clock.now().getTime());
  const number = await inTransaction(ctx, async (tx) => {
    let target = session.contact;
    if (input.phone) target = await contactByIdentity(tx, session, "phone", input.phone);
    if (input.email) {
      const byEmail = await contactByIdentity(tx, { ...session, contact: target }, "email", input.email);
      if (target.id === session.contact.id) target = byEmail;
    }
    const own = target.id === session.contact.id;
    const now = ctx.deps.clock.now();
    if (own) {
      target = await tx.updateTable("contacts").set({ name: input.name, updated_at: now }).where("tenant_id", "=", ctx.tenantId).where("id", "=", target.id).returningAll().executeTakeFirstOrThrow();
      await refreshContactSearch(tx, ctx.tenantId, [target.id]);
      await customerChanged(tx, ctx.tenantId, "contact", target, ["name", "identities"]);
    } else {
      await moveVisitorIdentity(tx, session, target.id);
    }
    const conversation = await tx
      .insertInto("conversations")
      .values({
        id: newId(now.getTime()),
        tenant_id: ctx.tenantId,
        channel: via.channel,
        contact_id: target.id,
        queue_id: widget.default_queue_id,
        subject: "",
        started_at: now,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await tx.insertInto("conversation_participants").values({ tenant_id: ctx.tenantId, conversation_id: conversation.id, kind: "customer", contact_id: target.id, joined_at: now }).execute();
    const subject = input.text.split(/\r?\n/).map((l) => l.trim()).find(Boolean) ?? input.name;
    const ticket = await ticketOnAccept(tx, ctx, conversation, null, now, { via: "widget_leave_message" }, [...subject].slice(0, 100).join(""));
    await tx.updateTable("conversations").set({ ticket_id: ticket.id }).where("tenant_id", "=", ctx.tenantId).where("id", "=", conversation.id).execute();
    // stored as the customer's own message: it lands on the ticket's timeline
    await storeMessage(tx, { ...ctx, actor: { type: "contact", id: target.id } }, { conversationId: conversation.id, direction: "inbound", text: input.text }, { lockTicket: true });
    await tx.updateTable("conversations").set({ state: "ended", ended_at: now, updated_at: now }).where("tenant_id", "=", ctx.tenantId).where("id", "=", conversation.id).execute();
    await recordAudit(tx, ctx, {
      action: "widget.message_left",
      entityType: "conversation",
      entityId: conversation.id,
      changes: { ticketId: ticket.id, contactId: target.id, phone: Boolean(input.phone), email: Boolean(input.email) },
    });
    const ended = await tx.selectFrom("conversations").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", conversation.id).executeTakeFirstOrThrow();
    await conversationChanged(tx, ended, ["created", "state", "ticket"]);
    return ticket.number;
  });
  return { ticketNumber: number, reply: widget.offline_message as LocalisedText };
}
