/**
 * The two measurements of `npm run bench:sip`, the same for Kamailio and for Yixian:
 * - rising call rates, STEP_S seconds each, calls of CALL_S seconds with audio; a rate is
 *   sustained when every call succeeded at both ends and the callers reached ≥ 90 % of it;
 * - rising numbers of calls held at once for HOLD_S seconds with audio both ways; a number is
 *   held when every call succeeded, rtpengine had them all at once, relayed ≥ 90 % of the
 *   packets the audio holds, and saw no one-way or silent stream.
 */
import { join } from "node:path";
import type { NgClient } from "../../../telephony/src/media/ng-client.ts";
import { CALL_S, CONCURRENT_STEPS, CPS_STEPS, HOLD_RATE, HOLD_S, MEDIA_TOLERANCE, RATE_TOLERANCE, STEP_S } from "./config.ts";
import { audioPacketsWithin } from "./scenarios.ts";
import { runCallers, type AnswererCounts, type SippAnswerer } from "./sipp.ts";

/** A system under load: where the callers send, what they dial, and its answering phones. */
export interface System {
  name: string;
  host: string;
  port: number;
  /** The number dialled (the R-URI user). */
  service: string;
  answerer: SippAnswerer;
  /** Waits until the system can take the next step (e.g. its agents are free again). */
  ready?(): Promise<void>;
  /** What the system itself found wrong with the `calls` calls of the last step. */
  check?(calls: number): Promise<string[]>;
}

export interface StepResult {
  rate: number;
  instances: number;
  calls: number;
  ok: number;
  failed: number;
  achieved: number;
  ringP50: number;
  ringP99: number;
  problems: string[];
}

export interface HoldResult {
  calls: number;
  rate: number;
  ok: number;
  failed: number;
  peak: number;
  /** Packets rtpengine relayed over those the callers' audio and its echo hold. */
  mediaShare: number;
  problems: string[];
}

