import type { Tx } from "../../db/database.ts";
import type { Ctx, RoutingRequest } from "../context.ts";
import { found } from "../errors.ts";
import { evaluateRules, explain, type RuleInput } from "./rules/evaluate.ts";
import { calendarsOf, loadFacts } from "./rules/facts.ts";
import { loadRules, ruleInput } from "./rules/rule-store.ts";
import { ticketForOverflow } from "./overflow-ticket.ts";
import { placeItem, type Placed } from "./place-item.ts";
import type { WorkItemRow } from "./work-item-lock.ts";

export type EnqueueInput = RoutingRequest;

export type EnqueueOutcome =
  | ({ kind: "queued"; queueId: string | null } & Placed)
  /** The matched rule answers with a message (e.g. a renewal notice) instead of queueing; the channel shows it. */
  | { kind: "message"; text: string; ruleId: string; explanation: string }
  /** No rule matched and the contact named no queue: nothing to route. */
  | { kind: "unrouted"; explanation: string }
  /** The conversation or ticket is already being routed or worked. */
  | { kind: "existing"; item: WorkItemRow };

async function source(tx: Tx, ctx: Ctx, input: EnqueueInput) {
  if (input.conversationId) {
    const c = found(
      await tx.selectFrom("conversations").select(["id", "contact_id", "ticket_id", "queue_id"]).where("tenant_id", "=", ctx.tenantId).where("id", "=", input.conversationId).executeTakeFirst(),
      "conversation",
    );
    return { conversationId: c.id, ticketId: c.ticket_id, contactId: c.contact_id, queueId: c.queue_id };
  }
  const t = found(
    await tx.selectFrom("tickets").select(["id", "contact_id", "queue_id"]).where("tenant_id", "=", ctx.tenantId).where("id", "=", input.ticketId ?? "").executeTakeFirst(),
    "ticket",
  );
  return { conversationId: null, ticketId: t.id, contactId: t.contact_id, queueId: t.queue_id };
}

/**
 * Hands a new contact (a conversation, or a ticket alone) to routing inside the caller's
 * transaction: the navigation rules pick the queue (first enabled match wins; the contact's own
 * queue when none matches), and a waiting work item records the rule and why. A full or closed
 * queue sends it on through its overflow action. Kick the dispatcher after the commit.
 */
export async function enqueueWork(tx: Tx, ctx: Ctx, input: EnqueueInput): Promise<EnqueueOutcome> {
  const src = await source(tx, ctx, input);
  const live = await tx
    .selectFrom("work_items")
    .selectAll()
    .where("tenant_id", "=", ctx.tenantId)
    .where(src.conversationId ? "conversation_id" : "ticket_id", "=", src.conversationId ?? src.ticketId ?? "")
    .where("state", "in", ["waiting", "offered", "assigned"])
    .executeTakeFirst();
  if (live) return { kind: "existing", item: live };

  const now = ctx.deps.clock.now();
  const facts = await loadFacts(tx, ctx.tenantId, { ...input, contactId: src.contactId, at: now });
  const rules = (await loadRules(tx, ctx.tenantId)).map(ruleInput).filter((r): r is RuleInput => r !== null);
  const { matched, verdicts } = evaluateRules(rules, facts, await calendarsOf(tx, ctx.tenantId, rules));
  const explanation = explain(matched, verdicts);
  const action = matched?.action;
  if (matched && action?.type === "message") return { kind: "message", text: action.text, ruleId: matched.id, explanation };
  const queueId = action?.type === "queue" ? action.queueId : src.queueId;
  if (!queueId) return { kind: "unrouted", explanation };
  const placed = await placeItem(
    tx,
    ctx,
    {
      queueId,
      channel: input.channel,
      conversationId: src.conversationId,
      ticketId: src.ticketId,
      contactId: src.contactId,
      priorityBoost: action?.type === "queue" ? action.priorityBoost : 0,
      vip: facts.vip,
      language: facts.language,
      ruleId: matched?.id ?? null,
      decision: {
        rule: matched ? { id: matched.id, name: matched.name, position: matched.position } : null,
        explanation: matched ? explanation : `${explanation}; the contact's own queue`,
        serviceStatus: facts.serviceStatus,
      },
    },
    now,
  );
  if (placed.overflow) await ticketForOverflow(tx, ctx, placed.item, placed.queue, placed.overflow, now);
  const waits = ["waiting", "offered", "assigned"].includes(placed.item.state);
  return { kind: "queued", queueId: waits ? placed.item.queue_id : null, ...placed };
}
