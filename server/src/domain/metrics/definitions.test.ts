import { describe, expect, it } from "vitest";
import { countByState, intervalRates, intervalSeries, timeInStateSeconds, waitingNow, type ItemFacts } from "./definitions.ts";

// A scripted morning of one queue in Shanghai (UTC+8), T = 20 s. Every expected number below is
// worked out by hand from these times, not by the code under test.
const at = (hhmmss: string) => Date.parse(`2026-03-10T${hhmmss}+08:00`);
const T = 20;

function item(over: Partial<ItemFacts> & { enqueuedAt: number }): ItemFacts {
  return { queueId: "q", state: "waiting", assignedAt: null, completedAt: null, abandonedAt: null, holdMs: 0, wrapMs: 0, ...over };
}

/** The queue's items as they stand at 10:14:30. */
function asAt1014(): Record<string, ItemFacts> {
  return {
    // waited 150 s across the 09:45/10:00 boundary; talk 240 s + hold 60 s + wrap 30 s = 330 s
    a: item({ state: "completed", enqueuedAt: at("09:58:00"), assignedAt: at("10:00:30"), completedAt: at("10:05:30"), holdMs: 60_000, wrapMs: 30_000 }),
    // waited exactly T (20 s): within service level; 480 s talk + 20 s wrap = 500 s
    b: item({ state: "completed", enqueuedAt: at("10:01:00"), assignedAt: at("10:01:20"), completedAt: at("10:09:20"), wrapMs: 20_000 }),
    // waited 5 s; still talking at 10:14:30
    c: item({ state: "assigned", enqueuedAt: at("10:02:00"), assignedAt: at("10:02:05") }),
    // hung up after 45 s in the queue
    d: item({ state: "abandoned", enqueuedAt: at("10:03:00"), abandonedAt: at("10:03:45") }),
    // taken off the queue by the system: neither answered nor abandoned
    x: item({ state: "cancelled", enqueuedAt: at("10:04:00") }),
    e: item({ state: "offered", enqueuedAt: at("10:10:00") }),
    f: item({ state: "waiting", enqueuedAt: at("10:12:00") }),
    h: item({ state: "waiting", enqueuedAt: at("10:14:00") }),
    // answered at 09:40 after 10 s, completed in the 10:00 interval: 1260 s, of which 120 s hold, + 40 s wrap = 1300 s
    g: item({ state: "completed", enqueuedAt: at("09:40:00"), assignedAt: at("09:40:10"), completedAt: at("10:01:10"), holdMs: 120_000, wrapMs: 40_000 }),
  };
}

/** The same items at the end of the day. */
function endOfDay(): ItemFacts[] {
  const items = asAt1014();
  items.c = { ...items.c!, state: "completed", completedAt: at("10:20:05"), wrapMs: 15_000 };
  // left exactly at 10:15:00: the end of an interval belongs to the next one
  items.h = { ...items.h!, state: "abandoned", abandonedAt: at("10:15:00") };
  items.e = { ...items.e!, state: "assigned", assignedAt: at("10:16:00") };
  items.f = { ...items.f!, state: "assigned", assignedAt: at("10:16:10") };
  return Object.values(items);
}

const interval = (from: string, to: string) => ({ start: at(from), end: at(to) });

