import type { NextFunction, Request, Response } from "express";
import { DomainError } from "../domain/errors.ts";
import { HTTP_STATUS, errorBody, toDomainError } from "../edge/index.ts";
import type { Logger } from "../platform/logger.ts";

/** express's body parsers' own failures, as coded ones. */
function fromBodyParser(err: unknown): DomainError | null {
  const type = err && typeof err === "object" ? (err as { type?: unknown }).type : undefined;
  if (type === "entity.parse.failed") return new DomainError("VALIDATION_FAILED", "request body is not valid JSON");
  if (type === "entity.too.large") return new DomainError("PAYLOAD_TOO_LARGE", "request body is too large");
  if (type === "encoding.unsupported" || type === "charset.unsupported") return new DomainError("UNSUPPORTED_MEDIA_TYPE", "unsupported body encoding");
  return null;
}

/** The API's last handler: a coded failure answers its status and `{ error }`; anything else a logged 500. */
export function errorHandler(log: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const known = toDomainError(err) ?? fromBodyParser(err);
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
