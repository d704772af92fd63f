import { rooms } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { recordEvent } from "../events/outbox.ts";
import { conversationState } from "./conversation-guards.ts";

/** Queues `conversation:changed` for the tenant and the conversation's room, delivered after commit. */
export async function conversationChanged(tx: Executor, conversation: Row<"conversations">, changes: string[]): Promise<void> {
  await recordEvent(tx, {
    tenantId: conversation.tenant_id,
    event: "conversation:changed",
    rooms: [rooms.tenant(conversation.tenant_id), rooms.conversation(conversation.id)],
    payload: {
      id: conversation.id,
      ticketId: conversation.ticket_id,
      state: conversationState(conversation),
      updatedAt: new Date(conversation.updated_at).toISOString(),
      changes,
    },
  });
}
