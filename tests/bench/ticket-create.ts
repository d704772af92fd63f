/**
 * Ticket creation through the HTTP API versus the same rows written by one raw transaction,
 * on PGlite and on PostgreSQL. `npm run bench`; the last lines are one RESULT per database.
 *
 * The API path is what an agent or integration pays: auth, validation, reference checks,
 * custom fields, numbering, timeline, audit, outbox and the answer. The baseline is the floor:
 * counter upsert, tickets, timeline_events, audit_log and outbox rows in one transaction.
 * The two sides alternate in slices (`BENCH_ROUNDS`), so on a shared machine both meet the same
 * moments of its load; each side's CPU time per ticket is printed too, which that load
 * stretches far less than wall time.
 */
import http from "node:http";
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import type { RunningServer } from "@yixian/server";
import { searchTokens } from "../../server/src/domain/shared/search-tokens.ts";
import { newId } from "../../server/src/platform/ids.ts";
import { createTestTenant, startTestServer, type TestDb, type TestTenant } from "../src/harness.ts";

const N = Number(process.env.BENCH_N ?? 400);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 40);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
/** API and raw calls alternate in this many slices each. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const DATABASES: TestDb[] = process.env.BENCH_DB ? [process.env.BENCH_DB as TestDb] : ["pglite", "postgres"];

interface Run {
  perSecond: number;
  p50: number;
  p99: number;
  /** This process's CPU time (user + system, all threads) per call: what a loaded machine disturbs least. */
  cpuMs: number;
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** What one slice of calls took: each call's latency, the wall time and this process's CPU time. */
interface Slice {
  latencies: number[];
  seconds: number;
  cpuMs: number;
}

/** Runs `op` for calls from..to-1 with `concurrency` in flight. */
async function slice(from: number, to: number, concurrency: number, op: (i: number) => Promise<void>): Promise<Slice> {
  const latencies: number[] = [];
  let next = from;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < to) {
        const i = next++;
        const t0 = performance.now();
        await op(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return { latencies, seconds: (performance.now() - started) / 1000, cpuMs: (used.user + used.system) / 1000 };
}

function summary(slices: Slice[]): Run {
  const latencies = slices.flatMap((s) => s.latencies).sort((a, b) => a - b);
  const seconds = slices.reduce((sum, s) => sum + s.seconds, 0);
  const cpuMs = slices.reduce((sum, s) => sum + s.cpuMs, 0);
  return { perSecond: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), cpuMs: cpuMs / latencies.length };
}

/**
 * Runs n calls of each side in `ROUNDS` alternating slices (a, b, a, b, …), so that both meet the
 * same moments of a shared machine's load: the ratio compares like with like.
 */
async function interleaved(n: number, concurrency: number, a: (i: number) => Promise<void>, b: (i: number) => Promise<void>): Promise<[Run, Run]> {
  const as: Slice[] = [];
  const bs: Slice[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const from = Math.floor((round * n) / ROUNDS);
    const to = Math.floor(((round + 1) * n) / ROUNDS);
    as.push(await slice(from, to, concurrency, a));
    bs.push(await slice(from, to, concurrency, b));
  }
  return [summary(as), summary(bs)];
}

async function createContact(server: RunningServer, tenant: TestTenant): Promise<string> {
  const name = "陈静 (bench)";
  const row = await server.deps.db
    .insertInto("contacts")
    .values({ tenant_id: tenant.id, name, custom_fields: JSON.stringify({}), search_tokens: searchTokens(name) })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * POSTs JSON over kept-alive connections (one per request in flight). node:http rather than
 * fetch: the client runs in this process too, and undici's fetch cost about three times as much
 * CPU per request as the server's whole answer to a 404, which the API's throughput then carried.
 */
function poster(server: RunningServer, token: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const { hostname, port } = new URL(server.url);
  return (path: string, payload: unknown) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const body = JSON.stringify(payload);
      const headers = { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body), Authorization: `Bearer ${token}` };
      const req = http.request({ hostname, port, path, method: "POST", agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(body);
    });
}

function viaApi(server: RunningServer, token: string, contactId: string) {
  const post = poster(server, token);
  return async (i: number) => {
    const res = await post("/api/tickets", { subject: `打印发票失败 #${i}`, contactId, description: `客户反馈：开票时打印机没有反应（第 ${i} 次）` });
    if (res.status !== 201) throw new Error(`POST /api/tickets answered ${res.status}: ${res.text.slice(0, 300)}`);
  };
}

