import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadMigrations, migrate } from "@yixian/server";
import { afterEach, describe, expect, it } from "vitest";
import { api, createTestTenant, emptyDatabase as emptyTestDatabase, freshPostgresDatabase, startTestServer, type TestServer } from "./harness.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "yx-persist-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function started(options: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const server = await startTestServer({ ...options, keepData: true });
  cleanups.push(() => server.stop());
  return server;
}

/** Runs the real entry point as its own process until it exits; resolves with its exit code and output. */
function runMain(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/src/main.ts"], {
    cwd: ROOT,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", SEED_DEMO: "false", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  return new Promise((resolve) =>
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
}

/** Starts the real entry point; resolves once it listens (`running`) or has exited, whichever comes first. */
function startMain(env: Record<string, string>): Promise<{ child: ChildProcess; running: boolean; output: () => string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/src/main.ts"], {
    cwd: ROOT,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", SEED_DEMO: "false", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  });
  let output = "";
  return new Promise((resolve) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      if (/running at http/.test(output)) resolve({ child, running: true, output: () => output });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    void exited.then(() => resolve({ child, running: false, output: () => output }));
  });
}

/** Creates a user through the API and returns what signing in as them must show after a restart. */
async function createUser(server: TestServer): Promise<{ email: string; password: string }> {
  const tenant = await createTestTenant(server);
  const email = `kept.${tenant.slug}@example.test`;
  const password = "kept-across-restarts";
  const res = await api(server, tenant.admin).post("/api/users").send({ email, name: "张伟", role: "agent", password });
  expect(res.status).toBe(201);
  return { email, password };
}

async function signIn(server: TestServer, who: { email: string; password: string }) {
  return api(server).post("/api/auth/login").send(who);
}

describe("PGlite data folder", () => {
  it("keeps data across a restart on the same DATA_DIR", async () => {
    const dataDir = tempDir();
    const first = await startTestServer({ db: "pglite", dataDir, keepData: true });
    const who = await createUser(first);
    await first.stop();
    expect(existsSync(join(dataDir, "yixian.lock"))).toBe(false);

    const second = await started({ db: "pglite", dataDir });
    const login = await signIn(second, who);
    expect(login.status).toBe(200);
    expect(login.body.data.user).toMatchObject({ email: who.email, name: "张伟", role: "agent" });
    const health = await api(second).get("/api/health");
    expect(health.body).toEqual({ status: "ok", database: "pglite" });
  }, 60_000);

  it("refuses a second server process on a DATA_DIR in use, with a message naming the holder", async () => {
    const dataDir = tempDir();
    const server = await started({ db: "pglite", dataDir });
    expect(readFileSync(join(dataDir, "yixian.lock"), "utf8").trim()).toBe(String(process.pid));

    const second = await runMain({ DATA_DIR: dataDir });
    expect(second.code).toBe(1);
    expect(second.output).toContain(`The data folder ${dataDir} is in use by process ${process.pid}`);
    // The first server is unharmed and still holds the folder.
    expect((await api(server).get("/api/health")).status).toBe(200);
    expect(readFileSync(join(dataDir, "yixian.lock"), "utf8").trim()).toBe(String(process.pid));
  }, 60_000);

  it("takes over a lock left by a process that died", async () => {
    const dataDir = tempDir();
    const dead = spawnSync(process.execPath, ["-e", ""]);
    expect(dead.status).toBe(0);
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, "yixian.lock"), String(dead.pid));

    const server = await startTestServer({ db: "pglite", dataDir, keepData: true });
    expect(readFileSync(join(dataDir, "yixian.lock"), "utf8").trim()).toBe(String(process.pid));
    expect((await api(server).get("/api/health")).status).toBe(200);
    await server.stop();
    expect(existsSync(join(dataDir, "yixian.lock"))).toBe(false);
  });

  it("of two servers started at the same moment on a folder with a stale lock, exactly one runs", async () => {
    const dataDir = tempDir();
    const dead = spawnSync(process.execPath, ["-e", ""]);
    writeFileSync(join(dataDir, "yixian.lock"), String(dead.pid));

    const both = await Promise.all([startMain({ DATA_DIR: dataDir }), startMain({ DATA_DIR: dataDir })]);
    const running = both.filter((s) => s.running);
    const refused = both.filter((s) => !s.running);
    expect(running).toHaveLength(1);
    expect(refused).toHaveLength(1);
    const winner = running[0]!.child.pid;
    expect(refused[0]!.child.exitCode).toBe(1);
    expect(refused[0]!.output()).toContain(`The data folder ${dataDir} is in use by process ${winner}. Stop it first, or set DATA_DIR to another folder.`);
    expect(readFileSync(join(dataDir, "yixian.lock"), "utf8").trim()).toBe(String(winner));
  }, 60_000);
});

describe("PostgreSQL database", () => {
  it("keeps data across a restart, and the second start applies no migration", async () => {
    const database = await freshPostgresDatabase();
    cleanups.push(() => database.drop());
    const first = await startTestServer({ db: "postgres", databaseUrl: database.url, keepData: true });
    const who = await createUser(first);
    await first.stop();

    const second = await started({ db: "postgres", databaseUrl: database.url });
    expect((await signIn(second, who)).status).toBe(200);
    expect(await migrate(second.deps.db)).toEqual([]);
  });
});

describe.each(["pglite", "postgres"] as const)("migrations on an empty %s database", (kind) => {
  async function emptyDatabase() {
    const database = await emptyTestDatabase(kind);
    cleanups.push(() => database.close());
    return database;
  }

  it("applies every migration once, records it in schema_migrations, and a second run applies nothing", async () => {
    const { db } = await emptyDatabase();
    const versions = loadMigrations().map((m) => m.version);
    expect(versions[0]).toBe("0001_foundation");

    expect(await migrate(db)).toEqual(versions);
    const recorded = await db
      .withTables<{ schema_migrations: { version: string; applied_at: Date } }>()
      .selectFrom("schema_migrations")
      .select(["version", "applied_at"])
      .orderBy("version")
      .execute();
    expect(recorded.map((r) => r.version)).toEqual(versions);
    expect(recorded.every((r) => r.applied_at instanceof Date)).toBe(true);
    expect(await migrate(db)).toEqual([]);
  });

  it("keeps Chinese words as tokens of the simple text-search configuration", async () => {
    const { db } = await emptyDatabase();
    await migrate(db);
    const row = await db
      .selectNoFrom((eb) => eb.cast<string>(eb.fn("to_tsvector", [eb.val("simple"), eb.val("发票 打印")]), "text").as("vector"))
      .executeTakeFirstOrThrow();
    expect(row.vector).toContain("'发票'");
    expect(row.vector).toContain("'打印'");
  });

  it("finds a ticket by a Chinese word through the generated search vector", async () => {
    const { db } = await emptyDatabase();
    await migrate(db);
    const tenant = await db.insertInto("tenants").values({ slug: `s-${kind}`, name: "搜索" }).returning("id").executeTakeFirstOrThrow();
    await db
      .insertInto("tickets")
      .values({ tenant_id: tenant.id, number: "YX-1", subject: "发票打印失败", search_tokens: "发票 打印 失败 发票打印", custom_fields: "{}" })
      .execute();
    const hits = await db
      .selectFrom("tickets")
      .select("subject")
      .where((eb) => eb("search_vector", "@@", eb.fn<string>("to_tsquery", [eb.val("simple"), eb.val("发票 & 打印")])))
      .execute();
    expect(hits.map((h) => h.subject)).toEqual(["发票打印失败"]);
  });
});
