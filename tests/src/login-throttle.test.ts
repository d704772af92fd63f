import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import supertest from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNT_LIMIT, PAIR_LIMIT, SOURCE_LIMIT } from "../../server/src/domain/auth/login-throttle.ts";
import { TEST_DB, TEST_PASSWORD, createTestTenant, freshPostgresDatabase, startTestServer, type TestServer } from "./harness.ts";

// Sign-in throttling by account and by source, in the database: a stranger cannot lock a user
// out of their usual desk, spraying many e-mails from one address is stopped, and a restart
// forgets nothing. Sources are told apart by X-Forwarded-For (trusted from loopback).

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

function signIn(on: TestServer, email: string, password: string, source: string) {
  return supertest(on.url).post("/api/auth/login").set("X-Forwarded-For", source).send({ email, password });
}

async function fail(on: TestServer, email: string, source: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    const res = await signIn(on, email, "wrong password", source);
    expect(res.status, JSON.stringify(res.body)).toBe(401);
  }
}

describe("sign-in throttling", () => {
  it("locks one source out of one account after repeated failures, not the user at their own desk", async () => {
    const t = await createTestTenant(server);
    const email = t.users.agent.email;
    await fail(server, email, "203.0.113.7", PAIR_LIMIT);
    const locked = await signIn(server, email, TEST_PASSWORD, "203.0.113.7");
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe("RATE_LIMITED");
    // the user, from their own address, is not affected
    expect((await signIn(server, email, TEST_PASSWORD, "198.51.100.20")).status).toBe(200);
  });

  it("a source that signed in before keeps signing in while strangers hammer the account; unknown sources are refused", async () => {
    const t = await createTestTenant(server);
    const email = t.users.supervisor.email;
    expect((await signIn(server, email, TEST_PASSWORD, "198.51.100.30")).status).toBe(200);
    // a distributed guess: a few failures each from many addresses
    for (let i = 0; i < ACCOUNT_LIMIT; i++) await fail(server, email, `192.0.2.${i + 1}`, 1);
    const stranger = await signIn(server, email, TEST_PASSWORD, "192.0.2.200");
    expect(stranger.status).toBe(429);
    expect((await signIn(server, email, TEST_PASSWORD, "198.51.100.30")).status).toBe(200);
  }, 90_000);

  it("stops one source trying many e-mails", async () => {
    const source = "203.0.113.99";
    for (let i = 0; i < SOURCE_LIMIT; i++) await fail(server, `spray${i}@example.test`, source, 1);
    const t = await createTestTenant(server);
    const res = await signIn(server, t.users.admin.email, TEST_PASSWORD, source);
    expect(res.status).toBe(429);
    expect((await signIn(server, t.users.admin.email, TEST_PASSWORD, "198.51.100.40")).status).toBe(200);
  }, 90_000);

  it("remembers a lock across a restart (the counts are in the database)", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "yx-throttle-"));
    const db = TEST_DB === "postgres" ? await freshPostgresDatabase() : null;
    const options = { dataDir, keepData: true, ...(db ? { databaseUrl: db.url } : {}) };
    try {
      const first = await startTestServer(options);
      const t = await createTestTenant(first);
      await fail(first, t.users.agent.email, "203.0.113.50", PAIR_LIMIT);
      await first.stop();
      const second = await startTestServer(options);
      try {
        expect((await signIn(second, t.users.agent.email, TEST_PASSWORD, "203.0.113.50")).status).toBe(429);
      } finally {
        await second.stop();
      }
    } finally {
      await db?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
