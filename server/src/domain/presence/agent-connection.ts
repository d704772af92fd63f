import { sql } from "kysely";
import { inTransaction, type Deps } from "../context.ts";
import { announcePresence, changePresence, lockPresence } from "./presence-store.ts";

/**
 * A console socket of the agent connected (on any node): a disconnection still in its grace
 * period ends, and the agent is routed again in the state they had — nothing else changed it.
 */
export async function agentConnected(deps: Deps, tenantId: string, userId: string): Promise<void> {
  const cleared = await markConnection(deps, tenantId, userId, null);
  if (cleared) deps.routing.kick();
}

/**
 * Sets or clears the agent's disconnection (only if it changes, and never for an offline agent
 * being marked) and tells supervisors, who see them as reconnecting meanwhile. Whether it changed.
 */
async function markConnection(deps: Deps, tenantId: string, userId: string, disconnectedAt: Date | null): Promise<boolean> {
  return inTransaction({ deps }, async (tx) => {
    let update = tx.updateTable("agent_presence").set({ disconnected_at: disconnectedAt }).where("tenant_id", "=", tenantId).where("user_id", "=", userId);
    update = disconnectedAt ? update.where("state", "<>", "offline").where("disconnected_at", "is", null) : update.where("disconnected_at", "is not", null);
    const row = await update.returningAll().executeTakeFirst();
    if (row) await announcePresence(tx, row);
    return row !== undefined;
  });
}

/**
 * The agent's last console socket on every node went away. Signed out (their session was
 * revoked or the user deactivated): offline at once. Otherwise routing stops offering them work
 * now and their pending offers go to others, while their state is kept for the grace period
 * (`endDisconnectedPresences` sets them offline after it; `agentConnected` restores them).
 */
export async function agentDisconnected(deps: Deps, tenantId: string, userId: string, options: { signedOut: boolean }): Promise<void> {
  const now = deps.clock.now();
  if (options.signedOut) {
    await goOffline(deps, tenantId, userId, null);
  } else {
    if (!(await markConnection(deps, tenantId, userId, now))) return;
  }
  await deps.routing.withdrawAgentOffers(deps, tenantId, userId);
  deps.routing.kick();
}

/**
 * Offline, when still disconnected since `since` (null: whatever the flag says). Locks only the
 * agent, as every presence change does.
 */
async function goOffline(deps: Deps, tenantId: string, userId: string, since: Date | null): Promise<boolean> {
  return inTransaction({ deps }, async (tx) => {
    const row = (await lockPresence(tx, tenantId, [userId])).get(userId);
    if (!row) return false;
    if (since && (row.disconnected_at === null || new Date(row.disconnected_at).getTime() !== since.getTime())) return false;
    // cleared first, so that the offline event says the agent is no longer reconnecting
    if (row.disconnected_at !== null) {
      await tx.updateTable("agent_presence").set({ disconnected_at: null }).where("tenant_id", "=", tenantId).where("user_id", "=", userId).execute();
    }
    if (row.state !== "offline") await changePresence(tx, row, { state: "offline" }, deps.clock.now());
    return true;
  });
}

/** Asks the socket layer whether the agent has a console socket on any node now. */
export type StillConnected = (tenantId: string, userId: string) => Promise<boolean>;

/**
 * Agents disconnected for longer than the grace period go offline. One whose socket is found
 * connected after all (a reconnect that raced the disconnection) is routed again instead.
 * Safe to run on every node at once. Returns how many went offline.
 */
export async function endDisconnectedPresences(deps: Deps, stillConnected: StillConnected): Promise<number> {
  const cutoff = new Date(deps.clock.now().getTime() - deps.config.presenceGraceMs);
  const due = await deps.db
    .selectFrom("agent_presence")
    .select(["tenant_id", "user_id", "disconnected_at"])
    .where("disconnected_at", "is not", null)
    .where("disconnected_at", "<=", cutoff)
    .orderBy(sql`disconnected_at`)
    .limit(200)
    .execute();
  let ended = 0;
  for (const row of due) {
    if (!row.disconnected_at) continue;
    if (await stillConnected(row.tenant_id, row.user_id)) {
      await agentConnected(deps, row.tenant_id, row.user_id);
      continue;
    }
    if (await goOffline(deps, row.tenant_id, row.user_id, new Date(row.disconnected_at))) ended++;
  }
  return ended;
}

/** Whether the session a socket signed in with still stands (not revoked or expired, the user active). */
export async function sessionStands(deps: Deps, sessionId: string): Promise<boolean> {
  const row = await deps.db
    .selectFrom("sessions as s")
    .innerJoin("users as u", "u.id", "s.user_id")
    .select("s.id")
    .where("s.id", "=", sessionId)
    .where("s.revoked_at", "is", null)
    .where("s.expires_at", ">", deps.clock.now())
    .where("u.is_active", "=", true)
    .executeTakeFirst();
  return row !== undefined;
}
