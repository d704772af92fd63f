import { byId, hasRequiredSkills, skillScore } from "./eligibility.ts";
import type { AgentSnapshot, QueueConfig } from "./types.ts";

/**
 * A queue with its members laid out for one linear scan per decision: agents sorted by id (the
 * round-robin order), with the skill check and skill score worked out once instead of per item.
 */
export interface QueueView {
  queue: QueueConfig;
  agents: AgentSnapshot[];
  /** 1 when `agents[i]` has every required skill at the minimum level. */
  qualified: Uint8Array;
  /** `agents[i]`'s total level in the queue's required skills. */
  skillScore: Int32Array;
}

export function buildQueueView(queue: QueueConfig, agents: Iterable<AgentSnapshot>): QueueView {
  const members: AgentSnapshot[] = [];
  for (const agent of agents) if (agent.queueIds.has(queue.id)) members.push(agent);
  members.sort(byId);
  const qualified = new Uint8Array(members.length);
  const scores = new Int32Array(members.length);
  members.forEach((agent, i) => {
    qualified[i] = hasRequiredSkills(agent, queue) ? 1 : 0;
    scores[i] = skillScore(agent, queue);
  });
  return { queue, agents: members, qualified, skillScore: scores };
}
