import type { OutboxEvent } from "../events/outbox.ts";
import { sql, type Insertable } from "kysely";
import type { Tx } from "../../db/database.ts";
import type { DB, Row } from "../../db/schema.ts";
import type { Ctx } from "../context.ts";
import { claimedUntil, thenCommit } from "../events/deferred-writes.ts";
import { claimOf, eventWritten } from "../events/outbox.ts";
import { auditRow, type AuditEntry } from "../shared/audit.ts";
import { timelineValues } from "../tickets/timeline.ts";
import { messageEntry, type TimelinedMessage } from "./conversation-ticket.ts";

/** A message row to insert, with what its timeline entry names. */
export type NewMessage = Insertable<DB["messages"]> & TimelinedMessage & { ticket_id: string | null };

/** Ticket statuses a customer's message acts on (reopens, or moves on from a closed one). */
export const STATUSES_A_REPLY_CHANGES = ["pending", "resolved", "closed"] as const;

/**
 * The ticket left new/open between the unlocked read of its status and the message's write (an
 * agent resolved it at that moment): the caller rolls back and stores again with the ticket locked.
 */
export class TicketMovedOn extends Error {}

/** What a stored message is announced with: its `message:created` and its audit entry. */
export interface Announcement {
  event: OutboxEvent<"message:created">;
  audit: AuditEntry;
}

/** Thrown inside the transaction when the same clientId/externalId was stored concurrently. */
export class DuplicateMessage extends Error {}

/** What the statement's own check (`yx_fail`) raises, by its reason. */
const FAILED_CHECKS: Record<string, () => Error> = {
  duplicate: () => new DuplicateMessage(),
  "ticket-moved-on": () => new TicketMovedOn(),
  "no-event": () => new Error("the message's outbox event was not written"),
};

function failedCheck(err: unknown): Error | null {
  if (typeof err !== "object" || err === null || (err as { code?: unknown }).code !== "YX001") return null;
  return FAILED_CHECKS[String((err as { message?: unknown }).message)]?.() ?? null;
}

/**
 * Inserts a message with everything that goes with it, in one statement (the hot path of every
 * chat): on a ticketed conversation its `message` timeline entry and the ticket's updated_at (and
 * first_response_at on the first agent reply); its audit entry and its outbox event.
 * DuplicateMessage, writing nothing, when its clientId/externalId is already stored. `unlocked`:
 * the caller read the ticket's status without locking it, so the ticket is only updated while it
 * is still not one a customer's reply acts on; TicketMovedOn when it has become one. The statement
 * checks both itself and fails, so that with `last` (the caller writes nothing after it) it can
 * carry the transaction's COMMIT (decision 0011).
 */
export async function insertMessage(tx: Tx, ctx: Ctx, row: NewMessage, announce: Announcement, options: { unlocked: boolean; last: boolean }): Promise<Row<"messages">> {
  const ticketId = row.ticket_id;
  const firstResponse = row.direction === "outbound" && row.author_type === "user";
  const now = new Date(row.created_at);
  // (on a conversation without a ticket the two ticket parts write nothing)
  const entry = timelineValues(ctx, messageEntry(row));
  const audit = auditRow(ctx, announce.audit);
  const { event } = announce;
  const query = tx
    .with("m", (qc) => qc.insertInto("messages").values(row).onConflict((oc) => oc.doNothing()).returningAll())
    // each part only with a stored message: a duplicate writes nothing
    .with("entry", (qc) =>
      qc
        .insertInto("timeline_events")
        .columns(["tenant_id", "ticket_id", "kind", "occurred_at", "actor_type", "actor_id", "conversation_id", "message_id", "data"])
        .expression(
          sql`select ${entry.tenant_id}::uuid, ${ticketId}::uuid, ${entry.kind}::text, ${entry.occurred_at}::timestamptz, ${entry.actor_type}::text, ${entry.actor_id}::uuid, ${entry.conversation_id}::uuid, m.id, ${entry.data}::jsonb from m where ${ticketId}::uuid is not null`,
        ),
    )
    .with("t", (qc) => {
      let update = qc
        .updateTable("tickets")
        .set({ updated_at: now, ...(firstResponse ? { first_response_at: sql<Date>`coalesce(first_response_at, ${now})` } : {}) })
        .where("tenant_id", "=", ctx.tenantId)
        .where("id", "=", sql<string>`${ticketId}::uuid`)
        .where((eb) => eb.exists(eb.selectFrom("m").select("m.id")));
      if (options.unlocked) update = update.where("status", "not in", [...STATUSES_A_REPLY_CHANGES]);
      return update.returning("id");
    })
    .with("audit", (qc) =>
      qc
        .insertInto("audit_log")
        .columns(["tenant_id", "actor_type", "actor_id", "action", "entity_type", "entity_id", "changes"])
        .expression(sql`select ${audit.tenant_id}::uuid, ${audit.actor_type}::text, ${audit.actor_id}::uuid, ${audit.action}::text, ${audit.entity_type}::text, ${audit.entity_id}::text, ${audit.changes}::jsonb from m`),
    )
    .with("ev", (qc) =>
      qc
        .insertInto("outbox")
        .columns(["tenant_id", "event", "rooms", "payload", "claimed_until"])
        .expression(sql`select ${event.tenantId}::uuid, ${event.event}::text, ${event.rooms}::text[], ${JSON.stringify(event.payload)}::jsonb, ${claimedUntil(claimOf(tx))} from m`)
        .returning("id"),
    )
    // one row whatever was written, so that the check always runs
    .selectFrom(sql`(select 1)`.as("one"))
    .leftJoin("m", (join) => join.onTrue())
    .leftJoin("t", (join) => join.onTrue())
    .leftJoin("ev", (join) => join.onTrue())
    .selectAll("m")
    .select(["ev.id as event_id"])
    .select(
      sql<boolean>`yx_fail(case when m.id is null then 'duplicate' when ${ticketId}::uuid is not null and t.id is null then 'ticket-moved-on' when ev.id is null then 'no-event' end)`.as("checked"),
    );
  let stored;
  try {
    stored = (await thenCommit(tx, query.compile(), options.last)).rows[0];
  } catch (err) {
    throw failedCheck(err) ?? err;
  }
  if (!stored) throw new Error("the message statement answered no row");
  const { event_id, checked: _checked, ...message } = stored;
  // no ticket:changed: the message's own message:created tells the ticket's room
  eventWritten(tx, event, Number(event_id));
  return message as Row<"messages">;
}
