import { OUTBOUND_LIMITS_DEFAULT, ZOutboundLimits, type OutboundLimits } from "@yixian/contracts";
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import type { Executor } from "../../db/database.ts";
import { inTransaction, type Ctx } from "../context.ts";
import { found } from "../errors.ts";
import { recordAudit } from "../shared/audit.ts";

/** What a dialled number is, for the tenant's outbound limits. */
export type DestinationClass = "national" | "mobile" | "international";

/**
 * The class of an E.164 number seen from `homeCountry`: another country's is international, a
 * mobile (or a number that may be one) of the home country is mobile, anything else national.
 */
export function destinationClass(e164: string, homeCountry: string): DestinationClass {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed || parsed.country !== homeCountry) return "international";
  const type = parsed.getType();
  return type === "MOBILE" || type === "FIXED_LINE_OR_MOBILE" ? "mobile" : "national";
}

/**
 * Whether the limits let an agent call `e164`: null when they do, else why not (in English, for
 * the log and the API's message; the console shows the code).
 */
export function refusedDestination(limits: OutboundLimits, e164: string, homeCountry: string): string | null {
  const denied = limits.deniedPrefixes.find((prefix) => e164.startsWith(prefix));
  if (denied) return `numbers starting ${denied} are denied`;
  const kind = destinationClass(e164, homeCountry);
  return limits[kind] ? null : `${kind} calls are not allowed`;
}

/** The tenant's stored limits (tenants.settings.outboundLimits), the defaults for what is unset. */
export async function loadOutboundLimits(db: Executor, tenantId: string): Promise<OutboundLimits> {
  const tenant = found(await db.selectFrom("tenants").select("settings").where("id", "=", tenantId).executeTakeFirst(), "tenant");
  const stored = ZOutboundLimits.partial().safeParse(tenant.settings.outboundLimits ?? {});
  return { ...OUTBOUND_LIMITS_DEFAULT, ...(stored.success ? stored.data : {}) };
}

export async function getOutboundLimits(ctx: Ctx): Promise<OutboundLimits> {
  return loadOutboundLimits(ctx.deps.db, ctx.tenantId);
}

/** Replaces the tenant's outbound limits (the admin's phone page saves them whole); audited. */
export async function setOutboundLimits(ctx: Ctx, input: OutboundLimits): Promise<OutboundLimits> {
  const limits: OutboundLimits = { ...input, deniedPrefixes: [...new Set(input.deniedPrefixes)] };
  return inTransaction(ctx, async (tx) => {
    const row = found(await tx.selectFrom("tenants").select("settings").where("id", "=", ctx.tenantId).forUpdate().executeTakeFirst(), "tenant");
    const before = await loadOutboundLimits(tx, ctx.tenantId);
    await tx
      .updateTable("tenants")
      .set({ settings: JSON.stringify({ ...row.settings, outboundLimits: limits }), updated_at: ctx.deps.clock.now() })
      .where("id", "=", ctx.tenantId)
      .execute();
    await recordAudit(tx, ctx, { action: "outbound_limits.updated", entityType: "tenant", entityId: ctx.tenantId, changes: { before, after: limits } });
    return limits;
  });
}
