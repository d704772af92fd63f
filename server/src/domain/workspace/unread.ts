import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";

/**
 * Unread messages per conversation for one agent: those after the seq the agent last read,
 * except the agent's own. A conversation the agent never opened counts every message.
 */
export async function unreadByConversation(db: Executor, tenantId: string, userId: string, conversationIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>(conversationIds.map((id) => [id, 0]));
  if (conversationIds.length === 0) return out;
  const rows = await db
    .selectFrom("messages as m")
    .leftJoin("conversation_reads as r", (join) => join.onRef("r.conversation_id", "=", "m.conversation_id").on("r.user_id", "=", userId))
    .select(["m.conversation_id", sql<number>`count(*)::int`.as("n")])
    .where("m.tenant_id", "=", tenantId)
    .where("m.conversation_id", "in", [...conversationIds])
    .where(sql<boolean>`m.seq > coalesce(r.last_read_seq, 0)`)
    .where((eb) => eb.not(eb.and([eb("m.author_type", "=", "user"), eb("m.author_id", "=", userId)])))
    .groupBy("m.conversation_id")
    .execute();
  for (const r of rows) out.set(r.conversation_id, r.n);
  return out;
}
