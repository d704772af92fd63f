import { pipeline } from "node:stream/promises";
import type { Attachment } from "@yixian/contracts";
import { withoutBidiControls, ZAttachment, ZAttachmentParams } from "@yixian/contracts";
import busboy from "busboy";
import type { Request } from "express";
import { openAttachment } from "../../domain/attachments/open-attachment.ts";
import { uploadAttachment } from "../../domain/attachments/upload-attachment.ts";
import type { Ctx } from "../../domain/context.ts";
import { DomainError } from "../../domain/errors.ts";
import { defineRoute } from "../route.ts";

/**
 * Reads the `file` part of a multipart/form-data request into uploadAttachment. Answers only
 * after the whole request has been read, so that the client always hears the answer (a 413
 * arrives after the rest of an oversized upload was discarded, not as a reset connection).
 */
export function receiveUpload(ctx: Ctx, req: Request): Promise<Attachment> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: "utf8",
        limits: { files: 1, fileSize: ctx.deps.config.maxUploadBytes + 1, fields: 20, parts: 21 },
      });
    } catch {
      reject(new DomainError("VALIDATION_FAILED", "send the file as multipart/form-data in a field named file"));
      return;
    }
    let upload: Promise<Attachment> | null = null;
    let failure: DomainError | null = null;
    parser.on("file", (field, file, info) => {
      if (field !== "file" || upload) {
        file.resume();
        return;
      }
      upload = uploadAttachment(ctx, { filename: info.filename ?? "file", contentType: info.mimeType, body: file });
      // Settled below, once the request has been read to the end.
      upload.catch(() => undefined);
    });
    parser.on("error", () => {
      failure = new DomainError("VALIDATION_FAILED", "the multipart body is malformed or incomplete");
      req.unpipe(parser);
      req.resume();
    });
    parser.on("close", () => {
      // A file that was stored whole stands even if the form's trailer was broken.
      if (upload) upload.then(resolve, reject);
      else reject(failure ?? new DomainError("VALIDATION_FAILED", "no file: send it in a multipart field named file"));
    });
    req.once("close", () => {
      if (!req.complete) parser.destroy(new Error("request aborted"));
    });
    req.pipe(parser);
  });
}

/**
 * RFC 6266 / RFC 5987: an ASCII fallback plus the exact UTF-8 name (Chinese names survive),
 * without bidi controls (a name stored before uploads dropped them must not spoof its extension).
 */
export function contentDisposition(stored: string, disposition: "inline" | "attachment"): string {
  const filename = withoutBidiControls(stored);
  const fallback = filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

const INLINE_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

export const attachmentRoutes = [
  defineRoute({
    method: "post",
    path: "/attachments",
    tag: "attachments",
    summary: "Upload a file (multipart field `file`); send its id with a message to attach it",
    auth: "attachment:write",
    requestContentType: "multipart/form-data",
    response: ZAttachment,
    status: 201,
    example: { file: "(binary) 发票截图.png" },
    handler: ({ ctx, req }) => receiveUpload(ctx, req),
  }),
  defineRoute({
    method: "get",
    path: "/attachments/{attachmentId}",
    tag: "attachments",
    summary: "Download a file",
    auth: "ticket:read",
    params: ZAttachmentParams,
    responseContentType: "application/octet-stream",
    handler: async ({ ctx, params, res }) => {
      const { attachment, body } = await openAttachment(ctx, params.attachmentId);
      const type = attachment.content_type.startsWith("text/") ? `${attachment.content_type}; charset=utf-8` : attachment.content_type;
      res.status(200);
      res.setHeader("Content-Type", type);
      res.setHeader("Content-Length", String(attachment.size_bytes));
      res.setHeader("Content-Disposition", contentDisposition(attachment.filename, INLINE_TYPES.has(attachment.content_type) ? "inline" : "attachment"));
      res.setHeader("X-Content-Type-Options", "nosniff");
      res.setHeader("Content-Security-Policy", "default-src 'none'; sandbox");
      res.setHeader("Cache-Control", "private, max-age=3600");
      try {
        await pipeline(body, res);
      } catch (err) {
        // The client went away mid-download: nothing to answer.
        if (res.destroyed) return;
        throw err;
      }
    },
  }),
];
