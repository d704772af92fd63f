import type { AgentSnapshot, AgentState, Media, QueueConfig, RoutingPolicy, WorkItemSnapshot } from "./types.ts";

/** Snapshot builders for the engine's unit tests: plain data at a fixed time. */

export const NOW = Date.parse("2025-06-16T02:00:00Z");
export const QUEUE_ID = "queue-support";
export const MIXED: RoutingPolicy = { chatDuringVoice: true };
export const VOICE_ONLY: RoutingPolicy = { chatDuringVoice: false };

export const NAMES: ReadonlyMap<string, string> = new Map([
  ["agent-a", "李娜"],
  ["agent-b", "王芳"],
  ["agent-c", "张伟"],
  ["agent-d", "刘洋"],
  ["agent-e", "陈静"],
]);

interface AgentOptions {
  state?: AgentState;
  capacity?: Partial<Record<Media, number>>;
  load?: Partial<Record<Media, number>>;
  pending?: Partial<Record<Media, number>>;
  skills?: Record<string, number>;
  queues?: string[];
  /** Seconds idle at NOW. */
  idle?: number;
  vip?: boolean;
  /** Default true: a registered softphone or desk phone. */
  phone?: boolean;
}

export function agent(id: string, o: AgentOptions = {}): AgentSnapshot {
  return {
    id,
    state: o.state ?? "available",
    capacity: { voice: 1, chat: 5, email: 10, ...o.capacity },
    load: { voice: 0, chat: 0, email: 0, ...o.load },
    pending: { voice: 0, chat: 0, email: 0, ...o.pending },
    skills: new Map(Object.entries(o.skills ?? {})),
    queueIds: new Set(o.queues ?? [QUEUE_ID]),
    idleSince: NOW - (o.idle ?? 60) * 1000,
    vipAgent: o.vip ?? false,
    phoneRegistered: o.phone ?? true,
  };
}

export function queue(o: Partial<QueueConfig> = {}): QueueConfig {
  return { id: QUEUE_ID, strategy: "least_busy", requiredSkills: [], vipFirst: false, stickySeconds: 0, ...o };
}

type ItemOptions = Partial<Omit<WorkItemSnapshot, "excludedAgentIds">> & { excluded?: string[]; waited?: number };

/** A chat that has waited `waited` seconds (10 by default) at NOW. */
export function item(o: ItemOptions = {}): WorkItemSnapshot {
  const { excluded, waited, ...rest } = o;
  return {
    id: "item-1",
    queueId: QUEUE_ID,
    media: "chat",
    priority: 0,
    vip: false,
    enqueuedAt: NOW - (waited ?? 10) * 1000,
    preferredAgentId: null,
    ...rest,
    excludedAgentIds: new Set(excluded ?? []),
  };
}
