import {
  ZCallerWork,
  ZCallerWorkParams,
  ZCreateRoutingRule,
  ZFinishCallerWork,
  ZId,
  ZOfferParams,
  ZOfferResult,
  ZOfferView,
  ZPresence,
  ZPresenceQuery,
  ZQueueDetail,
  ZReorderRoutingRules,
  ZRoutingRule,
  ZRoutingRuleParams,
  ZRoutingTest,
  ZRoutingTestResult,
  ZSetCapacity,
  ZSetPresence,
  ZUpdateQueueRouting,
  ZUpdateRoutingRule,
  ZUserParams,
  ZWorkItem,
  ZWorkItemParams,
  ZWorkItemQuery,
} from "@yixian/contracts";
import { z } from "zod";
import { agentOf } from "../../domain/conversations/conversation-guards.ts";
import { getPresence, listPresence } from "../../domain/presence/list-presence.ts";
import { setCapacity } from "../../domain/presence/set-capacity.ts";
import { setPresence } from "../../domain/presence/set-presence.ts";
import { updateQueue } from "../../domain/queues/queues.ts";
import { acceptOffer, rejectOffer } from "../../domain/routing/answer-offer.ts";
import { deleteRule, listRules, reorderRules, updateRule } from "../../domain/routing/rules/change-rule.ts";
import { createRule } from "../../domain/routing/rules/create-rule.ts";
import { testRules } from "../../domain/routing/rules/test-rules.ts";
import { finishCallerWork, listMyCallerWork } from "../../domain/routing/finish-caller-work.ts";
import { abandonWorkItem, listMyOffers, listWorkItems } from "../../domain/routing/work-items.ts";
import { defineRoute, type AnyRoute } from "../route.ts";

const EXAMPLE_QUEUE_ID = "0195f3a2-7c4e-7b61-9a3d-2f1e0c9b8a72";
const EXAMPLE_SKILL_ID = "0195f3a2-7c4e-7b61-9a3d-2f1e0c9b8a73";
const EXAMPLE_RULE_ID = "0195f3a2-7c4e-7b61-9a3d-2f1e0c9b8a74";
const EXAMPLE_CONTACT_ID = "0195f3a2-7c4e-7b61-9a3d-2f1e0c9b8a75";
const QueueParams = z.object({ queueId: ZId });

const queueRoutes = [
  defineRoute({
    method: "patch",
    path: "/queues/{queueId}/routing",
    tag: "routing",
    summary: "Change a queue's routing: strategy, skills, priority, hours, limits, overflow, wrap-up and offer timeout",
    auth: "queue:manage",
    params: QueueParams,
    body: ZUpdateQueueRouting,
    response: ZQueueDetail,
    example: { strategy: "least_busy", requiredSkills: [{ skillId: EXAMPLE_SKILL_ID, minLevel: 3 }], offerTimeoutSeconds: 20, wrapUpSeconds: 30, maxMissedOffers: 3 },
    handler: ({ ctx, params, body }) => updateQueue(ctx, params.queueId, body),
  }),
];

const ruleRoutes = [
  defineRoute({ method: "get", path: "/routing-rules", tag: "routing", summary: "Navigation rules in the order they are tried", auth: "queue:manage", response: z.array(ZRoutingRule), handler: ({ ctx }) => listRules(ctx) }),
  defineRoute({
    method: "post",
    path: "/routing-rules",
    tag: "routing",
    summary: "Add a navigation rule (first enabled match wins)",
    auth: "queue:manage",
    status: 201,
    body: ZCreateRoutingRule,
    response: ZRoutingRule,
    example: { name: "过期客户转服务运营", conditions: { serviceStatuses: ["expired"] }, action: { type: "queue", queueId: EXAMPLE_QUEUE_ID, priorityBoost: 0 } },
    handler: ({ ctx, body }) => createRule(ctx, body),
  }),
  defineRoute({
    method: "patch",
    path: "/routing-rules/{routingRuleId}",
    tag: "routing",
    summary: "Rename, enable or disable a rule, or replace its conditions or action",
    auth: "queue:manage",
    params: ZRoutingRuleParams,
    body: ZUpdateRoutingRule,
    response: ZRoutingRule,
    example: { enabled: false },
    handler: ({ ctx, params, body }) => updateRule(ctx, params.routingRuleId, body),
  }),
  defineRoute({
    method: "delete",
    path: "/routing-rules/{routingRuleId}",
    tag: "routing",
    summary: "Delete a navigation rule",
    auth: "queue:manage",
    params: ZRoutingRuleParams,
    handler: ({ ctx, params }) => deleteRule(ctx, params.routingRuleId),
  }),
  defineRoute({
    method: "post",
    path: "/routing-rules/reorder",
    tag: "routing",
    summary: "Put the navigation rules in a new order (name every rule once)",
    auth: "queue:manage",
    body: ZReorderRoutingRules,
    response: z.array(ZRoutingRule),
    example: { routingRuleIds: [EXAMPLE_RULE_ID] },
    handler: ({ ctx, body }) => reorderRules(ctx, body.routingRuleIds),
  }),
  defineRoute({
    method: "post",
    path: "/routing-rules/test",
    tag: "routing",
    summary: "Which rule a described contact would match, and why (nothing is routed)",
    auth: "queue:manage",
    body: ZRoutingTest,
    response: ZRoutingTestResult,
    example: { channel: "phone", entryPoint: "4008123456", menuChoice: "2", contactId: EXAMPLE_CONTACT_ID },
    handler: ({ ctx, body }) => testRules(ctx, body),
  }),
];

