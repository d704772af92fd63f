import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, runSipp, sippInstalled, SIPP_MISSING } from "../../telephony/src/sip/interop/sipp.ts";
import { TEST_TIMERS } from "../../telephony/src/sip/interop/test-peers.ts";
import { getHeader, register, sipUri, startSipStack } from "../../telephony/src/sip/index.ts";
import { api, createTestTenant, startTestServer, type TestServer, type TestTenant } from "./harness.ts";
import { sipPort, voiceQueue } from "./phone-kit.ts";
import { addUser } from "./routing-kit.ts";

// A trunk's gate with real sipp as the provider and as a scanner: digest challenges (407, then
// admitted with the right password, 403 with a wrong one) and the rate limit per source address
// (a burst of calls, or of REGISTERs with a wrong password, gets 503 with Retry-After after the
// limit; another address is not affected). Each test calls from its own loopback address, so
// the limit of one does not touch another.
const SIPP_DIR = join(fileURLToPath(new URL(".", import.meta.url)), "sipp");
const BURST = 5;
let server: TestServer;
let tenant: TestTenant;
let queueId: string;

beforeAll(async () => {
  expect(sippInstalled, SIPP_MISSING).toBe(true);
  const portMin = 20000 + Math.floor(Math.random() * 90) * 100;
  server = await startTestServer({
    env: { SIP_UDP_PORT: "0", RTPENGINE_URL: "own", RTP_PORT_MIN: String(portMin), RTP_PORT_MAX: String(portMin + 99), SIP_RATE_LIMIT_BURST: String(BURST), SIP_RATE_LIMIT_PER_SECOND: "0.01" },
  });
  expect(server.phone.calls, server.phone.mediaStatus).not.toBeNull();
  tenant = await createTestTenant(server);
  queueId = await voiceQueue(server, tenant, [await addUser(server, tenant, "李娜")]);
});
afterAll(async () => {
  await server?.stop();
});

let seq = 0;
async function digestTrunk(options: { allowedSources?: string[] } = {}): Promise<string> {
  seq += 1;
  const number = `+86400${String(Date.now() % 100_000).padStart(5, "0")}${String(seq).padStart(2, "0")}`;
  const created = await api(server, tenant.admin)
    .post("/api/voice/trunks")
    .send({ name: `provider ${seq}`, hosts: ["127.0.0.1"], allowedSources: options.allowedSources ?? [], digest: { username: `provider${seq}`, password: "correct horse battery" }, dids: [{ number, label: null, queueId }] });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return number;
}

/** Runs sipp from `source` with a scenario of tests/src/sipp/; answers the lines it logged (`status …`). */
async function sipp(source: string, scenario: "trunk-probe" | "trunk-digest", number: string, extra: string[] = []): Promise<{ code: number | null; statuses: string[] }> {
  const log = join(mkdtempSync(join(tmpdir(), "sipp-log-")), "log.txt");
  const run = runSipp(
    [`127.0.0.1:${sipPort(server)}`, "-sf", join(SIPP_DIR, `${scenario}.xml`), "-s", number, "-i", source, "-p", String(await freePort()), "-mi", source, "-mp", String(await freePort()), "-trace_logs", "-log_file", log, ...extra],
    30_000,
  );
  const result = await run.done;
  let text = "";
  try {
    text = readFileSync(log, "latin1");
  } catch {
    // sipp logged nothing
  }
  const statuses = text.split("\n").map((l) => l.trim()).filter((l) => l.startsWith("status "));
  expect(statuses.length, `sipp: ${result.output.slice(-1500)}\n${result.errors.slice(-1500)}`).toBeGreaterThan(0);
  return { code: result.code, statuses };
}

