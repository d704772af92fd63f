import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTenantFixtures, secretsOf, snapshotTenant, type TenantFixtures } from "./fixtures.ts";
import { fillPath, listOperations, lookupQueries, queryFor, send, withFixtureIds, type Operation } from "./openapi-walk.ts";
import { api, createTestTenant, startTestServer, type TestServer, type TestTenant, type TestUser } from "./harness.ts";

// Every route of the OpenAPI document is called as tenant B with tenant A's ids. A route added
// tomorrow is covered without touching this file, or fails here until it gets a fixture.

let server: TestServer;
let operations: Operation[];

beforeAll(async () => {
  server = await startTestServer();
  operations = await listOperations(server);
});
afterAll(async () => {
  await server?.stop();
});

interface World {
  a: TestTenant;
  fixtures: TenantFixtures;
  b: TestTenant;
}

async function world(): Promise<World> {
  const a = await createTestTenant(server, "A");
  const fixtures = await buildTenantFixtures(server, a);
  const b = await createTestTenant(server, "B");
  return { a, fixtures, b };
}

function call(op: Operation, url: string, user: TestUser | undefined, query: Record<string, string>) {
  return api(server, user)[op.method](url).query(query);
}

function describeAnswer(status: number, body: unknown): string {
  return `${status} ${JSON.stringify(body).slice(0, 300)}`;
}

describe("tenant isolation across every route", () => {
  it("has routes to check", () => {
    expect(operations.length).toBeGreaterThan(5);
  });

  it("answers 404 for another tenant's record on every route with path parameters, and changes nothing", async () => {
    const { a, fixtures, b } = await world();
    const before = await snapshotTenant(server, a.id);
    const failures: string[] = [];
    for (const op of operations.filter((o) => o.pathParams.length > 0)) {
      const { url, missing } = fillPath(op, fixtures.ids);
      if (missing.length > 0) {
        failures.push(`${op.name}: no fixture for {${missing.join("}, {")}}; add one to buildTenantFixtures in tests/src/fixtures.ts`);
        continue;
      }
      const query = queryFor(op, fixtures.ids);
      const res = await send(call(op, url, b.admin, query), op, fixtures.ids);
      const sent = url + JSON.stringify(query) + JSON.stringify(withFixtureIds(op.example ?? {}, fixtures.ids));
      const allowed = op.multipart ? [400, 403, 404] : [403, 404];
      if (!allowed.includes(res.status)) {
        const hint =
          res.status === 400 && !op.example
            ? " (validation ran first: give the route an `example` body so this test reaches the tenant check)"
            : "";
        failures.push(`${op.name} as another tenant's admin: expected ${allowed.join("/")}, got ${describeAnswer(res.status, res.body)}${hint}`);
      } else if (res.status === 404 && res.body?.error?.code !== "NOT_FOUND") {
        failures.push(`${op.name}: 404 without the NOT_FOUND code: ${describeAnswer(res.status, res.body)}`);
      }
      const text = JSON.stringify(res.body ?? "");
      const leaked = secretsOf(a, fixtures).filter((s) => text.includes(s) && !sent.includes(s));
      if (leaked.length > 0) failures.push(`${op.name}: the error answer names tenant A's ${leaked.join(", ")}`);
    }
    expect(failures).toEqual([]);
    expect(await snapshotTenant(server, a.id)).toEqual(before);
  });

  it("refuses a body that names another tenant's records", async () => {
    const { a, fixtures, b } = await world();
    const before = await snapshotTenant(server, a.id);
    const failures: string[] = [];
    const naming = operations.filter(
      (o) => o.method !== "get" && o.pathParams.length === 0 && o.permission !== "public" && JSON.stringify(withFixtureIds(o.example, fixtures.ids)) !== JSON.stringify(o.example),
    );
    for (const op of naming) {
      const res = await send(call(op, op.path, b.admin, queryFor(op, fixtures.ids)), op, fixtures.ids);
      if (res.status !== 404 || res.body?.error?.code !== "NOT_FOUND") failures.push(`${op.name} with tenant A's ids in the body: expected 404 NOT_FOUND, got ${describeAnswer(res.status, res.body)}`);
    }
    expect(naming.length).toBeGreaterThan(0);
    expect(failures).toEqual([]);
    expect(await snapshotTenant(server, a.id)).toEqual(before);
  });

  it("never shows tenant A's records in tenant B's lists, searches and lookups, even by A's ids, phones and words", async () => {
    const { a, fixtures, b } = await world();
    const secrets = secretsOf(a, fixtures);
    const failures: string[] = [];
    const foundByA: string[] = [];
    const lists = operations.filter((o) => o.method === "get" && o.pathParams.length === 0);
    expect(lists.length).toBeGreaterThan(0);
    for (const op of lists) {
      const plain = await call(op, op.path, b.admin, queryFor(op, fixtures.ids));
      // a public route that needs a credential of its own (a widget visitor's token) may refuse a staff session
      const refusedPublic = op.permission === "public" && plain.status === 401;
      if (plain.status >= 500 || (plain.status !== 200 && plain.status !== 400 && !refusedPublic)) failures.push(`${op.name} as tenant B's admin: ${describeAnswer(plain.status, plain.body)}`);
      const plainLeak = secrets.filter((s) => JSON.stringify(plain.body).includes(s));
      if (plainLeak.length > 0) failures.push(`${op.name} shows tenant B tenant A's ${plainLeak.join(", ")}`);

      for (const query of lookupQueries(op, fixtures)) {
        const label = `${op.name}?${new URLSearchParams(query)}`;
        const sent = Object.values(query);
        const res = await call(op, op.path, b.admin, query);
        if (res.status >= 500) failures.push(`${label}: ${describeAnswer(res.status, res.body)}`);
        const leak = secrets.filter((s) => !sent.includes(s) && JSON.stringify(res.body).includes(s));
        if (leak.length > 0) failures.push(`${label} shows tenant B tenant A's ${leak.join(", ")}`);
        // The same lookup by tenant A itself shows that it can find something at all.
        const own = await call(op, op.path, a.admin, query);
        if (own.status === 200 && secrets.some((s) => !sent.includes(s) && JSON.stringify(own.body).includes(s))) foundByA.push(`${op.path}?${Object.keys(query).join("&")}`);
      }
    }
    expect(failures).toEqual([]);
    expect(foundByA).toEqual(expect.arrayContaining(["/api/tickets?contactId", "/api/identify?phone", "/api/identify?verificationCode", "/api/search?q"]));
  });

  it("answers 401 UNAUTHENTICATED on every route that is not public, without a token or with a revoked one", async () => {
    const { a, fixtures } = await world();
    const before = await snapshotTenant(server, a.id);
    const signedOut = a.users.agent;
    const out = await api(server, signedOut).post("/api/auth/logout");
    expect(out.status).toBe(204);
    const failures: string[] = [];
    for (const op of operations.filter((o) => o.permission !== "public")) {
      const { url } = fillPath(op, fixtures.ids);
      for (const [who, user] of [["no token", undefined], ["a signed-out token", signedOut]] as const) {
        const res = await send(call(op, url, user, queryFor(op, fixtures.ids)), op, fixtures.ids);
        if (res.status !== 401 || res.body?.error?.code !== "UNAUTHENTICATED") failures.push(`${op.name} with ${who}: ${describeAnswer(res.status, res.body)}`);
      }
    }
    expect(failures).toEqual([]);
    const after = await snapshotTenant(server, a.id);
    // Signing out is the one change this test makes on purpose.
    expect({ ...after, sessions: [] }).toEqual({ ...before, sessions: [] });
  });
});
