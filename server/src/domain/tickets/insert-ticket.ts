import { rooms, type Channel, type TicketPriority } from "@yixian/contracts";
import { CompiledQuery } from "kysely";
import type { Tx } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { newId } from "../../platform/ids.ts";
import type { Ctx } from "../context.ts";
import { claimedUntilSql, thenCommit } from "../events/deferred-writes.ts";
import { claimOf, eventWritten, type OutboxEvent } from "../events/outbox.ts";
import { auditRow } from "../shared/audit.ts";
import { searchTokens } from "../shared/search-tokens.ts";
import { allocateTicketNumber, numberingDb } from "./ticket-number.ts";
import type { TicketView } from "./ticket-query.ts";
import { timelineValues } from "./timeline.ts";

export interface TicketDraft {
  subject: string;
  priority?: TicketPriority;
  sourceChannel?: Channel | null;
  contactId?: string | null;
  companyId?: string | null;
  categoryId?: string | null;
  queueId?: string | null;
  assigneeId?: string | null;
  tags?: string[];
  customFields?: Record<string, unknown>;
  /** Extra detail for the ticket_created timeline entry (e.g. { conversationId, detachedFrom }). */
  createdData?: Record<string, unknown>;
}

/**
 * Inserts a ticket with its number, its first timeline entry, an audit row and a change event,
 * inside the caller's transaction. References must already be checked to be in ctx's tenant.
 * Every path that creates a ticket (API, accepted conversation, detach, channels) comes here.
 * The number is taken outside the transaction (see `numberingDb`), so a rolled-back transaction
 * leaves a gap in the day's numbers.
 */
export async function insertTicket(tx: Tx, ctx: Ctx, draft: TicketDraft): Promise<Row<"tickets">> {
  const now = ctx.deps.clock.now();
  const number = await allocateTicketNumber(numberingDb(ctx, tx), ctx.tenantId, now);
  const { contact_name: _c, company_name: _co, assignee_name: _a, updated_us: _u, ...row } = await writeTicket(tx, ctx, { ...draft, companyId: draft.companyId ?? null }, { number, now, last: false });
  return row;
}

/** Why the ticket statement refused to write (its own check, `yx_fail`). */
export class TicketRefused extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

function refusal(err: unknown): TicketRefused | null {
  if (typeof err !== "object" || err === null || (err as { code?: unknown }).code !== "YX001") return null;
  return new TicketRefused(String((err as { message?: unknown }).message));
}

export interface WriteTicketOptions {
  /** The ticket's number; null: taken from the tenant's counter by the statement itself. */
  number: string | null;
  now: Date;
  /** The caller writes nothing after it in this transaction: the statement may carry the COMMIT (decision 0011). */
  last: boolean;
  /** Refuse ("fields-required") when the tenant has a required ticket field (the caller did not check the fields). */
  fieldsUnchecked?: boolean;
}

/**
 * Writes a ticket, its `ticket_created` entry, its audit entry and its `ticket:changed` in one
 * statement and answers it as a list shows it. The statement checks the references itself and
 * throws TicketRefused ("not-found:contact|company|category|queue|user", "merged:<contact>",
 * "inactive:<name>", "fields-required") writing nothing. With `number: null` it takes the number
 * too: the counter row is then locked until this transaction ends, so only a statement that is
 * its transaction's last (`last`) should, or it makes the tenant's other creators wait.
 * `companyId` undefined: the contact's company.
 */
export async function writeTicket(tx: Tx, ctx: Ctx, draft: TicketDraft, options: WriteTicketOptions): Promise<TicketView> {
  const { number, now } = options;
  const id = newId(now.getTime());
  const tags = [...new Set(draft.tags ?? [])];
  const channel = draft.sourceChannel ?? null;
  const entry = timelineValues(ctx, { kind: "ticket_created", occurredAt: now, data: { subject: draft.subject, channel, ...draft.createdData } });
  const audit = auditRow(ctx, { action: "ticket.created", entityType: "ticket", entityId: id });
  const event: OutboxEvent<"ticket:changed"> = {
    tenantId: ctx.tenantId,
    event: "ticket:changed",
    rooms: [rooms.tenant(ctx.tenantId), rooms.ticket(id)],
    payload: { id, number: number ?? "", updatedAt: now.toISOString(), changes: ["created"] },
  };
  const { number: _n, ...payload } = event.payload;
  const parameters = [
    id, ctx.tenantId, number, draft.subject, draft.priority ?? "normal", channel, draft.contactId ?? null,
    draft.companyId !== undefined, draft.companyId ?? null, draft.categoryId ?? null, draft.queueId ?? null, draft.assigneeId ?? null,
    tags, JSON.stringify(draft.customFields ?? {}), searchTokens(number, draft.subject, tags.join(" ")), now,
    entry.actor_type, entry.actor_id, entry.data, audit.actor_type, audit.actor_id,
    event.rooms, JSON.stringify(payload), claimOf(tx), options.fieldsUnchecked ?? false,
  ];
  let written: (TicketView & { event_id: number | string; checked: boolean }) | undefined;
  try {
    written = (await thenCommit(tx, CompiledQuery.raw(TICKET_STATEMENT, parameters), options.last)).rows[0] as typeof written;
  } catch (err) {
    throw refusal(err) ?? err;
  }
  if (!written) throw new Error("the ticket statement answered no row");
  const { event_id, checked: _checked, ...view } = written;
  event.payload.number = view.number;
  eventWritten(tx, event, Number(event_id));
  return view;
}

