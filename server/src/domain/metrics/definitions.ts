/**
 * The queue and agent metrics as pure functions over work items and presence (epoch ms, no
 * database, no clock). README "Queue metrics" states the same definitions in words.
 */

export type PresenceState = "offline" | "available" | "busy" | "wrap_up" | "away";
export const PRESENCE_STATES: readonly PresenceState[] = ["offline", "available", "busy", "wrap_up", "away"];

/** What the metrics need of a work item (the row's timestamps as epoch ms). */
export interface ItemFacts {
  queueId: string;
  state: string;
  enqueuedAt: number;
  assignedAt: number | null;
  completedAt: number | null;
  abandonedAt: number | null;
  holdMs: number;
  wrapMs: number;
}

export interface Interval {
  start: number;
  end: number;
}

export interface IntervalRates {
  entered: number;
  answered: number;
  answeredWithinThreshold: number;
  serviceLevel: number | null;
  asaSeconds: number | null;
  handled: number;
  ahtSeconds: number | null;
  abandoned: number;
  abandonRate: number | null;
  /** The longest wait among waits that ended (answered or abandoned) in the interval. */
  longestWaitSeconds: number | null;
}

const within = (t: number | null, i: Interval): t is number => t !== null && t >= i.start && t < i.end;

/** Milliseconds as seconds, rounded to the millisecond. */
function toSeconds(ms: number): number {
  return Math.round(ms) / 1000;
}

function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

/** Answered: assigned to an agent. Abandoned: left before being assigned. */
export function isAbandoned(item: ItemFacts): boolean {
  return item.abandonedAt !== null && item.assignedAt === null;
}

/** Talk + hold + wrap-up of a completed item; talk = completed − assigned − hold (never below 0). */
export function handleTimeMs(item: ItemFacts): number | null {
  if (item.assignedAt === null || item.completedAt === null) return null;
  const talk = Math.max(0, item.completedAt - item.assignedAt - item.holdMs);
  return talk + item.holdMs + item.wrapMs;
}

/**
 * Rates of one queue's items over an interval. Each item counts in the interval in which the
 * event happened: answered where assigned_at falls, abandoned where abandoned_at falls, handled
 * where completed_at falls — an item that waited across a boundary counts its whole wait where
 * it was answered. T is inclusive: a wait of exactly T seconds is within service level.
 */
export function intervalRates(items: readonly ItemFacts[], interval: Interval, serviceLevelSeconds: number): IntervalRates {
  const thresholdMs = serviceLevelSeconds * 1000;
  const waits: number[] = [];
  const endedWaits: number[] = [];
  const handleTimes: number[] = [];
  let entered = 0;
  let withinThreshold = 0;
  let abandoned = 0;
  for (const item of items) {
    if (within(item.enqueuedAt, interval)) entered += 1;
    if (within(item.assignedAt, interval)) {
      const wait = Math.max(0, item.assignedAt - item.enqueuedAt);
      waits.push(wait);
      endedWaits.push(wait);
      if (wait <= thresholdMs) withinThreshold += 1;
    }
    if (isAbandoned(item) && within(item.abandonedAt, interval)) {
      abandoned += 1;
      endedWaits.push(Math.max(0, item.abandonedAt - item.enqueuedAt));
    }
    if (within(item.completedAt, interval)) {
      const handle = handleTimeMs(item);
      if (handle !== null) handleTimes.push(handle);
    }
  }
  const answered = waits.length;
  const asa = mean(waits);
  const aht = mean(handleTimes);
  return {
    entered,
    answered,
    answeredWithinThreshold: withinThreshold,
    serviceLevel: ratio(withinThreshold, answered),
    asaSeconds: asa === null ? null : toSeconds(asa),
    handled: handleTimes.length,
    ahtSeconds: aht === null ? null : toSeconds(aht),
    abandoned,
    abandonRate: ratio(abandoned, answered + abandoned),
    longestWaitSeconds: endedWaits.length === 0 ? null : toSeconds(Math.max(...endedWaits)),
  };
}

/** Waiting now: queued or offered, not yet assigned; the longest wait is now − the earliest arrival. */
export function waitingNow(items: readonly ItemFacts[], now: number): { waiting: number; oldestEnqueuedAt: number | null; longestWaitSeconds: number } {
  let waiting = 0;
  let oldest: number | null = null;
  for (const item of items) {
    if (item.state !== "waiting" && item.state !== "offered") continue;
    waiting += 1;
    if (oldest === null || item.enqueuedAt < oldest) oldest = item.enqueuedAt;
  }
  return { waiting, oldestEnqueuedAt: oldest, longestWaitSeconds: oldest === null ? 0 : toSeconds(Math.max(0, now - oldest)) };
}

export interface AgentFacts {
  userId: string;
  /** null: no presence row yet (never signed in to routing), counted as offline. */
  state: PresenceState | null;
  stateSince: number | null;
}

/** Members by presence state; a member without presence is offline. */
export function countByState(agents: readonly AgentFacts[]): Record<PresenceState, number> {
  const out: Record<PresenceState, number> = { offline: 0, available: 0, busy: 0, wrap_up: 0, away: 0 };
  for (const a of agents) out[a.state ?? "offline"] += 1;
  return out;
}

/** Seconds in the current state, or null without presence. */
export function timeInStateSeconds(agent: AgentFacts, now: number): number | null {
  return agent.stateSince === null ? null : toSeconds(Math.max(0, now - agent.stateSince));
}

/**
 * Rates for consecutive, equally long intervals (a report's 15-minute buckets). Each item is
 * handed only to the intervals in which one of its events happened, so a month of items costs
 * one pass instead of one pass per interval.
 */
export function intervalSeries(items: readonly ItemFacts[], intervals: readonly Interval[], serviceLevelSeconds: number): IntervalRates[] {
  const first = intervals[0];
  if (!first) return [];
  const length = first.end - first.start;
  const perInterval: ItemFacts[][] = intervals.map(() => []);
  for (const item of items) {
    const seen = new Set<number>();
    for (const t of [item.enqueuedAt, item.assignedAt, item.completedAt, item.abandonedAt]) {
      if (t === null || t < first.start) continue;
      const index = Math.floor((t - first.start) / length);
      if (index >= intervals.length || seen.has(index)) continue;
      seen.add(index);
      perInterval[index]!.push(item);
    }
  }
  return intervals.map((interval, i) => intervalRates(perInterval[i]!, interval, serviceLevelSeconds));
}
