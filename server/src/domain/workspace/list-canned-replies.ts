import type { CannedReply } from "@yixian/contracts";
import { sql } from "kysely";
import type { Ctx } from "../context.ts";
import { agentOf } from "../shared/agent.ts";
import { presentCannedReply } from "./canned-reply-store.ts";

/** `q` as a LIKE pattern that matches it literally. */
function likeLiteral(q: string): string {
  return q.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The caller's own canned replies and the tenant's, personal first, then the most used. With
 * `q`: those whose shortcut starts with it (with or without the slash: `/发` and `发` both find
 * `/发票`), or whose title or text contains it (Chinese included).
 */
export async function listCannedReplies(ctx: Ctx, query: { q?: string | undefined; limit: number }): Promise<CannedReply[]> {
  const me = agentOf(ctx);
  let q = ctx.deps.db
    .selectFrom("canned_replies")
    .selectAll()
    .where("tenant_id", "=", ctx.tenantId)
    .where((eb) => eb.or([eb("owner_id", "is", null), eb("owner_id", "=", me.id)]));
  const text = query.q?.trim();
  if (text) {
    const word = likeLiteral(text.replace(/^\//, "").toLowerCase());
    const contains = `%${likeLiteral(text)}%`;
    q = q.where((eb) =>
      eb.or([
        eb(eb.fn("lower", ["shortcut"]), "like", `/${word}%`),
        eb("title", "ilike", contains),
        eb("body", "ilike", contains),
      ]),
    );
  }
  const rows = await q
    .orderBy(sql`case when owner_id is null then 1 else 0 end`)
    .orderBy("usage_count", "desc")
    .orderBy("shortcut")
    .limit(query.limit)
    .execute();
  return rows.map(presentCannedReply);
}
