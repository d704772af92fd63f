/**
 * `npm run bench:sip` with BENCH_PROF=<folder>: a CPU profile of this process (the server) for
 * each rate step, written there as step<N>.cpuprofile (open it in Chromium's DevTools).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Session } from "node:inspector/promises";

export interface StepProfiler {
  start(): Promise<void>;
  stop(): Promise<string>;
}

export async function profileSteps(dir: string): Promise<StepProfiler> {
  mkdirSync(dir, { recursive: true });
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 500 });
  let step = 0;
  return {
    start: () => session.post("Profiler.start").then(() => undefined),
    async stop() {
      const { profile } = await session.post("Profiler.stop");
      const file = join(dir, `step${++step}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      return file;
    },
  };
}
