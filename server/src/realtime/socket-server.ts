import { randomUUID } from "node:crypto";
import type { Server as HttpServer } from "node:http";
import { WALLBOARD_NAMESPACE, roleCan, rooms, type Ack, type ClientToServerEvents, type ConversationTypingEvent, type OfferAck, type OfferResult, type ServerToClientEvents } from "@yixian/contracts";
import { Server, type Socket } from "socket.io";
import type { Deps } from "../domain/context.ts";
import type { SessionUser } from "../domain/auth/sessions.ts";
import type { Ctx } from "../domain/context.ts";
import type { OutboxSubscriber } from "../domain/events/outbox.ts";
import { DomainError } from "../domain/errors.ts";
import { acceptOffer, rejectOffer } from "../domain/routing/answer-offer.ts";
import { ackError, ackFailure, ctxFor, requirePermission, socketUser } from "../edge/index.ts";
import { refuseNulPackets } from "./nul-packets.ts";

interface SocketData {
  user: SessionUser;
}
export type YxServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type YxSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** What the socket server tells the rest of the server. */
export interface SocketHooks {
  /** An agent typing in a conversation they joined: channels tell the customer (not stored, not through the outbox). */
  agentTyping?: (tenantId: string, e: ConversationTypingEvent) => void;
}

/** Tables whose rows a client may subscribe to by id, checked against the caller's tenant. */
const SUBSCRIBABLE = { ticket: "tickets", conversation: "conversations" } as const;

async function ownedByTenant(deps: Deps, kind: keyof typeof SUBSCRIBABLE, id: string, tenantId: string): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return false;
  const row = await deps.db.selectFrom(SUBSCRIBABLE[kind]).select("id").where("id", "=", id).where("tenant_id", "=", tenantId).executeTakeFirst();
  return row !== undefined;
}

/**
 * socket.io with the same sessions as the API (cookie, `auth.token`, or a bearer header).
 * Each socket joins its tenant, agent and queue rooms; ticket and conversation rooms on request,
 * after a tenant check.
 */
export function createSocketServer(http: HttpServer, deps: Deps, hooks: SocketHooks = {}): YxServer {
  // Any page may open the transport (the chat widget runs on customers' sites, over WebSocket or,
  // behind proxies that block it, long-polling), never with credentials: each namespace
  // authenticates the socket itself (visitor tokens and allowed origins on /visitor).
  const io: YxServer = new Server(http, { path: "/socket.io", serveClient: false, cors: { origin: true, credentials: false } });
  refuseNulPackets(io);

  // the session of `auth.token`, a bearer header, or the cookie from the console's own origin
  io.use((socket, next) => {
    socketUser(deps, socket.handshake)
      .then((user) => {
        socket.data.user = user;
        next();
      })
      .catch((err: unknown) => next(err instanceof Error ? err : new Error(String(err))));
  });

  io.on("connection", (socket: YxSocket) => {
    const { user } = socket.data;
    cutOffAtExpiry(deps, socket, user.expiresAt);
    // a request on a session that ran out is refused and the socket closed (revocation: socketFanout)
    socket.use((_packet, next) => {
      if (deps.clock.now() < user.expiresAt) return next();
      next(new DomainError("UNAUTHENTICATED", "session expired"));
      socket.disconnect(true);
    });
    void socket.join([rooms.tenant(user.tenantId), rooms.agent(user.userId), rooms.session(user.sessionId)]);
    // supervisors' consoles get the whole wallboard snapshot, as a wallboard page does
    if (roleCan(user.role, "queue:manage")) void socket.join([rooms.wallboard(user.tenantId), rooms.supervisors(user.tenantId)]);
    // queue rooms for the queues the user belongs to (queue work and wallboard events)
    deps.db
      .selectFrom("queue_members")
      .select("queue_id")
      .where("tenant_id", "=", user.tenantId)
      .where("user_id", "=", user.userId)
      .execute()
      .then((memberships) => socket.join(memberships.map((m) => rooms.queue(m.queue_id))))
      .catch((err: unknown) => deps.log.error({ err }, "joining queue rooms failed"));
    const subscribe = (kind: keyof typeof SUBSCRIBABLE) => (id: string, ack: (res: Ack) => void) => {
      if (typeof ack !== "function") return;
      ownedByTenant(deps, kind, String(id), user.tenantId)
        .then(async (ok) => {
          if (!ok) return ack(ackFailure("NOT_FOUND", `${kind} not found`));
          await socket.join(kind === "ticket" ? rooms.ticket(id) : rooms.conversation(id));
          ack({ ok: true });
        })
        .catch((err: unknown) => ack(ackError(err, deps.log, "subscribe failed")));
    };
    socket.on("ticket:subscribe", subscribe("ticket"));
    socket.on("conversation:subscribe", subscribe("conversation"));
    socket.on("ticket:unsubscribe", (id, ack) => {
      void socket.leave(rooms.ticket(String(id)));
      if (typeof ack === "function") ack({ ok: true });
    });
    const answer = (fn: typeof acceptOffer) => (offerId: string, ack: (res: OfferAck) => void) => {
      if (typeof ack !== "function") return;
      answerOffer(deps, user, fn, String(offerId)).then(ack, (err: unknown) => ack(ackError(err, deps.log, "answering an offer failed")));
    };
    socket.on("offer:accept", answer(acceptOffer));
    socket.on("offer:reject", answer(rejectOffer));
    // typing indicator: only in a conversation room the socket joined (after its tenant check)
    socket.on("conversation:typing", (e) => {
      const conversationId = typeof e?.conversationId === "string" ? e.conversationId : "";
      if (!socket.rooms.has(rooms.conversation(conversationId))) return;
      const typing: ConversationTypingEvent = { conversationId, typing: e.typing === true, by: { type: "user", userId: user.userId, name: user.name } };
      socket.to(rooms.conversation(conversationId)).emit("conversation:typing", typing);
      hooks.agentTyping?.(user.tenantId, typing);
    });
  });
  return io;
}

