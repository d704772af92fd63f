import { describe, expect, it } from "vitest";
import { z } from "zod";
import { DomainError } from "../domain/errors.ts";
import { ackError, ackFailure, errorBody, toDomainError, validationError } from "./error-shape.ts";

/** A logger that keeps what it was told. */
function recordingLog() {
  const lines: { obj: unknown; msg: string }[] = [];
  return { lines, log: { error: (obj: unknown, msg: string) => void lines.push({ obj, msg }) } };
}

describe("the error shape", () => {
  it("keeps a coded failure, maps a database one, and leaves anything else internal", () => {
    const coded = new DomainError("TICKET_CLOSED", "closed");
    expect(toDomainError(coded)).toBe(coded);
    expect(toDomainError(Object.assign(new Error("duplicate key"), { code: "23505" }))).toMatchObject({ code: "CONFLICT" });
    expect(toDomainError(new Error("boom"))).toBeNull();
    expect(toDomainError("boom")).toBeNull();
  });

  it("answers HTTP with { error: { code, message } }, details only when there are some", () => {
    expect(errorBody("NOT_FOUND", "no such ticket")).toEqual({ error: { code: "NOT_FOUND", message: "no such ticket" } });
    expect(errorBody("VALIDATION_FAILED", "bad", [{ path: "body.x" }])).toEqual({ error: { code: "VALIDATION_FAILED", message: "bad", details: [{ path: "body.x" }] } });
  });

  it("acks a socket request's failure with { ok: false, error: { code, message } }, never a stack", () => {
    const { lines, log } = recordingLog();
    expect(ackFailure("NOT_FOUND", "ticket not found")).toEqual({ ok: false, error: { code: "NOT_FOUND", message: "ticket not found" } });
    expect(ackError(new DomainError("OFFER_EXPIRED", "too late"), log, "answering")).toEqual({ ok: false, error: { code: "OFFER_EXPIRED", message: "too late" } });
    expect(lines).toEqual([]);
    const crash = new Error("socket hang up at db.ts:12");
    expect(ackError(crash, log, "answering an offer failed")).toEqual({ ok: false, error: { code: "INTERNAL", message: "internal error" } });
    expect(lines).toEqual([{ obj: { err: crash }, msg: "answering an offer failed" }]);
  });

  it("names every invalid field of a request part", () => {
    const parsed = z.object({ name: z.string(), age: z.number() }).safeParse({ name: 1 });
    if (parsed.success) throw new Error("expected a failure");
    const err = validationError("body", parsed.error);
    expect(err.code).toBe("VALIDATION_FAILED");
    expect(err.message).toMatch(/^body\.name: /);
    expect((err.details as { path: string }[]).map((d) => d.path)).toEqual(["body.name", "body.age"]);
  });
});
