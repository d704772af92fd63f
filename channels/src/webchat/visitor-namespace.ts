import {
  ZVisitorSendMessage,
  rooms,
  type ConversationChangedEvent,
  type ConversationTypingEvent,
  type VisitorAck,
  type VisitorAgent,
  type VisitorClientEvents,
  type VisitorServerEvents,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from "@yixian/contracts";
import {
  DomainError,
  endVisitorConversation,
  loadVisitorSession,
  markVisitorRead,
  messageForVisitors,
  sendVisitorMessage,
  startConversationForVisitor,
  visitorAgent,
  visitorConversationRow,
  visitorMessages,
  visitorsOfConversation,
  visitorUpdates,
  type Deps,
  type OutboundPort,
  type OutboxEvent,
  type OutboxSubscriber,
  type VisitorSession,
} from "@yixian/server/domain";
import { ackError, visitorCaller } from "@yixian/server/edge";
import type { Namespace, Server, Socket } from "socket.io";
import { webchat } from "./channel.ts";
import { QueuePositions } from "./queue-positions.ts";

/** The socket.io server the agents' namespaces run on: the visitor namespace sits beside them, and a visitor's typing reaches the agents' conversation room. */
export type AgentSocketServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>>;

export const VISITOR_NAMESPACE = "/visitor";

interface VisitorSocketData {
  tenantId: string;
  visitorId: string;
}
type VisitorNamespace = Namespace<VisitorClientEvents, VisitorServerEvents, Record<string, never>, VisitorSocketData>;
type VisitorSocket = Socket<VisitorClientEvents, VisitorServerEvents, Record<string, never>, VisitorSocketData>;

/** Every socket of one visitor (several tabs) is in its visitor room. */
export const visitorRoom = (visitorId: string) => `visitor:${visitorId}`;

/** Runs a visitor request with a fresh view of the session, and acks its outcome. */
function handle<T>(deps: Deps, socket: VisitorSocket, ack: unknown, fn: (session: VisitorSession) => Promise<T>): Promise<void> {
  if (typeof ack !== "function") return Promise.resolve();
  const reply = ack as (res: VisitorAck<T>) => void;
  return loadVisitorSession(deps, socket.data.tenantId, socket.data.visitorId)
    .then(fn)
    .then(
      (data) => reply({ ok: true, data }),
      (err: unknown) => reply(ackError(err, deps.log, "visitor request failed")),
    );
}

/** Agent names for typing indicators, briefly remembered (typing events come in bursts). */
const agentNames = new Map<string, { agent: VisitorAgent | null; until: number }>();
async function typingAgent(deps: Deps, tenantId: string, userId: string): Promise<VisitorAgent | null> {
  const key = `${tenantId}:${userId}`;
  const now = Date.now();
  const known = agentNames.get(key);
  if (known && known.until > now) return known.agent;
  const agent = await visitorAgent(deps.db, tenantId, userId);
  if (agentNames.size > 10_000) agentNames.clear();
  agentNames.set(key, { agent, until: now + 60_000 });
  return agent;
}

/** Conversation changes the visitor learns nothing from: their own reads, and new messages (relayed as such). */
const UNSEEN_CHANGES = new Set(["messages", "visitorRead"]);

/** What an outbox event to a conversation's room means for the conversation's visitor. */
async function relay(deps: Deps, nsp: VisitorNamespace, e: OutboxEvent): Promise<void> {
  if (e.event !== "conversation:changed") return;
  const changed = e.payload as ConversationChangedEvent;
  // a phone call's or an e-mail's conversation has no visitor to tell
  if (changed.channel !== webchat.channel || changed.changes.every((c) => UNSEEN_CHANGES.has(c))) return;
  for (const update of await visitorUpdates(deps, changed)) {
    const room = nsp.to(visitorRoom(update.visitorId));
    room.emit("conversation:changed", update.conversation);
    room.emit("read", { conversationId: update.conversation.id, agentReadSeq: update.conversation.agentReadSeq });
    if (update.notice) room.emit("notice", update.notice);
  }
}

/**
 * Web chat's outbound port: an agent's reply reaches the conversation's visitors (every tab, on
 * any node) as soon as it is committed; that is its delivery ("sent"). A visitor's own message
 * reaches their other tabs from the sending socket (see message:send).
 */
function webchatPort(deps: Deps, nsp: VisitorNamespace): OutboundPort {
  return {
    channel: webchat.channel,
    initialState: "sent",
    async deliver(reply) {
      const relayed = await messageForVisitors(deps, reply.id);
      if (!relayed) return { state: "sent" };
      const { message, visitors } = relayed;
      for (const v of visitors) {
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
  if (e.by.type !== "user") return;
  const visitors = await visitorsOfConversation(deps, e.conversationId);
  if (visitors.length === 0) return;
  const agent = await typingAgent(deps, tenantId, e.by.userId);
  for (const v of visitors) nsp.to(visitorRoom(v)).emit("typing", { conversationId: e.conversationId, typing: e.typing, agent });
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
export function attachVisitorNamespace(io: AgentSocketServer, deps: Deps): { stop: () => Promise<void>; port: OutboundPort } {
  const nsp = io.of(VISITOR_NAMESPACE) as unknown as VisitorNamespace;
  nsp.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown }).token;
    visitorCaller(deps, typeof token === "string" ? token : null, socket.handshake.headers)
      .then((session) => {
        socket.data = { tenantId: session.visitor.tenant_id, visitorId: session.visitor.id };
        next();
      })
      .catch((err: unknown) => next(err instanceof Error ? err : new DomainError("UNAUTHENTICATED", String(err))));
  });

  nsp.on("connection", (socket) => {
    void socket.join(visitorRoom(socket.data.visitorId));
    socket.on("conversation:start", (ack) => void handle(deps, socket, ack, (session) => startConversationForVisitor(session, webchat)));
    // A socket's messages are stored one after another, in the order they were sent (a widget
    // back online sends what it queued all at once; their seqs must keep the visitor's order).
    let sending = Promise.resolve();
    socket.on("message:send", (m, ack) => {
      sending = sending.then(() =>
        handle(deps, socket, ack, async (session) => {
          const parsed = ZVisitorSendMessage.safeParse(m);
          if (!parsed.success) throw new DomainError("VALIDATION_FAILED", parsed.error.issues.map((i) => `${i.path.join(".") || "message"}: ${i.message}`).join("; "));
          const message = await sendVisitorMessage(session, webchat, parsed.data);
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
