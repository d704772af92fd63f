import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import type { Ctx } from "../context.ts";
import { found } from "../errors.ts";
import { planTicketSla, type TicketSlaPlan } from "./plan-ticket-sla.ts";

const same = (a: Date | string | null, b: Date | null) => (a === null ? b === null : b !== null && new Date(a).getTime() === b.getTime());

/**
 * Recomputes a ticket's SLA clocks from its current state and stores them (what the SLA watcher
 * scans for due warnings and breaches). The watcher calls it for every ticket whose updated_at
 * moved since; calling it inside the transaction that changed the ticket (after the change, with
 * the ticket row locked) makes the stored clocks exact at once instead of at the watcher's next
 * pass. A clock keeps its fired warning/breach while its cycle start is unchanged, so each fires
 * once per cycle. `locked`: the ticket's row as the caller just read it with its lock (saves
 * reading it again). NOT_FOUND for another tenant's ticket.
 */
export async function applySla(tx: Executor, ctx: Ctx, ticketId: string, locked?: Row<"tickets">): Promise<TicketSlaPlan> {
  const ticket =
    locked ?? found(await tx.selectFrom("tickets").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", ticketId).executeTakeFirst(), "ticket");
  const now = ctx.deps.clock.now();
  const plan = await planTicketSla(tx, ticket, now);
  if (!plan.managed) return plan;
  const assignment = {
    policy_id: plan.policy?.id ?? null,
    matched_priority: plan.match.priority,
    matched_service_pack: plan.match.servicePack,
    // copied in SQL so that the watcher's comparison is exact to the microsecond
    ticket_updated_at: sql<Date>`(select updated_at from tickets where id = ${ticket.id})`,
    stale: false,
    updated_at: now,
  };
  await tx
    .insertInto("ticket_sla")
    .values({ ticket_id: ticket.id, tenant_id: ctx.tenantId, ...assignment })
    .onConflict((oc) => oc.column("ticket_id").doUpdateSet(assignment))
    .execute();

  for (const clock of plan.clocks) {
    const prior = plan.storedClocks.find((c) => c.target === clock.target);
    const values = {
      started_at: clock.startedAt,
      due_at: clock.result.dueAt,
      warn_at: clock.result.warnAt,
      stopped_at: clock.stoppedAt,
      updated_at: now,
    };
    if (!prior) {
      await tx.insertInto("ticket_sla_clocks").values({ ticket_id: ticket.id, tenant_id: ctx.tenantId, target: clock.target, ...values }).execute();
      continue;
    }
    const sameCycle = same(prior.started_at, clock.startedAt);
    if (sameCycle && same(prior.due_at, clock.result.dueAt) && same(prior.warn_at, clock.result.warnAt) && same(prior.stopped_at, clock.stoppedAt)) continue;
    await tx
      .updateTable("ticket_sla_clocks")
      .set(sameCycle ? values : { ...values, warned_at: null, breached_at: null })
      .where("tenant_id", "=", ctx.tenantId)
      .where("ticket_id", "=", ticket.id)
      .where("target", "=", clock.target)
      .execute();
  }
  const gone = plan.storedClocks.filter((c) => !plan.clocks.some((k) => k.target === c.target)).map((c) => c.target);
  if (gone.length > 0) {
    await tx.deleteFrom("ticket_sla_clocks").where("tenant_id", "=", ctx.tenantId).where("ticket_id", "=", ticket.id).where("target", "in", gone).execute();
  }
  return plan;
}
