import { sql } from "kysely";
import type { Deps } from "./context.ts";

const HOUR = 3_600_000;

/**
 * Periodic upkeep: prune delivered outbox rows and expired sessions; on PGlite, which has no
 * autovacuum, VACUUM ANALYZE so plans and table sizes stay healthy. Returns a stopper.
 */
export function runHousekeeping(deps: Deps, everyMs = HOUR): () => void {
  const run = async () => {
    await deps.outbox.prune();
    await deps.db.deleteFrom("sessions").where("expires_at", "<", sql<Date>`now() - interval '7 days'`).execute();
    if (deps.dbKind === "pglite") await sql`vacuum analyze`.execute(deps.db);
  };
  const timer = setInterval(() => {
    run().catch((err: unknown) => deps.log.error({ err }, "housekeeping failed"));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
