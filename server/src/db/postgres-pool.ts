import type { PostgresPool, PostgresPoolClient } from "kysely";
import pg from "pg";

/**
 * Fewer round trips to a PostgreSQL server. A transaction's BEGIN goes with its first statement,
 * and its COMMIT with a last statement marked `THEN_COMMIT` (`pipelined`). Named (prepared) statements: each distinct query text is parsed and
 * planned once per connection instead of on every call. On the hot paths planning cost more
 * than running (a visitor's session join: 1.5 ms to plan, 0.3 ms to run), see decision 0010.
 *
 * Bounded: at most `PER_CONNECTION` statements per connection and `NAMES` texts in all; other
 * texts (say, an IN list of an unusual length) go unnamed as before. A connection whose statement
 * no longer fits the tables (a column added by a migration under a running node: "cached plan
 * must not change result type") is closed on release, so that its statements are dropped.
 */
const NAMES = 2000;
const PER_CONNECTION = 400;

const names = new Map<string, string>();
const preparedOn = new WeakMap<pg.PoolClient, Set<string>>();
const stale = new WeakSet<pg.PoolClient>();

/** The statement name of a query text, or null when it should go unnamed. */
function nameOf(client: pg.PoolClient, text: string): string | null {
  let name = names.get(text);
  if (name === undefined) {
    if (names.size >= NAMES) return null;
    name = `yx${names.size + 1}`;
    names.set(text, name);
  }
  let prepared = preparedOn.get(client);
  if (!prepared) {
    prepared = new Set();
    preparedOn.set(client, prepared);
  }
  if (!prepared.has(name)) {
    if (prepared.size >= PER_CONNECTION) return null;
    prepared.add(name);
  }
  return name;
}

/** PostgreSQL's "cached plan must not change result type" (feature_not_supported). */
function isStalePlan(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === "0A000" && /cached plan/.test(String((err as { message?: unknown }).message));
}

/** The parts of pg's connection (the wire protocol writer) that `pipelined` uses. */
interface WireConnection {
  on(event: "parseComplete", listener: () => void): unknown;
  off(event: "parseComplete", listener: () => void): unknown;
  parse(m: { text: string; name?: string }): void;
  bind(m: { statement?: string; portal?: string; values: unknown[] }): void;
  execute(m: { portal?: string }): void;
  parsedStatements: Record<string, string>;
}

/** What pg's Query does at run time, as far as `pipelined` changes it. */
interface RawQuery {
  name?: string;
  submit(connection: WireConnection): Error | null;
  handleCommandComplete(msg: unknown, connection: WireConnection): void;
  handleError(err: Error, connection: WireConnection): void;
  handleReadyForQuery(connection: WireConnection): void;
}

/** A statement that starts with this carries its transaction's COMMIT (see `thenCommit`). */
export const THEN_COMMIT = "/* then commit */ ";

/**
 * A statement sent with its transaction's BEGIN before it and/or COMMIT after it, without waiting
 * for their answers: all go in one write and end at one Sync, so PostgreSQL runs them in order
 * and answers once. If BEGIN fails, the statement is skipped and the transaction is failed; if the
 * statement fails, the COMMIT is skipped and the transaction stays failed (the caller rolls it
 * back), so nothing ever runs outside its transaction or commits past an error. One round trip
 * less for each. The query's result is the statement's.
 */
