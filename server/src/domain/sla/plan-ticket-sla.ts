/**
 * A ticket's SLA clocks as they stand: which policy applies and, per target, the current cycle
 * (start, stop) and its due/warning instants and state. Read-only; `applySla` stores the result.
 *
 * Rules:
 * - The policy is matched on the ticket's priority and its company's unexpired service pack when
 *   the clocks are first computed and again whenever either changes (or the policy is deleted).
 * - First response: from ticket creation to the first agent reply (`first_response_at`).
 * - Next response: once the first response is made, a customer message that arrives after the
 *   latest agent reply starts a cycle; the next agent reply meets it. The latest cycle is kept.
 * - Resolution: from creation, or from the latest reopen (resolved → open, a new cycle with the
 *   full target), until the ticket is resolved.
 * - Resolving or closing the ticket stops every clock. Time spent resolved never counts, and
 *   time spent pending does not count when the policy pauses while pending.
 */
import type { SlaTarget } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { toBusinessCalendar } from "../business-hours/index.ts";
import { computeClock, type ClockResult } from "./clock.ts";
import { loadSlaFacts, type SlaFacts } from "./load-sla-facts.ts";
import { matchPolicy } from "./match-policy.ts";
import { activeServicePack, endOf, lastReopen, pausesOf, statusStretches } from "./ticket-facts.ts";

export interface PlannedClock {
  target: SlaTarget;
  targetMinutes: number;
  startedAt: Date;
  stoppedAt: Date | null;
  result: ClockResult;
}

export interface TicketSlaPlan {
  ticket: Row<"tickets">;
  policy: Row<"sla_policies"> | null;
  calendar: Row<"calendars"> | null;
  match: { priority: string; servicePack: string | null };
  /** False when the ticket has no SLA record and its tenant no policy: nothing to store. */
  managed: boolean;
  storedClocks: Row<"ticket_sla_clocks">[];
  clocks: PlannedClock[];
}

const MINUTE = 60_000;

/** The ticket's policy, and whether the tenant has any policy at all. */
function policyFor(
  ticket: Row<"tickets">,
  facts: SlaFacts,
  servicePack: string | null,
): { policy: Row<"sla_policies"> | null; tenantHasPolicies: boolean } {
  const stored = facts.stored;
  const keep = stored && stored.matched_priority === ticket.priority && stored.matched_service_pack === servicePack && !(stored.stale && stored.policy_id === null);
  if (keep) {
    if (!stored.policy_id) return { policy: null, tenantHasPolicies: true };
    return { policy: facts.policies.find((p) => p.id === stored.policy_id) ?? null, tenantHasPolicies: true };
  }
  return { policy: matchPolicy(facts.policies, ticket.priority, servicePack), tenantHasPolicies: facts.policies.length > 0 };
}

/** The next-response cycle (start, stop), or null when none has started. */
function nextResponseCycle(
  ticket: Row<"tickets">,
  facts: SlaFacts,
  end: Date | null,
): { startedAt: Date; stoppedAt: Date | null } | null {
  if (!ticket.first_response_at) return null;
  const { waiting, replyAfterStored } = facts.replies;
  if (waiting) return { startedAt: waiting, stoppedAt: end && end > waiting ? end : null };
  const stored = facts.storedClocks.find((c) => c.target === "next_response");
  if (!stored) return null;
  const startedAt = new Date(stored.started_at);
  const stoppedAt = [replyAfterStored, end].filter((d): d is Date => d !== null && d >= startedAt).sort((a, b) => a.getTime() - b.getTime())[0];
  return stoppedAt ? { startedAt, stoppedAt } : null;
}

/** The plan of one ticket from its facts (no database). */
export function planFromFacts(ticket: Row<"tickets">, facts: SlaFacts, now: Date): TicketSlaPlan {
  const servicePack = activeServicePack(facts.company, now);
  const { policy, tenantHasPolicies } = policyFor(ticket, facts, servicePack);
  const match = { priority: ticket.priority, servicePack };
  const managed = facts.stored !== undefined || tenantHasPolicies;
  const storedClocks = facts.storedClocks;
  if (!policy) return { ticket, policy: null, calendar: null, match, managed, storedClocks, clocks: [] };

  const calendar = policy.calendar_id ? (facts.calendars.get(policy.calendar_id) ?? null) : null;
  const stretches = statusStretches(ticket, facts.statusChanges);
  const pauses = pausesOf(stretches, policy.pause_when_pending);
  const end = endOf(ticket);
  const created = new Date(ticket.created_at);

  const cycles: { target: SlaTarget; minutes: number | null; cycle: { startedAt: Date; stoppedAt: Date | null } | null }[] = [];
  const firstResponse = ticket.first_response_at ? new Date(ticket.first_response_at) : null;
  const firstStop = [firstResponse, end].filter((d): d is Date => d !== null).sort((a, b) => a.getTime() - b.getTime())[0] ?? null;
  cycles.push({ target: "first_response", minutes: policy.first_response_minutes, cycle: { startedAt: created, stoppedAt: firstStop } });
  if (policy.next_response_minutes !== null) {
    cycles.push({ target: "next_response", minutes: policy.next_response_minutes, cycle: nextResponseCycle(ticket, facts, end) });
  }
  const reopened = lastReopen(stretches);
  cycles.push({ target: "resolution", minutes: policy.resolution_minutes, cycle: { startedAt: reopened ? new Date(reopened) : created, stoppedAt: end } });

  const cal = toBusinessCalendar(calendar);
  const clocks: PlannedClock[] = [];
  for (const { target, minutes, cycle } of cycles) {
    if (minutes === null || !cycle) continue;
    const result = computeClock(
      { targetMs: minutes * MINUTE, warnFraction: policy.warn_fraction, startedAt: cycle.startedAt, stoppedAt: cycle.stoppedAt, pauses, calendar: cal },
      now,
    );
    clocks.push({ target, targetMinutes: minutes, startedAt: cycle.startedAt, stoppedAt: cycle.stoppedAt, result });
  }
  return { ticket, policy, calendar, match, managed, storedClocks, clocks };
}

/** The plans of several tickets (any tenants), their facts read set-based; in the order given. */
export async function planTicketSlas(db: Executor, tickets: readonly Row<"tickets">[], now: Date): Promise<TicketSlaPlan[]> {
  const facts = await loadSlaFacts(db, tickets);
  return tickets.map((t) => planFromFacts(t, facts.get(t.id)!, now));
}

export async function planTicketSla(db: Executor, ticket: Row<"tickets">, now: Date): Promise<TicketSlaPlan> {
  const [plan] = await planTicketSlas(db, [ticket], now);
  return plan!;
}
