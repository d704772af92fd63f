/** Kinds of entry on a ticket's one timeline. Later issues add call, dispatch, visit, payment … */
export const TIMELINE_KINDS = [
  "ticket_created",
  "message",
  "note",
  "call",
  "status_changed",
  "priority_changed",
  "assigned",
  "transferred",
  "category_changed",
  "fields_changed",
  "conversation_linked",
  "conversation_detached",
  "linked",
  "merged_in",
  "merged_into",
  "rating",
  "routed",
  "sla_warning",
  "sla_breached",
  "escalated",
  "dispatch",
  "visit",
  "payment",
  "signature",
  "contact_identified",
  "caller_work_done",
  "callback_retry",
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export const TICKET_STATUSES = ["new", "open", "pending", "resolved", "closed"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const OPEN_STATUSES: readonly TicketStatus[] = ["new", "open", "pending"];

export const TICKET_PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
