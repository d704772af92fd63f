import {
  ZVisitorSendMessage,
  rooms,
  type ConversationChangedEvent,
  type ConversationTypingEvent,
  type VisitorAck,
  type VisitorAgent,
  type VisitorClientEvents,
  type VisitorMessage,
  type VisitorNotice,
  type VisitorServerEvents,
} from "@yixian/contracts";
import { sql, type RawBuilder } from "kysely";
import type { Namespace, Socket } from "socket.io";
import type { Deps } from "../domain/context.ts";
import { DomainError } from "../domain/errors.ts";
import { agentOf, initials, presentVisitorConversation, visitorAttachmentUrl, visitorSender } from "../domain/widget/present-visitor.ts";
import { checkWidgetOrigin } from "../domain/widget/cors.ts";
import { joinNoticeKind } from "../domain/widget/visitor-notices.ts";
import {
  endVisitorConversation,
  markVisitorRead,
  sendVisitorMessage,
  startConversationForVisitor,
  visitorConversationRow,
  visitorMessages,
} from "../domain/widget/visitor-chat.ts";
import { loadVisitorSession, resolveVisitorToken, type VisitorSession } from "../domain/widget/visitor-context.ts";
import { toDomainError } from "../http/errors.ts";
import { QueuePositions } from "./queue-positions.ts";
import type { YxServer } from "./socket-server.ts";
import type { OutboxEvent, OutboxSubscriber } from "../domain/events/outbox.ts";
import type { OutboundPort } from "../domain/channels/outbound-port.ts";

export const VISITOR_NAMESPACE = "/visitor";

interface VisitorSocketData {
  tenantId: string;
  visitorId: string;
}
type VisitorNamespace = Namespace<VisitorClientEvents, VisitorServerEvents, Record<string, never>, VisitorSocketData>;
type VisitorSocket = Socket<VisitorClientEvents, VisitorServerEvents, Record<string, never>, VisitorSocketData>;

/** Every socket of one visitor (several tabs) is in its visitor room. */
export const visitorRoom = (visitorId: string) => `visitor:${visitorId}`;

function failure(err: unknown, deps: Deps): { ok: false; error: { code: string; message: string } } {
  const known = toDomainError(err);
  if (known) return { ok: false, error: { code: known.code, message: known.message } };
  deps.log.error({ err }, "visitor request failed");
  return { ok: false, error: { code: "INTERNAL", message: "internal error" } };
}

/** Runs a visitor request with a fresh view of the session, and acks its outcome. */
function handle<T>(deps: Deps, socket: VisitorSocket, ack: unknown, fn: (session: VisitorSession) => Promise<T>): Promise<void> {
  if (typeof ack !== "function") return Promise.resolve();
  const reply = ack as (res: VisitorAck<T>) => void;
  return loadVisitorSession(deps, socket.data.tenantId, socket.data.visitorId)
    .then(fn)
    .then(
      (data) => reply({ ok: true, data }),
      (err: unknown) => reply(failure(err, deps)),
    );
}

/**
 * Visitors of a conversation (normally one), in one query: the visitor whose current
 * conversation it is, or whose start made it (the external ref `widget:<visitor>:<their previous
 * conversation, or "first">` names them) before their row points at it. Empty for other channels.
 */
function visitorsOf(conversation: RawBuilder<unknown>) {
  // two index probes (by conversation; by the starter's primary key), never a scan of the
  // tenant's visitors
  return sql<{ id: string }>`
    select v.id from conversations c
    join widget_visitors v on v.conversation_id = c.id
    where c.id = ${conversation} and c.channel = 'webchat'
    union
    select v.id from conversations c
    join widget_visitors v on v.id = (case when split_part(c.external_ref, ':', 2) ~ ${UUID_PATTERN} then split_part(c.external_ref, ':', 2)::uuid end)
      and v.tenant_id = c.tenant_id
      and (v.conversation_id::text = split_part(c.external_ref, ':', 3)
        or (split_part(c.external_ref, ':', 3) = 'first' and v.conversation_id is null))
    where c.id = ${conversation} and c.channel = 'webchat'`;
}

const UUID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
const UUID = new RegExp(UUID_PATTERN);

