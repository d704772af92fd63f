import { rooms, type InboxChangedEvent } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import { recordEvent } from "../events/outbox.ts";

/** Queues a thin `inbox:changed` to each agent's room (after commit): their badges need a refetch. */
export async function inboxChanged(tx: Executor, tenantId: string, userIds: readonly (string | null)[], reason: InboxChangedEvent["reason"], conversationId: string | null, now: Date): Promise<void> {
  for (const userId of new Set(userIds)) {
    if (!userId) continue;
    await recordEvent(tx, { tenantId, event: "inbox:changed", rooms: [rooms.agent(userId)], payload: { reason, conversationId, at: now.toISOString() } });
  }
}
