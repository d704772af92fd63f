import { describe, expect, it } from "vitest";
import { addDays, localDate, serviceStatus } from "./service-status.ts";

describe("service status", () => {
  it.each([
    [null, "2030-01-01", "none"],
    ["vip", null, "active"],
    ["standard", "2025-06-14", "expired"],
    ["standard", "2025-06-15", "expiring"],
    ["online", "2025-07-15", "expiring"],
    ["online", "2025-07-16", "active"],
  ] as const)("pack %s ending %s is %s on 2025-06-15", (pack, expiresOn, expected) => {
    expect(serviceStatus(pack, expiresOn, "2025-06-15")).toBe(expected);
  });

  it("reads today on the tenant's calendar", () => {
    const lateEveningUtc = new Date("2025-06-14T17:30:00Z");
    expect(localDate(lateEveningUtc, "Asia/Shanghai")).toBe("2025-06-15");
    expect(localDate(lateEveningUtc, "Europe/London")).toBe("2025-06-14");
  });

  it("adds days across months and leap years", () => {
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2025-12-20", 30)).toBe("2026-01-19");
  });
});
