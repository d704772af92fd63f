import { z } from "zod";
import { ZId, ZTimestamp } from "./common.ts";
import { ZVerificationCode } from "./customers.ts";
import type { AckFailure } from "./errors.ts";

/**
 * The web chat widget (网页聊天插件): what a customer's browser talks to.
 *
 * Flow: `GET /widget/{widgetKey}/config` → `POST /widget/{widgetKey}/sessions` (keeps the returned
 * visitor token in localStorage and sends it back next time) → optional pre-chat form
 * `POST /widget/sessions/prechat` → socket.io namespace `/visitor` with `auth: { token }` for the
 * chat itself. REST calls under `/widget/sessions/...` carry the visitor token as
 * `Authorization: Bearer <visitorToken>`.
 */

// ---------------------------------------------------------------- configuration (admin)

export const FORM_FIELD_MODES = ["off", "optional", "required"] as const;
export const ZFormFieldMode = z.enum(FORM_FIELD_MODES);
export type FormFieldMode = (typeof FORM_FIELD_MODES)[number];

export const WIDGET_LOCALES = ["zh-CN", "en"] as const;
export const ZWidgetLocale = z.enum(WIDGET_LOCALES);
export type WidgetLocale = (typeof WIDGET_LOCALES)[number];

/** Which pre-chat form fields the widget shows, each off / optional / required. */
export const ZPreChatFormConfig = z.object({
  name: ZFormFieldMode,
  phone: ZFormFieldMode,
  company: ZFormFieldMode,
  verificationCode: ZFormFieldMode.describe("Service verification code (服务验证码): identifies the customer's company"),
});
export type PreChatFormConfig = z.infer<typeof ZPreChatFormConfig>;

/**
 * One text per widget language, `{ "zh-CN": "…", "en": "…" }`: the widget shows the one of the
 * language it picked. A plain string (what `theme.title` was before) is refused with
 * VALIDATION_FAILED naming the field: one string cannot be right in both languages.
 */
function localised<T extends z.ZodType<string>>(text: T) {
  return z.object({ "zh-CN": text, en: text }, { error: (issue) => (issue.code === "invalid_type" ? 'one text per widget language: { "zh-CN": "…", "en": "…" }' : undefined) });
}

/** A localised text: the widget shows the one of its locale. */
export const ZLocalisedText = localised(z.string().max(2000));
export type LocalisedText = z.infer<typeof ZLocalisedText>;

/** The header title a widget gets unless told otherwise. */
export const DEFAULT_WIDGET_TITLE: LocalisedText = { "zh-CN": "在线客服", en: "Customer service" };

export const ZWidgetTheme = z.object({
  title: localised(z.string().trim().min(1).max(100)).describe("Shown in the widget's header, in the widget's language"),
  primaryColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, "#rrggbb"),
  textColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, "#rrggbb").describe("Text on the primary colour"),
});
export type WidgetTheme = z.infer<typeof ZWidgetTheme>;

export const ZWidgetConfig = z.object({
  id: ZId,
  publicKey: z.string().describe("Public widget key, wk_…, embedded in the customer's web page"),
  name: z.string(),
  enabled: z.boolean().describe("A disabled widget answers 404 to the public endpoints"),
  allowedOrigins: z.array(z.string()).describe("Web page origins allowed to use the widget (CORS), e.g. https://www.example.com; the port may be * (http://localhost:* admits any local port); empty: only the server's own origin"),
  preChatForm: ZPreChatFormConfig,
  greeting: ZLocalisedText.describe("First text the visitor sees"),
  offlineMessage: ZLocalisedText.describe("Shown when nobody is available, and after leaving a message: how the customer will be answered"),
  defaultQueueId: ZId.nullable().describe("Where chats are queued; null: routing's navigation rules decide by entry point"),
  entryPoint: z.string().describe("Entry point string navigation rules match on"),
  calendarId: ZId.nullable().describe("Business hours; null: always open"),
  theme: ZWidgetTheme,
  locale: ZWidgetLocale.describe("Default locale when the browser's is neither"),
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
});
export type WidgetConfig = z.infer<typeof ZWidgetConfig>;

