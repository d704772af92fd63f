import { mkdirSync } from "node:fs";
import { PGlite, types as pgliteTypes } from "@electric-sql/pglite";
import { Kysely, PostgresDialect, sql, type Transaction } from "kysely";
import pg from "pg";
import { acquireDataLock, type DataLock } from "./data-lock.ts";
import { PGliteDialect } from "./pglite-dialect.ts";
import { postgresPool } from "./postgres-pool.ts";
import { observerOptions } from "./statement-observer.ts";
import type { DB } from "./schema.ts";

export type DatabaseKind = "pglite" | "postgres";
export type Db = Kysely<DB>;
export type Tx = Transaction<DB>;
/** Either the database or an open transaction: repositories accept both. */
export type Executor = Db | Tx;

export interface Database {
  db: Db;
  kind: DatabaseKind;
  /**
   * PostgreSQL: a pool of its own (two connections) for short autocommitted statements made while
   * the caller holds a transaction on `db` (a ticket's number), so that they neither wait for that
   * transaction nor make others wait for it, and cannot starve `db`'s pool. PGlite: null (one
   * connection, transactions run one at a time; the caller's transaction is used).
   */
  autocommit: Db | null;
  close(): Promise<void>;
}

export type DatabaseOptions =
  | { kind: "postgres"; url: string; poolSize?: number; onIdleError?: (err: Error) => void }
  | { kind: "pglite"; dataDir: string | null };

// Both drivers return the same JS shapes: dates as 'YYYY-MM-DD' strings (no timezone shift),
// bigint and numeric as numbers (counters and coefficients stay far below 2^53).
const DATE_OID = 1082;
const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * An error node-postgres raised on an idle connection carries that connection (`client`, with
 * its connection parameters — the password among them): what is passed on keeps only its words
 * and code, so that logging it logs no secret.
 */
function wordsOnly(err: Error): Error {
  const clean = new Error(err.message);
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string") Object.assign(clean, { code });
  return clean;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.kind === "postgres") {
    const open = (max: number) => {
      const pool = new pg.Pool({
        connectionString: options.url,
        max,
        types: {
          getTypeParser: (oid: number, format?: "text" | "binary") => {
            if (oid === DATE_OID) return (v: string) => v;
            if (oid === INT8_OID || oid === NUMERIC_OID) return (v: string) => Number(v);
            return pg.types.getTypeParser(oid, format);
          },
        } as pg.CustomTypesConfig,
      });
      // An idle connection the server drops (restart, failover) must not crash the process:
      // the pool discards it and the next query opens a new one.
      pool.on("error", (err) => options.onIdleError?.(wordsOnly(err)));
      return new Kysely<DB>({ dialect: new PostgresDialect({ pool: postgresPool(pool) }), ...observerOptions() });
    };
    const db = open(options.poolSize ?? 10);
    const autocommit = open(2);
    try {
      await sql`select 1`.execute(db);
    } catch (err) {
      await autocommit.destroy();
      throw err;
    }
    return {
      db,
      kind: "postgres",
      autocommit,
      close: async () => {
        await autocommit.destroy();
        await db.destroy();
      },
    };
  }

  let lock: DataLock | null = null;
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    lock = acquireDataLock(options.dataDir);
  }
  try {
    const pglite = await PGlite.create({
      ...(options.dataDir ? { dataDir: `${options.dataDir}/pglite` } : {}),
      parsers: {
        [DATE_OID]: (v: string) => v,
        [INT8_OID]: (v: string) => Number(v),
        [NUMERIC_OID]: (v: string) => Number(v),
      },
      serializers: { [pgliteTypes.DATE]: (v: unknown) => String(v) },
    });
    const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite), ...observerOptions() });
    return {
      db,
      kind: "pglite",
      autocommit: null,
      close: async () => {
        await db.destroy();
        await pglite.close();
        lock?.release();
      },
    };
  } catch (err) {
    lock?.release();
    throw err;
  }
}
