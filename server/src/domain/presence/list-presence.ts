import type { AgentState, Presence } from "@yixian/contracts";
import type { Ctx } from "../context.ts";
import { found } from "../errors.ts";
import { presentPresences } from "./present-presence.ts";

/**
 * Every agent's presence for supervisors: active users who belong to a queue or have ever set a
 * presence, optionally only one queue's members or one state.
 */
export async function listPresence(ctx: Ctx, filter: { queueId?: string | undefined; state?: AgentState | undefined }): Promise<Presence[]> {
  const { db } = ctx.deps;
  let users = db
    .selectFrom("users")
    .leftJoin("agent_presence", "agent_presence.user_id", "users.id")
    .select(["users.id", "users.display_name", "users.role", "users.created_at"])
    .where("users.tenant_id", "=", ctx.tenantId)
    .where("users.is_active", "=", true)
    .where((eb) =>
      eb.or([
        eb("agent_presence.user_id", "is not", null),
        eb.exists(eb.selectFrom("queue_members").select("queue_members.user_id").whereRef("queue_members.user_id", "=", "users.id").where("queue_members.tenant_id", "=", ctx.tenantId)),
      ]),
    );
  if (filter.queueId) {
    const queueId = filter.queueId;
    users = users.where((eb) =>
      eb.exists(eb.selectFrom("queue_members").select("queue_members.user_id").whereRef("queue_members.user_id", "=", "users.id").where("queue_members.queue_id", "=", queueId).where("queue_members.tenant_id", "=", ctx.tenantId)),
    );
  }
  if (filter.state) {
    const state = filter.state;
    users = state === "offline" ? users.where((eb) => eb.or([eb("agent_presence.state", "=", state), eb("agent_presence.state", "is", null)])) : users.where("agent_presence.state", "=", state);
  }
  const rows = await users.orderBy("users.display_name").orderBy("users.id").limit(2000).execute();
  const ids = rows.map((r) => r.id);
  const presence = ids.length ? await db.selectFrom("agent_presence").selectAll().where("tenant_id", "=", ctx.tenantId).where("user_id", "in", ids).execute() : [];
  return presentPresences(db, ctx.tenantId, rows, presence, ctx.deps.clock.now());
}

/** One user's presence (offline when they never set one); NOT_FOUND outside the tenant. */
export async function getPresence(ctx: Ctx, userId: string): Promise<Presence> {
  const { db } = ctx.deps;
  const user = found(
    await db.selectFrom("users").select(["id", "display_name", "role", "created_at"]).where("tenant_id", "=", ctx.tenantId).where("id", "=", userId).executeTakeFirst(),
    "user",
  );
  const row = await db.selectFrom("agent_presence").selectAll().where("tenant_id", "=", ctx.tenantId).where("user_id", "=", userId).executeTakeFirst();
  const [presence] = await presentPresences(db, ctx.tenantId, [user], row ? [row] : [], ctx.deps.clock.now());
  return presence!;
}
