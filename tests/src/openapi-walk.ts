import type { RunningServer } from "@yixian/server";
import type { Test } from "supertest";
import type { FixtureIds, TenantFixtures } from "./fixtures.ts";

/** Walking the OpenAPI document: every operation, with tenant fixtures filled into it. */
export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

interface OpenApiParameter {
  name: string;
  in: "path" | "query";
  required?: boolean;
  schema?: { type?: string; enum?: unknown[]; default?: unknown; format?: string };
}

interface OpenApiOperation {
  operationId: string;
  "x-permission": string;
  parameters?: OpenApiParameter[];
  requestBody?: { content: Record<string, { example?: unknown }> };
}

/** One route as the OpenAPI document describes it. */
export interface Operation {
  method: HttpMethod;
  /** With the /api prefix and {params}. */
  path: string;
  name: string;
  permission: string;
  pathParams: string[];
  query: OpenApiParameter[];
  multipart: boolean;
  jsonBody: boolean;
  example: unknown;
}

const METHODS: HttpMethod[] = ["get", "post", "put", "patch", "delete"];

/** Every operation of the server's /api/openapi.json. */
export async function listOperations(server: RunningServer): Promise<Operation[]> {
  const res = await fetch(`${server.url}/api/openapi.json`);
  const doc = (await res.json()) as { paths: Record<string, Partial<Record<HttpMethod, OpenApiOperation>>> };
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const params = op.parameters ?? [];
      const content = op.requestBody?.content ?? {};
      out.push({
        method,
        path,
        name: `${method.toUpperCase()} ${path}`,
        permission: op["x-permission"],
        pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
        query: params.filter((p) => p.in === "query"),
        multipart: "multipart/form-data" in content,
        jsonBody: "application/json" in content,
        example: content["application/json"]?.example,
      });
    }
  }
  return out;
}

/** Body keys that name a record of another kind than their name says. */
const KEY_ALIASES: Record<string, string> = { assigneeId: "userId", memberId: "userId", sourceTicketId: "linkedTicketId", sourceContactId: "secondContactId" };

function fixtureFor(key: string, ids: FixtureIds): string | undefined {
  return ids[key] ?? (KEY_ALIASES[key] ? ids[KEY_ALIASES[key]] : undefined);
}

/** The example with every id-named field (contactId, memberIds …) replaced by the fixture's id. */
export function withFixtureIds(value: unknown, ids: FixtureIds, key = ""): unknown {
  if (Array.isArray(value)) {
    const single = key.endsWith("Ids") ? fixtureFor(key.slice(0, -1), ids) : undefined;
    return single ? [single] : value.map((v) => withFixtureIds(v, ids));
  }
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withFixtureIds(v, ids, k)]));
  }
  if (typeof value === "string" && key) return fixtureFor(key, ids) ?? value;
  return value;
}

/** The path with the fixtures' ids, and the names of parameters no fixture covers. */
export function fillPath(op: Operation, ids: FixtureIds): { url: string; missing: string[] } {
  const missing = op.pathParams.filter((p) => ids[p] === undefined);
  const url = op.path.replace(/\{(\w+)\}/g, (_m, p: string) => encodeURIComponent(ids[p] ?? "00000000-0000-7000-8000-000000000000"));
  return { url, missing };
}

function placeholder(p: OpenApiParameter): string {
  const s = p.schema ?? {};
  if (s.default !== undefined) return String(s.default);
  if (s.enum?.length) return String(s.enum[0]);
  if (s.type === "integer" || s.type === "number") return "1";
  if (s.format === "uuid") return "00000000-0000-7000-8000-000000000000";
  return "x";
}

/** Query for a call: every required parameter, with the fixture's id where the name matches. */
export function queryFor(op: Operation, ids: FixtureIds): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of op.query) if (p.required) out[p.name] = fixtureFor(p.name, ids) ?? placeholder(p);
  return out;
}

/**
 * One query per parameter that can name one of the fixtures (an id filter, a phone number, the
 * text `q` …), each on top of the required ones: the lookups another tenant must find nothing by.
 */
export function lookupQueries(op: Operation, f: TenantFixtures): Record<string, string>[] {
  const base = queryFor(op, f.ids);
  const out: Record<string, string>[] = [];
  for (const p of op.query) {
    const value = fixtureFor(p.name, f.ids) ?? f.lookups[p.name];
    if (value !== undefined) out.push({ ...base, [p.name]: value });
  }
  return out;
}

/** Sends the operation with the example body (ids replaced) or `{}`; multipart routes get no body. */
export function send(test: Test, op: Operation, ids: FixtureIds): Test {
  if (op.multipart || !op.jsonBody) return test;
  return test.send((withFixtureIds(op.example ?? {}, ids) ?? {}) as object);
}
