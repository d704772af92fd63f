import { describe, expect, it } from "vitest";
import { matchPolicy } from "./match-policy.ts";

const policy = (id: string, position: number, priorities: string[], servicePacks: string[], isDefault = false) => ({
  id,
  position,
  is_default: isDefault,
  priorities,
  service_packs: servicePacks,
});

const policies = [
  policy("c-default", 0, [], [], true),
  policy("b-vip", 2, [], ["vip"]),
  policy("a-urgent", 1, ["urgent"], []),
  policy("d-vip-high", 3, ["high", "urgent"], ["vip"]),
];

describe("choosing a ticket's SLA policy", () => {
  it("takes the first match by position", () => {
    expect(matchPolicy(policies, "urgent", "vip")?.id).toBe("a-urgent");
    expect(matchPolicy(policies, "high", "vip")?.id).toBe("b-vip");
  });

  it("falls back to the default policy, wherever it sits", () => {
    expect(matchPolicy(policies, "normal", null)?.id).toBe("c-default");
    expect(matchPolicy(policies, "high", "standard")?.id).toBe("c-default");
  });

  it("needs a pack when the policy names packs", () => {
    expect(matchPolicy([policy("vip", 0, [], ["vip"])], "normal", null)).toBeNull();
  });

  it("breaks position ties by creation order (ids sort by time)", () => {
    expect(matchPolicy([policy("018b", 1, [], []), policy("018a", 1, [], [])], "low", null)?.id).toBe("018a");
  });

  it("has no policy when nothing matches and there is no default", () => {
    expect(matchPolicy([], "normal", null)).toBeNull();
  });
});
