import type { IncomingMessage } from "node:http";
import type { Readable } from "node:stream";
import busboy from "busboy";
import { DomainError } from "../domain/errors.ts";

export interface FilePart {
  filename: string;
  /** The Content-Type the sender gave the part. */
  contentType: string;
  body: Readable;
}

export interface ReceiveOptions<T> {
  field: string;
  maxBytes: number;
  /** Consumes the part's stream; must leave nothing behind when the stream fails. */
  store: (file: FilePart) => Promise<T>;
}

const truncated = (): DomainError => new DomainError("UPLOAD_TRUNCATED", "the upload was cut off before the end of the form");

/**
 * The one multipart/form-data receiver: hands the first part named `field` to `store` and
 * answers only once the whole request has been read, so the client hears the coded error
 * instead of a reset connection. A body cut off mid-part is UPLOAD_TRUNCATED; a file larger
 * than `maxBytes` is PAYLOAD_TOO_LARGE; either way what `store` began is rejected, not kept.
 */
export function receiveFile<T>(req: IncomingMessage, options: ReceiveOptions<T>): Promise<T> {
  if (!/^multipart\/form-data/i.test(req.headers["content-type"] ?? "")) {
    return Promise.reject(new DomainError("UNSUPPORTED_MEDIA_TYPE", `send the file as multipart/form-data in the field "${options.field}"`));
  }
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: "utf8",
        // One byte over the limit tells "too large" apart from "exactly the limit".
        limits: { files: 1, fileSize: options.maxBytes + 1, fields: 20, parts: 21 },
      });
    } catch {
      reject(new DomainError("VALIDATION_FAILED", "the multipart body has no boundary"));
      return;
    }
    let stored: Promise<T> | null = null;
    let failure: DomainError | null = null;
    let tooLarge = false;
    parser.on("file", (field, file, info) => {
      // busboy fails an unfinished part's stream with "Unexpected end of form": without a
      // listener that error would crash the process.
      file.on("error", () => undefined);
      if (field !== options.field || stored) {
        file.resume();
        return;
      }
      file.on("limit", () => (tooLarge = true));
      stored = options.store({ filename: info.filename ?? "", contentType: info.mimeType, body: file });
      // Settled below, once the request has been read to the end.
      stored.catch(() => undefined);
    });
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      const settle = (outcome: { ok: true; value: T } | { ok: false; err: unknown }): void => {
        if (tooLarge) reject(new DomainError("PAYLOAD_TOO_LARGE", `the file is larger than ${options.maxBytes} bytes`));
        else if (outcome.ok) resolve(outcome.value);
        else reject(failure ?? outcome.err);
      };
      // A file that was stored whole stands even if the form's trailer was broken.
      if (stored) stored.then((value) => settle({ ok: true, value }), (err: unknown) => settle({ ok: false, err }));
      else settle({ ok: false, err: failure ?? new DomainError("VALIDATION_FAILED", `no file: send it in a multipart field named "${options.field}"`) });
    };
    parser.on("error", (err: Error) => {
      failure ??= /unexpected end|aborted/i.test(err.message) ? truncated() : new DomainError("VALIDATION_FAILED", `the multipart body is malformed: ${err.message}`);
      req.unpipe(parser);
      req.resume();
      // busboy does not close after every error (a malformed part header, e.g. a NUL in the
      // file name): the answer goes out once the rest of the request has been read
      if (req.readableEnded) finish();
      else req.once("end", finish);
    });
    parser.on("close", finish);
    req.once("close", () => {
      if (!req.complete) parser.destroy(new Error("request aborted"));
    });
    req.pipe(parser);
  });
}

/** A part's bytes in memory, for files parsed whole (imports); the receiver caps the size. */
export async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
