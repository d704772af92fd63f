import {
  ZVisitorSendMessage,
  rooms,
  type ConversationChangedEvent,
  type ConversationTypingEvent,
  type MessageCreatedEvent,
  type VisitorAck,
  type VisitorClientEvents,
  type VisitorNotice,
  type VisitorServerEvents,
} from "@yixian/contracts";
import type { Namespace, Socket } from "socket.io";
import type { Deps } from "../domain/context.ts";
import { DomainError } from "../domain/errors.ts";
import { agentOf, presentVisitorConversation, presentVisitorMessages } from "../domain/widget/present-visitor.ts";
import { checkWidgetOrigin } from "../domain/widget/cors.ts";
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
import type { YxServer } from "./socket-server.ts";

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
function handle<T>(deps: Deps, socket: VisitorSocket, ack: unknown, fn: (session: VisitorSession) => Promise<T>): void {
  if (typeof ack !== "function") return;
  const reply = ack as (res: VisitorAck<T>) => void;
  loadVisitorSession(deps, socket.data.tenantId, socket.data.visitorId)
    .then(fn)
    .then(
      (data) => reply({ ok: true, data }),
      (err: unknown) => reply(failure(err, deps)),
    );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Visitors of a conversation (normally one): the visitor whose current conversation it is, or
 * whose start made it (its external ref names them, before their row points at it).
 */
async function visitorsOf(deps: Deps, conversationId: string): Promise<{ id: string; tenant_id: string; read_seq: number; conversation_id: string | null }[]> {
  if (!UUID.test(conversationId)) return [];
  const conversation = await deps.db.selectFrom("conversations").select(["tenant_id", "channel", "external_ref"]).where("id", "=", conversationId).executeTakeFirst();
  if (!conversation || conversation.channel !== "webchat") return [];
  // widget:<visitor>:<their previous conversation, or "first">
  const [, starter = "", previous = ""] = /^widget:([0-9a-f-]{36}):(.+)$/i.exec(conversation.external_ref ?? "") ?? [];
  return deps.db
    .selectFrom("widget_visitors")
    .select(["id", "tenant_id", "read_seq", "conversation_id"])
    .where("tenant_id", "=", conversation.tenant_id)
    .where((eb) => {
      const current = eb("conversation_id", "=", conversationId);
      if (!UUID.test(starter)) return current;
      const stillBefore = UUID.test(previous) ? eb("conversation_id", "=", previous) : eb("conversation_id", "is", null);
      return eb.or([current, eb.and([eb("id", "=", starter), stillBefore])]);
    })
    .execute();
}

/** What the main namespace's conversation rooms hear, translated for the conversation's visitor. */
async function relay(deps: Deps, nsp: VisitorNamespace, event: string, payload: unknown): Promise<void> {
  if (event === "message:created") {
    const e = payload as MessageCreatedEvent;
    if (e.direction === "internal") return;
    const visitors = await visitorsOf(deps, e.conversationId);
    if (visitors.length === 0) return;
    const row = await deps.db.selectFrom("messages").selectAll().where("id", "=", e.id).where("direction", "<>", "internal").executeTakeFirst();
    if (!row) return;
    const [message] = await presentVisitorMessages(deps.db, row.tenant_id, [row]);
    if (message) for (const v of visitors) nsp.to(visitorRoom(v.id)).emit("message:new", message);
  } else if (event === "conversation:changed") {
    const e = payload as ConversationChangedEvent;
    const visitors = await visitorsOf(deps, e.id);
    if (visitors.length === 0) return;
    const row = await deps.db.selectFrom("conversations").selectAll().where("id", "=", e.id).executeTakeFirst();
    if (!row) return;
    for (const v of visitors) {
      const conversation = await presentVisitorConversation(deps.db, row, v);
      const room = nsp.to(visitorRoom(v.id));
      room.emit("conversation:changed", conversation);
      room.emit("read", { conversationId: row.id, agentReadSeq: conversation.agentReadSeq });
      const notice = (kind: VisitorNotice["kind"]): VisitorNotice => ({ kind, conversationId: row.id, position: conversation.queuePosition, agent: conversation.agent, at: e.updatedAt });
      if (e.changes.includes("created") && conversation.state === "queued") room.emit("notice", notice("queued"));
      else if (e.changes.includes("assignee") && conversation.state === "active") room.emit("notice", notice(e.changes.includes("state") ? "agent_joined" : "transferred"));
      else if (e.changes.includes("state") && conversation.state === "ended") room.emit("notice", notice("ended"));
    }
  } else if (event === "conversation:typing") {
    const e = payload as ConversationTypingEvent;
    if (e.by.type !== "user") return;
    const visitors = await visitorsOf(deps, e.conversationId);
    if (visitors.length === 0) return;
    const agent = await agentOf(deps.db, visitors[0]?.tenant_id ?? "", e.by.userId);
    for (const v of visitors) nsp.to(visitorRoom(v.id)).emit("typing", { conversationId: e.conversationId, typing: e.typing, agent });
  }
}

const RELAYED = new Set(["message:created", "conversation:changed", "conversation:typing"]);

/**
 * Watches what the main namespace emits to conversation rooms (outbox events after commit, and
 * agents' typing) on the node that emits it, and passes what the visitor may see to the visitor
 * namespace (through its adapter, so a visitor on any node hears it).
 */
function watchConversationRooms(io: YxServer, deps: Deps, nsp: VisitorNamespace): void {
  const adapter = io.of("/").adapter;
  const broadcast = adapter.broadcast.bind(adapter);
  adapter.broadcast = (packet, opts) => {
    broadcast(packet, opts);
    const data = (packet as { data?: unknown }).data;
    if (!Array.isArray(data) || typeof data[0] !== "string" || !RELAYED.has(data[0])) return;
    if (![...opts.rooms].some((r) => r.startsWith(rooms.conversation("")))) return;
    relay(deps, nsp, data[0], data[1]).catch((err: unknown) => deps.log.error({ err }, "relaying to the visitor failed"));
  };
}

/**
 * The web chat visitor's namespace: a socket opens with a visitor token (from POST
 * /widget/{key}/sessions), from a page the widget allows, and chats over the visitor requests of
 * `VisitorClientEvents`. Agents' replies, notices and typing come back live.
 */
export function attachVisitorNamespace(io: YxServer, deps: Deps): void {
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
    socket.on("conversation:start", (ack) => handle(deps, socket, ack, startConversationForVisitor));
    socket.on("message:send", (m, ack) =>
      handle(deps, socket, ack, (session) => {
        const parsed = ZVisitorSendMessage.safeParse(m);
        if (!parsed.success) throw new DomainError("VALIDATION_FAILED", parsed.error.issues.map((i) => `${i.path.join(".") || "message"}: ${i.message}`).join("; "));
        return sendVisitorMessage(session, parsed.data);
      }),
    );
    socket.on("messages:sync", (q, ack) =>
      handle(deps, socket, ack, (session) => visitorMessages(session, Math.max(0, Math.trunc(Number(q?.afterSeq) || 0)))),
    );
    socket.on("messages:read", (e, ack) => handle(deps, socket, ack, (session) => markVisitorRead(session, Number(e?.seq) || 0)));
    socket.on("conversation:end", (ack) => handle(deps, socket, ack, endVisitorConversation));
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
  watchConversationRooms(io, deps, nsp);
}
