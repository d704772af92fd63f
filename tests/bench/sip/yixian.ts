/**
 * Yixian as the system under load in `npm run bench:sip`: the real server (this process, on
 * PostgreSQL unless BENCH_DB=pglite) with SIP on UDP, set up through its API as an administrator
 * would: a queue of agents with no wrap-up, a trunk that takes calls from 127.0.0.1 with a DID
 * on that queue (no welcome prompt unless BENCH_WELCOME=1), every agent available with a desk-phone password, and each agent's device
 * registered (REGISTER with digest) with a Contact at the answering sipp. A call then takes the
 * product's whole path: trunk check → conversation → queue → routing offer → INVITE to the
 * agent's registration → answer → bridge through rtpengine.
 */
import type { Role } from "@yixian/contracts";
import { hashToken } from "../../../server/src/domain/auth/sessions.ts";
import { newId, randomToken } from "../../../server/src/platform/ids.ts";
import { freePort } from "../../../telephony/src/sip/interop/sipp.ts";
import { register, sipUri, startSipStack } from "../../../telephony/src/sip/index.ts";
import { api, createTestTenant, startTestServer, type TestServer, type TestTenant, type TestUser } from "../../src/harness.ts";
import { WELCOME } from "./config.ts";
import { percentile, type System } from "./measure.ts";
import { SippAnswerer } from "./sipp.ts";
import { profileSteps } from "./cpu-profile.ts";
import { countStatements } from "./statements.ts";

export const DB = process.env.BENCH_DB === "pglite" ? "pglite" : "postgres";
/** The number the callers dial. */
const DID = "+864008005678";
/** Requests in flight while the agents are set up. */
const SETUP_CONCURRENCY = 16;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function inParallel<T>(items: T[], work: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: SETUP_CONCURRENCY }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i]!, i);
      }
    }),
  );
}

function ok(res: { status: number; body: unknown }, what: string): void {
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
}

/** Agents and their sessions written directly (no password hashing), as the chat benchmark does. */
async function addAgents(server: TestServer, tenant: TestTenant, count: number): Promise<TestUser[]> {
  const agents = Array.from({ length: count }, (_, n) => ({ id: newId(), token: randomToken(), email: `agent${n}.${tenant.slug}@example.test`, role: "agent" as Role }));
  const { db } = server.deps;
  for (let i = 0; i < agents.length; i += 500) {
    const batch = agents.slice(i, i + 500);
    await db
      .insertInto("users")
      .values(batch.map((a, n) => ({ id: a.id, tenant_id: tenant.id, email: a.email, display_name: `坐席 ${i + n}`, password_hash: "not-used", role: a.role })))
      .execute();
    await db
      .insertInto("sessions")
      .values(batch.map((a) => ({ tenant_id: tenant.id, user_id: a.id, token_hash: hashToken(a.token), expires_at: new Date(Date.now() + 6 * 3_600_000) })))
      .execute();
  }
  return agents;
}

interface Device {
  username: string;
  password: string;
  realm: string;
}

/** Registers every device from the answerer's port, with a Contact there, before sipp takes the port. */
async function registerDevices(devices: Device[], sipPort: number, answererPort: number): Promise<void> {
  const stack = await startSipStack({ udp: { address: "127.0.0.1", port: answererPort } });
  try {
    await inParallel(devices, async (d) => {
      const response = await register(stack.ua, {
        registrar: sipUri(d.realm),
        aor: { uri: sipUri(d.realm, { user: d.username }), params: new Map() },
        contact: { uri: sipUri("127.0.0.1", { user: d.username, port: answererPort }), params: new Map() },
        expires: 3600,
        credentials: { username: d.username, password: d.password },
        destination: { transport: "udp", address: "127.0.0.1", port: sipPort },
      });
      if (response.status !== 200) throw new Error(`REGISTER of ${d.username} answered ${response.status} ${response.reason}`);
    });
  } finally {
    await stack.close();
  }
}

export interface Yixian {
  system: System;
  stop(): Promise<void>;
}

