import { OPEN_STATUSES, type SipTransport } from "@yixian/contracts";
import type { Tx } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { newId } from "../../platform/ids.ts";
import { inTransaction, type Ctx, type Deps } from "../context.ts";
import { conversationChanged } from "../conversations/conversation-events.ts";
import { findOpenTicketOfContact, linkToOpenTicket, newTicketForConversation } from "../conversations/conversation-ticket.ts";
import { resolveContact } from "../conversations/resolve-contact.ts";
import { tryNormaliseIdentity } from "../customers/identities.ts";
import { DomainError } from "../errors.ts";
import { recordAudit } from "../shared/audit.ts";
import { openCallRecord, recordCallEvent } from "../voice/call-records.ts";
import { loadOutboundLimits, refusedDestination } from "../voice/outbound-limits.ts";
import { findSipAccount } from "../voice/sip-accounts.ts";
import { unseal } from "../voice/sip-secrets.ts";
import { assignWorkItem } from "../routing/assign-work.ts";
import { agentCtx } from "./call-ctx.ts";

/** An agent's phone asked to call a number (its INVITE passed digest as `username`). */
export interface OutboundCallRequest {
  /** The SIP user whose password answered the digest challenge. */
  username: string;
  /** Which password fitted: "device" (the desk phone's) or "session:<id>" (the softphone's). */
  credential: string;
  /** The number as dialled (the Request-URI's user part). */
  dialled: string;
  /** The ticket the agent placed the call for (the console's X-Yixian-Ticket), if any. */
  ticketId: string | null;
  /** The Call-ID of the leg towards the trunk: the conversation's external ref and the CDR's key. */
  sipCallId: string;
  /** The Call-ID of the agent's own INVITE: the CDR's key when the call is refused before a trunk leg exists. */
  deviceCallId: string;
  nodeId: string | null;
}

export interface PlacedCall {
  tenantId: string;
  agentId: string;
  conversationId: string;
  callRecordId: string;
  ticketId: string;
  /** The number called, E.164. */
  to: string;
  /** The caller-ID presented (the trunk's); null when the trunk has none. */
  from: string | null;
  trunk: { id: string; name: string; hosts: string[]; transport: SipTransport; credentials: { username: string; password: string } | null };
}

/** Whether the device that asked is registered now: the softphone of a live session, or the desk phone. */
async function deviceRegistered(deps: Deps, username: string, sessionId: string | null): Promise<boolean> {
  let q = deps.db.selectFrom("sip_registrations").select("contact").where("username", "=", username).where("expires_at", ">", deps.clock.now());
  q = sessionId ? q.where("session_id", "=", sessionId) : q.where("session_id", "is", null);
  return (await q.limit(1).executeTakeFirst()) !== undefined;
}

async function outboundTrunk(deps: Deps, tenantId: string): Promise<Row<"sip_trunks"> | undefined> {
  // a trunk with a caller-ID first: the number the customer sees (and can call back)
  return deps.db
    .selectFrom("sip_trunks")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("enabled", "=", true)
    .orderBy((eb) => eb("caller_id", "is", null))
    .orderBy("name")
    .limit(1)
    .executeTakeFirst();
}

/** The ticket the call goes on: the one the agent picked (open and not merged), else the customer's open one, else null. */
async function pickedTicket(tx: Tx, ctx: Ctx, ticketId: string | null, contactId: string | null): Promise<{ ticket: Row<"tickets">; reason: "agent" | "open_ticket" } | null> {
  if (ticketId) {
    const picked = await tx.selectFrom("tickets").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", ticketId).forUpdate().executeTakeFirst();
    if (picked && !picked.merged_into_id && (OPEN_STATUSES as readonly string[]).includes(picked.status)) return { ticket: picked, reason: "agent" };
  }
  const open = await findOpenTicketOfContact(tx, ctx, contactId);
  return open ? { ticket: open, reason: "open_ticket" } : null;
}

/**
 * The call out is work the agent holds (kind `outbound`, assigned at once, media voice): they are
 * busy and at their voice capacity while it lasts, and go to wrap-up when it ends, as after an
 * answered call. Its queue (for the wrap-up time and the agent's handled count) is the ticket's,
 * else the first of the agent's queues; an agent in no queue holds none, since routing offers
 * them nothing anyway.
 */
