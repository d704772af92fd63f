import { AGENT_STATES, rooms, type AgentState, type Capacity, type Media } from "@yixian/contracts";
import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import type { Ctx } from "../context.ts";
import { found } from "../errors.ts";
import { recordEvent } from "../events/outbox.ts";
import { knownValue } from "../shared/known-value.ts";
import { iso, isoRequired } from "../shared/pagination.ts";

export type PresenceRow = Row<"agent_presence">;

export const DEFAULT_CAPACITY: Capacity = { voice: 1, chat: 5, email: 10 };

/** States in which an agent is offered work (within capacity): busy agents still take more. */
export const ROUTABLE_STATES: readonly AgentState[] = ["available", "busy"];

/** Whether routing may offer the agent work: a routable state and a console not disconnected. */
export function routable(row: { state: string; disconnected_at: Date | string | null }): boolean {
  return row.disconnected_at === null && ROUTABLE_STATES.some((s) => s === row.state);
}

export function capacityOf(row: Pick<PresenceRow, "capacity"> | undefined): Capacity {
  const c = row?.capacity ?? {};
  const pick = (m: Media) => (typeof c[m] === "number" ? c[m] : DEFAULT_CAPACITY[m]);
  return { voice: pick("voice"), chat: pick("chat"), email: pick("email") };
}

/**
 * The agents' presence rows, row-locked, always in user-id order so that two transactions
 * locking overlapping sets of agents never wait on each other in a cycle.
 */
export async function lockPresence(tx: Executor, tenantId: string, userIds: readonly string[]): Promise<Map<string, PresenceRow>> {
  const ids = [...new Set(userIds)].sort();
  if (ids.length === 0) return new Map();
  const rows = await tx.selectFrom("agent_presence").selectAll().where("tenant_id", "=", tenantId).where("user_id", "in", ids).orderBy("user_id").forUpdate().execute();
  return new Map(rows.map((r) => [r.user_id, r]));
}

/**
 * The user's presence row, locked; created (offline, default capacity, with its first state-log
 * stretch) the first time. NOT_FOUND for a user outside ctx's tenant.
 */
export async function ensurePresence(tx: Executor, ctx: Ctx, userId: string, now: Date): Promise<PresenceRow> {
  found(await tx.selectFrom("users").select("id").where("tenant_id", "=", ctx.tenantId).where("id", "=", userId).executeTakeFirst(), "user");
  const inserted = await tx
    .insertInto("agent_presence")
    .values({ user_id: userId, tenant_id: ctx.tenantId, state: "offline", state_since: now, idle_since: now, updated_at: now, capacity: JSON.stringify(DEFAULT_CAPACITY) })
    .onConflict((oc) => oc.column("user_id").doNothing())
    .returning("user_id")
    .executeTakeFirst();
  if (inserted) {
    await tx.insertInto("agent_state_log").values({ tenant_id: ctx.tenantId, user_id: userId, state: "offline", reason: null, started_at: now }).execute();
  }
  const locked = await lockPresence(tx, ctx.tenantId, [userId]);
  return found(locked.get(userId), "user");
}

export interface PresenceChange {
  state: AgentState;
  reason?: string | null;
  wrapUpUntil?: Date | null;
  missedOffers?: number;
}

/**
 * Moves a locked presence row to a new state: closes the open state-log stretch and opens the
 * next, resets idle_since on becoming available, and queues `presence:changed` for the tenant.
 * Returns the row as it is now. A change to the same state and reason only updates the counters.
 */
export async function changePresence(tx: Executor, row: PresenceRow, change: PresenceChange, now: Date): Promise<PresenceRow> {
  const reason = change.state === "away" ? (change.reason ?? row.reason ?? "away") : null;
  const moved = change.state !== row.state || reason !== row.reason;
  const updated = await tx
    .updateTable("agent_presence")
    .set({
      state: change.state,
      reason,
      ...(moved ? { state_since: now } : {}),
      ...(moved && change.state === "available" ? { idle_since: now } : {}),
      wrap_up_until: change.state === "wrap_up" ? (change.wrapUpUntil ?? row.wrap_up_until) : null,
      ...(change.missedOffers !== undefined ? { missed_offers: change.missedOffers } : {}),
      updated_at: now,
    })
    .where("user_id", "=", row.user_id)
    .where("tenant_id", "=", row.tenant_id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (!moved) return updated;
  // the state the agent leaves ends where the new one starts (one statement)
  await sql`
    with ended as (
      update agent_state_log set ended_at = ${now} where tenant_id = ${row.tenant_id} and user_id = ${row.user_id} and ended_at is null
    )
    insert into agent_state_log (tenant_id, user_id, state, reason, started_at) values (${row.tenant_id}, ${row.user_id}, ${change.state}, ${reason}, ${now})`.execute(tx);
  await announcePresence(tx, updated);
  return updated;
}

/** Queues `presence:changed` for the tenant with the agent's presence as it is now (state, or connection). */
export async function announcePresence(tx: Executor, row: PresenceRow): Promise<void> {
  await recordEvent(tx, {
    tenantId: row.tenant_id,
    event: "presence:changed",
    rooms: [rooms.tenant(row.tenant_id)],
    payload: {
      userId: row.user_id,
      state: knownValue(AGENT_STATES, row.state, "agent state"),
      reason: row.reason,
      since: isoRequired(row.state_since),
      disconnectedAt: iso(row.disconnected_at),
    },
  });
}

export interface AgentLoad {
  load: Capacity;
  pending: Capacity;
}

const zero = (): Capacity => ({ voice: 0, chat: 0, email: 0 });

/** Items held (assigned) and offers pending, per agent and medium. Read under the agents' locks to be exact. */
export async function loadOfAgents(db: Executor, tenantId: string, userIds: readonly string[]): Promise<Map<string, AgentLoad>> {
  const out = new Map<string, AgentLoad>(userIds.map((id) => [id, { load: zero(), pending: zero() }]));
  if (userIds.length === 0) return out;
  const ids = [...userIds];
  // what each agent holds and has pending, by medium: one statement
  const rows = await db
    .selectFrom("work_items")
    .select(["assigned_to as agent_id", "media", sql<number>`count(*)::int`.as("n"), sql<boolean>`false`.as("pending")])
    .where("tenant_id", "=", tenantId)
    .where("state", "=", "assigned")
    .where("assigned_to", "in", ids)
    .groupBy(["assigned_to", "media"])
    .unionAll(
      db
        .selectFrom("offers")
        .innerJoin("work_items", "work_items.id", "offers.work_item_id")
        .select(["offers.agent_id", "work_items.media", sql<number>`count(*)::int`.as("n"), sql<boolean>`true`.as("pending")])
        .where("offers.tenant_id", "=", tenantId)
        .where("offers.state", "=", "pending")
        .where("offers.agent_id", "in", ids)
        .groupBy(["offers.agent_id", "work_items.media"]),
    )
    .execute();
  for (const r of rows) {
    const entry = r.agent_id ? out.get(r.agent_id) : undefined;
    if (entry && isMedia(r.media)) (r.pending ? entry.pending : entry.load)[r.media] = r.n;
  }
  return out;
}

export function isMedia(value: string): value is Media {
  return value === "voice" || value === "chat" || value === "email";
}

export function heldCount(load: AgentLoad): number {
  return load.load.voice + load.load.chat + load.load.email;
}
