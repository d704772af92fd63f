import { rooms } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { recordEvent } from "../events/outbox.ts";
import { conversationState } from "./conversation-guards.ts";

/**
 * Who hears of a conversation's new messages: those following it or its ticket, its agent (or,
 * while it waits, its queue's agents) and the supervisors — not the whole tenant: on a busy desk that would be
 * every console refetching on every message.
 */
export function messageAudience(conversation: Pick<Row<"conversations">, "id" | "tenant_id" | "assignee_id" | "queue_id" | "ticket_id">): string[] {
  return [
    rooms.conversation(conversation.id),
    ...(conversation.ticket_id ? [rooms.ticket(conversation.ticket_id)] : []),
    rooms.supervisors(conversation.tenant_id),
    ...(conversation.assignee_id ? [rooms.agent(conversation.assignee_id)] : conversation.queue_id ? [rooms.queue(conversation.queue_id)] : []),
  ];
}

/**
 * Queues `conversation:changed`, delivered after commit: for the tenant and the conversation's
 * room, or only the message audience when nothing but its messages changed.
 */
export async function conversationChanged(tx: Executor, conversation: Row<"conversations">, changes: string[]): Promise<void> {
  const onlyMessages = changes.length > 0 && changes.every((c) => c === "messages");
  await recordEvent(tx, {
    tenantId: conversation.tenant_id,
    event: "conversation:changed",
    rooms: onlyMessages ? messageAudience(conversation) : [rooms.tenant(conversation.tenant_id), rooms.conversation(conversation.id)],
    payload: {
      id: conversation.id,
      channel: conversation.channel,
      ticketId: conversation.ticket_id,
      state: conversationState(conversation),
      updatedAt: new Date(conversation.updated_at).toISOString(),
      changes,
    },
  });
}
