import { sql, type RawBuilder } from "kysely";
import { DomainError } from "../errors.ts";
import { decodeCursor } from "../shared/pagination.ts";

/**
 * Keyset cursors over timestamptz columns carry whole microseconds since the epoch, so rows that
 * share a millisecond are neither skipped nor repeated (a JS Date would round them to ms).
 */
export function micros(column: string): RawBuilder<number> {
  return sql<number>`(extract(epoch from ${sql.ref(column)}) * 1000000)::bigint`;
}

export function fromMicros(us: number): RawBuilder<Date> {
  return sql<Date>`(timestamptz 'epoch' + ${us}::float8 * interval '1 microsecond')`;
}

/** A cursor of [microseconds, id], or null for the first page. */
export function decodeTimeCursor<I extends string | number>(cursor: string | undefined, idType: "string" | "number"): [number, I] | null {
  const values = decodeCursor(cursor);
  if (!values) return null;
  const [us, id] = values;
  if (values.length !== 2 || typeof us !== "number" || typeof id !== idType) {
    throw new DomainError("VALIDATION_FAILED", "cursor is not one this API issued");
  }
  return [us, id as I];
}
