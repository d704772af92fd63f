import { OUTBOUND_LIMITS_DEFAULT } from "@yixian/contracts";
import { describe, expect, it } from "vitest";
import { destinationClass, refusedDestination } from "./outbound-limits.ts";

describe("outbound destinations", () => {
  it("classes numbers from the tenant's country", () => {
    expect(destinationClass("+8613912345678", "CN")).toBe("mobile");
    expect(destinationClass("+862161234567", "CN")).toBe("national");
    expect(destinationClass("+864008001234", "CN")).toBe("national");
    expect(destinationClass("+442079460000", "CN")).toBe("international");
    expect(destinationClass("+442079460000", "GB")).toBe("national");
  });

  it("refuses international calls by default, and denied prefixes whatever the classes allow", () => {
    expect(refusedDestination(OUTBOUND_LIMITS_DEFAULT, "+8613912345678", "CN")).toBeNull();
    expect(refusedDestination(OUTBOUND_LIMITS_DEFAULT, "+442079460000", "CN")).toBe("international calls are not allowed");
    const limits = { ...OUTBOUND_LIMITS_DEFAULT, international: true, mobile: false, deniedPrefixes: ["+44207"] };
    expect(refusedDestination(limits, "+442079460000", "CN")).toBe("numbers starting +44207 are denied");
    expect(refusedDestination(limits, "+8613912345678", "CN")).toBe("mobile calls are not allowed");
    expect(refusedDestination(limits, "+862161234567", "CN")).toBeNull();
  });
});
