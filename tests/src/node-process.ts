import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
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
