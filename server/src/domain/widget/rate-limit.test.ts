import { describe, expect, it } from "vitest";
import { DomainError } from "../errors.ts";
import { RateLimiter } from "./rate-limit.ts";

describe("RateLimiter", () => {
  it("allows a burst, refuses the next, and refills over time", () => {
    const limiter = new RateLimiter(3, 1);
    const t0 = Date.UTC(2026, 0, 5, 9, 0, 0);
    for (let i = 0; i < 3; i++) limiter.take("a", t0);
    expect(() => limiter.take("a", t0)).toThrow(DomainError);
    limiter.take("b", t0);
    limiter.take("a", t0 + 1000);
    expect(() => limiter.take("a", t0 + 1000)).toThrow(/too many/);
  });
});
