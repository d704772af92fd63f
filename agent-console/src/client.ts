import type {
  ZCallerWork,
  ZFinishCallerWork,
  ZAssignTicket,
  ZAttachment,
  ZCall,
  ZCallListQuery,
  ZCannedReply,
  ZCannedReplyQuery,
  ZCategory,
  ZChangeTicketStatus,
  ZCompany,
  ZCompanyListQuery,
  ZContact,
  ZMissedCall,
  ZMissedCallDone,
  ZMissedCallListQuery,
  ZConversationDetail,
  ZConversationListItem,
  ZConversationListQuery,
  ZCreateCannedReply,
  ZDetachConversation,
  ZEndConversation,
  ZIdentifyQuery,
  ZIdentifyResult,
  ZInboxCounts,
  ZLinkConversation,
  ZLoginRequest,
  ZLoginResponse,
  ZMarkRead,
  ZMe,
  ZMention,
  ZMessage,
  ZMessageList,
  ZOfferResult,
  ZOfferView,
  ZOutboundLimits,
  ZPostMessage,
  ZPresence,
  ZQueueDetail,
  ZReadMarker,
  ZRenderCannedReply,
  ZRenderedCannedReply,
  ZSearchQuery,
  ZSearchResults,
  ZSetConversationContact,
  ZSetPresence,
  ZSipDevice,
  ZSipDeviceSecret,
  ZSoftphoneCredentials,
  ZTicket,
  ZTicketDetail,
  ZTicketListQuery,
  ZTicketSla,
  ZTimelineItem,
  ZTransferConversation,
  ZTransferResult,
  ZTrunk,
  ZTrunkInput,
  ZUpdateCannedReply,
  ZUpdateContact,
  ZUpdateTicket,
  ZUpdateWidgetConfig,
  ZUser,
  ZUserListQuery,
  ZWidgetConfig,
  ZWidgetConfigList,
} from "@yixian/contracts";
import type { Page as ContractPage } from "@yixian/contracts";
import type { z } from "zod";
import { qs, request } from "./api.ts";

/**
 * The console's one REST client: every endpoint it calls, with the request body and answer types
 * of `@yixian/contracts` (what the server validates and presents). Components call `api.x.y(...)`;
 * no component writes a URL.
 */

/** What the console sends: the schema's input (defaults may be left out). */
type In<S extends z.ZodType> = z.input<S>;
/** What the server answers: the schema's output. */
type Out<S extends z.ZodType> = z.output<S>;
type Page<S extends z.ZodType> = ContractPage<Out<S>>;
type Query<S extends z.ZodType> = { [K in keyof In<S>]?: In<S>[K] };

const id = encodeURIComponent;

