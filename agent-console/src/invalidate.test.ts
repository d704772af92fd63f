import type { QueryKey } from "@tanstack/react-query";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { throttledInvalidation } from "./invalidate.ts";

describe("throttled invalidation", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup() {
    const calls: string[] = [];
    const invalidate = throttledInvalidation({ invalidateQueries: (f?: { queryKey?: QueryKey }) => (calls.push(JSON.stringify(f?.queryKey)), Promise.resolve()) } as never, 500, () => Date.now());
    return { calls, invalidate };
  }

  it("refetches at once on a quiet desk", () => {
    const { calls, invalidate } = setup();
    invalidate(["conversations", "list"]);
    expect(calls).toEqual(['["conversations","list"]']);
  });

  it("turns a burst into one refetch now and one after the burst, per key", () => {
    const { calls, invalidate } = setup();
    for (let i = 0; i < 50; i++) {
      invalidate(["tickets"]);
      invalidate(["messages", "c1"]);
      vi.advanceTimersByTime(5);
    }
    expect(calls).toEqual(['["tickets"]', '["messages","c1"]']);
    vi.advanceTimersByTime(500);
    expect(calls).toEqual(['["tickets"]', '["messages","c1"]', '["tickets"]', '["messages","c1"]']);
    vi.advanceTimersByTime(5000);
    expect(calls).toHaveLength(4);
  });

  it("never drops the last event of a burst", () => {
    const { calls, invalidate } = setup();
    invalidate(["inbox"]);
    vi.advanceTimersByTime(100);
    invalidate(["inbox"]);
    expect(calls).toHaveLength(1);
    vi.advanceTimersByTime(400);
    expect(calls).toHaveLength(2);
  });
});
