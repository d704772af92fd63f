import type { WallboardSnapshot } from "./metrics.ts";
import type { OfferAck } from "./routing.ts";
import type { AckFailure } from "./errors.ts";

/** Socket.io event maps shared by the server, the console and the widgets. Events are thin:
 * they say what changed; clients refetch over REST. */

export interface TicketChangedEvent {
  id: string;
  number: string;
  updatedAt: string;
  /** Which fields or parts changed, e.g. ["status"], ["timeline"], ["assignee"]. */
  changes: string[];
}

export interface ConversationChangedEvent {
  id: string;
  /** The conversation's channel (a channel's adapter ignores the others' conversations). */
  channel: string;
  ticketId: string | null;
  state: "queued" | "active" | "ended";
  updatedAt: string;
  changes: string[];
}

/**
 * A stored message, told to its conversation's room, its ticket's room, its agent (or its queue
 * while it waits) and the supervisors. It is the one event of a new message: it also stands for
 * the conversation's, the ticket timeline's and the agent's unread counts having moved (no
 * separate conversation:changed, ticket:changed or inbox:changed follows it).
 */
export interface MessageCreatedEvent {
  id: string;
  conversationId: string;
  ticketId: string | null;
  seq: number;
  direction: "inbound" | "outbound" | "internal";
  /** The conversation's channel: which outbound port delivers an outbound message. */
  channel?: string;
  createdAt: string;
}

/** A message's delivery state moved (sent, delivered, read, failed): refetch its conversation's messages. */
export interface MessageDeliveryEvent {
  id: string;
  conversationId: string;
  deliveryState: "received" | "sending" | "sent" | "delivered" | "read" | "failed";
  deliveryError: string | null;
}

export interface CustomerChangedEvent {
  kind: "contact" | "company";
  id: string;
  updatedAt: string;
  changes: string[];
}

export interface OfferEvent {
  offerId: string;
  workItemId: string;
  queueId: string;
  queueName: string;
  media: "voice" | "chat" | "email";
  channel: "phone" | "webchat" | "wechat" | "email" | "portal";
  conversationId: string | null;
  ticketId: string | null;
  contactName: string | null;
  companyName: string | null;
  vip: boolean;
  expiresAt: string;
  /** contact: a live call, chat or e-mail; voicemail / callback: what a caller left in the IVR. */
  kind: "contact" | "voicemail" | "callback";
  /** Voicemail and call-back work: the call it came from (the number to call back, when, the message). */
  /** callbackTries: a call-back's tries nobody answered so far (the offer is for the next); maxTries: its queue's at most. */
  caller: { callId: string; number: string | null; at: string; recordingId: string | null; callbackTries: number; maxTries: number } | null;
}

export interface OfferClosedEvent {
  offerId: string;
  workItemId: string;
  agentId: string;
  /** taken: another agent accepted (grab); expired: not answered in time; cancelled: the customer left. */
  reason?: "taken" | "expired" | "rejected" | "cancelled";
}

export interface PresenceChangedEvent {
  userId: string;
  state: "offline" | "available" | "busy" | "wrap_up" | "away";
  reason: string | null;
  since: string;
  /** The agent's console lost its connection at (reconnecting: offered nothing until it is back or the grace period ends); null while connected. */
  disconnectedAt: string | null;
}

export interface SlaEvent {
  ticketId: string;
  number: string;
  target: "first_response" | "next_response" | "resolution";
  dueAt: string;
}

/** Someone is typing in a conversation: the web chat visitor, or an agent (userId). */
export interface ConversationTypingEvent {
  conversationId: string;
  typing: boolean;
  by: { type: "visitor" } | { type: "user"; userId: string; name: string };
}

/** The agent's inbox badges changed (unread, mentions, transfers): refetch GET /inbox/counts. */
export interface InboxChangedEvent {
  reason: "message" | "read" | "mention" | "transfer";
  conversationId: string | null;
  at: string;
}

