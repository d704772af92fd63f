import { infiniteQueryOptions, queryOptions, type QueryClient } from "@tanstack/react-query";
import { ApiError } from "./api.ts";
import { api } from "./client.ts";
import { queryKeys, type CallFilter, type InboxFilter, type MissedCallFilter } from "./keys.ts";
import type { Me } from "./types.ts";

export type { InboxFilter } from "./keys.ts";

/** Call records a page. */
const CALL_PAGE = 50;

/** Query factories: each key from keys.ts with the client call that fills it. */
export const queries = {
  /** null when nobody is signed in (or the session is over). */
  me: () => queryOptions({ queryKey: queryKeys.me, queryFn: fetchMe, retry: false, staleTime: 60_000 }),
  myPresence: () => queryOptions({ queryKey: queryKeys.presence.mine(), queryFn: api.presence.mine }),
  presence: () => queryOptions({ queryKey: queryKeys.presence.everyone(), queryFn: api.presence.all }),
  myOffers: () => queryOptions({ queryKey: queryKeys.offers.mine(), queryFn: api.offers.mine }),
  queues: () => queryOptions({ queryKey: queryKeys.queues, queryFn: api.queues.list, staleTime: 60_000 }),
  conversations: (filter: InboxFilter) => queryOptions({ queryKey: queryKeys.conversations.list(filter), queryFn: () => api.conversations.list({ ...filter, limit: 100 }) }),
  conversation: (id: string) => queryOptions({ queryKey: queryKeys.conversations.detail(id), queryFn: () => api.conversations.get(id) }),
  messages: (id: string) => queryOptions({ queryKey: queryKeys.messages.of(id), queryFn: () => api.conversations.messages(id, 500) }),
  contact: (id: string) => queryOptions({ queryKey: queryKeys.contacts.detail(id), queryFn: () => api.contacts.get(id) }),
  ticket: (id: string) => queryOptions({ queryKey: queryKeys.tickets.detail(id), queryFn: () => api.tickets.get(id) }),
  ticketSla: (id: string) => queryOptions({ queryKey: queryKeys.tickets.sla(id), queryFn: () => api.tickets.sla(id) }),
  ticketTimeline: (id: string) => queryOptions({ queryKey: queryKeys.tickets.timeline(id), queryFn: () => api.tickets.timeline(id, 500) }),
  categories: () => queryOptions({ queryKey: queryKeys.categories, queryFn: api.categories.list, staleTime: 300_000 }),
  user: (id: string) => queryOptions({ queryKey: queryKeys.users.detail(id), queryFn: () => api.users.get(id), staleTime: 300_000 }),
  users: () => queryOptions({ queryKey: queryKeys.users.active(), queryFn: () => api.users.list({ active: "true" }), staleTime: 60_000 }),
  search: (q: string) => queryOptions({ queryKey: queryKeys.search(q), queryFn: () => api.search({ q, limit: 20 }), staleTime: 5_000 }),
  cannedReplies: (q: string) => queryOptions({ queryKey: queryKeys.cannedReplies.search(q), queryFn: () => api.cannedReplies.list({ q: q || undefined, limit: 20 }), staleTime: 10_000 }),
  inboxCounts: () => queryOptions({ queryKey: queryKeys.inbox.counts(), queryFn: api.inbox.counts }),
  mentions: () => queryOptions({ queryKey: queryKeys.mentions.unread(), queryFn: api.mentions.unread }),
  contactTickets: (contactId: string) => queryOptions({ queryKey: queryKeys.tickets.ofContact(contactId), queryFn: () => api.tickets.list({ contactId, limit: 50 }) }),
  companies: (term: string) => queryOptions({ queryKey: queryKeys.companies.pick(term), queryFn: () => api.companies.list({ q: term, limit: 8 }) }),
  widgetConfigs: () => queryOptions({ queryKey: queryKeys.widgetConfigs, queryFn: api.widgetConfigs.list }),
  trunks: () => queryOptions({ queryKey: queryKeys.trunks, queryFn: api.trunks.list }),
  outboundLimits: () => queryOptions({ queryKey: queryKeys.outboundLimits, queryFn: api.outboundLimits.get }),
  /** Fetched once a session: the password is the session's. */
  softphone: () => queryOptions({ queryKey: queryKeys.softphone, queryFn: api.softphone.credentials, staleTime: Infinity }),
  sipDevice: (userId: string) => queryOptions({ queryKey: queryKeys.sipDevice(userId), queryFn: () => api.sipDevices.get(userId) }),
  /** Newest first, a page at a time ("load more" follows nextCursor). */
  calls: (filter: CallFilter) =>
    infiniteQueryOptions({
      queryKey: queryKeys.calls.list(filter),
      queryFn: ({ pageParam }) => api.calls.list({ ...filter, limit: CALL_PAGE, cursor: pageParam }),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (last) => last.nextCursor ?? undefined,
    }),
  /** Open ones by their latest attempt, or those called back; the first 100 (the list is worked down as it grows). */
  callerWork: () => queryOptions({ queryKey: queryKeys.callerWork, queryFn: api.callerWork.mine }),
  missedCalls: (filter: MissedCallFilter) => queryOptions({ queryKey: queryKeys.missedCalls.list(filter), queryFn: () => api.missedCalls.list({ ...filter, limit: 100 }) }),
};


async function fetchMe(): Promise<Me | null> {
  try {
    return await api.auth.me();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

/** Nobody is signed in any more: the page shows sign-in, and nothing of the last user stays cached.
 * `me` is set (not removed) so that the observer watching it sees the change. */
export function signedOut(client: QueryClient): void {
  client.setQueryData(queries.me().queryKey, null);
  client.removeQueries({ predicate: (q) => q.queryKey[0] !== queryKeys.me[0] });
}
