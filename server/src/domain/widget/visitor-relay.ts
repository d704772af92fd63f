import type { ConversationChangedEvent, VisitorConversation, VisitorMessage, VisitorNotice } from "@yixian/contracts";
import { sql } from "kysely";
import type { Deps } from "../context.ts";
import { initials, presentVisitorConversation, visitorAttachmentUrl, visitorSender } from "./present-visitor.ts";
import { joinNoticeKind } from "./visitor-notices.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The visitors whose current conversation it is (normally one; a visitor is pointed at a
 * conversation in the transaction that starts it): one index probe. Empty for a conversation no
 * visitor is in, as every conversation of other channels.
 */
export async function visitorsOfConversation(deps: Deps, conversationId: string): Promise<string[]> {
  if (!UUID.test(conversationId)) return [];
  const rows = await deps.db.selectFrom("widget_visitors").select("id").where("conversation_id", "=", conversationId).execute();
  return rows.map((r) => r.id);
}

interface RelayedRow {
  id: string;
  tenant_id: string;
  conversation_id: string;
  seq: number;
  author_type: string;
  author_id: string | null;
  body_text: string;
  client_id: string | null;
  created_at: Date;
  agent_name: string | null;
  files: { id: string; filename: string; contentType: string; size: number }[];
  visitors: string[];
}

/** A message as its conversation's visitors see it, with who they are (none: nobody to tell): one query. */
export async function messageForVisitors(deps: Deps, messageId: string): Promise<{ message: VisitorMessage; visitors: string[] } | undefined> {
  if (!UUID.test(messageId)) return undefined;
  const result = await sql<RelayedRow>`
    select m.id, m.tenant_id, m.conversation_id, m.seq, m.author_type, m.author_id, m.body_text, m.client_id, m.created_at,
      u.display_name as agent_name,
      coalesce((select json_agg(json_build_object('id', a.id, 'filename', a.filename, 'contentType', a.content_type, 'size', a.size_bytes) order by a.created_at, a.id)
        from attachments a where a.tenant_id = m.tenant_id and a.message_id = m.id), '[]'::json) as files,
      array(select v.id from widget_visitors v where v.conversation_id = m.conversation_id) as visitors
    from messages m
    left join users u on u.tenant_id = m.tenant_id and u.id = m.author_id and m.author_type = 'user'
    where m.id = ${messageId}::uuid and m.direction <> 'internal'`.execute(deps.db);
  const m = result.rows[0];
  if (!m) return undefined;
  const agent = m.author_type === "user" && m.agent_name ? { name: m.agent_name, initials: initials(m.agent_name) } : null;
  const message: VisitorMessage = {
    id: m.id,
    conversationId: m.conversation_id,
    seq: m.seq,
    from: visitorSender(m.author_type),
    agent,
    text: m.body_text,
    attachments: m.files.map((f) => ({ ...f, size: Number(f.size), url: visitorAttachmentUrl(deps, m.tenant_id, f.id) })),
    clientId: m.author_type === "contact" ? m.client_id : null,
    createdAt: new Date(m.created_at).toISOString(),
  };
  return { message, visitors: m.visitors };
}

/** What a conversation's change means to one of its visitors: the conversation as they see it, and the notice they get, if any. */
export interface VisitorUpdate {
  visitorId: string;
  conversation: VisitorConversation;
  notice: VisitorNotice | null;
}

/**
 * A committed conversation change as each of its visitors sees it: queued when it started,
 * agent joined (or transferred) when an agent took it, ended when it ended (the same notices the
 * history shows again, see visitor-notices.ts). Empty when no visitor is in it.
 */
export async function visitorUpdates(deps: Deps, changed: ConversationChangedEvent): Promise<VisitorUpdate[]> {
  const visitors = await visitorsOfConversation(deps, changed.id);
  if (visitors.length === 0) return [];
  const row = await deps.db.selectFrom("conversations").selectAll().where("id", "=", changed.id).executeTakeFirst();
  if (!row) return [];
  const states = await deps.db.selectFrom("widget_visitors").select(["id", "read_seq", "conversation_id"]).where("tenant_id", "=", row.tenant_id).where("id", "in", visitors).execute();
  const updates: VisitorUpdate[] = [];
  for (const v of states) {
    const conversation = await presentVisitorConversation(deps.db, row, v);
    const notice = (kind: VisitorNotice["kind"]): VisitorNotice => ({ kind, conversationId: row.id, position: conversation.queuePosition, agent: conversation.agent, at: changed.updatedAt });
    let told: VisitorNotice | null = null;
    if (changed.changes.includes("created") && conversation.state === "queued") told = notice("queued");
    else if (changed.changes.includes("assignee") && conversation.state === "active") told = notice(await joinNoticeKind(deps.db, row));
    else if (changed.changes.includes("state") && conversation.state === "ended") told = notice("ended");
    updates.push({ visitorId: v.id, conversation, notice: told });
  }
  return updates;
}
