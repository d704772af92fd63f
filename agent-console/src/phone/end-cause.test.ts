import { describe, expect, it } from "vitest";
import { outboundFailure } from "./end-cause.ts";

describe("why an outbound call failed", () => {
  it("says the server's refusal first", () => {
    expect(outboundFailure(403, "DESTINATION_NOT_ALLOWED")).toBe("destination-not-allowed");
    expect(outboundFailure(403, "PHONE_NOT_REGISTERED")).toBe("phone-not-registered");
    expect(outboundFailure(503, "NO_OUTBOUND_TRUNK")).toBe("no-trunk");
  });

  it("then what the far end said through the trunk", () => {
    expect(outboundFailure(486, null)).toBe("busy");
    expect(outboundFailure(480, null)).toBe("no-answer");
    expect(outboundFailure(404, null)).toBe("not-found");
    expect(outboundFailure(503, null)).toBe("unavailable");
    expect(outboundFailure(403, null)).toBeNull();
  });
});