/** The same rows as the API writes, in one transaction, without any of the checks around them. */
function viaRawSql(server: RunningServer, tenant: TestTenant, contactId: string) {
  const userId = tenant.users.agent.id;
  const day = new Date().toISOString().slice(0, 10);
  return async (i: number) => {
    await server.deps.db.transaction().execute(async (tx) => {
      const counter = await tx
        .insertInto("ticket_counters")
        .values({ tenant_id: tenant.id, day, last_value: 1 })
        .onConflict((oc) => oc.columns(["tenant_id", "day"]).doUpdateSet((eb) => ({ last_value: eb("ticket_counters.last_value", "+", 1) })))
        .returning("last_value")
        .executeTakeFirstOrThrow();
      const number = `RAW-${day.replaceAll("-", "")}-${String(counter.last_value).padStart(4, "0")}`;
      const subject = `打印发票失败 #${i}`;
      const now = new Date();
      const ticket = await tx
        .insertInto("tickets")
        .values({
          id: newId(now.getTime()),
          tenant_id: tenant.id,
          number,
          subject,
          contact_id: contactId,
          custom_fields: JSON.stringify({}),
          search_tokens: searchTokens(number, subject),
          created_at: now,
          updated_at: now,
        })
        .returning(["id", "updated_at"])
        .executeTakeFirstOrThrow();
      await tx
        .insertInto("timeline_events")
        .values({
          tenant_id: tenant.id,
          ticket_id: ticket.id,
          kind: "ticket_created",
          occurred_at: now,
          actor_type: "user",
          actor_id: userId,
          data: JSON.stringify({ number, subject, channel: null, description: `客户反馈：开票时打印机没有反应（第 ${i} 次）` }),
        })
        .execute();
      await tx
        .insertInto("audit_log")
        .values({ tenant_id: tenant.id, actor_type: "user", actor_id: userId, action: "ticket.created", entity_type: "ticket", entity_id: ticket.id, changes: JSON.stringify({ number }) })
        .execute();
      await tx
        .insertInto("outbox")
        .values({
          tenant_id: tenant.id,
          event: "ticket:changed",
          rooms: [`tenant:${tenant.id}`, `ticket:${ticket.id}`],
          payload: JSON.stringify({ id: ticket.id, number, updatedAt: now.toISOString(), changes: ["created"] }),
        })
        .execute();
    });
  };
}

function fmt(n: number, digits = 1): string {
  return n.toFixed(digits);
}

async function benchDatabase(db: TestDb): Promise<string> {
  const server = await startTestServer({ db });
  try {
    const tenant = await createTestTenant(server, `Bench ${db}`);
    const contactId = await createContact(server, tenant);
    const api = viaApi(server, tenant.users.agent.token, contactId);
    const raw = viaRawSql(server, tenant, contactId);

    await slice(0, WARMUP, CONCURRENCY, api);
    await slice(0, WARMUP, CONCURRENCY, raw);
    const [apiRun, rawRun] = await interleaved(N, CONCURRENCY, api, raw);
    await server.deps.outbox.flush();

    const ratio = apiRun.perSecond / rawRun.perSecond;
    say(`${db}: ${N} tickets, ${CONCURRENCY} in flight, in ${ROUNDS} alternating slices, after ${WARMUP} warm-up; load average ${loadavg().map((l) => fmt(l, 2)).join(" ")}`);
    for (const [name, run] of [["api", apiRun], ["raw", rawRun]] as const) {
      say(`  ${name}  ${fmt(run.perSecond).padStart(8)} per_s  p50 ${fmt(run.p50, 2).padStart(7)} ms  p99 ${fmt(run.p99, 2).padStart(7)} ms  cpu ${fmt(run.cpuMs, 2)} ms per ticket`);
    }
    say(`  api ÷ raw throughput: ${fmt(ratio, 3)}`);
    return `RESULT ticket-create db=${db} per_s=${fmt(apiRun.perSecond)} p99_ms=${fmt(apiRun.p99, 2)} baseline_ratio=${fmt(ratio, 3)}`;
  } finally {
    await server.stop();
  }
}

const results: string[] = [];
for (const db of DATABASES) results.push(await benchDatabase(db));
say("");
for (const line of results) say(line);
