import { sql } from "kysely";
import { AGENT_STATES, QUEUE_STRATEGIES } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { knownValue } from "../shared/known-value.ts";
import { capacityOf, loadOfAgents, ROUTABLE_STATES } from "../presence/presence-store.ts";
import { loadQueueSkills } from "../queues/queue-routing.ts";
import type { AgentSnapshot, QueueConfig, RoutingPolicy } from "./engine/index.ts";

export interface QueueSetup {
  row: Row<"queues">;
  config: QueueConfig;
}

export async function loadQueueSetup(db: Executor, tenantId: string, queueId: string): Promise<QueueSetup | undefined> {
  const row = await db.selectFrom("queues").selectAll().where("tenant_id", "=", tenantId).where("id", "=", queueId).executeTakeFirst();
  if (!row) return undefined;
  const skills = await loadQueueSkills(db, tenantId, [queueId]);
  return {
    row,
    config: {
      id: row.id,
      strategy: knownValue(QUEUE_STRATEGIES, row.strategy, "queue strategy"),
      requiredSkills: skills.get(row.id) ?? [],
      vipFirst: row.vip_first,
      stickySeconds: row.sticky_seconds,
    },
  };
}

/** The tenant's routing policy (`tenants.settings.chatDuringVoice`, on by default). */
export async function loadPolicy(db: Executor, tenantId: string): Promise<RoutingPolicy> {
  const tenant = await db.selectFrom("tenants").select("settings").where("id", "=", tenantId).executeTakeFirst();
  return { chatDuringVoice: tenant?.settings.chatDuringVoice !== false };
}

export async function loadCursor(db: Executor, queueId: string): Promise<string | null> {
  const row = await db.selectFrom("queue_cursors").select("last_agent_id").where("queue_id", "=", queueId).executeTakeFirst();
  return row?.last_agent_id ?? null;
}

export interface AgentSnapshots {
  agents: AgentSnapshot[];
  names: Map<string, string>;
}

/**
 * The queue's members as the engine sees them. Busy agents take more work within their capacity,
 * so they are shown to the engine as available; wrap-up, away and offline are not routable, nor
 * is an agent whose console is disconnected (shown as offline while in the grace period). An
 * agent whose SIP devices hold no live registration at `now` is offered no calls.
 * Read without locks: the dispatcher re-checks the chosen agents under their row locks.
 */
export async function loadAgentSnapshots(db: Executor, tenantId: string, queueId: string, now: Date): Promise<AgentSnapshots> {
  // each member's queues and whether a phone of theirs is registered come with the member: one
  // statement instead of three, and no list of every member's id sent back (decision 0021)
  const members = await db
    .selectFrom("queue_members")
    .innerJoin("users", "users.id", "queue_members.user_id")
    .leftJoin("agent_presence", "agent_presence.user_id", "queue_members.user_id")
    .select(["users.id", "users.display_name", "users.role", "agent_presence.state", "agent_presence.capacity", "agent_presence.idle_since", "agent_presence.disconnected_at"])
    .select((eb) => [
      sql<string[]>`array(select q.queue_id::text from queue_members q where q.tenant_id = ${tenantId} and q.user_id = users.id)`.as("queue_ids"),
      eb
        .exists(
          eb
            .selectFrom("sip_registrations")
            .select("sip_registrations.user_id")
            .where("sip_registrations.tenant_id", "=", tenantId)
            .whereRef("sip_registrations.user_id", "=", "users.id")
            .where("sip_registrations.expires_at", ">", now),
        )
        .as("phone_registered"),
    ])
    .where("queue_members.tenant_id", "=", tenantId)
    .where("queue_members.queue_id", "=", queueId)
    .where("users.is_active", "=", true)
    .orderBy("users.id")
    .execute();
  const ids = members.map((m) => m.id);
  if (ids.length === 0) return { agents: [], names: new Map() };
  const loads = await loadOfAgents(db, tenantId, ids);
  const skills = new Map<string, Map<string, number>>();
  for (const s of await db.selectFrom("user_skills").select(["user_id", "skill_id", "level"]).where("tenant_id", "=", tenantId).where("user_id", "in", ids).execute()) {
    const own = skills.get(s.user_id) ?? new Map<string, number>();
    own.set(s.skill_id, s.level);
    skills.set(s.user_id, own);
  }
  const agents = members.map((m): AgentSnapshot => {
    const stored = m.state ? knownValue(AGENT_STATES, m.state, "agent state") : "offline";
    const load = loads.get(m.id)!;
    return {
      id: m.id,
      state: m.disconnected_at ? "offline" : ROUTABLE_STATES.includes(stored) ? "available" : stored,
      capacity: capacityOf(m.capacity ? { capacity: m.capacity } : undefined),
      load: load.load,
      pending: load.pending,
      skills: skills.get(m.id) ?? new Map(),
      queueIds: new Set(m.queue_ids),
      idleSince: m.idle_since ? new Date(m.idle_since).getTime() : 0,
      vipAgent: m.role === "vip_agent",
      phoneRegistered: Boolean(m.phone_registered),
    };
  });
  return { agents, names: new Map(members.map((m) => [m.id, m.display_name])) };
}
