import type { Executor } from "../../db/database.ts";

/**
 * Which of these agents can be rung now: one of their SIP devices (the console's softphone or a
 * desk phone) holds a registration that has not expired. Part of presence: routing offers calls
 * only to them, and supervisors see it next to the agent's state.
 */
export async function registeredPhones(db: Executor, tenantId: string, userIds: readonly string[], now: Date): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db
    .selectFrom("sip_registrations")
    .select("user_id")
    .distinct()
    .where("tenant_id", "=", tenantId)
    .where("user_id", "in", [...userIds])
    .where("expires_at", ">", now)
    .execute();
  return new Set(rows.map((r) => r.user_id));
}
