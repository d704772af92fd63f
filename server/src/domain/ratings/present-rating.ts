import type { Channel, Rating } from "@yixian/contracts";
import type { Row } from "../../db/schema.ts";
import { isoRequired } from "../shared/pagination.ts";

export function presentRating(row: Row<"ratings">): Rating {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    conversationId: row.conversation_id,
    contactId: row.contact_id,
    score: row.score,
    comment: row.comment,
    channel: row.channel as Channel,
    createdAt: isoRequired(row.created_at),
  };
}
