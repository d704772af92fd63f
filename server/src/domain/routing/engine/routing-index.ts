import { decideInView, nextRoutingState } from "./decide.ts";
import { buildQueueView, type QueueView } from "./queue-view.ts";
import type { AgentNames } from "./reason.ts";
import type { AgentSnapshot, Decision, QueueConfig, RoutingPolicy, RoutingState, WorkItemSnapshot } from "./types.ts";

function copyAgent(agent: AgentSnapshot): AgentSnapshot {
  return { ...agent, load: { ...agent.load }, pending: { ...agent.pending } };
}

/**
 * Agents laid out per queue for many decisions in a row: a decision scans only the item's
 * queue's members (sorted by id, skills checked once), and `applyOffer` counts the new offer
 * against the agents' capacity in memory, so the next decision sees it without a reload.
 *
 * The index owns copies of the agent snapshots (the caller's objects are never changed) and
 * the round-robin cursor of each queue. Presence changes come in through `upsertAgent`.
 */
export class RoutingIndex {
  private readonly views = new Map<string, QueueView>();
  private readonly configs = new Map<string, QueueConfig>();
  private readonly agents = new Map<string, AgentSnapshot>();
  private readonly states = new Map<string, RoutingState>();

  constructor(queues: Iterable<QueueConfig>, agents: Iterable<AgentSnapshot>, states?: ReadonlyMap<string, RoutingState>) {
    for (const queue of queues) this.configs.set(queue.id, queue);
    const members = new Map<string, AgentSnapshot[]>();
    for (const snapshot of agents) {
      const agent = copyAgent(snapshot);
      this.agents.set(agent.id, agent);
      for (const queueId of agent.queueIds) {
        const list = members.get(queueId);
        if (list) list.push(agent);
        else members.set(queueId, [agent]);
      }
    }
    for (const queue of this.configs.values()) {
      this.views.set(queue.id, buildQueueView(queue, members.get(queue.id) ?? []));
      this.states.set(queue.id, { lastAgentId: states?.get(queue.id)?.lastAgentId ?? null });
    }
  }

  /** The decision for `item` in its queue, against the index's current loads and offers. */
  decide(item: WorkItemSnapshot, now: number, policy: RoutingPolicy, names?: AgentNames): Decision {
    const view = this.views.get(item.queueId);
    if (!view) throw new Error(`routing index has no queue ${item.queueId}`);
    return decideInView(view, item, this.state(item.queueId), now, policy, names);
  }

  /** Counts an offer against its agents' capacity and moves the queue's round-robin cursor. */
  applyOffer(decision: Decision, item: WorkItemSnapshot): void {
    if (decision.kind !== "offer") return;
    for (const id of decision.agentIds) {
      const agent = this.agents.get(id);
      if (agent) agent.pending[item.media]++;
    }
    this.states.set(item.queueId, nextRoutingState(this.state(item.queueId), decision));
  }

  /** Adds an agent or replaces their snapshot (presence, load, skills or membership changed). */
  upsertAgent(snapshot: AgentSnapshot): void {
    const before = this.agents.get(snapshot.id);
    const agent = copyAgent(snapshot);
    this.agents.set(agent.id, agent);
    this.rebuild(new Set([...(before?.queueIds ?? []), ...agent.queueIds]));
  }

  removeAgent(agentId: string): void {
    const before = this.agents.get(agentId);
    if (!before) return;
    this.agents.delete(agentId);
    this.rebuild(before.queueIds);
  }

  agent(agentId: string): AgentSnapshot | undefined {
    return this.agents.get(agentId);
  }

  /** The queue's round-robin cursor, to persist (`queue_cursors`) so the rotation survives restarts. */
  state(queueId: string): RoutingState {
    return this.states.get(queueId) ?? { lastAgentId: null };
  }

  private rebuild(queueIds: Iterable<string>): void {
    for (const queueId of queueIds) {
      const queue = this.configs.get(queueId);
      if (queue) this.views.set(queueId, buildQueueView(queue, this.agents.values()));
    }
  }
}

/** `index.applyOffer(decision, item)` as a function. */
export function applyOffer(index: RoutingIndex, decision: Decision, item: WorkItemSnapshot): void {
  index.applyOffer(decision, item);
}
