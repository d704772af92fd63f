import type { AgentSnapshot, Media, QueueConfig, RoutingPolicy, WorkItemSnapshot } from "./types.ts";

/**
 * Why an agent can or cannot take an item, as a small number so the hot path neither allocates
 * nor branches on strings. The counts per reason explain a "wait" decision.
 */
export const ELIGIBLE = 0;
export const NOT_AVAILABLE = 1;
export const LACKS_SKILLS = 2;
export const AT_CAPACITY = 3;
/** Blocked by the tenant's "no chats during a call" setting (`chatDuringVoice: false`). */
export const ON_VOICE = 4;
/** A call, and none of the agent's SIP devices is registered: nothing would ring. */
export const NO_PHONE = 5;
export type Eligibility = typeof ELIGIBLE | typeof NOT_AVAILABLE | typeof LACKS_SKILLS | typeof AT_CAPACITY | typeof ON_VOICE | typeof NO_PHONE;

/** True when the agent has every skill the queue requires at or above its minimum level. */
export function hasRequiredSkills(agent: AgentSnapshot, queue: QueueConfig): boolean {
  for (const { skillId, minLevel } of queue.requiredSkills) {
    const level = agent.skills.get(skillId);
    if (level === undefined || level < minLevel) return false;
  }
  return true;
}

/** Sum of the agent's levels in the queue's required skills: the better-qualified agent wins ties. */
export function skillScore(agent: AgentSnapshot, queue: QueueConfig): number {
  let score = 0;
  for (const { skillId } of queue.requiredSkills) score += agent.skills.get(skillId) ?? 0;
  return score;
}

function busyWith(agent: AgentSnapshot, media: Media): number {
  return agent.load[media] + agent.pending[media];
}

/**
 * Capacity and presence for one medium; queue membership and skills are checked by the caller
 * (`qualified` is `hasRequiredSkills`, precomputed per queue by the routing index). A call needs
 * a registered SIP device (softphone or desk phone); chats and e-mails do not.
 *
 * With `chatDuringVoice` off, a call (held or offered) blocks chats and e-mails, and a voice
 * offer needs an agent with nothing at all, held or offered: an agent with a chat half-answered
 * is not put on the phone.
 */
export function checkAgent(agent: AgentSnapshot, qualified: boolean, media: Media, policy: RoutingPolicy): Eligibility {
  if (agent.state !== "available") return NOT_AVAILABLE;
  if (!qualified) return LACKS_SKILLS;
  if (media === "voice" && !agent.phoneRegistered) return NO_PHONE;
  if (busyWith(agent, media) >= agent.capacity[media]) return AT_CAPACITY;
  if (!policy.chatDuringVoice) {
    if (media === "voice") {
      if (busyWith(agent, "chat") + busyWith(agent, "email") > 0) return ON_VOICE;
    } else if (busyWith(agent, "voice") > 0) {
      return ON_VOICE;
    }
  }
  return ELIGIBLE;
}

/**
 * Whether routing may offer the agent an item of `media` in `queue` now: a member of the queue,
 * qualified, available (busy counts: it is shown to the engine as available) and with room.
 * The one rule both the dispatcher and what customers are shown (`queueAvailability`) use.
 */
export function canTake(agent: AgentSnapshot, queue: QueueConfig, media: Media, policy: RoutingPolicy): boolean {
  return agent.queueIds.has(queue.id) && checkAgent(agent, hasRequiredSkills(agent, queue), media, policy) === ELIGIBLE;
}

/**
 * The agents who may be offered `item` now, sorted by id: available, members of the queue, with
 * the required skills, free capacity for the item's medium (held plus offered), and not among
 * the agents who already missed or refused it, unless nobody else is eligible.
 */
export function eligibleAgents(
  item: WorkItemSnapshot,
  queue: QueueConfig,
  agents: Iterable<AgentSnapshot>,
  policy: RoutingPolicy,
): AgentSnapshot[] {
  const fresh: AgentSnapshot[] = [];
  const excluded: AgentSnapshot[] = [];
  for (const agent of agents) {
    if (!canTake(agent, queue, item.media, policy)) continue;
    (item.excludedAgentIds.has(agent.id) ? excluded : fresh).push(agent);
  }
  const chosen = fresh.length > 0 ? fresh : excluded;
  return chosen.sort(byId);
}

/** Code-unit order: deterministic, locale-free and cheap. */
export function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
