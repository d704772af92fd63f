import { pipeline } from "node:stream/promises";
import type { Request, Response } from "express";
import type { ByteRange, Downloadable } from "../domain/attachments/storage-port.ts";
import { downloadHeaders, errorBody } from "../edge/index.ts";
import { parseByteRange } from "./byte-range.ts";

/** The request's Range, unless an If-Range names another version of the file (then: the whole file). */
function requestedRange(req: Request, size: number, etag: string): ByteRange | "whole" | "unsatisfiable" {
  const header = req.headers.range;
  if (!header) return "whole";
  const ifRange = req.headers["if-range"];
  if (ifRange !== undefined && ifRange !== etag) return "whole";
  return parseByteRange(header, size);
}

/**
 * Sends an attachment the caller may read, whole (200) or the one byte range asked for (206 with
 * Content-Range), so a browser's <audio> can seek in a call recording; a range past the end is
 * 416 with `Content-Range: bytes *\/size`. The content hash is the ETag (If-Range compares it).
 */
export async function sendDownload(req: Request, res: Response, file: Downloadable, maxAgeSeconds: number): Promise<void> {
  const { attachment } = file;
  const size = Number(attachment.size_bytes);
  const etag = `"${attachment.sha256}"`;
  const range = requestedRange(req, size, etag);
  if (range === "unsatisfiable") {
    res.status(416).setHeader("Content-Range", `bytes */${size}`);
    res.json(errorBody("RANGE_NOT_SATISFIABLE", `the file has ${size} bytes; the range asked for is outside them`));
    return;
  }
  const body = await file.read(range === "whole" ? undefined : range);
  const headers = downloadHeaders({ filename: attachment.filename, contentType: attachment.content_type, size: range === "whole" ? size : range.end - range.start + 1 }, maxAgeSeconds);
  headers.set("Accept-Ranges", "bytes");
  headers.set("ETag", etag);
  if (range !== "whole") headers.set("Content-Range", `bytes ${range.start}-${range.end}/${size}`);
  res.status(range === "whole" ? 200 : 206);
  res.setHeaders(headers);
  try {
    await pipeline(body, res);
  } catch (err) {
    // The client went away mid-download (a player seeking elsewhere does): nothing to answer.
    if (res.destroyed) return;
    throw err;
  }
}
