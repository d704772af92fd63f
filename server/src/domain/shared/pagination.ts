import type { Page } from "@yixian/contracts";
import { DomainError } from "../errors.ts";

/** Keyset pagination: the cursor holds the sort key of the last row returned. */
export function encodeCursor(values: (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

export function decodeCursor(cursor: string | undefined): (string | number)[] | null {
  if (!cursor) return null;
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(values) && values.every((v) => typeof v === "string" || typeof v === "number")) {
      return values as (string | number)[];
    }
  } catch {
    // fall through to the coded error
  }
  throw new DomainError("VALIDATION_FAILED", "cursor is not one this API issued");
}

/** Given limit+1 rows, returns a page of `limit` and the cursor for the next one. */
export function toPage<R, T>(rows: R[], limit: number, keyOf: (row: R) => (string | number)[], present: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  const last = shown.at(-1);
  return { items: shown.map(present), nextCursor: more && last ? encodeCursor(keyOf(last)) : null };
}

export function iso(value: Date | string | null): string | null {
  if (value === null) return null;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

export function isoRequired(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}
