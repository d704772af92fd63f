import { ivrLanguageOf, ZVoiceIvrInput, type Did, type IvrLanguage, type VoiceIvr, type VoiceIvrSettings } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { inTransaction, type Ctx } from "../context.ts";
import { found, notFound } from "../errors.ts";
import { recordAudit } from "../shared/audit.ts";

/**
 * A number's IVR settings: what callers hear and may key on it. Stored on the number as checked
 * (`VoiceIvrSettings`); a number never configured has the defaults, and settings without a
 * language speak the tenant's.
 */

/** The settings a call follows, from what is stored (null: the defaults). */
export function resolveIvr(stored: unknown, tenantLanguage: IvrLanguage): VoiceIvr {
  // stored settings were checked when written; one that no longer parses falls back to the defaults
  const parsed = ZVoiceIvrInput.safeParse(stored ?? {});
  const settings = parsed.success ? parsed.data : ZVoiceIvrInput.parse({});
  return { ...settings, language: settings.language ?? tenantLanguage };
}

/** The prompt language of the tenant (its locale). */
export async function tenantIvrLanguage(db: Executor, tenantId: string): Promise<IvrLanguage> {
  const tenant = found(await db.selectFrom("tenants").select("locale").where("id", "=", tenantId).executeTakeFirst(), "tenant");
  return ivrLanguageOf(tenant.locale);
}

export function presentDid(row: Row<"sip_dids">, tenantLanguage: IvrLanguage): Did {
  return { number: row.number, label: row.label, queueId: row.queue_id, ivr: resolveIvr(row.ivr, tenantLanguage) };
}

/** One number of the tenant with its IVR settings. */
export async function getNumber(ctx: Ctx, number: string): Promise<Did> {
  const row = await ctx.deps.db.selectFrom("sip_dids").selectAll().where("tenant_id", "=", ctx.tenantId).where("number", "=", number).executeTakeFirst();
  if (!row) throw notFound("number");
  return presentDid(row, await tenantIvrLanguage(ctx.deps.db, ctx.tenantId));
}

/** Replaces a number's IVR settings (the trunk's other settings and secrets are untouched). */
export async function setNumberIvr(ctx: Ctx, number: string, ivr: VoiceIvrSettings): Promise<Did> {
  const row = await inTransaction(ctx, async (tx) => {
    const updated = await tx
      .updateTable("sip_dids")
      .set({ ivr: JSON.stringify(ivr) })
      .where("tenant_id", "=", ctx.tenantId)
      .where("number", "=", number)
      .returningAll()
      .executeTakeFirst();
    if (!updated) throw notFound("number");
    await recordAudit(tx, ctx, { action: "number.ivr_updated", entityType: "number", entityId: number, changes: { ivr } });
    return updated;
  });
  return presentDid(row, await tenantIvrLanguage(ctx.deps.db, ctx.tenantId));
}
