import { describe, expect, it } from "vitest";
import { localDayBounds } from "../../platform/time-zone.ts";
import { bucketStart, bucketsBetween } from "./time-buckets.ts";

const utc = (s: string) => Date.parse(s);

describe("15-minute intervals in the tenant's time zone", () => {
  it("puts an instant in the quarter hour of local time that holds it", () => {
    expect(bucketStart(utc("2026-03-10T02:14:30Z"), "Asia/Shanghai")).toBe(utc("2026-03-10T02:00:00Z"));
    expect(bucketStart(utc("2026-03-10T02:15:00Z"), "Asia/Shanghai")).toBe(utc("2026-03-10T02:15:00Z"));
    // 10:07 in Kathmandu (UTC+5:45) is in the 10:00 local interval, which begins at 04:15 UTC
    expect(bucketStart(utc("2026-01-01T04:22:00Z"), "Asia/Kathmandu")).toBe(utc("2026-01-01T04:15:00Z"));
  });

  it("has 92 intervals on the day New York's clocks go forward", () => {
    const day = localDayBounds("America/New_York", utc("2026-03-08T18:00:00Z"));
    expect(bucketsBetween(day.start, day.end, "America/New_York")).toHaveLength(92);
  });

  it("lists a Shanghai day as 96 intervals starting at local midnight", () => {
    const day = localDayBounds("Asia/Shanghai", utc("2026-03-10T09:00:00Z"));
    const buckets = bucketsBetween(day.start, day.end, "Asia/Shanghai");
    expect(buckets).toHaveLength(96);
    expect(buckets[0]).toEqual({ start: utc("2026-03-09T16:00:00Z"), end: utc("2026-03-09T16:15:00Z") });
    expect(buckets.at(-1)!.end).toBe(day.end);
    // a range that starts mid-interval begins with the interval holding its start
    expect(bucketsBetween(utc("2026-03-10T02:07:00Z"), utc("2026-03-10T02:31:00Z"), "Asia/Shanghai").map((b) => new Date(b.start).toISOString())).toEqual([
      "2026-03-10T02:00:00.000Z",
      "2026-03-10T02:15:00.000Z",
      "2026-03-10T02:30:00.000Z",
    ]);
  });
});
