import { TICKET_STATUSES, type TicketStatus } from "@yixian/contracts";
import { describe, expect, it } from "vitest";
import { DomainError } from "../errors.ts";
import { assertTransition, canTransition, statusStamps } from "./status-machine.ts";

function codeOf(from: TicketStatus, to: TicketStatus): string | null {
  try {
    assertTransition(from, to);
    return null;
  } catch (err) {
    return err instanceof DomainError ? err.code : "not a DomainError";
  }
}

describe("ticket status machine", () => {
  it("allows exactly the lifecycle's moves", () => {
    const allowed = TICKET_STATUSES.flatMap((from) => TICKET_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}→${to}`));
    expect(allowed.sort()).toEqual(
      ["new→open", "new→pending", "new→resolved", "open→pending", "open→resolved", "pending→open", "pending→resolved", "resolved→open", "resolved→closed"].sort(),
    );
  });

  it("refuses other moves with INVALID_TRANSITION naming both statuses", () => {
    expect(codeOf("new", "closed")).toBe("INVALID_TRANSITION");
    expect(codeOf("open", "new")).toBe("INVALID_TRANSITION");
    expect(codeOf("open", "open")).toBe("INVALID_TRANSITION");
    expect(codeOf("pending", "closed")).toBe("INVALID_TRANSITION");
    expect(() => assertTransition("open", "closed")).toThrow(/from open to closed/);
  });

  it("treats closed as final with TICKET_CLOSED", () => {
    for (const to of TICKET_STATUSES) expect(codeOf("closed", to)).toBe("TICKET_CLOSED");
  });

  it("stamps resolved_at on resolve, closed_at on close, and clears resolved_at on reopen", () => {
    const now = new Date("2026-03-01T08:00:00Z");
    expect(statusStamps("open", "resolved", now)).toEqual({ resolved_at: now });
    expect(statusStamps("resolved", "closed", now)).toEqual({ closed_at: now });
    expect(statusStamps("resolved", "open", now)).toEqual({ resolved_at: null });
    expect(statusStamps("new", "open", now)).toEqual({});
    expect(statusStamps("open", "pending", now)).toEqual({});
  });
});
