import type { PGlite } from "@electric-sql/pglite";
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from "kysely";
import { PGliteStatements } from "./pglite-statements.ts";
import { THEN_COMMIT } from "./postgres-pool.ts";

/**
 * Kysely dialect for PGlite. PGlite is one connection in one process, so the driver hands out
 * that connection to one holder at a time: a transaction keeps it from BEGIN to COMMIT and
 * every other query waits its turn (the same guarantee a pool of size 1 gives).
 *
 * As on PostgreSQL (postgres-pool.ts), BEGIN waits for the transaction's first statement; when
 * that one is also its last (marked `THEN_COMMIT`: a ticket's one statement) it runs on its own,
 * which PostgreSQL makes one transaction, and the BEGIN and COMMIT calls are saved.
 */
export class PGliteDialect implements Dialect {
  constructor(private readonly pg: PGlite) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.pg);
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}

class PGliteDriver implements Driver {
  private queue: Promise<void> = Promise.resolve();
  private readonly connection: PGliteConnection;

  constructor(pg: PGlite) {
    this.connection = new PGliteConnection(pg);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const previous = this.queue;
    this.queue = previous.then(() => held);
    await previous;
    this.connection.release = release;
    return this.connection;
  }

  async beginTransaction(conn: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    if (!settings.isolationLevel) {
      (conn as PGliteConnection).transaction = "pending";
      return;
    }
    await conn.executeQuery(CompiledQuery.raw(`begin isolation level ${settings.isolationLevel}`));
    (conn as PGliteConnection).transaction = "open";
  }
  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await (conn as PGliteConnection).end("commit");
  }
  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await (conn as PGliteConnection).end("rollback");
  }
  async releaseConnection(conn: DatabaseConnection): Promise<void> {
    (conn as PGliteConnection).transaction = "none";
    (conn as PGliteConnection).release?.();
  }
  async destroy(): Promise<void> {}
}

/**
 * Where the holder's transaction is: none; BEGIN not sent yet (`pending`); BEGIN sent (`open`);
 * or already ended by its last statement, run on its own (`ended`: only COMMIT or ROLLBACK may follow).
 */
type TransactionState = "none" | "pending" | "open" | "ended";

class PGliteConnection implements DatabaseConnection {
  release: (() => void) | undefined;
  transaction: TransactionState = "none";
  private readonly statements: PGliteStatements;
  constructor(private readonly pg: PGlite) {
    this.statements = new PGliteStatements(pg);
  }

  /** COMMIT or ROLLBACK: sent only when BEGIN was. */
  async end(command: "commit" | "rollback"): Promise<void> {
    const state = this.transaction;
    this.transaction = "none";
    if (state === "open") await this.run(CompiledQuery.raw(command));
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    if (this.transaction === "ended") throw new Error("a statement after its transaction was committed");
    if (this.transaction === "pending") {
      if (compiled.sql.startsWith(THEN_COMMIT)) {
        // its own transaction: on failure nothing of it stays, as a rolled-back one
        this.transaction = "ended";
        return this.run(compiled);
      }
      await this.run(CompiledQuery.raw("begin"));
      this.transaction = "open";
    }
    return this.run(compiled);
  }

  private async run<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    // Without parameters the simple protocol runs it, so a migration may hold many statements;
    // with them, a named prepared statement (pglite-statements.ts).
    const result =
      compiled.parameters.length === 0
        ? ((await this.pg.exec(compiled.sql)).at(-1) ?? { rows: [], affectedRows: 0 })
        : await this.statements.run(compiled.sql, compiled.parameters);
    const affected = result.affectedRows;
    return {
      rows: result.rows as R[],
      ...(affected !== undefined ? { numAffectedRows: BigInt(affected) } : {}),
    };
  }

  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("PGlite driver does not stream results");
  }
}
