import type { Message, VisitorAgent, VisitorConversation, VisitorMessage, VisitorMessageSender } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { signedAttachmentUrl, type LinkDeps } from "../attachments/signed-links.ts";
import { iso, isoRequired } from "../shared/pagination.ts";

/** Avatar initials: the first character of a CJK name, else the first letters of two words. */
export function initials(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) return "?";
  if (/^\p{Script=Han}/u.test(trimmed)) return [...trimmed][0] ?? "?";
  const words = trimmed.split(/\s+/).filter(Boolean);
  return words
    .slice(0, 2)
    .map((w) => ([...w][0] ?? "").toUpperCase())
    .join("");
}

export async function agentOf(db: Executor, tenantId: string, userId: string | null): Promise<VisitorAgent | null> {
  if (!userId) return null;
  const user = await db.selectFrom("users").select("display_name").where("tenant_id", "=", tenantId).where("id", "=", userId).executeTakeFirst();
  return user ? { name: user.display_name, initials: initials(user.display_name) } : null;
}

/** Where the visitor downloads an attachment: a short-lived link signed for that one file (never their token). */
export const visitorAttachmentUrl = (deps: LinkDeps, tenantId: string, id: string): string => signedAttachmentUrl(deps, tenantId, id);

const SENDER: Record<string, VisitorMessageSender> = { contact: "visitor", user: "agent", bot: "bot", system: "system", integration: "system" };

/** Who wrote a message, as the visitor sees it. */
export const visitorSender = (authorType: string): VisitorMessageSender => SENDER[authorType] ?? "system";

/** Messages as the visitor sees them (never internal notes: callers filter those out). */
export async function presentVisitorMessages(db: Executor, links: LinkDeps, tenantId: string, rows: Row<"messages">[]): Promise<VisitorMessage[]> {
  if (rows.length === 0) return [];
  const files = await db
    .selectFrom("attachments")
    .select(["id", "message_id", "filename", "content_type", "size_bytes"])
    .where("tenant_id", "=", tenantId)
    .where("message_id", "in", rows.map((r) => r.id))
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  const agentIds = [...new Set(rows.filter((r) => r.author_type === "user" && r.author_id).map((r) => r.author_id as string))];
  const agents = new Map<string, VisitorAgent>();
  for (const id of agentIds) {
    const agent = await agentOf(db, tenantId, id);
    if (agent) agents.set(id, agent);
  }
  return rows.map((r) => ({
    id: r.id,
    conversationId: r.conversation_id,
    seq: r.seq,
    from: visitorSender(r.author_type),
    agent: r.author_type === "user" && r.author_id ? (agents.get(r.author_id) ?? null) : null,
    text: r.body_text,
    attachments: files
      .filter((f) => f.message_id === r.id)
      .map((f) => ({ id: f.id, filename: f.filename, contentType: f.content_type, size: Number(f.size_bytes), url: visitorAttachmentUrl(links, tenantId, f.id) })),
    clientId: r.author_type === "contact" ? r.client_id : null,
    createdAt: isoRequired(r.created_at),
  }));
}

/** A message the visitor sent, as the use-case returned it, in the visitor's shape (no query). */
export function visitorsOwnMessage(links: LinkDeps, tenantId: string, m: Message): VisitorMessage {
  return {
    id: m.id,
    conversationId: m.conversationId,
    seq: m.seq,
    from: "visitor",
    agent: null,
    text: m.text,
    attachments: m.attachments.map((f) => ({ id: f.id, filename: f.filename, contentType: f.contentType, size: f.size, url: visitorAttachmentUrl(links, tenantId, f.id) })),
    clientId: m.clientId,
    createdAt: m.createdAt,
  };
}

/** 1 = next: items of the same queue waiting since before this one (or at once, with a smaller id). */
async function queuePosition(db: Executor, conversation: Row<"conversations">): Promise<number | null> {
  if (conversation.state !== "queued") return null;
  const item = await db
    .selectFrom("work_items")
    .select(["id", "queue_id", "enqueued_at"])
    .where("tenant_id", "=", conversation.tenant_id)
    .where("conversation_id", "=", conversation.id)
    .where("state", "in", ["waiting", "offered"])
    .executeTakeFirst();
  if (!item) return null;
  const ahead = await db
    .selectFrom("work_items")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("tenant_id", "=", conversation.tenant_id)
    .where("queue_id", "=", item.queue_id)
    .where("state", "in", ["waiting", "offered"])
    .where("enqueued_at", "<", item.enqueued_at)
    .executeTakeFirstOrThrow();
  return Number(ahead.n) + 1;
}

export async function presentVisitorConversation(db: Executor, conversation: Row<"conversations">, visitor: Pick<Row<"widget_visitors">, "read_seq" | "conversation_id">): Promise<VisitorConversation> {
  const tenantId = conversation.tenant_id;
  const reads = await db
    .selectFrom("conversation_reads")
    .select((eb) => eb.fn.max<number>("last_read_seq").as("seq"))
    .where("tenant_id", "=", tenantId)
    .where("conversation_id", "=", conversation.id)
    .executeTakeFirst();
  const lastAgentReply = await db
    .selectFrom("messages")
    .select((eb) => eb.fn.max<number>("seq").as("seq"))
    .where("tenant_id", "=", tenantId)
    .where("conversation_id", "=", conversation.id)
    .where("direction", "=", "outbound")
    .executeTakeFirst();
  const rating = conversation.ticket_id
    ? await db.selectFrom("ratings").select("id").where("tenant_id", "=", tenantId).where("conversation_id", "=", conversation.id).executeTakeFirst()
    : undefined;
  return {
    id: conversation.id,
    state: conversation.state as VisitorConversation["state"],
    lastSeq: conversation.last_seq,
    agent: await agentOf(db, tenantId, conversation.assignee_id),
    queuePosition: await queuePosition(db, conversation),
    visitorReadSeq: visitor.conversation_id === conversation.id ? visitor.read_seq : 0,
    // an agent who replied has read everything before the reply
    agentReadSeq: Math.max(Number(reads?.seq ?? 0), Number(lastAgentReply?.seq ?? 0)),
    rated: rating !== undefined,
    startedAt: isoRequired(conversation.started_at),
    endedAt: iso(conversation.ended_at),
  };
}
