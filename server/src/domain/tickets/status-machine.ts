import type { TicketStatus } from "@yixian/contracts";
import { DomainError } from "../errors.ts";

/**
 * The ticket lifecycle: new → open → pending → resolved → closed, with reopen from resolved.
 * Closed is final: a customer who writes again about a closed problem gets a new ticket.
 */
export const STATUS_TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ["open", "pending", "resolved"],
  open: ["pending", "resolved"],
  pending: ["open", "resolved"],
  resolved: ["open", "closed"],
  closed: [],
};

export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return STATUS_TRANSITIONS[from].includes(to);
}

/** Throws TICKET_CLOSED for any change of a closed ticket, INVALID_TRANSITION for other moves. */
export function assertTransition(from: TicketStatus, to: TicketStatus): void {
  if (from === "closed") throw new DomainError("TICKET_CLOSED", `the ticket is closed; it cannot move to ${to}`);
  if (!canTransition(from, to)) throw new DomainError("INVALID_TRANSITION", `a ticket cannot move from ${from} to ${to}`);
}

export interface StatusStamps {
  resolved_at?: Date | null;
  closed_at?: Date | null;
}

/** The timestamp columns a transition sets: resolved_at on resolve, closed_at on close, a reopen clears resolved_at. */
export function statusStamps(from: TicketStatus, to: TicketStatus, now: Date): StatusStamps {
  switch (to) {
    case "resolved":
      return { resolved_at: now };
    case "closed":
      return { closed_at: now };
    case "open":
    case "pending":
      return from === "resolved" ? { resolved_at: null } : {};
    case "new":
      return {};
  }
}
