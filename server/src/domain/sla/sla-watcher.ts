/**
 * The SLA watcher: a periodic pass that (1) recomputes the clocks of tickets that changed since
 * their clocks were last computed (or whose policy or calendar changed), a batch of up to ~100
 * tickets per transaction, and (2) fires warnings and breaches whose time has come, each ticket in
 * its own transaction. Both hold the ticket rows (FOR UPDATE SKIP LOCKED), so two server processes
 * never work the same ticket at once, and the fired-at stamps on the clock rows make every warning
 * and breach fire once per cycle.
 */
import type { SlaTarget } from "@yixian/contracts";
import { SLA_TARGETS } from "@yixian/contracts";
import type { Tx } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { inTransaction, systemCtx, type Ctx, type Deps } from "../context.ts";
import { applySla, storeSlaPlans } from "./apply-sla.ts";
import { fireBreach, fireWarning } from "./escalate.ts";
import { planTicketSlas } from "./plan-ticket-sla.ts";

export interface SlaPassResult {
  refreshed: number;
  warned: number;
  breached: number;
}

interface Due {
  ticket_id: string;
  tenant_id: string;
}

const at = (v: Date | string | null) => (v === null ? null : new Date(v));

async function dueTickets(deps: Deps, now: Date, batch: number): Promise<Due[]> {
  const breaches = await deps.db
    .selectFrom("ticket_sla_clocks")
    .select(["ticket_id", "tenant_id"])
    .where("breached_at", "is", null)
    .where((eb) => eb.or([eb("stopped_at", "is", null), eb("stopped_at", ">", eb.ref("due_at"))]))
    .where("due_at", "<=", now)
    .orderBy("due_at")
    .limit(batch)
    .execute();
  const warnings = await deps.db
    .selectFrom("ticket_sla_clocks")
    .select(["ticket_id", "tenant_id"])
    .where("warned_at", "is", null)
    .where("breached_at", "is", null)
    .where("stopped_at", "is", null)
    .where("warn_at", "<=", now)
    .orderBy("warn_at")
    .limit(batch)
    .execute();
  const seen = new Map<string, Due>();
  for (const row of [...breaches, ...warnings]) seen.set(row.ticket_id, row);
  return [...seen.values()];
}

/**
 * Tickets whose clocks are behind: never computed (not closed), changed since (updated_at moved:
 * a status change, a new priority, a message), or flagged stale by a policy or calendar edit.
 */
async function changedTickets(deps: Deps, batch: number): Promise<Due[]> {
  const changed = await deps.db
    .selectFrom("tickets as t")
    .leftJoin("ticket_sla as s", "s.ticket_id", "t.id")
    .select(["t.id as ticket_id", "t.tenant_id"])
    .where("t.status", "<>", "closed")
    .where((eb) => eb.exists(eb.selectFrom("sla_policies as p").select("p.id").whereRef("p.tenant_id", "=", "t.tenant_id")))
    .where((eb) => eb.or([eb("s.ticket_id", "is", null), eb("s.ticket_updated_at", "is distinct from", eb.ref("t.updated_at"))]))
    .limit(batch)
    .execute();
  const stale = await deps.db.selectFrom("ticket_sla").select(["ticket_id", "tenant_id"]).where("stale", "=", true).limit(batch).execute();
  return [...new Map([...changed, ...stale].map((d) => [d.ticket_id, d])).values()];
}

/** The ticket row locked for this transaction, or null when another process holds it right now. */
async function claimTicket(tx: Tx, due: Due): Promise<Row<"tickets"> | null> {
  const row = await tx.selectFrom("tickets").selectAll().where("tenant_id", "=", due.tenant_id).where("id", "=", due.ticket_id).forUpdate().skipLocked().executeTakeFirst();
  return row ?? null;
}

function targetOf(value: string): SlaTarget | null {
  return SLA_TARGETS.find((t) => t === value) ?? null;
}

