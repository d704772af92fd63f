import {
  ZCreateVisitorSession,
  ZLeaveMessage,
  ZLeaveMessageResult,
  ZPreChatResult,
  ZPreChatSubmit,
  ZVisitorAttachment,
  ZVisitorAttachmentParams,
  ZVisitorAttachmentQuery,
  ZVisitorMessageList,
  ZVisitorMessageQuery,
  ZVisitorRating,
  ZVisitorRatingResult,
  ZVisitorSession,
  ZWidgetKeyParams,
  ZWidgetPublicConfig,
} from "@yixian/contracts";
import {
  leaveMessage,
  openAttachment,
  publicWidgetConfig,
  rateVisitorConversation,
  recordVisitorUpload,
  sessionLimiter,
  submitPreChat,
  systemCtx,
  createVisitorSession,
  visitorMessages,
  widgetAllowsOrigin,
  widgetByKey,
  DomainError,
  takeUploadToken,
  type Ctx,
  type Deps,
  type VisitorSession,
} from "@yixian/server/domain";
import { attachmentLinkCaller, bearerToken, checkWidgetOrigin, isOwnOrigin, visitorCaller } from "@yixian/server/edge";
import { defineRoute, receiveUpload, sendDownload, type AnyRoute } from "@yixian/server/http";
import type { Request, RequestHandler, Response } from "express";
import { webchat } from "./channel.ts";

/** Refuses pages the widget is not allowed on, and lets allowed ones read the answer (CORS). */
function allowOrigin(deps: Deps, req: Request, res: Response, widget: VisitorSession["widget"]): void {
  checkWidgetOrigin(widget, req.headers, deps.config.publicUrl);
  allowReading(req, res);
}

/** Lets the page's origin (already checked) read the answer. */
function allowReading(req: Request, res: Response): void {
  const origin = req.get("origin");
  if (origin) {
    res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader("Vary", "Origin");
  }
}

/** A public widget route called by someone signed in to another tenant answers as for an unknown key. */
function sameTenant(ctx: Ctx | null, tenantId: string): void {
  if (ctx && ctx.tenantId !== tenantId) throw new DomainError("NOT_FOUND", "widget not found");
}

/** The visitor of the bearer token, checked against the page's origin. */
async function visitor(deps: Deps, req: Request, res: Response): Promise<VisitorSession> {
  const session = await visitorCaller(deps, bearerToken(req.headers), req.headers);
  allowReading(req, res);
  return session;
}

/**
 * CORS for the widget's public endpoints; mount on /api/widget before the API router. An origin
 * some enabled widget allows (or the server's own) may call them with a bearer token and read the
 * answers, errors included; preflights are answered here. Each request is then checked against
 * its own widget's allowed origins (FORBIDDEN otherwise).
 */
export function widgetCors(deps: Deps): RequestHandler {
  return (req, res, next) => {
    const origin = req.get("origin");
    if (!origin) return next();
    res.setHeader("Vary", "Origin");
    widgetAllowsOrigin(deps, origin)
      .then((allowed) => {
        if (allowed || isOwnOrigin(origin, req.headers.host, deps.config.publicUrl)) {
          res.setHeader("Access-Control-Allow-Origin", origin);
          if (req.method === "OPTIONS") {
            res.setHeader("Access-Control-Allow-Methods", "GET, POST");
            res.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type");
            res.setHeader("Access-Control-Max-Age", "600");
          }
        }
        if (req.method === "OPTIONS") res.status(204).end();
        else next();
      })
      .catch(next);
  };
}

