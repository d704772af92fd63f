import { CALL_DISPOSITIONS, ZCallListQuery } from "@yixian/contracts";
import { describe, expect, it } from "vitest";
import { DISPOSITIONS, EMPTY_CALL_FILTER, toFilter } from "./call-filter.ts";
import { dayStart, formatDuration } from "./format.ts";

describe("the call list's filter", () => {
  it("asks for whole days in the tenant's zone, the last day included, in a query the server takes", () => {
    const filter = toFilter({ ...EMPTY_CALL_FILTER, from: "2026-12-01", to: "2026-12-07", direction: "inbound", disposition: "missed", number: " 1380 " }, "Asia/Shanghai");
    expect(filter).toEqual({ from: "2026-11-30T16:00:00.000Z", to: "2026-12-07T16:00:00.000Z", direction: "inbound", disposition: "missed", number: "1380" });
    expect(ZCallListQuery.safeParse(filter).success).toBe(true);
    expect(toFilter(EMPTY_CALL_FILTER, "Asia/Shanghai")).toEqual({});
  });

  it("offers every outcome the server records", () => {
    expect([...DISPOSITIONS].sort()).toEqual([...CALL_DISPOSITIONS].sort());
  });
});

describe("days and durations", () => {
  it("finds midnight in zones with and without daylight saving", () => {
    expect(dayStart("2026-12-07", "UTC")).toBe("2026-12-07T00:00:00.000Z");
    expect(dayStart("2026-03-08", "America/New_York")).toBe("2026-03-08T05:00:00.000Z");
    // the day after the switch to summer time starts at UTC-4
    expect(dayStart("2026-03-08", "America/New_York", 1)).toBe("2026-03-09T04:00:00.000Z");
    expect(dayStart("2026-12-31", "Asia/Shanghai", 1)).toBe("2026-12-31T16:00:00.000Z");
  });

  it("shows durations as m:ss or h:mm:ss, and a dash when there is none", () => {
    expect([formatDuration(0), formatDuration(42), formatDuration(725), formatDuration(3723), formatDuration(null)]).toEqual(["0:00", "0:42", "12:05", "1:02:03", "—"]);
  });
});
