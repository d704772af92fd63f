import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Role } from "@yixian/contracts";
import { loadConfig, openDatabase, startServer, type RunningServer } from "@yixian/server";
import type { Clock } from "../../server/src/platform/clock.ts";
import pg from "pg";
import supertest from "supertest";
import { hashPassword } from "../../server/src/domain/auth/password.ts";
import { hashToken } from "../../server/src/domain/auth/sessions.ts";
import { newId, randomToken } from "../../server/src/platform/ids.ts";

export type TestDb = "pglite" | "postgres";
export const TEST_DB: TestDb = process.env.TEST_DB === "postgres" ? "postgres" : "pglite";
const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** A fresh, empty PostgreSQL database for one test file; dropped by the returned function. */
export async function freshPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `yx_test_${randomToken(6).toLowerCase().replace(/[^a-z0-9]/g, "x")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export type TestDatabase = Awaited<ReturnType<typeof openDatabase>>;

/** An empty database of the given kind, not migrated; its `close` also drops a PostgreSQL one. */
export async function emptyDatabase(kind: TestDb = TEST_DB): Promise<TestDatabase> {
  if (kind === "pglite") return openDatabase({ kind: "pglite", dataDir: null });
  const fresh = await freshPostgresDatabase();
  const database = await openDatabase({ kind: "postgres", url: fresh.url, poolSize: 2 });
  return {
    ...database,
    close: async () => {
      await database.close();
      await fresh.drop();
    },
  };
}

export interface TestServer extends RunningServer {
  dataDir: string;
  databaseUrl: string | null;
  /** Stops the server and deletes its database and data folder. */
  stop(): Promise<void>;
}

/** Starts the real server on port 0 against a fresh database of the kind TEST_DB names. */
export async function startTestServer(
  options: { db?: TestDb; env?: Record<string, string>; dataDir?: string; databaseUrl?: string; keepData?: boolean; clock?: Clock } = {},
): Promise<TestServer> {
  const db = options.db ?? TEST_DB;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "yx-test-"));
  const fresh = db === "postgres" && !options.databaseUrl ? await freshPostgresDatabase() : null;
  const databaseUrl = options.databaseUrl ?? fresh?.url ?? null;
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    SEED_DEMO: "false",
    // no call media unless a test asks for it (each server would start its own rtpengine)
    RTPENGINE_URL: "off",
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...options.env,
  });
  const server = await startServer(config, options.clock ? { clock: options.clock } : {});
  return {
    ...server,
    dataDir,
    databaseUrl,
    stop: async () => {
      await server.close();
      if (!options.keepData) {
        await fresh?.drop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

let cachedHash: Promise<string> | null = null;
export const TEST_PASSWORD = "correct horse battery";
function passwordHash(): Promise<string> {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  return cachedHash;
}

export interface TestUser {
  id: string;
  email: string;
  role: Role;
  token: string;
}

export interface TestTenant {
  id: string;
  slug: string;
  users: Record<Role, TestUser>;
  /** The admin. */
  admin: TestUser;
}

const ALL_ROLES: Role[] = ["admin", "supervisor", "agent", "senior_agent", "vip_agent", "field_engineer", "quality_inspector", "service_operations"];

/**
 * A tenant with one signed-in user of every role. Users and sessions are written directly
 * (one password hash per process) so that tests do not spend seconds in scrypt.
 */
export async function createTestTenant(server: RunningServer, name = "Test"): Promise<TestTenant> {
  const { db } = server.deps;
  const id = newId();
  const slug = `t-${randomToken(6).toLowerCase().replace(/[^a-z0-9]/g, "x")}`;
  await db.insertInto("tenants").values({ id, slug, name: `${name} ${slug}` }).execute();
  const hash = await passwordHash();
  const users = {} as Record<Role, TestUser>;
  for (const role of ALL_ROLES) {
    const userId = newId();
    const email = `${role}.${slug}@example.test`;
    await db.insertInto("users").values({ id: userId, tenant_id: id, email, display_name: `${role} ${slug}`, password_hash: hash, role }).execute();
    const token = randomToken();
    await db
      .insertInto("sessions")
      .values({ tenant_id: id, user_id: userId, token_hash: hashToken(token), expires_at: new Date(Date.now() + 3_600_000) })
      .execute();
    users[role] = { id: userId, email, role, token };
  }
  return { id, slug, users, admin: users.admin };
}

/** supertest bound to the server, with the user's bearer token. */
export function api(server: RunningServer, user?: TestUser) {
  const agent = supertest(server.url);
  const withAuth = <T extends supertest.Test>(t: T): T => (user ? t.set("Authorization", `Bearer ${user.token}`) : t);
  return {
    get: (path: string) => withAuth(agent.get(path)),
    post: (path: string) => withAuth(agent.post(path)),
    put: (path: string) => withAuth(agent.put(path)),
    patch: (path: string) => withAuth(agent.patch(path)),
    delete: (path: string) => withAuth(agent.delete(path)),
  };
}