describe("a trunk with digest credentials", () => {
  it("challenges a call without credentials with 407", async () => {
    const number = await digestTrunk();
    const { statuses } = await sipp("127.0.0.11", "trunk-probe", number, ["-m", "1"]);
    expect(statuses).toEqual(["status 407"]);
  });

  it("admits the provider's call with the right credentials: answered and recorded as a call", async () => {
    const number = await digestTrunk();
    const { code, statuses } = await sipp("127.0.0.12", "trunk-digest", number, ["-m", "1", "-au", `provider${seq}`, "-ap", "correct horse battery"]);
    expect(statuses).toEqual(["status 407", "status 200"]);
    expect(code).toBe(0);
    const calls = await server.deps.db.selectFrom("calls").select(["did", "direction"]).where("tenant_id", "=", tenant.id).where("did", "=", number).execute();
    expect(calls).toEqual([{ did: number, direction: "inbound" }]);
  });

  it("refuses wrong credentials with 403 and stores no call", async () => {
    const number = await digestTrunk();
    const { statuses } = await sipp("127.0.0.13", "trunk-digest", number, ["-m", "1", "-au", `provider${seq}`, "-ap", "wrong horse battery"]);
    expect(statuses).toEqual(["status 407", "status 403"]);
    expect(await server.deps.db.selectFrom("calls").select("id").where("did", "=", number).execute()).toEqual([]);
  });

  it("with an allow-list too, refuses a source not on it before any challenge", async () => {
    const number = await digestTrunk({ allowedSources: ["127.0.0.15"] });
    expect((await sipp("127.0.0.14", "trunk-probe", number, ["-m", "1"])).statuses).toEqual(["status 403"]);
    expect((await sipp("127.0.0.15", "trunk-probe", number, ["-m", "1"])).statuses).toEqual(["status 407"]);
  });
});

describe("the rate limit per source address", () => {
  it("answers a burst of calls from one address with 503 and Retry-After past the limit, and another address is not affected", async () => {
    const unknown = "+864009999999";
    const burst = await sipp("127.0.0.21", "trunk-probe", unknown, ["-m", String(2 * BURST), "-r", "50"]);
    expect(burst.statuses.filter((s) => s === "status 403")).toHaveLength(BURST);
    const busy = burst.statuses.filter((s) => s.startsWith("status 503"));
    expect(busy).toHaveLength(BURST);
    for (const line of busy) expect(Number(/retry (\d+)/.exec(line)?.[1])).toBeGreaterThan(0);

    const other = await sipp("127.0.0.22", "trunk-probe", unknown, ["-m", "1"]);
    expect(other.statuses).toEqual(["status 403"]);
  });

  it("does not limit a trunk's own source address: a provider may send many calls at once", async () => {
    const number = await digestTrunk({ allowedSources: ["127.0.0.40/30"] });
    await expect.poll(() => server.phone.trusted.has("127.0.0.41")).toBe(true);
    const burst = await sipp("127.0.0.41", "trunk-probe", number, ["-m", String(3 * BURST), "-r", "50"]);
    expect(burst.statuses).toEqual(Array.from({ length: 3 * BURST }, () => "status 407"));
    // its neighbour outside the trunk's network is limited as before
    const outside = await sipp("127.0.0.45", "trunk-probe", number, ["-m", String(2 * BURST), "-r", "50"]);
    expect(outside.statuses.filter((s) => s.startsWith("status 503"))).toHaveLength(BURST);
  });

  it("counts REGISTERs with a wrong password against the address: past the limit they get 503, and the right password from another address still registers", async () => {
    const agent = await addUser(server, tenant, "王伟");
    const rotated = await api(server, agent).post(`/api/users/${agent.id}/sip-device/password`);
    expect(rotated.status).toBe(201);
    const { username, realm, password } = rotated.body.data as { username: string; realm: string; password: string };
    const attempt = async (address: string, secret: string) => {
      const phone = await startSipStack({ udp: { address, port: 0 }, timers: TEST_TIMERS });
      try {
        const port = sipPort(server);
        return await register(phone.ua, {
          registrar: sipUri("127.0.0.1", { port }),
          aor: { uri: sipUri(realm, { user: username }), params: new Map() },
          expires: 600,
          credentials: { username, password: secret },
          destination: { transport: "udp", address: "127.0.0.1", port },
        });
      } finally {
        await phone.close();
      }
    };
    for (let i = 0; i < BURST; i++) expect((await attempt("127.0.0.31", "guessed password")).status).toBe(401);
    const limited = await attempt("127.0.0.31", "guessed password");
    expect(limited.status).toBe(503);
    expect(Number(getHeader(limited, "Retry-After"))).toBeGreaterThan(0);
    expect((await attempt("127.0.0.32", password)).status).toBe(200);
  });
});
