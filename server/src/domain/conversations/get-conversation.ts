import { PARTICIPANT_KINDS, TICKET_PRIORITIES, TICKET_STATUSES, type ConversationDetail } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import type { Ctx } from "../context.ts";
import { found } from "../errors.ts";
import { iso, isoRequired } from "../shared/pagination.ts";
import { knownValue } from "./conversation-guards.ts";
import { conversationCall } from "./conversation-call.ts";
import { presentConversation } from "./present-conversation.ts";

/** A conversation with its participants, its contact and its ticket, as the console shows it. */
export async function presentConversationDetail(db: Executor, ctx: Ctx, row: Row<"conversations">): Promise<ConversationDetail> {
  const participants = await db
    .selectFrom("conversation_participants as p")
    .leftJoin("users as u", (j) => j.onRef("u.id", "=", "p.user_id").on("u.tenant_id", "=", ctx.tenantId))
    .leftJoin("contacts as c", (j) => j.onRef("c.id", "=", "p.contact_id").on("c.tenant_id", "=", ctx.tenantId))
    .select(["p.id", "p.kind", "p.user_id", "p.contact_id", "p.joined_at", "p.left_at", "u.display_name as user_name", "c.name as contact_name"])
    .where("p.tenant_id", "=", ctx.tenantId)
    .where("p.conversation_id", "=", row.id)
    .orderBy("p.joined_at")
    .orderBy("p.id")
    .execute();
  const contact = row.contact_id
    ? await db
        .selectFrom("contacts as c")
        .leftJoin("companies as co", (j) => j.onRef("co.id", "=", "c.company_id").on("co.tenant_id", "=", ctx.tenantId))
        .select(["c.id", "c.name", "c.is_vip", "c.company_id", "co.name as company_name"])
        .where("c.tenant_id", "=", ctx.tenantId)
        .where("c.id", "=", row.contact_id)
        .executeTakeFirst()
    : undefined;
  const ticket = row.ticket_id
    ? await db
        .selectFrom("tickets")
        .select(["id", "number", "subject", "status", "priority", "assignee_id"])
        .where("tenant_id", "=", ctx.tenantId)
        .where("id", "=", row.ticket_id)
        .executeTakeFirst()
    : undefined;
  const call = row.channel === "phone" ? await conversationCall(db, ctx.tenantId, row.id) : null;
  return {
    ...presentConversation(row),
    call,
    participants: participants.map((p) => ({
      id: p.id,
      kind: knownValue(PARTICIPANT_KINDS, p.kind, "participant kind"),
      userId: p.user_id,
      contactId: p.contact_id,
      name: p.user_name ?? p.contact_name ?? null,
      joinedAt: isoRequired(p.joined_at),
      leftAt: iso(p.left_at),
    })),
    contact: contact
      ? { id: contact.id, name: contact.name, isVip: contact.is_vip, companyId: contact.company_id, companyName: contact.company_name ?? null }
      : null,
    ticket: ticket
      ? {
          id: ticket.id,
          number: ticket.number,
          subject: ticket.subject,
          status: knownValue(TICKET_STATUSES, ticket.status, "ticket status"),
          priority: knownValue(TICKET_PRIORITIES, ticket.priority, "ticket priority"),
          assigneeId: ticket.assignee_id,
        }
      : null,
  };
}

/** GET /conversations/{conversationId}. NOT_FOUND for another tenant's id. */
export async function getConversation(ctx: Ctx, conversationId: string): Promise<ConversationDetail> {
  const { db } = ctx.deps;
  const row = found(
    await db.selectFrom("conversations").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", conversationId).executeTakeFirst(),
    "conversation",
  );
  return presentConversationDetail(db, ctx, row);
}