interface RelayedMessage {
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

/** A message as its conversation's visitors see it, with who they are: one query. */
async function relayedMessage(deps: Deps, id: string): Promise<RelayedMessage | undefined> {
  const result = await sql<RelayedMessage>`
    select m.id, m.tenant_id, m.conversation_id, m.seq, m.author_type, m.author_id, m.body_text, m.client_id, m.created_at,
      u.display_name as agent_name,
      coalesce((select json_agg(json_build_object('id', a.id, 'filename', a.filename, 'contentType', a.content_type, 'size', a.size_bytes) order by a.created_at, a.id)
        from attachments a where a.tenant_id = m.tenant_id and a.message_id = m.id), '[]'::json) as files,
      array(${visitorsOf(sql`m.conversation_id`)}) as visitors
    from messages m
    left join users u on u.tenant_id = m.tenant_id and u.id = m.author_id and m.author_type = 'user'
    where m.id = ${id}::uuid and m.direction <> 'internal'`.execute(deps.db);
  return result.rows[0];
}

function toVisitorMessage(deps: Deps, m: RelayedMessage): VisitorMessage {
  const agent = m.author_type === "user" && m.agent_name ? { name: m.agent_name, initials: initials(m.agent_name) } : null;
  return {
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
}

/** Agent names for typing indicators, briefly remembered (typing events come in bursts). */
const agentNames = new Map<string, { agent: VisitorAgent | null; until: number }>();
async function typingAgent(deps: Deps, tenantId: string, userId: string): Promise<VisitorAgent | null> {
  const key = `${tenantId}:${userId}`;
  const now = Date.now();
  const known = agentNames.get(key);
  if (known && known.until > now) return known.agent;
  const agent = await agentOf(deps.db, tenantId, userId);
  if (agentNames.size > 10_000) agentNames.clear();
  agentNames.set(key, { agent, until: now + 60_000 });
  return agent;
}

/** Conversation changes the visitor learns nothing from: their own reads, and new messages (relayed as such). */
const UNSEEN_CHANGES = new Set(["messages", "visitorRead"]);

/** What an outbox event to a conversation's room means for the conversation's visitor. */
async function relay(deps: Deps, nsp: VisitorNamespace, e: OutboxEvent): Promise<void> {
  if (e.event === "conversation:changed") {
    const changed = e.payload as ConversationChangedEvent;
    if (!UUID.test(changed.id) || changed.changes.every((c) => UNSEEN_CHANGES.has(c))) return;
    const visitors = (await visitorsOf(sql`${changed.id}::uuid`).execute(deps.db)).rows;
    if (visitors.length === 0) return;
    const row = await deps.db.selectFrom("conversations").selectAll().where("id", "=", changed.id).executeTakeFirst();
    if (!row) return;
    const states = await deps.db.selectFrom("widget_visitors").select(["id", "read_seq", "conversation_id"]).where("tenant_id", "=", row.tenant_id).where("id", "in", visitors.map((v) => v.id)).execute();
    for (const v of states) {
      const conversation = await presentVisitorConversation(deps.db, row, v);
      const room = nsp.to(visitorRoom(v.id));
      room.emit("conversation:changed", conversation);
      room.emit("read", { conversationId: row.id, agentReadSeq: conversation.agentReadSeq });
      const notice = (kind: VisitorNotice["kind"]): VisitorNotice => ({ kind, conversationId: row.id, position: conversation.queuePosition, agent: conversation.agent, at: changed.updatedAt });
      if (changed.changes.includes("created") && conversation.state === "queued") room.emit("notice", notice("queued"));
      else if (changed.changes.includes("assignee") && conversation.state === "active") room.emit("notice", notice(await joinNoticeKind(deps.db, row)));
      else if (changed.changes.includes("state") && conversation.state === "ended") room.emit("notice", notice("ended"));
    }
  }
}

/**
 * Web chat's outbound port: an agent's reply reaches the conversation's visitors (every tab, on
 * any node) as soon as it is committed; that is its delivery ("sent"). A visitor's own message
 * reaches their other tabs from the sending socket (see message:send).
 */
function webchatPort(deps: Deps, nsp: VisitorNamespace): OutboundPort {
  return {
    channel: "webchat",
    initialState: "sent",
    async deliver(reply) {
      const m = await relayedMessage(deps, reply.id);
      if (!m || m.visitors.length === 0) return { state: "sent" };
      const message = toVisitorMessage(deps, m);
      for (const v of m.visitors) {
        const room = nsp.to(visitorRoom(v));
        room.emit("message:new", message);
        // an agent who replies has read everything before the reply
        if (message.from === "agent") room.emit("read", { conversationId: message.conversationId, agentReadSeq: message.seq });
      }
      return { state: "sent" };
    },
    typing(tenantId, e) {
      relayTyping(deps, nsp, tenantId, e).catch((err: unknown) => deps.log.error({ err }, "relaying typing to the visitor failed"));
    },
  };
}

/** An agent typing: the conversation's visitors see who. */
async function relayTyping(deps: Deps, nsp: VisitorNamespace, tenantId: string, e: ConversationTypingEvent): Promise<void> {
  if (e.by.type !== "user" || !UUID.test(e.conversationId)) return;
  const visitors = (await visitorsOf(sql`${e.conversationId}::uuid`).execute(deps.db)).rows;
  if (visitors.length === 0) return;
  const agent = await typingAgent(deps, tenantId, e.by.userId);
  for (const v of visitors) nsp.to(visitorRoom(v.id)).emit("typing", { conversationId: e.conversationId, typing: e.typing, agent });
}

const RELAYED = new Set(["conversation:changed"]);
/** Changes that can move the places of the conversations waiting behind this one. */
const QUEUE_CHANGES = new Set(["state", "assignee", "queue"]);

/**
 * The outbox subscriber of the visitor namespace: what conversation rooms hear after a commit,
 * passed on as the visitor may see it (through the namespace's adapter, so a visitor on any node
 * hears it). A failed relay is retried by the outbox.
 */
function visitorRelay(deps: Deps, nsp: VisitorNamespace, positions: QueuePositions): OutboxSubscriber {
  return {
    name: "web chat visitor relay",
    handle(e) {
      if (!RELAYED.has(e.event) || !e.rooms.some((r) => r.startsWith(rooms.conversation("")))) return;
      if (e.event === "conversation:changed" && (e.payload as ConversationChangedEvent).changes.some((c) => QUEUE_CHANGES.has(c))) positions.changed(e.tenantId);
      return relay(deps, nsp, e);
    },
  };
}

/**
 * The web chat visitor's namespace: a socket opens with a visitor token (from POST
 * /widget/{key}/sessions), from a page the widget allows, and chats over the visitor requests of
 * `VisitorClientEvents`. Agents' replies, notices and typing come back live.
 */
export function attachVisitorNamespace(io: YxServer, deps: Deps): { stop: () => Promise<void>; port: OutboundPort } {
  const nsp = io.of(VISITOR_NAMESPACE) as unknown as VisitorNamespace;
  nsp.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown }).token;
    resolveVisitorToken(deps, typeof token === "string" ? token : null)
      .then((session) => {
        const host = socket.handshake.headers.host ?? "";
        checkWidgetOrigin(session.widget, socket.handshake.headers.origin, [`http://${host}`, `https://${host}`, ...(deps.config.publicUrl ? [new URL(deps.config.publicUrl).origin] : [])]);
        socket.data = { tenantId: session.visitor.tenant_id, visitorId: session.visitor.id };
        next();
      })
      .catch((err: unknown) => next(err instanceof Error ? err : new DomainError("UNAUTHENTICATED", String(err))));
  });

  nsp.on("connection", (socket) => {
    void socket.join(visitorRoom(socket.data.visitorId));
    socket.on("conversation:start", (ack) => void handle(deps, socket, ack, startConversationForVisitor));
    // A socket's messages are stored one after another, in the order they were sent (a widget
    // back online sends what it queued all at once; their seqs must keep the visitor's order).
    let sending = Promise.resolve();
    socket.on("message:send", (m, ack) => {
      sending = sending.then(() =>
        handle(deps, socket, ack, async (session) => {
          const parsed = ZVisitorSendMessage.safeParse(m);
          if (!parsed.success) throw new DomainError("VALIDATION_FAILED", parsed.error.issues.map((i) => `${i.path.join(".") || "message"}: ${i.message}`).join("; "));
          const message = await sendVisitorMessage(session, parsed.data);
          // the visitor's other tabs, on any node (this one has it in its ack): no look-up of
          // who the conversation's visitor is, as the relay of an agent's reply needs
          socket.to(visitorRoom(session.visitor.id)).emit("message:new", message);
          return message;
        }),
      );
    });
    socket.on("messages:sync", (q, ack) =>
      void handle(deps, socket, ack, (session) => visitorMessages(session, Math.max(0, Math.trunc(Number(q?.afterSeq) || 0)))),
    );
    socket.on("messages:read", (e, ack) => void handle(deps, socket, ack, (session) => markVisitorRead(session, Number(e?.seq) || 0)));
    socket.on("conversation:end", (ack) => void handle(deps, socket, ack, endVisitorConversation));
    socket.on("typing", (e) => {
      loadVisitorSession(deps, socket.data.tenantId, socket.data.visitorId)
        .then(visitorConversationRow)
        .then((row) => {
          if (!row || row.state === "ended") return;
          io.to(rooms.conversation(row.id)).emit("conversation:typing", { conversationId: row.id, typing: e?.typing === true, by: { type: "visitor" } });
        })
        .catch((err: unknown) => deps.log.error({ err }, "visitor typing failed"));
    });
  });
  const positions = new QueuePositions(deps, (u) => nsp.to(visitorRoom(u.visitorId)).emit("queue:position", { conversationId: u.conversationId, position: u.position }));
  const unsubscribe = deps.outbox.subscribe(visitorRelay(deps, nsp, positions));
  return {
    stop: async () => {
      unsubscribe();
      positions.stop();
    },
    port: webchatPort(deps, nsp),
  };
}
