import { queryOptions, type QueryClient } from "@tanstack/react-query";
import type { CannedReply, InboxCounts, Mention, Contact, Conversation, SearchHit, ConversationDetail, Message, OfferEvent, Page, Presence, Ticket, TicketDetail, TicketSla, TimelineItem, User } from "@yixian/contracts";
import { ApiError, get, qs, request } from "./api.ts";
import type { Me } from "./types.ts";

/** Query factories: one place names every key, so socket events can invalidate precisely. */

export interface InboxFilter {
  assigneeId?: "me";
  queueId?: string;
  state?: "queued" | "active" | "ended";
  contactId?: string | undefined;
  ticketId?: string | undefined;
}

export const queries = {
  /** null when nobody is signed in (or the session is over). */
  me: () => queryOptions({ queryKey: ["me"], queryFn: fetchMe, retry: false, staleTime: 60_000 }),
  myPresence: () => queryOptions({ queryKey: ["presence", "me"], queryFn: () => get<Presence>("/presence/me") }),
  presence: () => queryOptions({ queryKey: ["presence", "all"], queryFn: () => get<Presence[]>("/presence") }),
  myOffers: () => queryOptions({ queryKey: ["offers", "mine"], queryFn: () => get<OfferEvent[]>("/offers/mine") }),
  queues: () => queryOptions({ queryKey: ["queues"], queryFn: () => get<{ id: string; name: string; memberIds: string[] }[]>("/queues"), staleTime: 60_000 }),
  conversations: (filter: InboxFilter) =>
    queryOptions({ queryKey: ["conversations", "list", filter], queryFn: () => get<Page<Conversation>>(`/conversations${qs({ ...filter, limit: 100 })}`) }),
  conversation: (id: string) => queryOptions({ queryKey: ["conversations", "detail", id], queryFn: () => get<ConversationDetail>(`/conversations/${id}`) }),
  messages: (id: string) =>
    queryOptions({ queryKey: ["messages", id], queryFn: () => get<{ items: Message[]; nextAfterSeq: number | null }>(`/conversations/${id}/messages?limit=500`) }),
  contact: (id: string) => queryOptions({ queryKey: ["contacts", id], queryFn: () => get<Contact>(`/contacts/${id}`) }),
  ticket: (id: string) => queryOptions({ queryKey: ["tickets", "detail", id], queryFn: () => get<TicketDetail>(`/tickets/${id}`) }),
  ticketSla: (id: string) => queryOptions({ queryKey: ["tickets", "sla", id], queryFn: () => get<TicketSla>(`/tickets/${id}/sla`) }),
  ticketTimeline: (id: string) =>
    queryOptions({ queryKey: ["tickets", "timeline", id], queryFn: () => get<Page<TimelineItem>>(`/tickets/${id}/timeline?limit=500`) }),
  categories: () => queryOptions({ queryKey: ["categories"], queryFn: () => get<{ id: string; name: string; parentId: string | null }[]>("/categories"), staleTime: 300_000 }),
  user: (id: string) => queryOptions({ queryKey: ["users", "detail", id], queryFn: () => get<User>(`/users/${id}`), staleTime: 300_000 }),
  users: () => queryOptions({ queryKey: ["users", "list"], queryFn: () => get<User[]>("/users?active=true"), staleTime: 60_000 }),
  search: (q: string) => queryOptions({ queryKey: ["search", q], queryFn: () => get<{ items: SearchHit[] }>(`/search${qs({ q, limit: 20 })}`), staleTime: 5_000 }),
  cannedReplies: (q: string) => queryOptions({ queryKey: ["canned-replies", q], queryFn: () => get<CannedReply[]>(`/canned-replies${qs({ q, limit: 20 })}`), staleTime: 10_000 }),
  inboxCounts: () => queryOptions({ queryKey: ["inbox", "counts"], queryFn: () => get<InboxCounts>("/inbox/counts") }),
  mentions: () => queryOptions({ queryKey: ["mentions", "unread"], queryFn: () => get<Mention[]>("/mentions?unread=true") }),
  contactTickets: (contactId: string) => queryOptions({ queryKey: ["tickets", "list", { contactId }], queryFn: () => get<Page<Ticket>>(`/tickets${qs({ contactId, limit: 50 })}`) }),
};

async function fetchMe(): Promise<Me | null> {
  try {
    return await request<Me>("/auth/me", { anonymous: true });
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

/** Nobody is signed in any more: the page shows sign-in, and nothing of the last user stays cached.
 * `me` is set (not removed) so that the observer watching it sees the change. */
export function signedOut(client: QueryClient): void {
  client.setQueryData(queries.me().queryKey, null);
  client.removeQueries({ predicate: (q) => q.queryKey[0] !== "me" });
}
