import type { Deps } from "../context.ts";
import { systemCtx } from "../context.ts";
import { receiveMessage, type InboundSender } from "../conversations/receive-message.ts";
import { tryNormaliseIdentity } from "../customers/identities.ts";
import { openCallRecord } from "../voice/call-records.ts";
import type { InboundNumber } from "../voice/entry-points.ts";
import { queueInboundCall, queueOfCall, type LeaveMessage } from "./queue-inbound-call.ts";

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
  /** The queue the call waits in; null when nothing routed it (yet: see `ask`). */
  queueId: string | null;
  /**
   * What the IVR asks before the call is queued (then `queueInboundCall`): the verification code
   * (the number asks unknown callers, and this caller's contact belongs to no company), the menu
   * (the number has one). Both false: the call was queued as it started.
   */
  ask: { verification: boolean; menu: boolean };
  /** The caller, queued as the call started, cannot wait (closed, or full to voicemail): the IVR takes a message. */
  leaveMessage: LeaveMessage;
  /** The navigation rule's message to say to a caller who cannot wait; null: the IVR's own prompt. */
  message: string | null;
}

/** Whether the conversation's contact belongs to a company (the caller is known as a customer). */
async function knownCustomer(deps: Deps, tenantId: string, contactId: string | null): Promise<boolean> {
  if (!contactId) return false;
  const contact = await deps.db.selectFrom("contacts").select("company_id").where("tenant_id", "=", tenantId).where("id", "=", contactId).executeTakeFirst();
  return Boolean(contact?.company_id);
}

/**
 * A call from a trunk becomes a conversation on channel `phone` (entry point: the number
 * dialled), with its caller identified by number as the chat identifies visitors — a withheld,
 * anonymous or unusable number gets a contact of its own for this call — and a call record (CDR).
 * When the number's IVR asks nothing of this caller the call is queued for routing at once (the
 * CDR marked queued); otherwise it waits unqueued for the IVR's answers (decision 0018). A
 * retried INVITE (same Call-ID) finds both again.
 */
export async function startInboundCall(deps: Deps, call: InboundCall): Promise<StartedCall> {
  const ctx = systemCtx(deps, call.number.tenantId);
  const country = call.number.defaultCountry ?? (await deps.db.selectFrom("tenants").select("default_country").where("id", "=", ctx.tenantId).executeTakeFirstOrThrow()).default_country;
  const phone = call.caller ? tryNormaliseIdentity("phone", call.caller, country) : null;
  const from: InboundSender = phone
    ? { identity: { kind: "phone", value: phone.value } }
    : { identity: { kind: "visitor_id", value: `anonymous caller ${call.sipCallId}`.slice(0, 200) } };
  const ivr = call.number.ivr;
  const record = (conversationId: string) => ({
    sipCallId: call.sipCallId,
    direction: "inbound" as const,
    from: phone?.value ?? null,
    to: call.number.number,
    did: call.number.number,
    trunkId: call.number.trunkId,
    conversationId,
    nodeId: call.nodeId,
  });
  let opened: string | null = null;
  const { conversation, started: fresh } = await receiveMessage(ctx, {
    channel: "phone",
    account: call.number.number,
    from,
    externalRef: call.sipCallId,
    // queued below (or once the IVR asked), so that routing's answer is the IVR's to act on
    start: { queueId: call.number.queueId, language: ivr.language, route: false },
    // the call record is committed with its conversation
    onStart: async (tx, started) => {
      call.onStart?.(started.id);
      opened = await openCallRecord({ ...ctx, deps: { ...deps, db: tx } }, record(started.id));
    },
  });
  const callRecordId = opened ?? (await openCallRecord(ctx, record(conversation.id)));
  const ask = {
    verification: ivr.verification === "unknown-callers" && !(await knownCustomer(deps, ctx.tenantId, conversation.contact_id)),
    menu: ivr.menu.length > 0,
  };
  const started = { conversationId: conversation.id, callRecordId, ticketId: conversation.ticket_id, contactId: conversation.contact_id, from: phone?.value ?? null };
  if (!ask.verification && !ask.menu) {
    const { queueId, leaveMessage, message } = await queueInboundCall(deps, { tenantId: ctx.tenantId, conversationId: conversation.id, callRecordId, entryPoint: call.number.number, language: ivr.language }, { justStarted: fresh });
    return { ...started, queueId, ask, leaveMessage, message };
  }
  return { ...started, queueId: await queueOfCall(deps, ctx.tenantId, conversation.id), ask, leaveMessage: null, message: null };
}
