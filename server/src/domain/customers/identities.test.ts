import { describe, expect, it } from "vitest";
import { DomainError } from "../errors.ts";
import { normaliseIdentity, tryNormaliseIdentity } from "./identities.ts";

function codeOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (err) {
    return err instanceof DomainError ? err.code : "not a DomainError";
  }
}

describe("normaliseIdentity", () => {
  it("stores phones in E.164 and keeps what was typed for display", () => {
    expect(normaliseIdentity("phone", " 021-6123 4567 ", "CN")).toEqual({ kind: "phone", value: "+862161234567", displayValue: "021-6123 4567" });
  });

  it("lower-cases and trims e-mail addresses", () => {
    expect(normaliseIdentity("email", "  Li.Lei@Example.COM ", "CN")).toEqual({ kind: "email", value: "li.lei@example.com", displayValue: "Li.Lei@Example.COM" });
  });

  it("trims the other kinds but keeps their case", () => {
    expect(normaliseIdentity("wechat_openid", " oAbC123 ", "CN").value).toBe("oAbC123");
    expect(normaliseIdentity("wecom_external_id", "wmXyZ\t", "CN").value).toBe("wmXyZ");
    expect(normaliseIdentity("visitor_id", "v-1", "CN").value).toBe("v-1");
  });

  it("refuses empty values, bad e-mail and bad phones with their codes", () => {
    expect(codeOf(() => normaliseIdentity("visitor_id", "   ", "CN"))).toBe("VALIDATION_FAILED");
    expect(codeOf(() => normaliseIdentity("email", "not-an-address", "CN"))).toBe("VALIDATION_FAILED");
    expect(codeOf(() => normaliseIdentity("phone", "12345", "CN"))).toBe("INVALID_PHONE");
  });

  it("tryNormaliseIdentity answers null for a withheld caller", () => {
    expect(tryNormaliseIdentity("phone", "anonymous", "CN")).toBeNull();
    expect(tryNormaliseIdentity("phone", "+8613800138000", "CN")?.value).toBe("+8613800138000");
  });
});