async function holdOutboundWork(tx: Tx, ctx: Ctx, conversation: Row<"conversations">, agentId: string, ticketQueueId: string | null, now: Date): Promise<void> {
  const queueId =
    ticketQueueId ??
    (
      await tx
        .selectFrom("queue_members as m")
        .innerJoin("queues as q", "q.id", "m.queue_id")
        .select("q.id")
        .where("m.tenant_id", "=", ctx.tenantId)
        .where("m.user_id", "=", agentId)
        .orderBy("q.name")
        .limit(1)
        .executeTakeFirst()
    )?.id;
  if (!queueId) return;
  const item = await tx
    .insertInto("work_items")
    .values({
      id: newId(now.getTime()),
      tenant_id: ctx.tenantId,
      queue_id: queueId,
      media: "voice",
      channel: "phone",
      conversation_id: conversation.id,
      ticket_id: conversation.ticket_id,
      contact_id: conversation.contact_id,
      kind: "outbound",
      enqueued_at: now,
      decision: JSON.stringify({ outbound: true }),
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await assignWorkItem(tx, ctx, item, agentId, now);
}

/**
 * An agent dials a customer (issue 11, step 9). Only an agent who is signed in may: the softphone
 * of a live session or the desk phone of an active user, registered now (PHONE_NOT_REGISTERED).
 * The number must be one (INVALID_PHONE) that the tenant's outbound limits allow
 * (DESTINATION_NOT_ALLOWED: the refusal is kept as a call record, for the toll-fraud audit), and
 * the tenant needs an enabled trunk (NO_OUTBOUND_TRUNK). Then the call is a conversation on
 * channel `phone` with the customer found (or created) by the number, the agent already on it,
 * on the ticket the agent picked, else the customer's open ticket, else a new one; and its call
 * record is opened, direction outbound. Nothing goes through routing: the agent chose the work,
 * and holds it as their outbound work item until the call ends.
 */
export async function placeOutboundCall(deps: Deps, request: OutboundCallRequest): Promise<PlacedCall> {
  const account = await findSipAccount(deps, request.username);
  if (!account) throw new DomainError("FORBIDDEN", `${request.username} is not an active agent's phone`);
  const sessionId = request.credential.startsWith("session:") ? request.credential.slice("session:".length) : null;
  if (sessionId && !account.sessions.some((s) => s.sessionId === sessionId)) throw new DomainError("PHONE_NOT_REGISTERED", "the session that registered this softphone has ended");
  if (!(await deviceRegistered(deps, account.username, sessionId))) throw new DomainError("PHONE_NOT_REGISTERED", `${account.username} has no live registration for this phone`);

  const ctx = await agentCtx(deps, account.tenantId, account.userId);
  const tenant = await deps.db.selectFrom("tenants").select("default_country").where("id", "=", ctx.tenantId).executeTakeFirstOrThrow();
  const phone = tryNormaliseIdentity("phone", request.dialled, tenant.default_country);
  if (!phone) throw new DomainError("INVALID_PHONE", `${request.dialled.slice(0, 32)} is not a phone number`);
  const why = refusedDestination(await loadOutboundLimits(deps.db, ctx.tenantId), phone.value, tenant.default_country);
  if (why) {
    const callRecordId = await openCallRecord(ctx, { sipCallId: request.deviceCallId, direction: "outbound", from: null, to: phone.value, agentId: account.userId, nodeId: request.nodeId });
    await recordCallEvent(ctx, callRecordId, { type: "ended", side: "system", cause: `refused: ${why}`, disposition: "refused" });
    throw new DomainError("DESTINATION_NOT_ALLOWED", why);
  }
  const trunk = await outboundTrunk(deps, ctx.tenantId);
  if (!trunk) throw new DomainError("NO_OUTBOUND_TRUNK", "the tenant has no enabled trunk");
  const registration = trunk.registration as { username: string } | null;
  const credentials = registration && trunk.registration_secret ? { username: registration.username, password: unseal(deps.config, trunk.registration_secret) } : null;

  const conversation = await inTransaction(ctx, async (tx) => {
    const { contact, identityId } = await resolveContact(tx, ctx, { identity: { kind: "phone", value: phone.value } });
    const picked = await pickedTicket(tx, ctx, request.ticketId, contact?.id ?? null);
    const now = deps.clock.now();
    let row = await tx
      .insertInto("conversations")
      .values({
        id: newId(now.getTime()),
        tenant_id: ctx.tenantId,
        channel: "phone",
        contact_id: contact?.id ?? null,
        identity_id: identityId,
        ticket_id: picked?.ticket.id ?? null,
        assignee_id: account.userId,
        state: "active",
        external_ref: request.sipCallId,
        started_at: now,
        accepted_at: now,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await tx
      .insertInto("conversation_participants")
      .values([
        ...(contact ? [{ tenant_id: ctx.tenantId, conversation_id: row.id, kind: "customer", contact_id: contact.id, joined_at: now }] : []),
        { tenant_id: ctx.tenantId, conversation_id: row.id, kind: "agent", user_id: account.userId, joined_at: now },
      ])
      .execute();
    if (picked) await linkToOpenTicket(tx, ctx, row, picked.ticket, now, picked.reason);
    else {
      const ticket = await newTicketForConversation(tx, ctx, row, { assigneeId: account.userId, createdData: { outboundCall: true } });
      row = await tx.updateTable("conversations").set({ ticket_id: ticket.id }).where("id", "=", row.id).returningAll().executeTakeFirstOrThrow();
    }
    await holdOutboundWork(tx, ctx, row, account.userId, picked?.ticket.queue_id ?? null, now);
    await recordAudit(tx, ctx, {
      action: "conversation.created",
      entityType: "conversation",
      entityId: row.id,
      changes: { channel: "phone", contactId: row.contact_id, ticketId: row.ticket_id, externalRef: request.sipCallId, outboundCall: true },
    });
    await conversationChanged(tx, row, ["created"]);
    return row;
  });
  const callRecordId = await openCallRecord(ctx, {
    sipCallId: request.sipCallId,
    direction: "outbound",
    from: trunk.caller_id,
    to: phone.value,
    trunkId: trunk.id,
    conversationId: conversation.id,
    agentId: account.userId,
    nodeId: request.nodeId,
  });
  return {
    tenantId: ctx.tenantId,
    agentId: account.userId,
    conversationId: conversation.id,
    callRecordId,
    ticketId: conversation.ticket_id!,
    to: phone.value,
    from: trunk.caller_id,
    trunk: { id: trunk.id, name: trunk.name, hosts: trunk.hosts, transport: trunk.transport as SipTransport, credentials },
  };
}
