import { z } from "zod";
import { ZId, ZTimestamp } from "./common.ts";

// ---------------------------------------------------------------- canned replies

export const CANNED_REPLY_SCOPES = ["personal", "tenant"] as const;
export const ZCannedReplyScope = z.enum(CANNED_REPLY_SCOPES);
export type CannedReplyScope = (typeof CANNED_REPLY_SCOPES)[number];

const ZShortcut = z
  .string()
  .trim()
  .regex(/^\/[^\s/]{1,40}$/u, "a shortcut is a slash and a word without spaces, e.g. /发票 or /hello");

export const ZCannedReply = z.object({
  id: ZId,
  scope: ZCannedReplyScope.describe("personal: the caller's own; tenant: shared by everyone in the tenant"),
  ownerId: ZId.nullable(),
  shortcut: z.string(),
  title: z.string(),
  body: z.string().describe("May hold {{contact.name}}, {{agent.name}} and {{ticket.number}}"),
  category: z.string().nullable(),
  tags: z.array(z.string()),
  usageCount: z.number().int(),
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
});
export type CannedReply = z.infer<typeof ZCannedReply>;

export const ZCannedReplyQuery = z.object({
  q: z.string().trim().max(100).optional().describe("A shortcut prefix (/发) or words of the title or text"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const ZCreateCannedReply = z.object({
  scope: ZCannedReplyScope.default("personal"),
  shortcut: ZShortcut,
  title: z.string().trim().min(1).max(200),
  body: z.string().min(1).max(10_000),
  category: z.string().trim().min(1).max(100).nullable().optional(),
  tags: z.array(z.string().trim().min(1).max(50)).max(20).optional(),
});
export type CreateCannedReply = z.infer<typeof ZCreateCannedReply>;

export const ZUpdateCannedReply = z.object({
  shortcut: ZShortcut.optional(),
  title: z.string().trim().min(1).max(200).optional(),
  body: z.string().min(1).max(10_000).optional(),
  category: z.string().trim().min(1).max(100).nullable().optional(),
  tags: z.array(z.string().trim().min(1).max(50)).max(20).optional(),
});
export type UpdateCannedReply = z.infer<typeof ZUpdateCannedReply>;

export const ZCannedReplyParams = z.object({ cannedReplyId: ZId });

export const ZRenderCannedReply = z.object({ conversationId: ZId });

export const ZRenderedCannedReply = z.object({
  cannedReplyId: ZId,
  text: z.string().describe("The body with its placeholders filled for this conversation"),
  usageCount: z.number().int(),
});
export type RenderedCannedReply = z.infer<typeof ZRenderedCannedReply>;

// ---------------------------------------------------------------- transfers

export const ZTransferConversation = z
  .object({
    toAgentId: ZId.optional().describe("Offer the conversation to this agent"),
    toQueueId: ZId.optional().describe("Put the conversation in this queue"),
    note: z.string().trim().max(2000).default(""),
  })
  .refine((b) => (b.toAgentId ? 1 : 0) + (b.toQueueId ? 1 : 0) === 1, { message: "name either toAgentId or toQueueId" });
export type TransferConversation = z.infer<typeof ZTransferConversation>;

export const ZTransferResult = z.object({
  conversationId: ZId,
  workItemId: ZId.describe("The new work item that carries the conversation to its target"),
  target: z.enum(["agent", "queue"]),
  toAgentId: ZId.nullable(),
  toQueueId: ZId,
  offerId: ZId.nullable().describe("The offer made to the target agent"),
  note: z.string(),
});
export type TransferResult = z.infer<typeof ZTransferResult>;

// ---------------------------------------------------------------- read markers and inbox counts

export const ZMarkRead = z.object({ seq: z.number().int().min(0).describe("The seq of the newest message the agent has seen") });

export const ZReadMarker = z.object({ conversationId: ZId, lastReadSeq: z.number().int(), unread: z.number().int() });
export type ReadMarker = z.infer<typeof ZReadMarker>;

export const ZInboxCounts = z.object({
  conversations: z.array(z.object({ conversationId: ZId, unread: z.number().int() })).describe("The caller's active conversations with how many messages they have not read"),
  unreadTotal: z.number().int(),
  queues: z.array(z.object({ queueId: ZId, name: z.string(), waiting: z.number().int() })).describe("Items waiting (or offered) in each queue the caller belongs to"),
  unassigned: z.number().int().describe("Queued conversations nobody has taken, in the caller's queues"),
  mentions: z.number().int().describe("The caller's unread mentions"),
});
export type InboxCounts = z.infer<typeof ZInboxCounts>;

// ---------------------------------------------------------------- mentions

export const ZMention = z.object({
  id: ZId,
  authorId: ZId.nullable(),
  authorName: z.string().nullable(),
  conversationId: ZId.nullable().describe("Set when the note is an internal message of a conversation"),
  messageId: ZId.nullable(),
  ticketId: ZId.nullable(),
  ticketNumber: z.string().nullable(),
  excerpt: z.string().describe("The start of the note"),
  createdAt: ZTimestamp,
  readAt: ZTimestamp.nullable(),
});
export type Mention = z.infer<typeof ZMention>;

export const ZMentionQuery = z.object({
  unread: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => v === "true")
    .describe("Only the mentions not yet read"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const ZMentionParams = z.object({ mentionId: ZId });
