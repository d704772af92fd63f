import type { PGlite } from "@electric-sql/pglite";

/**
 * Named prepared statements for PGlite, which otherwise parses, analyses and plans every
 * parameterised query again (its `query()` always uses the unnamed statement). Kysely compiles
 * a query shape to the same SQL text each time, so a statement is prepared on first use and
 * then only bound and executed: one call into PGlite instead of five, and PostgreSQL's plan
 * cache does the rest (the large ticket-create statement went from ~8 ms to ~3 ms).
 *
 * The cache is bounded (least recently used statements are closed): SQL with variable-length
 * `in (…)` lists or multi-row inserts makes many distinct texts.
 */

interface Prepared {
  name: string;
  paramTypes: number[];
  fields: { name: string; dataTypeID: number }[];
}

export interface StatementResult {
  rows: Record<string, unknown>[];
  affectedRows: number;
}

interface BackendMessage {
  name: string;
  dataTypeIDs?: number[];
  fields?: ({ name: string; dataTypeID: number } | string | null)[];
  text?: string;
}

const encoder = new TextEncoder();
/** Names are unique per process, so two caches on one PGlite never collide. */
let statementCount = 0;
const SYNC = message("S", []);
const EXECUTE = message("E", [cstring(""), int32(0)]);
/** Commands whose tag ends in the number of rows they changed. */
const COUNTED = new Set(["INSERT", "UPDATE", "DELETE", "COPY", "MERGE"]);

function int16(n: number): Uint8Array {
  const b = new Uint8Array(2);
  new DataView(b.buffer).setInt16(0, n);
  return b;
}

function int32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, n);
  return b;
}

function cstring(s: string): Uint8Array {
  const bytes = encoder.encode(s);
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** One frontend message: type byte, length, body. */
function message(type: string, body: Uint8Array[]): Uint8Array {
  const content = concat(body);
  const out = new Uint8Array(5 + content.length);
  out[0] = type.charCodeAt(0);
  new DataView(out.buffer).setInt32(1, 4 + content.length);
  out.set(content, 5);
  return out;
}

function bind(statement: string, values: (string | null)[]): Uint8Array {
  const params = values.flatMap((v) => {
    if (v === null) return [int32(-1)];
    const bytes = encoder.encode(v);
    return [int32(bytes.length), bytes];
  });
  return message("B", [cstring(""), cstring(statement), int16(0), int16(values.length), ...params, int16(0)]);
}

export class PGliteStatements {
  private readonly cache = new Map<string, Prepared>();

  constructor(
    private readonly pg: PGlite,
    private readonly capacity = 256,
  ) {}

  /** Runs a parameterised statement; the caller holds the connection. */
  async run(sql: string, params: readonly unknown[]): Promise<StatementResult> {
    try {
      return await this.execute(sql, params);
    } catch (err) {
      // a table a cached statement reads was altered since (DDL at run time): prepare it again
      if ((err as { code?: string }).code !== "0A000" || !this.cache.has(sql)) throw err;
      await this.close(sql);
      return this.execute(sql, params);
    }
  }

  private async execute(sql: string, params: readonly unknown[]): Promise<StatementResult> {
    const statement = this.cache.get(sql) ?? (await this.prepare(sql));
    // most recently used last: Map keeps insertion order
    this.cache.delete(sql);
    this.cache.set(sql, statement);
    const values = params.map((value, i) => this.serialise(value, statement.paramTypes[i]));
    const result = await this.pg.execProtocol(concat([bind(statement.name, values), EXECUTE, SYNC]));
    return this.rows(result.messages as unknown as BackendMessage[], statement.fields);
  }

  private async prepare(sql: string): Promise<Prepared> {
    const name = `yx_${++statementCount}`;
    const parse = message("P", [cstring(name), cstring(sql), int16(0)]);
    const describe = message("D", [encoder.encode("S"), cstring(name)]);
    const { messages } = await this.pg.execProtocol(concat([parse, describe, SYNC]), { syncToFs: false });
    const described = messages as unknown as BackendMessage[];
    const params = described.find((m) => m.name === "parameterDescription");
    const row = described.find((m) => m.name === "rowDescription");
    const prepared: Prepared = {
      name,
      paramTypes: params?.dataTypeIDs ?? [],
      fields: ((row?.fields ?? []) as { name: string; dataTypeID: number }[]).map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
    };
    if (this.cache.size >= this.capacity) await this.evictOldest();
    this.cache.set(sql, prepared);
    return prepared;
  }

  private async evictOldest(): Promise<void> {
    const oldest = this.cache.keys().next().value;
    if (oldest !== undefined) await this.close(oldest);
  }

  private async close(sql: string): Promise<void> {
    const statement = this.cache.get(sql);
    if (!statement) return;
    this.cache.delete(sql);
    await this.pg.execProtocol(concat([message("C", [encoder.encode("S"), cstring(statement.name)]), SYNC]), { syncToFs: false });
  }

  private serialise(value: unknown, oid: number | undefined): string | null {
    if (value === null || value === undefined) return null;
    const serializer = oid === undefined ? undefined : this.pg.serializers[oid];
    return serializer ? serializer(value) : String(value);
  }

  private rows(messages: BackendMessage[], fields: Prepared["fields"]): StatementResult {
    const rows: Record<string, unknown>[] = [];
    let affectedRows = 0;
    for (const m of messages) {
      if (m.name === "dataRow") {
        const row: Record<string, unknown> = {};
        (m.fields as (string | null)[]).forEach((value, i) => {
          const field = fields[i]!;
          const parser = this.pg.parsers[field.dataTypeID];
          row[field.name] = value === null ? null : parser ? parser(value, field.dataTypeID) : value;
        });
        rows.push(row);
      } else if (m.name === "commandComplete" && m.text) {
        const parts = m.text.split(" ");
        if (COUNTED.has(parts[0]!)) affectedRows += Number.parseInt(parts[parts.length - 1]!, 10) || 0;
      }
    }
    return { rows, affectedRows };
  }
}