/** Someone mentioned the agent in an internal note of a conversation or ticket. */
export interface MentionEvent {
  mentionId: string;
  authorId: string | null;
  authorName: string | null;
  conversationId: string | null;
  ticketId: string | null;
  excerpt: string;
  createdAt: string;
}

/** A missed call or call-back request was listed, folded in again, claimed or done: refetch the missed-call list. */
export interface MissedCallChangedEvent {
  id: string;
  queueId: string | null;
  state: "open" | "claimed" | "done";
  attempts: number;
  updatedAt: string;
}

export interface ServerToClientEvents {
  "ticket:changed": (e: TicketChangedEvent) => void;
  "conversation:changed": (e: ConversationChangedEvent) => void;
  "message:created": (e: MessageCreatedEvent) => void;
  /** To the message's audience, as message:created. */
  "message:delivery": (e: MessageDeliveryEvent) => void;
  "customer:changed": (e: CustomerChangedEvent) => void;
  "offer:new": (e: OfferEvent) => void;
  "offer:withdrawn": (e: OfferClosedEvent) => void;
  "offer:accepted": (e: OfferClosedEvent) => void;
  "presence:changed": (e: PresenceChangedEvent) => void;
  "sla:warning": (e: SlaEvent) => void;
  "sla:breached": (e: SlaEvent) => void;
  /** Live queue metrics, within a second of a change, to queue and wallboard rooms. */
  "wallboard:update": (e: WallboardSnapshot) => void;
  /** Typing indicator, to the conversation's room (not stored, not through the outbox). */
  "conversation:typing": (e: ConversationTypingEvent) => void;
  /** To the agent's room. */
  "inbox:changed": (e: InboxChangedEvent) => void;
  /** To the mentioned agent's room. */
  "mention:new": (e: MentionEvent) => void;
  /** To the queue's agents and the supervisors. */
  "missed-call:changed": (e: MissedCallChangedEvent) => void;
  /** The socket's session ended (signed out, user disabled, password changed); the server disconnects it next. */
  "session:revoked": (e: { reason: SessionRevokedReason }) => void;
  /** A trunk was saved or deleted, or its registration to the provider changed state: the trunks page refetches. */
  "trunk:changed": (e: { id: string; at: string }) => void;
}

export const SESSION_REVOKED_REASONS = ["signed_out", "deactivated", "password_changed"] as const;
export type SessionRevokedReason = (typeof SESSION_REVOKED_REASONS)[number];

export type ServerEventName = keyof ServerToClientEvents;
export type ServerEventPayload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];

export type Ack = { ok: true } | AckFailure;

export interface ClientToServerEvents {
  /** Join a ticket's room to hear about it; refused unless the ticket is in your tenant. */
  "ticket:subscribe": (ticketId: string, ack: (res: Ack) => void) => void;
  "ticket:unsubscribe": (ticketId: string, ack: (res: Ack) => void) => void;
  "conversation:subscribe": (conversationId: string, ack: (res: Ack) => void) => void;
  /** Answer an offer (acknowledged like the REST answer, same permission). */
  "offer:accept": (offerId: string, ack: (res: OfferAck) => void) => void;
  "offer:reject": (offerId: string, ack: (res: OfferAck) => void) => void;
  /** The agent is typing (or stopped) in a conversation of the tenant; the web chat visitor sees it. */
  "conversation:typing": (e: { conversationId: string; typing: boolean }) => void;
}

/** Room names: everything a client can be in. */
export const rooms = {
  tenant: (id: string) => `tenant:${id}`,
  agent: (userId: string) => `agent:${userId}`,
  queue: (queueId: string) => `queue:${queueId}`,
  ticket: (ticketId: string) => `ticket:${ticketId}`,
  conversation: (conversationId: string) => `conversation:${conversationId}`,
  wallboard: (tenantId: string) => `wallboard:${tenantId}`,
  /** Supervisors' consoles: they watch every conversation of the tenant live. */
  supervisors: (tenantId: string) => `supervisors:${tenantId}`,
  /** Every socket opened with one session (main and wallboard namespaces): revoking it disconnects them. */
  session: (sessionId: string) => `session:${sessionId}`,
};
