import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, startServer, type RunningServer } from "@yixian/server";
import { freshPostgresDatabase, TEST_DB, type TestDb } from "../src/harness.ts";

/**
 * Support for the metrics, wallboard and end-to-end tests: a server whose clock the test sets
 * (so "the current interval" and "today" are known), and rows of queues, presence and work
 * items written the way the dispatcher writes them (the wallboard's triggers see every write).
 */

export interface SettableClock {
  now(): Date;
  set(iso: string): void;
  advance(ms: number): void;
}

export function settableClock(iso: string): SettableClock {
  let t = Date.parse(iso);
  return {
    now: () => new Date(t),
    set: (next) => {
      t = Date.parse(next);
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

export interface ClockedServer extends RunningServer {
  clock: SettableClock;
  stop(): Promise<void>;
}

/** The real server on port 0 with a fresh database (TEST_DB's kind) and a clock the test sets. */
export async function startClockedServer(iso: string, options: { db?: TestDb; env?: Record<string, string> } = {}): Promise<ClockedServer> {
  const clock = settableClock(iso);
  const dataDir = mkdtempSync(join(tmpdir(), "yx-metrics-"));
  const fresh = (options.db ?? TEST_DB) === "postgres" ? await freshPostgresDatabase() : null;
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    SEED_DEMO: "false",
    ...(fresh ? { DATABASE_URL: fresh.url } : {}),
    ...options.env,
  });
  const server = await startServer(config, { clock });
  return {
    ...server,
    clock,
    stop: async () => {
      await server.close();
      await fresh?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function setTenantZone(server: RunningServer, tenantId: string, timeZone: string, locale = "zh-CN"): Promise<void> {
  await server.deps.db.updateTable("tenants").set({ time_zone: timeZone, locale }).where("id", "=", tenantId).execute();
}

/** An agent (display name given) of the tenant. */
export async function addAgent(server: RunningServer, tenantId: string, name: string): Promise<string> {
  const row = await server.deps.db
    .insertInto("users")
    .values({ tenant_id: tenantId, email: `${name.replace(/\W/g, "") || "agent"}.${Math.random().toString(36).slice(2)}@example.test`, display_name: name, password_hash: "x", role: "agent" })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function addQueue(server: RunningServer, tenantId: string, name: string, memberIds: string[], serviceLevelSeconds = 20): Promise<string> {
  const { db } = server.deps;
  const queue = await db.insertInto("queues").values({ tenant_id: tenantId, name, service_level_seconds: serviceLevelSeconds }).returning("id").executeTakeFirstOrThrow();
  if (memberIds.length) await db.insertInto("queue_members").values(memberIds.map((user_id) => ({ tenant_id: tenantId, queue_id: queue.id, user_id }))).execute();
  return queue.id;
}

/** Puts an agent in a state since a time, as the presence code does (row + state log). */
export async function setPresence(server: RunningServer, tenantId: string, userId: string, state: string, since: string, reason: string | null = null): Promise<void> {
  const { db } = server.deps;
  await db.transaction().execute(async (tx) => {
    await tx.updateTable("agent_state_log").set({ ended_at: since }).where("tenant_id", "=", tenantId).where("user_id", "=", userId).where("ended_at", "is", null).execute();
    await tx.insertInto("agent_state_log").values({ tenant_id: tenantId, user_id: userId, state, reason, started_at: since }).execute();
    await tx
      .insertInto("agent_presence")
      .values({ user_id: userId, tenant_id: tenantId, state, reason, state_since: since, idle_since: since, updated_at: since })
      .onConflict((oc) => oc.column("user_id").doUpdateSet({ state, reason, state_since: since, updated_at: since }))
      .execute();
  });
}

export interface ItemTimes {
  state: "waiting" | "offered" | "assigned" | "completed" | "abandoned" | "overflowed" | "cancelled";
  enqueuedAt: string;
  assignedAt?: string;
  assignedTo?: string;
  completedAt?: string;
  abandonedAt?: string;
  holdMs?: number;
  wrapMs?: number;
}

export async function addItem(server: RunningServer, tenantId: string, queueId: string, t: ItemTimes): Promise<string> {
  const row = await server.deps.db
    .insertInto("work_items")
    .values({
      tenant_id: tenantId,
      queue_id: queueId,
      media: "voice",
      channel: "phone",
      state: t.state,
      enqueued_at: t.enqueuedAt,
      offered_at: t.state === "offered" ? t.enqueuedAt : null,
      assigned_at: t.assignedAt ?? null,
      assigned_to: t.assignedTo ?? null,
      completed_at: t.completedAt ?? null,
      abandoned_at: t.abandonedAt ?? null,
      hold_ms: t.holdMs ?? 0,
      wrap_ms: t.wrapMs ?? 0,
      decision: JSON.stringify({}),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Moves an item on (answered, completed, abandoned), as the dispatcher's update does. */
export async function updateItem(server: RunningServer, tenantId: string, itemId: string, t: Partial<ItemTimes>): Promise<void> {
  await server.deps.db
    .updateTable("work_items")
    .set({
      ...(t.state ? { state: t.state } : {}),
      ...(t.assignedAt ? { assigned_at: t.assignedAt } : {}),
      ...(t.assignedTo ? { assigned_to: t.assignedTo } : {}),
      ...(t.completedAt ? { completed_at: t.completedAt } : {}),
      ...(t.abandonedAt ? { abandoned_at: t.abandonedAt } : {}),
      ...(t.holdMs !== undefined ? { hold_ms: t.holdMs } : {}),
      ...(t.wrapMs !== undefined ? { wrap_ms: t.wrapMs } : {}),
    })
    .where("id", "=", itemId)
    .where("tenant_id", "=", tenantId)
    .execute();
}
