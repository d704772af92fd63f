import type { InboxCounts } from "@yixian/contracts";
import { sql } from "kysely";
import type { Ctx } from "../context.ts";
import { agentOf } from "../shared/agent.ts";
import { unreadByConversation } from "./unread.ts";

/**
 * What the console's inbox badges show for the caller: unread messages in each active
 * conversation assigned to them, items waiting in each queue they belong to, queued
 * conversations nobody has taken in those queues, and their unread mentions.
 */
export async function inboxCounts(ctx: Ctx): Promise<InboxCounts> {
  const me = agentOf(ctx);
  const { db } = ctx.deps;
  const mine = await db
    .selectFrom("conversations")
    .select("id")
    .where("tenant_id", "=", ctx.tenantId)
    .where("assignee_id", "=", me.id)
    .where("state", "=", "active")
    .orderBy(sql`coalesce(last_message_at, started_at)`, "desc")
    .orderBy("id")
    .execute();
  const unread = await unreadByConversation(db, ctx.tenantId, me.id, mine.map((c) => c.id));
  const conversations = mine.map((c) => ({ conversationId: c.id, unread: unread.get(c.id) ?? 0 }));

  const queues = await db
    .selectFrom("queue_members as qm")
    .innerJoin("queues as q", "q.id", "qm.queue_id")
    .select([
      "q.id",
      "q.name",
      (eb) =>
        eb
          .selectFrom("work_items as w")
          .select(sql<number>`count(*)::int`.as("n"))
          .whereRef("w.queue_id", "=", "q.id")
          .where("w.tenant_id", "=", ctx.tenantId)
          .where("w.state", "in", ["waiting", "offered"])
          .as("waiting"),
    ])
    .where("qm.tenant_id", "=", ctx.tenantId)
    .where("qm.user_id", "=", me.id)
    .orderBy("q.name")
    .execute();
  const queueIds = queues.map((q) => q.id);
  const unassigned =
    queueIds.length === 0
      ? 0
      : (
          await db
            .selectFrom("conversations")
            .select(sql<number>`count(*)::int`.as("n"))
            .where("tenant_id", "=", ctx.tenantId)
            .where("state", "=", "queued")
            .where("queue_id", "in", queueIds)
            .executeTakeFirstOrThrow()
        ).n;
  const mentions = await db
    .selectFrom("mentions")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("tenant_id", "=", ctx.tenantId)
    .where("user_id", "=", me.id)
    .where("read_at", "is", null)
    .executeTakeFirstOrThrow();
  return {
    conversations,
    unreadTotal: conversations.reduce((sum, c) => sum + c.unread, 0),
    queues: queues.map((q) => ({ queueId: q.id, name: q.name, waiting: q.waiting ?? 0 })),
    unassigned,
    mentions: mentions.n,
  };
}
