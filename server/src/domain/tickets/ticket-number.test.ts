import { describe, expect, it } from "vitest";
import { localDay } from "./ticket-number.ts";

describe("ticket numbers use the tenant's calendar day", () => {
  it("is already tomorrow in Shanghai at 17:00 UTC, still today in Berlin", () => {
    const at = new Date("2026-11-22T17:00:00Z");
    expect(localDay(at, "Asia/Shanghai")).toEqual({ iso: "2026-11-23", compact: "20261123" });
    expect(localDay(at, "Europe/Berlin")).toEqual({ iso: "2026-11-22", compact: "20261122" });
  });
});
