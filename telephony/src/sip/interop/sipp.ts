/** Runs the real sipp (Debian `sip-tester`) for the interop tests: loopback only, a free port, a time limit. */
import { spawn, spawnSync } from "node:child_process";
import { createSocket } from "node:dgram";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const sippInstalled = spawnSync("sipp", ["-v"], { stdio: "ignore" }).error === undefined;

export const SIPP_MISSING = "sipp is not installed: run scripts/test-services.sh (apt package sip-tester)";

/** A port free for both UDP and TCP on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        const address = server.address();
        server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const socket = createSocket("udp4");
      socket.once("error", () => resolve(false));
      socket.bind(port, "127.0.0.1", () => socket.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
}

function taken(port: number, transport: "udp" | "tcp"): Promise<boolean> {
  return new Promise((resolve) => {
    const busy = (error: NodeJS.ErrnoException) => resolve(error.code === "EADDRINUSE");
    if (transport === "udp") {
      const socket = createSocket("udp4");
      socket.once("error", busy);
      socket.bind(port, "127.0.0.1", () => socket.close(() => resolve(false)));
    } else {
      const server = createServer();
      server.once("error", busy);
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(false)));
    }
  });
}

/** Resolves once something (sipp) has bound `port`: sipp prints nothing when it is ready. */
export async function untilBound(port: number, transport: "udp" | "tcp", timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await taken(port, transport))) {
    if (Date.now() > deadline) throw new Error(`nothing bound ${transport} port ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface SippRun {
  code: number | null;
  output: string;
  /** What sipp wrote to its error log (-trace_err), if anything. */
  errors: string;
}

/** Starts sipp with `args` in a fresh folder; resolves when it exits (killed after `timeoutMs`). */
export function runSipp(args: string[], timeoutMs = 30_000): { done: Promise<SippRun>; stop(): void } {
  const cwd = mkdtempSync(join(tmpdir(), "sipp-"));
  const child = spawn("sipp", [...args, "-nostdin", "-trace_err", "-timeout", `${Math.ceil(timeoutMs / 1000)}s`, "-timeout_error"], { cwd, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const collect = (chunk: Buffer) => (output = (output + chunk.toString("latin1")).slice(-20_000));
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const killer = setTimeout(() => child.kill("SIGKILL"), timeoutMs + 5_000);
  const done = new Promise<SippRun>((resolve) => {
    child.on("close", (code) => {
      clearTimeout(killer);
      const errors = readdirSync(cwd)
        .filter((f) => f.endsWith("_errors.log"))
        .map((f) => readFileSync(join(cwd, f), "latin1"))
        .join("\n");
      resolve({ code, output, errors });
    });
  });
  return { done, stop: () => child.kill("SIGINT") };
}

/** Messages sipp dropped on purpose (`-lost`): the Lost column of its final scenario screen. */
export function sippLost(output: string): number {
  const lines = output.slice(output.lastIndexOf("Scenario Screen")).split("\n");
  const header = lines.find((line) => line.includes("Messages") && line.includes("Lost")) ?? "";
  const column = header.indexOf("Lost");
  if (column < 0) return 0;
  // the numbers start under their column titles
  return lines.filter((line) => /-{5,}>|<-{5,}/.test(line)).reduce((sum, line) => sum + (Number.parseInt(line.slice(column, column + 8), 10) || 0), 0);
}
