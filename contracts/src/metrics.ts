/** Live queue and agent metrics (definitions in the README, "Queue metrics"). */

export interface QueueMetrics {
  queueId: string;
  name: string;
  /** Items waiting (queued or offered, not yet accepted). */
  waiting: number;
  longestWaitSeconds: number;
  /** Answered within the queue's T seconds ÷ answered, in the current interval; null with nothing answered. */
  serviceLevel: number | null;
  serviceLevelSeconds: number;
  asaSeconds: number | null;
  ahtSeconds: number | null;
  abandonRate: number | null;
  answered: number;
  abandoned: number;
  agents: Record<"offline" | "available" | "busy" | "wrap_up" | "away", number>;
}

export interface AgentMetrics {
  userId: string;
  name: string;
  state: "offline" | "available" | "busy" | "wrap_up" | "away";
  reason: string | null;
  stateSince: string;
  handledToday: number;
}

export interface WallboardSnapshot {
  tenantId: string;
  at: string;
  /** Start of the current interval the rates are measured over. */
  intervalStart: string;
  queues: QueueMetrics[];
  agents: AgentMetrics[];
}