const ZOrigin = z
  .string()
  .trim()
  .max(300)
  .regex(
    /^https?:\/\/(?:[^/\s*]+|(?:\[[0-9a-fA-F:.]+\]|[^/\s*:[\]]+):\*)$/,
    "an origin: scheme://host[:port], no path; the port may be * (any port, e.g. http://localhost:*), nothing else",
  );

export const ZCreateWidgetConfig = z.object({
  name: z.string().trim().min(1).max(100),
  enabled: z.boolean().default(true),
  allowedOrigins: z.array(ZOrigin).max(50).default([]),
  preChatForm: ZPreChatFormConfig.default({ name: "optional", phone: "optional", company: "off", verificationCode: "off" }),
  greeting: ZLocalisedText.default({ "zh-CN": "您好，请问有什么可以帮您？", en: "Hello, how can we help you?" }),
  offlineMessage: ZLocalisedText.default({
    "zh-CN": "现在无人在线。请留言，我们会在工作时间内尽快回复您。",
    en: "Nobody is available right now. Leave a message and we will answer you during business hours.",
  }),
  defaultQueueId: ZId.nullable().default(null),
  entryPoint: z.string().trim().min(1).max(200).optional().describe("Defaults to the public key"),
  calendarId: ZId.nullable().default(null),
  theme: ZWidgetTheme.default({ title: DEFAULT_WIDGET_TITLE, primaryColor: "#0958d9", textColor: "#ffffff" }),
  locale: ZWidgetLocale.default("zh-CN"),
});
export type CreateWidgetConfig = z.infer<typeof ZCreateWidgetConfig>;

export const ZUpdateWidgetConfig = z
  .object({
    name: z.string().trim().min(1).max(100),
    enabled: z.boolean(),
    allowedOrigins: z.array(ZOrigin).max(50),
    preChatForm: ZPreChatFormConfig,
    greeting: ZLocalisedText,
    offlineMessage: ZLocalisedText,
    defaultQueueId: ZId.nullable(),
    entryPoint: z.string().trim().min(1).max(200),
    calendarId: ZId.nullable(),
    theme: ZWidgetTheme,
    locale: ZWidgetLocale,
  })
  .partial();
export type UpdateWidgetConfig = z.infer<typeof ZUpdateWidgetConfig>;

export const ZWidgetConfigParams = z.object({ widgetConfigId: ZId });
export const ZWidgetConfigList = z.object({ items: z.array(ZWidgetConfig) });

// ---------------------------------------------------------------- public configuration

/**
 * The upload limits the server enforces (MAX_UPLOAD_BYTES, ALLOWED_UPLOAD_TYPES): a file is
 * taken as its declared type, or, when the browser declares none (or application/octet-stream),
 * as the type its extension names. Bigger files are PAYLOAD_TOO_LARGE, other types
 * UNSUPPORTED_MEDIA_TYPE (and the first bytes must match the type).
 */
export const ZWidgetUploadLimits = z.object({
  maxBytes: z.number().int().describe("Largest file accepted, in bytes"),
  types: z.array(z.string()).describe("Media types accepted, lower case (image/png, application/pdf …)"),
  extensions: z.array(z.string()).describe("File name extensions (lower case, no dot) accepted for a file whose browser gives no type"),
});
export type WidgetUploadLimits = z.infer<typeof ZWidgetUploadLimits>;

export const ZWidgetKeyParams = z.object({ widgetKey: z.string().min(1).max(100) });

/** `GET /widget/{widgetKey}/config`: what the widget needs to render. No secrets. */
export const ZWidgetPublicConfig = z.object({
  widgetKey: z.string(),
  theme: ZWidgetTheme,
  locale: ZWidgetLocale,
  greeting: ZLocalisedText,
  offlineMessage: ZLocalisedText,
  preChatForm: ZPreChatFormConfig,
  open: z.boolean().describe("Within business hours: the widget's calendar, and that of the queue that would serve the chat (after overflow into another queue); always true without calendars"),
  available: z.boolean().describe("Open and a chat started now would be offered to an agent at once (routing's own queue choice and eligibility for chats): chat; otherwise offer to leave a message"),
  uploads: ZWidgetUploadLimits.describe("What POST /widget/sessions/attachments accepts (the server's own limits): the widget checks a file before uploading it"),
});
export type WidgetPublicConfig = z.infer<typeof ZWidgetPublicConfig>;

