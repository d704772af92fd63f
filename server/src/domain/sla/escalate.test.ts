import { describe, expect, it } from "vitest";
import { raisedPriority } from "./escalate.ts";

describe("raising a breached ticket's priority", () => {
  it("goes one step up, or up to a level, and never down", () => {
    expect(raisedPriority("normal", "one_step")).toBe("high");
    expect(raisedPriority("urgent", "one_step")).toBeNull();
    expect(raisedPriority("low", "urgent")).toBe("urgent");
    expect(raisedPriority("urgent", "high")).toBeNull();
    expect(raisedPriority("high", "high")).toBeNull();
    expect(raisedPriority("normal", null)).toBeNull();
  });
});
