import { z } from "zod";
import { ZChannel, ZId, ZTimestamp } from "./common.ts";
import { ZIdentityKind } from "./customers.ts";
import { TICKET_PRIORITIES, TICKET_STATUSES } from "./timeline.ts";

// ---------------------------------------------------------------- conversations

export const CONVERSATION_STATES = ["queued", "active", "ended"] as const;
export const ZConversationState = z.enum(CONVERSATION_STATES);
export type ConversationState = (typeof CONVERSATION_STATES)[number];

export const PARTICIPANT_KINDS = ["customer", "agent", "bot", "observer"] as const;

export const ZConversation = z.object({
  id: ZId,
  channel: ZChannel,
  state: ZConversationState,
  subject: z.string(),
  contactId: ZId.nullable(),
  identityId: ZId.nullable(),
  ticketId: ZId.nullable().describe("The one ticket this conversation belongs to; null until accepted unless the contact had an open ticket"),
  queueId: ZId.nullable(),
  assigneeId: ZId.nullable(),
  externalRef: z.string().nullable(),
  lastSeq: z.number().int().describe("The seq of the newest message"),
  startedAt: ZTimestamp,
  acceptedAt: ZTimestamp.nullable(),
  endedAt: ZTimestamp.nullable(),
  lastMessageAt: ZTimestamp.nullable(),
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
});
export type Conversation = z.infer<typeof ZConversation>;

/** The phone call a conversation on channel `phone` is: which way, and the other party's number. */
export const ZConversationCall = z
  .object({
    direction: z.enum(["inbound", "outbound"]),
    number: z.string().nullable().describe("The caller's number (inbound) or the number dialled (outbound); null when withheld"),
  })
  .nullable()
  .describe("The call, for a phone conversation; null for other channels");

/** A row of `GET /conversations`: enough to tell several chats apart without a subject. */
export const ZConversationListItem = ZConversation.extend({
  contact: z
    .object({ name: z.string(), anonymous: z.boolean().describe("An unidentified web-chat visitor (named 访客 1234)") })
    .nullable()
    .describe("Who the customer is, as the contact is now named"),
  firstMessage: z.string().nullable().describe("The customer's first message, up to 120 characters"),
  call: ZConversationCall,
});
export type ConversationListItem = z.infer<typeof ZConversationListItem>;

export const ZConversationParticipant = z.object({
  id: ZId,
  kind: z.enum(PARTICIPANT_KINDS),
  userId: ZId.nullable(),
  contactId: ZId.nullable(),
  name: z.string().nullable(),
  joinedAt: ZTimestamp,
  leftAt: ZTimestamp.nullable(),
});

export const ZConversationDetail = ZConversation.extend({
  participants: z.array(ZConversationParticipant),
  call: ZConversationCall,
  contact: z
    .object({ id: ZId, name: z.string(), isVip: z.boolean(), companyId: ZId.nullable(), companyName: z.string().nullable() })
    .nullable(),
  ticket: z
    .object({
      id: ZId,
      number: z.string(),
      subject: z.string(),
      status: z.enum(TICKET_STATUSES),
      priority: z.enum(TICKET_PRIORITIES),
      assigneeId: ZId.nullable(),
    })
    .nullable(),
});
export type ConversationDetail = z.infer<typeof ZConversationDetail>;

export const ZCreateConversation = z
  .object({
    channel: ZChannel,
    contactId: ZId.optional().describe("The customer, when known"),
    identity: z
      .object({ kind: ZIdentityKind, value: z.string().trim().min(1).max(320) })
      .optional()
      .describe("How the customer reached us; finds their contact, or creates one"),
    subject: z.string().trim().max(300).default(""),
    queueId: ZId.nullable().default(null),
    externalRef: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe("The channel's own id (call id, chat session id); unique per channel, a repeat returns the existing conversation"),
    entryPoint: z.string().trim().min(1).max(200).optional().describe("The DID, official account, mailbox or widget key it came in on (navigation rules match on it)"),
    menuChoice: z.string().trim().min(1).max(50).optional().describe("The IVR or chat-menu choice the customer made"),
    language: z.string().trim().min(2).max(20).optional().describe("The customer's language, e.g. zh-CN or en"),
  })
  .refine((c) => !(c.contactId && c.identity), "give contactId or identity, not both");
export type CreateConversation = z.infer<typeof ZCreateConversation>;

