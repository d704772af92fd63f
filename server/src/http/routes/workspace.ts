import {
  ZCannedReply,
  ZCannedReplyParams,
  ZCannedReplyQuery,
  ZConversationParams,
  ZCreateCannedReply,
  ZInboxCounts,
  ZMarkRead,
  ZMention,
  ZMentionParams,
  ZMentionQuery,
  ZReadMarker,
  ZRenderCannedReply,
  ZRenderedCannedReply,
  ZTransferConversation,
  ZTransferResult,
  ZUpdateCannedReply,
} from "@yixian/contracts";
import { z } from "zod";
import { createCannedReply } from "../../domain/workspace/create-canned-reply.ts";
import { inboxCounts } from "../../domain/workspace/inbox-counts.ts";
import { listCannedReplies } from "../../domain/workspace/list-canned-replies.ts";
import { markConversationRead } from "../../domain/workspace/mark-read.ts";
import { listMentions, readMention } from "../../domain/workspace/mentions.ts";
import { renderCannedReply } from "../../domain/workspace/render-canned-reply.ts";
import { transferConversation } from "../../domain/workspace/transfer-conversation.ts";
import { deleteCannedReply, updateCannedReply } from "../../domain/workspace/update-canned-reply.ts";
import { defineRoute, type AnyRoute } from "../route.ts";

const EXAMPLE_CONVERSATION_ID = "0195f3a2-7c4e-7b61-9a3d-2f1e0c9b8a72";
const EXAMPLE_QUEUE_ID = "0195f3a2-7c4e-7b61-9a3d-2f1e0c9b8a73";

const cannedReplyRoutes = [
  defineRoute({
    method: "get",
    path: "/canned-replies",
    tag: "workspace",
    summary: "Your canned replies and the tenant's (yours first); q finds by shortcut prefix (/发) or by words of the title or text",
    auth: "conversation:write",
    query: ZCannedReplyQuery,
    response: z.array(ZCannedReply),
    handler: ({ ctx, query }) => listCannedReplies(ctx, query),
  }),
  defineRoute({
    method: "post",
    path: "/canned-replies",
    tag: "workspace",
    summary: "Save a canned reply: your own, or (supervisors and admins, scope tenant) one for everyone",
    auth: "conversation:write",
    status: 201,
    body: ZCreateCannedReply,
    response: ZCannedReply,
    example: { scope: "personal", shortcut: "/发票", title: "发票打印", body: "{{contact.name}}您好，我是{{agent.name}}。发票打印问题已记录在工单 {{ticket.number}}。", category: "发票", tags: ["打印"] },
    handler: ({ ctx, body }) => createCannedReply(ctx, body),
  }),
  defineRoute({
    method: "patch",
    path: "/canned-replies/{cannedReplyId}",
    tag: "workspace",
    summary: "Change a canned reply (your own; the tenant's with category:manage)",
    auth: "conversation:write",
    params: ZCannedReplyParams,
    body: ZUpdateCannedReply,
    response: ZCannedReply,
    example: { title: "发票打印不出来", tags: ["打印", "发票"] },
    handler: ({ ctx, params, body }) => updateCannedReply(ctx, params.cannedReplyId, body),
  }),
  defineRoute({
    method: "delete",
    path: "/canned-replies/{cannedReplyId}",
    tag: "workspace",
    summary: "Delete a canned reply (your own; the tenant's with category:manage)",
    auth: "conversation:write",
    params: ZCannedReplyParams,
    status: 204,
    handler: ({ ctx, params }) => deleteCannedReply(ctx, params.cannedReplyId),
  }),
  defineRoute({
    method: "post",
    path: "/canned-replies/{cannedReplyId}/render",
    tag: "workspace",
    summary: "The reply's text for a conversation, with {{contact.name}}, {{agent.name}} and {{ticket.number}} filled; counts one use",
    auth: "conversation:write",
    params: ZCannedReplyParams,
    body: ZRenderCannedReply,
    response: ZRenderedCannedReply,
    example: { conversationId: EXAMPLE_CONVERSATION_ID },
    handler: ({ ctx, params, body }) => renderCannedReply(ctx, params.cannedReplyId, body),
  }),
];

const inboxRoutes = [
  defineRoute({
    method: "post",
    path: "/conversations/{conversationId}/transfer",
    tag: "conversations",
    summary: "Transfer the conversation to an agent (offered to them) or a queue, with a note; the customer is told",
    auth: "conversation:write",
    params: ZConversationParams,
    body: ZTransferConversation,
    response: ZTransferResult,
    example: { toQueueId: EXAMPLE_QUEUE_ID, note: "客户要开增值税专票，请财务组处理" },
    handler: ({ ctx, params, body }) => transferConversation(ctx, params.conversationId, body),
  }),
  defineRoute({
    method: "post",
    path: "/conversations/{conversationId}/read",
    tag: "conversations",
    summary: "You have read the conversation up to seq (the marker only moves forward)",
    auth: "conversation:read",
    params: ZConversationParams,
    body: ZMarkRead,
    response: ZReadMarker,
    example: { seq: 1 },
    handler: ({ ctx, params, body }) => markConversationRead(ctx, params.conversationId, body),
  }),
  defineRoute({
    method: "get",
    path: "/inbox/counts",
    tag: "workspace",
    summary: "Your inbox badges: unread per active conversation of yours, waiting per queue of yours, unassigned, unread mentions",
    auth: "conversation:read",
    response: ZInboxCounts,
    handler: ({ ctx }) => inboxCounts(ctx),
  }),
  defineRoute({
    method: "get",
    path: "/mentions",
    tag: "workspace",
    summary: "Where colleagues mentioned you in internal notes, newest first",
    auth: "authenticated",
    query: ZMentionQuery,
    response: z.array(ZMention),
    handler: ({ ctx, query }) => listMentions(ctx, query),
  }),
  defineRoute({
    method: "post",
    path: "/mentions/{mentionId}/read",
    tag: "workspace",
    summary: "Mark one of your mentions read",
    auth: "authenticated",
    params: ZMentionParams,
    response: ZMention,
    handler: ({ ctx, params }) => readMention(ctx, params.mentionId),
  }),
];

export const workspaceRoutes: AnyRoute[] = [...cannedReplyRoutes, ...inboxRoutes];
