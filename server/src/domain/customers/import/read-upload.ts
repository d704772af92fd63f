import type { IncomingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";
import busboy from "busboy";
import { DomainError } from "../../errors.ts";

export interface Upload {
  filename: string;
  contentType: string;
  data: Buffer;
}

/**
 * Reads one file from a multipart/form-data body. The whole body is consumed before answering,
 * even past the limit, so the client always gets the coded error instead of a broken pipe.
 */
export function readUpload(headers: IncomingHttpHeaders, body: Readable, options: { field: string; maxBytes: number }): Promise<Upload> {
  if (!/^multipart\/form-data/i.test(headers["content-type"] ?? "")) {
    return Promise.reject(new DomainError("UNSUPPORTED_MEDIA_TYPE", `send the file as multipart/form-data in the field "${options.field}"`));
  }
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers, limits: { fileSize: options.maxBytes, files: 1, fields: 20 } });
    } catch {
      reject(new DomainError("IMPORT_INVALID_FILE", "the multipart body has no boundary"));
      return;
    }
    let upload: Upload | null = null;
    let tooLarge = false;
    let failed: DomainError | null = null;
    parser.on("file", (name, stream, info) => {
      if (name !== options.field) {
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("limit", () => {
        tooLarge = true;
      });
      stream.on("end", () => {
        upload = { filename: info.filename ?? "", contentType: info.mimeType, data: Buffer.concat(chunks) };
      });
    });
    parser.on("error", () => {
      failed ??= new DomainError("IMPORT_INVALID_FILE", "the multipart body is malformed");
      body.unpipe(parser);
      if (body.readableEnded) {
        reject(failed);
        return;
      }
      body.once("end", () => reject(failed));
      body.resume();
    });
    parser.on("close", () => {
      if (failed) return;
      if (tooLarge) reject(new DomainError("PAYLOAD_TOO_LARGE", `the file is larger than ${options.maxBytes} bytes`));
      else if (!upload) reject(new DomainError("VALIDATION_FAILED", `no file in the field "${options.field}"`));
      else resolve(upload);
    });
    body.pipe(parser);
  });
}
