import { DomainError } from "../errors.ts";

/** A stored enum value as its union type; INTERNAL if the database holds something unknown. */
export function knownValue<T extends string>(values: readonly T[], value: string, what: string): T {
  const hit = values.find((v) => v === value);
  if (!hit) throw new DomainError("INTERNAL", `unknown ${what} ${value}`);
  return hit;
}
