import {
  WALLBOARD_NAMESPACE,
  roleCan,
  rooms,
  type WallboardClientEvents,
  type WallboardServerEvents,
  type WallboardSnapshot,
} from "@yixian/contracts";
import type { Namespace, Socket } from "socket.io";
import { resolveSession } from "../domain/auth/sessions.ts";
import { systemCtx, type Deps } from "../domain/context.ts";
import { DomainError } from "../domain/errors.ts";
import { buildSnapshot, narrowSnapshot } from "../domain/metrics/build-snapshot.ts";
import { linksForPush, resolveWallboardLink } from "../domain/metrics/resolve-wallboard-link.ts";
import { isLinkToken } from "../domain/metrics/wallboard-links.ts";
import { tokenFrom } from "../http/auth.ts";
import { cutOffAtExpiry, type YxServer } from "./socket-server.ts";
import { startWallboardPusher, type PusherOptions } from "./wallboard-pusher.ts";

/** Who is watching: a read-only link (maybe narrowed to queues) or a signed-in user. */
interface WallboardSocketData {
  tenantId: string;
  queueIds: string[] | null;
  linkId: string | null;
  /** The session the socket was opened with (its room lets a sign-out disconnect it). */
  sessionId: string | null;
  expiresAt: number | null;
}
type WallboardNamespace = Namespace<WallboardClientEvents, WallboardServerEvents, Record<string, never>, WallboardSocketData>;
type WallboardSocket = Socket<WallboardClientEvents, WallboardServerEvents, Record<string, never>, WallboardSocketData>;

/** Every socket opened with a link is in its link's room, so revoking the link can cut them all off. */
export const linkRoom = (linkId: string) => `wallboard-link:${linkId}`;

async function authenticate(deps: Deps, socket: WallboardSocket): Promise<WallboardSocketData> {
  const authToken = (socket.handshake.auth as { token?: unknown }).token;
  const token =
    typeof authToken === "string" && authToken
      ? authToken
      : tokenFrom({ authorization: socket.handshake.headers.authorization, cookie: socket.handshake.headers.cookie });
  if (!token) throw new DomainError("UNAUTHENTICATED", "open the wallboard with a wallboard link or sign in first");
  if (isLinkToken(token)) {
    const grant = await resolveWallboardLink(deps, token);
    if (!grant) throw new DomainError("UNAUTHENTICATED", "this wallboard link has expired, was revoked or does not exist");
    return { tenantId: grant.tenantId, queueIds: grant.queueIds, linkId: grant.linkId, sessionId: null, expiresAt: grant.expiresAt.getTime() };
  }
  const user = await resolveSession(deps, token);
  if (!user) throw new DomainError("UNAUTHENTICATED", "session expired or unknown");
  if (!roleCan(user.role, "queue:read")) throw new DomainError("FORBIDDEN", `your role (${user.role}) may not read queues`);
  return { tenantId: user.tenantId, queueIds: null, linkId: null, sessionId: user.sessionId, expiresAt: user.expiresAt.getTime() };
}

function snapshotFor(deps: Deps, data: WallboardSocketData): Promise<WallboardSnapshot> {
  return buildSnapshot(systemCtx(deps, data.tenantId), { queueIds: data.queueIds });
}

/**
 * The wallboard page's namespace (receive-only): a socket opens with a wallboard link token or a
 * session of someone who may read queues, gets a snapshot at once, and then `wallboard:update`
 * after every change. Also starts the pusher, which emits to this namespace and to the main
 * one's wallboard and queue rooms. Returns a stopper.
 */
export function attachWallboard(io: YxServer, deps: Deps, options: Partial<PusherOptions> = {}): { stop(): Promise<void> } {
  const nsp = io.of(WALLBOARD_NAMESPACE) as unknown as WallboardNamespace;

  nsp.use((socket, next) => {
    authenticate(deps, socket)
      .then((data) => {
        socket.data = data;
        next();
      })
      .catch((err: unknown) => next(err instanceof Error ? err : new Error(String(err))));
  });

  nsp.on("connection", (socket) => {
    const data = socket.data;
    if (data.linkId) void socket.join(linkRoom(data.linkId));
    if (data.sessionId) void socket.join(rooms.session(data.sessionId));
    if (data.expiresAt !== null) cutOffAtExpiry(deps, socket, new Date(data.expiresAt));
    if (data.queueIds === null) void socket.join(rooms.wallboard(data.tenantId));
    snapshotFor(deps, data)
      .then((s) => socket.emit("wallboard:update", s))
      .catch((err: unknown) => deps.log.error({ err }, "first wallboard snapshot failed"));
    socket.on("wallboard:refresh", (ack) => {
      if (typeof ack !== "function") return;
      snapshotFor(deps, data)
        .then((snapshot) => ack({ ok: true, snapshot }))
        .catch((err: unknown) => {
          deps.log.error({ err }, "wallboard refresh failed");
          ack({ ok: false, error: { code: "INTERNAL", message: "internal error" } });
        });
    });
  });

  const push = async (tenantId: string) => {
    const full = await buildSnapshot(systemCtx(deps, tenantId));
    io.to(rooms.wallboard(tenantId)).emit("wallboard:update", full);
    for (const q of full.queues) io.to(rooms.queue(q.queueId)).emit("wallboard:update", narrowSnapshot(full, [q.queueId]));
    nsp.to(rooms.wallboard(tenantId)).emit("wallboard:update", full);
    const links = await linksForPush(deps, tenantId);
    for (const link of links.filtered) nsp.to(linkRoom(link.id)).emit("wallboard:update", narrowSnapshot(full, link.queueIds));
    for (const id of links.closed) nsp.in(linkRoom(id)).disconnectSockets(true);
  };
  return startWallboardPusher(deps, push, options);
}
