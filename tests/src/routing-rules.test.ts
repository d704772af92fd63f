import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTransaction, systemCtx } from "../../server/src/domain/context.ts";
import { enqueueWork } from "../../server/src/domain/routing/enqueue-work.ts";
import { api, createTestTenant, startTestServer, type TestServer, type TestTenant } from "./harness.ts";
import { itemOf, makeContact, makeQueue, startChat, until } from "./routing-kit.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const YESTERDAY = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
const NEXT_YEAR = new Date(Date.now() + 400 * 86_400_000).toISOString().slice(0, 10);

async function addRule(tenant: TestTenant, body: Record<string, unknown>): Promise<{ id: string; position: number }> {
  const res = await api(server, tenant.users.supervisor).post("/api/routing-rules").send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data as { id: string; position: number };
}

async function ruleNames(tenant: TestTenant): Promise<string[]> {
  const res = await api(server, tenant.users.supervisor).get("/api/routing-rules");
  expect(res.status).toBe(200);
  return (res.body.data as { name: string; position: number }[]).map((r) => `${r.position}:${r.name}`);
}

describe("navigation rules", () => {
  it("are kept in order: added at a position, reordered, disabled and deleted", async () => {
    const tenant = await createTestTenant(server);
    const queueId = await makeQueue(server, tenant, []);
    const route = { type: "queue", queueId };
    const a = await addRule(tenant, { name: "A", action: route });
    const b = await addRule(tenant, { name: "B", action: route });
    const c = await addRule(tenant, { name: "C", action: route, position: 1 });
    expect(await ruleNames(tenant)).toEqual(["1:C", "2:A", "3:B"]);

    const reordered = await api(server, tenant.users.supervisor).post("/api/routing-rules/reorder").send({ routingRuleIds: [b.id, c.id, a.id] });
    expect(reordered.status).toBe(200);
    expect(await ruleNames(tenant)).toEqual(["1:B", "2:C", "3:A"]);
    const partial = await api(server, tenant.users.supervisor).post("/api/routing-rules/reorder").send({ routingRuleIds: [b.id, c.id] });
    expect(partial.status).toBe(400);
    expect(partial.body.error.code).toBe("VALIDATION_FAILED");

    const disabled = await api(server, tenant.users.supervisor).patch(`/api/routing-rules/${c.id}`).send({ enabled: false, name: "C off" });
    expect(disabled.body.data).toMatchObject({ enabled: false, name: "C off", position: 2 });
    expect((await api(server, tenant.users.supervisor).delete(`/api/routing-rules/${b.id}`)).status).toBe(204);
    expect(await ruleNames(tenant)).toEqual(["1:C off", "2:A"]);

    const foreign = await api(server, tenant.users.supervisor).post("/api/routing-rules").send({ name: "X", action: { type: "queue", queueId: "00000000-0000-7000-8000-000000000000" } });
    expect(foreign.status).toBe(404);
    const agent = await api(server, tenant.users.agent).get("/api/routing-rules");
    expect(agent.status).toBe(403);
  });

  it("explain which rule a described contact matches: the first enabled match wins", async () => {
    const tenant = await createTestTenant(server);
    const vipQueue = await makeQueue(server, tenant, []);
    const hotline = await makeQueue(server, tenant, []);
    const english = await makeQueue(server, tenant, []);
    await addRule(tenant, { name: "VIP", conditions: { vip: true }, action: { type: "queue", queueId: vipQueue, priorityBoost: 10 } });
    await addRule(tenant, { name: "Expired pack", conditions: { identified: true, serviceStatuses: ["expired"] }, action: { type: "message", text: "您的服务已过期，请续费" } });
    await addRule(tenant, { name: "Hotline, finance", conditions: { channels: ["phone"], entryPoints: ["4008123456"], menuChoices: ["2"] }, action: { type: "queue", queueId: hotline } });
    await addRule(tenant, { name: "Catch-all (off)", enabled: false, action: { type: "queue", queueId: hotline } });
    await addRule(tenant, { name: "English", conditions: { languages: ["en"] }, action: { type: "queue", queueId: english } });
    const expired = await makeContact(server, tenant, { servicePack: "standard", expiresOn: YESTERDAY });
    const test = (body: Record<string, unknown>) => api(server, tenant.users.supervisor).post("/api/routing-rules/test").send(body);

    const renewal = await test({ channel: "wechat", contactId: expired });
    expect(renewal.status, JSON.stringify(renewal.body)).toBe(200);
    expect(renewal.body.data.matched.name).toBe("Expired pack");
    expect(renewal.body.data.action).toEqual({ type: "message", text: "您的服务已过期，请续费" });
    expect(renewal.body.data.facts).toMatchObject({ identified: true, serviceStatus: "expired", servicePack: "standard", vip: false });
    expect(renewal.body.data.rules.map((r: { outcome: string }) => r.outcome)).toEqual(["not_matched", "matched", "not_reached", "not_reached", "not_reached"]);
    expect(renewal.body.data.rules[0].checks).toEqual([{ condition: "vip", expected: true, actual: false, ok: false }]);
    expect(renewal.body.data.explanation).toContain('"Expired pack"');

    const call = await test({ channel: "phone", entryPoint: "4008123456", menuChoice: "2" });
    expect(call.body.data.matched.name).toBe("Hotline, finance");
    const wrongMenu = await test({ channel: "phone", entryPoint: "4008123456", menuChoice: "1", language: "en-US" });
    expect(wrongMenu.body.data.matched.name).toBe("English");
    expect(wrongMenu.body.data.rules.map((r: { outcome: string }) => r.outcome)).toEqual(["not_matched", "not_matched", "not_matched", "disabled", "matched"]);
    const vip = await test({ channel: "webchat", contactId: expired, customer: { vip: true } });
    expect(vip.body.data.matched.name).toBe("VIP");
    const nobody = await test({ channel: "email" });
    expect(nobody.body.data.matched).toBeNull();
    expect(nobody.body.data.explanation).toMatch(/no rule matched/);
  });
});

