import type { PostgresPool, PostgresPoolClient } from "kysely";
import type pg from "pg";

/**
 * Named (prepared) statements for a PostgreSQL server: each distinct query text is parsed and
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

function preparing(client: pg.PoolClient): PostgresPoolClient {
  return {
    query: ((textOrCursor: unknown, values?: readonly unknown[]) => {
      if (typeof textOrCursor !== "string") return client.query(textOrCursor as pg.Submittable);
      const name = values && values.length > 0 ? nameOf(client, textOrCursor) : null;
      const config: pg.QueryConfig = { text: textOrCursor, values: values ? [...values] : [], ...(name ? { name } : {}) };
      return client.query(config).catch((err: unknown) => {
        if (isStalePlan(err)) stale.add(client);
        throw err;
      });
    }) as unknown as PostgresPoolClient["query"],
    release: () => client.release(stale.has(client) ? new Error("its prepared statements no longer fit the schema") : undefined),
  };
}

/** The pool, handing out connections that prepare what they run. */
export function withPreparedStatements(pool: pg.Pool): PostgresPool {
  return {
    connect: async () => preparing(await pool.connect()),
    end: () => pool.end(),
  };
}