/** An offer answered over the socket, like the REST answer (same permission); a refusal throws, and its ack says why. */
async function answerOffer(deps: Deps, user: SessionUser, fn: (ctx: Ctx, offerId: string) => Promise<OfferResult>, offerId: string): Promise<OfferAck> {
  requirePermission(user, "conversation:write");
  if (!/^[0-9a-f-]{36}$/i.test(offerId)) throw new DomainError("NOT_FOUND", "offer not found");
  return { ok: true, data: await fn(ctxFor(deps, user, randomUUID()), offerId) };
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/** Disconnects a socket when its session expires (timers past ~24 days are re-armed). */
export function cutOffAtExpiry(deps: Deps, socket: { disconnect(close: boolean): unknown; once(event: "disconnect", fn: () => void): unknown }, expiresAt: Date): void {
  const arm = () => {
    const left = expiresAt.getTime() - deps.clock.now().getTime();
    if (left <= 0) {
      socket.disconnect(true);
      return;
    }
    const timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
    timer.unref();
    socket.once("disconnect", () => clearTimeout(timer));
  };
  arm();
}

/**
 * The outbox's subscriber for browsers: emit to rooms (across nodes when the Redis adapter is attached). A
 * revoked session's sockets, in the main and the wallboard namespace, are told why and then
 * disconnected on every node (the adapter carries `disconnectSockets` to all of them).
 * `clustered`: other nodes may hold sockets in the rooms (the Redis adapter); on a lone node an
 * event for rooms nobody has joined (an integration creating tickets while no console is open)
 * is not encoded at all.
 */
export function socketFanout(io: YxServer, options: { clustered: boolean }): OutboxSubscriber {
  const main = io.of("/");
  return {
    name: "socket fan-out",
    handle({ rooms: targetRooms, event, payload }) {
      if (options.clustered || targetRooms.some((room) => main.adapter.rooms.has(room))) {
        (io.to(targetRooms) as unknown as { emit(e: string, p: unknown): void }).emit(event, payload);
      }
      if (event === "session:revoked") {
        io.in(targetRooms).disconnectSockets(true);
        io.of(WALLBOARD_NAMESPACE).in(targetRooms).disconnectSockets(true);
      }
    },
  };
}
