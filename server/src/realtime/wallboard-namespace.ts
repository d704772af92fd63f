import {
  WALLBOARD_NAMESPACE,
  rooms,
  type WallboardClientEvents,
  type WallboardServerEvents,
  type WallboardSnapshot,
} from "@yixian/contracts";
import type { Namespace } from "socket.io";
import { systemCtx, type Deps } from "../domain/context.ts";
import { buildSnapshot, narrowSnapshot } from "../domain/metrics/build-snapshot.ts";
import { linksForPush } from "../domain/metrics/resolve-wallboard-link.ts";
import { ackError, wallboardViewer, type WallboardViewer } from "../edge/index.ts";
import { cutOffAtExpiry, type YxServer } from "./socket-server.ts";
import { startWallboardPusher, type PusherOptions } from "./wallboard-pusher.ts";

/** Who is watching (a read-only link, maybe narrowed to queues, or a signed-in user), kept with the socket. */
interface WallboardSocketData extends Omit<WallboardViewer, "expiresAt"> {
  expiresAt: number;
}
type WallboardNamespace = Namespace<WallboardClientEvents, WallboardServerEvents, Record<string, never>, WallboardSocketData>;

/** Every socket opened with a link is in its link's room, so revoking the link can cut them all off. */
export const linkRoom = (linkId: string) => `wallboard-link:${linkId}`;

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
    wallboardViewer(deps, socket.handshake)
      .then((viewer) => {
        socket.data = { ...viewer, expiresAt: viewer.expiresAt.getTime() };
        next();
      })
      .catch((err: unknown) => next(err instanceof Error ? err : new Error(String(err))));
  });

  nsp.on("connection", (socket) => {
    const data = socket.data;
    if (data.linkId) void socket.join(linkRoom(data.linkId));
    if (data.sessionId) void socket.join(rooms.session(data.sessionId));
    cutOffAtExpiry(deps, socket, new Date(data.expiresAt));
    if (data.queueIds === null) void socket.join(rooms.wallboard(data.tenantId));
    snapshotFor(deps, data)
      .then((s) => socket.emit("wallboard:update", s))
      .catch((err: unknown) => deps.log.error({ err }, "first wallboard snapshot failed"));
    socket.on("wallboard:refresh", (ack) => {
      if (typeof ack !== "function") return;
      snapshotFor(deps, data)
        .then((snapshot) => ack({ ok: true, snapshot }))
        .catch((err: unknown) => ack(ackError(err, deps.log, "wallboard refresh failed")));
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
