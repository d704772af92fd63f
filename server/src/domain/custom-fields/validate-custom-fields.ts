import type { CustomFieldType } from "@yixian/contracts";
import { DomainError } from "../errors.ts";

export interface FieldDefinition {
  key: string;
  type: CustomFieldType;
  options: string[];
  required: boolean;
}

function invalid(key: string, why: string): DomainError {
  return new DomainError("INVALID_CUSTOM_FIELD", `custom field ${key}: ${why}`, { key });
}

function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

function checkValue(def: FieldDefinition, value: unknown): unknown {
  switch (def.type) {
    case "text":
      if (typeof value !== "string") throw invalid(def.key, "expected text");
      return value;
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) throw invalid(def.key, "expected a number");
      return value;
    case "boolean":
      if (typeof value !== "boolean") throw invalid(def.key, "expected true or false");
      return value;
    case "date":
      if (typeof value !== "string" || !isCalendarDate(value)) throw invalid(def.key, "expected a date as YYYY-MM-DD");
      return value;
    case "select":
      if (typeof value !== "string" || !def.options.includes(value)) throw invalid(def.key, `expected one of ${def.options.join(", ")}`);
      return value;
  }
}

/**
 * Applies `changes` to `current` after checking each against its definition: unknown keys and
 * values of the wrong type are INVALID_CUSTOM_FIELD (with the key); null removes a value. The
 * result must hold every required field. Values whose definition was since deleted are kept
 * (they can still be removed with null).
 */
export function applyCustomFields(
  definitions: FieldDefinition[],
  current: Record<string, unknown>,
  changes: Record<string, unknown>,
): Record<string, unknown> {
  const byKey = new Map(definitions.map((d) => [d.key, d]));
  const result: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(changes)) {
    const def = byKey.get(key);
    if (value === null && (def || key in current)) delete result[key];
    else if (!def) throw invalid(key, "no such field is defined");
    else result[key] = checkValue(def, value);
  }
  for (const def of definitions) {
    const value = result[def.key];
    if (def.required && (value === undefined || value === null || value === "")) throw invalid(def.key, "a value is required");
  }
  return result;
}
