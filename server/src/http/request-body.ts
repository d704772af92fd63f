import { nulPath } from "@yixian/contracts";
import express, { type Request, type RequestHandler } from "express";
import { DomainError } from "../domain/errors.ts";
import type { AnyRoute } from "./route.ts";

/** The media types read as JSON: application/json and its +json relatives. */
const JSON_TYPES = ["application/json", "application/*+json"];
const ENCODINGS = "identity, gzip, deflate or br";

interface BodyParserError {
  type?: string;
  status?: number;
  encoding?: string;
}

const BY_TYPE: Record<string, (e: BodyParserError) => DomainError> = {
  "entity.parse.failed": () => new DomainError("VALIDATION_FAILED", "request body is not valid JSON"),
  "entity.too.large": () => new DomainError("PAYLOAD_TOO_LARGE", "request body is too large"),
  "encoding.unsupported": (e) => new DomainError("UNSUPPORTED_MEDIA_TYPE", `Content-Encoding ${e.encoding ?? ""} is not supported: send ${ENCODINGS}`),
  "charset.unsupported": () => new DomainError("UNSUPPORTED_MEDIA_TYPE", "send JSON in UTF-8"),
};

/** body-parser's failures as coded errors: a client's mistake is a 4xx, never a 500. */
function unreadable(err: unknown): unknown {
  const e = (err ?? {}) as BodyParserError;
  const known = e.type ? BY_TYPE[e.type] : undefined;
  if (known) return known(e);
  // e.g. "Content-Encoding: gzip" on a body that is not gzip, or a truncated stream
  if (e.status !== undefined && e.status >= 400 && e.status < 500) {
    return new DomainError("VALIDATION_FAILED", `the request body could not be read as its Content-Encoding says (${ENCODINGS})`);
  }
  return err;
}

const notJson = () => new DomainError("VALIDATION_FAILED", "request body is not valid JSON");

/** As body-parser's strict JSON: an object or array (after a byte-order mark and white space), else not JSON. */
function parseJson(text: string): unknown {
  const trimmed = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (!/^[ \t\n\r]*[[{]/.test(trimmed)) throw notJson();
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    throw notJson();
  }
}

/** "application/json" as clients send it, with UTF-8 or no charset. */
const PLAIN_JSON = /^application\/json\s*(;\s*charset="?utf-8"?\s*)?$/i;

/**
 * The length of a body sent as it is (no Content-Encoding, no chunks) as plain JSON within the
 * limit, or null for any other (left to body-parser).
 */
function plainJsonLength(req: Request, limit: number): number | null {
  const { headers } = req;
  if (headers["content-encoding"] !== undefined || headers["transfer-encoding"] !== undefined) return null;
  const type = headers["content-type"];
  const length = headers["content-length"];
  if (type === undefined || length === undefined || !PLAIN_JSON.test(type) || !/^\d+$/.test(length)) return null;
  const n = Number(length);
  return n > 0 && n <= limit ? n : null;
}

/**
 * Reads a plain JSON body of `length` bytes: what almost every request carries, without
 * body-parser's decoder and stream set-up (an integration creating tickets pays it per ticket).
 * A body cut short of its Content-Length is refused as body-parser does.
 */
function readPlainJson(req: Request, length: number, next: (err?: unknown) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  const finish = (err?: unknown) => {
    if (done) return;
    done = true;
    req.off("data", onData);
    req.off("end", onEnd);
    req.off("error", onError);
    req.off("close", onClose);
    next(err);
  };
  // node's parser hands over exactly Content-Length bytes, or fewer when the client gave up
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    chunks.push(chunk);
  };
  const onEnd = () => {
    if (size !== length) return finish(new DomainError("VALIDATION_FAILED", "the request body did not match its Content-Length"));
    try {
      req.body = parseJson(Buffer.concat(chunks, size).toString("utf8"));
    } catch (err) {
      return finish(err);
    }
    finish();
  };
  const onError = (err: unknown) => finish(unreadable(err));
  const onClose = () => finish(new DomainError("VALIDATION_FAILED", "the request was aborted before its body was read"));
  req.on("data", onData);
  req.on("end", onEnd);
  req.on("error", onError);
  req.on("close", onClose);
}

/**
 * Reads JSON bodies, plain or compressed with gzip, deflate or br (as browsers' and SDKs'
 * compression middlewares send them), at most `limitBytes` once inflated, so a small compressed body
 * cannot expand without bound. Unreadable bodies are coded 4xx.
 */
export function jsonBody(limitBytes: number): RequestHandler {
  const parse = express.json({ limit: limitBytes, type: JSON_TYPES });
  return (req, res, next) => {
    const length = plainJsonLength(req, limitBytes);
    if (length !== null && !req.readableEnded) return readPlainJson(req, length, next);
    parse(req, res, (err?: unknown) => next(err === undefined ? undefined : unreadable(err)));
  };
}

function carriesBody(req: Request): boolean {
  return req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
}

/**
 * A body of another type than the route reads would be ignored (a PATCH answered 200 that
 * changed nothing): refused with 415 UNSUPPORTED_MEDIA_TYPE instead. Requests without a body
 * pass, whatever they declare.
 */
export function bodyTypeGuard(route: AnyRoute): RequestHandler {
  const accepted = route.requestContentType ? [route.requestContentType] : JSON_TYPES;
  return (req, _res, next) => {
    if (!carriesBody(req) || req.is(accepted)) return next();
    const sent = req.headers["content-type"] ?? "no Content-Type";
    next(new DomainError("UNSUPPORTED_MEDIA_TYPE", `send this request's body as ${accepted[0]!}, not ${sent}`));
  };
}

function nulError(path: string): DomainError {
  const message = "must not contain the NUL character (U+0000)";
  return new DomainError("VALIDATION_FAILED", `${path}: ${message}`, [{ path, message }]);
}

/** Refuses U+0000 in the path, the query or the JSON body with 400 VALIDATION_FAILED naming the field. */
export const refuseNul: RequestHandler = (req, _res, next) => {
  if (/%00/i.test(req.path)) return next(nulError("params"));
  const found = nulPath(req.query, "query") ?? nulPath(req.body, "body");
  next(found ? nulError(found) : undefined);
};
