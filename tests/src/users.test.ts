import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, createTestTenant, startTestServer, type TestServer } from "./harness.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

describe("users, skills, queues and tenant settings", () => {
  it("an admin creates an agent who can then sign in; e-mails are unique", async () => {
    const t = await createTestTenant(server);
    const created = await api(server, t.admin)
      .post("/api/users")
      .send({ email: "Wang.Fang@Example.com", name: "王芳", role: "agent", password: "a-long-password" });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ email: "wang.fang@example.com", name: "王芳", role: "agent", active: true });

    const login = await api(server).post("/api/auth/login").send({ email: "wang.fang@example.com", password: "a-long-password" });
    expect(login.status).toBe(200);

    const again = await api(server, t.admin).post("/api/users").send({ email: "wang.fang@example.com", name: "x", role: "agent", password: "a-long-password" });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("EMAIL_TAKEN");
  });

  it("only roles with user:manage may create users; bad bodies are 400", async () => {
    const t = await createTestTenant(server);
    const byAgent = await api(server, t.users.agent).post("/api/users").send({ email: "x@example.com", name: "x", role: "admin", password: "a-long-password" });
    expect(byAgent.status).toBe(403);
    expect(byAgent.body.error.code).toBe("FORBIDDEN");
    const shortPassword = await api(server, t.admin).post("/api/users").send({ email: "y@example.com", name: "y", role: "agent", password: "short" });
    expect(shortPassword.status).toBe(400);
    expect(shortPassword.body.error.code).toBe("VALIDATION_FAILED");
    expect(shortPassword.body.error.message).toContain("password");
    const badRole = await api(server, t.admin).post("/api/users").send({ email: "z@example.com", name: "z", role: "overlord", password: "a-long-password" });
    expect(badRole.status).toBe(400);
  });

  it("disabling a user ends their sessions; skills carry levels", async () => {
    const t = await createTestTenant(server);
    const skill = await api(server, t.admin).post("/api/skills").send({ name: "用友U8" });
    expect(skill.status).toBe(201);
    const dup = await api(server, t.admin).post("/api/skills").send({ name: "用友U8" });
    expect(dup.body.error.code).toBe("NAME_TAKEN");

    const withSkill = await api(server, t.admin).patch(`/api/users/${t.users.agent.id}`).send({ skills: [{ skillId: skill.body.data.id, level: 7 }] });
    expect(withSkill.status).toBe(200);
    expect(withSkill.body.data.skills).toEqual([{ skillId: skill.body.data.id, name: "用友U8", level: 7 }]);

    expect((await api(server, t.users.agent).get("/api/auth/me")).status).toBe(200);
    const disabled = await api(server, t.admin).patch(`/api/users/${t.users.agent.id}`).send({ active: false });
    expect(disabled.body.data.active).toBe(false);
    const after = await api(server, t.users.agent).get("/api/auth/me");
    expect(after.status).toBe(401);

    const self = await api(server, t.admin).patch(`/api/users/${t.admin.id}`).send({ active: false });
    expect(self.status).toBe(403);
  });

  it("queues hold members of the tenant only", async () => {
    const t = await createTestTenant(server);
    const other = await createTestTenant(server);
    const q = await api(server, t.admin).post("/api/queues").send({ name: "VIP热线", memberIds: [t.users.vip_agent.id] });
    expect(q.status).toBe(201);
    expect(q.body.data.memberIds).toEqual([t.users.vip_agent.id]);
    const foreign = await api(server, t.admin).patch(`/api/queues/${q.body.data.id}`).send({ memberIds: [other.users.agent.id] });
    expect(foreign.status).toBe(404);
    const stillThere = await api(server, t.users.agent).get(`/api/queues/${q.body.data.id}`);
    expect(stillThere.body.data.memberIds).toEqual([t.users.vip_agent.id]);
    const members = await api(server, t.users.agent).get(`/api/users?queueId=${q.body.data.id}`);
    expect(members.body.data.map((u: { id: string }) => u.id)).toEqual([t.users.vip_agent.id]);
  });

  it("tenant settings validate time zones and are audited", async () => {
    const t = await createTestTenant(server);
    const bad = await api(server, t.admin).patch("/api/tenant").send({ timeZone: "Mars/Olympus" });
    expect(bad.status).toBe(400);
    const ok = await api(server, t.admin).patch("/api/tenant").send({ timeZone: "Europe/Berlin", ticketPrefix: "ACME" });
    expect(ok.body.data).toMatchObject({ timeZone: "Europe/Berlin", ticketPrefix: "ACME" });
    const log = await api(server, t.admin).get("/api/audit-log?entityType=tenant");
    expect(log.body.data.items[0]).toMatchObject({ action: "tenant.updated", actorId: t.admin.id, changes: { time_zone: ["Asia/Shanghai", "Europe/Berlin"] } });
    const noChatsOnCalls = await api(server, t.admin).patch("/api/tenant").send({ chatDuringVoice: false });
    expect(noChatsOnCalls.body.data.chatDuringVoice).toBe(false);
    expect((await api(server, t.users.agent).get("/api/tenant")).body.data).toMatchObject({ chatDuringVoice: false, timeZone: "Europe/Berlin" });
    const byAgent = await api(server, t.users.agent).get("/api/audit-log");
    expect(byAgent.status).toBe(403);
  });

  it("a default country must be a region whose phone numbers are known, so numbers typed without +86 still find their contact", async () => {
    const t = await createTestTenant(server);
    for (const defaultCountry of ["ZZ", "XX", "cn", "CHN"]) {
      const bad = await api(server, t.admin).patch("/api/tenant").send({ defaultCountry });
      expect(bad.status, defaultCountry).toBe(400);
      expect(bad.body.error.code).toBe("VALIDATION_FAILED");
      expect(bad.body.error.message).toContain("body.defaultCountry");
    }
    expect((await api(server, t.admin).get("/api/tenant")).body.data.defaultCountry).toBe("CN");
    const gb = await api(server, t.admin).patch("/api/tenant").send({ defaultCountry: "GB" });
    expect(gb.body.data.defaultCountry).toBe("GB");
    const contact = await api(server, t.admin)
      .post("/api/contacts")
      .send({ name: "Ann", identities: [{ kind: "phone", value: "020 7946 0958" }] });
    expect(contact.status).toBe(201);
    const found = await api(server, t.admin).get("/api/identify").query({ phone: "020 7946 0958" });
    expect(found.body.data.contact.id).toBe(contact.body.data.id);
  });
});
