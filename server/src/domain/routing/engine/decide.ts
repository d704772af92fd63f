import { ELIGIBLE } from "./eligibility.ts";
import { buildQueueView, type QueueView } from "./queue-view.ts";
import { loadText, nameOf, noFreeAgentText, seconds, tieBreakText, unavailableText, type AgentNames } from "./reason.ts";
import { EXCLUDED_TIER, NON_VIP_TIER, scan, type Scan } from "./scan.ts";
import type { AgentSnapshot, Decision, QueueConfig, RoutingPolicy, RoutingState, Strategy, WorkItemSnapshot } from "./types.ts";

/**
 * Picks the agent(s) to offer `item` to, with the sentence that explains it.
 *
 * Order of rules:
 * 1. Returning-customer priority (`stickySeconds > 0` and a preferred agent): the preferred agent
 *    alone if eligible; else wait while the window lasts, but only if they could become free
 *    (logged in, member, qualified, not one who already missed the item); after the window, or
 *    when waiting is pointless, the queue's strategy.
 * 2. Agents who already missed the item only if nobody else is eligible.
 * 3. VIP items in a `vipFirst` queue go to eligible VIP agents first, then to anyone.
 * 4. The queue's strategy among the remaining candidates. Skill level (the total of the agent's
 *    levels in the queue's required skills) breaks ties on the strategy's main number before
 *    anything else: least_busy = load ratio, then skill, then longest idle, then id;
 *    longest_idle = idle since, then skill, then id. Round robin ignores skill (fair rotation)
 *    and broadcast offers to everyone.
 */
export function decide(
  item: WorkItemSnapshot,
  queue: QueueConfig,
  agents: Iterable<AgentSnapshot>,
  state: RoutingState,
  now: number,
  policy: RoutingPolicy,
  names?: AgentNames,
): Decision {
  return decideInView(buildQueueView(queue, agents), item, state, now, policy, names);
}

/** `decide` over a prepared queue view (the routing index keeps one per queue). */
export function decideInView(
  view: QueueView,
  item: WorkItemSnapshot,
  state: RoutingState,
  now: number,
  policy: RoutingPolicy,
  names?: AgentNames,
): Decision {
  const s = scan(view, item, policy, state.lastAgentId);
  let prefix = "";
  if (view.queue.stickySeconds > 0 && item.preferredAgentId !== null) {
    const sticky = returningCustomer(view, item, s, now, names);
    if (typeof sticky !== "string") return sticky;
    prefix = sticky;
  }
  if (s.eligible === 0) return { kind: "wait", itemId: item.id, reason: prefix + noFreeAgentText(view, item.media, s) };
  if (s.tier >= EXCLUDED_TIER) prefix += "only agents who already missed this item are free; ";
  if (view.queue.vipFirst && item.vip) {
    prefix += s.tier % 2 === NON_VIP_TIER ? "VIP item, no VIP agent free; " : "VIP item to VIP agents first; ";
  }
  const strategy = view.queue.strategy;
  const { agentIds, text } = pick(view, item, s, state, now, names);
  return { kind: "offer", itemId: item.id, agentIds, strategy, reason: prefix + text };
}

/** The round-robin cursor after a decision: it moves only when round robin chose the agent. */
export function nextRoutingState(state: RoutingState, decision: Decision): RoutingState {
  if (decision.kind !== "offer" || decision.strategy !== "round_robin") return state;
  return { lastAgentId: decision.agentIds[0] ?? state.lastAgentId };
}

/** A decision when the preferred agent settles it, else the sentence to put before the strategy's. */
function returningCustomer(view: QueueView, item: WorkItemSnapshot, s: Scan, now: number, names: AgentNames | undefined): Decision | string {
  const id = item.preferredAgentId!;
  const who = nameOf(names, id);
  const windowSeconds = view.queue.stickySeconds;
  if (s.preferred < 0) return `returning customer's agent ${who} is not in this queue; `;
  if (item.excludedAgentIds.has(id)) return `returning customer's agent ${who} already missed this item; `;
  const agent = view.agents[s.preferred]!;
  if (s.preferredCode === ELIGIBLE) {
    return { kind: "offer", itemId: item.id, agentIds: [id], strategy: "sticky", reason: `returning customer: offered to ${who}, who served them last` };
  }
  const why = unavailableText(agent, view.qualified[s.preferred] === 1, item.media);
  if (agent.state === "offline" || view.qualified[s.preferred] !== 1) return `returning customer's agent ${who} is ${why}; `;
  const endsAt = item.enqueuedAt + windowSeconds * 1000;
  if (now < endsAt) {
    return {
      kind: "wait",
      itemId: item.id,
      retryAt: endsAt,
      reason: `returning customer: waiting up to ${windowSeconds} s for ${who} (${why}), ${Math.ceil((endsAt - now) / 1000)} s left`,
    };
  }
  return `returning customer's agent ${who} still ${why} after ${windowSeconds} s; `;
}

function pick(view: QueueView, item: WorkItemSnapshot, s: Scan, state: RoutingState, now: number, names: AgentNames | undefined): { agentIds: string[]; text: string } {
  const strategy: Strategy = view.queue.strategy;
  const media = item.media;
  switch (strategy) {
    case "least_busy": {
      const agent = view.agents[s.best]!;
      const text = `least busy: ${nameOf(names, agent.id)} at ${loadText(agent, media)}, idle ${seconds(now - agent.idleSince)} s`;
      return { agentIds: [agent.id], text: text + tieBreakText(view, s, media, names) };
    }
    case "longest_idle": {
      const agent = view.agents[s.best]!;
      let text = `longest idle: ${nameOf(names, agent.id)} idle ${seconds(now - agent.idleSince)} s`;
      const runner = s.runner >= 0 ? view.agents[s.runner]! : null;
      if (runner && runner.idleSince !== agent.idleSince) text += ` (next ${nameOf(names, runner.id)} idle ${seconds(now - runner.idleSince)} s)`;
      else text += tieBreakText(view, s, media, names);
      return { agentIds: [agent.id], text };
    }
    case "round_robin": {
      const wrapped = s.next < 0;
      const agent = view.agents[wrapped ? s.first : s.next]!;
      const who = nameOf(names, agent.id);
      const free = `${s.tierCount} of ${view.agents.length} agents free`;
      const last = state.lastAgentId;
      const text =
        last === null
          ? `round robin: ${who} starts the rotation (${free})`
          : `round robin: ${who} ${wrapped ? "wraps around after" : "is next after"} ${nameOf(names, last)} (${free})`;
      return { agentIds: [agent.id], text };
    }
    case "broadcast": {
      const agentIds = (s.members ?? []).map((i) => view.agents[i]!.id);
      const text =
        agentIds.length === 1
          ? `broadcast: offered to ${nameOf(names, agentIds[0]!)}, the only free agent`
          : `broadcast: offered to ${agentIds.length} free agents at once, first to accept wins`;
      return { agentIds, text };
    }
  }
}
