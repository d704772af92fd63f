import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { Ctx } from "../context.ts";
import { found } from "../errors.ts";
import { PRESENCE_STATES, type ItemFacts, type PresenceState } from "./definitions.ts";

/** Reads the rows the metrics are computed from; every query is scoped to the tenant. */

export interface TenantInfo {
  id: string;
  name: string;
  timeZone: string;
  locale: string;
}

export interface QueueInfo {
  id: string;
  name: string;
  serviceLevelSeconds: number;
}

export interface AgentInfo {
  userId: string;
  name: string;
  state: PresenceState | null;
  reason: string | null;
  stateSince: number | null;
  /** The console lost its connection at (reconnecting); null while connected. */
  disconnectedAt: number | null;
  queueIds: string[];
}

const ms = (v: Date | string | null): number | null => (v === null ? null : (v instanceof Date ? v : new Date(v)).getTime());

function presenceState(value: string | null | undefined): PresenceState | null {
  return PRESENCE_STATES.find((s) => s === value) ?? null;
}

export async function loadTenant(ctx: Ctx, db: Executor = ctx.deps.db): Promise<TenantInfo> {
  const row = found(await db.selectFrom("tenants").select(["id", "name", "time_zone", "locale"]).where("id", "=", ctx.tenantId).executeTakeFirst(), "tenant");
  return { id: row.id, name: row.name, timeZone: row.time_zone, locale: row.locale };
}

/** The tenant's queues, by name; with `only`, just those of them (ids of other tenants match nothing). */
export async function loadQueues(ctx: Ctx, only: readonly string[] | null): Promise<QueueInfo[]> {
  if (only !== null && only.length === 0) return [];
  let q = ctx.deps.db.selectFrom("queues").select(["id", "name", "service_level_seconds"]).where("tenant_id", "=", ctx.tenantId);
  if (only !== null) q = q.where("id", "in", only);
  const rows = await q.orderBy("name").orderBy("id").execute();
  return rows.map((r) => ({ id: r.id, name: r.name, serviceLevelSeconds: r.service_level_seconds }));
}

/** Active members of the queues, with their presence (none yet: state null). */
export async function loadAgents(ctx: Ctx, queueIds: readonly string[]): Promise<AgentInfo[]> {
  if (queueIds.length === 0) return [];
  const rows = await ctx.deps.db
    .selectFrom("queue_members as m")
    .innerJoin("users as u", (j) => j.onRef("u.id", "=", "m.user_id").onRef("u.tenant_id", "=", "m.tenant_id"))
    .leftJoin("agent_presence as p", (j) => j.onRef("p.user_id", "=", "u.id").onRef("p.tenant_id", "=", "u.tenant_id"))
    .select(["m.queue_id", "u.id", "u.display_name", "p.state", "p.reason", "p.state_since", "p.disconnected_at"])
    .where("m.tenant_id", "=", ctx.tenantId)
    .where("m.queue_id", "in", queueIds)
    .where("u.is_active", "=", true)
    .execute();
  const byUser = new Map<string, AgentInfo>();
  for (const r of rows) {
    const known = byUser.get(r.id);
    if (known) {
      known.queueIds.push(r.queue_id);
      continue;
    }
    const state = presenceState(r.state);
    byUser.set(r.id, { userId: r.id, name: r.display_name, state, reason: state ? r.reason : null, stateSince: state ? ms(r.state_since) : null, disconnectedAt: ms(r.disconnected_at ?? null), queueIds: [r.queue_id] });
  }
  return [...byUser.values()].sort((a, b) => a.name.localeCompare(b.name, "zh-CN") || a.userId.localeCompare(b.userId));
}

const ITEM_COLUMNS = ["queue_id", "state", "enqueued_at", "assigned_at", "completed_at", "abandoned_at", "hold_ms", "wrap_ms"] as const;

function toFacts(r: {
  queue_id: string;
  state: string;
  enqueued_at: Date | string;
  assigned_at: Date | string | null;
  completed_at: Date | string | null;
  abandoned_at: Date | string | null;
  hold_ms: number;
  wrap_ms: number;
}): ItemFacts {
  return {
    queueId: r.queue_id,
    state: r.state,
    enqueuedAt: ms(r.enqueued_at) ?? 0,
    assignedAt: ms(r.assigned_at),
    completedAt: ms(r.completed_at),
    abandonedAt: ms(r.abandoned_at),
    holdMs: Number(r.hold_ms),
    wrapMs: Number(r.wrap_ms),
  };
}

/**
 * The items a live view needs: everything waiting now, and everything answered, completed or
 * abandoned since `since` (the start of the current interval). Agents' calls out never waited in
 * the queue and are left out of its figures (here and below). A call-back nobody answered, put
 * off until its next try, is not waiting now (it is the same item: no new arrival either).
 */
export async function loadLiveItems(ctx: Ctx, queueIds: readonly string[], since: Date): Promise<ItemFacts[]> {
  if (queueIds.length === 0) return [];
  const now = ctx.deps.clock.now();
  const rows = await ctx.deps.db
    .selectFrom("work_items")
    .select([...ITEM_COLUMNS, "retry_at"])
    .where("tenant_id", "=", ctx.tenantId)
    .where("queue_id", "in", queueIds)
    .where("kind", "<>", "outbound")
    .where((eb) =>
      eb.or([eb("state", "in", ["waiting", "offered"]), eb("assigned_at", ">=", since), eb("completed_at", ">=", since), eb("abandoned_at", ">=", since)]),
    )
    .execute();
  return rows.map((r) => toFacts(r.state === "waiting" && r.retry_at && new Date(r.retry_at) > now ? { ...r, state: "retry_later" } : r));
}

/** One queue's items with any event (arrival, answer, completion, abandon) in [from, to). */
export async function loadItemsBetween(ctx: Ctx, queueId: string, from: Date, to: Date): Promise<ItemFacts[]> {
  const rows = await ctx.deps.db
    .selectFrom("work_items")
    .select(ITEM_COLUMNS)
    .where("tenant_id", "=", ctx.tenantId)
    .where("queue_id", "=", queueId)
    .where("kind", "<>", "outbound")
    .where((eb) =>
      eb.or(
        (["enqueued_at", "assigned_at", "completed_at", "abandoned_at"] as const).map((col) => eb.and([eb(col, ">=", from), eb(col, "<", to)])),
      ),
    )
    .execute();
  return rows.map(toFacts);
}

/** Items each agent completed in [from, to) (the tenant's local day), in any queue. */
export async function loadHandled(ctx: Ctx, userIds: readonly string[], from: Date, to: Date): Promise<Map<string, number>> {
  if (userIds.length === 0) return new Map();
  const rows = await ctx.deps.db
    .selectFrom("work_items")
    .select(["assigned_to", sql<number>`count(*)::int`.as("n")])
    .where("tenant_id", "=", ctx.tenantId)
    .where("assigned_to", "in", userIds)
    .where("completed_at", ">=", from)
    .where("completed_at", "<", to)
    .groupBy("assigned_to")
    .execute();
  return new Map(rows.flatMap((r) => (r.assigned_to ? [[r.assigned_to, Number(r.n)] as const] : [])));
}
