import { z } from "zod";
import { ZChannel, ZId, ZTimestamp } from "./common.ts";
import { TICKET_PRIORITIES, TICKET_STATUSES, TIMELINE_KINDS } from "./timeline.ts";
import { ZCall } from "./voice.ts";

export const ZTicketStatus = z.enum(TICKET_STATUSES);
export const ZTicketPriority = z.enum(TICKET_PRIORITIES);

// ---------------------------------------------------------------- categories

export const ZCategory = z.object({
  id: ZId,
  name: z.string(),
  parentId: ZId.nullable(),
  difficulty: z.number().describe("Difficulty coefficient: performance counts solved tickets × difficulty"),
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
});
export type Category = z.infer<typeof ZCategory>;

const ZDifficulty = z.number().positive().max(999.99).multipleOf(0.01);

export const ZCreateCategory = z.object({
  name: z.string().trim().min(1).max(100),
  parentId: ZId.nullable().default(null),
  difficulty: ZDifficulty.default(1),
});
export const ZUpdateCategory = z
  .object({ name: z.string().trim().min(1).max(100), parentId: ZId.nullable(), difficulty: ZDifficulty })
  .partial();
export const ZCategoryParams = z.object({ categoryId: ZId });

// ---------------------------------------------------------------- custom fields

export const CUSTOM_FIELD_TYPES = ["text", "number", "boolean", "date", "select"] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];
export const CUSTOM_FIELD_ENTITIES = ["ticket", "contact", "company"] as const;
export type CustomFieldEntity = (typeof CUSTOM_FIELD_ENTITIES)[number];

export const ZCustomFieldDefinition = z.object({
  id: ZId,
  entity: z.enum(CUSTOM_FIELD_ENTITIES),
  key: z.string(),
  label: z.string(),
  type: z.enum(CUSTOM_FIELD_TYPES),
  options: z.array(z.string()).describe("Allowed values of a select field"),
  required: z.boolean(),
  createdAt: ZTimestamp,
});
export type CustomFieldDefinition = z.infer<typeof ZCustomFieldDefinition>;

const ZOptions = z.array(z.string().trim().min(1).max(100)).max(200);

export const ZCreateCustomField = z
  .object({
    entity: z.enum(CUSTOM_FIELD_ENTITIES).default("ticket"),
    key: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, "lower-case letters, digits and _, starting with a letter"),
    label: z.string().trim().min(1).max(100),
    type: z.enum(CUSTOM_FIELD_TYPES),
    options: ZOptions.default([]),
    required: z.boolean().default(false),
  })
  .refine((f) => f.type !== "select" || f.options.length > 0, { message: "a select field needs options", path: ["options"] });

export const ZUpdateCustomField = z.object({ label: z.string().trim().min(1).max(100), options: ZOptions, required: z.boolean() }).partial();
export const ZCustomFieldParams = z.object({ customFieldId: ZId });
export const ZCustomFieldListQuery = z.object({ entity: z.enum(CUSTOM_FIELD_ENTITIES).optional() });

/** Values keyed by definition key; null clears a value. Checked against the tenant's definitions. */
export const ZCustomFieldValues = z.record(z.string().max(63), z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]));

// ---------------------------------------------------------------- tickets

const ZNamed = z.object({ id: ZId, name: z.string() });

export const ZTicket = z.object({
  id: ZId,
  number: z.string().describe("PREFIX-YYYYMMDD-NNNN in the tenant's time zone"),
  subject: z.string(),
  status: ZTicketStatus,
  priority: ZTicketPriority,
  sourceChannel: ZChannel.nullable(),
  categoryId: ZId.nullable(),
  contactId: ZId.nullable(),
  companyId: ZId.nullable(),
  queueId: ZId.nullable(),
  assigneeId: ZId.nullable(),
  contactName: z.string().nullable(),
  companyName: z.string().nullable(),
  assigneeName: z.string().nullable(),
  tags: z.array(z.string()),
  customFields: z.record(z.string(), z.unknown()),
  mergedIntoId: ZId.nullable(),
  firstResponseAt: ZTimestamp.nullable(),
  resolvedAt: ZTimestamp.nullable(),
  closedAt: ZTimestamp.nullable(),
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
});
export type Ticket = z.infer<typeof ZTicket>;

export const LINK_KINDS = ["related", "duplicate", "parent", "child"] as const;
export const ZLinkKind = z.enum(LINK_KINDS);
export type LinkKind = (typeof LINK_KINDS)[number];

export const ZTicketLink = z.object({
  ticketId: ZId,
  number: z.string(),
  subject: z.string(),
  status: ZTicketStatus,
  kind: ZLinkKind.describe("What the other ticket is to this one: its parent, its child, a duplicate, related"),
  createdAt: ZTimestamp,
});