export const api = {
  auth: {
    /** Anonymous: a 401 here is a wrong password, not an expired session. */
    login: (body: In<typeof ZLoginRequest>) => request<Out<typeof ZLoginResponse>>("/auth/login", { method: "POST", body, anonymous: true }),
    logout: () => request<void>("/auth/logout", { method: "POST", body: {} }),
    me: () => request<Out<typeof ZMe>>("/auth/me", { anonymous: true }),
  },
  presence: {
    mine: () => request<Out<typeof ZPresence>>("/presence/me"),
    all: () => request<Out<typeof ZPresence>[]>("/presence"),
    set: (body: In<typeof ZSetPresence>) => request<Out<typeof ZPresence>>("/presence/me", { method: "PUT", body }),
  },
  offers: {
    mine: () => request<Out<typeof ZOfferView>[]>("/offers/mine"),
    answer: (offerId: string, answer: "accept" | "reject") => request<Out<typeof ZOfferResult>>(`/offers/${id(offerId)}/${answer}`, { method: "POST", body: {} }),
  },
  queues: { list: () => request<Out<typeof ZQueueDetail>[]>("/queues") },
  users: {
    list: (query: Query<typeof ZUserListQuery>) => request<Out<typeof ZUser>[]>(`/users${qs(query)}`),
    get: (userId: string) => request<Out<typeof ZUser>>(`/users/${id(userId)}`),
  },
  categories: { list: () => request<Out<typeof ZCategory>[]>("/categories") },
  conversations: {
    list: (query: Query<typeof ZConversationListQuery>) => request<Page<typeof ZConversationListItem>>(`/conversations${qs(query)}`),
    get: (conversationId: string) => request<Out<typeof ZConversationDetail>>(`/conversations/${id(conversationId)}`),
    messages: (conversationId: string, limit: number) => request<Out<typeof ZMessageList>>(`/conversations/${id(conversationId)}/messages${qs({ limit })}`),
    post: (conversationId: string, body: In<typeof ZPostMessage>) => request<Out<typeof ZMessage>>(`/conversations/${id(conversationId)}/messages`, { method: "POST", body }),
    accept: (conversationId: string) => request<Out<typeof ZConversationDetail>>(`/conversations/${id(conversationId)}/accept`, { method: "POST", body: {} }),
    end: (conversationId: string, body: In<typeof ZEndConversation>) => request<Out<typeof ZConversationDetail>>(`/conversations/${id(conversationId)}/end`, { method: "POST", body }),
    link: (conversationId: string, body: In<typeof ZLinkConversation>) => request<Out<typeof ZConversationDetail>>(`/conversations/${id(conversationId)}/link`, { method: "POST", body }),
    detach: (conversationId: string, body: In<typeof ZDetachConversation>) =>
      request<Out<typeof ZConversationDetail>>(`/conversations/${id(conversationId)}/detach`, { method: "POST", body }),
    setContact: (conversationId: string, body: In<typeof ZSetConversationContact>) =>
      request<Out<typeof ZConversationDetail>>(`/conversations/${id(conversationId)}/contact`, { method: "POST", body }),
    transfer: (conversationId: string, body: In<typeof ZTransferConversation>) =>
      request<Out<typeof ZTransferResult>>(`/conversations/${id(conversationId)}/transfer`, { method: "POST", body }),
    read: (conversationId: string, body: In<typeof ZMarkRead>) => request<Out<typeof ZReadMarker>>(`/conversations/${id(conversationId)}/read`, { method: "POST", body }),
  },
  contacts: {
    get: (contactId: string) => request<Out<typeof ZContact>>(`/contacts/${id(contactId)}`),
    update: (contactId: string, body: In<typeof ZUpdateContact>) => request<Out<typeof ZContact>>(`/contacts/${id(contactId)}`, { method: "PATCH", body }),
  },
  companies: { list: (query: Query<typeof ZCompanyListQuery>) => request<Page<typeof ZCompany>>(`/companies${qs(query)}`) },
  identify: (query: Query<typeof ZIdentifyQuery>) => request<Out<typeof ZIdentifyResult>>(`/identify${qs(query)}`),
  tickets: {
    list: (query: Query<typeof ZTicketListQuery>) => request<Page<typeof ZTicket>>(`/tickets${qs(query)}`),
    get: (ticketId: string) => request<Out<typeof ZTicketDetail>>(`/tickets/${id(ticketId)}`),
    sla: (ticketId: string) => request<Out<typeof ZTicketSla>>(`/tickets/${id(ticketId)}/sla`),
    timeline: (ticketId: string, limit: number) => request<Page<typeof ZTimelineItem>>(`/tickets/${id(ticketId)}/timeline${qs({ limit })}`),
    update: (ticketId: string, body: In<typeof ZUpdateTicket>) => request<Out<typeof ZTicketDetail>>(`/tickets/${id(ticketId)}`, { method: "PATCH", body }),
    setStatus: (ticketId: string, body: In<typeof ZChangeTicketStatus>) => request<Out<typeof ZTicket>>(`/tickets/${id(ticketId)}/status`, { method: "POST", body }),
    assign: (ticketId: string, body: In<typeof ZAssignTicket>) => request<Out<typeof ZTicket>>(`/tickets/${id(ticketId)}/assign`, { method: "POST", body }),
  },
  search: (query: Query<typeof ZSearchQuery>) => request<Out<typeof ZSearchResults>>(`/search${qs(query)}`),
  cannedReplies: {
    list: (query: Query<typeof ZCannedReplyQuery>) => request<Out<typeof ZCannedReply>[]>(`/canned-replies${qs(query)}`),
    create: (body: In<typeof ZCreateCannedReply>) => request<Out<typeof ZCannedReply>>("/canned-replies", { method: "POST", body }),
    update: (cannedReplyId: string, body: In<typeof ZUpdateCannedReply>) => request<Out<typeof ZCannedReply>>(`/canned-replies/${id(cannedReplyId)}`, { method: "PATCH", body }),
    remove: (cannedReplyId: string) => request<void>(`/canned-replies/${id(cannedReplyId)}`, { method: "DELETE" }),
    render: (cannedReplyId: string, body: In<typeof ZRenderCannedReply>) =>
      request<Out<typeof ZRenderedCannedReply>>(`/canned-replies/${id(cannedReplyId)}/render`, { method: "POST", body }),
  },
  inbox: { counts: () => request<Out<typeof ZInboxCounts>>("/inbox/counts") },
  mentions: {
    unread: () => request<Out<typeof ZMention>[]>(`/mentions${qs({ unread: "true" })}`),
    read: (mentionId: string) => request<Out<typeof ZMention>>(`/mentions/${id(mentionId)}/read`, { method: "POST", body: {} }),
  },
  attachments: {
    upload: (file: File) => {
      const form = new FormData();
      form.append("file", file);
      return request<Out<typeof ZAttachment>>("/attachments", { method: "POST", form });
    },
    /** Where the browser fetches a file itself (an <audio> playing a recording, a download link): the session cookie authorises it. */
    href: (attachmentId: string) => `/api/attachments/${id(attachmentId)}`,
  },
  widgetConfigs: {
    list: () => request<Out<typeof ZWidgetConfigList>>("/widget-configs"),
    update: (widgetConfigId: string, body: In<typeof ZUpdateWidgetConfig>) => request<Out<typeof ZWidgetConfig>>(`/widget-configs/${id(widgetConfigId)}`, { method: "PATCH", body }),
  },
  trunks: {
    list: () => request<Out<typeof ZTrunk>[]>("/voice/trunks"),
    create: (body: In<typeof ZTrunkInput>) => request<Out<typeof ZTrunk>>("/voice/trunks", { method: "POST", body }),
    /** Replaces the whole trunk: secrets left out are removed. */
    replace: (trunkId: string, body: In<typeof ZTrunkInput>) => request<Out<typeof ZTrunk>>(`/voice/trunks/${id(trunkId)}`, { method: "PUT", body }),
    remove: (trunkId: string) => request<void>(`/voice/trunks/${id(trunkId)}`, { method: "DELETE" }),
  },
  outboundLimits: {
    get: () => request<Out<typeof ZOutboundLimits>>("/voice/outbound-limits"),
    replace: (body: In<typeof ZOutboundLimits>) => request<Out<typeof ZOutboundLimits>>("/voice/outbound-limits", { method: "PUT", body }),
  },
  sipDevices: {
    get: (userId: string) => request<Out<typeof ZSipDevice>>(`/users/${id(userId)}/sip-device`),
    /** The new desk-phone password comes back in this answer only. */
    newPassword: (userId: string) => request<Out<typeof ZSipDeviceSecret>>(`/users/${id(userId)}/sip-device/password`, { method: "POST", body: {} }),
  },
  softphone: {
    /** This session's SIP registration for the console's softphone (its password ends with the session). */
    credentials: () => request<Out<typeof ZSoftphoneCredentials>>("/me/softphone"),
  },
  calls: {
    list: (query: Query<typeof ZCallListQuery>) => request<Page<typeof ZCall>>(`/voice/calls${qs(query)}`),
    /** The CSV of the same records: a link the browser downloads with the session cookie. */
    exportHref: (query: Query<typeof ZCallListQuery>) => `/api/voice/calls/export${qs(query)}`,
  },
  missedCalls: {
    list: (query: Query<typeof ZMissedCallListQuery>) => request<Page<typeof ZMissedCall>>(`/voice/missed-calls${qs(query)}`),
    /** This agent calls the number back: nobody else may meanwhile (CALLBACK_TAKEN). */
    claim: (missedCallId: string) => request<Out<typeof ZMissedCall>>(`/voice/missed-calls/${id(missedCallId)}/claim`, { method: "POST", body: {} }),
    release: (missedCallId: string) => request<Out<typeof ZMissedCall>>(`/voice/missed-calls/${id(missedCallId)}/release`, { method: "POST", body: {} }),
    done: (missedCallId: string, body: In<typeof ZMissedCallDone>) => request<Out<typeof ZMissedCall>>(`/voice/missed-calls/${id(missedCallId)}/done`, { method: "POST", body }),
  },
  /** Voicemail and call-back work this agent holds, and Done with the outcome (frees the voice capacity). */
  callerWork: {
    mine: () => request<Out<typeof ZCallerWork>[]>("/caller-work"),
    done: (workItemId: string, body: In<typeof ZFinishCallerWork>) => request<Out<typeof ZCallerWork>>(`/caller-work/${id(workItemId)}/done`, { method: "POST", body }),
  },
};
