import type { Presence, SetPresence } from "@yixian/contracts";
import { inTransaction, type Ctx } from "../context.ts";
import { recordAudit } from "../shared/audit.ts";
import { getPresence } from "./list-presence.ts";
import { changePresence, ensurePresence, heldCount, loadOfAgents, ROUTABLE_STATES } from "./presence-store.ts";
import { recordWrapTime } from "./wrap-up.ts";

/**
 * Sets an agent's presence: available (busy when they still hold work), away with a reason
 * code, or offline. Becoming available ends wrap-up early and clears the missed-offer count.
 * Offers pending for an agent who stops being available are withdrawn and routed elsewhere.
 * Agents set their own presence; supervisors anyone's.
 */
export async function setPresence(ctx: Ctx, userId: string, input: SetPresence): Promise<Presence> {
  const { before, after } = await inTransaction(ctx, async (tx) => {
    const now = ctx.deps.clock.now();
    const row = await ensurePresence(tx, ctx, userId, now);
    const held = heldCount((await loadOfAgents(tx, ctx.tenantId, [userId])).get(userId)!);
    const state = input.state === "available" ? (held > 0 ? "busy" : "available") : input.state;
    await recordWrapTime(tx, row, now);
    const updated = await changePresence(
      tx,
      row,
      { state, reason: input.state === "away" ? (input.reason ?? "away") : null, ...(input.state === "available" ? { missedOffers: 0 } : {}) },
      now,
    );
    await recordAudit(tx, ctx, {
      action: "presence.changed",
      entityType: "user",
      entityId: userId,
      changes: { state: [row.state, updated.state], ...(updated.reason ? { reason: updated.reason } : {}) },
    });
    return { before: row.state, after: updated.state };
  });
  const wasRoutable = ROUTABLE_STATES.some((s) => s === before);
  const isRoutable = ROUTABLE_STATES.some((s) => s === after);
  if (wasRoutable && !isRoutable) await ctx.deps.routing.withdrawAgentOffers(ctx.deps, ctx.tenantId, userId);
  ctx.deps.routing.kick();
  return getPresence(ctx, userId);
}
