import type { Capacity, Presence } from "@yixian/contracts";
import { inTransaction, type Ctx } from "../context.ts";
import { recordAudit } from "../shared/audit.ts";
import { getPresence } from "./list-presence.ts";
import { capacityOf, ensurePresence } from "./presence-store.ts";

/** Changes how many items of each medium an agent may hold at once; work already held stays. */
export async function setCapacity(ctx: Ctx, userId: string, input: Partial<Capacity>): Promise<Presence> {
  await inTransaction(ctx, async (tx) => {
    const now = ctx.deps.clock.now();
    const row = await ensurePresence(tx, ctx, userId, now);
    const before = capacityOf(row);
    const after: Capacity = {
      voice: input.voice ?? before.voice,
      chat: input.chat ?? before.chat,
      email: input.email ?? before.email,
    };
    await tx
      .updateTable("agent_presence")
      .set({ capacity: JSON.stringify(after), updated_at: now })
      .where("tenant_id", "=", ctx.tenantId)
      .where("user_id", "=", userId)
      .execute();
    await recordAudit(tx, ctx, { action: "presence.capacity_changed", entityType: "user", entityId: userId, changes: { capacity: [before, after] } });
  });
  ctx.deps.routing.kick();
  return getPresence(ctx, userId);
}
