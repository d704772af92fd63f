import { sql } from "kysely";
import type { Tx } from "../../db/database.ts";
import { inTransaction, type Deps } from "../context.ts";
import { capacityOf, loadOfAgents, lockPresence, routable } from "../presence/presence-store.ts";
import { checkAgent, decide, ELIGIBLE, nextRoutingState, type AgentSnapshot, type Decision, type RoutingPolicy, type WorkItemSnapshot } from "./engine/index.ts";
import { offersMade } from "./offer-events.ts";
import type { AgentSnapshots, QueueSetup } from "./snapshots.ts";
import { lockWorkItem } from "./work-item-lock.ts";

/** What one routing pass over a queue knows; the snapshots are updated as offers are made. */
export interface QueuePass {
  deps: Deps;
  tenantId: string;
  setup: QueueSetup;
  policy: RoutingPolicy;
  snapshots: AgentSnapshots;
  lastAgentId: string | null;
  /**
   * The pass offers several items at once (decision 0021): each agent an item is being offered
   * to right now, with that item's id. No other item is decided for them until that offer is made
   * or not; items are reserved their agents in serving order, so none overtakes an earlier one.
   */
  inFlight: Map<string, string>;
}

export type OfferOutcome =
  | { kind: "gone" }
  | { kind: "wait"; decision: Decision }
  | { kind: "offered"; agentIds: string[]; lastAgentId: string | null }
  /** The chosen agents could not take it after all (another process offered them work first). */
  | { kind: "stale" };

export async function excludedAgentsOf(tx: Tx, tenantId: string, itemId: string): Promise<Set<string>> {
  const rows = await tx
    .selectFrom("offers")
    .select("agent_id")
    .distinct()
    .where("tenant_id", "=", tenantId)
    .where("work_item_id", "=", itemId)
    .where("state", "in", ["rejected", "expired"])
    .execute();
  return new Set(rows.map((r) => r.agent_id));
}

/** Puts what the locked rows say into the pass's snapshot of an agent (not routable: offline). */
function refresh(pass: QueuePass, agentId: string, fresh: Pick<AgentSnapshot, "state" | "capacity" | "load" | "pending"> | null): AgentSnapshot | undefined {
  const agent = pass.snapshots.agents.find((a) => a.id === agentId);
  if (agent) Object.assign(agent, fresh ?? { state: "offline" });
  return agent;
}

/**
 * Routes one waiting item in its own transaction: lock the item (skipping it when another
 * process holds it), decide, then lock the chosen agents' presence rows in id order and check
 * their state and capacity again under the locks, counting held items and pending offers as
 * committed now. Only agents that still have room get an offer, so capacity holds across processes.
 */
export async function offerItem(pass: QueuePass, candidate: WorkItemSnapshot): Promise<OfferOutcome> {
  try {
    const outcome = await offerInTransaction(pass, candidate);
    if (outcome.kind === "offered") {
      for (const agent of pass.snapshots.agents) if (outcome.agentIds.includes(agent.id)) agent.pending[candidate.media]++;
    }
    return outcome;
  } finally {
    for (const [agentId, itemId] of pass.inFlight) if (itemId === candidate.id) pass.inFlight.delete(agentId);
  }
}

/** The pass's agents an item may be decided for: all but those another item of the pass is being offered to. */
export function agentsFor(pass: QueuePass, itemId: string): AgentSnapshot[] {
  if (pass.inFlight.size === 0) return pass.snapshots.agents;
  return pass.snapshots.agents.filter((a) => (pass.inFlight.get(a.id) ?? itemId) === itemId);
}

/** `offerItem`'s transaction; the agents it decides for are the item's in the pass's `inFlight`. */
async function offerInTransaction(pass: QueuePass, candidate: WorkItemSnapshot): Promise<OfferOutcome> {
  const { deps, tenantId, setup, policy } = pass;
  return inTransaction({ deps }, async (tx): Promise<OfferOutcome> => {
    const item = await lockWorkItem(tx, tenantId, candidate.id, { skipLocked: true });
    if (!item || item.state !== "waiting" || item.queue_id !== setup.row.id) return { kind: "gone" };
    const now = deps.clock.now();
    const snapshot = { ...candidate, excludedAgentIds: await excludedAgentsOf(tx, tenantId, item.id) };
    const cursor = pass.lastAgentId;
    const decision = decide(snapshot, setup.config, agentsFor(pass, item.id), { lastAgentId: cursor }, now.getTime(), policy, pass.snapshots.names);
    if (decision.kind === "wait") return { kind: "wait", decision };
    for (const agentId of decision.agentIds) pass.inFlight.set(agentId, item.id);
    // the next item of a round robin goes on from here, whether or not this offer is made
    pass.lastAgentId = nextRoutingState({ lastAgentId: cursor }, decision).lastAgentId;

    const locked = await lockPresence(tx, tenantId, decision.agentIds);
    const loads = await loadOfAgents(tx, tenantId, decision.agentIds);
    const confirmed: string[] = [];
    for (const agentId of decision.agentIds) {
      const row = locked.get(agentId);
      const load = loads.get(agentId)!;
      const fresh = row && routable(row) ? { state: "available" as const, capacity: capacityOf(row), ...load } : null;
      const agent = refresh(pass, agentId, fresh);
      if (agent && fresh && checkAgent(agent, true, candidate.media, policy) === ELIGIBLE) confirmed.push(agentId);
    }
    if (confirmed.length === 0) return { kind: "stale" };

    const expiresAt = new Date(now.getTime() + setup.row.offer_timeout_seconds * 1000);
    const offers = await tx
      .insertInto("offers")
      .values(confirmed.map((agentId) => ({ tenant_id: tenantId, work_item_id: item.id, agent_id: agentId, state: "pending", created_at: now, expires_at: expiresAt })))
      .returning("id")
      .execute();
    const offer = { at: now.toISOString(), strategy: decision.strategy, agentIds: confirmed, reason: decision.reason };
    await tx
      .updateTable("work_items")
      .set({
        state: "offered",
        offered_at: item.offered_at ?? now,
        decision: JSON.stringify({ ...item.decision, offer }),
        updated_at: now,
      })
      .where("tenant_id", "=", tenantId)
      .where("id", "=", item.id)
      .execute();
    const next = nextRoutingState({ lastAgentId: cursor }, { ...decision, agentIds: confirmed });
    if (next.lastAgentId !== cursor && next.lastAgentId) {
      await tx
        .insertInto("queue_cursors")
        .values({ queue_id: setup.row.id, tenant_id: tenantId, last_agent_id: next.lastAgentId, updated_at: now })
        .onConflict((oc) => oc.column("queue_id").doUpdateSet({ last_agent_id: next.lastAgentId, updated_at: sql<Date>`excluded.updated_at` }))
        .execute();
    }
    await offersMade(tx, tenantId, offers.map((o) => o.id));
    return { kind: "offered", agentIds: confirmed, lastAgentId: next.lastAgentId };
  });
}