describe("routing by the rules", () => {
  it("sends an expired pack to the service-operations queue and records the decision on the ticket's timeline", async () => {
    const tenant = await createTestTenant(server);
    const hotline = await makeQueue(server, tenant, []);
    const operations = await makeQueue(server, tenant, [tenant.users.service_operations]);
    await addRule(tenant, { name: "VIP first", conditions: { vip: true }, action: { type: "queue", queueId: hotline, priorityBoost: 5 } });
    const rule = await addRule(tenant, { name: "过期转服务运营", conditions: { serviceStatuses: ["expired"] }, action: { type: "queue", queueId: operations } });
    const expired = await makeContact(server, tenant, { servicePack: "vip", expiresOn: YESTERDAY });
    const active = await makeContact(server, tenant, { servicePack: "vip", expiresOn: NEXT_YEAR });
    const ticket = await api(server, tenant.users.agent).post("/api/tickets").send({ subject: "续费咨询", contactId: expired });
    expect(ticket.status).toBe(201);

    const chat = await startChat(server, tenant, { contactId: expired, queueId: hotline });
    expect(chat.ticketId).toBe(ticket.body.data.id);
    const item = await itemOf(server, chat.id);
    expect(item).toMatchObject({ queue_id: operations, rule_id: rule.id, state: "waiting", ticket_id: chat.ticketId });
    expect(item.decision).toMatchObject({ rule: { id: rule.id, name: "过期转服务运营" }, serviceStatus: "expired" });

    const timeline = await api(server, tenant.users.agent).get(`/api/tickets/${chat.ticketId}/timeline`);
    const routed = timeline.body.data.items.filter((e: { kind: string }) => e.kind === "routed");
    expect(routed).toHaveLength(1);
    expect(routed[0].data).toMatchObject({ queueId: operations, ruleId: rule.id, rule: { name: "过期转服务运营" } });
    expect(routed[0].data.explanation).toContain("过期转服务运营");

    // no rule matches an active pack: the conversation's own queue
    const other = await startChat(server, tenant, { contactId: active, queueId: hotline });
    expect(await itemOf(server, other.id)).toMatchObject({ queue_id: hotline, rule_id: null });
  });

  it("answers with the renewal message instead of queueing, and routes by entry point and menu choice", async () => {
    const tenant = await createTestTenant(server);
    const hotline = await makeQueue(server, tenant, [], { priority: 2 });
    const finance = await makeQueue(server, tenant, []);
    await addRule(tenant, { name: "Renewal", conditions: { serviceStatuses: ["expired"] }, action: { type: "message", text: "请续费后再来" } });
    const finance2 = await addRule(tenant, { name: "Finance menu", conditions: { entryPoints: ["4008123456"], menuChoices: ["2"] }, action: { type: "queue", queueId: finance, priorityBoost: 3 } });
    const expired = await makeContact(server, tenant, { servicePack: "standard", expiresOn: YESTERDAY });

    const chat = await startChat(server, tenant, { contactId: expired, queueId: hotline });
    const items = await server.deps.db.selectFrom("work_items").select("id").where("conversation_id", "=", chat.id).execute();
    expect(items).toEqual([]);
    const ctx = systemCtx(server.deps, tenant.id);
    const answer = await inTransaction(ctx, (tx) => enqueueWork(tx, ctx, { conversationId: chat.id, channel: "webchat" }));
    expect(answer).toMatchObject({ kind: "message", text: "请续费后再来" });

    const ticket = await api(server, tenant.users.agent).post("/api/tickets").send({ subject: "来电", queueId: hotline });
    expect(ticket.status, JSON.stringify(ticket.body)).toBe(201);
    const routed = await inTransaction(ctx, (tx) => enqueueWork(tx, ctx, { ticketId: ticket.body.data.id, channel: "phone", entryPoint: "4008123456", menuChoice: "2" }));
    expect(routed.kind).toBe("queued");
    if (routed.kind !== "queued") return;
    expect(routed.item).toMatchObject({ queue_id: finance, rule_id: finance2.id, priority: 3, media: "voice", ticket_id: ticket.body.data.id });
    const again = await inTransaction(ctx, (tx) => enqueueWork(tx, ctx, { ticketId: ticket.body.data.id, channel: "phone" }));
    expect(again).toMatchObject({ kind: "existing", item: { id: routed.item.id } });
  });
});

