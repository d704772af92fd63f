/**
 * What happens when an SLA clock reaches its warning point or its due time: a timeline entry, an
 * audit row and a realtime event; on breach, the policy's escalation actions (notify the
 * tenant's supervisors, raise the priority, move the ticket to another queue). Runs as the system.
 */
import { TICKET_PRIORITIES, rooms, type SlaTarget, type TicketPriority } from "@yixian/contracts";
import type { Tx } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import type { Ctx } from "../context.ts";
import { recordEvent } from "../events/outbox.ts";
import { recordAudit } from "../shared/audit.ts";
import { ticketChanged } from "../tickets/ticket-events.ts";
import { addTimelineEvent } from "../tickets/timeline.ts";

export interface FiredClock {
  ticket: Row<"tickets">;
  policy: Row<"sla_policies"> | null;
  target: SlaTarget;
  dueAt: Date;
  warnAt: Date | null;
}

function slaEvent(f: FiredClock) {
  return { ticketId: f.ticket.id, number: f.ticket.number, target: f.target, dueAt: f.dueAt.toISOString() };
}

function baseRooms(ticket: Row<"tickets">): string[] {
  return [rooms.tenant(ticket.tenant_id), rooms.ticket(ticket.id), ...(ticket.assignee_id ? [rooms.agent(ticket.assignee_id)] : [])];
}

const policyRef = (policy: Row<"sla_policies"> | null) => (policy ? { policyId: policy.id, policyName: policy.name } : {});

/** The warning: `sla_warning` on the timeline, `sla:warning` to the tenant, the ticket and its assignee. */
export async function fireWarning(tx: Tx, ctx: Ctx, f: FiredClock): Promise<void> {
  const now = ctx.deps.clock.now();
  const data = { target: f.target, warnAt: f.warnAt?.toISOString() ?? null, dueAt: f.dueAt.toISOString(), ...policyRef(f.policy) };
  await addTimelineEvent(tx, ctx, { ticketId: f.ticket.id, kind: "sla_warning", occurredAt: now, data });
  await recordAudit(tx, ctx, { action: "sla.warning", entityType: "ticket", entityId: f.ticket.id, changes: data });
  await recordEvent(tx, { tenantId: f.ticket.tenant_id, event: "sla:warning", rooms: baseRooms(f.ticket), payload: slaEvent(f) });
  await ticketChanged(tx, f.ticket, ["sla", "timeline"]);
}

/** The priority a breach raises the ticket to, or null when it would not go up. */
export function raisedPriority(current: string, rule: string | null): TicketPriority | null {
  if (!rule) return null;
  const at = TICKET_PRIORITIES.findIndex((p) => p === current);
  const to = rule === "one_step" ? at + 1 : TICKET_PRIORITIES.findIndex((p) => p === rule);
  return to > at ? (TICKET_PRIORITIES[to] ?? null) : null;
}

async function supervisorsOf(tx: Tx, tenantId: string): Promise<string[]> {
  const rows = await tx.selectFrom("users").select("id").where("tenant_id", "=", tenantId).where("role", "=", "supervisor").where("is_active", "=", true).execute();
  return rows.map((r) => r.id);
}

async function queueName(tx: Tx, tenantId: string, queueId: string | null): Promise<{ id: string; name: string } | null> {
  if (!queueId) return null;
  return (await tx.selectFrom("queues").select(["id", "name"]).where("tenant_id", "=", tenantId).where("id", "=", queueId).executeTakeFirst()) ?? null;
}

/**
 * The breach: `sla_breached` on the timeline and `sla:breached` (to the tenant, the ticket, its
 * assignee and, when the policy says so, every supervisor). A clock that is still running is
 * escalated (`escalated` entry listing what was done); one already stopped late only records the
 * breach. Returns true when the escalation changed the ticket (priority or queue).
 */
export async function fireBreach(tx: Tx, ctx: Ctx, f: FiredClock, running: boolean): Promise<boolean> {
  const now = ctx.deps.clock.now();
  const tenantId = f.ticket.tenant_id;
  const policy = f.policy;
  const data = { target: f.target, dueAt: f.dueAt.toISOString(), ...policyRef(policy) };
  await addTimelineEvent(tx, ctx, { ticketId: f.ticket.id, kind: "sla_breached", occurredAt: now, data });
  await recordAudit(tx, ctx, { action: "sla.breached", entityType: "ticket", entityId: f.ticket.id, changes: data });
  const supervisors = running && policy?.notify_supervisors ? await supervisorsOf(tx, tenantId) : [];
  await recordEvent(tx, {
    tenantId,
    event: "sla:breached",
    rooms: [...new Set([...baseRooms(f.ticket), ...supervisors.map((id) => rooms.agent(id))])],
    payload: slaEvent(f),
  });
  if (!running || !policy) {
    await ticketChanged(tx, f.ticket, ["sla", "timeline"]);
    return false;
  }

  const actions: Record<string, unknown>[] = [];
  if (supervisors.length > 0) actions.push({ action: "notify_supervisors", userIds: supervisors });
  const set: { priority?: TicketPriority; queue_id?: string } = {};
  const priority = raisedPriority(f.ticket.priority, policy.raise_priority);
  if (priority) {
    set.priority = priority;
    actions.push({ action: "raise_priority", from: f.ticket.priority, to: priority });
    await addTimelineEvent(tx, ctx, { ticketId: f.ticket.id, kind: "priority_changed", occurredAt: now, data: { from: f.ticket.priority, to: priority, reason: "sla_breach" } });
  }
  const target = policy.move_to_queue_id !== f.ticket.queue_id ? await queueName(tx, tenantId, policy.move_to_queue_id) : null;
  if (target) {
    const from = await queueName(tx, tenantId, f.ticket.queue_id);
    set.queue_id = target.id;
    actions.push({ action: "move_queue", from, to: target });
    await addTimelineEvent(tx, ctx, { ticketId: f.ticket.id, kind: "transferred", occurredAt: now, data: { from: { queue: from }, to: { queue: target }, reason: "sla_breach" } });
  }
  if (actions.length === 0) {
    await ticketChanged(tx, f.ticket, ["sla", "timeline"]);
    return false;
  }
  await addTimelineEvent(tx, ctx, { ticketId: f.ticket.id, kind: "escalated", occurredAt: now, data: { target: f.target, actions, ...policyRef(policy) } });
  const changes: Record<string, unknown> = { target: f.target, actions };
  let updated = f.ticket;
  if (set.priority || set.queue_id) {
    updated = await tx
      .updateTable("tickets")
      .set({ ...set, updated_at: now })
      .where("tenant_id", "=", tenantId)
      .where("id", "=", f.ticket.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (set.priority) changes.priority = [f.ticket.priority, set.priority];
    if (set.queue_id) changes.queueId = [f.ticket.queue_id, set.queue_id];
  }
  await recordAudit(tx, ctx, { action: "ticket.escalated", entityType: "ticket", entityId: f.ticket.id, changes });
  await ticketChanged(tx, updated, ["sla", "timeline", ...(set.priority ? ["priority"] : []), ...(set.queue_id ? ["queueId"] : [])]);
  return set.priority !== undefined || set.queue_id !== undefined;
}
