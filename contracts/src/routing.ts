import { z } from "zod";
import { ZChannel, ZId, ZTimestamp } from "./common.ts";
import { ZServicePack, ZServiceStatus } from "./customers.ts";
import { ZRole } from "./roles.ts";
import { ZCreateQueue, ZQueue, ZUpdateQueue } from "./users.ts";
import type { AckFailure } from "./errors.ts";

// ---------------------------------------------------------------- shared vocabulary

/** What an agent's capacity is counted in: calls, chats (web chat, WeChat), e-mails (and portal tickets). */
export const MEDIA = ["voice", "chat", "email"] as const;
export const ZMedia = z.enum(MEDIA);
export type Media = (typeof MEDIA)[number];

export const AGENT_STATES = ["offline", "available", "busy", "wrap_up", "away"] as const;
export const ZAgentState = z.enum(AGENT_STATES);
export type AgentState = (typeof AGENT_STATES)[number];

export const QUEUE_STRATEGIES = ["least_busy", "round_robin", "longest_idle", "broadcast"] as const;
export const ZQueueStrategy = z.enum(QUEUE_STRATEGIES);

export const OVERFLOW_ACTIONS = ["none", "queue", "voicemail", "ticket"] as const;
export const ZOverflowAction = z.enum(OVERFLOW_ACTIONS);
export type OverflowAction = (typeof OVERFLOW_ACTIONS)[number];

export const WORK_ITEM_STATES = ["waiting", "offered", "assigned", "completed", "abandoned", "overflowed", "cancelled"] as const;
export const ZWorkItemState = z.enum(WORK_ITEM_STATES);
export type WorkItemState = (typeof WORK_ITEM_STATES)[number];

/** What a work item is: a live contact (call, chat, e-mail), or a caller's voicemail or call-back request kept on their ticket. */
export const WORK_KINDS = ["contact", "voicemail", "callback"] as const;
export const ZWorkKind = z.enum(WORK_KINDS);
export type WorkKind = (typeof WORK_KINDS)[number];

export const OFFER_STATES = ["pending", "accepted", "rejected", "expired", "withdrawn"] as const;
export const ZOfferState = z.enum(OFFER_STATES);
export type OfferState = (typeof OFFER_STATES)[number];

export const ZCapacity = z.object({
  voice: z.number().int().min(0).max(10),
  chat: z.number().int().min(0).max(50),
  email: z.number().int().min(0).max(200),
});
export type Capacity = z.infer<typeof ZCapacity>;

// ---------------------------------------------------------------- queue configuration

export const ZQueueSkill = z.object({ skillId: ZId, minLevel: z.number().int().min(1).max(10) });

const routingFields = {
  strategy: ZQueueStrategy.describe("least_busy (负载), round_robin (轮流), longest_idle, broadcast (抢单)"),
  stickySeconds: z.number().int().min(0).max(3600).describe("Returning-customer priority: how long an item waits for the agent who last served the customer (0 = off)"),
  vipFirst: z.boolean().describe("VIP items jump ahead and go to VIP agents first"),
  requiredSkills: z.array(ZQueueSkill).max(20).describe("Skills an agent needs, at least at the given level"),
  priority: z.number().int().min(-100).max(100).describe("Added to every item's priority in this queue"),
  calendarId: ZId.nullable().describe("Business hours; closed → the overflow action. Null: always open"),
  maxWaitSeconds: z.number().int().min(1).max(86_400).nullable().describe("Waiting longer → the overflow action"),
  maxLength: z.number().int().min(1).max(100_000).nullable().describe("Items waiting at most; a new one beyond → the overflow action"),
  overflowAction: ZOverflowAction.describe("queue: move to overflowQueueId; voicemail: leave a message; ticket: handle as a ticket later"),
  overflowQueueId: ZId.nullable(),
  wrapUpSeconds: z.number().int().min(0).max(3600).describe("After-work time once an item completes"),
  offerTimeoutSeconds: z.number().int().min(1).max(600).describe("An offer not answered in this time expires and the item is re-routed"),
  serviceLevelSeconds: z.number().int().min(1).max(3600).describe("Service level: answered within T seconds"),
  maxMissedOffers: z.number().int().min(0).max(100).describe("Expired offers in a row before the agent is set away (0 = never)"),
  callbackRetryMinutes: z.number().int().min(0).max(1440).describe("A call-back marked \"no answer\" is offered again after this many minutes (its place in the queue kept)"),
  callbackMaxTries: z.number().int().min(1).max(10).describe("Tries of a call-back; the last one unanswered finishes it as not reached"),
};

/** A queue's routing configuration. */
export const ZQueueRouting = z.object(routingFields);
export type QueueRouting = z.infer<typeof ZQueueRouting>;
/** Any part of it; with overflowAction "queue" an overflowQueueId is required. */
export const ZUpdateQueueRouting = ZQueueRouting.partial();
export type UpdateQueueRouting = z.infer<typeof ZUpdateQueueRouting>;

