/**
 * Web chat message latency, widget → agent, against a bare socket.io relay. `npm run bench:chat`;
 * the last line is the RESULT.
 *
 * Yixian: one server process (this one; PostgreSQL by default, `BENCH_DB=pglite` for PGlite),
 * one tenant, N visitors on real socket.io clients on `/visitor` and M agents on the main
 * namespace. The clients run in a second process (`chat-clients.ts`), so that this process's
 * event loop serves only the server. Each visitor's first message starts its conversation; agent
 * `i % M` accepts it over REST (`POST /conversations/{id}/accept`, no routing offers: agents stay
 * offline so setup does not wait on offer rounds) and subscribes to it. Then `message:send` at
 * t0 → the owning agent's socket hears `message:created` with the acked message id at t1.
 *
 * Two measurements per system, the same for both:
 * - **Latency under load** (the p99): an open loop, as real customers type: every visitor
 *   sends on average one message per `BENCH_THINK_S` seconds (default 20 s: 2,000 visitors make
 *   100 messages/s), at random (Poisson) times, for `BENCH_SECONDS`. Latency counts from the
 *   moment a message was due, so a stalled sender cannot hide a stall (no coordinated omission).
 *   The server's event-loop delay during this run is printed.
 * - **Throughput** (per_s, baseline_ratio): a closed loop with `BENCH_CONCURRENCY` messages in
 *   flight, as fast as each system goes.
 *
 * Baseline: a plain socket.io server in this process; the same N and M clients; each message is
 * acked to its sender and emitted to its agent's room, as Yixian delivers a message to the
 * conversation's agent (and the supervisors, none of whom is connected here).
 */
import { fork } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { Server } from "socket.io";
import { hashToken } from "../../server/src/domain/auth/sessions.ts";
import { vacuumAnalyze } from "../../server/src/domain/housekeeping.ts";
import { newId, randomToken } from "../../server/src/platform/ids.ts";
import { createTestTenant, startTestServer, type TestServer, type TestTenant } from "../src/harness.ts";
import { AGENTS, CONCURRENCY, DB, DEADLINE_S, SLA, LOAD_SECONDS, MESSAGES, TARGET, THINK_S, WARMUP, WIDGETS, type Measured, type Run, type ToClients, type ToServer } from "./chat-config.ts";

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function fmt(n: number, digits = 1): string {
  return n.toFixed(digits);
}

/** Agents written directly with a session each, as the test harness does. */
async function addAgents(server: TestServer, tenant: TestTenant): Promise<{ id: string; token: string }[]> {
  const surnames = "李王张刘陈杨黄赵吴周";
  const agents = Array.from({ length: AGENTS }, (_, n) => ({ id: newId(), token: randomToken(), name: `${surnames[n % 10]}${n}` }));
  const { db } = server.deps;
  await db
    .insertInto("users")
    .values(agents.map((a, n) => ({ id: a.id, tenant_id: tenant.id, email: `agent${n}.${tenant.slug}@example.test`, display_name: a.name, password_hash: "not-used", role: "agent" as const })))
    .execute();
  await db
    .insertInto("sessions")
    .values(agents.map((a) => ({ tenant_id: tenant.id, user_id: a.id, token_hash: hashToken(a.token), expires_at: new Date(Date.now() + 3_600_000) })))
    .execute();
  return agents;
}

/**
 * Forks the clients process and hands it `init`; when its setup is done, runs `beforeGo` and
 * lets it measure, watching this process's event-loop delay while the load runs.
 */
async function withClients(init: ToClients, beforeGo: (widgets: number) => Promise<void>): Promise<Measured> {
  const child = fork(new URL("./chat-clients.ts", import.meta.url), [], { execArgv: ["--import", "tsx"] });
  const lag = monitorEventLoopDelay({ resolution: 5 });
  try {
    return await new Promise<Measured>((resolve, reject) => {
      child.on("message", (m: ToServer) => {
        if (m.type === "ready") beforeGo(m.widgets).then(() => child.send({ type: "go" } satisfies ToClients), reject);
        else if (m.type === "load" && m.running) lag.enable();
        else if (m.type === "load") {
          lag.disable();
          say(`  server event-loop delay under load: p50 ${fmt(lag.percentile(50) / 1e6)} ms, p99 ${fmt(lag.percentile(99) / 1e6)} ms, max ${fmt(lag.max / 1e6)} ms`);
        } else if (m.type === "done") resolve(m.measured);
        else if (m.type === "failed") reject(new Error(`the clients failed: ${m.error}`));
      });
      child.on("exit", (code) => reject(new Error(`the clients process exited (${code})`)));
      child.send(init);
    });
  } finally {
    child.kill();
  }
}

