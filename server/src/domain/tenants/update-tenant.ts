import type { Tenant, ZUpdateTenant } from "@yixian/contracts";
import type { z } from "zod";
import { inTransaction, type Ctx } from "../context.ts";
import { found } from "../errors.ts";
import { diff, recordAudit } from "../shared/audit.ts";
import { presentTenant } from "./present-tenant.ts";

export async function updateTenant(ctx: Ctx, input: z.infer<typeof ZUpdateTenant>): Promise<Tenant> {
  return inTransaction(ctx, async (tx) => {
    const before = found(await tx.selectFrom("tenants").selectAll().where("id", "=", ctx.tenantId).forUpdate().executeTakeFirst(), "tenant");
    const set = {
      name: input.name,
      default_country: input.defaultCountry,
      time_zone: input.timeZone,
      locale: input.locale,
      ticket_prefix: input.ticketPrefix,
    };
    const changes: Record<string, unknown> = diff(before, set);
    const settings = { ...before.settings };
    if (input.chatDuringVoice !== undefined && input.chatDuringVoice !== (before.settings.chatDuringVoice !== false)) {
      settings.chatDuringVoice = input.chatDuringVoice;
      changes.chatDuringVoice = [!input.chatDuringVoice, input.chatDuringVoice];
    }
    const row = await tx
      .updateTable("tenants")
      .set({ ...set, settings: JSON.stringify(settings), updated_at: ctx.deps.clock.now() })
      .where("id", "=", ctx.tenantId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, ctx, { action: "tenant.updated", entityType: "tenant", entityId: ctx.tenantId, changes });
    return presentTenant(row);
  });
}
