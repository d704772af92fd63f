import type { Deps } from "../context.ts";
import { messageAudience } from "../conversations/conversation-events.ts";
import { recordEvent } from "../events/outbox.ts";
import type { Delivery, OutboundState } from "./outbound-port.ts";

/** The states a message may be in for it to move to each state: forward only (a late receipt changes nothing). */
const MOVES_FROM: Record<OutboundState, string[]> = {
  sending: [],
  sent: ["sending", "failed"],
  delivered: ["sending", "sent", "failed"],
  read: ["sending", "sent", "delivered", "failed"],
  failed: ["sending", "sent"],
};

/** Which message: by id, or by the channel's own id for it (a receipt). */
export type DeliveredMessage = { tenantId: string; messageId: string } | { tenantId: string; channel: string; externalId: string };

/**
 * Stores how far an outbound message got in its channel (state, the channel's id for it, why it
 * failed) and tells its audience (`message:delivery`). Only forward: answers false when the
 * message is already further (or unknown), and then writes nothing.
 */
export async function recordDelivery(deps: Deps, which: DeliveredMessage, delivery: Delivery): Promise<boolean> {
  const from = MOVES_FROM[delivery.state];
  if (from.length === 0) return false;
  return deps.outbox.transaction(async (tx) => {
    let update = tx
      .updateTable("messages")
      .set({
        delivery_state: delivery.state,
        delivery_error: delivery.state === "failed" ? (delivery.reason ?? "the channel did not say why") : null,
        ...(delivery.externalId ? { external_id: delivery.externalId } : {}),
      })
      .where("tenant_id", "=", which.tenantId)
      .where("direction", "=", "outbound")
      .where("delivery_state", "in", from);
    update = "messageId" in which ? update.where("id", "=", which.messageId) : update.where("channel", "=", which.channel).where("external_id", "=", which.externalId);
    const message = await update.returning(["id", "conversation_id", "delivery_state", "delivery_error"]).executeTakeFirst();
    if (!message) return false;
    const conversation = await tx
      .selectFrom("conversations")
      .select(["id", "tenant_id", "assignee_id", "queue_id", "ticket_id"])
      .where("tenant_id", "=", which.tenantId)
      .where("id", "=", message.conversation_id)
      .executeTakeFirstOrThrow();
    await recordEvent(tx, {
      tenantId: which.tenantId,
      event: "message:delivery",
      rooms: messageAudience(conversation),
      payload: { id: message.id, conversationId: message.conversation_id, deliveryState: delivery.state, deliveryError: message.delivery_error },
    });
    return true;
  });
}
