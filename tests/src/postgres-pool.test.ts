/**
 * The PostgreSQL server connection (server/src/db/postgres-pool.ts) prepares what it runs and
 * sends BEGIN with the transaction's first statement: statements keep working past the
 * per-connection bound, transactions stay whole (also when a last statement carries the COMMIT),
 * and a table changed under a running node (a
 * migration adding a column) costs at most one failed query per connection.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresPool, THEN_COMMIT } from "../../server/src/db/postgres-pool.ts";
import { freshPostgresDatabase, TEST_DB } from "./harness.ts";

describe.skipIf(TEST_DB !== "postgres")("the connection to a PostgreSQL server", { timeout: 30_000 }, () => {
  let raw: pg.Pool;
  let drop: () => Promise<void>;
  let url: string;
  // one connection: every query below meets the statements the earlier ones prepared
  let pool: ReturnType<typeof postgresPool>;

  beforeAll(async () => {
    const fresh = await freshPostgresDatabase();
    drop = fresh.drop;
    url = fresh.url;
    raw = new pg.Pool({ connectionString: fresh.url, max: 1 });
    pool = postgresPool(raw);
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

  // before the next test fills the connection: this statement must go named
  it("keeps a statement prepared whose first run, as its transaction's first statement, failed when it ran", async () => {
    const client = await pool.connect();
    const insert = `${THEN_COMMIT}insert into notes (id, body) values ($1, $2) returning id -- first run fails`;
    try {
      await client.query("begin", []);
      await expect(client.query(insert, [2, "重复"])).rejects.toThrow(/duplicate key/);
      await client.query("rollback", []);
      await client.query("begin", []);
      expect((await client.query<{ id: number }>(insert, [20, "回访"])).rows).toEqual([{ id: 20 }]);
      await client.query("commit", []);
      // a statement that did not even parse is parsed again the next time
      await client.query("begin", []);
      await expect(client.query("select no_such_column from notes where id = $1", [1])).rejects.toThrow(/does not exist/);
      await client.query("rollback", []);
      await client.query("alter table notes add column no_such_column int", []);
      await client.query("begin", []);
      expect((await client.query("select no_such_column from notes where id = $1", [1])).rows).toEqual([{ no_such_column: null }]);
      await client.query("rollback", []);
      await client.query("alter table notes drop column no_such_column", []);
    } finally {
      client.release();
    }
    expect(await note(20)).toEqual({ id: 20, body: "回访" });
    await raw.query("delete from notes where id = 20");
  });

  it("runs more distinct statements than it keeps prepared on a connection", async () => {
    const sums: number[] = [];
    for (let n = 0; n < 450; n++) sums.push((await run<{ sum: number }>(`select $1::int + ${n} as sum`, [n]))[0]!.sum);
    expect(sums).toEqual(Array.from({ length: 450 }, (_, n) => 2 * n));
    expect(await note(1)).toEqual({ id: 1, body: "报修" });
  });

  it("sends BEGIN with the transaction's first statement: what the transaction did is rolled back as a whole", async () => {
    const client = await pool.connect();
    try {
      await client.query("begin", []);
      await client.query("insert into notes (id, body) values ($1, $2)", [3, "工单"]);
      await client.query("insert into notes (id, body) values ($1, $2)", [4, "派工"]);
      await client.query("rollback", []);
      // a first statement that fails fails its transaction, and the connection goes on
      await client.query("begin", []);
      await expect(client.query("insert into notes (id, body) values ($1, $2)", [1, "重复"])).rejects.toThrow(/duplicate key/);
      await expect(client.query("select * from notes where id = $1", [2])).rejects.toThrow(/current transaction is aborted/);
      await client.query("rollback", []);
      // a transaction with no statement is no transaction at all
      await client.query("begin", []);
      await client.query("commit", []);
      await client.query("begin", []);
      await client.query("insert into notes (id, body) values ($1, $2)", [5, "回访"]);
      await client.query("commit", []);
    } finally {
      client.release();
    }
    expect((await run<{ id: number }>("select id from notes where id > $1 order by id", [2])).map((r) => r.id)).toEqual([5]);
    expect(await note(1)).toEqual({ id: 1, body: "报修" });
  });

  it("commits with a statement marked THEN_COMMIT, answering that statement; a failing one commits nothing", async () => {
    // another connection looks (the pool has one)
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    const ids = async () => (await other.query<{ id: number }>("select id from notes where id between 10 and 19 order by id")).rows.map((r) => r.id);
    const client = await pool.connect();
    try {
      await client.query("begin", []);
      await client.query("insert into notes (id, body) values ($1, $2)", [10, "上门"]);
      const last = await client.query<{ id: number; body: string }>(`${THEN_COMMIT}insert into notes (id, body) values ($1, $2) returning id, body`, [11, "评价"]);
      expect(last.rows).toEqual([{ id: 11, body: "评价" }]);
      // committed already: another connection sees both rows before the client's COMMIT
      expect(await ids()).toEqual([10, 11]);
      await client.query("commit", []);

      await client.query("begin", []);
      await client.query("insert into notes (id, body) values ($1, $2)", [12, "派工"]);
      await expect(client.query(`${THEN_COMMIT}insert into notes (id, body) values ($1, $2)`, [11, "重复"])).rejects.toThrow(/duplicate key/);
      await client.query("rollback", []);
      expect(await ids()).toEqual([10, 11]);

      // BEGIN, the statement and COMMIT in one go; nothing may run after the commit but its COMMIT
      await client.query("begin", []);
      await client.query(`${THEN_COMMIT}insert into notes (id, body) values ($1, $2)`, [13, "回访"]);
      await expect(client.query("insert into notes (id, body) values ($1, $2)", [14, "迟到"])).rejects.toThrow(/after its transaction was committed/);
      await expect(client.query("select * from notes where id = $1", [1])).rejects.toThrow(/after its transaction was committed/);
      await client.query("rollback", []);
      expect(await ids()).toEqual([10, 11, 13]);
    } finally {
      client.release();
      await other.end();
    }
    // and the connection goes on as before
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
