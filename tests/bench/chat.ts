/**
 * Web chat message latency, widget → agent, against a bare socket.io relay. `npm run bench:chat`;
 * the last line is the RESULT.
 *
 * Yixian: one server (in this process, PostgreSQL by default, `BENCH_DB=pglite` for PGlite), one
 * tenant, N visitors on real socket.io clients on `/visitor` and M agents on the main namespace.
 * Each visitor's first message starts its conversation; agent `i % M` accepts it over REST
 * (`POST /conversations/{id}/accept`, no routing offers: agents stay offline so setup does not
 * wait on offer rounds) and subscribes to it. Then `message:send` at t0 → the owning agent's socket
 * hears `message:created` with the acked message id at t1.
 *
 * Two measurements per system, the same for both:
 * - **Latency under load** (the issue's p99): an open loop, as real customers type: every visitor
 *   sends on average one message per `BENCH_THINK_S` seconds (default 20 s: 2,000 visitors make
 *   100 messages/s), at random (Poisson) times, for `BENCH_SECONDS`. Latency counts from the
 *   moment a message was due, so a stalled sender cannot hide a stall (no coordinated omission).
 * - **Throughput** (per_s, baseline_ratio): a closed loop with `BENCH_CONCURRENCY` messages in
 *   flight, as fast as each system goes.
 *
 * Baseline: a plain socket.io server on another port; the same N and M clients; each message is
 * acked to its sender and emitted to its agent's room, as Yixian delivers a message to the
 * conversation's agent (and the supervisors, none of whom is connected here).
 *
 * Both runs share this process with their clients, so latencies include the clients' own work.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import type { ClientToServerEvents, ServerToClientEvents, VisitorClientEvents, VisitorServerEvents } from "@yixian/contracts";
import { Server } from "socket.io";
import { io, type Socket } from "socket.io-client";
import { hashToken } from "../../server/src/domain/auth/sessions.ts";
import { vacuumAnalyze } from "../../server/src/domain/housekeeping.ts";
import { newId, randomToken } from "../../server/src/platform/ids.ts";
import { createTestTenant, startTestServer, type TestServer, type TestTenant } from "../src/harness.ts";

/** The target, and the default size. */
const TARGET = { widgets: 2000, agents: 200 };
const WIDGETS = Number(process.env.BENCH_WIDGETS ?? TARGET.widgets);
const AGENTS = Number(process.env.BENCH_AGENTS ?? TARGET.agents);
/** Messages of the closed-loop throughput run. */
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1000);
/** Mean seconds between one visitor's messages in the open-loop run. */
const THINK_S = Number(process.env.BENCH_THINK_S ?? 20);
const LOAD_SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 100);
/** The whole run is abandoned (exit 1) after this long. */
const DEADLINE_S = Number(process.env.BENCH_DEADLINE_S ?? 900);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const DB = process.env.BENCH_DB === "pglite" ? "pglite" : "postgres";
/** The widget session limiter allows 20 sessions per client address and widget. */
const SESSIONS_PER_WIDGET = 20;
const WAIT_MS = 15_000;

type AgentSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type VisitorSocket = Socket<VisitorServerEvents, VisitorClientEvents>;

interface Run {
  perSecond: number;
  p50: number;
  p99: number;
  /** t0 → the sender's ack (the message is stored). */
  ackP50: number;
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Runs `op(0..n-1)` with `concurrency` in flight. */
async function pool(n: number, concurrency: number, op: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, concurrency) }, async () => {
      while (next < n) await op(next++);
    }),
  );
}

/**
 * Matches sends to arrivals by message id, whichever comes first (the outbox may deliver the event
 * before the sender's ack arrives).
 */
class Arrivals {
  private readonly arrived = new Map<string, number>();
  private readonly waiting = new Map<string, (t1: number) => void>();

  heard(id: string): void {
    const t1 = performance.now();
    const resolve = this.waiting.get(id);
    if (resolve) {
      this.waiting.delete(id);
      resolve(t1);
    } else this.arrived.set(id, t1);
  }

