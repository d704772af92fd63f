import { PGlite } from "@electric-sql/pglite";
import { Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PGliteDialect } from "./pglite-dialect.ts";
import { THEN_COMMIT } from "./postgres-pool.ts";

interface Notes {
  notes: { id: number; body: string };
}

describe("PGlite transactions", () => {
  let pg: PGlite;
  let db: Kysely<Notes>;
  beforeAll(async () => {
    pg = await PGlite.create();
    await pg.exec("create table notes (id int primary key, body text not null)");
    db = new Kysely<Notes>({ dialect: new PGliteDialect(pg) });
  }, 60_000); // PGlite's start-up, on a busy machine
  afterAll(async () => {
    await db.destroy();
    await pg.close();
  });

  const bodies = async () => (await db.selectFrom("notes").select(["id", "body"]).orderBy("id").execute()).map((n) => `${n.id}:${n.body}`);
  const last = (id: number, body: string) => sql<{ id: number }>`${sql.raw(THEN_COMMIT)}insert into notes (id, body) values (${id}, ${body}) returning id`;

  it("commits a transaction whose only statement is its last, answering that statement", async () => {
    const rows = await db.transaction().execute(async (tx) => (await last(1, "打印机").execute(tx)).rows);
    expect(rows).toEqual([{ id: 1 }]);
    expect(await bodies()).toEqual(["1:打印机"]);
  });

  it("keeps nothing of a last statement that fails, and the connection works after it", async () => {
    await expect(db.transaction().execute((tx) => last(1, "重复").execute(tx))).rejects.toThrow(/duplicate key/);
    await db.transaction().execute(async (tx) => {
      await tx.insertInto("notes").values({ id: 2, body: "发票" }).execute();
      await last(3, "开票").execute(tx);
    });
    expect(await bodies()).toEqual(["1:打印机", "2:发票", "3:开票"]);
  });

  it("rolls back every statement of a transaction that fails after its first", async () => {
    await expect(
      db.transaction().execute(async (tx) => {
        await tx.insertInto("notes").values({ id: 4, body: "退款" }).execute();
        await last(1, "重复").execute(tx);
      }),
    ).rejects.toThrow(/duplicate key/);
    await expect(
      db.transaction().execute(async (tx) => {
        await tx.insertInto("notes").values({ id: 5, body: "换货" }).execute();
        throw new Error("the caller changed its mind");
      }),
    ).rejects.toThrow(/changed its mind/);
    expect(await bodies()).toEqual(["1:打印机", "2:发票", "3:开票"]);
  });

  it("refuses a statement after the last one, and an empty transaction costs nothing", async () => {
    await expect(
      db.transaction().execute(async (tx) => {
        await last(6, "物流").execute(tx);
        await tx.insertInto("notes").values({ id: 7, body: "太迟" }).execute();
      }),
    ).rejects.toThrow(/after its transaction was committed/);
    await db.transaction().execute(async () => undefined);
    expect(await bodies()).toEqual(["1:打印机", "2:发票", "3:开票", "6:物流"]);
  });
});
