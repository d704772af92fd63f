import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import type { Db } from "./database.ts";

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), "../../migrations");
// Any constant: every process that migrates takes the same transaction-scoped lock.
const MIGRATION_LOCK = 7_310_001;

export interface Migration {
  version: string;
  sql: string;
}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: f.replace(/\.sql$/, ""), sql: readFileSync(join(dir, f), "utf8") }));
}

/**
 * Applies every migration not yet recorded in schema_migrations, each in its own transaction,
 * under an advisory lock so that two servers starting together do not race.
 * Returns the versions it applied.
 */
export async function migrate(db: Db, migrations = loadMigrations()): Promise<string[]> {
  await sql`create table if not exists schema_migrations (
    version text primary key,
    applied_at timestamptz not null default now()
  )`.execute(db);
  const applied: string[] = [];
  for (const m of migrations) {
    const done = await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(trx);
      const seen = await sql<{ version: string }>`select version from schema_migrations where version = ${m.version}`.execute(trx);
      if (seen.rows.length > 0) return false;
      await sql.raw(m.sql).execute(trx);
      await sql`insert into schema_migrations (version) values (${m.version})`.execute(trx);
      return true;
    });
    if (done) applied.push(m.version);
  }
  return applied;
}