  wait(id: string): Promise<number> {
    const t1 = this.arrived.get(id);
    if (t1 !== undefined) {
      this.arrived.delete(id);
      return Promise.resolve(t1);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`message ${id} did not reach its agent within ${WAIT_MS} ms`));
      }, WAIT_MS);
      this.waiting.set(id, (t) => {
        clearTimeout(timer);
        resolve(t);
      });
    });
  }
}

/** `send(i)` sends message i and resolves with its id once acked; latency is t0 → its agent's arrival. */
async function measure(n: number, arrivals: Arrivals, send: () => Promise<string>): Promise<Run> {
  const latencies: number[] = [];
  const acks: number[] = [];
  const started = performance.now();
  await pool(n, CONCURRENCY, async () => {
    const t0 = performance.now();
    const id = await send();
    acks.push(performance.now() - t0);
    latencies.push((await arrivals.wait(id)) - t0);
  });
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  acks.sort((a, b) => a - b);
  return { perSecond: n / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), ackP50: percentile(acks, 50) };
}

/**
 * Open loop: messages due at random (Poisson) times, `rate` per second for `seconds`, sent when
 * due whatever is still in flight; latency counts from when each was due.
 */
async function openLoop(rate: number, seconds: number, arrivals: Arrivals, send: () => Promise<string>): Promise<Run> {
  const latencies: number[] = [];
  const acks: number[] = [];
  const started = performance.now();
  const due: number[] = [];
  for (let t = -Math.log(1 - Math.random()) / rate; t < seconds; t += -Math.log(1 - Math.random()) / rate) due.push(started + t * 1000);
  const inflight: Promise<void>[] = [];
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next < due.length && due[next]! <= now) {
        const t0 = due[next++]!;
        inflight.push(
          (async () => {
            const id = await send();
            acks.push(performance.now() - t0);
            latencies.push((await arrivals.wait(id)) - t0);
          })(),
        );
      }
      if (next >= due.length) resolve();
      else setTimeout(tick, Math.max(0, Math.min(5, due[next]! - now)));
    };
    tick();
  });
  await Promise.all(inflight);
  latencies.sort((a, b) => a - b);
  acks.sort((a, b) => a - b);
  return { perSecond: due.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), ackP50: percentile(acks, 50) };
}

interface Measured {
  load: Run;
  throughput: Run;
}

/** Warm-up, then latency under the open-loop load, then closed-loop throughput. */
async function phases(arrivals: Arrivals, send: () => Promise<string>): Promise<Measured> {
  await measure(WARMUP, arrivals, send);
  // how long this one process (server and clients) kept callbacks waiting during the load
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  const load = await openLoop(WIDGETS / THINK_S, LOAD_SECONDS, arrivals, send);
  lag.disable();
  say(`  event-loop delay under load: p50 ${fmt(lag.percentile(50) / 1e6, 1)} ms, p99 ${fmt(lag.percentile(99) / 1e6, 1)} ms, max ${fmt(lag.max / 1e6, 1)} ms`);
  const throughput = await measure(MESSAGES, arrivals, send);
  return { load, throughput };
}

function connect<S extends Socket>(url: string, auth: Record<string, string | number>): Promise<S> {
  const socket = io(url, { path: "/socket.io", transports: ["websocket"], reconnection: false, forceNew: true, auth }) as S;
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (err) => {
      socket.close();
      reject(err);
    });
  });
}

async function call(server: TestServer, token: string | null, method: string, path: string, body?: unknown): Promise<{ data: Record<string, unknown> }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as { data: Record<string, unknown> };
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