function pipelined(config: pg.QueryConfig, with_: { begin: boolean; commit: boolean }, callback: (err: Error | undefined, res: pg.QueryResult) => void): pg.Query {
  const query = new pg.Query({ ...config, queryMode: "extended" } as pg.QueryConfig, undefined, callback);
  const raw = query as unknown as RawQuery;
  const { submit, handleCommandComplete, handleError, handleReadyForQuery } = {
    submit: raw.submit.bind(raw),
    handleCommandComplete: raw.handleCommandComplete.bind(raw),
    handleError: raw.handleError.bind(raw),
    handleReadyForQuery: raw.handleReadyForQuery.bind(raw),
  };
  // the statement's CommandComplete is the first, or the second behind BEGIN's
  const own = with_.begin ? 1 : 0;
  let completes = 0;
  let forget: (() => void) | null = null;
  let stopCounting: (() => void) | null = null;
  raw.submit = (wire) => {
    if (with_.begin) {
      wire.parse({ text: "begin" });
      wire.bind({ values: [] });
      wire.execute({});
      const name = raw.name;
      // BEGIN's ParseComplete marks the statement parsed before its own Parse is answered: on an
      // error, the mark goes unless the statement's own ParseComplete (the second) came, i.e. it
      // failed when it ran and stays prepared on the server
      if (name && wire.parsedStatements[name] === undefined) {
        let parsed = 0;
        const count = () => void parsed++;
        wire.on("parseComplete", count);
        stopCounting = () => wire.off("parseComplete", count);
        forget = () => {
          if (parsed < 2) delete wire.parsedStatements[name];
        };
      }
    }
    if (!with_.commit) return submit(wire);
    // COMMIT right behind the statement's Execute (none when binding its values failed)
    const restore = () => delete (wire as { execute?: unknown }).execute;
    wire.execute = (m) => {
      restore();
      wire.execute(m);
      wire.parse({ text: "commit" });
      wire.bind({ values: [] });
      wire.execute({});
    };
    try {
      return submit(wire);
    } finally {
      restore();
    }
  };
  raw.handleCommandComplete = (msg, wire) => {
    if (completes++ === own) handleCommandComplete(msg, wire);
  };
  raw.handleError = (err, wire) => {
    forget?.();
    stopCounting?.();
    handleError(err, wire);
  };
  raw.handleReadyForQuery = (wire) => {
    stopCounting?.();
    handleReadyForQuery(wire);
  };
  return query;
}

/** The fake answer to a BEGIN that goes with the next statement. */
const BEGUN = { command: "BEGIN", rowCount: null, oid: 0, rows: [], fields: [] } satisfies pg.QueryResult;

function preparing(client: pg.PoolClient): PostgresPoolClient {
  // BEGIN waiting for the transaction's first statement
  let pendingBegin = false;
  // the transaction was committed with its last statement: only its COMMIT/ROLLBACK may follow
  let committed = false;
  const run = (text: string, values: readonly unknown[] | undefined): Promise<pg.QueryResult> => {
    const name = values && values.length > 0 ? nameOf(client, text) : null;
    const config: pg.QueryConfig = { text, values: values ? [...values] : [], ...(name ? { name } : {}) };
    const commit = text.startsWith(THEN_COMMIT);
    if (!pendingBegin && !commit) return client.query(config);
    const begin = pendingBegin;
    pendingBegin = false;
    if (begin && /^\s*(commit|rollback)\s*$/i.test(text)) return Promise.resolve({ ...BEGUN, command: text.trim().toUpperCase() });
    return new Promise((resolve, reject) => {
      client.query(
        pipelined(config, { begin, commit }, (err, res) => {
          if (err) return reject(err);
          committed = commit;
          resolve(res);
        }),
      );
    });
  };
  return {
    query: ((textOrCursor: unknown, values?: readonly unknown[]) => {
      if (typeof textOrCursor !== "string") return client.query(textOrCursor as pg.Submittable);
      if (committed) {
        if (/^\s*commit\s*$/i.test(textOrCursor)) {
          committed = false;
          return Promise.resolve({ ...BEGUN, command: "COMMIT" });
        }
        // (a ROLLBACK after the commit is sent: PostgreSQL only warns that no transaction is open)
        if (!/^\s*rollback\s*$/i.test(textOrCursor)) return Promise.reject(new Error("a statement after its transaction was committed"));
        committed = false;
      }
      if (textOrCursor === "begin" && !pendingBegin && (!values || values.length === 0)) {
        pendingBegin = true;
        return Promise.resolve(BEGUN);
      }
      return run(textOrCursor, values).catch((err: unknown) => {
        if (isStalePlan(err)) stale.add(client);
        throw err;
      });
    }) as unknown as PostgresPoolClient["query"],
    release: () => {
      pendingBegin = false;
      committed = false;
      client.release(stale.has(client) ? new Error("its prepared statements no longer fit the schema") : undefined);
    },
  };
}

/** The pool, handing out connections that prepare what they run and send BEGIN with the next statement. */
export function postgresPool(pool: pg.Pool): PostgresPool {
  return {
    connect: async () => preparing(await pool.connect()),
    end: () => pool.end(),
  };
}
