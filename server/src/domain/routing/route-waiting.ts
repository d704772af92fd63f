import { MEDIA } from "@yixian/contracts";
import type { ExpressionBuilder } from "kysely";
import type { DB } from "../../db/schema.ts";
import type { Deps } from "../context.ts";
import { knownValue } from "../shared/known-value.ts";
import { decide, orderItems, type WorkItemSnapshot } from "./engine/index.ts";
import { agentsFor, offerItem, type QueuePass } from "./offer-item.ts";
import { loadAgentSnapshots, loadCursor, loadPolicy, loadQueueSetup } from "./snapshots.ts";

/** Items looked at per queue and pass; a full batch with offers made asks for another pass. */
const BATCH = 100;
const STALE_RETRIES = 2;
/**
 * Items of a queue offered at once, each in its own transaction, to agents no other of them is
 * being offered to (decision 0021): one at a time, a pass offered about 15 calls a second on a
 * busy two-core machine (ten statements each), fewer than the calls coming in.
 */
const LANES = 4;

/** Waiting items that may be offered now: not a call-back nobody answered, waiting for its next try. */
const dueNow =
  (now: Date) =>
  (eb: ExpressionBuilder<DB, "work_items">) =>
    eb.or([eb("retry_at", "is", null), eb("retry_at", "<=", now)]);

async function waitingItems(deps: Deps, tenantId: string, queueId: string, vipFirst: boolean): Promise<WorkItemSnapshot[]> {
  let query = deps.db
    .selectFrom("work_items")
    .select(["id", "queue_id", "media", "priority", "vip", "enqueued_at", "preferred_agent_id"])
    .where("tenant_id", "=", tenantId)
    .where("queue_id", "=", queueId)
    .where("state", "=", "waiting")
    .where(dueNow(deps.clock.now()));
  if (vipFirst) query = query.orderBy("vip", "desc");
  const rows = await query.orderBy("priority", "desc").orderBy("enqueued_at").orderBy("id").limit(BATCH).execute();
  const ids = rows.map((r) => r.id);
  const missed = ids.length
    ? await deps.db
        .selectFrom("offers")
        .select(["work_item_id", "agent_id"])
        .where("tenant_id", "=", tenantId)
        .where("work_item_id", "in", ids)
        .where("state", "in", ["rejected", "expired"])
        .execute()
    : [];
  return rows.map((r) => ({
    id: r.id,
    queueId: r.queue_id,
    media: knownValue(MEDIA, r.media, "medium"),
    priority: r.priority,
    vip: r.vip,
    enqueuedAt: new Date(r.enqueued_at).getTime(),
    preferredAgentId: r.preferred_agent_id,
    excludedAgentIds: new Set(missed.filter((m) => m.work_item_id === r.id).map((m) => m.agent_id)),
  }));
}

/**
 * One routing pass over a queue: the waiting items in serving order, each decided against the
 * members' snapshots and, when the engine names agents, offered in its own transaction.
 * Returns true when a full batch was worked, or an item was put off for agents being offered
 * others, and another pass may find more to do.
 */
export async function routeQueue(deps: Deps, tenantId: string, queueId: string): Promise<boolean> {
  const setup = await loadQueueSetup(deps.db, tenantId, queueId);
  if (!setup) return false;
  const snapshots = await loadAgentSnapshots(deps.db, tenantId, queueId, deps.clock.now());
  if (!snapshots.agents.some((a) => a.state === "available")) return false;
  const items = orderItems(await waitingItems(deps, tenantId, queueId, setup.config.vipFirst), setup.config);
  const pass: QueuePass = { deps, tenantId, setup, policy: await loadPolicy(deps.db, tenantId), snapshots, lastAgentId: await loadCursor(deps.db, queueId), inFlight: new Map() };
  let offered = 0;
  // an item that waits only because others of the pass are being offered its agents: routed again at once
  let deferred = false;
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      if (!pass.snapshots.agents.some((a) => a.state === "available")) return;
      // decided in memory first, in serving order: an item nobody can take costs no transaction
      const now = deps.clock.now().getTime();
      const decision = decide(item, setup.config, agentsFor(pass, item.id), { lastAgentId: pass.lastAgentId }, now, pass.policy);
      if (decision.kind === "wait") {
        if (pass.inFlight.size > 0 && decide(item, setup.config, pass.snapshots.agents, { lastAgentId: pass.lastAgentId }, now, pass.policy).kind !== "wait") deferred = true;
        continue;
      }
      for (const agentId of decision.agentIds) pass.inFlight.set(agentId, item.id);
      for (let attempt = 0; attempt <= STALE_RETRIES; attempt++) {
        const outcome = await offerItem(pass, item);
        if (outcome.kind === "offered") offered++;
        if (outcome.kind !== "stale") break;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(LANES, items.length) }, lane));
  return (items.length === BATCH || deferred) && offered > 0;
}

/** Routes every queue that has waiting items, in every tenant. */
export async function routeWaiting(deps: Deps): Promise<boolean> {
  const queues = await deps.db
    .selectFrom("work_items")
    .select(["tenant_id", "queue_id"])
    .distinct()
    .where("state", "=", "waiting")
    .where(dueNow(deps.clock.now()))
    .orderBy("tenant_id")
    .orderBy("queue_id")
    .execute();
  let more = false;
  for (const q of queues) {
    if (await routeQueue(deps, q.tenant_id, q.queue_id)) more = true;
  }
  return more;
}
