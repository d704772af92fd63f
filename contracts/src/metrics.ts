import { z } from "zod";
import { ZId, ZTimestamp } from "./common.ts";
import { ZAgentState } from "./routing.ts";
import type { AckFailure } from "./errors.ts";

/** Live queue and agent metrics, and read-only wallboard links. Definitions: README, "Queue metrics". */


const count = z.number().int().min(0);
const ratio = z.number().min(0).max(1).nullable();
const seconds = z.number().min(0).nullable();

export const ZAgentStateCounts = z.object({ offline: count, available: count, busy: count, wrap_up: count, away: count });

export const ZQueueMetrics = z.object({
  queueId: ZId,
  name: z.string(),
  /** Items waiting now: queued or offered, not yet assigned. */
  waiting: count,
  /** Now − the earliest arrival among the waiting items; 0 with nobody waiting. */
  longestWaitSeconds: z.number().min(0),
  /** Arrival of the longest-waiting item, so a page can tick the longest wait between pushes. */
  oldestWaitingSince: ZTimestamp.nullable(),
  /** Answered within the queue's T seconds ÷ answered, in the current interval; null with nothing answered. */
  serviceLevel: ratio,
  serviceLevelSeconds: z.number().int().min(1),
  answered: count,
  answeredWithinThreshold: count,
  /** Mean wait of the items answered in the interval. */
  asaSeconds: seconds,
  /** Items completed in the interval (AHT is over these). */
  handled: count,
  /** Mean talk + hold + wrap-up of the items completed in the interval. */
  ahtSeconds: seconds,
  abandoned: count,
  /** Abandoned ÷ (answered + abandoned), for waits that ended in the interval. */
  abandonRate: ratio,
  /** The queue's members by presence state. */
  agents: ZAgentStateCounts,
});
export type QueueMetrics = z.infer<typeof ZQueueMetrics>;

export const ZAgentMetrics = z.object({
  userId: ZId,
  name: z.string(),
  state: ZAgentState,
  reason: z.string().nullable(),
  /** When the agent entered the state; null if the agent has never signed in to routing. */
  stateSince: ZTimestamp.nullable(),
  timeInStateSeconds: z.number().min(0).nullable(),
  /** The agent's console lost its connection at: shown as reconnecting during the grace period; null while connected. */
  disconnectedAt: ZTimestamp.nullable(),
  /** Items the agent completed in the tenant's local day. */
  handledToday: count,
  queueIds: z.array(ZId),
});
export type AgentMetrics = z.infer<typeof ZAgentMetrics>;

export const ZWallboardSnapshot = z.object({
  tenantId: ZId,
  tenantName: z.string(),
  timeZone: z.string(),
  locale: z.string(),
  /** The server's time when the snapshot was taken. */
  at: ZTimestamp,
  /** The current 15-minute interval the rates are measured over, aligned to the tenant's time zone. */
  intervalStart: ZTimestamp,
  intervalEnd: ZTimestamp,
  /** Start of the tenant's local day ("handled today"). */
  dayStart: ZTimestamp,
  queues: z.array(ZQueueMetrics),
  agents: z.array(ZAgentMetrics),
});
export type WallboardSnapshot = z.infer<typeof ZWallboardSnapshot>;

export const ZQueueMetricsQuery = z.object({ queueId: ZId.optional().describe("Only this queue") });

export const ZQueueMetricsList = ZWallboardSnapshot.pick({ at: true, intervalStart: true, intervalEnd: true, timeZone: true, queues: true });
export const ZAgentMetricsList = ZWallboardSnapshot.pick({ at: true, dayStart: true, timeZone: true, agents: true });

export const ZIntervalMetrics = z.object({
  start: ZTimestamp,
  end: ZTimestamp,
  /** Items that arrived in the queue in the interval. */
  entered: count,
  answered: count,
  answeredWithinThreshold: count,
  serviceLevel: ratio,
  asaSeconds: seconds,
  handled: count,
  ahtSeconds: seconds,
  abandoned: count,
  abandonRate: ratio,
  /** The longest wait among the waits that ended (answered or abandoned) in the interval; null with none. */
  longestWaitSeconds: seconds,
});
export type IntervalMetrics = z.infer<typeof ZIntervalMetrics>;

export const ZQueueIntervalsQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional().describe("Start (default: the start of today in the tenant's time zone)"),
  to: z.iso.datetime({ offset: true }).optional().describe("End, exclusive (default: now); at most 31 days after from"),
});

export const ZQueueIntervals = z.object({
  queueId: ZId,
  name: z.string(),
  timeZone: z.string(),
  serviceLevelSeconds: z.number().int(),
  intervals: z.array(ZIntervalMetrics),
});

export const WALLBOARD_LINK_STATES = ["active", "expired", "revoked"] as const;

export const ZWallboardLink = z.object({
  id: ZId,
  name: z.string(),
  /** The queues the link shows; empty: every queue. */
  queueIds: z.array(ZId),
  state: z.enum(WALLBOARD_LINK_STATES),
  expiresAt: ZTimestamp,
  revokedAt: ZTimestamp.nullable(),
  createdBy: ZId.nullable(),
  createdAt: ZTimestamp,
});
export type WallboardLink = z.infer<typeof ZWallboardLink>;

export const ZCreateWallboardLink = z.object({
  name: z.string().trim().min(1).max(100),
  queueIds: z.array(ZId).max(100).default([]).describe("Queues to show; empty or omitted: every queue"),
  expiresAt: z.iso.datetime({ offset: true }).optional().describe("When the link stops working (default: in 30 days; at most a year ahead)"),
});

export const ZCreatedWallboardLink = z.object({
  link: ZWallboardLink,
  /** Shown once: only its hash is stored. */
  token: z.string(),
  url: z.string(),
});

export const ZWallboardQuery = z.object({
  token: z.string().min(20).max(200).optional().describe("A wallboard link's token; without it, your session's tenant"),
});

/** The wallboard page's own socket.io namespace: a link token or a session, receive-only. */
export const WALLBOARD_NAMESPACE = "/wallboard";

export type WallboardRefreshAck = { ok: true; snapshot: WallboardSnapshot } | AckFailure;

export interface WallboardServerEvents {
  "wallboard:update": (e: WallboardSnapshot) => void;
}

export interface WallboardClientEvents {
  /** Asks for a fresh snapshot (the page does at each new interval and local midnight). */
  "wallboard:refresh": (ack: (res: WallboardRefreshAck) => void) => void;
}
