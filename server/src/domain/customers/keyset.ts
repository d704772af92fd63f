import { DomainError } from "../errors.ts";
import { decodeCursor } from "../shared/pagination.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Lists here are sorted by (lower(name), id); the cursor holds both of the last row shown. */
export function nameCursor(cursor: string | undefined): { name: string; id: string } | null {
  const values = decodeCursor(cursor);
  if (!values) return null;
  const [name, id] = values;
  if (values.length !== 2 || typeof name !== "string" || typeof id !== "string" || !UUID.test(id)) {
    throw new DomainError("VALIDATION_FAILED", "cursor is not one this API issued");
  }
  return { name, id };
}

export const nameKey = (row: { name: string; id: string }): string[] => [row.name.toLowerCase(), row.id];
