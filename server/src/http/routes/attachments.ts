import { pipeline } from "node:stream/promises";
import type { Attachment } from "@yixian/contracts";
import { withoutBidiControls, ZAttachment, ZAttachmentParams } from "@yixian/contracts";
import type { Request } from "express";
import { openAttachment } from "../../domain/attachments/open-attachment.ts";
import { uploadAttachment } from "../../domain/attachments/upload-attachment.ts";
import type { Ctx } from "../../domain/context.ts";
import { receiveFile } from "../multipart.ts";
import { defineRoute } from "../route.ts";

/** Receives the `file` part of a multipart/form-data request into uploadAttachment. */
export function receiveUpload(ctx: Ctx, req: Request): Promise<Attachment> {
  return receiveFile(req, {
    field: "file",
    maxBytes: ctx.deps.config.maxUploadBytes,
    store: (file) => uploadAttachment(ctx, { filename: file.filename || "file", contentType: file.contentType, body: file.body }),
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