/** The widget's public routes (under /api/widget), added to the API by the composition root. */
export const webchatRoutes: AnyRoute[] = [
  defineRoute({
    method: "get",
    path: "/widget/{widgetKey}/config",
    tag: "widget",
    summary: "What the widget needs to render, and whether someone is available now (public)",
    auth: "public",
    params: ZWidgetKeyParams,
    response: ZWidgetPublicConfig,
    handler: async ({ ctx, deps, params, req, res }) => {
      const widget = await widgetByKey(deps.db, params.widgetKey);
      sameTenant(ctx, widget.tenant_id);
      allowOrigin(deps, req, res, widget);
      return publicWidgetConfig(deps, webchat.channel, params.widgetKey);
    },
  }),
  defineRoute({
    method: "post",
    path: "/widget/{widgetKey}/sessions",
    tag: "widget",
    summary: "Start or resume a visitor session: answers a signed visitor token (public; rate limited)",
    auth: "public",
    params: ZWidgetKeyParams,
    body: ZCreateVisitorSession,
    response: ZVisitorSession,
    status: 201,
    example: { locale: "zh-CN", pageUrl: "https://www.example.com/pricing" },
    handler: async ({ ctx, deps, params, body, req, res }) => {
      const widget = await widgetByKey(deps.db, params.widgetKey);
      sameTenant(ctx, widget.tenant_id);
      allowOrigin(deps, req, res, widget);
      sessionLimiter.take(`${req.ip ?? "?"}:${widget.id}`, deps.clock.now().getTime());
      return createVisitorSession(deps, params.widgetKey, body);
    },
  }),
  defineRoute({
    method: "post",
    path: "/widget/sessions/prechat",
    tag: "widget",
    summary: "Submit the pre-chat form: identifies the visitor by phone or verification code; a first message starts the chat (visitor token)",
    auth: "public",
    body: ZPreChatSubmit,
    response: ZPreChatResult,
    example: { name: "王小明", phone: "138 0013 8000", verificationCode: "204981", message: "你好，发票开错了" },
    handler: async ({ deps, body, req, res }) => submitPreChat(await visitor(deps, req, res), webchat, body),
  }),
  defineRoute({
    method: "get",
    path: "/widget/sessions/messages",
    tag: "widget",
    summary: "The visitor's messages after a seq: resync after a reconnect (visitor token)",
    auth: "public",
    query: ZVisitorMessageQuery,
    response: ZVisitorMessageList,
    handler: async ({ deps, query, req, res }) => visitorMessages(await visitor(deps, req, res), query.afterSeq, query.limit),
  }),
  defineRoute({
    method: "post",
    path: "/widget/sessions/attachments",
    tag: "widget",
    summary: "Upload an image or file (multipart field `file`; same limits as /attachments), then send its id with a message (visitor token)",
    auth: "public",
    requestContentType: "multipart/form-data",
    response: ZVisitorAttachment,
    status: 201,
    example: { file: "(binary) 截图.png" },
    handler: async ({ deps, req, res }) => {
      const session = await visitor(deps, req, res);
      takeUploadToken(session);
      return recordVisitorUpload(session, await receiveUpload(session.ctx, req));
    },
  }),
  defineRoute({
    method: "get",
    path: "/widget/attachments/{attachmentId}",
    tag: "widget",
    summary: "Download a file of a web chat through the signed, expiring link the chat gave out (no token: the link grants this one file)",
    auth: "public",
    params: ZVisitorAttachmentParams,
    query: ZVisitorAttachmentQuery,
    responseContentType: "application/octet-stream",
    handler: async ({ deps, params, query, req, res }) => {
      const link = { tenantId: query.tenant, attachmentId: params.attachmentId, expires: query.expires, signature: query.signature };
      const secondsLeft = attachmentLinkCaller(deps, link);
      await sendDownload(req, res, await openAttachment(systemCtx(deps, link.tenantId), params.attachmentId), secondsLeft);
    },
  }),
  defineRoute({
    method: "post",
    path: "/widget/sessions/leave-message",
    tag: "widget",
    summary: "Leave a message when nobody is available: becomes a ticket; answers how the customer will be answered (visitor token)",
    auth: "public",
    body: ZLeaveMessage,
    response: ZLeaveMessageResult,
    status: 201,
    example: { name: "王小明", phone: "13800138000", text: "打印机无法联网，请回电" },
    handler: async ({ deps, body, req, res }) => leaveMessage(await visitor(deps, req, res), webchat, body),
  }),
  defineRoute({
    method: "post",
    path: "/widget/sessions/rating",
    tag: "widget",
    summary: "Rate the visitor's current or just-ended chat, once (visitor token)",
    auth: "public",
    body: ZVisitorRating,
    response: ZVisitorRatingResult,
    status: 201,
    example: { score: 5, comment: "很快解决了，谢谢" },
    handler: async ({ deps, body, req, res }) => rateVisitorConversation(await visitor(deps, req, res), body),
  }),
];