const presenceRoutes = [
  defineRoute({ method: "get", path: "/presence", tag: "presence", summary: "Every agent's state, capacity and load", auth: "queue:read", query: ZPresenceQuery, response: z.array(ZPresence), handler: ({ ctx, query }) => listPresence(ctx, query) }),
  defineRoute({ method: "get", path: "/presence/me", tag: "presence", summary: "Your own presence", auth: "authenticated", response: ZPresence, handler: ({ ctx }) => getPresence(ctx, agentOf(ctx).id) }),
  defineRoute({
    method: "put",
    path: "/presence/me",
    tag: "presence",
    summary: "Set your presence: available, away (with a reason code) or offline",
    auth: "authenticated",
    body: ZSetPresence,
    response: ZPresence,
    example: { state: "available" },
    handler: ({ ctx, body }) => setPresence(ctx, agentOf(ctx).id, body),
  }),
  defineRoute({
    method: "put",
    path: "/presence/{userId}",
    tag: "presence",
    summary: "Set an agent's presence (supervisors)",
    auth: "queue:manage",
    params: ZUserParams,
    body: ZSetPresence,
    response: ZPresence,
    example: { state: "away", reason: "training" },
    handler: ({ ctx, params, body }) => setPresence(ctx, params.userId, body),
  }),
  defineRoute({
    method: "patch",
    path: "/presence/{userId}/capacity",
    tag: "presence",
    summary: "Change how many calls, chats and e-mails an agent may hold at once",
    auth: "queue:manage",
    params: ZUserParams,
    body: ZSetCapacity,
    response: ZPresence,
    example: { voice: 1, chat: 5, email: 10 },
    handler: ({ ctx, params, body }) => setCapacity(ctx, params.userId, body),
  }),
];

const workRoutes = [
  defineRoute({
    method: "get",
    path: "/work-items",
    tag: "routing",
    summary: "Work items in queues (waiting and offered unless a state is given), in serving order",
    auth: "queue:manage",
    query: ZWorkItemQuery,
    response: z.array(ZWorkItem),
    handler: ({ ctx, query }) => listWorkItems(ctx, query),
  }),
  defineRoute({
    method: "post",
    path: "/work-items/{workItemId}/abandon",
    tag: "routing",
    summary: "The customer left before an agent answered: abandon the item and end its conversation",
    auth: "conversation:write",
    params: ZWorkItemParams,
    response: ZWorkItem,
    handler: ({ ctx, params }) => abandonWorkItem(ctx, params.workItemId),
  }),
  defineRoute({ method: "get", path: "/offers/mine", tag: "routing", summary: "Your offers waiting for an answer", auth: "authenticated", response: z.array(ZOfferView), handler: ({ ctx }) => listMyOffers(ctx) }),
  defineRoute({
    method: "post",
    path: "/offers/{offerId}/accept",
    tag: "routing",
    summary: "Accept an offer: the work (and its conversation and ticket) becomes yours",
    auth: "conversation:write",
    params: ZOfferParams,
    response: ZOfferResult,
    handler: ({ ctx, params }) => acceptOffer(ctx, params.offerId),
  }),
  defineRoute({
    method: "post",
    path: "/offers/{offerId}/reject",
    tag: "routing",
    summary: "Refuse an offer; the item is routed to someone else",
    auth: "conversation:write",
    params: ZOfferParams,
    response: ZOfferResult,
    handler: ({ ctx, params }) => rejectOffer(ctx, params.offerId),
  }),
];

const callerWorkRoutes = [
  defineRoute({
    method: "get",
    path: "/caller-work",
    tag: "routing",
    summary: "The voicemail and call-back work you hold (accepted, not yet done), oldest first",
    auth: "conversation:read",
    response: z.array(ZCallerWork),
    handler: ({ ctx }) => listMyCallerWork(ctx),
  }),
  defineRoute({
    method: "post",
    path: "/caller-work/{workItemId}/done",
    tag: "routing",
    summary:
      "Finish voicemail or call-back work you hold, with the outcome: your voice capacity is free (wrap-up), the outcome is on the ticket's timeline, and a call-back's missed call is done with it. Again: the same answer",
    auth: "conversation:write",
    params: ZCallerWorkParams,
    body: ZFinishCallerWork,
    response: ZCallerWork,
    example: { outcome: "reached" as const, note: "已回电，客户的发票问题已解决" },
    handler: ({ ctx, params, body }) => finishCallerWork(ctx, params.workItemId, body),
  }),
];

export const routingRoutes: AnyRoute[] = [...queueRoutes, ...ruleRoutes, ...presenceRoutes, ...workRoutes, ...callerWorkRoutes];
