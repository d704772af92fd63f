/** What both processes of `npm run bench:chat` read: the size of the run, from the environment. */

/** The target, and the default size. */
export const TARGET = { widgets: 2000, agents: 200 };
export const WIDGETS = Number(process.env.BENCH_WIDGETS ?? TARGET.widgets);
export const AGENTS = Number(process.env.BENCH_AGENTS ?? TARGET.agents);
/** Messages of the closed-loop throughput run. */
export const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1000);
/** Mean seconds between one visitor's messages in the open-loop run. */
export const THINK_S = Number(process.env.BENCH_THINK_S ?? 20);
export const LOAD_SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
export const WARMUP = Number(process.env.BENCH_WARMUP ?? 100);
/** The whole run is abandoned (exit 1) after this long. */
export const DEADLINE_S = Number(process.env.BENCH_DEADLINE_S ?? 900);
export const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
export const DB = process.env.BENCH_DB === "pglite" ? "pglite" : "postgres";
/** The tenant has an SLA policy, as a real desk does (every customer message moves its ticket's clocks); BENCH_SLA=0: none. */
export const SLA = process.env.BENCH_SLA !== "0";
/** The widget session limiter allows 20 sessions per client address and widget. */
export const SESSIONS_PER_WIDGET = 20;

export interface Run {
  perSecond: number;
  p50: number;
  p99: number;
  /** t0 → the sender's ack (the message is stored). */
  ackP50: number;
}

export interface Measured {
  load: Run;
  throughput: Run;
}

/** Server process → clients process. */
export type ToClients =
  | { type: "yixian"; url: string; adminToken: string; agentTokens: string[] }
  | { type: "relay"; url: string }
  | { type: "go" };

/** Clients process → server process. */
export type ToServer =
  | { type: "ready"; widgets: number }
  | { type: "load"; running: boolean }
  | { type: "done"; measured: Measured }
  | { type: "failed"; error: string };
