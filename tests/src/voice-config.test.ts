import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findSipAccount } from "@yixian/server/domain";
import { api, createTestTenant, startTestServer, type TestServer } from "./harness.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const md5 = (s: string) => createHash("md5").update(s).digest("hex");

function trunk(overrides: Record<string, unknown> = {}) {
  return {
    name: "电信 SIP 中继",
    hosts: ["198.51.100.10:5060"],
    allowedSources: ["198.51.100.0/28"],
    callerId: "+864001234567",
    dids: [{ number: "+864001234567", label: "400 热线", queueId: null }],
    ...overrides,
  };
}

describe("SIP trunks", () => {
  it("lets an admin add, list, replace and remove a trunk with its numbers; secrets never come back", async () => {
    const tenant = await createTestTenant(server);
    const admin = api(server, tenant.admin);
    const created = await admin.post("/api/voice/trunks").send(trunk({ digest: { username: "carrier", password: "a long digest secret" }, registration: { registrar: "sip.carrier.example", username: "acct-1", password: "registration secret", expiresSeconds: 600 } }));
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({
      name: "电信 SIP 中继",
      transport: "udp",
      digestUsername: "carrier",
      registration: { registrar: "sip.carrier.example", username: "acct-1", expiresSeconds: 600 },
      dids: [{ number: "+864001234567", label: "400 热线", queueId: null }],
      enabled: true,
    });
    expect(JSON.stringify(created.body)).not.toMatch(/secret/);
    const row = await server.deps.db.selectFrom("sip_trunks").selectAll().where("id", "=", created.body.data.id).executeTakeFirstOrThrow();
    expect(row.digest_ha1_md5).toBe(md5(`carrier:${server.deps.config.sipRealm}:a long digest secret`));
    expect(row.registration_secret).not.toContain("registration secret");
    const audit = await server.deps.db.selectFrom("audit_log").select("changes").where("entity_id", "=", created.body.data.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(audit.changes)).not.toMatch(/secret/);

    const replaced = await admin.put(`/api/voice/trunks/${created.body.data.id}`).send(trunk({ dids: [{ number: "+8675512345678", label: null, queueId: null }, { number: "+864001234567", label: "400", queueId: null }] }));
    expect(replaced.status).toBe(200);
    expect(replaced.body.data.dids.map((d: { number: string }) => d.number)).toEqual(["+8675512345678", "+864001234567"]);
    expect(replaced.body.data.digestUsername).toBeNull();
    expect((await admin.get("/api/voice/trunks")).body.data).toHaveLength(1);
    expect((await admin.delete(`/api/voice/trunks/${created.body.data.id}`)).status).toBe(204);
    expect((await admin.get("/api/voice/trunks")).body.data).toEqual([]);
    expect(await server.deps.db.selectFrom("sip_dids").select("number").where("tenant_id", "=", tenant.id).execute()).toEqual([]);
  });

  it("refuses an open trunk, a bad number, a number another tenant holds, and non-admins", async () => {
    const [a, b] = [await createTestTenant(server), await createTestTenant(server)];
    const open = await api(server, a.admin).post("/api/voice/trunks").send(trunk({ allowedSources: [] }));
    expect(open.status).toBe(400);
    expect(open.body.error.message).toMatch(/allowed sources, a digest user, or both/);
    expect((await api(server, a.admin).post("/api/voice/trunks").send(trunk({ dids: [{ number: "4001234567", label: null, queueId: null }] }))).status).toBe(400);
    expect((await api(server, a.admin).post("/api/voice/trunks").send(trunk({ hosts: ["bad host name!"] }))).status).toBe(400);
    const number = `+86400${String(Date.now()).slice(-7)}`;
    expect((await api(server, a.admin).post("/api/voice/trunks").send(trunk({ dids: [{ number, label: null, queueId: null }] }))).status).toBe(201);
    const taken = await api(server, b.admin).post("/api/voice/trunks").send(trunk({ dids: [{ number, label: null, queueId: null }] }));
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe("DID_TAKEN");
    expect((await api(server, a.users.supervisor).get("/api/voice/trunks")).status).toBe(403);
    expect((await api(server, a.users.agent).post("/api/voice/trunks").send(trunk())).status).toBe(403);
    // tenants never see each other's trunks
    expect((await api(server, b.admin).get("/api/voice/trunks")).body.data).toEqual([]);
  });
});

describe("agents' SIP devices and the softphone", () => {
  it("gives each agent an extension and a desk-phone password shown once, which the registrar can check", async () => {
    const tenant = await createTestTenant(server);
    const agent = tenant.users.agent;
    const device = await api(server, agent).get(`/api/users/${agent.id}/sip-device`);
    expect(device.status).toBe(200);
    expect(device.body.data).toMatchObject({ extension: "1001", username: `${tenant.slug}.1001`, registrations: [], server: { address: "127.0.0.1", udpPort: null, tcpPort: null, tlsPort: null } });
    expect(device.body.data).not.toHaveProperty("password");
    const other = await api(server, tenant.users.supervisor).get(`/api/users/${tenant.users.supervisor.id}/sip-device`);
    expect(other.body.data.extension).toBe("1002");

    const rotated = await api(server, agent).post(`/api/users/${agent.id}/sip-device/password`);
    expect(rotated.status).toBe(201);
    const { username, realm, password } = rotated.body.data as { username: string; realm: string; password: string };
    expect(password).toMatch(/^[A-Za-z0-9]{16}$/);
    const account = await findSipAccount(server.deps, username);
    expect(account?.device.md5).toBe(md5(`${username}:${realm}:${password}`));
    expect(account).toMatchObject({ tenantId: tenant.id, userId: agent.id });

    // an agent may not set a colleague's password; an admin may
    expect((await api(server, agent).post(`/api/users/${tenant.users.supervisor.id}/sip-device/password`)).status).toBe(403);
    expect((await api(server, tenant.admin).post(`/api/users/${agent.id}/sip-device/password`)).status).toBe(201);
    expect((await findSipAccount(server.deps, username))?.device.md5).not.toBe(md5(`${username}:${realm}:${password}`));
  });

  it("hands the console a softphone password that works only while its session lives", async () => {
    const tenant = await createTestTenant(server);
    const agent = tenant.users.agent;
    const creds = await api(server, agent).get("/api/me/softphone");
    expect(creds.status).toBe(200);
    expect(creds.body.data).toMatchObject({ username: `${tenant.slug}.1001`, uri: `sip:${tenant.slug}.1001@${server.deps.config.sipRealm}`, websocketPath: "/sip", iceServers: [], media: "unavailable" });
    const { username, realm, password } = creds.body.data as { username: string; realm: string; password: string };
    const expected = md5(`${username}:${realm}:${password}`);
    expect((await findSipAccount(server.deps, username))?.sessions.map((s) => s.md5)).toContain(expected);
    // signed out: that password no longer registers
    expect((await api(server, agent).post("/api/auth/logout")).status).toBeLessThan(300);
    expect((await findSipAccount(server.deps, username))?.sessions.map((s) => s.md5)).not.toContain(expected);
    // roles without calls get no softphone
    expect((await api(server, tenant.users.field_engineer).get("/api/me/softphone")).status).toBe(403);
  });
});
