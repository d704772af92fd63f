import type { AckFailure, ErrorBody, ErrorCode } from "@yixian/contracts";
import type { z } from "zod";
import { fromDatabaseError } from "../db/errors.ts";
import { DomainError } from "../domain/errors.ts";

/** A failure the caller may be told about, whatever threw it; null for an internal error. */
export function toDomainError(err: unknown): DomainError | null {
  if (err instanceof DomainError) return err;
  const failure = fromDatabaseError(err);
  return failure ? new DomainError(failure.code, failure.message) : null;
}

/** An HTTP answer's error body: `{ error: { code, message, details? } }`. */
export function errorBody(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** A socket request's failed ack: `{ ok: false, error: { code, message } }`. */
export function ackFailure(code: ErrorCode, message: string): AckFailure {
  return { ok: false, error: { code, message } };
}

/** Where an internal error is told (a pino logger). */
export interface ErrorLog {
  error(obj: { err: unknown }, msg: string): void;
}

/**
 * The ack of a socket request that threw: a coded failure as it is; anything else is logged
 * (with what was being done) and answers INTERNAL, never a stack.
 */
export function ackError(err: unknown, log: ErrorLog, doing: string): AckFailure {
  const known = toDomainError(err);
  if (known) return ackFailure(known.code, known.message);
  log.error({ err }, doing);
  return ackFailure("INTERNAL", "internal error");
}

/** A zod failure on one part of a request (params, query, body) as VALIDATION_FAILED, every issue in `details`. */
export function validationError(where: string, error: z.ZodError): DomainError {
  const issues = error.issues.map((i) => ({ path: [where, ...i.path.map(String)].join("."), message: i.message }));
  const first = issues[0];
  return new DomainError("VALIDATION_FAILED", first ? `${first.path}: ${first.message}` : `invalid ${where}`, issues);
}