describe("conversations through the API", () => {
  it("route by the entry point, menu choice and language they came in with", async () => {
    const tenant = await createTestTenant(server);
    const general = await makeQueue(server, tenant, []);
    const english = await makeQueue(server, tenant, []);
    const rule = await addRule(tenant, {
      name: "English line",
      conditions: { entryPoints: ["4008123456"], menuChoices: ["9"], languages: ["en"] },
      action: { type: "queue", queueId: english },
    });
    const agent = api(server, tenant.users.agent);
    const matching = await agent
      .post("/api/conversations")
      .send({ channel: "phone", queueId: general, entryPoint: "4008123456", menuChoice: "9", language: "en", externalRef: "call-en-1" });
    expect(matching.status, JSON.stringify(matching.body)).toBe(201);
    expect(await itemOf(server, matching.body.data.id as string)).toMatchObject({ queue_id: english, rule_id: rule.id, media: "voice" });
    const other = await agent.post("/api/conversations").send({ channel: "phone", queueId: general, entryPoint: "4008123456", menuChoice: "1", externalRef: "call-zh-1" });
    expect(await itemOf(server, other.body.data.id as string)).toMatchObject({ queue_id: general, rule_id: null });
  });
});

describe("overflow", () => {
  it("sends a contact on when the queue is full, to voicemail when it is closed, and on again after the maximum wait", async () => {
    const tenant = await createTestTenant(server);
    const backup = await makeQueue(server, tenant, []);
    const full = await makeQueue(server, tenant, [], { maxLength: 1, overflowAction: "queue", overflowQueueId: backup });
    const first = await startChat(server, tenant, { queueId: full });
    const second = await startChat(server, tenant, { queueId: full });
    expect((await itemOf(server, first.id)).queue_id).toBe(full);
    const moved = await itemOf(server, second.id);
    expect(moved.queue_id).toBe(backup);
    expect(moved.decision).toMatchObject({ overflow: { path: [{ queueId: full, why: "full" }], action: "queue" } });

    const calendar = await server.deps.db
      .insertInto("calendars")
      .values({ tenant_id: tenant.id, name: "Never open", weekly_hours: JSON.stringify({}) })
      .returning("id")
      .executeTakeFirstOrThrow();
    const closed = await makeQueue(server, tenant, [], { calendarId: calendar.id, overflowAction: "voicemail" });
    const afterHours = await startChat(server, tenant, { queueId: closed });
    expect(await itemOf(server, afterHours.id)).toMatchObject({ queue_id: closed, state: "overflowed" });
    expect((await itemOf(server, afterHours.id)).decision).toMatchObject({ overflow: { path: [{ queueId: closed, why: "closed" }], action: "voicemail" } });
    // the after-hours contact is not lost: its conversation is on a ticket in that queue, with the overflow on the timeline
    const conversation = await api(server, tenant.users.agent).get(`/api/conversations/${afterHours.id}`);
    const ticketId = conversation.body.data.ticketId as string;
    expect(ticketId).toBeTruthy();
    const ticket = await api(server, tenant.users.agent).get(`/api/tickets/${ticketId}`);
    expect(ticket.body.data).toMatchObject({ status: "new", queueId: closed });
    const timeline = await api(server, tenant.users.agent).get(`/api/tickets/${ticketId}/timeline`);
    const routed = (timeline.body.data.items as { kind: string; data: { state?: string } }[]).find((e) => e.kind === "routed");
    expect(routed?.data.state).toBe("overflowed");

    const slow = await makeQueue(server, tenant, [], { maxWaitSeconds: 1, overflowAction: "queue", overflowQueueId: backup });
    const waited = await startChat(server, tenant, { queueId: slow });
    const items = () => server.deps.db.selectFrom("work_items").selectAll().where("conversation_id", "=", waited.id).orderBy("created_at").execute();
    const both = await until(items, (rows) => rows.length === 2, "the item to move after its maximum wait");
    expect(both.map((w) => [w.queue_id, w.state])).toEqual([
      [slow, "overflowed"],
      [backup, "waiting"],
    ]);
    expect(both[1]!.decision).toMatchObject({ overflowFrom: both[0]!.id });
  });

  it("refuses a queue configuration that overflows nowhere or into itself", async () => {
    const tenant = await createTestTenant(server);
    const queueId = await makeQueue(server, tenant, []);
    const nowhere = await api(server, tenant.admin).patch(`/api/queues/${queueId}/routing`).send({ overflowAction: "queue" });
    expect(nowhere.status).toBe(400);
    const itself = await api(server, tenant.admin).patch(`/api/queues/${queueId}/routing`).send({ overflowAction: "queue", overflowQueueId: queueId });
    expect(itself.status).toBe(400);
    const ok = await api(server, tenant.admin).patch(`/api/queues/${queueId}/routing`).send({ strategy: "round_robin", offerTimeoutSeconds: 15, maxMissedOffers: 0 });
    expect(ok.body.data).toMatchObject({ strategy: "round_robin", offerTimeoutSeconds: 15, maxMissedOffers: 0, requiredSkills: [] });
    const read = await api(server, tenant.users.agent).get(`/api/queues/${queueId}`);
    expect(read.body.data).toMatchObject({ strategy: "round_robin", offerTimeoutSeconds: 15 });
  });
});