// ---------------------------------------------------------------- visitor-facing shapes

/** An agent as the visitor sees them: display name and avatar initials, nothing else. */
export const ZVisitorAgent = z.object({
  name: z.string(),
  initials: z.string().describe("One or two characters for the avatar"),
});
export type VisitorAgent = z.infer<typeof ZVisitorAgent>;

export const ZVisitorAttachment = z.object({
  id: ZId,
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int().describe("Bytes"),
  url: z.string().describe("Download path, relative to the server: a link signed for this one file, valid about an hour; no token needed"),
});
export type VisitorAttachment = z.infer<typeof ZVisitorAttachment>;

export const VISITOR_MESSAGE_SENDERS = ["visitor", "agent", "bot", "system"] as const;
export type VisitorMessageSender = (typeof VISITOR_MESSAGE_SENDERS)[number];

/** A message of the visitor's conversation. Internal notes never appear. */
export const ZVisitorMessage = z.object({
  id: ZId,
  conversationId: ZId,
  seq: z.number().int().describe("1, 2, 3 … within the conversation (gaps are internal notes the visitor does not see)"),
  from: z.enum(VISITOR_MESSAGE_SENDERS),
  agent: ZVisitorAgent.nullable().describe("Who wrote it, for agent messages"),
  text: z.string(),
  attachments: z.array(ZVisitorAttachment),
  clientId: z.string().nullable().describe("The visitor's own client id, echoed back"),
  createdAt: ZTimestamp,
});
export type VisitorMessage = z.infer<typeof ZVisitorMessage>;

export const ZVisitorConversation = z.object({
  id: ZId,
  state: z.enum(["queued", "active", "ended"]),
  lastSeq: z.number().int(),
  agent: ZVisitorAgent.nullable().describe("The agent serving it, once accepted"),
  queuePosition: z.number().int().nullable().describe("1 = next; null when not waiting"),
  visitorReadSeq: z.number().int().describe("The visitor has read messages up to this seq"),
  agentReadSeq: z.number().int().describe("The agents have read the visitor's messages up to this seq (read receipts)"),
  rated: z.boolean(),
  startedAt: ZTimestamp,
  endedAt: ZTimestamp.nullable(),
});
export type VisitorConversation = z.infer<typeof ZVisitorConversation>;

// ---------------------------------------------------------------- sessions

/** `POST /widget/{widgetKey}/sessions`: start, or resume with the token stored from last time. */
export const ZCreateVisitorSession = z.object({
  visitorToken: z.string().max(500).optional().describe("A token from an earlier session of the same widget; invalid or foreign tokens start a new visitor"),
  locale: z.string().max(20).optional().describe("The browser's language, e.g. zh-CN or en"),
  pageUrl: z.string().max(2000).optional().describe("The page the visitor is on"),
});
export type CreateVisitorSession = z.infer<typeof ZCreateVisitorSession>;

export const ZVisitorSession = z.object({
  visitorToken: z.string().describe("Keep it (localStorage) and send it as bearer / socket auth"),
  visitorId: z.string().describe("Stable id of this browser's visitor"),
  returning: z.boolean().describe("The visitor was recognised from the token"),
  contact: z.object({
    name: z.string(),
    companyName: z.string().nullable(),
    identified: z.boolean().describe("The pre-chat form (or an agent) linked the visitor to a known customer"),
  }),
  needsPreChat: z.boolean().describe("The form has a required field the visitor has not given yet"),
  conversation: ZVisitorConversation.nullable().describe("The visitor's open conversation (or the last one, if ended and not yet rated)"),
});
export type VisitorSession = z.infer<typeof ZVisitorSession>;

