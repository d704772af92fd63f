import type { Channel, ConversationDetail, CreateConversation } from "@yixian/contracts";
import type { Executor, Tx } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { newId } from "../../platform/ids.ts";
import { inTransaction, type Ctx } from "../context.ts";
import { found } from "../errors.ts";
import { recordAudit } from "../shared/audit.ts";
import { conversationChanged } from "./conversation-events.ts";
import { findOpenTicketOfContact, linkToOpenTicket } from "./conversation-ticket.ts";
import { presentConversationDetail } from "./get-conversation.ts";
import { resolveContact } from "./resolve-contact.ts";

/** Thrown inside the transaction when another request stored the same externalRef first. */
class ExternalRefTaken extends Error {}

async function byExternalRef(db: Executor, ctx: Ctx, channel: Channel, externalRef: string): Promise<Row<"conversations"> | undefined> {
  return db
    .selectFrom("conversations")
    .selectAll()
    .where("tenant_id", "=", ctx.tenantId)
    .where("channel", "=", channel)
    .where("external_ref", "=", externalRef)
    .executeTakeFirst();
}

/** Starts a conversation, or answers the one a repeated externalRef already started. */
export async function createConversation(ctx: Ctx, input: CreateConversation): Promise<ConversationDetail> {
  const { conversation } = await startConversation(ctx, input);
  return presentConversationDetail(ctx.deps.db, ctx, conversation);
}

/**
 * Starts a conversation (state queued) and puts it in routing's queue. The customer is the given
 * contact or is found (or created) from the identity they came by. One problem, one ticket: when
 * the contact already has an open ticket the conversation joins it at once; otherwise it gets a
 * ticket when an agent accepts it. A repeated externalRef on the same channel answers the
 * existing conversation (`started: false`), also when both arrive at once. `onStart` runs in the
 * start's transaction (an adapter's own bookkeeping, committed with the conversation). With
 * `route: false` it is not queued: the adapter queues it once it knows more (a phone IVR).
 */
export async function startConversation(
  ctx: Ctx,
  input: CreateConversation,
  onStart?: (tx: Tx, conversation: Row<"conversations">) => Promise<void>,
  options: { route: boolean } = { route: true },
): Promise<{ conversation: Row<"conversations">; started: boolean }> {
  const { db } = ctx.deps;
  const ref = input.externalRef ?? null;
  const earlier = ref ? await byExternalRef(db, ctx, input.channel, ref) : undefined;
  if (earlier) return { conversation: earlier, started: false };

  const created = await inTransaction(ctx, async (tx) => {
    if (input.queueId) {
      found(await tx.selectFrom("queues").select("id").where("tenant_id", "=", ctx.tenantId).where("id", "=", input.queueId).executeTakeFirst(), "queue");
    }
    const { contact, identityId } = await resolveContact(tx, ctx, input);
    const openTicket = await findOpenTicketOfContact(tx, ctx, contact?.id ?? null);
    const now = ctx.deps.clock.now();
    const row = await tx
      .insertInto("conversations")
      .values({
        id: newId(now.getTime()),
        tenant_id: ctx.tenantId,
        channel: input.channel,
        contact_id: contact?.id ?? null,
        identity_id: identityId,
        ticket_id: openTicket?.id ?? null,
        queue_id: input.queueId,
        subject: input.subject,
        external_ref: ref,
        started_at: now,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.columns(["tenant_id", "channel", "external_ref"]).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new ExternalRefTaken();
    if (contact) {
      await tx
        .insertInto("conversation_participants")
        .values({ tenant_id: ctx.tenantId, conversation_id: row.id, kind: "customer", contact_id: contact.id, joined_at: now })
        .execute();
    }
    if (openTicket) await linkToOpenTicket(tx, ctx, row, openTicket, now);
    if (onStart) await onStart(tx, row);
    await recordAudit(tx, ctx, {
      action: "conversation.created",
      entityType: "conversation",
      entityId: row.id,
      changes: { channel: row.channel, contactId: row.contact_id, ticketId: row.ticket_id, externalRef: ref },
    });
    await conversationChanged(tx, row, ["created"]);
    if (options.route) {
      await ctx.deps.routing.enqueue(tx, ctx, {
        conversationId: row.id,
        channel: input.channel,
        entryPoint: input.entryPoint,
        menuChoice: input.menuChoice,
        language: input.language,
      });
    }
    return row;
  }).catch((err: unknown) => {
    if (err instanceof ExternalRefTaken) return null;
    throw err;
  });
  if (created) {
    ctx.deps.routing.kick();
    return { conversation: created, started: true };
  }
  return { conversation: found(ref ? await byExternalRef(db, ctx, input.channel, ref) : undefined, "conversation"), started: false };
}
