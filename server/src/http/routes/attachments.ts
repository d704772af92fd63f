import type { Attachment } from "@yixian/contracts";
import { ZAttachment, ZAttachmentParams } from "@yixian/contracts";
import type { Request } from "express";
import { openAttachment } from "../../domain/attachments/open-attachment.ts";
import { uploadAttachment } from "../../domain/attachments/upload-attachment.ts";
import type { Ctx } from "../../domain/context.ts";
import { receiveFile } from "../multipart.ts";
import { sendDownload } from "../send-download.ts";
import { defineRoute } from "../route.ts";

/** Receives the `file` part of a multipart/form-data request into uploadAttachment. */
export function receiveUpload(ctx: Ctx, req: Request): Promise<Attachment> {
  return receiveFile(req, {
    field: "file",
    maxBytes: ctx.deps.config.maxUploadBytes,
    store: (file) => uploadAttachment(ctx, { filename: file.filename || "file", contentType: file.contentType, body: file.body }),
  });
}

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
    summary: "Download a file; one byte range (Range: bytes=…) answers 206, so a call recording can be played and sought",
    auth: "ticket:read",
    params: ZAttachmentParams,
    responseContentType: "application/octet-stream",
    handler: async ({ ctx, params, req, res }) => sendDownload(req, res, await openAttachment(ctx, params.attachmentId), 3600),
  }),
];