/** `POST /widget/sessions/prechat`: who the visitor is, per the form config. */
export const ZPreChatSubmit = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  phone: z.string().trim().min(3).max(40).optional().describe("National (138…) or international (+86 138…); identifies the customer"),
  company: z.string().trim().min(1).max(200).optional(),
  verificationCode: ZVerificationCode.optional().describe("Links the visitor to that company"),
  message: z.string().trim().min(1).max(20_000).optional().describe("First message: starts the conversation"),
  clientId: z.string().trim().min(1).max(100).optional().describe("Client id of the first message"),
});
export type PreChatSubmit = z.infer<typeof ZPreChatSubmit>;

export const ZPreChatResult = z.object({
  contact: ZVisitorSession.shape.contact,
  conversation: ZVisitorConversation.nullable(),
  message: ZVisitorMessage.nullable().describe("The stored first message"),
});
export type PreChatResult = z.infer<typeof ZPreChatResult>;

// ---------------------------------------------------------------- messages

/** A visitor's message (socket `message:send`, or the pre-chat form's first one). */
export const ZVisitorSendMessage = z
  .object({
    clientId: z.string().trim().min(1).max(100).describe("Chosen by the widget (uuid); a retry with the same id returns the stored message"),
    text: z.string().max(20_000).default(""),
    attachmentIds: z.array(ZId).max(10).default([]).describe("From POST /widget/sessions/attachments"),
  })
  .refine((m) => m.text.trim().length > 0 || m.attachmentIds.length > 0, "a message needs text or an attachment");
export type VisitorSendMessage = z.infer<typeof ZVisitorSendMessage>;

