import type { ConversationListItem, ConversationListQuery, Page } from "@yixian/contracts";
import { sql } from "kysely";
import type { Ctx } from "../context.ts";
import { DomainError } from "../errors.ts";
import { toPage } from "../shared/pagination.ts";
import { decodeTimeCursor, fromMicros, micros } from "../tickets/keyset-time.ts";
import { callFromColumn, firstCallColumn } from "./conversation-call.ts";
import { presentConversation } from "./present-conversation.ts";

/** Conversations of ctx's tenant, newest first, a page at a time (keyset on started_at, id), each
 * with its customer's name and first message so that an inbox of web chats can be told apart, and
 * a phone conversation's call (which way, which number). */
export async function listConversations(ctx: Ctx, filter: ConversationListQuery): Promise<Page<ConversationListItem>> {
  let q = ctx.deps.db
    .selectFrom("conversations as c")
    .leftJoin("contacts as ct", (j) => j.onRef("ct.id", "=", "c.contact_id").on("ct.tenant_id", "=", ctx.tenantId))
    .selectAll("c")
    .select(["ct.name as contact_name", "ct.anonymous as contact_anonymous"])
    .select((eb) =>
      eb
        .selectFrom("messages as m")
        .select(sql<string>`left(m.body_text, 120)`.as("text"))
        .where("m.tenant_id", "=", ctx.tenantId)
        .whereRef("m.conversation_id", "=", "c.id")
        .where("m.direction", "=", "inbound")
        .orderBy("m.seq")
        .limit(1)
        .as("first_message"),
    )
    .select((eb) => firstCallColumn(eb, ctx.tenantId))
    .select(micros("c.started_at").as("started_us"))
    .where("c.tenant_id", "=", ctx.tenantId);
  if (filter.state) q = q.where("c.state", "=", filter.state);
  if (filter.channel) q = q.where("c.channel", "=", filter.channel);
  if (filter.contactId) q = q.where("c.contact_id", "=", filter.contactId);
  if (filter.ticketId) q = q.where("c.ticket_id", "=", filter.ticketId);
  if (filter.queueId) q = q.where("c.queue_id", "=", filter.queueId);
  if (filter.assigneeId === "me") {
    if (ctx.actor.type !== "user") throw new DomainError("VALIDATION_FAILED", "assigneeId=me needs a signed-in user");
    q = q.where("c.assignee_id", "=", ctx.actor.id);
  } else if (filter.assigneeId) q = q.where("c.assignee_id", "=", filter.assigneeId);
  const after = decodeTimeCursor<string>(filter.cursor, "string");
  if (after) q = q.where(sql<boolean>`(c.started_at, c.id) < (${fromMicros(after[0])}, ${after[1]}::uuid)`);
  const rows = await q.orderBy("c.started_at", "desc").orderBy("c.id", "desc").limit(filter.limit + 1).execute();
  return toPage(rows, filter.limit, (r) => [r.started_us, r.id], (r) => ({
    ...presentConversation(r),
    contact: r.contact_name === null ? null : { name: r.contact_name, anonymous: r.contact_anonymous === true },
    firstMessage: r.first_message || null,
    call: callFromColumn(r.first_call),
  }));
}
