import { AGENT_STATES, ROLES, type Presence } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import { knownValue } from "../shared/known-value.ts";
import { iso, isoRequired } from "../shared/pagination.ts";
import { registeredPhones } from "./phones.ts";
import { capacityOf, loadOfAgents, type PresenceRow } from "./presence-store.ts";

interface PresenceUser {
  id: string;
  display_name: string;
  role: string;
  created_at: Date | string;
}

/** Users with their presence (offline with default capacity when they never signed in to routing). */
export async function presentPresences(db: Executor, tenantId: string, users: PresenceUser[], rows: PresenceRow[], now: Date): Promise<Presence[]> {
  const ids = users.map((u) => u.id);
  const byUser = new Map(rows.map((r) => [r.user_id, r]));
  const loads = await loadOfAgents(db, tenantId, ids);
  const memberships = ids.length
    ? await db.selectFrom("queue_members").select(["user_id", "queue_id"]).where("tenant_id", "=", tenantId).where("user_id", "in", ids).execute()
    : [];
  const phones = await registeredPhones(db, tenantId, ids, now);
  return users.map((u) => {
    const row = byUser.get(u.id);
    const load = loads.get(u.id);
    return {
      userId: u.id,
      name: u.display_name,
      role: knownValue(ROLES, u.role, "role"),
      state: row ? knownValue(AGENT_STATES, row.state, "agent state") : "offline",
      reason: row?.reason ?? null,
      since: isoRequired(row?.state_since ?? u.created_at),
      capacity: capacityOf(row),
      load: load?.load ?? { voice: 0, chat: 0, email: 0 },
      pending: load?.pending ?? { voice: 0, chat: 0, email: 0 },
      missedOffers: row?.missed_offers ?? 0,
      wrapUpUntil: iso(row?.wrap_up_until ?? null),
      disconnectedAt: iso(row?.disconnected_at ?? null),
      queueIds: memberships.filter((m) => m.user_id === u.id).map((m) => m.queue_id),
      phoneRegistered: phones.has(u.id),
    };
  });
}
