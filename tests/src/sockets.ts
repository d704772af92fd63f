import type { ClientToServerEvents, ServerToClientEvents, TicketChangedEvent } from "@yixian/contracts";
import type { RunningServer } from "@yixian/server";
import { io, type Socket } from "socket.io-client";

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A real socket.io client signed in with `token`; rejects with the server's connect_error. */
export function connectSocket(url: string, token?: string): Promise<ClientSocket> {
  const socket: ClientSocket = io(url, {
    path: "/socket.io",
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    auth: token === undefined ? {} : { token },
  });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** Every `ticket:changed` the socket receives, in order. */
export function ticketEvents(socket: ClientSocket): TicketChangedEvent[] {
  const seen: TicketChangedEvent[] = [];
  socket.on("ticket:changed", (e) => seen.push(e));
  return seen;
}

/** Resolves once `check` returns true, polling; fails with `what` after `timeoutMs`. */
export async function eventually(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Waits until every event the server emitted to this socket so far has arrived: after the
 * outbox is flushed, an acknowledged request's answer comes after anything sent before it.
 */
export async function settle(server: RunningServer, socket: ClientSocket): Promise<void> {
  await server.deps.outbox.flush();
  await socket.emitWithAck("ticket:unsubscribe", "00000000-0000-0000-0000-000000000000");
}
