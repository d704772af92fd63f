import { rooms } from "@yixian/contracts";
import type { Deps } from "../domain/context.ts";
import { agentConnected, agentDisconnected, endDisconnectedPresences, sessionStands } from "../domain/presence/agent-connection.ts";
import { beatNode, leaveNode, placeAgent, sweepDeadNodes, type LocalAgent } from "../domain/presence/nodes.ts";
import { newId } from "../platform/ids.ts";
import type { YxServer } from "./socket-server.ts";

/** Whether the user has a console socket on any node (through the Redis adapter when attached). */
async function connectedAnywhere(io: YxServer, userId: string): Promise<boolean> {
  const sockets = await io.in(rooms.agent(userId)).fetchSockets();
  return sockets.length > 0;
}

/** Runs `fn` every `ms`, never two at once; `stop` waits for the one running. */
function every(ms: number, fn: () => Promise<unknown>, onError: (err: unknown) => void) {
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = fn()
      .catch(onError)
      .finally(() => (running = null));
  }, ms);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}

/**
 * Takes agents out of routing when their console goes away: when a user's last console socket
 * across all nodes disconnects, routing stops offering them work and withdraws their pending
 * offers at once; a reconnect within `presenceGraceMs` restores them as they were, and after it
 * a timer on every node sets them offline. A signed-out session goes offline at once.
 *
 * The process is a node with a heartbeat (`nodeHeartbeatMs`) and records which agents it holds
 * sockets of; a node that dies without closing them (crash, kill, lost network) stops beating,
 * and after `nodeTimeoutMs` any live node disconnects its agents the same way.
 */
export async function trackAgentConnections(io: YxServer, deps: Deps): Promise<{ nodeId: string; stop(): Promise<void> }> {
  const fail = (what: string) => (err: unknown) => deps.log.error({ err }, what);
  const nodeId = newId();
  await beatNode(deps, nodeId, () => []);
  // handlers still writing when the server stops are awaited before the database closes
  const pending = new Set<Promise<void>>();
  const track = (fn: () => Promise<void>, what: string) => {
    const p = fn().catch(fail(what));
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };

  /** Runs `fn` after the previous one queued under `key` (one line per agent), tracked for stop. */
  const inLine = (lines: Map<string, Promise<void>>) => (key: string, fn: () => Promise<void>, what: string) => {
    const next = (lines.get(key) ?? Promise.resolve()).then(fn).catch(fail(what));
    lines.set(key, next);
    void next.finally(() => {
      if (lines.get(key) === next) lines.delete(key);
    });
    track(() => next, what);
  };

  // this node's console sockets per agent; the node_agents row follows it, one write at a time per agent
  const local = new Map<string, { agent: LocalAgent; sockets: number }>();
  const writeInLine = inLine(new Map());
  const place = (agent: LocalAgent) =>
    writeInLine(agent.userId, () => placeAgent(deps, nodeId, agent, local.has(agent.userId)), "recording an agent's node failed");
  // an agent's connections and disconnections are handled in the order they happened: a reload's
  // new socket must not be marked connected before the old one's disconnection is written
  const inTurn = inLine(new Map());

  io.on("connection", (socket) => {
    const { user } = socket.data;
    const agent = { tenantId: user.tenantId, userId: user.userId };
    const held = local.get(agent.userId) ?? { agent, sockets: 0 };
    held.sockets++;
    local.set(agent.userId, held);
    if (held.sockets === 1) place(agent);
    inTurn(agent.userId, () => agentConnected(deps, user.tenantId, user.userId), "marking an agent connected failed");
    socket.on("disconnect", () => {
      if (--held.sockets === 0) {
        local.delete(agent.userId);
        place(agent);
      }
      inTurn(agent.userId, async () => {
        // a failed look-up counts as gone: the grace timer looks again before going offline
        const elsewhere = await connectedAnywhere(io, user.userId).catch(() => false);
        if (elsewhere) return;
        const signedOut = !(await sessionStands(deps, user.sessionId));
        await agentDisconnected(deps, user.tenantId, user.userId, { signedOut });
      }, "taking a disconnected agent out of routing failed");
    });
  });

  const stopGrace = every(
    Math.max(100, Math.min(1000, Math.floor(deps.config.presenceGraceMs / 3))),
    () => endDisconnectedPresences(deps, (_tenantId, userId) => connectedAnywhere(io, userId)),
    fail("ending disconnected presences failed"),
  );
  const stopBeat = every(
    deps.config.nodeHeartbeatMs,
    async () => {
      if (await beatNode(deps, nodeId, () => [...local.values()].map((l) => l.agent))) deps.log.warn({ nodeId }, "this node was taken for dead and registered again");
      await sweepDeadNodes(deps, nodeId);
    },
    fail("node heartbeat failed"),
  );
  return {
    nodeId,
    stop: async () => {
      await Promise.all([stopGrace(), stopBeat()]);
      await Promise.all(pending);
      await leaveNode(deps, nodeId).catch(fail("leaving the node table failed"));
    },
  };
}