interface MediaTotals {
  relayed: number;
  oneWay: number;
  silent: number;
  sessions: number;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function mediaTotals(ng: NgClient): Promise<MediaTotals> {
  const { statistics } = (await ng.request("statistics")) as unknown as { statistics: { currentstatistics: Record<string, unknown>; totalstatistics: Record<string, unknown> } };
  const n = (v: unknown) => Number(v ?? 0) || 0;
  return {
    relayed: n(statistics.totalstatistics.relayedpackets),
    oneWay: n(statistics.totalstatistics.onewaystreams),
    silent: n(statistics.totalstatistics.zerowaystreams),
    sessions: n(statistics.currentstatistics.sessionsown),
  };
}

/** Ends every call rtpengine still has (a failed step leaves some behind); how many there were. */
export async function endLeftoverMedia(ng: NgClient): Promise<number> {
  const { calls } = (await ng.request("list")) as { calls?: unknown };
  const ids = Array.isArray(calls) ? calls.filter((c): c is string => typeof c === "string") : [];
  for (const callId of ids) await ng.request("delete", { "call-id": callId }).catch(() => undefined);
  return ids.length;
}

function answererProblems(before: AnswererCounts, after: AnswererCounts, calls: number): string[] {
  const ok = after.ok - before.ok;
  const failed = after.failed - before.failed;
  const problems: string[] = [];
  if (failed > 0) problems.push(`${failed} calls failed at the answering phones`);
  if (ok < calls) problems.push(`${calls - ok} calls never completed at the answering phones`);
  return problems;
}

async function step(system: System, dir: string, rate: number): Promise<StepResult> {
  await system.ready?.();
  const calls = Math.max(1, Math.round(rate * STEP_S));
  const before = system.answerer.counts();
  const run = await runCallers({ dir, host: system.host, port: system.port, service: system.service, rate, calls, holdS: CALL_S });
  const after = await system.answerer.settle(before, calls);
  const problems = [...answererProblems(before, after, calls), ...((await system.check?.(calls)) ?? [])];
  if (run.failed > 0) problems.unshift(`${run.failed} calls failed at the callers${run.errors[0] ? ` (${run.errors[0]})` : ""}`);
  if (run.achieved < RATE_TOLERANCE * rate) problems.push(`the callers reached ${run.achieved.toFixed(1)} calls/s`);
  return { rate, instances: run.instances, calls, ok: run.ok, failed: run.failed, achieved: run.achieved, ringP50: percentile(run.ringMs, 50), ringP99: percentile(run.ringMs, 99), problems };
}

function stepLine(name: string, s: StepResult): string {
  const verdict = s.problems.length === 0 ? "sustained" : `FAILED: ${s.problems.join("; ")}`;
  return `  ${name.padEnd(9)}${String(s.rate).padStart(6)} calls/s (${s.instances} sipp) reached ${s.achieved.toFixed(1).padStart(7)}  ${s.ok}/${s.calls} ok  ring p50 ${s.ringP50} ms p99 ${s.ringP99} ms  ${verdict}`;
}

/** Rising rates until one is not sustained; the last sustained step, or null. */
export async function rateLadder(system: System, workDir: string): Promise<{ steps: StepResult[]; best: StepResult | null }> {
  say(`${system.name}: call rates, ${STEP_S} s of calls at each, each call ${CALL_S} s with audio`);
  const steps: StepResult[] = [];
  let best: StepResult | null = null;
  for (const rate of CPS_STEPS) {
    const result = await step(system, join(workDir, "rates"), rate);
    steps.push(result);
    say(stepLine(system.name, result));
    if (result.problems.length > 0) break;
    best = result;
  }
  return { steps, best };
}

async function hold(system: System, ng: NgClient, dir: string, calls: number, rate: number): Promise<HoldResult> {
  await system.ready?.();
  const before = system.answerer.counts();
  const mediaBefore = await mediaTotals(ng);
  let peak = 0;
  const sampler = setInterval(() => {
    mediaTotals(ng).then(
      (m) => (peak = Math.max(peak, m.sessions)),
      () => undefined,
    );
  }, 1000);
  let run;
  try {
    run = await runCallers({ dir, host: system.host, port: system.port, service: system.service, rate, calls, holdS: HOLD_S });
  } finally {
    clearInterval(sampler);
  }
  const after = await system.answerer.settle(before, calls);
  const mediaAfter = await mediaTotals(ng);
  const expected = calls * 2 * audioPacketsWithin(HOLD_S * 1000);
  const mediaShare = (mediaAfter.relayed - mediaBefore.relayed) / expected;
  const problems = [...answererProblems(before, after, calls), ...((await system.check?.(calls)) ?? [])];
  if (run.failed > 0) problems.unshift(`${run.failed} calls failed at the callers${run.errors[0] ? ` (${run.errors[0]})` : ""}`);
  if (peak < calls) problems.push(`rtpengine had at most ${peak} calls at once`);
  if (mediaShare < MEDIA_TOLERANCE) problems.push(`rtpengine relayed ${(mediaShare * 100).toFixed(1)} % of the audio`);
  const oneWay = mediaAfter.oneWay - mediaBefore.oneWay;
  const silent = mediaAfter.silent - mediaBefore.silent;
  if (oneWay + silent > 0) problems.push(`${oneWay} one-way and ${silent} silent streams`);
  return { calls, rate, ok: run.ok, failed: run.failed, peak, mediaShare, problems };
}

/** Rising numbers of held calls until one is not held; the last held, or null. */
export async function holdLadder(system: System, ng: NgClient, workDir: string, sustainedRate: number): Promise<{ levels: HoldResult[]; best: HoldResult | null }> {
  const rate = Math.min(HOLD_RATE, Math.floor(sustainedRate * 0.8));
  const levels: HoldResult[] = [];
  let best: HoldResult | null = null;
  if (rate < 1) {
    say(`${system.name}: no held calls (no call rate was sustained)`);
    return { levels, best };
  }
  say(`${system.name}: calls held at once for ${HOLD_S} s each with audio both ways, set up at ${rate} calls/s`);
  const leftover = await endLeftoverMedia(ng);
  if (leftover > 0) say(`  (${leftover} calls the rate steps left in rtpengine were ended first)`);
  for (const calls of CONCURRENT_STEPS) {
    if (calls / rate >= HOLD_S) say(`  (${calls} calls take ${Math.ceil(calls / rate)} s to set up, longer than the hold: they are never all up at once)`);
    const result = await hold(system, ng, join(workDir, "held"), calls, rate);
    levels.push(result);
    const verdict = result.problems.length === 0 ? "held" : `FAILED: ${result.problems.join("; ")}`;
    say(`  ${system.name.padEnd(9)}${String(calls).padStart(6)} calls  ${result.ok}/${calls} ok  at once ${result.peak}  audio relayed ${(result.mediaShare * 100).toFixed(1)} %  ${verdict}`);
    if (result.problems.length > 0) break;
    best = result;
  }
  return { levels, best };
}
