import { createRequire } from "node:module";
import pg from "pg";
import { describe, expect, it } from "vitest";

/**
 * `postgres-pool.ts` changes how node-postgres sends a query (BEGIN/COMMIT in the same write,
 * named statements it tracks itself) through parts of pg that are not its public API: Query's
 * submit/handle* methods and the Connection's protocol writers and its records of parsed statements. pg is pinned
 * to an exact version for that; this test fails loudly if an upgrade changes those parts.
 */
type Call = [string, unknown];

function recordingConnection(parsed: Record<string, string> = {}) {
  const calls: Call[] = [];
  const record = (kind: string) => (m?: unknown) => void calls.push([kind, m]);
  return {
    calls,
    parsedStatements: parsed,
    submittedNamedStatements: {},
    stream: {},
    parse: record("parse"),
    bind: record("bind"),
    execute: record("execute"),
    describe: record("describe"),
    sync: record("sync"),
    flush: record("flush"),
    on: () => undefined,
    off: () => undefined,
  };
}

interface RawQuery {
  submit(connection: unknown): Error | null;
}

const query = (name?: string) =>
  new pg.Query({ text: "select $1::int as n", values: [1], name, queryMode: "extended" } as pg.QueryConfig) as unknown as RawQuery;

describe("node-postgres internals the pool relies on", () => {
  it("is the pinned version, pinned exactly", () => {
    const require = createRequire(import.meta.url);
    const manifest = require("../../package.json") as { dependencies: Record<string, string> };
    const installed = (require("pg/package.json") as { version: string }).version;
    expect(manifest.dependencies.pg).toMatch(/^\d+\.\d+\.\d+$/);
    expect(installed).toBe(manifest.dependencies.pg);
  });

  it("has the Query methods the pool wraps, with their arity", () => {
    const proto = pg.Query.prototype as unknown as Record<string, unknown>;
    for (const [method, arity] of [["submit", 1], ["handleCommandComplete", 2], ["handleError", 2], ["handleReadyForQuery", 1]] as const) {
      expect(typeof proto[method], method).toBe("function");
      expect((proto[method] as (...a: unknown[]) => unknown).length, method).toBe(arity);
    }
  });

  it("has the Connection protocol writers and the per-connection record of parsed statements", () => {
    const connection = new pg.Connection() as unknown as Record<string, unknown>;
    for (const method of ["parse", "bind", "execute", "sync", "on", "off"]) expect(typeof connection[method], method).toBe("function");
    expect(connection.parsedStatements).toEqual({});
    expect(connection.submittedNamedStatements).toEqual({});
  });

  it("submits a named statement as Parse, Bind, Execute, Sync through the connection, and skips Parse once it is recorded as parsed", () => {
    const fresh = recordingConnection();
    expect(query("yx1").submit(fresh)).toBeNull();
    const kinds = fresh.calls.map(([kind]) => kind).filter((k) => k !== "describe" && k !== "flush");
    expect(kinds).toEqual(["parse", "bind", "execute", "sync"]);
    expect(fresh.calls[0]![1]).toMatchObject({ text: "select $1::int as n", name: "yx1" });

    const known = recordingConnection({ yx1: "select $1::int as n" });
    expect(query("yx1").submit(known)).toBeNull();
    expect(known.calls.map(([kind]) => kind)).not.toContain("parse");
  });
});
