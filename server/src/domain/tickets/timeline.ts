import type { TimelineKind } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import { actorId, type Ctx } from "../context.ts";

export interface TimelineEntry {
  ticketId: string;
  kind: TimelineKind;
  conversationId?: string | null;
  messageId?: string | null;
  /** Kind-specific detail: { from, to } for changes, { body } for notes, { recordingUrl } for calls … */
  data?: Record<string, unknown>;
  occurredAt?: Date;
}

/** Appends one entry to a ticket's timeline, in the caller's transaction, as the ctx's actor. */
export async function addTimelineEvent(tx: Executor, ctx: Ctx, entry: TimelineEntry): Promise<number> {
  const row = await tx
    .insertInto("timeline_events")
    .values({
      tenant_id: ctx.tenantId,
      ticket_id: entry.ticketId,
      kind: entry.kind,
      occurred_at: entry.occurredAt ?? ctx.deps.clock.now(),
      actor_type: ctx.actor.type,
      actor_id: actorId(ctx.actor),
      conversation_id: entry.conversationId ?? null,
      message_id: entry.messageId ?? null,
      data: JSON.stringify(entry.data ?? {}),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}
