import type { Call, Channel, TimelineItem, TimelineKind } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import type { Ctx } from "../context.ts";
import { found } from "../errors.ts";
import { isoRequired } from "../shared/pagination.ts";
import { loadCalls } from "../shared/present-call.ts";
import { micros } from "./keyset-time.ts";

/** Timeline entries of one tenant with actor names and, for message entries, the message and its author. */
export function selectTimeline(db: Executor, tenantId: string) {
  return db
    .selectFrom("timeline_events as e")
    .leftJoin("users as au", (j) => j.onRef("au.id", "=", "e.actor_id").on("e.actor_type", "=", "user"))
    .leftJoin("contacts as ac", (j) => j.onRef("ac.id", "=", "e.actor_id").on("e.actor_type", "=", "contact"))
    .leftJoin("messages as m", (j) => j.onRef("m.id", "=", "e.message_id").on("m.tenant_id", "=", tenantId))
    .leftJoin("users as mu", (j) => j.onRef("mu.id", "=", "m.author_id").on("m.author_type", "=", "user"))
    .leftJoin("contacts as mc", (j) => j.onRef("mc.id", "=", "m.author_id").on("m.author_type", "=", "contact"))
    .where("e.tenant_id", "=", tenantId)
    .select([
      "e.id",
      "e.kind",
      "e.occurred_at",
      "e.actor_type",
      "e.actor_id",
      "e.conversation_id",
      "e.data",
      micros("e.occurred_at").as("occurred_us"),
      "au.display_name as actor_user_name",
      "ac.name as actor_contact_name",
      "m.id as message_id",
      "m.channel as message_channel",
      "m.direction as message_direction",
      "m.author_type as message_author_type",
      "m.author_id as message_author_id",
      "m.body_text as message_text",
      "m.delivery_state as message_delivery_state",
      "m.created_at as message_created_at",
      "mu.display_name as message_user_name",
      "mc.name as message_contact_name",
    ]);
}

export type TimelineRow = Awaited<ReturnType<ReturnType<typeof selectTimeline>["executeTakeFirstOrThrow"]>>;

type Attachment = NonNullable<TimelineItem["message"]>["attachments"][number];

/** Attachments of the given messages, by message id. */
export async function loadAttachments(db: Executor, tenantId: string, messageIds: string[]): Promise<Map<string, Attachment[]>> {
  const byMessage = new Map<string, Attachment[]>();
  if (messageIds.length === 0) return byMessage;
  const rows = await db
    .selectFrom("attachments")
    .select(["id", "message_id", "filename", "content_type", "size_bytes"])
    .where("tenant_id", "=", tenantId)
    .where("message_id", "in", messageIds)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  for (const r of rows) {
    if (!r.message_id) continue;
    const list = byMessage.get(r.message_id) ?? [];
    list.push({ id: r.id, filename: r.filename, contentType: r.content_type, sizeBytes: Number(r.size_bytes) });
    byMessage.set(r.message_id, list);
  }
  return byMessage;
}

/** What the timeline entries show besides themselves: messages' attachments, and the calls of call entries. */
export interface TimelineExtras {
  attachments: Map<string, Attachment[]>;
  calls: Map<string, Call>;
}

const callIdOf = (row: Pick<TimelineRow, "kind" | "data">): string | null => {
  const id = row.kind === "call" ? (row.data as Record<string, unknown>).callId : null;
  return typeof id === "string" ? id : null;
};

/** The attachments and calls that these entries show. */
export async function loadTimelineExtras(db: Executor, tenantId: string, rows: readonly TimelineRow[]): Promise<TimelineExtras> {
  const [attachments, calls] = await Promise.all([
    loadAttachments(db, tenantId, rows.flatMap((r) => (r.message_id ? [r.message_id] : []))),
    loadCalls(db, tenantId, rows.flatMap((r) => callIdOf(r) ?? [])),
  ]);
  return { attachments, calls };
}

export function presentTimelineItem(row: TimelineRow, { attachments, calls }: TimelineExtras): TimelineItem {
  const callId = callIdOf(row);
  const actorName = row.actor_type === "user" ? row.actor_user_name : row.actor_type === "contact" ? row.actor_contact_name : null;
  return {
    id: row.id,
    kind: row.kind as TimelineKind,
    occurredAt: isoRequired(row.occurred_at),
    actor: { type: row.actor_type as TimelineItem["actor"]["type"], id: row.actor_id, name: actorName },
    conversationId: row.conversation_id,
    message:
      row.message_id && row.message_created_at
        ? {
            id: row.message_id,
            channel: row.message_channel as Channel,
            direction: row.message_direction as NonNullable<TimelineItem["message"]>["direction"],
            authorType: row.message_author_type as NonNullable<TimelineItem["message"]>["authorType"],
            authorId: row.message_author_id,
            authorName: row.message_user_name ?? row.message_contact_name ?? null,
            text: row.message_text ?? "",
            deliveryState: row.message_delivery_state ?? "received",
            attachments: attachments.get(row.message_id) ?? [],
            createdAt: isoRequired(row.message_created_at),
          }
        : null,
    call: callId ? (calls.get(callId) ?? null) : null,
    data: row.data,
  };
}

/** One timeline entry of ctx's tenant, presented. */
export async function loadTimelineItem(db: Executor, ctx: Ctx, eventId: number): Promise<TimelineItem> {
  const row = found(await selectTimeline(db, ctx.tenantId).where("e.id", "=", eventId).executeTakeFirst(), "timeline entry");
  return presentTimelineItem(row, await loadTimelineExtras(db, ctx.tenantId, [row]));
}