export const ZConversationListQuery = z.object({
  state: ZConversationState.optional(),
  channel: ZChannel.optional(),
  contactId: ZId.optional(),
  ticketId: ZId.optional(),
  assigneeId: z.union([z.literal("me"), ZId]).optional(),
  queueId: ZId.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type ConversationListQuery = z.infer<typeof ZConversationListQuery>;

export const ZConversationParams = z.object({ conversationId: ZId });

export const ZDetachConversation = z.object({
  subject: z.string().trim().min(1).max(300).optional().describe("Subject of the new ticket; defaults to the conversation's"),
});
export const ZLinkConversation = z.object({ ticketId: ZId.describe("An open ticket of the same contact") });
export const ZEndConversation = z.object({
  wrapUp: z.string().trim().min(1).max(20_000).optional().describe("Wrap-up summary, kept as an internal note"),
});

// ---------------------------------------------------------------- attachments

export const ZAttachment = z.object({
  id: ZId,
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int().describe("Bytes"),
  sha256: z.string(),
  url: z.string().describe("Where to download it (same session)"),
  messageId: ZId.nullable(),
  ticketId: ZId.nullable(),
  createdAt: ZTimestamp,
});
export type Attachment = z.infer<typeof ZAttachment>;

export const ZAttachmentParams = z.object({ attachmentId: ZId });

// ---------------------------------------------------------------- messages

export const MESSAGE_DIRECTIONS = ["inbound", "outbound", "internal"] as const;
export type MessageDirection = (typeof MESSAGE_DIRECTIONS)[number];
export const AUTHOR_TYPES = ["contact", "user", "bot", "system", "integration"] as const;
export type AuthorType = (typeof AUTHOR_TYPES)[number];
/** received: a customer's message; an outbound message goes sending → sent → delivered → read, or failed (with its reason). */
export const DELIVERY_STATES = ["received", "sending", "sent", "delivered", "read", "failed"] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export const ZMessage = z.object({
  id: ZId,
  conversationId: ZId,
  ticketId: ZId.nullable(),
  channel: ZChannel,
  seq: z.number().int().describe("1, 2, 3 … within the conversation"),
  direction: z.enum(MESSAGE_DIRECTIONS),
  authorType: z.enum(AUTHOR_TYPES),
  authorId: ZId.nullable(),
  text: z.string(),
  rich: z.record(z.string(), z.unknown()).nullable(),
  deliveryState: z.enum(DELIVERY_STATES),
  deliveryError: z.string().nullable().describe("Why the channel could not deliver it (deliveryState failed)"),
  externalId: z.string().nullable(),
  clientId: z.string().nullable(),
  attachments: z.array(ZAttachment),
  createdAt: ZTimestamp,
});
export type Message = z.infer<typeof ZMessage>;

export const ZPostMessage = z
  .object({
    text: z.string().max(20_000).default(""),
    rich: z.record(z.string(), z.unknown()).optional().describe("Rich text document, as the console's editor produces it"),
    attachmentIds: z.array(ZId).max(20).default([]),
    clientId: z.string().trim().min(1).max(100).optional().describe("Chosen by the sender; a retry with the same clientId is stored once"),
    externalId: z.string().trim().min(1).max(200).optional().describe("The channel's message id; unique per channel"),
    direction: z.enum(["outbound", "internal"]).default("outbound").describe("outbound: a reply to the customer; internal: a note for colleagues"),
  })
  .refine((m) => m.text.trim().length > 0 || m.attachmentIds.length > 0, "a message needs text or an attachment");
export type PostMessage = z.infer<typeof ZPostMessage>;

export const ZMessageListQuery = z.object({
  afterSeq: z.coerce.number().int().min(0).default(0).describe("Only messages with a greater seq (resync from the last one seen)"),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const ZMessageList = z.object({
  items: z.array(ZMessage),
  nextAfterSeq: z.number().int().nullable().describe("Pass as afterSeq for the next page; null when there is no more"),
});

// ---------------------------------------------------------------- search

export const SEARCH_TYPES = ["tickets", "contacts", "companies", "messages"] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

export const ZSearchQuery = z.object({
  q: z.string().trim().min(1).max(200),
  types: z
    .string()
    .max(100)
    .optional()
    .transform((v) => (v ? [...new Set(v.split(",").map((s) => s.trim()).filter(Boolean))] : [...SEARCH_TYPES]))
    .pipe(z.array(z.enum(SEARCH_TYPES)).min(1))
    .describe("Comma-separated: tickets,contacts,companies,messages (default all)"),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type SearchQuery = z.infer<typeof ZSearchQuery>;

export const ZSearchHit = z.object({
  type: z.enum(["ticket", "contact", "company", "message"]),
  id: ZId,
  title: z.string(),
  snippet: z.string(),
  rank: z.number(),
  ticketId: ZId.nullable(),
  conversationId: ZId.nullable(),
  contactId: ZId.nullable(),
  companyId: ZId.nullable(),
  at: ZTimestamp.describe("When the record was created (messages) or last changed"),
});
export type SearchHit = z.infer<typeof ZSearchHit>;

export const ZSearchResults = z.object({ items: z.array(ZSearchHit) });

// Who the customer of a conversation is (identify an unknown visitor, or create their contact)
export const ZNewConversationContact = z.object({
  name: z.string().trim().min(1).max(100),
  phone: z.string().trim().min(1).max(64).optional().describe("Normalised like every phone (138… and +86 138… are the same)"),
  email: z.string().trim().min(1).max(320).optional(),
  companyId: ZId.nullable().optional().describe("Omitted: the visitor's company stays (a verification code may have set it)"),
  title: z.string().trim().max(100).optional(),
  notes: z.string().max(5000).optional(),
});
export type NewConversationContact = z.infer<typeof ZNewConversationContact>;

export const ZSetConversationContact = z.union([
  z.object({ contactId: ZId.describe("Identify: the customer is this known contact; an anonymous visitor contact is merged into it") }).strict(),
  z.object({ create: ZNewConversationContact.describe("Create: the anonymous visitor contact becomes this named contact (a new contact when there is none)") }).strict(),
]);
export type SetConversationContact = z.infer<typeof ZSetConversationContact>;
