/**
 * The clients of `npm run bench:chat`, in their own process (forked by `chat.ts`), so that the
 * server's event loop measures the server and not also 2,200 clients: N widget visitors and M
 * agents on real socket.io clients, then the warm-up, the open-loop load and the closed-loop
 * throughput run. Talks to the server process over IPC (`ToClients` / `ToServer`).
 */
import { performance } from "node:perf_hooks";
import type { ClientToServerEvents, ServerToClientEvents, VisitorClientEvents, VisitorServerEvents } from "@yixian/contracts";
import { io, type Socket } from "socket.io-client";
import { AGENTS, CONCURRENCY, LOAD_SECONDS, MESSAGES, SESSIONS_PER_WIDGET, SLA, THINK_S, WARMUP, WIDGETS, type Measured, type Run, type ToClients, type ToServer } from "./chat-config.ts";

const WAIT_MS = 15_000;

type AgentSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type VisitorSocket = Socket<VisitorServerEvents, VisitorClientEvents>;

function tell(m: ToServer): void {
  process.send?.(m);
}

let go: (() => void) | null = null;

/** Tells the server process setup is done and waits for its go (it refreshes statistics first). */
function ready(widgets: number): Promise<void> {
  return new Promise((resolve) => {
    go = resolve;
    tell({ type: "ready", widgets });
  });
}

const randomVisitor = (): number => Math.floor(Math.random() * WIDGETS);

async function call(url: string, token: string | null, method: string, path: string, body?: unknown): Promise<{ data: Record<string, unknown> }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as { data: Record<string, unknown> };
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

/** Warm-up, then latency under the open-loop load, then closed-loop throughput. */
async function phases(arrivals: Arrivals, send: () => Promise<string>): Promise<Measured> {
  await measure(WARMUP, arrivals, send);
  tell({ type: "load", running: true });
  const load = await openLoop(WIDGETS / THINK_S, LOAD_SECONDS, arrivals, send);
  tell({ type: "load", running: false });
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

/** Yixian's clients: visitor sessions and sockets, agents' sockets, each visitor's chat accepted by agent i % M. */
async function yixianClients(init: Extract<ToClients, { type: "yixian" }>): Promise<Measured> {
  const { url, adminToken, agentTokens } = init;
  if (SLA) {
    await call(url, adminToken, "POST", "/api/sla-policies", { name: "标准服务", isDefault: true, targets: { firstResponseMinutes: 30, nextResponseMinutes: 60, resolutionMinutes: 1440 } });
  }
  const widgetKeys: string[] = [];
  for (let w = 0; w < Math.ceil(WIDGETS / SESSIONS_PER_WIDGET); w++) {
    const widget = await call(url, adminToken, "POST", "/api/widget-configs", { name: `官网 ${w}` });
    widgetKeys.push(String(widget.data.publicKey));
  }
  const visitorTokens: string[] = new Array<string>(WIDGETS);
  await pool(WIDGETS, 16, async (i) => {
    const session = await call(url, null, "POST", `/api/widget/${widgetKeys[Math.floor(i / SESSIONS_PER_WIDGET)]}/sessions`, {});
    visitorTokens[i] = String(session.data.visitorToken);
  });

  const arrivals = new Arrivals();
  const ownerOf = new Map<string, number>();
  const agentSockets: AgentSocket[] = new Array<AgentSocket>(AGENTS);
  await pool(AGENTS, 32, async (a) => {
    const socket = await connect<AgentSocket>(url, { token: agentTokens[a]! });
    socket.on("message:created", (e) => {
      if (ownerOf.get(e.conversationId) === a) arrivals.heard(e.id);
    });
    agentSockets[a] = socket;
  });
  const visitors: VisitorSocket[] = new Array<VisitorSocket>(WIDGETS);
  await pool(WIDGETS, 32, async (i) => {
    visitors[i] = await connect<VisitorSocket>(`${url}/visitor`, { token: visitorTokens[i]! });
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
    await call(url, agentTokens[agent]!, "POST", `/api/conversations/${first.conversationId}/accept`);
    const joined = await agentSockets[agent]!.timeout(WAIT_MS).emitWithAck("conversation:subscribe", first.conversationId);
    if (!joined.ok) throw new Error(`conversation:subscribe failed: ${JSON.stringify(joined.error)}`);
    ownerOf.set(first.conversationId, agent);
  });
  await ready(widgetKeys.length);

  let counter = WIDGETS;
  return phases(arrivals, async () => {
    const i = counter++;
    return (await send(randomVisitor(), i, `第 ${i} 条消息：开票时打印机没有反应`)).id;
  });
}

interface RelayMessage {
  to: number;
  text: string;
}

/** The baseline's clients: the same N visitors and M agents on the bare relay. */
async function relayClients(url: string): Promise<Measured> {
  const arrivals = new Arrivals();
  await pool(AGENTS, 32, async (a) => {
    const socket = await connect<Socket>(url, { agent: a });
    socket.on("message:created", (e: { id: string; to: number }) => {
      if (e.to === a) arrivals.heard(e.id);
    });
  });
  const widgets: Socket[] = new Array<Socket>(WIDGETS);
  await pool(WIDGETS, 32, async (i) => {
    widgets[i] = await connect<Socket>(url, {});
  });
  await ready(0);
  let counter = WIDGETS;
  return phases(arrivals, async () => {
    const i = counter++;
    const visitor = randomVisitor();
    const res = (await widgets[visitor]!.timeout(WAIT_MS).emitWithAck("message:send", { to: visitor % AGENTS, text: `第 ${i} 条消息：开票时打印机没有反应` } satisfies RelayMessage)) as { id: string };
    return res.id;
  });
}

process.on("message", (m: ToClients) => {
  if (m.type === "go") {
    go?.();
    return;
  }
  const run = m.type === "yixian" ? yixianClients(m) : relayClients(m.url);
  run.then(
    (measured) => tell({ type: "done", measured }),
    (err: unknown) => tell({ type: "failed", error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
  );
});
