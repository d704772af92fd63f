import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Trunk } from "@yixian/contracts";
import { getHeader, type SipRequest } from "../../telephony/src/sip/index.ts";
import { PROVIDER_PASSWORD as PASSWORD, provider } from "./provider-kit.ts";
import { api, createTestTenant, startTestServer, type TestServer, type TestTenant } from "./harness.ts";

// Outbound registration of a trunk to its provider: the provider's registrar is our own SIP stack
// in the test (digest, and a granted Expires of 2 s so the refresh comes after 1 s). What a user
// notices: the provider sees REGISTER with digest, a refresh, and the unREGISTER when the trunk is
// disabled or the server stops; the trunks API shows registered / failing (why) / off.
let server: TestServer;
let tenant: TestTenant;
let seq = 0;

beforeAll(async () => {
  server = await startTestServer({ env: { SIP_UDP_PORT: "0" } });
  tenant = await createTestTenant(server);
});
afterAll(async () => {
  await server?.stop();
});

function trunkInput(port: number, overrides: { password?: string; enabled?: boolean } = {}) {
  return {
    name: `provider ${seq}`,
    hosts: ["127.0.0.1"],
    allowedSources: ["127.0.0.1"],
    registration: { registrar: `127.0.0.1:${port}`, username: "yixian-trunk", password: overrides.password ?? PASSWORD, expiresSeconds: 60 },
    enabled: overrides.enabled ?? true,
  };
}

async function status(s: TestServer, trunkId: string): Promise<Trunk["registrationStatus"]> {
  const res = await api(s, tenant.admin).get(`/api/voice/trunks/${trunkId}`);
  expect(res.status).toBe(200);
  return (res.body.data as Trunk).registrationStatus;
}

const authorized = (r: SipRequest) => getHeader(r, "Authorization") !== undefined;
const expiresOf = (r: SipRequest) => getHeader(r, "Expires");

describe("a trunk registering at its provider", () => {
  it("registers with digest, refreshes before the granted time runs out, shows it, unregisters when the trunk is disabled, registers again when it is enabled and unregisters when it is deleted", async () => {
    const p = await provider();
    seq += 1;
    try {
      const created = await api(server, tenant.admin).post("/api/voice/trunks").send(trunkInput(p.port));
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const trunkId = (created.body.data as Trunk).id;

      // registered, then refreshed at half of the 2 s granted: the same Call-ID, a higher CSeq
      await p.until((c) => c.length >= 2 && c.every((b) => b.length === 1), "a registration and its refresh");
      const done = p.registers.filter(authorized);
      expect(done.length).toBeGreaterThanOrEqual(2);
      expect(new Set(done.map((r) => r.callId)).size).toBe(1);
      expect(done[1]!.cseq.seq).toBeGreaterThan(done[0]!.cseq.seq);
      expect(getHeader(done[0]!, "Authorization")).toMatch(/^Digest username="yixian-trunk", realm="provider.example"/);
      await vi.waitFor(async () => expect(await status(server, trunkId)).toMatchObject({ state: "registered", reason: null, since: expect.any(String), expiresAt: expect.any(String) }), { timeout: 5_000, interval: 50 });

      // disabled: the binding is removed at the provider (Expires: 0) and the trunk shows off
      const saved = await api(server, tenant.admin).put(`/api/voice/trunks/${trunkId}`).send(trunkInput(p.port, { enabled: false }));
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
      await p.until((c) => c.at(-1)?.length === 0, "the unREGISTER");
      expect(expiresOf(p.registers.at(-1)!)).toBe("0");
      await vi.waitFor(async () => expect((await status(server, trunkId))?.state).toBe("off"), { timeout: 5_000, interval: 50 });

      // enabled again: registered again; deleted: removed at the provider
      expect((await api(server, tenant.admin).put(`/api/voice/trunks/${trunkId}`).send(trunkInput(p.port))).status).toBe(200);
      const changesBefore = p.changes.length;
      await p.until((c) => c.length > changesBefore && c.at(-1)?.length === 1, "the registration after enabling");
      expect((await api(server, tenant.admin).delete(`/api/voice/trunks/${trunkId}`)).status).toBe(204);
      await p.until((c) => c.at(-1)?.length === 0, "the unREGISTER after deleting");
      expect(expiresOf(p.registers.at(-1)!)).toBe("0");
    } finally {
      await p.close();
    }
  });

  it("shows failing with the provider's answer when the password is wrong", async () => {
    const p = await provider();
    seq += 1;
    try {
      const created = await api(server, tenant.admin).post("/api/voice/trunks").send(trunkInput(p.port, { password: "not the secret at all" }));
      expect(created.status).toBe(201);
      const trunkId = (created.body.data as Trunk).id;
      await vi.waitFor(async () => expect(await status(server, trunkId)).toMatchObject({ state: "failing", reason: "401 Unauthorized", expiresAt: null }), { timeout: 10_000, interval: 50 });
      expect(p.changes).toEqual([]);
      // deleted: nothing was registered, so nothing to remove; the provider hears no more
      expect((await api(server, tenant.admin).delete(`/api/voice/trunks/${trunkId}`)).status).toBe(204);
    } finally {
      await p.close();
    }
  });

  // last: it stops the server
  it("is removed at the provider when the server stops", async () => {
    const p = await provider();
    seq += 1;
    try {
      const created = await api(server, tenant.admin).post("/api/voice/trunks").send(trunkInput(p.port));
      expect(created.status).toBe(201);
      await p.until((c) => c.some((b) => b.length === 1), "a registration");
      await server.stop();
      await p.until((c) => c.at(-1)?.length === 0, "the unREGISTER at stop");
      expect(expiresOf(p.registers.at(-1)!)).toBe("0");
    } finally {
      await p.close();
    }
  });
});
