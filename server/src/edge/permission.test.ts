import { PERMISSIONS, ROLES, roleCan } from "@yixian/contracts";
import { describe, expect, it } from "vitest";
import { DomainError } from "../domain/errors.ts";
import { requirePermission } from "./permission.ts";

describe("requirePermission", () => {
  it("lets a role do what it may", () => {
    expect(() => requirePermission({ role: "agent" }, "conversation:write")).not.toThrow();
    expect(() => requirePermission({ role: "admin" }, "tenant:manage")).not.toThrow();
  });

  it("refuses with FORBIDDEN, naming the role and what it may not do", () => {
    expect(() => requirePermission({ role: "field_engineer" }, "queue:read")).toThrow(new DomainError("FORBIDDEN", "your role (field_engineer) may not read queues"));
    expect(() => requirePermission({ role: "quality_inspector" }, "conversation:write")).toThrow("your role (quality_inspector) may not answer conversations");
  });

  it("agrees with the role table for every role and permission", () => {
    for (const role of ROLES) {
      for (const permission of PERMISSIONS) {
        const refused = (() => {
          try {
            requirePermission({ role }, permission);
            return false;
          } catch (err) {
            return err instanceof DomainError && err.code === "FORBIDDEN" && !err.message.includes(":");
          }
        })();
        expect(refused, `${role} ${permission}`).toBe(!roleCan(role, permission));
      }
    }
  });
});
