import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "./database.ts";
import { loadMigrations, migrate } from "./migrate.ts";

const open: Database[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const d of open.splice(0)) await d.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function memoryDb(): Promise<Database> {
  const database = await openDatabase({ kind: "pglite", dataDir: null });
  open.push(database);
  return database;
}

describe("loadMigrations", () => {
  it("reads NNNN_name.sql files in order and ignores anything else", () => {
    const dir = mkdtempSync(join(tmpdir(), "yx-migrations-"));
    dirs.push(dir);
    writeFileSync(join(dir, "0002_second.sql"), "create table b (id int);");
    writeFileSync(join(dir, "0001_first.sql"), "create table a (id int);");
    writeFileSync(join(dir, "README.md"), "not a migration");
    writeFileSync(join(dir, "3_bad.sql"), "select 1;");
    expect(loadMigrations(dir).map((m) => m.version)).toEqual(["0001_first", "0002_second"]);
  });

  it("ships the foundation migration first", () => {
    expect(loadMigrations()[0]?.version).toBe("0001_foundation");
  });
});

// PGlite takes a few seconds to boot on a busy machine.
describe("migrate on PGlite", { timeout: 30_000 }, () => {
  it("applies only the migrations not yet recorded", async () => {
    const { db } = await memoryDb();
    const first = [{ version: "0001_a", sql: "create table a (id int primary key);" }];
    expect(await migrate(db, first)).toEqual(["0001_a"]);
    const both = [...first, { version: "0002_b", sql: "create table b (id int primary key);" }];
    expect(await migrate(db, both)).toEqual(["0002_b"]);
    expect(await migrate(db, both)).toEqual([]);
  });

  it("rolls a failing migration back whole and records nothing for it", async () => {
    const { db } = await memoryDb();
    const broken = [{ version: "0001_broken", sql: "create table c (id int); select no_such_function();" }];
    await expect(migrate(db, broken)).rejects.toThrow(/no_such_function/);
    const fixed = [{ version: "0001_broken", sql: "create table c (id int);" }];
    expect(await migrate(db, fixed)).toEqual(["0001_broken"]);
  });
});
