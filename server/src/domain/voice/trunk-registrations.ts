import { rooms, type TrunkRegistrationState, type TrunkRegistrationStatus } from "@yixian/contracts";
import { sql } from "kysely";
import type { Row } from "../../db/schema.ts";
import type { Deps } from "../context.ts";
import { recordEvent } from "../events/outbox.ts";
import { unseal } from "./sip-secrets.ts";

/**
 * Outbound registration of trunks to their providers, as the SIP side needs it: which trunks
 * register (enabled, with a registration, the password unsealed for the REGISTER only), a lease per
 * trunk so that one node of a cluster registers it, and the state the console shows.
 */

/** A trunk that should be registered at its provider now. */
export interface TrunkToRegister {
  id: string;
  tenantId: string;
  name: string;
  transport: "udp" | "tcp" | "tls";
  registrar: string;
  username: string;
  password: string;
  expiresSeconds: number;
  /** Changes whenever the trunk is saved: a new version is registered again. */
  version: string;
}

export async function trunksToRegister(deps: Deps): Promise<TrunkToRegister[]> {
  const rows = await deps.db
    .selectFrom("sip_trunks")
    .select(["id", "tenant_id", "name", "transport", "registration", "registration_secret", "updated_at"])
    .where("enabled", "=", true)
    .where("registration", "is not", null)
    .where("registration_secret", "is not", null)
    .orderBy("id")
    .execute();
  return rows.flatMap((row) => {
    const registration = row.registration as { registrar: string; username: string; expiresSeconds: number } | null;
    if (!registration || !row.registration_secret) return [];
    return [
      {
        id: row.id,
        tenantId: row.tenant_id,
        name: row.name,
        transport: row.transport as TrunkToRegister["transport"],
        registrar: registration.registrar,
        username: registration.username,
        password: unseal(deps.config, row.registration_secret),
        expiresSeconds: registration.expiresSeconds,
        version: new Date(row.updated_at).toISOString(),
      },
    ];
  });
}

/**
 * Takes or renews this holder's lease on registering a trunk; false while another holder's lease
 * runs. The database's clock decides, so nodes on different machines agree.
 */
export async function holdTrunkRegistration(deps: Deps, trunkId: string, holder: string, ttlMs: number): Promise<boolean> {
  const result = await sql<{ holder: string }>`
    insert into sip_trunk_registrations (trunk_id, holder, lease_expires_at)
    select id, ${holder}, now() + ${ttlMs} * interval '1 millisecond' from sip_trunks where id = ${trunkId}
    on conflict (trunk_id) do update set holder = excluded.holder, lease_expires_at = excluded.lease_expires_at
      where sip_trunk_registrations.holder = excluded.holder or sip_trunk_registrations.lease_expires_at < now()
    returning holder`.execute(deps.db);
  return result.rows.length === 1;
}

/** Writes where this holder's registration of a trunk stands, and tells the trunk's console pages. */
export async function recordTrunkRegistration(
  deps: Deps,
  trunk: { id: string; tenantId: string },
  holder: string,
  status: { state: TrunkRegistrationState; reason?: string | null; expiresAt?: Date | null; release?: boolean },
): Promise<void> {
  const now = deps.clock.now();
  await deps.outbox.transaction(async (tx) => {
    const current = await tx.selectFrom("sip_trunk_registrations").select(["state", "reason"]).where("trunk_id", "=", trunk.id).where("holder", "=", holder).executeTakeFirst();
    if (!current) return;
    const reason = status.reason ?? null;
    const changed = current.state !== status.state || current.reason !== reason;
    await tx
      .updateTable("sip_trunk_registrations")
      .set({
        state: status.state,
        reason,
        expires_at: status.expiresAt ?? null,
        ...(changed ? { changed_at: now } : {}),
        // released: any node may take it at once
        ...(status.release ? { lease_expires_at: new Date(0) } : {}),
      })
      .where("trunk_id", "=", trunk.id)
      .where("holder", "=", holder)
      .execute();
    await recordEvent(tx, { tenantId: trunk.tenantId, event: "trunk:changed", rooms: [rooms.tenant(trunk.tenantId)], payload: { id: trunk.id, at: now.toISOString() } });
  });
}

type StatusRow = Pick<Row<"sip_trunk_registrations">, "state" | "reason" | "changed_at" | "expires_at">;

/** What the trunks API shows of a registering trunk: "off" until a node has written otherwise. */
export function presentRegistrationStatus(row: StatusRow | undefined): TrunkRegistrationStatus {
  if (!row) return { state: "off", reason: null, since: null, expiresAt: null };
  return {
    state: row.state as TrunkRegistrationState,
    reason: row.reason,
    since: new Date(row.changed_at).toISOString(),
    expiresAt: row.state === "registered" && row.expires_at ? new Date(row.expires_at).toISOString() : null,
  };
}
