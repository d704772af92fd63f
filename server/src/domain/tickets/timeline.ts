import type { TimelineKind } from "@yixian/contracts";
import type { Insertable } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { DB } from "../../db/schema.ts";
import { actorId, type Ctx } from "../context.ts";

export interface TimelineEntry {
  ticketId: string;
  kind: TimelineKind;
  conversationId?: string | null;
  messageId?: string | null;
  /** Kind-specific detail: { from, to } for changes, { body } for notes, { recordingUrl } for calls … */
  data?: Record<string, unknown>;
  occurredAt?: Date;
  /** Who the entry is by, when not the ctx's actor (a customer's message recorded when an agent accepts). */
  actor?: { type: "user" | "contact" | "system" | "integration"; id: string | null };
}

/** Appends one entry to a ticket's timeline, in the caller's transaction, as the ctx's actor. */
export async function addTimelineEvent(tx: Executor, ctx: Ctx, entry: TimelineEntry): Promise<number> {
  const row = await tx.insertInto("timeline_events").values(timelineRow(ctx, entry)).returning("id").executeTakeFirstOrThrow();
  return row.id;
}

/** The row of one timeline entry (for callers that write it within a larger statement). */
export function timelineRow(ctx: Ctx, entry: TimelineEntry): Insertable<DB["timeline_events"]> {
  return { ...timelineValues(ctx, entry), ticket_id: entry.ticketId };
}

/** The columns of a timeline entry but its ticket (for a statement that takes the ticket from elsewhere). */
export function timelineValues(ctx: Ctx, entry: Omit<TimelineEntry, "ticketId">): Omit<Insertable<DB["timeline_events"]>, "ticket_id"> {
  return {
    tenant_id: ctx.tenantId,
    kind: entry.kind,
    occurred_at: entry.occurredAt ?? ctx.deps.clock.now(),
    actor_type: entry.actor?.type ?? ctx.actor.type,
    actor_id: entry.actor ? entry.actor.id : actorId(ctx.actor),
    conversation_id: entry.conversationId ?? null,
    message_id: entry.messageId ?? null,
    data: JSON.stringify(entry.data ?? {}),
  };
}
