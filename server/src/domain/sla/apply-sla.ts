import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import type { Ctx } from "../context.ts";
import { found } from "../errors.ts";
import { planTicketSla, type TicketSlaPlan } from "./plan-ticket-sla.ts";

const same = (a: Date | string | null, b: Date | null) => (a === null ? b === null : b !== null && new Date(a).getTime() === b.getTime());
const iso = (d: Date | null) => (d === null ? null : d.toISOString());

/**
 * Stores the plans of managed tickets in one statement: each ticket's policy match (with its
 * updated_at, copied in SQL so that the watcher's comparison is exact to the microsecond), its
 * clocks (a new clock inserted, a changed one updated, its fired warning/breach kept while its
 * cycle start is unchanged, so each fires once per cycle), and clocks no longer planned deleted.
 */
export async function storeSlaPlans(tx: Executor, plans: readonly TicketSlaPlan[], now: Date): Promise<void> {
  const managed = plans.filter((p) => p.managed);
  if (managed.length === 0) return;
  const sla = { ticket: [] as string[], tenant: [] as string[], policy: [] as (string | null)[], priority: [] as string[], pack: [] as (string | null)[] };
  const clk = {
    ticket: [] as string[], tenant: [] as string[], target: [] as string[], started: [] as string[], due: [] as (string | null)[],
    warn: [] as (string | null)[], stopped: [] as (string | null)[], prior: [] as boolean[], reset: [] as boolean[],
  };
  const gone = { ticket: [] as string[], target: [] as string[] };
  for (const plan of managed) {
    const { ticket } = plan;
    sla.ticket.push(ticket.id);
    sla.tenant.push(ticket.tenant_id);
    sla.policy.push(plan.policy?.id ?? null);
    sla.priority.push(plan.match.priority);
    sla.pack.push(plan.match.servicePack);
    for (const clock of plan.clocks) {
      const prior = plan.storedClocks.find((c) => c.target === clock.target);
      const sameCycle = prior !== undefined && same(prior.started_at, clock.startedAt);
      if (prior && sameCycle && same(prior.due_at, clock.result.dueAt) && same(prior.warn_at, clock.result.warnAt) && same(prior.stopped_at, clock.stoppedAt)) continue;
      clk.ticket.push(ticket.id);
      clk.tenant.push(ticket.tenant_id);
      clk.target.push(clock.target);
      clk.started.push(clock.startedAt.toISOString());
      clk.due.push(iso(clock.result.dueAt));
      clk.warn.push(iso(clock.result.warnAt));
      clk.stopped.push(iso(clock.stoppedAt));
      clk.prior.push(prior !== undefined);
      clk.reset.push(!sameCycle);
    }
    for (const c of plan.storedClocks) {
      if (plan.clocks.some((k) => k.target === c.target)) continue;
      gone.ticket.push(ticket.id);
      gone.target.push(c.target);
    }
  }
  await sql`
    with s as (
      insert into ticket_sla (ticket_id, tenant_id, policy_id, matched_priority, matched_service_pack, ticket_updated_at, stale, updated_at)
      select x.ticket_id, x.tenant_id, x.policy_id, x.priority, x.pack, t.updated_at, false, ${now}::timestamptz
      from unnest(${sla.ticket}::uuid[], ${sla.tenant}::uuid[], ${sla.policy}::uuid[], ${sla.priority}::text[], ${sla.pack}::text[])
        as x(ticket_id, tenant_id, policy_id, priority, pack)
      join tickets t on t.id = x.ticket_id
      on conflict (ticket_id) do update set policy_id = excluded.policy_id, matched_priority = excluded.matched_priority,
        matched_service_pack = excluded.matched_service_pack, ticket_updated_at = excluded.ticket_updated_at, stale = false,
        updated_at = excluded.updated_at
    ), c as (
      select * from unnest(${clk.ticket}::uuid[], ${clk.tenant}::uuid[], ${clk.target}::text[], ${clk.started}::timestamptz[],
        ${clk.due}::timestamptz[], ${clk.warn}::timestamptz[], ${clk.stopped}::timestamptz[], ${clk.prior}::boolean[], ${clk.reset}::boolean[])
        as c(ticket_id, tenant_id, target, started_at, due_at, warn_at, stopped_at, prior, reset)
    ), ins as (
      insert into ticket_sla_clocks (ticket_id, tenant_id, target, started_at, due_at, warn_at, stopped_at, updated_at)
      select ticket_id, tenant_id, target, started_at, due_at, warn_at, stopped_at, ${now}::timestamptz from c where not prior
    ), upd as (
      update ticket_sla_clocks k set started_at = c.started_at, due_at = c.due_at, warn_at = c.warn_at, stopped_at = c.stopped_at,
        updated_at = ${now}::timestamptz,
        warned_at = case when c.reset then null else k.warned_at end, breached_at = case when c.reset then null else k.breached_at end
      from c where c.prior and k.tenant_id = c.tenant_id and k.ticket_id = c.ticket_id and k.target = c.target
    )
    delete from ticket_sla_clocks k
    using unnest(${gone.ticket}::uuid[], ${gone.target}::text[]) as g(ticket_id, target)
    where k.ticket_id = g.ticket_id and k.target = g.target`.execute(tx);
}

/**
 * Recomputes a ticket's SLA clocks from its current state and stores them (what the SLA watcher
 * scans for due warnings and breaches). The watcher does it for every ticket whose updated_at
 * moved since, in batches; calling it inside the transaction that changed the ticket (after the
 * change, with the ticket row locked) makes the stored clocks exact at once instead of at the
 * watcher's next pass. `locked`: the ticket's row as the caller just read it with its lock (saves
 * reading it again). NOT_FOUND for another tenant's ticket.
 */
export async function applySla(tx: Executor, ctx: Ctx, ticketId: string, locked?: Row<"tickets">): Promise<TicketSlaPlan> {
  const ticket =
    locked ?? found(await tx.selectFrom("tickets").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", ticketId).executeTakeFirst(), "ticket");
  const now = ctx.deps.clock.now();
  const plan = await planTicketSla(tx, ticket, now);
  await storeSlaPlans(tx, [plan], now);
  return plan;
}