async function benchYixian(): Promise<Measured> {
  const server = await startTestServer({ db: DB });
  try {
    const setupStarted = performance.now();
    const tenant = await createTestTenant(server, "Bench chat");
    const agents = await addAgents(server, tenant);
    const init: ToClients = { type: "yixian", url: server.url, adminToken: tenant.admin.token, agentTokens: agents.map((a) => a.token) };
    return await withClients(init, async (widgets) => {
      await server.deps.outbox.flush();
      // statistics for the tables setup just filled, as autovacuum (or PGlite's housekeeping)
      // keeps them in production: the planner picks its plans from them
      await vacuumAnalyze(server.deps);
      say(`yixian (${DB}): setup of ${WIDGETS} visitors in ${widgets} widgets, ${AGENTS} agents, ${WIDGETS} accepted chats: ${fmt((performance.now() - setupStarted) / 1000)} s`);
    });
  } finally {
    await server.stop();
  }
}

interface RelayMessage {
  to: number;
  text: string;
}

async function benchRelay(): Promise<Measured> {
  const http = createServer();
  const relay = new Server(http, { path: "/socket.io", transports: ["websocket"] });
  relay.on("connection", (socket) => {
    const agent = (socket.handshake.auth as { agent?: unknown }).agent;
    if (typeof agent === "number") void socket.join(`agent:${agent}`);
    socket.on("message:send", (m: RelayMessage, ack: (res: { ok: true; id: string }) => void) => {
      const id = newId();
      ack({ ok: true, id });
      relay.to(`agent:${m.to}`).emit("message:created", { id, to: m.to, text: m.text });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  try {
    return await withClients({ type: "relay", url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` }, async () => undefined);
  } finally {
    await relay.close();
  }
}

const deadline = setTimeout(() => {
  say(`chat benchmark: gave up after ${DEADLINE_S} s`);
  process.exit(1);
}, DEADLINE_S * 1000);
deadline.unref();
if (WIDGETS < TARGET.widgets || AGENTS < TARGET.agents) {
  say(`note: ${WIDGETS} widgets and ${AGENTS} agents, below the issue's target of ${TARGET.widgets} and ${TARGET.agents} (BENCH_WIDGETS, BENCH_AGENTS)`);
}
const started = performance.now();
const yixian = await benchYixian();
const relay = await benchRelay();
const ratio = yixian.throughput.perSecond / relay.throughput.perSecond;
const row = (name: string, r: Run) =>
  `  ${name.padEnd(7)}${fmt(r.perSecond).padStart(8)} per_s  p50 ${fmt(r.p50, 2).padStart(7)} ms  p99 ${fmt(r.p99, 2).padStart(7)} ms  (ack p50 ${fmt(r.ackP50, 2)} ms)`;
const offered = WIDGETS / THINK_S;
say(`${WIDGETS} widgets, ${AGENTS} agents, ${SLA ? "an SLA policy on every ticket (first and next response, resolution)" : "no SLA policy (BENCH_SLA=0)"} (total ${fmt((performance.now() - started) / 1000)} s)`);
say(`latency under load: ${fmt(offered)} messages/s offered (one per visitor every ${THINK_S} s on average) for ${LOAD_SECONDS} s`);
say(row("yixian", yixian.load));
say(row("relay", relay.load));
say(`throughput: ${MESSAGES} messages, ${CONCURRENCY} in flight, after ${WARMUP} warm-up`);
say(row("yixian", yixian.throughput));
say(row("relay", relay.throughput));
const atTarget = WIDGETS >= TARGET.widgets && AGENTS >= TARGET.agents;
say(`  yixian ÷ relay throughput: ${fmt(ratio, 3)}; target p99 < 50 ms at ${TARGET.widgets} widgets and ${TARGET.agents} agents: ${atTarget ? (yixian.load.p99 < 50 ? "met" : "not met") : "not run at that size"}`);
say("");
say(`RESULT chat widgets=${WIDGETS} agents=${AGENTS} rate=${fmt(offered)} p50_ms=${fmt(yixian.load.p50, 2)} p99_ms=${fmt(yixian.load.p99, 2)} per_s=${fmt(yixian.throughput.perSecond)} baseline_ratio=${fmt(ratio, 3)} baseline_p99_ms=${fmt(relay.load.p99, 2)}`);
process.exit(0);
