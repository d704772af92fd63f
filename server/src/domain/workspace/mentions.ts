import type { Mention } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import { inTransaction, type Ctx } from "../context.ts";
import { agentOf } from "../shared/agent.ts";
import { found } from "../errors.ts";
import { recordAudit } from "../shared/audit.ts";
import { iso, isoRequired } from "../shared/pagination.ts";
import { inboxChanged } from "../mentions/inbox-events.ts";

function mentionQuery(db: Executor, tenantId: string, userId: string) {
  return db
    .selectFrom("mentions as m")
    .leftJoin("users as u", "u.id", "m.author_id")
    .leftJoin("tickets as t", "t.id", "m.ticket_id")
    .select(["m.id", "m.author_id", "u.display_name as author_name", "m.conversation_id", "m.message_id", "m.ticket_id", "t.number as ticket_number", "m.excerpt", "m.created_at", "m.read_at"])
    .where("m.tenant_id", "=", tenantId)
    .where("m.user_id", "=", userId);
}

type MentionRow = Awaited<ReturnType<ReturnType<typeof mentionQuery>["executeTakeFirstOrThrow"]>>;

function presentMention(r: MentionRow): Mention {
  return {
    id: r.id,
    authorId: r.author_id,
    authorName: r.author_name,
    conversationId: r.conversation_id,
    messageId: r.message_id,
    ticketId: r.ticket_id,
    ticketNumber: r.ticket_number,
    excerpt: r.excerpt,
    createdAt: isoRequired(r.created_at),
    readAt: iso(r.read_at),
  };
}

/** The caller's mentions, newest first; with unread only those not yet read. */
export async function listMentions(ctx: Ctx, query: { unread: boolean; limit: number }): Promise<Mention[]> {
  const me = agentOf(ctx);
  let q = mentionQuery(ctx.deps.db, ctx.tenantId, me.id);
  if (query.unread) q = q.where("m.read_at", "is", null);
  const rows = await q.orderBy("m.created_at", "desc").orderBy("m.id", "desc").limit(query.limit).execute();
  return rows.map(presentMention);
}

/** Marks one of the caller's mentions read (another's is NOT_FOUND); reading twice changes nothing. */
export async function readMention(ctx: Ctx, mentionId: string): Promise<Mention> {
  const me = agentOf(ctx);
  return inTransaction(ctx, async (tx) => {
    const row = found(await mentionQuery(tx, ctx.tenantId, me.id).where("m.id", "=", mentionId).executeTakeFirst(), "mention");
    if (row.read_at) return presentMention(row);
    const now = ctx.deps.clock.now();
    await tx.updateTable("mentions").set({ read_at: now }).where("tenant_id", "=", ctx.tenantId).where("id", "=", row.id).execute();
    await recordAudit(tx, ctx, { action: "mention.read", entityType: "mention", entityId: row.id });
    await inboxChanged(tx, ctx.tenantId, [me.id], "mention", row.conversation_id, now);
    return presentMention({ ...row, read_at: now });
  });
}
