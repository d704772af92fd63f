import type { Conversation } from "@yixian/contracts";
import type { Row } from "../../db/schema.ts";
import { iso, isoRequired } from "../shared/pagination.ts";
import { conversationChannel, conversationState } from "./conversation-guards.ts";

export function presentConversation(row: Row<"conversations">): Conversation {
  return {
    id: row.id,
    channel: conversationChannel(row),
    state: conversationState(row),
    subject: row.subject,
    contactId: row.contact_id,
    identityId: row.identity_id,
    ticketId: row.ticket_id,
    queueId: row.queue_id,
    assigneeId: row.assignee_id,
    externalRef: row.external_ref,
    lastSeq: row.last_seq,
    startedAt: isoRequired(row.started_at),
    acceptedAt: iso(row.accepted_at),
    endedAt: iso(row.ended_at),
    lastMessageAt: iso(row.last_message_at),
    createdAt: isoRequired(row.created_at),
    updatedAt: isoRequired(row.updated_at),
  };
}
