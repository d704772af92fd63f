/**
 * One SLA clock, computed from facts: when its cycle started, when it stopped (if it did), and
 * the stretches it did not run (pending on the customer, resolved). Elapsed time is business
 * time of the calendar minus business time spent paused; the due instant is where elapsed time
 * reaches the target. Pure: the caller passes `now`.
 */
import type { SlaClockState } from "@yixian/contracts";
import { addBusinessMs, businessMsBetween, type BusinessCalendar } from "../business-hours/business-time.ts";

export interface Pause {
  from: number;
  /** null: still paused. */
  to: number | null;
}

export interface ClockInput {
  targetMs: number;
  warnFraction: number;
  startedAt: Date;
  stoppedAt: Date | null;
  /** Ascending, non-overlapping. */
  pauses: readonly Pause[];
  calendar: BusinessCalendar | null;
}

export interface ClockResult {
  /** null while paused before falling due (or when the calendar never opens again). */
  dueAt: Date | null;
  warnAt: Date | null;
  state: SlaClockState;
  remainingMs: number;
  overdueMs: number;
}

/** Pauses that overlap [start, stop), clipped to it; a stopped clock is never paused after its stop. */
export function clipPauses(pauses: readonly Pause[], start: number, stop: number | null): Pause[] {
  const out: Pause[] = [];
  for (const p of pauses) {
    const to = stop === null ? p.to : Math.min(p.to ?? stop, stop);
    const from = Math.max(p.from, start);
    if (to !== null && to <= from) continue;
    if (stop !== null && from >= stop) continue;
    out.push({ from, to });
  }
  return out;
}

/** The instant `amount` of running time has elapsed; null when that falls inside the open pause or never comes. */
function instantOfElapsed(cal: BusinessCalendar | null, start: number, pauses: readonly Pause[], amount: number): Date | null {
  let cursor = start;
  let remaining = amount;
  for (const pause of pauses) {
    if (pause.from > cursor) {
      const available = businessMsBetween(cal, new Date(cursor), new Date(pause.from));
      if (available >= remaining) return addBusinessMs(cal, new Date(cursor), remaining);
      remaining -= available;
    }
    if (pause.to === null) return null;
    cursor = Math.max(cursor, pause.to);
  }
  return addBusinessMs(cal, new Date(cursor), remaining);
}

/** Running (business, unpaused) time between the start and `at`. */
export function elapsedMs(cal: BusinessCalendar | null, start: number, pauses: readonly Pause[], at: number): number {
  let total = 0;
  let cursor = start;
  for (const pause of pauses) {
    if (pause.from >= at) break;
    if (pause.from > cursor) total += businessMsBetween(cal, new Date(cursor), new Date(pause.from));
    cursor = Math.max(cursor, Math.min(pause.to ?? at, at));
    if (cursor >= at) return total;
  }
  return total + businessMsBetween(cal, new Date(cursor), new Date(at));
}

export function computeClock(input: ClockInput, now: Date): ClockResult {
  const start = input.startedAt.getTime();
  const stop = input.stoppedAt ? input.stoppedAt.getTime() : null;
  const pauses = clipPauses(input.pauses, start, stop);
  const dueAt = instantOfElapsed(input.calendar, start, pauses, input.targetMs);
  const warnAt = instantOfElapsed(input.calendar, start, pauses, Math.round(input.targetMs * input.warnFraction));
  const until = stop ?? Math.max(now.getTime(), start);
  const elapsed = elapsedMs(input.calendar, start, pauses, until);
  const remainingMs = Math.max(0, input.targetMs - elapsed);
  const overdueMs = Math.max(0, elapsed - input.targetMs);
  let state: SlaClockState;
  if (stop !== null) state = dueAt && stop > dueAt.getTime() ? "breached" : "met";
  else if (dueAt && now.getTime() >= dueAt.getTime()) state = "breached";
  else if (pauses.some((p) => p.to === null && p.from <= now.getTime())) state = "paused";
  else state = "running";
  return { dueAt, warnAt, state, remainingMs, overdueMs };
}
