import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NgClient } from "./ng-client.ts";

/**
 * Starts and supervises the server's own rtpengine (Debian `rtpengine-daemon`, userspace:
 * `table = -1`) when the binary is installed and no external one is configured. It listens on
 * loopback only, records with `recording-method = pcap` (the recording daemon needs a kernel
 * module these machines lack), sends DTMF events as JSON to `dtmfPort`, and runs with
 * `delete-delay = 0` (it crashed on SIGTERM with calls pending deletion). A crash is logged and
 * followed by a restart with back-off; `onRestart` lets the call layer fail the calls it had.
 */
export interface RtpengineOptions {
  /** Folder for the config, pcaps and metadata. */
  workDir: string;
  /** Address media is sent from and received on (default 127.0.0.1). */
  mediaAddress?: string;
  /** UDP port of the NG control socket (on 127.0.0.1). */
  ngPort: number;
  /** UDP port that receives DTMF events as JSON. */
  dtmfPort: number;
  /** The address of `dtmfPort` (default 127.0.0.1). */
  dtmfAddress?: string;
  portMin?: number;
  portMax?: number;
  binary?: string;
  log?: (level: "info" | "warn" | "error", message: string) => void;
  onRestart?: () => void;
}

export const RTPENGINE_BINARY = "/usr/bin/rtpengine";

export function rtpengineInstalled(binary = RTPENGINE_BINARY): boolean {
  try {
    accessSync(binary, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const SETPRIV = "/usr/bin/setpriv";

/**
 * The command, run so that the kernel kills it when this process dies, however it dies (a
 * SIGKILLed or crashed server must not leave its rtpengine holding the ports and the NG socket):
 * util-linux `setpriv --pdeathsig` sets the parent-death signal and execs the command in place.
 * Without setpriv the command runs as given.
 */
export function diesWithParent(command: string[]): string[] {
  try {
    accessSync(SETPRIV, constants.X_OK);
  } catch {
    return command;
  }
  return [SETPRIV, "--pdeathsig", "SIGKILL", "--", ...command];
}

function configText(o: RtpengineOptions, recordings: string): string {
  return [
    "[rtpengine]",
    "table = -1",
    `interface = ${o.mediaAddress ?? "127.0.0.1"}`,
    `listen-ng = 127.0.0.1:${o.ngPort}`,
    "foreground = true",
    "log-stderr = true",
    "log-level = 5",
    `port-min = ${o.portMin ?? 30000}`,
    `port-max = ${o.portMax ?? 39999}`,
    "timeout = 60",
    `recording-dir = ${recordings}`,
    "recording-method = pcap",
    `dtmf-log-dest = ${o.dtmfAddress ?? "127.0.0.1"}:${o.dtmfPort}`,
    "delete-delay = 0",
    "",
  ].join("\n");
}

export class RtpengineProcess {
  readonly recordingDir: string;
  private child: ChildProcess | null = null;
  private stopping = false;
  private restarts = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  private readonly configFile: string;

  constructor(private readonly options: RtpengineOptions) {
    this.recordingDir = join(options.workDir, "recordings");
    this.configFile = join(options.workDir, "rtpengine.conf");
  }

  /** Starts rtpengine and resolves once it answers a ping. */
  async start(): Promise<void> {
    mkdirSync(this.recordingDir, { recursive: true });
    writeFileSync(this.configFile, configText(this.options, this.recordingDir));
    this.spawn();
    await this.waitUntilAnswering();
  }

  private spawn(): void {
    const [command, ...args] = diesWithParent([this.options.binary ?? RTPENGINE_BINARY, `--config-file=${this.configFile}`]);
    const child = spawn(command!, args, { stdio: ["ignore", "ignore", "pipe"] });
    this.child = child;
    let tail = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      tail = (tail + chunk.toString("utf8")).slice(-2000);
    });
    child.on("exit", (code, signal) => {
      if (this.child === child) this.child = null;
      if (this.stopping) return;
      const delay = Math.min(30_000, 500 * 2 ** this.restarts++);
      const last = tail.trim().split("\n").slice(-3).join(" | ");
      this.log("error", `rtpengine exited (${signal ?? `code ${code}`}); restarting in ${delay} ms. Last lines: ${last}`);
      this.restartTimer = setTimeout(() => {
        this.restartTimer = null;
        if (this.stopping) return;
        this.spawn();
        this.waitUntilAnswering().then(
          () => {
            this.restarts = 0;
            this.log("info", "rtpengine is back");
            this.options.onRestart?.();
          },
          (err: Error) => this.log("error", err.message),
        );
      }, delay);
    });
  }

  private async waitUntilAnswering(): Promise<void> {
    const client = new NgClient({ host: "127.0.0.1", port: this.options.ngPort, retryAfterMs: 200, tries: 50 });
    try {
      const pong = await client.request("ping");
      if (pong.result !== "pong") throw new Error(`rtpengine answered ping with ${pong.result}`);
    } finally {
      await client.close();
    }
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null;
  }

  /** The process id, for tests that kill it to see the restart. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(killer);
  }

  private log(level: "info" | "warn" | "error", message: string): void {
    this.options.log?.(level, message);
  }
}
