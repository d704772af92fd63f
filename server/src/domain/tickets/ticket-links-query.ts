import { ZLinkKind, type LinkKind, type TicketStatus } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import { isoRequired } from "../shared/pagination.ts";

/** Seen from the other ticket, a parent is a child and vice versa; related and duplicate read both ways. */
export function reverseKind(kind: LinkKind): LinkKind {
  switch (kind) {
    case "parent":
      return "child";
    case "child":
      return "parent";
    case "related":
    case "duplicate":
      return kind;
  }
}

export interface PresentedLink {
  ticketId: string;
  number: string;
  subject: string;
  status: TicketStatus;
  kind: LinkKind;
  createdAt: string;
}

/** Every link of a ticket, stored in either direction, with `kind` saying what the other ticket is to this one. */
export async function loadTicketLinks(db: Executor, tenantId: string, ticketId: string): Promise<PresentedLink[]> {
  const outgoing = db
    .selectFrom("ticket_links as l")
    .innerJoin("tickets as o", "o.id", "l.linked_ticket_id")
    .where("l.tenant_id", "=", tenantId)
    .where("l.ticket_id", "=", ticketId)
    .select(["o.id", "o.number", "o.subject", "o.status", "l.kind", "l.created_at"]);
  const incoming = db
    .selectFrom("ticket_links as l")
    .innerJoin("tickets as o", "o.id", "l.ticket_id")
    .where("l.tenant_id", "=", tenantId)
    .where("l.linked_ticket_id", "=", ticketId)
    .select(["o.id", "o.number", "o.subject", "o.status", "l.kind", "l.created_at"]);
  const [out, inc] = await Promise.all([outgoing.execute(), incoming.execute()]);
  const present = (r: (typeof out)[number], reverse: boolean): PresentedLink => {
    const kind = ZLinkKind.parse(r.kind);
    return {
      ticketId: r.id,
      number: r.number,
      subject: r.subject,
      status: r.status as TicketStatus,
      kind: reverse ? reverseKind(kind) : kind,
      createdAt: isoRequired(r.created_at),
    };
  };
  return [...out.map((r) => present(r, false)), ...inc.map((r) => present(r, true))].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}
