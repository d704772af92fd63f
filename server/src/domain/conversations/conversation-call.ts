import type { ConversationDetail } from "@yixian/contracts";
import { sql, type ExpressionBuilder } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { DB } from "../../db/schema.ts";

export type ConversationCall = ConversationDetail["call"];

/**
 * The first call of each listed conversation (`c`), as "direction number" for `callFromColumn`:
 * one scalar sub-select, so that a list of chats pays one index probe per row and nothing more.
 */
export function firstCallColumn(eb: ExpressionBuilder<DB & { c: DB["conversations"] }, "c">, tenantId: string) {
  return eb
    .selectFrom("calls as k")
    .select(sql<string>`k.direction || ' ' || coalesce(case when k.direction = 'outbound' then k.to_number else k.from_number end, '')`.as("call"))
    .where("k.tenant_id", "=", tenantId)
    .whereRef("k.conversation_id", "=", "c.id")
    .orderBy("k.started_at")
    .limit(1)
    .as("first_call");
}

/** What `firstCallColumn` selected, as the contract's call. */
export function callFromColumn(value: string | null): ConversationCall {
  if (!value) return null;
  const [direction, number] = [value.slice(0, value.indexOf(" ")), value.slice(value.indexOf(" ") + 1)];
  return { direction: direction === "outbound" ? "outbound" : "inbound", number: number || null };
}

/** The conversation's first call, for its detail. */
export async function conversationCall(db: Executor, tenantId: string, conversationId: string): Promise<ConversationCall> {
  const row = await db
    .selectFrom("calls")
    .select(["direction", "from_number", "to_number"])
    .where("tenant_id", "=", tenantId)
    .where("conversation_id", "=", conversationId)
    .orderBy("started_at")
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  const outbound = row.direction === "outbound";
  return { direction: outbound ? "outbound" : "inbound", number: (outbound ? row.to_number : row.from_number) || null };
}
