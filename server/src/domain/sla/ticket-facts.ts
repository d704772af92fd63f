/**
 * What an SLA clock is derived from, read from the ticket, its status history on the timeline and
 * its messages. Nothing here is SLA bookkeeping: the clocks follow what actually happened.
 */
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

/** A `status_changed` entry of the ticket's timeline, in timeline order. */
export interface StatusChange {
  occurred_at: Date | string;
  data: Record<string, unknown>;
}

/** The ticket's statuses over time, from creation ("new") through every status_changed entry. */
export function statusStretches(ticket: Row<"tickets">, changes: readonly StatusChange[]): StatusStretch[] {
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
export function activeServicePack(company: { service_pack: string | null; service_expires_on: string | null; time_zone: string } | undefined, now: Date): ServicePack | null {
  const pack = SERVICE_PACKS.find((p) => p === company?.service_pack) ?? null;
  if (!company || !pack) return null;
  const status = serviceStatus(pack, company.service_expires_on, localDate(now, company.time_zone));
  return status === "expired" || status === "none" ? null : pack;
}