export const ZTicketDetail = ZTicket.extend({
  contact: ZNamed.extend({ isVip: z.boolean(), companyId: ZId.nullable() }).nullable(),
  company: ZNamed.extend({ servicePack: z.string().nullable(), serviceExpiresOn: z.string().nullable() }).nullable(),
  category: ZNamed.extend({ difficulty: z.number() }).nullable(),
  queue: ZNamed.nullable(),
  assignee: ZNamed.nullable(),
  links: z.array(ZTicketLink),
  mergedInto: z.object({ id: ZId, number: z.string() }).nullable(),
});
export type TicketDetail = z.infer<typeof ZTicketDetail>;

const ZTag = z.string().trim().min(1).max(50);
const ZSubject = z.string().trim().min(1).max(300);

export const ZCreateTicket = z.object({
  subject: ZSubject,
  priority: ZTicketPriority.default("normal"),
  sourceChannel: ZChannel.nullable().default(null),
  contactId: ZId.nullable().default(null),
  companyId: ZId.nullable().optional().describe("Defaults to the contact's company"),
  categoryId: ZId.nullable().default(null),
  queueId: ZId.nullable().default(null),
  assigneeId: ZId.nullable().default(null),
  tags: z.array(ZTag).max(50).default([]),
  customFields: ZCustomFieldValues.default({}),
  description: z.string().max(20_000).optional().describe("The problem as first reported; kept on the ticket_created entry"),
});

export const ZUpdateTicket = z
  .object({
    subject: ZSubject,
    priority: ZTicketPriority,
    categoryId: ZId.nullable(),
    queueId: ZId.nullable(),
    tags: z.array(ZTag).max(50),
    customFields: ZCustomFieldValues.describe("Merged into the current values; null removes a value"),
  })
  .partial();

/** Statuses given as repeated parameters (?status=new&status=open) or comma-separated. */
const ZStatusFilter = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(",")).map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(ZTicketStatus).max(5));

export const ZTicketListQuery = z.object({
  status: ZStatusFilter.optional().describe("One or more statuses, repeated or comma-separated"),
  assigneeId: z.union([z.literal("me"), z.literal("none"), ZId]).optional(),
  queueId: ZId.optional(),
  contactId: ZId.optional(),
  companyId: ZId.optional(),
  categoryId: ZId.optional(),
  priority: ZTicketPriority.optional(),
  tag: ZTag.optional(),
  q: z.string().trim().max(200).optional().describe("Text in the subject, number, tags or any message of the ticket"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export const ZTicketParams = z.object({ ticketId: ZId });
export const ZTicketLinkParams = z.object({ ticketId: ZId, linkedTicketId: ZId });

export const ZChangeTicketStatus = z.object({ status: ZTicketStatus, reason: z.string().trim().max(1000).optional() });
export const ZAssignTicket = z.object({ assigneeId: ZId.nullable(), note: z.string().trim().max(1000).optional() });
export const ZAddNote = z.object({ body: z.string().trim().min(1).max(20_000) });
export const ZLinkTicket = z.object({ linkedTicketId: ZId, kind: ZLinkKind });
export const ZMergeTicket = z.object({ sourceTicketId: ZId.describe("The ticket folded into this one; it is closed") });

// ---------------------------------------------------------------- timeline

export const ZTimelineAttachment = z.object({ id: ZId, filename: z.string(), contentType: z.string(), sizeBytes: z.number() });

export const ZTimelineMessage = z.object({
  id: ZId,
  channel: ZChannel,
  direction: z.enum(["inbound", "outbound", "internal"]),
  authorType: z.enum(["contact", "user", "bot", "system", "integration"]),
  authorId: ZId.nullable(),
  authorName: z.string().nullable(),
  text: z.string(),
  deliveryState: z.string(),
  attachments: z.array(ZTimelineAttachment),
  createdAt: ZTimestamp,
});

export const ZTimelineItem = z.object({
  id: z.number().int(),
  kind: z.enum(TIMELINE_KINDS),
  occurredAt: ZTimestamp,
  actor: z.object({ type: z.enum(["user", "contact", "system", "integration"]), id: ZId.nullable(), name: z.string().nullable() }),
  conversationId: ZId.nullable(),
  message: ZTimelineMessage.nullable().describe("The message, for entries of kind message"),
  call: ZCall.nullable().describe("The call record as it is now (direction, durations, agent, outcome, recording), for entries of kind call"),
  data: z.record(z.string(), z.unknown()),
});
export type TimelineItem = z.infer<typeof ZTimelineItem>;

export const ZTimelineQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(200).optional(),
});

// ---------------------------------------------------------------- ratings

export const ZRating = z.object({
  id: ZId,
  ticketId: ZId,
  conversationId: ZId.nullable(),
  contactId: ZId.nullable(),
  score: z.number().int().min(1).max(5),
  comment: z.string(),
  channel: ZChannel,
  createdAt: ZTimestamp,
});
export type Rating = z.infer<typeof ZRating>;

export const ZCreateRating = z.object({
  score: z.number().int().min(1).max(5),
  comment: z.string().trim().max(2000).default(""),
  channel: ZChannel,
  conversationId: ZId.nullable().default(null).describe("The interaction rated; one rating per ticket and interaction"),
});
