import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, createTestTenant, startTestServer, type TestServer, type TestTenant } from "./harness.ts";
import { addUser, makeContact } from "./routing-kit.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

interface Reply {
  id: string;
  scope: string;
  shortcut: string;
  title: string;
  usageCount: number;
}

async function save(tenant: TestTenant, who: "agent" | "supervisor", body: Record<string, unknown>): Promise<Reply> {
  const res = await api(server, tenant.users[who]).post("/api/canned-replies").send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data as Reply;
}

async function search(tenant: TestTenant, who: "agent" | "senior_agent", q?: string): Promise<Reply[]> {
  const res = await api(server, tenant.users[who]).get("/api/canned-replies").query(q === undefined ? {} : { q });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data as Reply[];
}

describe("canned replies", () => {
  it("finds the agent's own /发票 and the tenant's replies by shortcut prefix and by words, own first", async () => {
    const tenant = await createTestTenant(server);
    const own = await save(tenant, "agent", { shortcut: "/发票", title: "发票打印", body: "您好，发票打印问题我们来处理。", category: "发票", tags: ["打印"] });
    const shared = await save(tenant, "supervisor", { scope: "tenant", shortcut: "/发票重开", title: "Reissue an invoice", body: "发票可以重开，请提供税号。" });
    const hello = await save(tenant, "supervisor", { scope: "tenant", shortcut: "/hello", title: "Greeting", body: "Hello {{contact.name}}, how can I help?" });
    await api(server, tenant.users.senior_agent).post("/api/canned-replies").send({ shortcut: "/发票", title: "someone else's", body: "不给别人看" });

    expect(own).toMatchObject({ scope: "personal", usageCount: 0 });
    expect((await search(tenant, "agent", "/发")).map((r) => r.id)).toEqual([own.id, shared.id]);
    expect((await search(tenant, "agent", "发票")).map((r) => r.id)).toEqual([own.id, shared.id]);
    expect((await search(tenant, "agent", "税号")).map((r) => r.id)).toEqual([shared.id]);
    expect((await search(tenant, "agent", "/HEL")).map((r) => r.id)).toEqual([hello.id]);
    expect((await search(tenant, "agent", "how can")).map((r) => r.id)).toEqual([hello.id]);
    expect((await search(tenant, "agent", "%")).map((r) => r.id)).toEqual([]);
    expect(await search(tenant, "agent")).toHaveLength(3);
    expect(await search(tenant, "senior_agent")).toHaveLength(3);
  });

  it("renders the customer's name, the agent's name and the ticket number for a conversation, counting each use", async () => {
    const tenant = await createTestTenant(server);
    const li = await addUser(server, tenant, "李雷");
    const reply = await api(server, li).post("/api/canned-replies").send({ shortcut: "/hi", title: "问候", body: "{{contact.name}}您好，我是{{agent.name}}，您的工单号是 {{ticket.number}}。" });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    const contactId = await makeContact(server, tenant);
    const contact = await server.deps.db.selectFrom("contacts").select("name").where("id", "=", contactId).executeTakeFirstOrThrow();
    const chat = await api(server, li).post("/api/conversations").send({ channel: "webchat", contactId, subject: "发票打印不出来" });
    const accepted = await api(server, li).post(`/api/conversations/${chat.body.data.id}/accept`);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    const ticket = await api(server, li).get(`/api/tickets/${accepted.body.data.ticketId}`);

    const first = await api(server, li).post(`/api/canned-replies/${reply.body.data.id}/render`).send({ conversationId: chat.body.data.id });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.data.text).toBe(`${contact.name}您好，我是李雷，您的工单号是 ${ticket.body.data.number}。`);
    expect(first.body.data.usageCount).toBe(1);
    const second = await api(server, li).post(`/api/canned-replies/${reply.body.data.id}/render`).send({ conversationId: chat.body.data.id });
    expect(second.body.data.usageCount).toBe(2);

    const missing = await api(server, li).post(`/api/canned-replies/${reply.body.data.id}/render`).send({ conversationId: "00000000-0000-7000-8000-000000000000" });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("NOT_FOUND");
  });

  it("lets supervisors manage the tenant's replies and each agent only their own", async () => {
    const tenant = await createTestTenant(server);
    const refused = await api(server, tenant.users.agent).post("/api/canned-replies").send({ scope: "tenant", shortcut: "/all", title: "x", body: "x" });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("FORBIDDEN");
    const shared = await save(tenant, "supervisor", { scope: "tenant", shortcut: "/thanks", title: "Thanks", body: "谢谢您的耐心" });
    const own = await save(tenant, "agent", { shortcut: "/mine", title: "Mine", body: "我的" });

    const agentEdit = await api(server, tenant.users.agent).patch(`/api/canned-replies/${shared.id}`).send({ title: "changed" });
    expect(agentEdit.status).toBe(403);
    expect(agentEdit.body.error.code).toBe("FORBIDDEN");
    const otherAgent = await api(server, tenant.users.senior_agent).patch(`/api/canned-replies/${own.id}`).send({ title: "changed" });
    expect(otherAgent.status).toBe(404);
    expect((await api(server, tenant.users.senior_agent).delete(`/api/canned-replies/${own.id}`)).status).toBe(404);

    const renamed = await api(server, tenant.users.supervisor).patch(`/api/canned-replies/${shared.id}`).send({ title: "Thank you", shortcut: "/thx" });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body.data).toMatchObject({ title: "Thank you", shortcut: "/thx" });
    const taken = await api(server, tenant.users.agent).post("/api/canned-replies").send({ shortcut: "/MINE", title: "again", body: "again" });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe("CONFLICT");
    const badShortcut = await api(server, tenant.users.agent).post("/api/canned-replies").send({ shortcut: "no slash", title: "x", body: "x" });
    expect(badShortcut.status).toBe(400);

    expect((await api(server, tenant.users.agent).delete(`/api/canned-replies/${own.id}`)).status).toBe(204);
    expect((await search(tenant, "agent")).map((r) => r.shortcut)).toEqual(["/thx"]);
    const audit = await api(server, tenant.admin).get("/api/audit-log").query({ entityType: "canned_reply" });
    const actions = (audit.body.data.items as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["canned_reply.created", "canned_reply.updated", "canned_reply.deleted"]));
  });
});