/** A queue with its members and routing configuration. */
export const ZQueueDetail = ZQueue.extend(routingFields);
export type QueueDetail = z.infer<typeof ZQueueDetail>;
export const ZCreateQueueDetail = ZCreateQueue.extend(ZUpdateQueueRouting.shape);
export const ZUpdateQueueDetail = ZUpdateQueue.extend(ZUpdateQueueRouting.shape);

// ---------------------------------------------------------------- navigation rules

/** Every condition given must hold; a list matches when the contact's value is in it. */
export const ZRuleConditions = z
  .object({
    channels: z.array(ZChannel).min(1).optional(),
    entryPoints: z.array(z.string().trim().min(1).max(200)).min(1).max(100).optional().describe("The DID, official account, mailbox or widget key the contact came in on"),
    identified: z.boolean().optional().describe("The customer is a known contact"),
    serviceStatuses: z.array(ZServiceStatus).min(1).optional().describe("Service pack status of the contact's company"),
    servicePacks: z.array(ZServicePack).min(1).optional(),
    vip: z.boolean().optional(),
    customerGroupIds: z.array(ZId).min(1).max(100).optional(),
    languages: z.array(z.string().trim().min(2).max(20)).min(1).optional(),
    menuChoices: z.array(z.string().trim().min(1).max(50)).min(1).optional().describe("IVR or chat-menu choice, e.g. \"2\""),
    calendar: z.object({ calendarId: ZId, open: z.boolean() }).optional().describe("Time of day: the calendar is open (or closed)"),
  })
  .strict();
export type RuleConditions = z.infer<typeof ZRuleConditions>;

export const ZRuleAction = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("queue"),
    queueId: ZId,
    priorityBoost: z.number().int().min(-100).max(100).default(0),
  }),
  z.object({
    type: z.literal("message"),
    text: z.string().trim().min(1).max(2000).describe("Answered to the customer instead of queueing (e.g. a renewal notice); the channel shows it"),
  }),
]);
export type RuleAction = z.infer<typeof ZRuleAction>;

export const ZRoutingRule = z.object({
  id: ZId,
  name: z.string(),
  position: z.number().int(),
  enabled: z.boolean(),
  conditions: ZRuleConditions,
  action: ZRuleAction,
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
});
export type RoutingRule = z.infer<typeof ZRoutingRule>;

export const ZCreateRoutingRule = z.object({
  name: z.string().trim().min(1).max(200),
  enabled: z.boolean().default(true),
  conditions: ZRuleConditions.default({}),
  action: ZRuleAction,
  position: z.number().int().min(1).optional().describe("1 is evaluated first; the end of the list when omitted"),
});
export const ZUpdateRoutingRule = z
  .object({ name: z.string().trim().min(1).max(200), enabled: z.boolean(), conditions: ZRuleConditions, action: ZRuleAction })
  .partial();
export const ZReorderRoutingRules = z.object({
  routingRuleIds: z.array(ZId).max(1000).describe("Every rule of the tenant, in the new order"),
});
export const ZRoutingRuleParams = z.object({ routingRuleId: ZId });

/** A contact as the rules see it. */
export const ZRoutingFacts = z.object({
  channel: ZChannel,
  entryPoint: z.string().nullable(),
  identified: z.boolean(),
  serviceStatus: ZServiceStatus,
  servicePack: ZServicePack.nullable(),
  vip: z.boolean(),
  customerGroupId: ZId.nullable(),
  language: z.string().nullable(),
  menuChoice: z.string().nullable(),
  at: ZTimestamp,
});
export type RoutingFacts = z.infer<typeof ZRoutingFacts>;

export const ZRoutingTest = z.object({
  channel: ZChannel,
  entryPoint: z.string().trim().min(1).max(200).optional(),
  menuChoice: z.string().trim().min(1).max(50).optional(),
  language: z.string().trim().min(2).max(20).optional(),
  contactId: ZId.optional().describe("A known contact: VIP, group, service pack and language come from their record"),
  customer: z
    .object({
      identified: z.boolean(),
      vip: z.boolean(),
      servicePack: ZServicePack.nullable(),
      serviceStatus: ZServiceStatus,
      customerGroupId: ZId.nullable(),
    })
    .partial()
    .optional()
    .describe("Describe a customer directly (overrides what the contact's record says)"),
  at: z.iso.datetime().optional().describe("When the contact arrives; now when omitted"),
});
export type RoutingTest = z.infer<typeof ZRoutingTest>;

export const ZConditionCheck = z.object({
  condition: z.string(),
  expected: z.unknown(),
  actual: z.unknown(),
  ok: z.boolean(),
});
export const ZRuleVerdict = z.object({
  ruleId: ZId,
  name: z.string(),
  position: z.number().int(),
  outcome: z.enum(["matched", "not_matched", "disabled", "not_reached"]),
  checks: z.array(ZConditionCheck),
});
export const ZRoutingTestResult = z.object({
  matched: z.object({ ruleId: ZId, name: z.string(), position: z.number().int() }).nullable(),
  action: ZRuleAction.nullable(),
  explanation: z.string(),
  facts: ZRoutingFacts,
  rules: z.array(ZRuleVerdict),
});
export type RoutingTestResult = z.infer<typeof ZRoutingTestResult>;

