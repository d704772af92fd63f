/**
 * sipp for `npm run bench:sip`: callers at a rate (several sipp processes when one would carry
 * more than PER_SIPP calls/s) and one long-running answerer. Counts come from sipp's statistics
 * CSV (`-trace_stat`), ring times from its response-time trace (`-trace_rtt`, one line per call).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, untilBound } from "../../../telephony/src/sip/interop/sipp.ts";
import { PER_SIPP } from "./config.ts";
import { answererScenario, callerScenario } from "./scenarios.ts";

/** Every process the bench started, so that an early exit leaves none behind (SIGTERM: Kamailio's main process ends its workers). */
const children = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
});

export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

/**
 * sipp's per-call SDP ports start here, one block of 10,000 for all (its pcap play sends from a
 * raw socket, binding none); each caller process binds its own media socket and the one 2 above
 * at the start of the block, so process i starts at 4·i above.
 */
const CALLER_MEDIA_PORT = 10000;
/** Seconds a caller waits for an expected message before failing the call. */
const RECEIVE_TIMEOUT_S = 10;

type Row = Record<string, string>;

/** The rows of a sipp statistics CSV (`;`-separated, a header line first). */
function readStats(file: string): Row[] {
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, "latin1").split("\n").filter((line) => line.trim() !== "");
  const header = lines[0]?.split(";") ?? [];
  return lines.slice(1).map((line) => {
    const cells = line.split(";");
    return Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ""]));
  });
}

const count = (row: Row | undefined, column: string) => Number(row?.[column] ?? 0) || 0;

/** Why sipp ended calls, from its error log, most frequent first: "expected 180, got SIP/2.0 408 Request Timeout (12)". */
function errorLines(dir: string): string[] {
  const reasons = new Map<string, number>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith("errors.log"))) {
    const text = readFileSync(join(dir, file), "latin1");
    for (const m of text.matchAll(/Aborting call on (.*?)(?: for [Cc]all(?:-I[Dd])?\b|:|\n)(?:[^\n]*?while expecting '([^']+)' \(index \d+\), received '([^\r\n']+))?/g)) {
      const reason = m[2] ? `expected ${m[2]}, got ${m[3]}` : m[1]!.trim();
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
  }
  return [...reasons].sort((a, b) => b[1] - a[1]).map(([reason, n]) => `${reason} (${n})`);
}

export interface CallersResult {
  instances: number;
  calls: number;
  ok: number;
  failed: number;
  /** Calls/s the callers reached, from the spread of their ring times. */
  achieved: number;
  /** INVITE → first 180 of every call that rang, in ms. */
  ringMs: number[];
  errors: string[];
}

interface InstanceResult {
  code: number | null;
  ok: number;
  failed: number;
  ring: { at: number; ms: number }[];
  errors: string[];
}

function runInstance(o: { dir: string; scenario: string; host: string; port: number; service: string; rate: number; calls: number; holdS: number; index: number }): Promise<InstanceResult> {
  return freePort().then(
    (localPort) =>
      new Promise((resolve, reject) => {
        mkdirSync(o.dir, { recursive: true });
        const limit = Math.ceil(o.rate * (o.holdS + RECEIVE_TIMEOUT_S) * 2) + 10;
        const timeoutS = Math.ceil(o.calls / o.rate + o.holdS + 4 * RECEIVE_TIMEOUT_S + 30);
        const args = [
          `${o.host}:${o.port}`,
          ...["-sf", o.scenario, "-s", o.service, "-i", "127.0.0.1", "-p", String(localPort), "-mp", String(CALLER_MEDIA_PORT + 4 * o.index)],
          // every caller a different mobile number: +86 139 <process> <call>
          ...["-key", "caller_prefix", `+86139${o.index}`],
          ...["-r", String(o.rate), "-m", String(o.calls), "-l", String(limit), "-recv_timeout", `${RECEIVE_TIMEOUT_S}s`],
          ...["-trace_stat", "-stf", "stats.csv", "-fd", "1", "-trace_rtt", "-rtt_freq", "1", "-trace_err", "-error_file", "errors.log"],
          ...["-buff_size", String(4 << 20), "-nostdin", "-timeout", `${timeoutS}s`, "-timeout_error"],
        ];
        const child = track(spawn("sipp", args, { cwd: o.dir, stdio: ["ignore", "ignore", "pipe"] }));
        let stderr = "";
        child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString("latin1")).slice(-2000)));
        child.once("error", reject);
        child.once("close", (code) => {
          const last = readStats(join(o.dir, "stats.csv")).at(-1);
          const rttFile = readdirSync(o.dir).find((f) => f.endsWith("_rtt.csv"));
          const ring = rttFile
            ? readFileSync(join(o.dir, rttFile), "latin1")
                .split("\n")
                .slice(1)
                .map((line) => line.split(";"))
                .filter((cells) => cells[2]?.trim() === "1")
                .map((cells) => ({ at: Number(cells[0]), ms: Number(cells[1]) }))
            : [];
          const errors = errorLines(o.dir);
          if (!last && stderr.trim()) errors.unshift(stderr.trim().split("\n").slice(-2).join(" | "));
          resolve({ code, ok: count(last, "SuccessfulCall(C)"), failed: count(last, "FailedCall(C)"), ring, errors });
        });
      }),
  );
}

