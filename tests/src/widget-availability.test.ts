import supertest from "supertest";
import { describe, expect, it } from "vitest";
import { api, createTestTenant, type TestServer } from "./harness.ts";
import { acceptedChat, addUser, makeQueue, serverWithAgents, setCapacity, setPresence, startChat, heardOf } from "./routing-kit.ts";
import { makeWidget } from "./widget-kit.ts";

// What the widget tells a customer (chat now, or leave a message) follows what routing would do
// with their chat, per medium: the same queue choice and the same eligibility as the dispatcher.

let server: TestServer;
const agents = serverWithAgents((s) => (server = s));

async function widgetSays(widgetKey: string): Promise<{ open: boolean; available: boolean }> {
  const res = await supertest(server.url).get(`/api/widget/${widgetKey}/config`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { open: res.body.data.open as boolean, available: res.body.data.available as boolean };
}

describe("customer-facing availability", () => {
  it("stays available while a busy agent has free chat capacity, and says leave a message once chats are full", async () => {
    const tenant = await createTestTenant(server);
    const li = await addUser(server, tenant, "李娜");
    const queueId = await makeQueue(server, tenant, [li], { strategy: "least_busy" });
    const widget = await makeWidget(server, tenant, { defaultQueueId: queueId });
    const { heard } = await agents.agentSocket(li);
    await setCapacity(server, tenant, li, { chat: 2 });
    await setPresence(server, li, "available");
    expect(await widgetSays(widget.publicKey)).toEqual({ open: true, available: true });

    // an e-mail first (as in the demo): busy, chats 0/2
    const email = await startChat(server, tenant, { channel: "email", queueId, subject: "发票" });
    const offer = await heardOf(heard.offers, (o) => o.conversationId === email.id, "the e-mail's offer");
    expect((await api(server, li).post(`/api/offers/${offer.offerId}/accept`)).status).toBe(200);
    expect((await api(server, li).get("/api/presence/me")).body.data).toMatchObject({ state: "busy", load: { email: 1, chat: 0 } });
    expect(await widgetSays(widget.publicKey)).toEqual({ open: true, available: true });

    // one chat: 1/2, still room
    await acceptedChat(server, tenant, queueId, li, heard);
    expect(await widgetSays(widget.publicKey)).toEqual({ open: true, available: true });

    // two chats: 2/2; e-mail room does not make a chat possible
    await acceptedChat(server, tenant, queueId, li, heard);
    expect((await api(server, li).get("/api/presence/me")).body.data.load).toMatchObject({ chat: 2, email: 1 });
    expect(await widgetSays(widget.publicKey)).toEqual({ open: true, available: false });
  });

  it("asks the queue the navigation rules pick for the widget's entry point, with the queue's skills", async () => {
    const tenant = await createTestTenant(server);
    const front = await addUser(server, tenant, "王芳");
    const expert = await addUser(server, tenant, "刘洋");
    const frontQueue = await makeQueue(server, tenant, [front]);
    const expertQueue = await makeQueue(server, tenant, [expert]);
    const widget = await makeWidget(server, tenant, { defaultQueueId: frontQueue, entryPoint: "web-expert" });
    await setPresence(server, front, "available");
    expect(await widgetSays(widget.publicKey)).toMatchObject({ available: true });

    // a rule sends this widget's chats to the expert queue, whose only agent is offline
    const rule = await api(server, tenant.users.supervisor)
      .post("/api/routing-rules")
      .send({ name: "Expert widget", conditions: { channels: ["webchat"], entryPoints: ["web-expert"] }, action: { type: "queue", queueId: expertQueue } });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    expect(await widgetSays(widget.publicKey)).toMatchObject({ available: false });
    await setPresence(server, expert, "available");
    expect(await widgetSays(widget.publicKey)).toMatchObject({ available: true });

    // the queue now wants a skill the expert lacks: routing would not offer, so neither does the widget
    const skill = await api(server, tenant.admin).post("/api/skills").send({ name: `税务 ${Math.random().toString(36).slice(2, 6)}` });
    expect(skill.status, JSON.stringify(skill.body)).toBe(201);
    const skilled = await api(server, tenant.admin).patch(`/api/queues/${expertQueue}/routing`).send({ requiredSkills: [{ skillId: skill.body.data.id, minLevel: 5 }] });
    expect(skilled.status, JSON.stringify(skilled.body)).toBe(200);
    expect(await widgetSays(widget.publicKey)).toMatchObject({ available: false });
  });
});