async function benchYixian(): Promise<Measured> {
  const server = await startTestServer({ db: DB });
  const sockets: Socket[] = [];
  try {
    const setupStarted = performance.now();
    const tenant = await createTestTenant(server, "Bench chat");
    const agents = await addAgents(server, tenant);
    const widgetKeys: string[] = [];
    for (let w = 0; w < Math.ceil(WIDGETS / SESSIONS_PER_WIDGET); w++) {
      const widget = await call(server, tenant.admin.token, "POST", "/api/widget-configs", { name: `官网 ${w}` });
      widgetKeys.push(String(widget.data.publicKey));
    }
    const visitorTokens: string[] = new Array<string>(WIDGETS);
    await pool(WIDGETS, 16, async (i) => {
      const session = await call(server, null, "POST", `/api/widget/${widgetKeys[Math.floor(i / SESSIONS_PER_WIDGET)]}/sessions`, {});
      visitorTokens[i] = String(session.data.visitorToken);
    });

    const arrivals = new Arrivals();
    const ownerOf = new Map<string, number>();
    const agentSockets: AgentSocket[] = new Array<AgentSocket>(AGENTS);
    await pool(AGENTS, 32, async (a) => {
      const socket = await connect<AgentSocket>(server.url, { token: agents[a]!.token });
      socket.on("message:created", (e) => {
        if (ownerOf.get(e.conversationId) === a) arrivals.heard(e.id);
      });
      agentSockets[a] = socket;
      sockets.push(socket);
    });
    const visitors: VisitorSocket[] = new Array<VisitorSocket>(WIDGETS);
    await pool(WIDGETS, 32, async (i) => {
      visitors[i] = await connect<VisitorSocket>(`${server.url}/visitor`, { token: visitorTokens[i]! });
      sockets.push(visitors[i]);
    });

    const send = async (visitor: number, i: number, text: string): Promise<{ id: string; conversationId: string }> => {
      const res = await visitors[visitor]!.timeout(WAIT_MS).emitWithAck("message:send", { clientId: `bench-${i}`, text, attachmentIds: [] });
      if (!res.ok) throw new Error(`message:send failed: ${JSON.stringify(res.error)}`);
      return res.data;
    };
    // each visitor's first message starts its conversation; agent i % M accepts and subscribes
    await pool(WIDGETS, 16, async (i) => {
      const first = await send(i, i, `你好，我的发票开错了（访客 ${i}）`);
      const agent = i % AGENTS;
      await call(server, agents[agent]!.token, "POST", `/api/conversations/${first.conversationId}/accept`);
      const joined = await agentSockets[agent]!.timeout(WAIT_MS).emitWithAck("conversation:subscribe", first.conversationId);
      if (!joined.ok) throw new Error(`conversation:subscribe failed: ${JSON.stringify(joined.error)}`);
      ownerOf.set(first.conversationId, agent);
    });
    await server.deps.outbox.flush();
    // statistics for the tables setup just filled, as autovacuum (or PGlite's housekeeping)
    // keeps them in production: the planner picks its plans from them
    await vacuumAnalyze(server.deps);
    say(`yixian (${DB}): setup of ${WIDGETS} visitors in ${widgetKeys.length} widgets, ${AGENTS} agents, ${WIDGETS} accepted chats: ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`);

    let counter = WIDGETS;
    const message = async () => {
      const i = counter++;
      return (await send(randomVisitor(), i, `第 ${i} 条消息：开票时打印机没有反应`)).id;
    };
    return await phases(arrivals, message);
  } finally {
    for (const s of sockets) s.close();
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
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const sockets: Socket[] = [];
  try {
    const arrivals = new Arrivals();
    await pool(AGENTS, 32, async (a) => {
      const socket = await connect<Socket>(url, { agent: a });
      socket.on("message:created", (e: { id: string; to: number }) => {
        if (e.to === a) arrivals.heard(e.id);
      });
      sockets.push(socket);
    });
    const widgets: Socket[] = new Array<Socket>(WIDGETS);
    await pool(WIDGETS, 32, async (i) => {
      widgets[i] = await connect<Socket>(url, {});
      sockets.push(widgets[i]);
    });
    let counter = WIDGETS;
    const message = async () => {
      const i = counter++;
      const visitor = randomVisitor();
      const res = (await widgets[visitor]!.timeout(WAIT_MS).emitWithAck("message:send", { to: visitor % AGENTS, text: `第 ${i} 条消息：开票时打印机没有反应` })) as { id: string };
      return res.id;
    };
    return await phases(arrivals, message);
  } finally {
    for (const s of sockets) s.close();
    await relay.close();
  }
}

const randomVisitor = (): number => Math.floor(Math.random() * WIDGETS);

function fmt(n: number, digits = 1): string {
  return n.toFixed(digits);
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
say(`${WIDGETS} widgets, ${AGENTS} agents (total ${fmt((performance.now() - started) / 1000)} s)`);
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
