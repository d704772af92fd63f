import { sql } from "kysely";
import type { Db } from "../../db/database.ts";

/**
 * The wallboard pusher's lease: one row, held by one process at a time and renewed while it
 * lives; when the holder stops renewing, another process takes it after `ttlMs`. The database's
 * clock decides, so processes on different machines agree.
 */
export async function holdPusherLease(db: Db, holder: string, ttlMs: number): Promise<boolean> {
  const result = await sql<{ holder: string }>`
    insert into wallboard_pusher_lease (id, holder, expires_at)
    values (1, ${holder}, now() + ${ttlMs} * interval '1 millisecond')
    on conflict (id) do update set holder = excluded.holder, expires_at = excluded.expires_at
      where wallboard_pusher_lease.holder = excluded.holder or wallboard_pusher_lease.expires_at < now()
    returning holder`.execute(db);
  return result.rows.length === 1;
}

export async function releasePusherLease(db: Db, holder: string): Promise<void> {
  await db.deleteFrom("wallboard_pusher_lease").where("holder", "=", holder).execute();
}

/** Takes the tenants whose metrics changed since the last call (each change is taken once). */
export async function takeChangedTenants(db: Db): Promise<string[]> {
  const rows = await db.deleteFrom("wallboard_changes").returning("tenant").execute();
  return [...new Set(rows.map((r) => r.tenant))];
}