/** The search tokens of a number taken in SQL, as `searchTokens` makes them for a prefix of Latin letters and digits. */
const NUMBER_TOKENS = `case when te.prefix ~ '^[A-Za-z0-9]+$'
  then lower(nb.number) || ' ' || lower(te.prefix) || ' ' || to_char(te.day, 'YYYYMMDD') || ' ' || nb.seq
  else lower(nb.number) end`;

/**
 * The ticket statement, written out (no query building per ticket). \`checked\`: the first reference
 * that is missing or unusable, in the order the API reports them. \`te\`/\`n\`: the number, only when
 * not given ($3 null). Then the ticket, its first timeline entry, audit entry and claimed outbox
 * event ($24: the claim in ms, 0: unclaimed), and the ticket with the names a list shows; it fails
 * itself (yx_fail) rather than write an unchecked ticket, so it may carry the COMMIT.
 */
const TICKET_STATEMENT = `with refs as (
  select c.id as contact_id, c.merged_into_id, case when $8::boolean then $9::uuid else c.company_id end as company_id
  from (select 1) as one left join contacts c on c.tenant_id = $2 and c.id = $7::uuid
), checked as (
  select refs.company_id, case
    when $7::uuid is not null and refs.contact_id is null then 'not-found:contact'
    when refs.merged_into_id is not null then 'merged:' || refs.merged_into_id
    when refs.company_id is not null and not exists (select 1 from companies where tenant_id = $2 and id = refs.company_id) then 'not-found:company'
    when $10::uuid is not null and not exists (select 1 from categories where tenant_id = $2 and id = $10::uuid) then 'not-found:category'
    when $11::uuid is not null and not exists (select 1 from queues where tenant_id = $2 and id = $11::uuid) then 'not-found:queue'
    when $12::uuid is not null and not exists (select 1 from users where tenant_id = $2 and id = $12::uuid) then 'not-found:user'
    when $12::uuid is not null and exists (select 1 from users where tenant_id = $2 and id = $12::uuid and not is_active)
      then 'inactive:' || (select display_name from users where tenant_id = $2 and id = $12::uuid)
    when $25::boolean and exists (select 1 from custom_field_definitions where tenant_id = $2 and entity = 'ticket' and required) then 'fields-required'
  end as failed
  from refs
), te as (
  select ticket_prefix as prefix, ($16::timestamptz at time zone time_zone)::date as day from tenants where id = $2 and $3::text is null
), n as (
  insert into ticket_counters (tenant_id, day, last_value)
  select $2::uuid, te.day, 1 from te, checked where checked.failed is null
  on conflict (tenant_id, day) do update set last_value = ticket_counters.last_value + 1
  returning last_value
), nb as (
  select te.prefix || '-' || to_char(te.day, 'YYYYMMDD') || '-' || seq as number, seq
  from te, (select lpad(last_value::text, greatest(4, length(last_value::text)), '0') as seq from n) as s
), num as (
  select coalesce($3::text, (select nb.number from nb)) as number,
    (select ${NUMBER_TOKENS} || ' ' from te, nb) as tokens
), t as (
  insert into tickets (id, tenant_id, number, subject, priority, source_channel, contact_id, company_id, category_id, queue_id,
    assignee_id, tags, custom_fields, search_tokens, created_at, updated_at)
  select $1, $2, num.number, $4, $5, $6, $7, checked.company_id, $10, $11, $12, $13, $14, coalesce(num.tokens, '') || $15, $16, $16
  from checked, num where checked.failed is null
  returning *
), entry as (
  insert into timeline_events (tenant_id, ticket_id, kind, occurred_at, actor_type, actor_id, data)
  select $2::uuid, t.id, 'ticket_created', $16::timestamptz, $17::text, $18::uuid, $19::jsonb || jsonb_build_object('number', t.number) from t
), audit as (
  insert into audit_log (tenant_id, actor_type, actor_id, action, entity_type, entity_id, changes)
  select $2::uuid, $20::text, $21::uuid, 'ticket.created', 'ticket', t.id::text, jsonb_build_object('number', t.number) from t
), ev as (
  insert into outbox (tenant_id, event, rooms, payload, claimed_until)
  select $2::uuid, 'ticket:changed', $22::text[], $23::jsonb || jsonb_build_object('number', t.number), ${claimedUntilSql("$24")} from t
  returning id
)
select t.*, c.name as contact_name, co.name as company_name, u.display_name as assignee_name,
  (extract(epoch from t.updated_at) * 1000000)::bigint as updated_us, ev.id as event_id, yx_fail(checked.failed) as checked
from checked left join t on true left join ev on true
left join contacts c on c.id = t.contact_id
left join companies co on co.id = t.company_id
left join users u on u.id = t.assignee_id`;