describe("queue metrics over a scripted morning", () => {
  it("counts the 10:00–10:15 interval as it stands at 10:14:30", () => {
    const items = Object.values(asAt1014());
    expect(intervalRates(items, interval("10:00:00", "10:15:00"), T)).toEqual({
      entered: 7, // b c d x e f h
      answered: 3, // a b c
      answeredWithinThreshold: 2, // b (20 s) c (5 s); a waited 150 s
      serviceLevel: 2 / 3,
      asaSeconds: 58.333, // (150 + 20 + 5) / 3
      handled: 3, // a b g
      ahtSeconds: 710, // (330 + 500 + 1300) / 3
      abandoned: 1, // d
      abandonRate: 0.25, // 1 / (3 + 1)
      longestWaitSeconds: 150, // a
    });
    expect(waitingNow(items, at("10:14:30"))).toEqual({ waiting: 3, oldestEnqueuedAt: at("10:10:00"), longestWaitSeconds: 270 });
  });

  it("gives past intervals the same answers, and counts items spanning a boundary where their events happened", () => {
    const items = endOfDay();
    expect(intervalRates(items, interval("10:00:00", "10:15:00"), T)).toMatchObject({ answered: 3, serviceLevel: 2 / 3, handled: 3, ahtSeconds: 710, abandoned: 1, abandonRate: 0.25 });
    expect(intervalRates(items, interval("10:15:00", "10:30:00"), T)).toEqual({
      entered: 0,
      answered: 2, // e after 360 s, f after 250 s
      answeredWithinThreshold: 0,
      serviceLevel: 0,
      asaSeconds: 305,
      handled: 1, // c: 1080 s talk + 15 s wrap
      ahtSeconds: 1095,
      abandoned: 1, // h at 10:15:00 after 60 s
      abandonRate: 1 / 3,
      longestWaitSeconds: 360,
    });
    expect(intervalRates(items, interval("09:30:00", "09:45:00"), T)).toMatchObject({ entered: 1, answered: 1, serviceLevel: 1, asaSeconds: 10, handled: 0, ahtSeconds: null, abandonRate: 0 });
    expect(intervalRates(items, interval("09:45:00", "10:00:00"), T)).toEqual({
      entered: 1,
      answered: 0,
      answeredWithinThreshold: 0,
      serviceLevel: null,
      asaSeconds: null,
      handled: 0,
      ahtSeconds: null,
      abandoned: 0,
      abandonRate: null,
      longestWaitSeconds: null,
    });
    expect(waitingNow(items, at("23:00:00"))).toEqual({ waiting: 0, oldestEnqueuedAt: null, longestWaitSeconds: 0 });
  });

  it("gives a report's run of intervals the same numbers, interval by interval", () => {
    const items = endOfDay();
    const quarters = ["09:30:00", "09:45:00", "10:00:00", "10:15:00", "10:30:00"].map((t) => at(t));
    const intervals = quarters.slice(0, -1).map((start, i) => ({ start, end: quarters[i + 1]! }));
    const series = intervalSeries(items, intervals, T);
    expect(series.map((r) => [r.entered, r.answered, r.abandoned, r.handled])).toEqual([
      [1, 1, 0, 0], // g arrives and is answered
      [1, 0, 0, 0], // a arrives
      [7, 3, 1, 3],
      [0, 2, 1, 1],
    ]);
    expect(series).toEqual(intervals.map((i) => intervalRates(items, i, T)));
    expect(intervalSeries(items, [], T)).toEqual([]);
  });

  it("never lets hold time make talk time negative", () => {
    const odd = item({ state: "completed", enqueuedAt: at("11:00:00"), assignedAt: at("11:00:10"), completedAt: at("11:01:10"), holdMs: 90_000, wrapMs: 10_000 });
    // talk is 60 s − 90 s → 0, so AHT = 0 + 90 + 10
    expect(intervalRates([odd], interval("11:00:00", "11:15:00"), T).ahtSeconds).toBe(100);
  });
});

describe("agent metrics", () => {
  it("counts members by state, an agent without presence as offline, and time in state from state_since", () => {
    const agents = [
      { userId: "1", state: "available" as const, stateSince: at("10:00:00") },
      { userId: "2", state: "busy" as const, stateSince: at("10:14:00") },
      { userId: "3", state: "busy" as const, stateSince: at("10:01:20") },
      { userId: "4", state: "away" as const, stateSince: at("09:30:00") },
      { userId: "5", state: null, stateSince: null },
    ];
    expect(countByState(agents)).toEqual({ offline: 1, available: 1, busy: 2, wrap_up: 0, away: 1 });
    expect(agents.map((a) => timeInStateSeconds(a, at("10:14:30")))).toEqual([870, 30, 790, 2670, null]);
  });
});
