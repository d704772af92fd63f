import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll } from "vitest";
import { startTestServer, type TestServer } from "./harness.ts";
import type { Closable } from "./server-kit.ts";
import { eventually } from "./sockets.ts";

export interface NodeProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts the server as its own OS process (`node --import tsx server/src/main.ts`, as `npm start`
 * does) and resolves once /api/health answers.
 */
export async function startNodeProcess(env: Record<string, string>): Promise<NodeProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), "yx-node2-"));
  const child = spawn(process.execPath, ["--import", "tsx", "server/src/main.ts"], {
    cwd: fileURLToPath(new URL("../..", import.meta.url)),
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, SEED_DEMO: "false", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await eventually(() => /running at http:\/\/\S+:\d+/.test(out) || child.exitCode !== null, "the second node to listen", 30_000);
    const port = /running at http:\/\/\S+:(\d+)/.exec(out)?.[1];
    if (!port) throw new Error(`the second node did not start:\n${out}`);
    const url = `http://127.0.0.1:${port}`;
    const health = await fetch(`${url}/api/health`);
    if (health.status !== 200) throw new Error(`the second node is not healthy: ${health.status}`);
    return { url, child, output: () => out, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The Redis the cluster tests share (TEST_REDIS_URL). */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/**
 * Two server processes on one fresh PostgreSQL database for the whole file (PGlite is one
 * process's database by design): node 1 in this process, node 2 its own, both on Redis when
 * `redis` and with `env` added; handed to `set` once both answer. After the last test, what is
 * in `closeAfterAll` is closed, then node 2 stops, then node 1.
 */
export function twoNodesForFile(
  set: (node1: TestServer, node2: NodeProcess) => void,
  options: { redis?: boolean; closeAfterAll?: Closable[]; env?: Record<string, string> } = {},
): void {
  const redis: Record<string, string> = { ...(options.redis ? { REDIS_URL } : {}), ...options.env };
  let node1: TestServer | undefined;
  let node2: NodeProcess | undefined;
  beforeAll(async () => {
    node1 = await startTestServer({ db: "postgres", env: redis });
    node2 = await startNodeProcess({ DATABASE_URL: node1.databaseUrl!, ...redis });
    set(node1, node2);
  }, 60_000);
  afterAll(async () => {
    for (const s of options.closeAfterAll ?? []) s.close();
    await node2?.stop();
    await node1?.stop();
  });
}
