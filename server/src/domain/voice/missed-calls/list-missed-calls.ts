import type { MissedCall, MissedCallListQuery, Page } from "@yixian/contracts";
import type { Ctx } from "../../context.ts";
import { decodeCursor, isoRequired, toPage } from "../../shared/pagination.ts";
import { presentMissedCall, selectMissedCalls } from "./missed-call-rows.ts";

/**
 * The missed-call list: open entries (claimed or not) by their latest attempt, newest first, or
 * those called back, latest first; of one queue or all.
 */
export async function listMissedCalls(ctx: Ctx, query: MissedCallListQuery): Promise<Page<MissedCall>> {
  const at = query.state === "done" ? "m.done_at" : "m.last_at";
  let q = selectMissedCalls(ctx.deps.db, ctx.tenantId).where("m.done_at", query.state === "done" ? "is not" : "is", null);
  if (query.queueId) q = q.where("m.queue_id", "=", query.queueId);
  const cursor = decodeCursor(query.cursor);
  if (cursor) {
    const [when, id] = [new Date(String(cursor[0])), String(cursor[1])];
    q = q.where((eb) => eb.or([eb(at, "<", when), eb.and([eb(at, "=", when), eb("m.id", "<", id)])]));
  }
  const rows = await q.orderBy(at, "desc").orderBy("m.id", "desc").limit(query.limit + 1).execute();
  return toPage(rows, query.limit, (r) => [isoRequired(query.state === "done" ? r.done_at! : r.last_at), r.id], presentMissedCall);
}
