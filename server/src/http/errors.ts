import type { ErrorBody, ErrorCode } from "@yixian/contracts";
import type { NextFunction, Request, Response } from "express";
import { type z } from "zod";
import { DomainError } from "../domain/errors.ts";
import type { Logger } from "../platform/logger.ts";

/** The one place a code becomes a status. Exhaustive: a new code will not compile without one. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UPLOAD_TRUNCATED: 400,
  RATE_LIMITED: 429,
  CSRF_REJECTED: 403,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
  INVALID_PHONE: 400,
  IDENTITY_TAKEN: 409,
  VERIFICATION_CODE_TAKEN: 409,
  INVALID_VERIFICATION_CODE: 400,
  CONTACT_MERGED: 409,
  MERGE_SAME_CONTACT: 400,
  IMPORT_INVALID_FILE: 400,
  CONTACT_ALREADY_IDENTIFIED: 409,
  INVALID_TRANSITION: 409,
  TICKET_CLOSED: 409,
  TICKET_MERGED: 409,
  MERGE_SAME_TICKET: 400,
  INVALID_CUSTOM_FIELD: 400,
  RATING_EXISTS: 409,
  CONVERSATION_ENDED: 409,
  CONVERSATION_NOT_ACCEPTED: 409,
  CONVERSATION_HAS_NO_TICKET: 409,
  EMAIL_TAKEN: 409,
  NAME_TAKEN: 409,
  OFFER_EXPIRED: 409,
  OFFER_CLOSED: 409,
  AGENT_UNAVAILABLE: 409,
  AGENT_AT_CAPACITY: 409,
  NOT_QUEUE_MEMBER: 403,
  OFFERED_TO_ANOTHER_AGENT: 409,
  DID_TAKEN: 409,
};

export function errorBody(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

export function validationError(where: string, error: z.ZodError): DomainError {
  const issues = error.issues.map((i) => ({ path: [where, ...i.path.map(String)].join("."), message: i.message }));
  const first = issues[0];
  return new DomainError("VALIDATION_FAILED", first ? `${first.path}: ${first.message}` : `invalid ${where}`, issues);
}

interface HttpishError {
  type?: string;
  status?: number;
  code?: string;
  constraint?: string;
}

/** Unique-key violations that escape a use-case become 409 instead of 500. */
function fromDatabase(err: HttpishError): DomainError | null {
  if (err.code === "23505") return new DomainError("CONFLICT", "a record with these values already exists");
  if (err.code === "23503") return new DomainError("NOT_FOUND", "a referenced record does not exist");
  if (err.code === "22P02" || err.code === "22007" || err.code === "22008") return new DomainError("VALIDATION_FAILED", "a value has the wrong form");
  return null;
}

export function toDomainError(err: unknown): DomainError | null {
  if (err instanceof DomainError) return err;
  if (err && typeof err === "object") {
    const e = err as HttpishError;
    if (e.type === "entity.parse.failed") return new DomainError("VALIDATION_FAILED", "request body is not valid JSON");
    if (e.type === "entity.too.large") return new DomainError("PAYLOAD_TOO_LARGE", "request body is too large");
    if (e.type === "encoding.unsupported" || e.type === "charset.unsupported") return new DomainError("UNSUPPORTED_MEDIA_TYPE", "unsupported body encoding");
    return fromDatabase(e);
  }
  return null;
}

export function errorHandler(log: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const known = toDomainError(err);
    if (known) {
      const status = HTTP_STATUS[known.code];
      (status >= 500 ? log.error.bind(log) : log.info.bind(log))(
        { code: known.code, method: req.method, path: req.path },
        known.message,
      );
      if (!res.headersSent) res.status(status).json(errorBody(known.code, known.message, known.details));
      return;
    }
    log.error({ err, method: req.method, path: req.path }, "unhandled error");
    if (!res.headersSent) res.status(500).json(errorBody("INTERNAL", "internal error"));
  };
}