/** `GET /widget/sessions/messages?afterSeq=`: resync after a reconnect. */
export const ZVisitorMessageQuery = z.object({
  afterSeq: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
export type VisitorMessageQuery = z.infer<typeof ZVisitorMessageQuery>;

export const VISITOR_NOTICE_KINDS = ["queued", "agent_joined", "transferred", "ended"] as const;
export type VisitorNoticeKind = (typeof VISITOR_NOTICE_KINDS)[number];

/**
 * A system notice shown inline in the chat (not stored as a message): live as the socket's
 * `notice`, and again in the history (derived from the conversation's stored facts), where it
 * carries `afterSeq`. The same notice has the same kind, conversation and `at` both ways.
 */
export const ZVisitorNotice = z.object({
  kind: z.enum(VISITOR_NOTICE_KINDS),
  conversationId: ZId,
  position: z.number().int().nullable().describe("queued, live only: 1 = next; null in the history (the position changes)"),
  agent: ZVisitorAgent.nullable().describe("agent_joined / transferred: the agent now serving"),
  at: ZTimestamp.describe("When it happened; with kind and conversation, the notice's identity"),
  afterSeq: z.number().int().optional().describe("History only: the seq of the last message before it (at least 1: the message that started the chat)"),
});
export type VisitorNotice = z.infer<typeof ZVisitorNotice>;

export const ZVisitorMessageList = z.object({
  conversation: ZVisitorConversation.nullable(),
  items: z.array(ZVisitorMessage),
  nextAfterSeq: z.number().int().nullable().describe("More to fetch: pass as afterSeq; null: up to date"),
  notices: z
    .array(ZVisitorNotice.required({ afterSeq: true }))
    .describe("The conversation's notices placed within this page (afterSeq from the asked afterSeq up to the page's last seq), oldest first"),
});
export type VisitorMessageList = z.infer<typeof ZVisitorMessageList>;

export const ZVisitorAttachmentParams = z.object({ attachmentId: ZId });
/** A signed download link's query: it names the tenant and expiry and carries the server's HMAC over them and the id. */
export const ZVisitorAttachmentQuery = z.object({
  tenant: ZId,
  expires: z.coerce.number().int().min(0).max(2 ** 40).describe("Unix seconds"),
  signature: z.string().min(1).max(100),
});

// ---------------------------------------------------------------- offline and rating

/** `POST /widget/sessions/leave-message`: nobody available → a ticket. */
export const ZLeaveMessage = z
  .object({
    name: z.string().trim().min(1).max(100),
    phone: z.string().trim().min(3).max(40).optional(),
    email: z.email().max(320).optional(),
    text: z.string().trim().min(1).max(20_000),
  })
  .refine((m) => Boolean(m.phone || m.email), { message: "give a phone number or an e-mail address", path: ["phone"] });
export type LeaveMessage = z.infer<typeof ZLeaveMessage>;

export const ZLeaveMessageResult = z.object({
  ticketNumber: z.string(),
  reply: ZLocalisedText.describe("How the customer will be answered (the widget's offline message)"),
});
export type LeaveMessageResult = z.infer<typeof ZLeaveMessageResult>;

/** `POST /widget/sessions/rating`: the visitor rates their current or just-ended conversation, once. */
export const ZVisitorRating = z.object({
  score: z.number().int().min(1).max(5),
  comment: z.string().trim().max(2000).default(""),
});
export type VisitorRating = z.infer<typeof ZVisitorRating>;

export const ZVisitorRatingResult = z.object({
  id: ZId,
  score: z.number().int(),
  comment: z.string(),
  createdAt: ZTimestamp,
});
export type VisitorRatingResult = z.infer<typeof ZVisitorRatingResult>;

// ---------------------------------------------------------------- socket.io namespace /visitor

/** Answer of every visitor socket request. */
export type VisitorAck<T> = { ok: true; data: T } | AckFailure;

export interface VisitorTypingEvent {
  conversationId: string;
  typing: boolean;
  agent: VisitorAgent | null;
}

export interface VisitorReadEvent {
  conversationId: string;
  /** Agents have read the visitor's messages up to this seq. */
  agentReadSeq: number;
}

export interface VisitorQueuePositionEvent {
  conversationId: string;
  /** 1 = next to be served. */
  position: number;
}

/** Server → visitor, namespace `/visitor`. The socket joins its own visitor room on connect. */
export interface VisitorServerEvents {
  /** A message the visitor should see: an agent's reply, or the visitor's own from another tab. */
  "message:new": (m: VisitorMessage) => void;
  /** Queued (with position), agent joined, transferred, ended. */
  notice: (n: VisitorNotice) => void;
  /** The conversation's state changed (state, agent, read seqs); replaces the widget's copy. */
  "conversation:changed": (c: VisitorConversation) => void;
  /** An agent is typing (or stopped). */
  typing: (e: VisitorTypingEvent) => void;
  /** Read receipt: the agents read the visitor's messages up to a seq. */
  read: (e: VisitorReadEvent) => void;
  /** The visitor's place in the queue moved (someone ahead was served, left or was transferred). */
  "queue:position": (e: VisitorQueuePositionEvent) => void;
}

/** Visitor → server, namespace `/visitor`. Connect with `io(url + "/visitor", { auth: { token } })`. */
export interface VisitorClientEvents {
  /** Start the visitor's conversation, or resume the open one (queued to the widget's default queue). */
  "conversation:start": (ack: (res: VisitorAck<VisitorConversation>) => void) => void;
  /** Send a message; starts a conversation when none is open. Acked once stored (with its seq);
   * a retry with the same clientId acks the same message. */
  "message:send": (m: VisitorSendMessage, ack: (res: VisitorAck<VisitorMessage>) => void) => void;
  /** Everything after a seq (same as GET /widget/sessions/messages). */
  "messages:sync": (q: { afterSeq: number }, ack: (res: VisitorAck<VisitorMessageList>) => void) => void;
  /** The visitor is typing (or stopped): agents in the conversation's room hear `conversation:typing`. */
  typing: (e: { typing: boolean }) => void;
  /** The visitor has read up to a seq. */
  "messages:read": (e: { seq: number }, ack: (res: VisitorAck<VisitorConversation>) => void) => void;
  /** The visitor closes the chat: the conversation ends. */
  "conversation:end": (ack: (res: VisitorAck<VisitorConversation>) => void) => void;
}