export async function startYixian(o: { dir: string; agents: number; ngPort: number; recordingDir: string }): Promise<Yixian> {
  // before the server opens its database: the statements of its calls are counted
  const statements = process.env.BENCH_SQL === "1" ? countStatements() : null;
  const profiler = process.env.BENCH_PROF ? await profileSteps(process.env.BENCH_PROF) : null;
  const sipPort = await freePort();
  const answererPort = await freePort();
  const server = await startTestServer({
    db: DB,
    // the bench's rtpengine, the one Kamailio drives too; the server reads its recordings after each call
    env: { SIP_UDP_PORT: String(sipPort), SIP_RATE_LIMIT_PER_SECOND: "0", RTPENGINE_URL: `udp://127.0.0.1:${o.ngPort}`, RTPENGINE_RECORDING_DIR: o.recordingDir, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "warn" },
  });
  try {
    const started = Date.now();
    const tenant = await createTestTenant(server, "Bench phone");
    const agents = await addAgents(server, tenant, o.agents);
    const queue = await api(server, tenant.admin).post("/api/queues").send({ name: "电话热线", memberIds: agents.map((a) => a.id) });
    ok(queue, "POST /api/queues");
    const queueId = (queue.body as { data: { id: string } }).data.id;
    ok(await api(server, tenant.admin).patch(`/api/queues/${queueId}/routing`).send({ strategy: "longest_idle", wrapUpSeconds: 0, offerTimeoutSeconds: 20 }), "PATCH routing");
    const trunk = await api(server, tenant.admin)
      .post("/api/voice/trunks")
      // the number's IVR as shipped, except the welcome prompt (BENCH_WELCOME=1 keeps it): a caller
      // of the rate steps hangs up after a second, before a welcome would end
      .send({ name: "Bench trunk", hosts: ["127.0.0.1:5060"], transport: "udp", allowedSources: ["127.0.0.1"], dids: [{ number: DID, label: "bench", queueId, ivr: { welcome: WELCOME } }] });
    ok(trunk, "POST /api/voice/trunks");
    const devices: Device[] = [];
    const apiStarted = Date.now();
    await inParallel(agents, async (agent) => {
      ok(await api(server, agent).put("/api/presence/me").send({ state: "available" }), "PUT /api/presence/me");
      const secret = await api(server, agent).post(`/api/users/${agent.id}/sip-device/password`);
      ok(secret, "POST sip-device/password");
      devices.push((secret.body as { data: Device }).data);
    });
    const registerStarted = Date.now();
    await registerDevices(devices, sipPort, answererPort);
    const answerer = await SippAnswerer.start(o.dir, answererPort);
    const seconds = (from: number, to = Date.now()) => `${((to - from) / 1000).toFixed(1)} s`;
    say(
      `yixian (${DB}): SIP on udp 127.0.0.1:${sipPort}; ${o.agents} agents available with registered devices; set up in ${seconds(started)} (presence and device passwords ${seconds(apiStarted, registerStarted)}, REGISTERs ${seconds(registerStarted)})`,
    );

    const { db } = server.deps;
    let stepStarted = new Date();
    let cpuAtStep = process.cpuUsage();
    /** p50/p99 of each step of the step's calls: stored → offered (routing), offered → rung, rung → answered. */
    const stages = async (calls: number) => {
      const rows = await db
        .selectFrom("calls")
        .innerJoin("work_items", "work_items.conversation_id", "calls.conversation_id")
        .select(["calls.started_at", "work_items.offered_at", "calls.ringing_at", "calls.answered_at"])
        .where("calls.tenant_id", "=", tenant.id)
        .where("calls.started_at", ">=", stepStarted)
        .execute();
      const ms = (from: Date | string | null, to: Date | string | null) => (from && to ? new Date(to).getTime() - new Date(from).getTime() : null);
      const stage = (name: string, take: (r: (typeof rows)[number]) => number | null) => {
        const values = rows.map(take).filter((v): v is number => v !== null);
        return `${name} ${values.length}/${calls} p50 ${percentile(values, 50)} p99 ${percentile(values, 99)} ms`;
      };
      return [
        stage("stored → offered", (r) => ms(r.started_at, r.offered_at)),
        stage("offered → rung", (r) => ms(r.offered_at, r.ringing_at)),
        stage("rung → answered", (r) => ms(r.ringing_at, r.answered_at)),
      ].join("; ");
    };
    const system: System = {
      name: "yixian",
      host: "127.0.0.1",
      port: sipPort,
      service: DID,
      answerer,
      async ready() {
        // every earlier call's work item finished and its agent free again
        const deadline = Date.now() + 30_000;
        for (;;) {
          const open = await db.selectFrom("work_items").select(db.fn.countAll<number>().as("n")).where("tenant_id", "=", tenant.id).where("state", "in", ["waiting", "offered", "assigned"]).executeTakeFirstOrThrow();
          if (Number(open.n) === 0 || Date.now() > deadline) break;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        stepStarted = new Date();
        cpuAtStep = process.cpuUsage();
        statements?.reset();
        await profiler?.start();
      },
      async check(calls) {
        for (const line of statements?.report(calls) ?? []) say(line);
        if (profiler) say(`    CPU profile of the step: ${await profiler.stop()}`);
        const rows = await db.selectFrom("calls").select(["disposition", "started_at", "ringing_at", "answered_at"]).where("tenant_id", "=", tenant.id).where("started_at", ">=", stepStarted).execute();
        const answered = rows.filter((r) => r.answered_at !== null).length;
        const problems: string[] = [];
        if (rows.length < calls) problems.push(`${calls - rows.length} calls have no call record`);
        if (answered < calls) problems.push(`${calls - answered} calls never answered by an agent (call records)`);
        const rung = rows.filter((r) => r.ringing_at !== null).map((r) => new Date(r.ringing_at!).getTime() - new Date(r.started_at).getTime());
        if (rung.length > 0) say(`    trunk INVITE → agent rung (call records): p50 ${percentile(rung, 50)} ms, p99 ${percentile(rung, 99)} ms`);
        say(`    where that time went: ${await stages(calls)}`);
        const cpu = process.cpuUsage(cpuAtStep);
        say(`    the server's CPU (this process): ${((cpu.user + cpu.system) / 1000 / calls).toFixed(1)} ms a call (user ${(cpu.user / 1000 / calls).toFixed(1)}, system ${(cpu.system / 1000 / calls).toFixed(1)})`);
        return problems;
      },
    };
    return {
      system,
      async stop() {
        await answerer.stop();
        await server.stop();
      },
    };
  } catch (err) {
    await server.stop();
    throw err;
  }
}
