import type { CallDisposition } from "@yixian/contracts";

/**
 * Every query key of the console, named once. Queries build their keys here, and invalidations
 * and the realtime handlers (live.ts) name what moved with the same functions: a prefix such as
 * `queryKeys.conversations.all` covers every list and detail under it.
 */

export interface InboxFilter {
  assigneeId?: "me";
  queueId?: string;
  state?: "queued" | "active" | "ended";
  contactId?: string | undefined;
  ticketId?: string | undefined;
}

/** The call records' filters as the server takes them (ISO times, ids, part of a number). */
export interface CallFilter {
  from?: string;
  to?: string;
  direction?: "inbound" | "outbound";
  disposition?: CallDisposition;
  agentId?: string;
  queueId?: string;
  number?: string;
}

/** The missed-call list's filters. */
export interface MissedCallFilter {
  queueId?: string;
  state: "open" | "done";
}

export const queryKeys = {
  me: ["me"] as const,
  presence: {
    all: ["presence"] as const,
    mine: () => ["presence", "me"] as const,
    everyone: () => ["presence", "all"] as const,
  },
  offers: { mine: () => ["offers", "mine"] as const },
  queues: ["queues"] as const,
  conversations: {
    all: ["conversations"] as const,
    lists: () => ["conversations", "list"] as const,
    list: (filter: InboxFilter) => ["conversations", "list", filter] as const,
    detail: (id: string) => ["conversations", "detail", id] as const,
  },
  messages: {
    all: ["messages"] as const,
    of: (conversationId: string) => ["messages", conversationId] as const,
  },
  contacts: {
    all: ["contacts"] as const,
    detail: (id: string) => ["contacts", id] as const,
  },
  companies: { pick: (term: string) => ["companies", "pick", term] as const },
  tickets: {
    all: ["tickets"] as const,
    detail: (id: string) => ["tickets", "detail", id] as const,
    sla: (id: string) => ["tickets", "sla", id] as const,
    timeline: (id: string) => ["tickets", "timeline", id] as const,
    ofContact: (contactId: string) => ["tickets", "list", { contactId }] as const,
  },
  categories: ["categories"] as const,
  users: {
    detail: (id: string) => ["users", "detail", id] as const,
    active: () => ["users", "list"] as const,
  },
  search: (q: string) => ["search", q] as const,
  cannedReplies: {
    all: ["canned-replies"] as const,
    search: (q: string) => ["canned-replies", q] as const,
  },
  inbox: { all: ["inbox"] as const, counts: () => ["inbox", "counts"] as const },
  mentions: { all: ["mentions"] as const, unread: () => ["mentions", "unread"] as const },
  widgetConfigs: ["widget-configs"] as const,
  trunks: ["trunks"] as const,
  outboundLimits: ["outbound-limits"] as const,
  sipDevice: (userId: string) => ["sip-device", userId] as const,
  softphone: ["softphone"] as const,
  calls: {
    all: ["calls"] as const,
    list: (filter: CallFilter) => ["calls", "list", filter] as const,
  },
  callerWork: ["caller-work"] as const,
  missedCalls: {
    all: ["missed-calls"] as const,
    list: (filter: MissedCallFilter) => ["missed-calls", "list", filter] as const,
  },
};
