import { AUTHOR_TYPES, DELIVERY_STATES, MESSAGE_DIRECTIONS, type Message } from "@yixian/contracts";
import type { Row } from "../../db/schema.ts";
import { presentAttachment } from "../attachments/present-attachment.ts";
import { isoRequired } from "../shared/pagination.ts";
import { conversationChannel, knownValue } from "./conversation-guards.ts";

function richOf(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

export function presentMessage(row: Row<"messages">, attachments: Row<"attachments">[]): Message {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    ticketId: row.ticket_id,
    channel: conversationChannel(row),
    seq: row.seq,
    direction: knownValue(MESSAGE_DIRECTIONS, row.direction, "direction"),
    authorType: knownValue(AUTHOR_TYPES, row.author_type, "author type"),
    authorId: row.author_id,
    text: row.body_text,
    rich: richOf(row.body_rich),
    deliveryState: knownValue(DELIVERY_STATES, row.delivery_state, "delivery state"),
    deliveryError: row.delivery_error ?? null,
    externalId: row.external_id,
    clientId: row.client_id,
    attachments: attachments.map(presentAttachment),
    createdAt: isoRequired(row.created_at),
  };
}
