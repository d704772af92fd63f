import { AT_CAPACITY, ELIGIBLE, LACKS_SKILLS, NOT_AVAILABLE, NO_PHONE, ON_VOICE, checkAgent, type Eligibility } from "./eligibility.ts";
import type { QueueView } from "./queue-view.ts";
import type { Media, RoutingPolicy, Strategy, WorkItemSnapshot } from "./types.ts";

/**
 * One pass over a queue's members: who is eligible, why the others are not, and the strategy's
 * best candidates, without building intermediate lists (broadcast alone collects its agents).
 *
 * Candidates fall into tiers, lowest wins: +2 for agents who already missed the item (used only
 * when nobody else is eligible), +1 for a non-VIP agent when a VIP item goes to VIP agents first.
 */
export interface Scan {
  eligible: number;
  notAvailable: number;
  lacksSkills: number;
  atCapacity: number;
  onVoice: number;
  /** Calls only: agents with no registered SIP device. */
  noPhone: number;
  /** The best tier that has an eligible agent (NO_TIER when none). */
  tier: number;
  /** Eligible agents in that tier. */
  tierCount: number;
  /** least_busy / longest_idle: the winner's and the runner-up's positions in `view.agents`. */
  best: number;
  runner: number;
  /** round_robin: the first agent of the tier in id order, and the first after `lastAgentId`. */
  first: number;
  next: number;
  /** broadcast: the tier's positions in id order (null for the other strategies). */
  members: number[] | null;
  /** Position and eligibility of the returning customer's agent (-1 when not a member). */
  preferred: number;
  preferredCode: Eligibility;
}

export const NO_TIER = 4;
export const EXCLUDED_TIER = 2;
export const NON_VIP_TIER = 1;

/** Whether the agent at `i` beats the one at `j` under `strategy` (never equal: ids differ). */
function beats(view: QueueView, i: number, j: number, media: Media, strategy: Strategy): boolean {
  const a = view.agents[i]!;
  const b = view.agents[j]!;
  if (strategy === "least_busy") {
    // compare (load + pending) / capacity without floating point
    const left = (a.load[media] + a.pending[media]) * b.capacity[media];
    const right = (b.load[media] + b.pending[media]) * a.capacity[media];
    if (left !== right) return left < right;
  } else if (a.idleSince !== b.idleSince) {
    return a.idleSince < b.idleSince;
  }
  const skillA = view.skillScore[i]!;
  const skillB = view.skillScore[j]!;
  if (skillA !== skillB) return skillA > skillB;
  if (strategy === "least_busy" && a.idleSince !== b.idleSince) return a.idleSince < b.idleSince;
  return a.id < b.id;
}

export function scan(view: QueueView, item: WorkItemSnapshot, policy: RoutingPolicy, lastAgentId: string | null): Scan {
  const { agents, qualified, queue } = view;
  const { media, excludedAgentIds, preferredAgentId } = item;
  const strategy = queue.strategy;
  const vipWanted = queue.vipFirst && item.vip;
  const anyExcluded = excludedAgentIds.size > 0;
  const s: Scan = {
    eligible: 0,
    notAvailable: 0,
    lacksSkills: 0,
    atCapacity: 0,
    onVoice: 0,
    noPhone: 0,
    tier: NO_TIER,
    tierCount: 0,
    best: -1,
    runner: -1,
    first: -1,
    next: -1,
    members: strategy === "broadcast" ? [] : null,
    preferred: -1,
    preferredCode: ELIGIBLE,
  };
  for (let i = 0; i < agents.length; i++) {
    const agent = agents[i]!;
    const code = checkAgent(agent, qualified[i] === 1, media, policy);
    if (agent.id === preferredAgentId) {
      s.preferred = i;
      s.preferredCode = code;
    }
    switch (code) {
      case ELIGIBLE:
        break;
      case NOT_AVAILABLE:
        s.notAvailable++;
        continue;
      case LACKS_SKILLS:
        s.lacksSkills++;
        continue;
      case AT_CAPACITY:
        s.atCapacity++;
        continue;
      case ON_VOICE:
        s.onVoice++;
        continue;
      case NO_PHONE:
        s.noPhone++;
        continue;
    }
    s.eligible++;
    const tier = (anyExcluded && excludedAgentIds.has(agent.id) ? EXCLUDED_TIER : 0) + (vipWanted && !agent.vipAgent ? NON_VIP_TIER : 0);
    if (tier > s.tier) continue;
    if (tier < s.tier) {
      s.tier = tier;
      s.tierCount = 0;
      s.best = s.runner = s.first = s.next = -1;
      if (s.members) s.members.length = 0;
    }
    s.tierCount++;
    switch (strategy) {
      case "round_robin":
        if (s.first < 0) s.first = i;
        if (s.next < 0 && lastAgentId !== null && agent.id > lastAgentId) s.next = i;
        break;
      case "broadcast":
        s.members!.push(i);
        break;
      case "least_busy":
      case "longest_idle":
        if (s.best < 0 || beats(view, i, s.best, media, strategy)) {
          s.runner = s.best;
          s.best = i;
        } else if (s.runner < 0 || beats(view, i, s.runner, media, strategy)) {
          s.runner = i;
        }
        break;
    }
  }
  return s;
}
