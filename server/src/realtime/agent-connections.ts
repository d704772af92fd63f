import { rooms } from "@yixian/contracts";
import type { Deps } from "../domain/context.ts";
import { agentConnected, agentDisconnected, endDisconnectedPresences, sessionStands } from "../domain/presence/agent-connection.ts";
import type { YxServer } from "./socket-server.ts";

/** Whether the user has a console socket on any node (through the Redis adapter when attached). */
async function connectedAnywhere(io: YxServer, userId: string): Promise<boolean> {
  const sockets = await io.in(rooms.agent(userId)).fetchSockets();
  return sockets.length > 0;
}

/**
 * Takes agents out of routing when their console goes away: when a user's last console socket
 * across all nodes disconnects, routing stops offering them work and withdraws their pending
 * offers at once; a reconnect within `presenceGraceMs` restores them as they were, and after it
 * a timer on every node sets them offline. A signed-out session goes offline at once.
 */
export function trackAgentConnections(io: YxServer, deps: Deps): { stop(): Promise<void> } {
  const fail = (what: string) => (err: unknown) => deps.log.error({ err }, what);
  // handlers still writing when the server stops are awaited before the database closes
  const pending = new Set<Promise<void>>();
  const track = (fn: () => Promise<void>, what: string) => {
    const p = fn().catch(fail(what));
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };
  io.on("connection", (socket) => {
    const { user } = socket.data;
    track(() => agentConnected(deps, user.tenantId, user.userId), "marking an agent connected failed");
    socket.on("disconnect", () => {
      track(async () => {
        // a failed look-up counts as gone: the grace timer looks again before going offline
        const elsewhere = await connectedAnywhere(io, user.userId).catch(() => false);
        if (elsewhere) return;
        const signedOut = !(await sessionStands(deps, user.sessionId));
        await agentDisconnected(deps, user.tenantId, user.userId, { signedOut });
      }, "taking a disconnected agent out of routing failed");
    });
  });
  let running: Promise<unknown> | null = null;
  const sweep = () => {
    if (running) return;
    running = endDisconnectedPresences(deps, (_tenantId, userId) => connectedAnywhere(io, userId))
      .catch(fail("ending disconnected presences failed"))
      .finally(() => (running = null));
  };
  const timer = setInterval(sweep, Math.max(100, Math.min(1000, Math.floor(deps.config.presenceGraceMs / 3))));
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
      await Promise.all(pending);
    },
  };
}
