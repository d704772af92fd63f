import { describe, expect, it } from "vitest";
import { afterFailure, isDue, isTemporary, nextRetryAt, retryDelayMs, secondsUntil, type Delivery } from "./retry.ts";

describe("retrying a message the server did not take", () => {
  it("waits 2 s, 4 s, 8 s, 16 s, then 30 s between attempts", () => {
    expect([1, 2, 3, 4, 5, 6, 50].map(retryDelayMs)).toEqual([2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
    expect(retryDelayMs(0)).toBe(2000);
  });
  it("retries temporary refusals and gives up on permanent ones, with the reason", () => {
    for (const code of ["RATE_LIMITED", "INTERNAL", "SERVICE_UNAVAILABLE", "TIMEOUT", "DISCONNECTED"]) expect(isTemporary(code)).toBe(true);
    for (const code of ["VALIDATION_FAILED", "CONVERSATION_ENDED", "NOT_FOUND", "UNAUTHENTICATED"]) expect(isTemporary(code)).toBe(false);
    expect(afterFailure(0, { code: "CONVERSATION_ENDED", message: "conversation has ended" }, 1000)).toEqual({ state: "failed", code: "CONVERSATION_ENDED", message: "conversation has ended" });
  });
  it("counts the attempts, so the wait grows; no connection waits for the reconnect and is no attempt", () => {
    const first = afterFailure(0, { code: "RATE_LIMITED", message: "slow down" }, 10_000);
    expect(first).toEqual({ state: "retrying", attempt: 1, retryAt: 12_000, code: "RATE_LIMITED" });
    const third = afterFailure(2, { code: "TIMEOUT", message: "no answer" }, 10_000);
    expect(third).toMatchObject({ attempt: 3, retryAt: 18_000 });
    expect(afterFailure(2, { code: "DISCONNECTED", message: "offline" }, 10_000)).toEqual({ state: "retrying", attempt: 2, retryAt: null, code: "DISCONNECTED" });
  });
  it("sends a message when its wait is over (never a failed one), and sets the timer for the earliest", () => {
    const waiting: Delivery = { state: "retrying", attempt: 1, retryAt: 5000, code: "INTERNAL" };
    const failed: Delivery = { state: "failed", code: "VALIDATION_FAILED", message: "x" };
    expect(isDue(undefined, 0)).toBe(true);
    expect(isDue(waiting, 4999)).toBe(false);
    expect(isDue(waiting, 5000)).toBe(true);
    expect(isDue(failed, 10_000)).toBe(false);
    expect(isDue({ state: "retrying", attempt: 0, retryAt: null, code: "DISCONNECTED" }, 0)).toBe(true);
    expect(nextRetryAt({ a: waiting, b: { ...waiting, retryAt: 3000 }, c: failed, d: { ...waiting, retryAt: null } })).toBe(3000);
    expect(nextRetryAt({ c: failed })).toBeNull();
  });
  it("counts down in whole seconds for \"retrying in N s\"", () => {
    expect(secondsUntil(12_000, 10_000)).toBe(2);
    expect(secondsUntil(12_000, 10_001)).toBe(2);
    expect(secondsUntil(12_000, 11_500)).toBe(1);
    expect(secondsUntil(12_000, 13_000)).toBe(1);
  });
});
