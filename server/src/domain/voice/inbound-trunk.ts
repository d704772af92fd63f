import type { Deps } from "../context.ts";

/** What the call controller checks of the trunk a call claims to come from. */
export interface InboundTrunk {
  id: string;
  tenantId: string;
  name: string;
  /** Addresses or networks (CIDR) calls may come from; empty: digest only. */
  allowedSources: string[];
  /** Inbound digest: the provider's user and its HA1s (never the password). */
  digest: { username: string; md5: string; sha256: string } | null;
  enabled: boolean;
}

export async function inboundTrunk(deps: Deps, trunkId: string): Promise<InboundTrunk | null> {
  const row = await deps.db
    .selectFrom("sip_trunks")
    .select(["id", "tenant_id", "name", "allowed_sources", "digest_username", "digest_ha1_md5", "digest_ha1_sha256", "enabled"])
    .where("id", "=", trunkId)
    .executeTakeFirst();
  if (!row) return null;
  const digest = row.digest_username && row.digest_ha1_md5 && row.digest_ha1_sha256 ? { username: row.digest_username, md5: row.digest_ha1_md5, sha256: row.digest_ha1_sha256 } : null;
  return { id: row.id, tenantId: row.tenant_id, name: row.name, allowedSources: row.allowed_sources, digest, enabled: row.enabled };
}

/**
 * Every address or network that some enabled trunk, of any tenant, takes calls from: a
 * provider's own gear, exempt from the SIP rate limit per source (its calls are admitted by
 * number and source as any other).
 */
export async function trunkSources(deps: Deps): Promise<string[]> {
  const rows = await deps.db.selectFrom("sip_trunks").select("allowed_sources").where("enabled", "=", true).execute();
  return [...new Set(rows.flatMap((r) => r.allowed_sources))];
}
