import { describe, expect, it } from "vitest";
import { newId } from "./ids.ts";

describe("UUIDv7 ids", () => {
  it("are valid version-7 UUIDs carrying the time", () => {
    const id = newId(Date.UTC(2026, 10, 22));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, "").slice(0, 12), 16)).toBe(Date.UTC(2026, 10, 22));
  });

  it("sort in the order they were made, also within one millisecond", () => {
    const ms = Date.now();
    const ids = Array.from({ length: 500 }, () => newId(ms));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(500);
  });
});
