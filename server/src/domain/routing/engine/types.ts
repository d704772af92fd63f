/**
 * The routing engine's view of the world: plain data, no database, no clock of its own.
 * The engine (pure functions, `decide`) picks which agent(s) get an offer for a work item; the
 * dispatcher around it loads these snapshots under row locks, calls it, and writes the offer.
 */

export type Media = "voice" | "chat" | "email";
export type AgentState = "offline" | "available" | "busy" | "wrap_up" | "away";
export type Strategy = "least_busy" | "round_robin" | "longest_idle" | "broadcast";

export interface AgentSnapshot {
  id: string;
  state: AgentState;
  /** Most items of each medium the agent may hold at once (e.g. voice 1, chat 5, email 10). */
  capacity: Record<Media, number>;
  /** Items of each medium assigned to the agent now. */
  load: Record<Media, number>;
  /** Offers of each medium waiting for the agent's answer (they count against capacity). */
  pending: Record<Media, number>;
  /** skillId → level 1–10. */
  skills: ReadonlyMap<string, number>;
  queueIds: ReadonlySet<string>;
  /** Epoch ms since the agent last became free (longest idle). */
  idleSince: number;
  /** VIP agents get VIP items first. */
  vipAgent: boolean;
  /** One of the agent's SIP devices (softphone or desk phone) is registered now: without one, no call can ring them, so no voice offers. */
  phoneRegistered: boolean;
}

export interface QueueConfig {
  id: string;
  strategy: Strategy;
  requiredSkills: readonly { skillId: string; minLevel: number }[];
  /** VIP items jump ahead and go to VIP agents first. */
  vipFirst: boolean;
  /** Returning-customer priority: how long an item waits for the agent who last served the customer (0 = off). */
  stickySeconds: number;
}

export interface WorkItemSnapshot {
  id: string;
  queueId: string;
  media: Media;
  priority: number;
  vip: boolean;
  /** Epoch ms. */
  enqueuedAt: number;
  preferredAgentId: string | null;
  /** Agents who already missed or refused this item (not offered again while others can take it). */
  excludedAgentIds: ReadonlySet<string>;
}

export interface RoutingPolicy {
  /** Tenant setting: while an agent is on a call, may they still be offered chats and e-mails? */
  chatDuringVoice: boolean;
}

export interface RoutingState {
  /** Round robin: the agent who got this queue's previous item. */
  lastAgentId: string | null;
}

/** The engine's answer: who gets the offer, and a sentence saying why (shown on the timeline). */
export type Decision =
  | { kind: "offer"; itemId: string; agentIds: string[]; strategy: Strategy | "sticky"; reason: string }
  | {
      kind: "wait";
      itemId: string;
      reason: string;
      /** Epoch ms when waiting ends by itself (the returning-customer window), so the dispatcher can retry then. */
      retryAt?: number;
    };
