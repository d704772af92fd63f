import { describe, expect, it } from "vitest";
import { dayFromDate, localDate, localDay, localDayBounds, localToInstant, zoneOffset } from "./time-zone.ts";

const utc = (s: string) => Date.parse(s);
const HOUR = 3_600_000;
const NY = "America/New_York";
const SH = "Asia/Shanghai";

describe("a zone's offset from UTC", () => {
  it("is +8 h all year in Shanghai and +5:45 in Kathmandu, at any millisecond", () => {
    expect(zoneOffset(SH, utc("2026-03-10T02:14:30.250Z"))).toBe(8 * HOUR);
    expect(zoneOffset(SH, utc("2026-07-01T12:00:00Z"))).toBe(8 * HOUR);
    expect(zoneOffset("Asia/Kathmandu", utc("2026-01-01T12:00:00Z"))).toBe((5 * 60 + 45) * 60_000);
  });

  it("changes in New York at the exact instant the clocks do, both ways", () => {
    // Sunday 8 March 2026, 02:00 EST (07:00 UTC) becomes 03:00 EDT
    expect(zoneOffset(NY, utc("2026-03-08T06:59:59.999Z"))).toBe(-5 * HOUR);
    expect(zoneOffset(NY, utc("2026-03-08T07:00:00Z"))).toBe(-4 * HOUR);
    // Sunday 1 November 2026, 02:00 EDT (06:00 UTC) becomes 01:00 EST
    expect(zoneOffset(NY, utc("2026-11-01T05:59:59.999Z"))).toBe(-4 * HOUR);
    expect(zoneOffset(NY, utc("2026-11-01T06:00:00Z"))).toBe(-5 * HOUR);
  });
});

describe("the local day an instant falls on", () => {
  it("is already tomorrow in Shanghai at 17:00 UTC, still today in Berlin", () => {
    const at = utc("2026-11-22T17:00:00Z");
    expect(localDate(SH, at)).toBe("2026-11-23");
    expect(localDate("Europe/Berlin", at)).toBe("2026-11-22");
  });

  it("turns over exactly at local midnight", () => {
    expect(localDate(SH, utc("2026-03-09T15:59:59.999Z"))).toBe("2026-03-09");
    expect(localDate(SH, utc("2026-03-09T16:00:00Z"))).toBe("2026-03-10");
    // New York's midnight is 05:00 UTC in winter, 04:00 UTC in summer: on either side of the switch
    expect(localDate(NY, utc("2026-03-08T04:59:59.999Z"))).toBe("2026-03-07");
    expect(localDate(NY, utc("2026-03-08T05:00:00Z"))).toBe("2026-03-08");
    expect(localDate(NY, utc("2026-03-09T03:59:59.999Z"))).toBe("2026-03-08");
    expect(localDate(NY, utc("2026-03-09T04:00:00Z"))).toBe("2026-03-09");
    expect(localDay(NY, utc("2026-03-09T04:00:00Z"))).toBe(dayFromDate("2026-03-09"));
  });

  it("runs midnight to midnight: 24 hours in Shanghai, 23 and 25 in New York on the days the clocks change", () => {
    expect(localDayBounds(SH, utc("2026-03-10T02:14:30Z"))).toEqual({ start: utc("2026-03-09T16:00:00Z"), end: utc("2026-03-10T16:00:00Z") });
    expect(localDayBounds(NY, utc("2026-03-08T18:00:00Z"))).toEqual({ start: utc("2026-03-08T05:00:00Z"), end: utc("2026-03-09T04:00:00Z") });
    expect(localDayBounds(NY, utc("2026-11-01T12:00:00Z"))).toEqual({ start: utc("2026-11-01T04:00:00Z"), end: utc("2026-11-02T05:00:00Z") });
    // an instant at midnight belongs to the day that starts then
    expect(localDayBounds(NY, utc("2026-03-09T04:00:00Z")).start).toBe(utc("2026-03-09T04:00:00Z"));
  });
});

describe("a local wall-clock time as an instant", () => {
  it("maps Shanghai's 09:00 to 01:00 UTC", () => {
    expect(localToInstant(SH, dayFromDate("2026-03-10"), 9 * 60)).toBe(utc("2026-03-10T01:00:00Z"));
  });

  it("moves a time the spring-forward jump skips past the jump, and takes a doubled autumn time's first occurrence", () => {
    // 02:30 on 8 March 2026 does not happen in New York: it is taken as 03:30 EDT
    expect(localToInstant(NY, dayFromDate("2026-03-08"), 150)).toBe(utc("2026-03-08T07:30:00Z"));
    // 01:30 on 1 November 2026 happens twice: first in EDT
    expect(localToInstant(NY, dayFromDate("2026-11-01"), 90)).toBe(utc("2026-11-01T05:30:00Z"));
  });
});