/** `calls` calls at `rate` calls/s to host:port, each holding `holdS` seconds with audio. */
export async function runCallers(o: { dir: string; host: string; port: number; service: string; rate: number; calls: number; holdS: number }): Promise<CallersResult> {
  const instances = Math.max(1, Math.ceil(o.rate / PER_SIPP));
  const scenario = join(o.dir, `caller-${o.holdS}s.xml`);
  if (!existsSync(scenario)) {
    mkdirSync(o.dir, { recursive: true });
    writeFileSync(scenario, callerScenario(o.holdS * 1000));
  }
  const runs = await Promise.all(
    Array.from({ length: instances }, (_, i) => {
      const calls = Math.floor(o.calls / instances) + (i < o.calls % instances ? 1 : 0);
      return runInstance({ ...o, dir: join(o.dir, `r${o.rate}-c${o.calls}-${i}`), scenario, rate: o.rate / instances, calls, index: i });
    }),
  );
  // each process's rate: its calls over the time between its first and last ring
  const achieved = runs.reduce((sum, run) => {
    const first = run.ring[0]?.at ?? 0;
    const last = run.ring.at(-1)?.at ?? 0;
    return sum + (run.ring.length > 1 && last > first ? ((run.ring.length - 1) * 1000) / (last - first) : 0);
  }, 0);
  return {
    instances,
    calls: o.calls,
    ok: runs.reduce((n, r) => n + r.ok, 0),
    failed: runs.reduce((n, r) => n + r.failed, 0) + (o.calls - runs.reduce((n, r) => n + r.ok + r.failed, 0)),
    achieved,
    ringMs: runs.flatMap((r) => r.ring.map((x) => x.ms)),
    errors: runs.flatMap((r) => r.errors).slice(0, 5),
  };
}

export interface AnswererCounts {
  incoming: number;
  ok: number;
  failed: number;
  current: number;
}

/**
 * One sipp answering every INVITE sent to 127.0.0.1:port, echoing the RTP it gets. It runs for
 * the whole measurement of a system; counts are read from its statistics file, written each
 * second.
 */
export class SippAnswerer {
  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly child: ChildProcess,
  ) {}

  /** Starts it on `port` (where the phones it stands in for registered), else on a free port. */
  static async start(dir: string, port?: number): Promise<SippAnswerer> {
    mkdirSync(dir, { recursive: true });
    const scenario = join(dir, "answerer.xml");
    writeFileSync(scenario, answererScenario());
    port ??= await freePort();
    const echoPort = await freePort();
    const args = [
      ...["-sf", scenario, "-i", "127.0.0.1", "-p", String(port), "-mp", String(echoPort), "-rtp_echo"],
      ...["-trace_stat", "-stf", "stats.csv", "-fd", "1", "-trace_err", "-error_file", "errors.log", "-buff_size", String(4 << 20), "-nostdin"],
    ];
    const child = track(spawn("sipp", args, { cwd: dir, stdio: ["ignore", "ignore", "ignore"] }));
    await untilBound(port, "udp");
    return new SippAnswerer(port, dir, child);
  }

  counts(): AnswererCounts {
    const last = readStats(join(this.dir, "stats.csv")).at(-1);
    return { incoming: count(last, "IncomingCall(C)"), ok: count(last, "SuccessfulCall(C)"), failed: count(last, "FailedCall(C)"), current: count(last, "CurrentCall") };
  }

  /**
   * Waits until every call the answerer took has ended (its time-wait included) and `expected`
   * more calls than `before` were taken, or nothing is open and nothing changed for 4 s (the
   * missing calls never came), or `maxMs` passed (an unacknowledged 200 is sent for 32 s);
   * returns the counts then.
   */
  async settle(before: AnswererCounts, expected: number, maxMs = 40_000): Promise<AnswererCounts> {
    const deadline = Date.now() + maxMs;
    let counts = this.counts();
    let quietSince = Date.now();
    for (;;) {
      const done = counts.ok + counts.failed - before.ok - before.failed;
      // all there; or nothing open and nothing new for a while: the missing calls never came
      if (counts.current === 0 && (done >= expected || Date.now() - quietSince > 4000)) break;
      if (Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
      const next = this.counts();
      if (next.incoming !== counts.incoming || next.ok !== counts.ok || next.failed !== counts.failed || next.current !== counts.current) quietSince = Date.now();
      counts = next;
    }
    return counts;
  }

  errors(): string[] {
    return errorLines(this.dir);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.kill("SIGTERM");
    const killer = setTimeout(() => this.child.kill("SIGKILL"), 3000);
    await exited;
    clearTimeout(killer);
  }
}