/** Fires what is due on one claimed ticket; returns how many warnings and breaches fired. */
async function fireDue(tx: Tx, ctx: Ctx, locked: Row<"tickets">): Promise<{ warned: number; breached: number }> {
  const ticketId = locked.id;
  const plan = await applySla(tx, ctx, ticketId, locked);
  let ticket = plan.ticket;
  const now = ctx.deps.clock.now();
  const clocks = await tx.selectFrom("ticket_sla_clocks").selectAll().where("tenant_id", "=", ctx.tenantId).where("ticket_id", "=", ticketId).execute();
  let warned = 0;
  let breached = 0;
  let escalated = false;
  for (const clock of clocks) {
    const target = targetOf(clock.target);
    const dueAt = at(clock.due_at);
    const stoppedAt = at(clock.stopped_at);
    const warnAt = at(clock.warn_at);
    if (!target || !dueAt) continue;
    const set = (values: { warned_at?: Date; breached_at?: Date }) =>
      tx.updateTable("ticket_sla_clocks").set(values).where("tenant_id", "=", ctx.tenantId).where("ticket_id", "=", ticketId).where("target", "=", clock.target).execute();
    const fired = { ticket, policy: plan.policy, target, dueAt, warnAt };
    if (clock.breached_at === null && dueAt <= now && (stoppedAt === null || stoppedAt > dueAt)) {
      if (await fireBreach(tx, ctx, fired, stoppedAt === null)) escalated = true;
      await set(clock.warned_at === null ? { breached_at: now, warned_at: now } : { breached_at: now });
      breached++;
      ticket = await tx.selectFrom("tickets").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", ticketId).executeTakeFirstOrThrow();
    } else if (clock.warned_at === null && clock.breached_at === null && stoppedAt === null && warnAt && warnAt <= now) {
      await fireWarning(tx, ctx, fired);
      await set({ warned_at: now });
      warned++;
    }
  }
  // A raised priority may bring the ticket under another policy with other targets.
  if (escalated) await applySla(tx, ctx, ticketId);
  return { warned, breached };
}

/**
 * Recomputes the clocks of a batch of changed tickets in one transaction: the tickets nobody else
 * holds are locked at once (FOR UPDATE SKIP LOCKED), their facts read set-based, their plans made
 * in memory and stored with one statement (≈ 10 round trips for the batch, was ≈ 11 per ticket).
 * Returns how many were refreshed; tickets held elsewhere wait for a later pass.
 */
async function refreshBatch(deps: Deps, dues: readonly Due[]): Promise<number> {
  if (dues.length === 0) return 0;
  try {
    return await inTransaction({ deps }, async (tx) => {
      const locked = await tx
        .selectFrom("tickets")
        .selectAll()
        .where("id", "in", dues.map((d) => d.ticket_id))
        .orderBy("id")
        .forUpdate()
        .skipLocked()
        .execute();
      const now = deps.clock.now();
      await storeSlaPlans(tx, await planTicketSlas(tx, locked, now), now);
      return locked.length;
    });
  } catch (err) {
    deps.log.error({ err, tickets: dues.length }, "SLA watcher could not refresh a batch of tickets; will retry");
    return 0;
  }
}

// A busy pass catches up in several batches, but never spends more than this many on it.
const MAX_REFRESH_BATCHES = 20;

/**
 * One pass of the watcher: catch up changed tickets (in batches of `batch`, at most `maxBatches`
 * of them), then fire up to `batch` due tickets.
 */
export async function runSlaWatcherOnce(deps: Deps, batch = 100, maxBatches = MAX_REFRESH_BATCHES): Promise<SlaPassResult> {
  const result: SlaPassResult = { refreshed: 0, warned: 0, breached: 0 };
  for (let round = 0; round < maxBatches; round++) {
    const changed = await changedTickets(deps, batch);
    const done = await refreshBatch(deps, changed);
    result.refreshed += done;
    // a short batch, or one whose tickets are all held by someone else, ends the catch-up
    if (changed.length < batch || done === 0) break;
  }
  for (const due of await dueTickets(deps, deps.clock.now(), batch)) {
    try {
      const fired = await inTransaction({ deps }, async (tx) => {
        const locked = await claimTicket(tx, due);
        if (!locked) return { warned: 0, breached: 0 };
        return fireDue(tx, systemCtx(deps, due.tenant_id), locked);
      });
      result.warned += fired.warned;
      result.breached += fired.breached;
    } catch (err) {
      deps.log.error({ err, tenantId: due.tenant_id, ticketId: due.ticket_id }, "SLA watcher could not process a ticket; will retry");
    }
  }
  return result;
}

/**
 * Starts the watcher: one pass every `everyMs` (never two at once in this process). Passes are
 * short and frequent (every 2 s, at most two batches of catch-up each) rather than long and
 * rare: on a busy desk every message moves a ticket's clocks, and refreshing them in one burst
 * every ten seconds made the chats around it wait. Returns a stopper that waits for a pass in
 * progress, so the database can be closed right after.
 */
export function startSlaWatcher(deps: Deps, options: { everyMs?: number; batch?: number } = {}): () => Promise<void> {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = runSlaWatcherOnce(deps, options.batch, 2)
      .then(() => undefined)
      .catch((err: unknown) => deps.log.error({ err }, "SLA watcher pass failed"))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, options.everyMs ?? 2_000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
