import { describe, expect, it } from "vitest";
import { SourceLimiter, type LimitReport } from "./source-limiter.ts";

function limiter(options: { burst?: number; perSecond?: number; maxSources?: number } = {}) {
  let now = 1_000_000;
  const reports: LimitReport[] = [];
  const l = new SourceLimiter({ burst: options.burst ?? 3, perSecond: options.perSecond ?? 1, maxSources: options.maxSources ?? 100, now: () => now, onLimited: (r) => reports.push(r) });
  return { l, reports, advance: (ms: number) => (now += ms) };
}

const kinds = (l: SourceLimiter, source: string, n: number) => Array.from({ length: n }, () => l.take(source).kind);

describe("SourceLimiter", () => {
  it("lets a burst through, then refuses with Retry-After, then drops", () => {
    const { l } = limiter({ burst: 3, perSecond: 1 });
    expect(kinds(l, "198.51.100.7", 3)).toEqual(["pass", "pass", "pass"]);
    expect(l.take("198.51.100.7")).toEqual({ kind: "refuse", retryAfterSeconds: 1 });
    expect(kinds(l, "198.51.100.7", 2)).toEqual(["refuse", "refuse"]);
    expect(kinds(l, "198.51.100.7", 2)).toEqual(["drop", "drop"]);
  });

  it("limits each source on its own", () => {
    const { l } = limiter({ burst: 2 });
    kinds(l, "198.51.100.7", 5);
    expect(l.take("198.51.100.8").kind).toBe("pass");
  });

  it("refills at the rate per second, up to the burst", () => {
    const { l, advance } = limiter({ burst: 3, perSecond: 2 });
    kinds(l, "a", 3);
    expect(l.take("a").kind).toBe("refuse");
    advance(500);
    expect(l.take("a").kind).toBe("pass");
    expect(l.take("a").kind).toBe("refuse");
    advance(60_000);
    expect(kinds(l, "a", 4)).toEqual(["pass", "pass", "pass", "refuse"]);
  });

  it("reports a limited source once per window with the counts of the window before", () => {
    const { l, reports, advance } = limiter({ burst: 2, perSecond: 0.001 });
    kinds(l, "a", 10);
    expect(reports).toEqual([{ source: "a", refusedBefore: 0, droppedBefore: 0 }]);
    advance(60_000);
    l.take("a");
    expect(reports).toEqual([
      { source: "a", refusedBefore: 0, droppedBefore: 0 },
      { source: "a", refusedBefore: 2, droppedBefore: 6 },
    ]);
  });

  it("charges failed REGISTERs only, and refuses a source that has none left", () => {
    const { l } = limiter({ burst: 2 });
    expect(l.check("a").kind).toBe("pass");
    expect(l.check("a").kind).toBe("pass");
    l.charge("a");
    l.charge("a");
    expect(l.check("a").kind).toBe("refuse");
    expect(l.take("b").kind).toBe("pass");
  });

  it("remembers a bounded number of sources while a scanner sweeps many addresses", () => {
    const { l } = limiter({ burst: 1, maxSources: 100 });
    kinds(l, "203.0.113.1", 3);
    for (let i = 0; i < 10_000; i++) {
      l.take(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
      if (i % 50 === 0) l.take("203.0.113.1");
    }
    expect(l.size).toBeLessThanOrEqual(100);
    // the source that keeps sending is still limited
    expect(l.take("203.0.113.1").kind).not.toBe("pass");
  });

  it("does nothing at 0 per second", () => {
    const { l } = limiter({ burst: 1, perSecond: 0 });
    expect(kinds(l, "a", 5)).toEqual(["pass", "pass", "pass", "pass", "pass"]);
    expect(l.size).toBe(0);
  });
});
