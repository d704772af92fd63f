import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PGliteStatements } from "./pglite-statements.ts";

describe("PGlite named prepared statements", () => {
  let pg: PGlite;
  beforeAll(async () => {
    pg = await PGlite.create();
    await pg.exec(`create table notes (id int primary key, body text, tags text[], data jsonb, at timestamptz, n int8)`);
  }, 60_000); // PGlite's start-up, on a busy machine
  afterAll(() => pg.close());

  it("returns the same rows as PGlite's own query: types parsed, nulls kept", async () => {
    const statements = new PGliteStatements(pg);
    const at = new Date("2026-12-07T03:00:00.000Z");
    const insert = await statements.run(
      "insert into notes (id, body, tags, data, at, n) values ($1, $2, $3, $4, $5, $6) returning *",
      [1, "打印机没有反应", ["发票", "打印"], JSON.stringify({ a: 1 }), at, 9007199254740],
    );
    expect(insert.affectedRows).toBe(1);
    const mine = await statements.run("select * from notes where id = $1", [1]);
    const theirs = await pg.query("select * from notes where id = $1", [1]);
    expect(mine.rows).toEqual(theirs.rows);
    expect(mine.rows[0]).toMatchObject({ body: "打印机没有反应", tags: ["发票", "打印"], data: { a: 1 }, at });
    await statements.run("insert into notes (id, body) values ($1, $2)", [2, null]);
    expect((await statements.run("select body, tags from notes where id = $1", [2])).rows).toEqual([{ body: null, tags: null }]);
  });

  it("counts the rows an update or delete changed", async () => {
    const statements = new PGliteStatements(pg);
    await statements.run("insert into notes (id, body) select g, 'x' from generate_series($1::int, $2::int) g", [10, 14]);
    expect((await statements.run("update notes set body = $1 where id between $2 and $3", ["y", 10, 12])).affectedRows).toBe(3);
    expect((await statements.run("delete from notes where id >= $1", [10])).affectedRows).toBe(5);
  });

  it("fails with PostgreSQL's error code and keeps working after it", async () => {
    const statements = new PGliteStatements(pg);
    await expect(statements.run("insert into notes (id) values ($1)", [1])).rejects.toMatchObject({ code: "23505" });
    await expect(statements.run("select * from notes where id = $1", ["not a number"])).rejects.toMatchObject({ code: "22P02" });
    await expect(statements.run("select * from nowhere where id = $1", [1])).rejects.toMatchObject({ code: "42P01" });
    expect((await statements.run("select count(*)::int as n from notes where id = $1", [1])).rows).toEqual([{ n: 1 }]);
  });

  it("closes the least recently used statements beyond its capacity", async () => {
    const count = async () => (await pg.query<{ n: number }>("select count(*)::int as n from pg_prepared_statements")).rows[0]!.n;
    const before = await count();
    const statements = new PGliteStatements(pg, 2);
    for (let i = 0; i < 5; i++) await statements.run(`select $1::int + ${i} as v`, [1]);
    expect(await count()).toBe(before + 2);
    expect((await statements.run("select $1::int + 4 as v", [1])).rows).toEqual([{ v: 5 }]);
    expect((await statements.run("select $1::int + 0 as v", [1])).rows).toEqual([{ v: 1 }]);
  });

  it("prepares again when a table it reads was altered", async () => {
    const statements = new PGliteStatements(pg);
    expect(Object.keys((await statements.run("select * from notes where id = $1", [1])).rows[0]!)).not.toContain("extra");
    await pg.exec("alter table notes add column extra text default 'added'");
    expect((await statements.run("select * from notes where id = $1", [1])).rows[0]).toMatchObject({ extra: "added" });
  });
});
