import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "./database.ts";
import { fromDatabaseError } from "./errors.ts";

// the errors PGlite really raises (PostgreSQL raises the same SQLSTATEs; the integration tests
// run the API on both)
let database: Database;
beforeAll(async () => {
  database = await openDatabase({ kind: "pglite", dataDir: null });
  await sql`create table parent (id uuid primary key, at timestamptz)`.execute(database.db);
  await sql`create table child (id int primary key, parent_id uuid references parent (id))`.execute(database.db);
}, 60_000); // PGlite starts slowly on a busy machine
afterAll(() => database.close());

async function failureOf(statement: ReturnType<typeof sql>) {
  const err = await statement.execute(database.db).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, "the statement should have failed").not.toBeNull();
  return fromDatabaseError(err);
}

describe("database errors a caller caused", () => {
  it("a duplicate key is CONFLICT, a missing referenced row NOT_FOUND", async () => {
    await sql`insert into child (id) values (1)`.execute(database.db);
    expect(await failureOf(sql`insert into child (id) values (1)`)).toEqual({ code: "CONFLICT", message: "a record with these values already exists" });
    expect(await failureOf(sql`insert into child (id, parent_id) values (2, '00000000-0000-4000-8000-000000000000')`)).toEqual({
      code: "NOT_FOUND",
      message: "a referenced record does not exist",
    });
  });

  it("a malformed uuid or date, or a date out of range, is VALIDATION_FAILED", async () => {
    const wrongForm = { code: "VALIDATION_FAILED", message: "a value has the wrong form" };
    expect(await failureOf(sql`select * from parent where id = ${"not-a-uuid"}::uuid`)).toEqual(wrongForm);
    expect(await failureOf(sql`select ${"yesterday-ish"}::timestamptz`)).toEqual(wrongForm);
    expect(await failureOf(sql`select ${"2026-13-45"}::timestamptz`)).toEqual(wrongForm);
  });

  it("anything else stays an internal error", async () => {
    expect(await failureOf(sql`select * from no_such_table`)).toBeNull();
    expect(fromDatabaseError(new Error("boom"))).toBeNull();
    expect(fromDatabaseError({ code: "constructor" })).toBeNull();
    expect(fromDatabaseError(null)).toBeNull();
  });
});
