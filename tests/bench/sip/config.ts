/** The size of a `npm run bench:sip` run, from the environment; the defaults keep it short. */

function numbers(name: string, fallback: string): number[] {
  const list = (process.env[name] ?? fallback)
    .split(",")
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isFinite(n) && n > 0);
  if (list.length === 0) throw new Error(`${name} must be a comma-separated list of positive numbers`);
  return list;
}

function number(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number ≥ 0`);
  return value;
}

/** Call rates tried in turn (calls/s) until one fails. */
export const CPS_STEPS = numbers("BENCH_CPS_STEPS", "25,50,100,200,300,400,600,800,1000,1200,1600");
/** Seconds of calls started at each rate. */
export const STEP_S = number("BENCH_STEP_S", 10);
/** Seconds each call of the rate steps lasts after its 200, with audio. */
export const CALL_S = number("BENCH_CALL_S", 1);
/** Numbers of calls held at once, tried in turn until one fails. */
export const CONCURRENT_STEPS = numbers("BENCH_CONCURRENT", "100,200,400");
/** Seconds each of the held calls lasts, with audio (the measure is 60 s). */
export const HOLD_S = number("BENCH_HOLD_S", 60);
/** Calls/s at which the held calls are set up (never above the rate the system sustained). */
export const HOLD_RATE = number("BENCH_HOLD_RATE", 50);
/** Calls/s one sipp caller is given before the load is spread over several. */
export const PER_SIPP = number("BENCH_PER_SIPP", 400);
/** A step whose callers reached less than this share of the rate asked did not sustain it. */
export const RATE_TOLERANCE = 0.9;
/** Held calls pass when rtpengine relayed at least this share of the packets the audio holds, with no one-way stream. */
export const MEDIA_TOLERANCE = 0.9;
/** The baseline records every call as Yixian does (BENCH_BASELINE_RECORD=0: no recording). */
export const BASELINE_RECORD = process.env.BENCH_BASELINE_RECORD !== "0";
/** Yixian's agents (each takes one call at a time); default: 500, or the most calls held at once if more. */
export const AGENTS = process.env.BENCH_AGENTS ? number("BENCH_AGENTS", 0) : null;
/** Yixian plays its welcome prompt before queueing a caller (off by default: rate-step calls last a second). */
export const WELCOME = process.env.BENCH_WELCOME === "1";
/** Kamailio's SIP worker processes. */
export const KAMAILIO_CHILDREN = number("BENCH_KAMAILIO_CHILDREN", 4);
/** Which systems run: "baseline", "yixian" or both (default). */
export const SYSTEMS = (process.env.BENCH_SYSTEMS ?? "baseline,yixian").split(",").map((s) => s.trim());
/** The whole run is abandoned (exit 1) after this long. */
export const DEADLINE_S = number("BENCH_DEADLINE_S", 3600);
/** The goals of the issue. */
export const GOAL = { ratio: 0.5, ringP99Ms: 200 };
