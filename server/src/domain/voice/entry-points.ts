import { ivrLanguageOf, type VoiceIvr } from "@yixian/contracts";
import type { Deps } from "../context.ts";
import { resolveIvr } from "./number-ivr.ts";

export { tenantPromptFile, tenantPromptFiles } from "./prompts/prompt-file.ts";

export type { VoiceIvr } from "@yixian/contracts";

/** A number that takes calls: whose it is, the trunk it lands on, its queue and its IVR settings. */
export interface InboundNumber {
  tenantId: string;
  trunkId: string;
  /** As stored (E.164). */
  number: string;
  /** The number's queue; null: the navigation rules decide. */
  queueId: string | null;
  ivr: VoiceIvr;
  /** The tenant's country, for numbers written without one (read with the number: one statement less a call). */
  defaultCountry?: string | undefined;
}

/**
 * The forms a dialled number may be stored under: as given, and in E.164 with a `+` when the
 * request carried the digits alone (`864001234567`, `+86 400-123-4567` → `+864001234567`).
 */
function storedForms(dialled: string): string[] {
  const trimmed = dialled.trim();
  const digits = trimmed.replace(/[\s().-]/g, "");
  const e164 = /^\+?[1-9]\d{5,14}$/.test(digits) ? `+${digits.replace(/^\+/, "")}` : null;
  return [...new Set([trimmed, ...(e164 ? [e164] : [])])].filter(Boolean);
}

/**
 * The number an inbound call dialled, for the call controller: null when no trunk holds it or
 * its trunk is disabled (the call is refused). Numbers are unique on the server, so the number
 * alone finds the tenant.
 */
export async function findInboundNumber(deps: Deps, number: string): Promise<InboundNumber | null> {
  const forms = storedForms(number);
  if (forms.length === 0) return null;
  const row = await deps.db
    .selectFrom("sip_dids as d")
    .innerJoin("sip_trunks as t", "t.id", "d.trunk_id")
    .innerJoin("tenants as n", "n.id", "d.tenant_id")
    .select(["d.number", "d.tenant_id", "d.trunk_id", "d.queue_id", "d.ivr", "n.locale", "n.default_country"])
    .where("d.number", "in", forms)
    .where("t.enabled", "=", true)
    .executeTakeFirst();
  if (!row) return null;
  return { tenantId: row.tenant_id, trunkId: row.trunk_id, number: row.number, queueId: row.queue_id, ivr: resolveIvr(row.ivr, ivrLanguageOf(row.locale)), defaultCountry: row.default_country };
}
