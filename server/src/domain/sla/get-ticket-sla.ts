import type { TicketSla } from "@yixian/contracts";
import type { Ctx } from "../context.ts";
import { found } from "../errors.ts";
import { iso } from "../shared/pagination.ts";
import { planTicketSla } from "./plan-ticket-sla.ts";

/**
 * A ticket's live SLA clocks, computed now from the ticket, its timeline and messages (so they
 * are right even between two runs of the SLA watcher). NOT_FOUND for another tenant's ticket.
 */
export async function getTicketSla(ctx: Ctx, ticketId: string): Promise<TicketSla> {
  const db = ctx.deps.db;
  const ticket = found(await db.selectFrom("tickets").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", ticketId).executeTakeFirst(), "ticket");
  const plan = await planTicketSla(db, ticket, ctx.deps.clock.now());
  return {
    ticketId: ticket.id,
    policy: plan.policy ? { id: plan.policy.id, name: plan.policy.name } : null,
    calendarId: plan.calendar?.id ?? null,
    clocks: plan.clocks.map((c) => ({
      target: c.target,
      state: c.result.state,
      startedAt: c.startedAt.toISOString(),
      dueAt: iso(c.result.dueAt),
      warnAt: iso(c.result.warnAt),
      stoppedAt: iso(c.stoppedAt),
      targetMinutes: c.targetMinutes,
      remainingSeconds: Math.floor(c.result.remainingMs / 1000),
      overdueSeconds: Math.floor(c.result.overdueMs / 1000),
    })),
  };
}
