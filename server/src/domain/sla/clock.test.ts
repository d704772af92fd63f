import { describe, expect, it } from "vitest";
import type { BusinessCalendar, Span } from "../business-hours/business-time.ts";
import { computeClock, elapsedMs, type ClockInput } from "./clock.ts";

const H = 3_600_000;
const M = 60_000;
const day: Span[] = [
  ["09:00", "12:00"],
  ["13:00", "18:00"],
];
const office: BusinessCalendar = {
  timeZone: "Asia/Shanghai",
  weeklyHours: { mon: day, tue: day, wed: day, thu: day, fri: day },
  holidays: [{ date: "2026-11-25", name: "company day" }],
  extraWorkdays: [],
};
const sh = (local: string) => new Date(`${local}+08:00`);
const ms = (local: string) => sh(local).getTime();

function clock(over: Partial<ClockInput>): ClockInput {
  return { targetMs: 4 * H, warnFraction: 0.75, startedAt: sh("2026-11-23T10:00:00"), stoppedAt: null, pauses: [], calendar: office, ...over };
}

describe("an SLA clock in business hours", () => {
  it("runs towards a due time measured in business hours, warning at the fraction", () => {
    const c = computeClock(clock({}), sh("2026-11-23T11:00:00"));
    expect(c).toEqual({ dueAt: sh("2026-11-23T15:00:00"), warnAt: sh("2026-11-23T14:00:00"), state: "running", remainingMs: 3 * H, overdueMs: 0 });
  });

  it("is breached once due, counting overdue business time only", () => {
    const c = computeClock(clock({}), sh("2026-11-24T10:00:00"));
    expect(c.state).toBe("breached");
    // 15:00–18:00 on Monday and 09:00–10:00 on Tuesday
    expect(c.overdueMs).toBe(4 * H);
    expect(c.remainingMs).toBe(0);
  });

  it("is met when stopped in time and breached when stopped late", () => {
    expect(computeClock(clock({ stoppedAt: sh("2026-11-23T14:59:00") }), sh("2026-11-24T10:00:00"))).toMatchObject({ state: "met", remainingMs: M });
    expect(computeClock(clock({ stoppedAt: sh("2026-11-23T15:30:00") }), sh("2026-11-24T10:00:00"))).toMatchObject({ state: "breached", overdueMs: 30 * M });
  });

  it("extends the due time by the business time spent paused", () => {
    // pending 11:00–13:30 is 1.5 h of business time (lunch excluded): due 15:00 → 16:30
    const c = computeClock(clock({ pauses: [{ from: ms("2026-11-23T11:00:00"), to: ms("2026-11-23T13:30:00") }] }), sh("2026-11-23T14:00:00"));
    expect(c.dueAt).toEqual(sh("2026-11-23T16:30:00"));
    expect(c.remainingMs).toBe(2.5 * H);
    expect(c.state).toBe("running");
  });

  it("has no due time while paused, and keeps the time left", () => {
    const c = computeClock(clock({ pauses: [{ from: ms("2026-11-23T11:00:00"), to: null }] }), sh("2026-11-24T16:00:00"));
    expect(c).toMatchObject({ dueAt: null, state: "paused", remainingMs: 3 * H, overdueMs: 0 });
  });

  it("stays breached when paused after falling due", () => {
    const c = computeClock(clock({ pauses: [{ from: ms("2026-11-23T16:00:00"), to: null }] }), sh("2026-11-24T16:00:00"));
    expect(c).toMatchObject({ dueAt: sh("2026-11-23T15:00:00"), state: "breached", overdueMs: H });
  });

  it("carries the target over a holiday and a weekend", () => {
    const c = computeClock(clock({ startedAt: sh("2026-11-24T17:00:00"), targetMs: 3 * H }), sh("2026-11-24T17:00:00"));
    // 1 h Tuesday, Wednesday is a holiday, Thursday 09–11
    expect(c.dueAt).toEqual(sh("2026-11-26T11:00:00"));
  });

  it("measures a 24×7 policy in wall-clock time", () => {
    const c = computeClock(clock({ calendar: null, startedAt: new Date("2026-11-21T10:00:00Z"), targetMs: 30 * M, warnFraction: 0.8 }), new Date("2026-11-21T10:25:00Z"));
    expect(c).toMatchObject({ dueAt: new Date("2026-11-21T10:30:00Z"), warnAt: new Date("2026-11-21T10:24:00Z"), state: "running", remainingMs: 5 * M });
  });

  it("ignores pauses before the cycle started and after it stopped", () => {
    const c = computeClock(
      clock({
        pauses: [
          { from: ms("2026-11-23T08:00:00"), to: ms("2026-11-23T09:30:00") },
          { from: ms("2026-11-23T12:30:00"), to: null },
        ],
        stoppedAt: sh("2026-11-23T11:00:00"),
      }),
      sh("2026-11-24T09:00:00"),
    );
    expect(c).toMatchObject({ dueAt: sh("2026-11-23T15:00:00"), state: "met", remainingMs: 3 * H });
  });

  it("adds up elapsed time across several pauses", () => {
    const pauses = [
      { from: ms("2026-11-23T10:30:00"), to: ms("2026-11-23T11:00:00") },
      { from: ms("2026-11-23T14:00:00"), to: ms("2026-11-23T15:00:00") },
    ];
    // 10:00–10:30, 11:00–12:00, 13:00–14:00, 15:00–16:00
    expect(elapsedMs(office, ms("2026-11-23T10:00:00"), pauses, ms("2026-11-23T16:00:00"))).toBe(3.5 * H);
    expect(computeClock(clock({ pauses }), sh("2026-11-23T16:00:00")).dueAt).toEqual(sh("2026-11-23T16:30:00"));
  });
});
