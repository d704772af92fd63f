/**
 * What the SLA clocks of a set of tickets are computed from, read set-based: one query per kind of
 * fact for all of them (up to a watcher batch of ~100 tickets), not one per ticket and fact.
 */
import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import type { StatusChange } from "./ticket-facts.ts";

/** A ticket's message facts: its latest agent reply, the first customer message after that (or
 * after the first response), and the first agent reply after its stored next-response start. */
export interface ReplyFacts {
  lastReply: Date | null;
  waiting: Date | null;
  replyAfterStored: Date | null;
}

export interface SlaFacts {
  stored: Row<"ticket_sla"> | undefined;
  storedClocks: Row<"ticket_sla_clocks">[];
  company: { service_pack: string | null; service_expires_on: string | null; time_zone: string } | undefined;
  /** Every policy of the ticket's tenant. */
  policies: Row<"sla_policies">[];
  calendars: Map<string, Row<"calendars">>;
  statusChanges: StatusChange[];
  replies: ReplyFacts;
}

const date = (v: Date | string | null | undefined) => (v === null || v === undefined ? null : new Date(v));

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
}

/** The facts of every ticket given (rows as read, any tenants), by ticket id. */
export async function loadSlaFacts(db: Executor, tickets: readonly Row<"tickets">[]): Promise<Map<string, SlaFacts>> {
  const out = new Map<string, SlaFacts>();
  if (tickets.length === 0) return out;
  const ids = tickets.map((t) => t.id);
  const tenantIds = [...new Set(tickets.map((t) => t.tenant_id))];
  const companyIds = [...new Set(tickets.flatMap((t) => (t.company_id ? [t.company_id] : [])))];

  const stored = await db.selectFrom("ticket_sla").selectAll().where("ticket_id", "in", ids).execute();
  const clocks = await db.selectFrom("ticket_sla_clocks").selectAll().where("ticket_id", "in", ids).execute();
  const companies =
    companyIds.length === 0
      ? []
      : await db
          .selectFrom("companies")
          .innerJoin("tenants", "tenants.id", "companies.tenant_id")
          .select(["companies.id", "companies.tenant_id", "companies.service_pack", "companies.service_expires_on", "tenants.time_zone"])
          .where("companies.id", "in", companyIds)
          .execute();
  const policies = await db.selectFrom("sla_policies").selectAll().where("tenant_id", "in", tenantIds).execute();
  const calendarIds = [...new Set(policies.flatMap((p) => (p.calendar_id ? [p.calendar_id] : [])))];
  const calendars = calendarIds.length === 0 ? [] : await db.selectFrom("calendars").selectAll().where("id", "in", calendarIds).execute();
  const changes = await db
    .selectFrom("timeline_events")
    .select(["ticket_id", "occurred_at", "data"])
    .where("tenant_id", "in", tenantIds)
    .where("ticket_id", "in", ids)
    .where("kind", "=", "status_changed")
    .orderBy("ticket_id")
    .orderBy("occurred_at")
    .orderBy("id")
    .execute();

  const storedNext = new Map(clocks.filter((c) => c.target === "next_response").map((c) => [c.ticket_id, new Date(c.started_at).toISOString()]));
  const replies = await replyFacts(db, tickets, storedNext);

  const storedBy = new Map(stored.map((s) => [s.ticket_id, s]));
  const clocksBy = groupBy(clocks, (c) => c.ticket_id);
  const changesBy = groupBy(changes, (c) => c.ticket_id);
  const policiesBy = groupBy(policies, (p) => p.tenant_id);
  const companyBy = new Map(companies.map((c) => [`${c.tenant_id}/${c.id}`, c]));
  const calendarBy = new Map(calendars.map((c) => [c.id, c]));
  for (const t of tickets) {
    out.set(t.id, {
      stored: storedBy.get(t.id),
      storedClocks: clocksBy.get(t.id) ?? [],
      company: t.company_id ? companyBy.get(`${t.tenant_id}/${t.company_id}`) : undefined,
      policies: policiesBy.get(t.tenant_id) ?? [],
      calendars: calendarBy,
      statusChanges: changesBy.get(t.id) ?? [],
      replies: replies.get(t.id) ?? { lastReply: null, waiting: null, replyAfterStored: null },
    });
  }
  return out;
}

/**
 * The message facts of tickets with a first response, in one query: per ticket its latest agent
 * reply (outbound, by a user), the first inbound message after the later of that and the first
 * response, and the first agent reply after its stored next-response cycle's start.
 */
async function replyFacts(db: Executor, tickets: readonly Row<"tickets">[], storedNext: Map<string, string>): Promise<Map<string, ReplyFacts>> {
  const answered = tickets.filter((t) => t.first_response_at);
  const out = new Map<string, ReplyFacts>();
  if (answered.length === 0) return out;
  const ids = answered.map((t) => t.id);
  const tenants = answered.map((t) => t.tenant_id);
  const firsts = answered.map((t) => new Date(t.first_response_at!).toISOString());
  const nexts = answered.map((t) => storedNext.get(t.id) ?? null);
  const rows = await sql<{ id: string; last_reply: Date | string | null; waiting: Date | string | null; reply_after: Date | string | null }>`
    select x.id, lr.at as last_reply, cm.at as waiting, fa.at as reply_after
    from unnest(${ids}::uuid[], ${tenants}::uuid[], ${firsts}::timestamptz[], ${nexts}::timestamptz[]) as x(id, tenant_id, first_response_at, next_started)
    left join lateral (
      select max(created_at) as at from messages
      where tenant_id = x.tenant_id and ticket_id = x.id and direction = 'outbound' and author_type = 'user'
    ) lr on true
    left join lateral (
      select min(created_at) as at from messages
      where tenant_id = x.tenant_id and ticket_id = x.id and direction = 'inbound' and created_at > greatest(lr.at, x.first_response_at)
    ) cm on true
    left join lateral (
      select min(created_at) as at from messages
      where tenant_id = x.tenant_id and ticket_id = x.id and direction = 'outbound' and author_type = 'user' and created_at > x.next_started
    ) fa on true`.execute(db);
  for (const r of rows.rows) out.set(r.id, { lastReply: date(r.last_reply), waiting: date(r.waiting), replyAfterStored: date(r.reply_after) });
  return out;
}
