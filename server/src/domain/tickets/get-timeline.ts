import type { Page, TimelineItem } from "@yixian/contracts";
import { sql } from "kysely";
import type { Ctx } from "../context.ts";
import { found } from "../errors.ts";
import { encodeCursor } from "../shared/pagination.ts";
import { decodeTimeCursor, fromMicros } from "./keyset-time.ts";
import { loadTimelineExtras, presentTimelineItem, selectTimeline } from "./timeline-query.ts";

/**
 * The ticket's one timeline, oldest first: messages of every channel (with bodies, authors and
 * attachments), calls, notes, status changes, assignments, transfers, ratings … a page at a time.
 */
export async function getTimeline(ctx: Ctx, ticketId: string, page: { limit: number; cursor?: string }): Promise<Page<TimelineItem>> {
  const db = ctx.deps.db;
  found(await db.selectFrom("tickets").select("id").where("tenant_id", "=", ctx.tenantId).where("id", "=", ticketId).executeTakeFirst(), "ticket");
  let q = selectTimeline(db, ctx.tenantId).where("e.ticket_id", "=", ticketId);
  const after = decodeTimeCursor<number>(page.cursor, "number");
  if (after) q = q.where(sql<boolean>`(e.occurred_at, e.id) > (${fromMicros(after[0])}, ${after[1]}::bigint)`);
  const rows = await q.orderBy("e.occurred_at").orderBy("e.id").limit(page.limit + 1).execute();
  const more = rows.length > page.limit;
  const shown = more ? rows.slice(0, page.limit) : rows;
  const extras = await loadTimelineExtras(db, ctx.tenantId, shown);
  const last = shown.at(-1);
  return {
    items: shown.map((r) => presentTimelineItem(r, extras)),
    nextCursor: more && last ? encodeCursor([last.occurred_us, last.id]) : null,
  };
}
