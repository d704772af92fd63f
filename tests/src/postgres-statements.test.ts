/**
 * The PostgreSQL server connection prepares what it runs (server/src/db/prepared-statements.ts):
 * statements keep working past the per-connection bound, and a table changed under a running
 * node (a migration adding a column) costs at most one failed query per connection.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withPreparedStatements } from "../../server/src/db/prepared-statements.ts";
import { freshPostgresDatabase, TEST_DB } from "./harness.ts";

describe.skipIf(TEST_DB !== "postgres")("prepared statements on a PostgreSQL server", { timeout: 30_000 }, () => {
  let raw: pg.Pool;
  let drop: () => Promise<void>;
  // one connection: every query below meets the statements the earlier ones prepared
  let pool: ReturnType<typeof withPreparedStatements>;

  beforeAll(async () => {
    const fresh = await freshPostgresDatabase();
    drop = fresh.drop;
    raw = new pg.Pool({ connectionString: fresh.url, max: 1 });
    pool = withPreparedStatements(raw);
    await raw.query("create table notes (id int primary key, body text not null)");
    await raw.query("insert into notes values (1, '报修'), (2, 'repair')");
  });

  afterAll(async () => {
    await pool?.end();
    await drop?.();
  });

  async function run<R>(text: string, values: unknown[]): Promise<R[]> {
    const client = await pool.connect();
    try {
      return (await client.query<R>(text, values)).rows;
    } finally {
      client.release();
    }
  }
  const note = async (id: number) => (await run<Record<string, unknown>>("select * from notes where id = $1", [id]))[0];

  it("answers each run of the same statement with that run's parameters", async () => {
    for (let round = 0; round < 8; round++) {
      expect(await note(1)).toEqual({ id: 1, body: "报修" });
      expect(await note(2)).toEqual({ id: 2, body: "repair" });
    }
    const named = await raw.query<{ n: number }>("select count(*)::int as n from pg_prepared_statements");
    expect(named.rows[0]!.n).toBeGreaterThan(0);
  });

  it("runs more distinct statements than it keeps prepared on a connection", async () => {
    const sums: number[] = [];
    for (let n = 0; n < 450; n++) sums.push((await run<{ sum: number }>(`select $1::int + ${n} as sum`, [n]))[0]!.sum);
    expect(sums).toEqual(Array.from({ length: 450 }, (_, n) => 2 * n));
    expect(await note(1)).toEqual({ id: 1, body: "报修" });
  });

  it("after a column is added under it, fails at most one query, then answers with the new column", async () => {
    await note(1);
    await raw.query("alter table notes add column place text not null default '上海'");
    const first = await note(1).then(
      (row) => row,
      (err: Error) => err,
    );
    if (first instanceof Error) expect(first.message).toMatch(/cached plan/);
    else expect(first).toEqual({ id: 1, body: "报修", place: "上海" });
    expect(await note(1)).toEqual({ id: 1, body: "报修", place: "上海" });
    expect(await note(2)).toEqual({ id: 2, body: "repair", place: "上海" });
  });
});
