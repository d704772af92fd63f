import { sql } from "kysely";
import { pruneLoginAttempts } from "./auth/login-throttle.ts";
import type { Deps } from "./context.ts";

const HOUR = 3_600_000;

/** Reclaims dead rows and refreshes the planner's statistics of every table (what autovacuum does). */
export async function vacuumAnalyze(deps: Pick<Deps, "db">): Promise<void> {
  await sql`vacuum analyze`.execute(deps.db);
}

/**
 * Periodic upkeep: prune delivered outbox rows and expired sessions; on PGlite, which has no
 * autovacuum, VACUUM ANALYZE so plans and table sizes stay healthy. Returns a stopper.
 */
export function runHousekeeping(deps: Deps, everyMs = HOUR): () => void {
  const run = async () => {
    await deps.outbox.prune();
    await deps.db.deleteFrom("sessions").where("expires_at", "<", sql<Date>`now() - interval '7 days'`).execute();
    await pruneLoginAttempts(deps);
    if (deps.dbKind === "pglite") await vacuumAnalyze(deps);
  };
  const timer = setInterval(() => {
    run().catch((err: unknown) => deps.log.error({ err }, "housekeeping failed"));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
