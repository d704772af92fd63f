import { describe, expect, it } from "vitest";
import { DomainError } from "../errors.ts";
import { decodeCursor, encodeCursor, toPage } from "./pagination.ts";

describe("keyset pagination", () => {
  it("round-trips a cursor and pages limit+1 rows", () => {
    const rows = [1, 2, 3].map((n) => ({ id: `id${n}`, at: `2026-11-2${n}` }));
    const page = toPage(rows, 2, (r) => [r.at, r.id], (r) => r.id);
    expect(page.items).toEqual(["id1", "id2"]);
    expect(decodeCursor(page.nextCursor!)).toEqual(["2026-11-22", "id2"]);
    expect(toPage(rows.slice(0, 2), 2, (r) => [r.id], (r) => r.id).nextCursor).toBeNull();
    expect(decodeCursor(encodeCursor([5, "x"]))).toEqual([5, "x"]);
  });

  it("refuses a cursor it did not issue with VALIDATION_FAILED", () => {
    expect(() => decodeCursor("not-a-cursor")).toThrow(DomainError);
    expect(() => decodeCursor(Buffer.from('{"a":1}').toString("base64url"))).toThrow(/cursor/);
  });
});
