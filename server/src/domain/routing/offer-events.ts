import { CHANNELS, MEDIA, rooms, WORK_KINDS, type OfferEvent } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import { knownValue } from "../shared/known-value.ts";
import { recordEvent } from "../events/outbox.ts";
import { isoRequired } from "../shared/pagination.ts";

type CloseReason = "taken" | "expired" | "rejected" | "cancelled";

/** Offers as the agent's console shows them: item, queue, customer and deadline. */
export async function offerViews(db: Executor, tenantId: string, offerIds: readonly string[]): Promise<(OfferEvent & { agentId: string })[]> {
  if (offerIds.length === 0) return [];
  const rows = await db
    .selectFrom("offers")
    .innerJoin("work_items", "work_items.id", "offers.work_item_id")
    .innerJoin("queues", "queues.id", "work_items.queue_id")
    .leftJoin("contacts", "contacts.id", "work_items.contact_id")
    .leftJoin("companies", "companies.id", "contacts.company_id")
    .leftJoin("calls", "calls.id", "work_items.call_id")
    .select([
      "work_items.kind",
      "calls.id as call_id",
      "calls.from_number",
      "calls.started_at as call_started_at",
      "calls.ended_at as call_ended_at",
      "calls.recording_id",
      "offers.id",
      "offers.agent_id",
      "offers.expires_at",
      "work_items.id as work_item_id",
      "work_items.queue_id",
      "work_items.media",
      "work_items.channel",
      "work_items.conversation_id",
      "work_items.ticket_id",
      "work_items.vip",
      "work_items.callback_tries",
      "queues.callback_max_tries",
      "queues.name as queue_name",
      "contacts.name as contact_name",
      "companies.name as company_name",
    ])
    .where("offers.tenant_id", "=", tenantId)
    .where("offers.id", "in", [...offerIds])
    .orderBy("offers.created_at")
    .orderBy("offers.id")
    .execute();
  return rows.map((r) => {
    return {
      agentId: r.agent_id,
      offerId: r.id,
      workItemId: r.work_item_id,
      queueId: r.queue_id,
      queueName: r.queue_name,
      media: knownValue(MEDIA, r.media, "medium"),
      channel: knownValue(CHANNELS, r.channel, "channel"),
      conversationId: r.conversation_id,
      ticketId: r.ticket_id,
      contactName: r.contact_name,
      companyName: r.company_name,
      vip: r.vip,
      expiresAt: isoRequired(r.expires_at),
      kind: knownValue(WORK_KINDS, r.kind, "work kind"),
      caller:
        r.call_id && r.kind !== "contact"
          ? {
              callId: r.call_id,
              number: r.from_number,
              at: isoRequired(r.call_ended_at ?? r.call_started_at!),
              recordingId: r.recording_id,
              callbackTries: r.callback_tries,
              maxTries: r.callback_max_tries,
            }
          : null,
    };
  });
}

/** Queues `offer:new` to each offered agent's room. */
export async function offersMade(tx: Executor, tenantId: string, offerIds: readonly string[]): Promise<void> {
  for (const { agentId, ...view } of await offerViews(tx, tenantId, offerIds)) {
    await recordEvent(tx, { tenantId, event: "offer:new", rooms: [rooms.agent(agentId)], payload: view });
  }
}

/** Queues `offer:withdrawn` (or `offer:accepted` for the winner) to the agent's room. */
export async function offerClosed(
  tx: Executor,
  tenantId: string,
  offer: { id: string; work_item_id: string; agent_id: string },
  outcome: { accepted: true } | { accepted: false; reason: CloseReason },
): Promise<void> {
  const base = { offerId: offer.id, workItemId: offer.work_item_id, agentId: offer.agent_id };
  if (outcome.accepted) await recordEvent(tx, { tenantId, event: "offer:accepted", rooms: [rooms.agent(offer.agent_id)], payload: base });
  else await recordEvent(tx, { tenantId, event: "offer:withdrawn", rooms: [rooms.agent(offer.agent_id)], payload: { ...base, reason: outcome.reason } });
}
