/**
 * What an SLA clock is derived from, read from the ticket, its status history on the timeline and
 * its messages. Nothing here is SLA bookkeeping: the clocks follow what actually happened.
 */
import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { serviceStatus, localDate } from "../customers/service-status.ts";
import type { ServicePack } from "@yixian/contracts";
import { SERVICE_PACKS } from "@yixian/contracts";
import type { Pause } from "./clock.ts";

export interface StatusStretch {
  status: string;
  from: number;
  /** null: the current status. */
  to: number | null;
}

const ms = (v: Date | string) => new Date(v).getTime();

/** The ticket's statuses over time, from creation ("new") through every status_changed entry. */
export async function statusStretches(db: Executor, ticket: Row<"tickets">): Promise<StatusStretch[]> {
  const changes = await db
    .selectFrom("timeline_events")
    .select(["occurred_at", "data"])
    .where("tenant_id", "=", ticket.tenant_id)
    .where("ticket_id", "=", ticket.id)
    .where("kind", "=", "status_changed")
    .orderBy("occurred_at")
    .orderBy("id")
    .execute();
  const stretches: StatusStretch[] = [{ status: "new", from: ms(ticket.created_at), to: null }];
  for (const change of changes) {
    const to = change.data.to;
    if (typeof to !== "string") continue;
    const at = ms(change.occurred_at);
    const last = stretches[stretches.length - 1]!;
    last.to = at;
    stretches.push({ status: to, from: at, to: null });
  }
  return stretches;
}

/** Stretches a clock does not run: resolved, and pending when the policy pauses on it. */
export function pausesOf(stretches: readonly StatusStretch[], pauseWhenPending: boolean): Pause[] {
  return stretches
    .filter((s) => s.status === "resolved" || (pauseWhenPending && s.status === "pending"))
    .filter((s) => s.to === null || s.to > s.from)
    .map((s) => ({ from: s.from, to: s.to }));
}

/** The latest reopen (resolved → open/pending), which starts a new resolution cycle. */
export function lastReopen(stretches: readonly StatusStretch[]): number | null {
  let at: number | null = null;
  for (let i = 1; i < stretches.length; i++) {
    const prev = stretches[i - 1]!;
    const cur = stretches[i]!;
    if (prev.status === "resolved" && cur.status !== "closed") at = cur.from;
  }
  return at;
}

/** When the ticket stopped needing work: resolved (or closed, e.g. merged away); null while it is open. */
export function endOf(ticket: Row<"tickets">): Date | null {
  if (ticket.status !== "resolved" && ticket.status !== "closed") return null;
  const at = ticket.resolved_at ?? ticket.closed_at;
  return at ? new Date(at) : null;
}

/** The company's service pack while it has not expired (in the tenant's calendar), else null. */
export async function activeServicePack(db: Executor, ticket: Row<"tickets">, now: Date): Promise<ServicePack | null> {
  if (!ticket.company_id) return null;
  const row = await db
    .selectFrom("companies")
    .innerJoin("tenants", "tenants.id", "companies.tenant_id")
    .select(["companies.service_pack", "companies.service_expires_on", "tenants.time_zone"])
    .where("companies.tenant_id", "=", ticket.tenant_id)
    .where("companies.id", "=", ticket.company_id)
    .executeTakeFirst();
  const pack = SERVICE_PACKS.find((p) => p === row?.service_pack) ?? null;
  if (!row || !pack) return null;
  const status = serviceStatus(pack, row.service_expires_on, localDate(now, row.time_zone));
  return status === "expired" || status === "none" ? null : pack;
}

type Edge = "first_after" | "last";

/** An agent's reply time (outbound, written by a user) on the ticket: the first after `after`, or the last. */
export async function agentReply(db: Executor, ticket: Row<"tickets">, edge: Edge, after?: Date): Promise<Date | null> {
  let q = db
    .selectFrom("messages")
    .select(edge === "last" ? sql<Date | string | null>`max(created_at)`.as("at") : sql<Date | string | null>`min(created_at)`.as("at"))
    .where("tenant_id", "=", ticket.tenant_id)
    .where("ticket_id", "=", ticket.id)
    .where("direction", "=", "outbound")
    .where("author_type", "=", "user");
  if (after) q = q.where("created_at", ">", after);
  const row = await q.executeTakeFirst();
  return row?.at ? new Date(row.at) : null;
}

/** The first customer message on the ticket after `after`: a customer waiting for an answer. */
export async function customerMessageAfter(db: Executor, ticket: Row<"tickets">, after: Date): Promise<Date | null> {
  const row = await db
    .selectFrom("messages")
    .select(sql<Date | string | null>`min(created_at)`.as("at"))
    .where("tenant_id", "=", ticket.tenant_id)
    .where("ticket_id", "=", ticket.id)
    .where("direction", "=", "inbound")
    .where("created_at", ">", after)
    .executeTakeFirst();
  return row?.at ? new Date(row.at) : null;
}
