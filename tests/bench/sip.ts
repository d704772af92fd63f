/**
 * Phone calls under load through Yixian's B2BUA and through Kamailio, with the same rtpengine in
 * the media path of both. `npm run bench:sip` (scripts/bench-services.sh installs what it runs);
 * the last line is the RESULT.
 *
 * Callers are sipp processes playing sipp's own g711a.pcap (tests/bench/sip/scenarios.ts); the
 * answering side is one sipp standing in for the agents' phones, echoing the audio back. The
 * bench starts its own rtpengine (userspace, recording as the product records). Baseline:
 * Kamailio 5.6 as a minimal stateful forwarder driving that rtpengine through its rtpengine
 * module (tests/bench/sip/kamailio.cfg). Yixian: the real server on SIP_UDP_PORT with a trunk,
 * a DID on a queue and agents whose SIP devices are registered at the answering sipp
 * (tests/bench/sip/yixian.ts), so every call goes trunk check → conversation → queue → routing
 * offer → INVITE to the agent's registration → answer → bridge.
 *
 * Measured for each (tests/bench/sip/measure.ts): the highest call rate sustained with no failed
 * call, INVITE → 180 p50/p99 at that rate, and the most calls held at once with audio for
 * BENCH_HOLD_S (60) seconds. The environment sizes the run (tests/bench/sip/config.ts).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { NgClient } from "../../telephony/src/media/ng-client.ts";
import { RtpengineProcess, rtpengineInstalled } from "../../telephony/src/media/rtpengine-process.ts";
import { freeUdpPort } from "../../telephony/src/media/testing/rtp-peer.ts";
import { sippInstalled } from "../../telephony/src/sip/interop/sipp.ts";
import { AGENTS, BASELINE_RECORD, CALL_S, CONCURRENT_STEPS, DEADLINE_S, GOAL, HOLD_S, KAMAILIO_CHILDREN, STEP_S, SYSTEMS } from "./sip/config.ts";
import { kamailioInstalled, startKamailio } from "./sip/kamailio.ts";
import { endLeftoverMedia, holdLadder, rateLadder, type HoldResult, type StepResult } from "./sip/measure.ts";
import { audioInstalled } from "./sip/scenarios.ts";
import { SippAnswerer } from "./sip/sipp.ts";
import { startYixian } from "./sip/yixian.ts";

interface Measured {
  best: StepResult | null;
  held: HoldResult | null;
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function missing(): string[] {
  const out: string[] = [];
  if (!sippInstalled) out.push("sipp (apt package sip-tester)");
  if (!audioInstalled()) out.push("sipp's g711a.pcap (apt package sip-tester)");
  if (!rtpengineInstalled()) out.push("rtpengine (apt package rtpengine-daemon)");
  if (SYSTEMS.includes("baseline") && !kamailioInstalled) out.push("kamailio (apt package kamailio)");
  return out;
}

async function benchKamailio(workDir: string, ng: NgClient, ngPort: number, rtpengine: RtpengineProcess): Promise<Measured> {
  const answerer = await SippAnswerer.start(join(workDir, "answerer"));
  const kamailio = await startKamailio({ dir: join(workDir, "kamailio"), ngPort, answererPort: answerer.port, children: KAMAILIO_CHILDREN, record: BASELINE_RECORD });
  try {
    say(`kamailio: stateful forwarder on 127.0.0.1:${kamailio.port}, ${KAMAILIO_CHILDREN} workers, rtpengine offer/answer/delete${BASELINE_RECORD ? ", recording every call" : ""}`);
    const system = {
      name: "kamailio",
      host: "127.0.0.1",
      port: kamailio.port,
      service: "4008001234",
      answerer,
      // the recordings of finished calls are not kept (the disk would fill over a long run)
      ready: async () => rmSync(join(rtpengine.recordingDir, "pcaps"), { recursive: true, force: true }),
    };
    const rates = await rateLadder(system, workDir);
    const held = await holdLadder(system, ng, workDir, rates.best?.rate ?? 0);
    return { best: rates.best, held: held.best };
  } finally {
    await kamailio.stop();
    await answerer.stop();
  }
}

async function benchYixian(workDir: string, ng: NgClient, ngPort: number, rtpengine: RtpengineProcess): Promise<Measured> {
  const agents = AGENTS ?? Math.max(500, ...CONCURRENT_STEPS);
  const yixian = await startYixian({ dir: join(workDir, "answerer"), agents, ngPort, recordingDir: rtpengine.recordingDir });
  try {
    const rates = await rateLadder(yixian.system, workDir);
    const held = await holdLadder(yixian.system, ng, workDir, rates.best?.rate ?? 0);
    return { best: rates.best, held: held.best };
  } finally {
    await yixian.stop();
  }
}

const deadline = setTimeout(() => {
  say(`sip benchmark: gave up after ${DEADLINE_S} s`);
  process.exit(1);
}, DEADLINE_S * 1000);
deadline.unref();

const lacking = missing();
if (lacking.length > 0) {
  say(`sip benchmark: not installed: ${lacking.join(", ")}. Run scripts/bench-services.sh.`);
  process.exit(1);
}

const started = performance.now();
const workDir = mkdtempSync(join(tmpdir(), "yx-bench-sip-"));
// whatever a child leaves in its working folder (a core file) goes with the run's files
process.chdir(workDir);
const ngPort = await freeUdpPort();
const rtpengine = new RtpengineProcess({ workDir: join(workDir, "rtpengine"), ngPort, dtmfPort: await freeUdpPort(), portMin: 20000, portMax: 29999, log: (level, message) => say(`rtpengine ${level}: ${message}`) });
await rtpengine.start();
process.on("exit", () => {
  if (rtpengine.pid !== undefined) process.kill(rtpengine.pid, "SIGTERM");
});
const ng = new NgClient({ host: "127.0.0.1", port: ngPort });
say("The machine may be shared: numbers from a busy machine are noisy (see the load average below).");
say(`rate steps of ${STEP_S} s with ${CALL_S} s calls; held calls ${CONCURRENT_STEPS.join(", ")} for ${HOLD_S} s; load average before: ${(await import("node:os")).loadavg().map((l) => l.toFixed(2)).join(" ")}`);

let baseline: Measured | null = null;
let yixian: Measured | null = null;
try {
  if (SYSTEMS.includes("baseline")) baseline = await benchKamailio(join(workDir, "kamailio"), ng, ngPort, rtpengine);
  if (SYSTEMS.includes("yixian")) yixian = await benchYixian(join(workDir, "yixian"), ng, ngPort, rtpengine);
} finally {
  // calls a failed step left behind are ended first: rtpengine has crashed stopping with calls up
  await endLeftoverMedia(ng).catch(() => 0);
  await ng.close();
  await rtpengine.stop();
  if (process.env.BENCH_KEEP === "1") say(`the run's files are kept in ${workDir}`);
  else rmSync(workDir, { recursive: true, force: true });
}

const fmt = (n: number | undefined, digits = 0) => (n === undefined ? "-" : n.toFixed(digits));
say("");
say(`summary (total ${fmt((performance.now() - started) / 1000, 1)} s):`);
for (const [name, m] of [["yixian", yixian], ["kamailio", baseline]] as const) {
  if (!m) continue;
  say(`  ${name.padEnd(9)} ${fmt(m.best?.rate).padStart(6)} calls/s sustained  ring p50 ${fmt(m.best?.ringP50)} ms p99 ${fmt(m.best?.ringP99)} ms  ${fmt(m.held?.calls)} calls held ${HOLD_S} s`);
}
if (yixian && baseline) {
  const ratio = (yixian.best?.rate ?? 0) / Math.max(1, baseline.best?.rate ?? 0);
  const ringP99 = yixian.best?.ringP99 ?? 0;
  say(`  yixian ÷ kamailio calls/s: ${ratio.toFixed(3)} (goal ≥ ${GOAL.ratio}: ${ratio >= GOAL.ratio ? "met" : "not met"}); ring p99 ${ringP99} ms (goal < ${GOAL.ringP99Ms} ms: ${ringP99 < GOAL.ringP99Ms && yixian.best ? "met" : "not met"})`);
  say("");
  say(
    `RESULT sip cps=${fmt(yixian.best?.rate ?? 0)} ring_p99_ms=${fmt(ringP99)} concurrent=${fmt(yixian.held?.calls ?? 0)} baseline_cps=${fmt(baseline.best?.rate ?? 0)} baseline_ratio=${ratio.toFixed(3)} ring_p50_ms=${fmt(yixian.best?.ringP50 ?? 0)} baseline_concurrent=${fmt(baseline.held?.calls ?? 0)}`,
  );
} else if (baseline) {
  say("");
  say(`RESULT sip-baseline cps=${fmt(baseline.best?.rate ?? 0)} ring_p99_ms=${fmt(baseline.best?.ringP99 ?? 0)} concurrent=${fmt(baseline.held?.calls ?? 0)}`);
}
process.exit(0);
