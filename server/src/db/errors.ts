import type { ErrorCode } from "@yixian/contracts";

/** What a caller is told about a database error they caused. */
export interface DatabaseFailure {
  code: ErrorCode;
  message: string;
}

const WRONG_FORM: DatabaseFailure = { code: "VALIDATION_FAILED", message: "a value has the wrong form" };

/** By SQLSTATE (PostgreSQL and PGlite report the same codes). */
const BY_SQLSTATE = new Map<string, DatabaseFailure>([
  ["23505", { code: "CONFLICT", message: "a record with these values already exists" }], // unique_violation
  ["23503", { code: "NOT_FOUND", message: "a referenced record does not exist" }], // foreign_key_violation
  ["22P02", WRONG_FORM], // invalid_text_representation (a malformed uuid, number, enum)
  ["22007", WRONG_FORM], // invalid_datetime_format
  ["22008", WRONG_FORM], // datetime_field_overflow
]);

/**
 * A constraint violation or malformed value that escaped a use-case, as a coded failure (a 409,
 * 404 or 400 instead of a 500); null for any other error, which stays an internal one.
 */
export function fromDatabaseError(err: unknown): DatabaseFailure | null {
  if (!err || typeof err !== "object") return null;
  const code = (err as { code?: unknown }).code;
  return typeof code === "string" ? (BY_SQLSTATE.get(code) ?? null) : null;
}
