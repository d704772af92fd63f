import type { Deps } from "../context.ts";
import { systemCtx } from "../context.ts";
import { receiveMessage, type InboundSender } from "../conversations/receive-message.ts";
import { tryNormaliseIdentity } from "../customers/identities.ts";
import { openCallRecord, recordCallEvent } from "../voice/call-records.ts";
import type { InboundNumber } from "../voice/entry-points.ts";

export interface InboundCall {
  number: InboundNumber;
  /** The trunk leg's SIP Call-ID: the conversation's external ref and the CDR's key. */
  sipCallId: string;
  /** The caller's number as presented; null when withheld or anonymous. */
  caller: string | null;
  /** The node that owns the call (its dialogs and media). */
  nodeId: string | null;
  /** Runs in the transaction that starts the conversation, before anyone hears of it (routing's offer). */
  onStart?: ((conversationId: string) => void) | undefined;
}

export interface StartedCall {
  conversationId: string;
  callRecordId: string;
  ticketId: string | null;
  contactId: string | null;
  /** The E.164 number the caller was identified by; null for an anonymous caller. */
  from: string | null;
  /** The queue the call waits in; null when nothing routed it. */
  queueId: string | null;
}

/**
 * A call from a trunk becomes a conversation on channel `phone` (entry point: the number
 * dialled), with its caller identified by number as the chat identifies visitors — a withheld,
 * anonymous or unusable number gets a contact of its own for this call — queued for routing, and
 * a call record (CDR) opened and marked queued. A retried INVITE (same Call-ID) finds both again.
 */
export async function startInboundCall(deps: Deps, call: InboundCall): Promise<StartedCall> {
  const ctx = systemCtx(deps, call.number.tenantId);
  const tenant = await deps.db.selectFrom("tenants").select("default_country").where("id", "=", ctx.tenantId).executeTakeFirstOrThrow();
  const phone = call.caller ? tryNormaliseIdentity("phone", call.caller, tenant.default_country) : null;
  const from: InboundSender = phone
    ? { identity: { kind: "phone", value: phone.value } }
    : { identity: { kind: "visitor_id", value: `anonymous caller ${call.sipCallId}`.slice(0, 200) } };
  const { conversation } = await receiveMessage(ctx, {
    channel: "phone",
    account: call.number.number,
    from,
    externalRef: call.sipCallId,
    start: { queueId: call.number.queueId, language: call.number.ivr.language },
    onStart: async (_tx, started) => call.onStart?.(started.id),
  });
  const callRecordId = await openCallRecord(ctx, {
    sipCallId: call.sipCallId,
    direction: "inbound",
    from: phone?.value ?? null,
    to: call.number.number,
    did: call.number.number,
    trunkId: call.number.trunkId,
    conversationId: conversation.id,
    nodeId: call.nodeId,
  });
  const item = await deps.db
    .selectFrom("work_items")
    .select("queue_id")
    .where("tenant_id", "=", ctx.tenantId)
    .where("conversation_id", "=", conversation.id)
    .where("state", "in", ["waiting", "offered", "assigned"])
    .orderBy("created_at", "desc")
    .executeTakeFirst();
  if (item) await recordCallEvent(ctx, callRecordId, { type: "queued", queueId: item.queue_id });
  return { conversationId: conversation.id, callRecordId, ticketId: conversation.ticket_id, contactId: conversation.contact_id, from: phone?.value ?? null, queueId: item?.queue_id ?? null };
}
