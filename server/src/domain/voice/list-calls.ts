import type { Call, CallListQuery, Page } from "@yixian/contracts";
import { presentCall, selectCalls } from "../shared/present-call.ts";
import type { Ctx } from "../context.ts";
import { decodeCursor, isoRequired, toPage } from "../shared/pagination.ts";

/** Call records, newest first, filtered as the console's call list and the CSV export ask. */
function query(ctx: Ctx, filter: CallListQuery) {
  let q = selectCalls(ctx.deps.db, ctx.tenantId);
  if (filter.from) q = q.where("c.started_at", ">=", new Date(filter.from));
  if (filter.to) q = q.where("c.started_at", "<", new Date(filter.to));
  if (filter.direction) q = q.where("c.direction", "=", filter.direction);
  if (filter.disposition) q = q.where("c.disposition", "=", filter.disposition);
  if (filter.agentId) q = q.where("c.agent_id", "=", filter.agentId);
  if (filter.queueId) q = q.where("c.queue_id", "=", filter.queueId);
  if (filter.number) {
    const like = `%${filter.number.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    q = q.where((eb) => eb.or([eb("c.from_number", "like", like), eb("c.to_number", "like", like), eb("c.did", "like", like)]));
  }
  return q;
}

export async function listCalls(ctx: Ctx, filter: CallListQuery): Promise<Page<Call>> {
  let q = query(ctx, filter);
  const cursor = decodeCursor(filter.cursor);
  if (cursor) {
    const [at, id] = [new Date(String(cursor[0])), String(cursor[1])];
    q = q.where((eb) => eb.or([eb("c.started_at", "<", at), eb.and([eb("c.started_at", "=", at), eb("c.id", "<", id)])]));
  }
  const rows = await q.orderBy("c.started_at", "desc").orderBy("c.id", "desc").limit(filter.limit + 1).execute();
  return toPage(rows, filter.limit, (r) => [isoRequired(r.started_at), r.id], presentCall);
}

const CSV_COLUMNS: [string, (c: Call) => string | number | null][] = [
  ["started_at", (c) => c.startedAt],
  ["direction", (c) => c.direction],
  ["from", (c) => c.from],
  ["to", (c) => c.to],
  ["did", (c) => c.did],
  ["queue", (c) => c.queue?.name ?? null],
  ["agent", (c) => c.agent?.name ?? null],
  ["answered_at", (c) => c.answeredAt],
  ["ended_at", (c) => c.endedAt],
  ["wait_seconds", (c) => c.waitSeconds],
  ["talk_seconds", (c) => c.talkSeconds],
  ["hold_seconds", (c) => c.holdSeconds],
  ["wrap_up_seconds", (c) => c.wrapUpSeconds],
  ["disposition", (c) => c.disposition],
  ["hangup_side", (c) => c.hangupSide],
  ["hangup_cause", (c) => c.hangupCause],
  ["rating", (c) => c.rating],
  ["sip_call_id", (c) => c.sipCallId],
];

function cell(value: string | number | null): string {
  if (value === null) return "";
  const text = String(value);
  // a leading =, +, - or @ would be a formula in a spreadsheet (CSV injection): quote it away,
  // unless it is a plain number such as +8613800138000
  const formula = typeof value === "string" && /^[=+\-@\t\r]/.test(text) && !/^[+-]?\d+$/.test(text);
  const safe = formula ? `'${text}` : text;
  return /[",\r\n]/.test(safe) || safe !== text ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The filtered calls as CSV (UTF-8 with a BOM, so Excel opens Chinese names), at most 50,000 rows. */
export async function exportCallsCsv(ctx: Ctx, filter: CallListQuery): Promise<string> {
  const rows = await query(ctx, filter).orderBy("c.started_at", "desc").orderBy("c.id", "desc").limit(50_000).execute();
  const lines = [CSV_COLUMNS.map(([name]) => name).join(","), ...rows.map((r) => { const c = presentCall(r); return CSV_COLUMNS.map(([, get]) => cell(get(c))).join(","); })];
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}
