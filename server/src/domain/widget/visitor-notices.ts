import type { VisitorNotice } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { isoRequired } from "../shared/pagination.ts";
import { agentOf } from "./present-visitor.ts";

export type StoredVisitorNotice = VisitorNotice & { afterSeq: number };

const ms = (d: Date | string) => (d instanceof Date ? d : new Date(d)).getTime();

/**
 * The notices the visitor saw live, derived again from what the conversation stores, so that a
 * reload (or the H5 page opened later) shows the same thread: queued when it started (without
 * a position: that is live only), an agent's accept (agent_joined; a later agent's, after a
 * transfer, is transferred), ended. Each keeps the `at` its live notice had (the row's
 * updated_at of that change: started_at, the participant's joined_at, ended_at), and sits after
 * the last message the visitor could see by then (at least the first one).
 */
export async function storedVisitorNotices(db: Executor, conversation: Row<"conversations">): Promise<StoredVisitorNotice[]> {
  const tenantId = conversation.tenant_id;
  const facts: { kind: VisitorNotice["kind"]; at: Date | string; userId: string | null }[] = [];
  // a message left while nobody was available is a conversation that started ended: never queued
  const leftMessage = conversation.ended_at !== null && ms(conversation.ended_at) === ms(conversation.started_at);
  if (!leftMessage) facts.push({ kind: "queued", at: conversation.started_at, userId: null });
  const joins = await db
    .selectFrom("conversation_participants")
    .select(["user_id", "joined_at"])
    .where("tenant_id", "=", tenantId)
    .where("conversation_id", "=", conversation.id)
    .where("kind", "=", "agent")
    .orderBy("joined_at")
    .orderBy("id")
    .execute();
  joins.forEach((j, i) => facts.push({ kind: i === 0 ? "agent_joined" : "transferred", at: j.joined_at, userId: j.user_id }));
  if (conversation.ended_at !== null) facts.push({ kind: "ended", at: conversation.ended_at, userId: null });

  const notices: StoredVisitorNotice[] = [];
  for (const f of facts) {
    const before = await db
      .selectFrom("messages")
      .select((eb) => eb.fn.max<number>("seq").as("seq"))
      .where("tenant_id", "=", tenantId)
      .where("conversation_id", "=", conversation.id)
      .where("direction", "in", ["inbound", "outbound"])
      .where("created_at", "<=", f.at instanceof Date ? f.at : new Date(f.at))
      .executeTakeFirst();
    notices.push({
      kind: f.kind,
      conversationId: conversation.id,
      position: null,
      agent: await agentOf(db, tenantId, f.userId),
      at: isoRequired(f.at),
      afterSeq: Math.max(1, Number(before?.seq ?? 0)),
    });
  }
  return notices.sort((a, b) => a.afterSeq - b.afterSeq || a.at.localeCompare(b.at));
}

/**
 * A page of the history holds the notices placed within it: from the asked afterSeq up to the
 * page's last seq (the next page, which starts there, holds the ones after). A notice placed
 * after the message the widget already has is new to it, so afterSeq itself is included.
 */
export function noticesOfPage(notices: readonly StoredVisitorNotice[], afterSeq: number, nextAfterSeq: number | null): StoredVisitorNotice[] {
  return notices.filter((n) => n.afterSeq >= afterSeq && (nextAfterSeq === null || n.afterSeq < nextAfterSeq));
}

/**
 * What the visitor is told when an agent takes the conversation: the first agent joined; a later
 * one (after a transfer) is `transferred`. The same rule as the history's, for the live notice.
 */
export async function joinNoticeKind(db: Executor, conversation: Pick<Row<"conversations">, "tenant_id" | "id">): Promise<"agent_joined" | "transferred"> {
  const joins = await db
    .selectFrom("conversation_participants")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("tenant_id", "=", conversation.tenant_id)
    .where("conversation_id", "=", conversation.id)
    .where("kind", "=", "agent")
    .executeTakeFirst();
  return Number(joins?.n ?? 0) > 1 ? "transferred" : "agent_joined";
}