// ---------------------------------------------------------------- presence

export const ZPresence = z.object({
  userId: ZId,
  name: z.string(),
  role: ZRole,
  state: ZAgentState,
  reason: z.string().nullable(),
  since: ZTimestamp,
  capacity: ZCapacity,
  load: ZCapacity.describe("Items held now, per medium"),
  pending: ZCapacity.describe("Offers waiting for an answer, per medium"),
  missedOffers: z.number().int(),
  wrapUpUntil: ZTimestamp.nullable(),
  disconnectedAt: ZTimestamp.nullable().describe(
    "The agent's console lost its connection at: reconnecting, offered nothing, until it is back or the grace period ends (then offline); null while connected",
  ),
  queueIds: z.array(ZId),
  phoneRegistered: z.boolean().describe("One of the agent's SIP devices (console softphone or desk phone) is registered now; without one the agent is offered no calls"),
});
export type Presence = z.infer<typeof ZPresence>;

export const ZSetPresence = z.object({
  state: z.enum(["available", "away", "offline"]).describe("busy and wrap-up follow from the work an agent holds"),
  reason: z.string().trim().min(1).max(100).optional().describe("Reason code for away, e.g. lunch, training"),
});
export type SetPresence = z.infer<typeof ZSetPresence>;
export const ZSetCapacity = ZCapacity.partial();
export const ZPresenceQuery = z.object({ queueId: ZId.optional(), state: ZAgentState.optional() });
export const ZUserParams = z.object({ userId: ZId });

// ---------------------------------------------------------------- work items and offers

export const ZWorkItem = z.object({
  id: ZId,
  queueId: ZId,
  media: ZMedia,
  channel: ZChannel,
  conversationId: ZId.nullable(),
  ticketId: ZId.nullable(),
  contactId: ZId.nullable(),
  priority: z.number().int(),
  vip: z.boolean(),
  language: z.string().nullable(),
  preferredAgentId: ZId.nullable(),
  state: ZWorkItemState,
  enqueuedAt: ZTimestamp,
  offeredAt: ZTimestamp.nullable(),
  assignedTo: ZId.nullable(),
  assignedAt: ZTimestamp.nullable(),
  completedAt: ZTimestamp.nullable(),
  abandonedAt: ZTimestamp.nullable(),
  holdMs: z.number().int(),
  wrapMs: z.number().int(),
  ruleId: ZId.nullable(),
  decision: z.record(z.string(), z.unknown()).describe("Why it went where it went: rule, strategy, agent, reason"),
});
export type WorkItem = z.infer<typeof ZWorkItem>;

export const ZWorkItemQuery = z.object({
  queueId: ZId.optional(),
  state: ZWorkItemState.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const ZWorkItemParams = z.object({ workItemId: ZId });
export const ZOfferParams = z.object({ offerId: ZId });

/** An offer as the agent's console shows it (the same shape as the `offer:new` event). */
export const ZOfferView = z.object({
  offerId: ZId,
  workItemId: ZId,
  queueId: ZId,
  queueName: z.string(),
  media: ZMedia,
  channel: ZChannel,
  conversationId: ZId.nullable(),
  ticketId: ZId.nullable(),
  contactName: z.string().nullable(),
  companyName: z.string().nullable(),
  vip: z.boolean(),
  expiresAt: ZTimestamp,
  kind: ZWorkKind.describe("contact: a live call, chat or e-mail; voicemail: a message the caller left; callback: a caller asking to be called back"),
  caller: z
    .object({
      callId: ZId,
      number: z.string().nullable().describe("The number to call back (null: withheld)"),
      at: ZTimestamp.describe("When the caller left the message or asked for the call-back"),
      recordingId: ZId.nullable().describe("The voicemail's recording (an attachment of the ticket)"),
      callbackTries: z.number().int().min(0).describe("A call-back's tries nobody answered so far (this offer is for the next)"),
      maxTries: z.number().int().min(1).describe("A call-back's tries at most (its queue's)"),
    })
    .nullable()
    .describe("Voicemail and call-back work: the call it came from; null for a live contact"),
});
export type OfferView = z.infer<typeof ZOfferView>;

/** What answering an offer did. */
export const ZOfferResult = z.object({
  offerId: ZId,
  workItemId: ZId,
  state: ZOfferState,
  conversationId: ZId.nullable(),
  ticketId: ZId.nullable().describe("After an accept: the ticket the work is on (created or linked)"),
});
export type OfferResult = z.infer<typeof ZOfferResult>;

export type OfferAck = { ok: true; data: OfferResult } | AckFailure;

