import {
  page,
  ZConversation,
  ZConversationDetail,
  ZConversationListQuery,
  ZConversationParams,
  ZCreateConversation,
  ZDetachConversation,
  ZEndConversation,
  ZLinkConversation,
  ZMessage,
  ZMessageList,
  ZMessageListQuery,
  ZPostMessage,
} from "@yixian/contracts";
import { acceptConversation } from "../../domain/conversations/accept-conversation.ts";
import { appendMessage } from "../../domain/conversations/append-message.ts";
import { createConversation } from "../../domain/conversations/create-conversation.ts";
import { detachConversation } from "../../domain/conversations/detach-conversation.ts";
import { endConversation } from "../../domain/conversations/end-conversation.ts";
import { getConversation } from "../../domain/conversations/get-conversation.ts";
import { linkConversation } from "../../domain/conversations/link-conversation.ts";
import { listConversations } from "../../domain/conversations/list-conversations.ts";
import { listMessages } from "../../domain/conversations/list-messages.ts";
import { defineRoute } from "../route.ts";

const EXAMPLE_TICKET_ID = "0195f3a2-7c4e-7b61-9a3d-2f1e0c9b8a71";

export const conversationRoutes = [
  defineRoute({
    method: "post",
    path: "/conversations",
    tag: "conversations",
    summary: "Start a conversation; joins the contact's open ticket at once if they have one",
    auth: "conversation:write",
    body: ZCreateConversation,
    response: ZConversationDetail,
    status: 201,
    example: { channel: "phone", identity: { kind: "phone", value: "138 0013 8000" }, subject: "发票打印不出来", externalRef: "call-7f3a91" },
    handler: ({ ctx, body }) => createConversation(ctx, body),
  }),
  defineRoute({
    method: "get",
    path: "/conversations",
    tag: "conversations",
    summary: "Conversations, newest first; filter by state, channel, contact, ticket, assignee (me) or queue",
    auth: "conversation:read",
    query: ZConversationListQuery,
    response: page(ZConversation),
    handler: ({ ctx, query }) => listConversations(ctx, query),
  }),
  defineRoute({
    method: "get",
    path: "/conversations/{conversationId}",
    tag: "conversations",
    summary: "A conversation with its participants, contact and ticket",
    auth: "conversation:read",
    params: ZConversationParams,
    response: ZConversationDetail,
    handler: ({ ctx, params }) => getConversation(ctx, params.conversationId),
  }),
  defineRoute({
    method: "post",
    path: "/conversations/{conversationId}/accept",
    tag: "conversations",
    summary: "Accept the conversation: join it, own it, and open its ticket if it has none",
    auth: "conversation:write",
    params: ZConversationParams,
    response: ZConversationDetail,
    handler: ({ ctx, params }) => acceptConversation(ctx, params.conversationId),
  }),
  defineRoute({
    method: "post",
    path: "/conversations/{conversationId}/detach",
    tag: "conversations",
    summary: "Split the conversation off its ticket into a new ticket (a different problem)",
    auth: "conversation:write",
    params: ZConversationParams,
    body: ZDetachConversation,
    response: ZConversationDetail,
    example: { subject: "另一个问题：打印机驱动" },
    handler: ({ ctx, params, body }) => detachConversation(ctx, params.conversationId, body),
  }),
  defineRoute({
    method: "post",
    path: "/conversations/{conversationId}/link",
    tag: "conversations",
    summary: "File the conversation under another open ticket of the same customer",
    auth: "conversation:write",
    params: ZConversationParams,
    body: ZLinkConversation,
    response: ZConversationDetail,
    example: { ticketId: EXAMPLE_TICKET_ID },
    handler: ({ ctx, params, body }) => linkConversation(ctx, params.conversationId, body),
  }),
  defineRoute({
    method: "post",
    path: "/conversations/{conversationId}/end",
    tag: "conversations",
    summary: "End the conversation, optionally with a wrap-up note",
    auth: "conversation:write",
    params: ZConversationParams,
    body: ZEndConversation,
    response: ZConversationDetail,
    example: { wrapUp: "已远程协助重装打印驱动，客户确认可以打印。" },
    handler: ({ ctx, params, body }) => endConversation(ctx, params.conversationId, body),
  }),
  defineRoute({
    method: "post",
    path: "/conversations/{conversationId}/messages",
    tag: "conversations",
    summary: "Reply to the customer (outbound) or leave an internal note; a retry with the same clientId is stored once",
    auth: "conversation:write",
    params: ZConversationParams,
    body: ZPostMessage,
    response: ZMessage,
    status: 201,
    example: { text: "您好，请问是哪一张发票打印不出来？", clientId: "c-5d1f0e2a", direction: "outbound" },
    handler: ({ ctx, params, body }) =>
      appendMessage(ctx, {
        conversationId: params.conversationId,
        direction: body.direction,
        text: body.text,
        rich: body.rich,
        attachmentIds: body.attachmentIds,
        clientId: body.clientId,
        externalId: body.externalId,
      }),
  }),
  defineRoute({
    method: "get",
    path: "/conversations/{conversationId}/messages",
    tag: "conversations",
    summary: "Messages in seq order after afterSeq (resync after missed events)",
    auth: "conversation:read",
    params: ZConversationParams,
    query: ZMessageListQuery,
    response: ZMessageList,
    handler: ({ ctx, params, query }) => listMessages(ctx, params.conversationId, query),
  }),
];
