import type { Channel, MessageCreatedEvent } from "@yixian/contracts";
import type { Deps } from "../context.ts";
import { presentMessage } from "../conversations/present-message.ts";
import type { OutboxSubscriber } from "../events/outbox.ts";
import type { OutboundPort } from "./outbound-port.ts";
import { recordDelivery } from "./record-delivery.ts";

/** The reply, its conversation and the identity the customer came by, in one query; with its files. */
async function loadReply(deps: Deps, tenantId: string, messageId: string) {
  const row = await deps.db
    .selectFrom("messages as m")
    .innerJoin("conversations as c", (j) => j.onRef("c.tenant_id", "=", "m.tenant_id").onRef("c.id", "=", "m.conversation_id"))
    .leftJoin("identities as i", (j) => j.onRef("i.tenant_id", "=", "c.tenant_id").onRef("i.id", "=", "c.identity_id"))
    .selectAll("m")
    .select(["c.channel as conversation_channel", "c.external_ref", "c.contact_id", "i.kind as identity_kind", "i.value as identity_value"])
    .where("m.tenant_id", "=", tenantId)
    .where("m.id", "=", messageId)
    .executeTakeFirst();
  if (!row) return null;
  const files = await deps.db.selectFrom("attachments").selectAll().where("tenant_id", "=", tenantId).where("message_id", "=", messageId).orderBy("created_at").orderBy("id").execute();
  const { conversation_channel, external_ref, contact_id, identity_kind, identity_value, ...message } = row;
  return {
    message: presentMessage(message, files),
    state: message.delivery_state,
    conversation: {
      id: message.conversation_id,
      tenantId,
      channel: conversation_channel as Channel,
      externalRef: external_ref,
      contactId: contact_id,
      identity: identity_kind && identity_value ? { kind: identity_kind, value: identity_value } : null,
    },
  };
}

async function deliver(deps: Deps, port: OutboundPort, tenantId: string, messageId: string): Promise<void> {
  const reply = await loadReply(deps, tenantId, messageId);
  // gone, or already past its first state: a redelivered event sends nothing twice
  if (!reply || reply.state !== (port.initialState ?? "sending")) return;
  const delivery = await port.deliver(reply.message, reply.conversation);
  if (delivery.state !== reply.state || delivery.externalId) await recordDelivery(deps, { tenantId, messageId }, delivery);
}

/** The channel of a message:created (events written before it carried one: looked up). */
async function channelOf(deps: Deps, tenantId: string, e: MessageCreatedEvent): Promise<string | undefined> {
  if (e.channel) return e.channel;
  const row = await deps.db.selectFrom("conversations").select("channel").where("tenant_id", "=", tenantId).where("id", "=", e.conversationId).executeTakeFirst();
  return row?.channel;
}

/**
 * The outbox subscriber that takes every agent's reply to its channel: the conversation's
 * channel's outbound port delivers it and its delivery state is stored. A port that throws is
 * tried again with backoff; after the last try the reply is marked failed with the reason.
 */
export function replyDelivery(deps: Deps): OutboxSubscriber {
  const portFor = async (e: { event: string; tenantId: string; payload: unknown }): Promise<OutboundPort | null> => {
    if (e.event !== "message:created") return null;
    const created = e.payload as MessageCreatedEvent;
    if (created.direction !== "outbound") return null;
    const channel = await channelOf(deps, e.tenantId, created);
    return (channel && deps.channels.get(channel)) || null;
  };
  return {
    name: "reply delivery",
    handle(e) {
      if (e.event !== "message:created" || (e.payload as MessageCreatedEvent).direction !== "outbound") return;
      return portFor(e).then((port) => (port ? deliver(deps, port, e.tenantId, (e.payload as MessageCreatedEvent).id) : undefined));
    },
    async gaveUp(e, err) {
      const port = await portFor(e);
      if (!port) return;
      const reason = err instanceof Error ? err.message : String(err);
      await recordDelivery(deps, { tenantId: e.tenantId, messageId: (e.payload as MessageCreatedEvent).id }, { state: "failed", reason });
    },
  };
}
