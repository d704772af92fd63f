import { sql } from "kysely";
import type { Deps } from "../context.ts";
import { agentConnected, agentDisconnected } from "./agent-connection.ts";

// Times come from the database's clock, so nodes whose clocks disagree (or a test's fake clock)
// never take each other for dead.

/** An agent with a console socket on this node. */
export interface LocalAgent {
  tenantId: string;
  userId: string;
}

/**
 * This node beats: its heartbeat is refreshed. A node that was taken for dead meanwhile (its row
 * swept while it was stalled or cut off) registers again, writes the agents it still holds and
 * routes them again. Returns whether it had to register again.
 */
export async function beatNode(deps: Deps, nodeId: string, localAgents: () => LocalAgent[]): Promise<boolean> {
  const beat = await deps.db.updateTable("nodes").set({ heartbeat_at: sql`now()` }).where("id", "=", nodeId).returning("id").executeTakeFirst();
  if (beat) return false;
  await deps.db.insertInto("nodes").values({ id: nodeId }).onConflict((oc) => oc.column("id").doUpdateSet({ heartbeat_at: sql`now()` })).execute();
  const agents = localAgents();
  for (const agent of agents) {
    await placeAgent(deps, nodeId, agent, true);
    await agentConnected(deps, agent.tenantId, agent.userId);
  }
  return true;
}

/** Records whether the agent has a console socket on this node. */
export async function placeAgent(deps: Deps, nodeId: string, agent: LocalAgent, present: boolean): Promise<void> {
  if (present) {
    await deps.db
      .insertInto("node_agents")
      .values({ node_id: nodeId, tenant_id: agent.tenantId, user_id: agent.userId })
      .onConflict((oc) => oc.columns(["node_id", "user_id"]).doNothing())
      .execute();
  } else {
    await deps.db.deleteFrom("node_agents").where("node_id", "=", nodeId).where("user_id", "=", agent.userId).execute();
  }
}

/** A node that stops cleanly: its row and whatever agent rows are left go. */
export async function leaveNode(deps: Deps, nodeId: string): Promise<void> {
  await deps.db.deleteFrom("node_agents").where("node_id", "=", nodeId).execute();
  await deps.db.deleteFrom("nodes").where("id", "=", nodeId).execute();
}

/**
 * Nodes whose heartbeat is older than `config.nodeTimeoutMs` are dead: the agents whose console
 * sockets they held, and who have none on a live node, are disconnected as if their last socket
 * had closed (no new offers, pending ones withdrawn, offline after the grace period unless they
 * reconnect). Safe on every node at once: each dead node is claimed by one sweeper. Returns how
 * many agents were disconnected.
 */
export async function sweepDeadNodes(deps: Deps, ownNodeId: string): Promise<number> {
  const stale = sql<boolean>`heartbeat_at < now() - (${deps.config.nodeTimeoutMs}::int * interval '1 millisecond')`;
  const dead = await deps.db.deleteFrom("nodes").where("id", "<>", ownNodeId).where(stale).returning("id").execute();
  if (dead.length === 0) return 0;
  const ids = dead.map((d) => d.id);
  const held = await deps.db.deleteFrom("node_agents").where("node_id", "in", ids).returning(["tenant_id", "user_id"]).execute();
  deps.log.warn({ nodes: ids, agents: held.length }, "nodes stopped beating: their agents are disconnected");
  let disconnected = 0;
  for (const agent of new Map(held.map((h) => [h.user_id, h])).values()) {
    const elsewhere = await deps.db.selectFrom("node_agents").select("node_id").where("user_id", "=", agent.user_id).executeTakeFirst();
    if (elsewhere) continue;
    await agentDisconnected(deps, agent.tenant_id, agent.user_id, { signedOut: false });
    disconnected++;
  }
  return disconnected;
}
