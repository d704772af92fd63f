import { describe, expect, it } from "vitest";
import { signVisitorToken, verifyVisitorToken } from "./secret.ts";

const secret = Buffer.from("0123456789abcdef0123456789abcdef");
const claims = { tenantId: "0195f0a0-0000-7000-8000-000000000001", visitorId: "0195f0a0-0000-7000-8000-000000000002" };

describe("visitor tokens", () => {
  it("round-trips and refuses tampering or another secret", () => {
    const token = signVisitorToken(secret, claims);
    expect(verifyVisitorToken(secret, token)).toEqual(claims);
    const forged = token.replace(claims.visitorId, "0195f0a0-0000-7000-8000-000000000003");
    expect(verifyVisitorToken(secret, forged)).toBeNull();
    expect(verifyVisitorToken(Buffer.from("another-secret-another-secret-xx"), token)).toBeNull();
    expect(verifyVisitorToken(secret, "garbage")).toBeNull();
  });
});
