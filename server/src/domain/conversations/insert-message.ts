import type { OutboxEvent } from "../events/outbox.ts";
import { CompiledQuery, type Insertable } from "kysely";
import type { Tx } from "../../db/database.ts";
import type { DB, Row } from "../../db/schema.ts";
import type { Ctx } from "../context.ts";
import { claimedUntilSql, thenCommit } from "../events/deferred-writes.ts";
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
  const entry = timelineValues(ctx, messageEntry(row));
  const audit = auditRow(ctx, announce.audit);
  const { event } = announce;
  const parameters = [
    row.id, ctx.tenantId, row.conversation_id, row.ticket_id, row.channel, row.seq, row.direction, row.author_type, row.author_id ?? null, row.body_text ?? "",
    row.body_rich ?? null, row.delivery_state ?? "received", row.external_id ?? null, row.client_id ?? null, row.search_tokens ?? "", row.created_at,
    entry.occurred_at, entry.actor_type, entry.actor_id, entry.data,
    row.direction === "outbound" && row.author_type === "user", options.unlocked,
    audit.actor_type, audit.actor_id, audit.action, audit.entity_type, audit.entity_id, audit.changes,
    event.event, event.rooms, JSON.stringify(event.payload), claimOf(tx),
  ];
  let stored: (Row<"messages"> & { event_id: number | string; checked: boolean }) | undefined;
  try {
    stored = (await thenCommit(tx, CompiledQuery.raw(MESSAGE_STATEMENT, parameters), options.last)).rows[0] as typeof stored;
  } catch (err) {
    throw failedCheck(err) ?? err;
  }
  if (!stored) throw new Error("the message statement answered no row");
  const { event_id, checked: _checked, ...message } = stored;
  // no ticket:changed: the message's own message:created tells the ticket's room
  eventWritten(tx, event, Number(event_id));
  return message;
}

/**
 * The message statement, written out (it runs for every message: built by Kysely it cost about
 * 60 KB of garbage and a good part of a millisecond each time). Each part writes only with a
 * stored message, so a duplicate writes nothing; it answers one row whatever it wrote, so that
 * its check always runs. On a conversation without a ticket ($4 null) the two ticket parts write
 * nothing. $21: the first reply of an agent. $22 (unlocked): the ticket is updated only while it
 * is not one a customer's reply acts on. $32: how long the committing node claims the event (0: unclaimed).
 */
const MESSAGE_STATEMENT = `with m as (
  insert into messages (id, tenant_id, conversation_id, ticket_id, channel, seq, direction, author_type, author_id, body_text,
    body_rich, delivery_state, external_id, client_id, search_tokens, created_at)
  values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
  on conflict do nothing
  returning *
), entry as (
  insert into timeline_events (tenant_id, ticket_id, kind, occurred_at, actor_type, actor_id, conversation_id, message_id, data)
  select $2::uuid, $4::uuid, 'message', $17::timestamptz, $18::text, $19::uuid, $3::uuid, m.id, $20::jsonb from m where $4::uuid is not null
), t as (
  update tickets set updated_at = $16, first_response_at = case when $21::boolean then coalesce(first_response_at, $16) else first_response_at end
  where tenant_id = $2 and id = $4 and exists (select 1 from m)
    and (not $22::boolean or status not in (${STATUSES_A_REPLY_CHANGES.map((st) => `'${st}'`).join(", ")}))
  returning id
), audit as (
  insert into audit_log (tenant_id, actor_type, actor_id, action, entity_type, entity_id, changes)
  select $2::uuid, $23::text, $24::uuid, $25::text, $26::text, $27::text, $28::jsonb from m
), ev as (
  insert into outbox (tenant_id, event, rooms, payload, claimed_until)
  select $2::uuid, $29::text, $30::text[], $31::jsonb, ${claimedUntilSql("$32")} from m
  returning id
)
select m.*, ev.id as event_id,
  yx_fail(case when m.id is null then 'duplicate' when $4::uuid is not null and t.id is null then 'ticket-moved-on' when ev.id is null then 'no-event' end) as checked
from (select 1) as one left join m on true left join t on true left join ev on true`;
