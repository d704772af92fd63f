import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../server/src/db/database.ts";
import { freshPostgresDatabase } from "./harness.ts";

const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const PASSWORD = "not-to-be-logged-7f3a";

// PostgreSQL only: PGlite has no connections to lose
describe.runIf(process.env.TEST_DB === "postgres")("a PostgreSQL connection lost while idle", () => {
  const drops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const drop of drops) await drop();
  });

  it("is reported with its words and code only, never with the connection's password", async () => {
    const fresh = await freshPostgresDatabase();
    drops.push(fresh.drop);
    const url = new URL(fresh.url);
    // the local server trusts loopback, so a password in the URL is accepted (and must stay secret)
    url.password = PASSWORD;
    const reported: Error[] = [];
    const database = await openDatabase({ kind: "postgres", url: url.toString(), onIdleError: (err) => reported.push(err) });
    try {
      await database.db.selectNoFrom((eb) => eb.val(1).as("one")).execute();
      const admin = new pg.Client({ connectionString: ADMIN_URL });
      await admin.connect();
      await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()", [url.pathname.slice(1)]);
      await admin.end();
      await expect.poll(() => reported.length, { timeout: 5000 }).toBeGreaterThan(0);
      const err = reported[0]!;
      expect(err.message).toMatch(/terminat/);
      expect((err as { code?: string }).code).toBe("57P01");
      expect(JSON.stringify({ ...err, message: err.message, stack: err.stack })).not.toContain(PASSWORD);
      expect(Object.keys(err)).not.toContain("client");
      // the pool opens a new connection for the next query
      await database.db.selectNoFrom((eb) => eb.val(1).as("one")).execute();
    } finally {
      await database.close();
    }
  });
});
