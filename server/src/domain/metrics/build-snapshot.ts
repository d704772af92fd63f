import type { AgentMetrics, QueueMetrics, WallboardSnapshot } from "@yixian/contracts";
import type { Ctx } from "../context.ts";
import { countByState, intervalRates, timeInStateSeconds, waitingNow, type ItemFacts } from "./definitions.ts";
import { loadAgents, loadHandled, loadLiveItems, loadQueues, loadTenant, type AgentInfo, type QueueInfo } from "./load-facts.ts";
import { localDayBounds } from "../../platform/time-zone.ts";
import { BUCKET_MS, bucketStart } from "./time-buckets.ts";

const iso = (ms: number) => new Date(ms).toISOString();

/** One queue's live numbers: waiting now, and the rates of the current interval. */
export function queueMetrics(queue: QueueInfo, items: readonly ItemFacts[], members: readonly AgentInfo[], now: number, intervalStart: number): QueueMetrics {
  const own = items.filter((i) => i.queueId === queue.id);
  const wait = waitingNow(own, now);
  const rates = intervalRates(own, { start: intervalStart, end: intervalStart + BUCKET_MS }, queue.serviceLevelSeconds);
  return {
    queueId: queue.id,
    name: queue.name,
    waiting: wait.waiting,
    longestWaitSeconds: wait.longestWaitSeconds,
    oldestWaitingSince: wait.oldestEnqueuedAt === null ? null : iso(wait.oldestEnqueuedAt),
    serviceLevel: rates.serviceLevel,
    serviceLevelSeconds: queue.serviceLevelSeconds,
    answered: rates.answered,
    answeredWithinThreshold: rates.answeredWithinThreshold,
    asaSeconds: rates.asaSeconds,
    handled: rates.handled,
    ahtSeconds: rates.ahtSeconds,
    abandoned: rates.abandoned,
    abandonRate: rates.abandonRate,
    agents: countByState(members.filter((m) => m.queueIds.includes(queue.id))),
  };
}

function agentMetrics(agent: AgentInfo, handled: ReadonlyMap<string, number>, now: number): AgentMetrics {
  return {
    userId: agent.userId,
    name: agent.name,
    state: agent.state ?? "offline",
    reason: agent.reason,
    stateSince: agent.stateSince === null ? null : iso(agent.stateSince),
    timeInStateSeconds: timeInStateSeconds(agent, now),
    disconnectedAt: agent.disconnectedAt === null ? null : iso(agent.disconnectedAt),
    handledToday: handled.get(agent.userId) ?? 0,
    queueIds: agent.queueIds,
  };
}

/**
 * The wallboard's view of a tenant now: every queue (or the `queueIds` among them) with its live
 * numbers, and the queues' members with their state and what they handled today.
 */
export async function buildSnapshot(ctx: Ctx, options: { queueIds: readonly string[] | null } = { queueIds: null }): Promise<WallboardSnapshot> {
  const now = ctx.deps.clock.now().getTime();
  const tenant = await loadTenant(ctx);
  const intervalStart = bucketStart(now, tenant.timeZone);
  const day = localDayBounds(tenant.timeZone, now);
  const queues = await loadQueues(ctx, options.queueIds);
  const queueIds = queues.map((q) => q.id);
  const [agents, items] = await Promise.all([loadAgents(ctx, queueIds), loadLiveItems(ctx, queueIds, new Date(intervalStart))]);
  const handled = await loadHandled(ctx, agents.map((a) => a.userId), new Date(day.start), new Date(day.end));
  return {
    tenantId: tenant.id,
    tenantName: tenant.name,
    timeZone: tenant.timeZone,
    locale: tenant.locale,
    at: iso(now),
    intervalStart: iso(intervalStart),
    intervalEnd: iso(intervalStart + BUCKET_MS),
    dayStart: iso(day.start),
    queues: queues.map((q) => queueMetrics(q, items, agents, now, intervalStart)),
    agents: agents.map((a) => agentMetrics(a, handled, now)),
  };
}

/** The snapshot narrowed to some queues and their members (what a queue room or a filtered link sees). */
export function narrowSnapshot(snapshot: WallboardSnapshot, queueIds: readonly string[]): WallboardSnapshot {
  const keep = new Set(queueIds);
  return {
    ...snapshot,
    queues: snapshot.queues.filter((q) => keep.has(q.queueId)),
    agents: snapshot.agents.flatMap((a) => {
      const shared = a.queueIds.filter((id) => keep.has(id));
      return shared.length > 0 ? [{ ...a, queueIds: shared }] : [];
    }),
  };
}
