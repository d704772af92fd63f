import type { SlaClock, SlaEvent } from "@yixian/contracts";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Ctx } from "../../server/src/domain/context.ts";
import { appendMessage } from "../../server/src/domain/conversations/append-message.ts";
import { searchTokens } from "../../server/src/domain/shared/search-tokens.ts";
import { runSlaWatcherOnce } from "../../server/src/domain/sla/sla-watcher.ts";
import { randomToken } from "../../server/src/platform/ids.ts";
import { connectSocket, settle, type ClientSocket } from "./sockets.ts";
import { api, createTestTenant, startTestServer, type TestServer, type TestTenant, type TestUser } from "./harness.ts";

/** The server's clock, moved by the tests (dates in the past, so that test sessions stay valid). */
class TestClock {
  private at = new Date("2026-03-02T02:00:00Z");
  now(): Date {
    return new Date(this.at);
  }
  set(iso: string): void {
    this.at = new Date(iso);
  }
}

const clock = new TestClock();
let server: TestServer;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  // the tests run the watcher's passes themselves: a background pass would take their tickets
  server = await startTestServer({ clock, env: { SLA_WATCH_MS: "0" } });
});
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});
afterAll(async () => {
  await server?.stop();
});

const workday = [
  ["09:00", "12:00"],
  ["13:00", "18:00"],
];
const office = { name: "上海办公时间", timeZone: "Asia/Shanghai", weeklyHours: { mon: workday, tue: workday, wed: workday, thu: workday, fri: workday } };

async function post<T>(user: TestUser, path: string, body: object, status = 201): Promise<T> {
  const res = await api(server, user).post(path).send(body);
  expect(res.status, `${path} ${JSON.stringify(res.body)}`).toBe(status);
  return res.body.data as T;
}

const createCalendar = (t: TestTenant) => post<{ id: string }>(t.admin, "/api/calendars", office);
const createPolicy = (t: TestTenant, body: object) => post<{ id: string; name: string }>(t.admin, "/api/sla-policies", body);
const createTicket = (user: TestUser, body: object = {}) =>
  post<{ id: string; number: string; priority: string; queueId: string | null }>(user, "/api/tickets", { subject: "打印机无法打印发票", ...body });

async function slaOf(user: TestUser, ticketId: string) {
  const res = await api(server, user).get(`/api/tickets/${ticketId}/sla`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const data = res.body.data as { policy: { id: string; name: string } | null; calendarId: string | null; clocks: SlaClock[] };
  return { ...data, clock: (target: string) => data.clocks.find((c) => c.target === target) };
}

async function setStatus(user: TestUser, ticketId: string, status: string) {
  const res = await api(server, user).post(`/api/tickets/${ticketId}/status`).send({ status });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

async function timelineKinds(user: TestUser, ticketId: string): Promise<string[]> {
  const res = await api(server, user).get(`/api/tickets/${ticketId}/timeline`).query({ limit: 500 });
  return (res.body.data.items as { kind: string }[]).map((i) => i.kind);
}

async function company(tenant: TestTenant, servicePack: string, expiresOn: string | null = null): Promise<string> {
  const name = `公司 ${randomToken(4)}`;
  const row = await server.deps.db
    .insertInto("companies")
    .values({
      tenant_id: tenant.id,
      name,
      verification_code: String(10_000_000 + Math.floor(Math.random() * 89_999_999)),
      service_pack: servicePack,
      service_expires_on: expiresOn,
      custom_fields: "{}",
      search_tokens: searchTokens(name),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

describe("SLA policies applied to tickets", () => {
  it("gives a new ticket the first matching policy, with due times counted in business hours", async () => {
    const tenant = await createTestTenant(server);
    const cal = await createCalendar(tenant);
    const urgent = await createPolicy(tenant, { name: "紧急", match: { priorities: ["urgent"] }, calendarId: cal.id, targets: { firstResponseMinutes: 60, resolutionMinutes: 480 } });
    const vip = await createPolicy(tenant, { name: "VIP", match: { servicePacks: ["vip"] }, calendarId: cal.id, targets: { firstResponseMinutes: 30 } });
    const fallback = await createPolicy(tenant, { name: "默认", isDefault: true, targets: { firstResponseMinutes: 240 } });
    const agent = tenant.users.agent;

    clock.set("2026-03-02T11:30:00+08:00"); // Monday, half an hour before the lunch break
    const t1 = await createTicket(agent, { priority: "urgent" });
    const s1 = await slaOf(agent, t1.id);
    expect(s1.policy).toEqual({ id: urgent.id, name: "紧急" });
    expect(s1.calendarId).toBe(cal.id);
    // 11:30–12:00, lunch, 13:00–13:30
    expect(s1.clock("first_response")).toMatchObject({ state: "running", dueAt: "2026-03-02T05:30:00.000Z", warnAt: "2026-03-02T05:18:00.000Z", remainingSeconds: 3600, overdueSeconds: 0, targetMinutes: 60 });
    // 8 h: 0.5 h before lunch, 5 h in the afternoon, Tuesday 09:00–11:30
    expect(s1.clock("resolution")).toMatchObject({ state: "running", dueAt: "2026-03-03T03:30:00.000Z" });
    expect(s1.clock("next_response")).toBeUndefined();

    const t2 = await createTicket(agent, { companyId: await company(tenant, "vip") });
    expect((await slaOf(agent, t2.id)).policy?.id).toBe(vip.id);
    expect((await slaOf(agent, t2.id)).clock("first_response")?.dueAt).toBe("2026-03-02T04:00:00.000Z");

    // An expired VIP pack no longer counts; the default policy is 24×7
    const t3 = await createTicket(agent, { companyId: await company(tenant, "vip", "2026-01-31") });
    const s3 = await slaOf(agent, t3.id);
    expect(s3.policy?.id).toBe(fallback.id);
    expect(s3.clock("first_response")?.dueAt).toBe("2026-03-02T07:30:00.000Z");
  });

  it("re-matches the policy when the ticket's priority changes", async () => {
    const tenant = await createTestTenant(server);
    const urgent = await createPolicy(tenant, { name: "紧急", match: { priorities: ["urgent"] }, targets: { firstResponseMinutes: 15 } });
    await createPolicy(tenant, { name: "默认", isDefault: true, targets: { firstResponseMinutes: 240 } });
    clock.set("2026-03-02T02:00:00Z");
    const ticket = await createTicket(tenant.users.agent);
    expect((await slaOf(tenant.users.agent, ticket.id)).policy?.name).toBe("默认");
    clock.set("2026-03-02T02:05:00Z");
    const patched = await api(server, tenant.users.agent).patch(`/api/tickets/${ticket.id}`).send({ priority: "urgent" });
    expect(patched.status).toBe(200);
    await runSlaWatcherOnce(server.deps);
    const sla = await slaOf(tenant.users.agent, ticket.id);
    expect(sla.policy?.id).toBe(urgent.id);
    expect(sla.clock("first_response")?.dueAt).toBe("2026-03-02T02:15:00.000Z");
  });

  it("meets the first response with the first agent reply, and runs next-response cycles on later customer messages", async () => {
    const tenant = await createTestTenant(server);
    await createPolicy(tenant, { name: "在线", isDefault: true, targets: { firstResponseMinutes: 60, nextResponseMinutes: 30, resolutionMinutes: 600 } });
    const agent = tenant.users.agent;
    const contact = await server.deps.db
      .insertInto("contacts")
      .values({ tenant_id: tenant.id, name: "张伟", custom_fields: "{}", search_tokens: searchTokens("张伟") })
      .returning("id")
      .executeTakeFirstOrThrow();
    const customer: Ctx = { tenantId: tenant.id, actor: { type: "contact", id: contact.id }, deps: server.deps, log: server.deps.log };

    clock.set("2026-03-02T02:00:00Z");
    const chat = await post<{ id: string }>(agent, "/api/conversations", { channel: "webchat", contactId: contact.id, subject: "发票" });
    const accepted = await post<{ ticketId: string }>(agent, `/api/conversations/${chat.id}/accept`, {}, 200);
    const ticketId = accepted.ticketId;

    clock.set("2026-03-02T02:10:00Z");
    await post(agent, `/api/conversations/${chat.id}/messages`, { text: "您好，请讲" });
    let sla = await slaOf(agent, ticketId);
    expect(sla.clock("first_response")).toMatchObject({ state: "met", stoppedAt: "2026-03-02T02:10:00.000Z", remainingSeconds: 50 * 60 });
    expect(sla.clock("next_response")).toBeUndefined();

    clock.set("2026-03-02T02:15:00Z");
    await appendMessage(customer, { conversationId: chat.id, direction: "inbound", text: "发票打不出来" });
    clock.set("2026-03-02T02:20:00Z");
    await runSlaWatcherOnce(server.deps);
    sla = await slaOf(agent, ticketId);
    expect(sla.clock("next_response")).toMatchObject({ state: "running", startedAt: "2026-03-02T02:15:00.000Z", dueAt: "2026-03-02T02:45:00.000Z", remainingSeconds: 25 * 60 });

    clock.set("2026-03-02T02:35:00Z");
    await post(agent, `/api/conversations/${chat.id}/messages`, { text: "请重启打印机" });
    sla = await slaOf(agent, ticketId);
    expect(sla.clock("next_response")).toMatchObject({ state: "met", startedAt: "2026-03-02T02:15:00.000Z", stoppedAt: "2026-03-02T02:35:00.000Z" });

    clock.set("2026-03-02T02:40:00Z");
    await setStatus(agent, ticketId, "resolved");
    expect((await slaOf(agent, ticketId)).clock("resolution")).toMatchObject({ state: "met", stoppedAt: "2026-03-02T02:40:00.000Z" });

    // The customer writes again: the ticket reopens and a new resolution cycle starts with the full target
    clock.set("2026-03-02T03:00:00Z");
    await appendMessage(customer, { conversationId: chat.id, direction: "inbound", text: "还是不行" });
    sla = await slaOf(agent, ticketId);
    expect(sla.clock("resolution")).toMatchObject({ state: "running", startedAt: "2026-03-02T03:00:00.000Z", dueAt: "2026-03-02T13:00:00.000Z" });
    expect(sla.clock("next_response")).toMatchObject({ state: "running", startedAt: "2026-03-02T03:00:00.000Z" });
  });

  it("pauses while pending when the policy says so, extending the due time by the business time spent pending", async () => {
    const tenant = await createTestTenant(server);
    const cal = await createCalendar(tenant);
    await createPolicy(tenant, { name: "暂停", match: { priorities: ["normal"] }, calendarId: cal.id, targets: { firstResponseMinutes: 120 }, pauseWhenPending: true });
    await createPolicy(tenant, { name: "不暂停", match: { priorities: ["high"] }, calendarId: cal.id, targets: { firstResponseMinutes: 120 }, pauseWhenPending: false });
    const agent = tenant.users.agent;

    clock.set("2026-03-02T10:00:00+08:00");
    const paused = await createTicket(agent, { priority: "normal" });
    const running = await createTicket(agent, { priority: "high" });
    expect((await slaOf(agent, paused.id)).clock("first_response")?.dueAt).toBe("2026-03-02T04:00:00.000Z");

    clock.set("2026-03-02T10:30:00+08:00");
    await setStatus(agent, paused.id, "pending");
    await setStatus(agent, running.id, "pending");
    clock.set("2026-03-02T11:00:00+08:00");
    expect((await slaOf(agent, paused.id)).clock("first_response")).toMatchObject({ state: "paused", dueAt: null, remainingSeconds: 90 * 60 });
    expect((await slaOf(agent, running.id)).clock("first_response")).toMatchObject({ state: "running", dueAt: "2026-03-02T04:00:00.000Z", remainingSeconds: 60 * 60 });

    clock.set("2026-03-02T11:30:00+08:00");
    await setStatus(agent, paused.id, "open");
    // 30 min ran before the pause; 90 min left from 11:30: until 12:00, then 13:00–14:00
    expect((await slaOf(agent, paused.id)).clock("first_response")).toMatchObject({ state: "running", dueAt: "2026-03-02T06:00:00.000Z", remainingSeconds: 90 * 60 });
  });
});

describe("the SLA watcher", () => {
  async function listen(user: TestUser) {
    const socket = await connectSocket(server.url, user.token);
    sockets.push(socket);
    const seen: { event: string; e: SlaEvent }[] = [];
    socket.on("sla:warning", (e) => seen.push({ event: "sla:warning", e }));
    socket.on("sla:breached", (e) => seen.push({ event: "sla:breached", e }));
    return { socket, seen };
  }

  it("fires the warning and then the breach once each, and escalates: supervisors told, priority raised, queue moved", async () => {
    const tenant = await createTestTenant(server);
    const other = await createTestTenant(server, "other");
    const admin = tenant.admin;
    const first = await post<{ id: string }>(admin, "/api/queues", { name: "一线" });
    const second = await post<{ id: string }>(admin, "/api/queues", { name: "二线" });
    await createPolicy(tenant, {
      name: "标准",
      isDefault: true,
      targets: { firstResponseMinutes: 60 },
      warnFraction: 0.5,
      escalation: { notifySupervisors: true, raisePriority: "one_step", moveToQueueId: second.id },
    });
    const supervisor = await listen(tenant.users.supervisor);
    const agent = await listen(tenant.users.agent);
    const outsider = await listen(other.users.supervisor);

    clock.set("2026-03-02T02:00:00Z");
    const ticket = await createTicket(tenant.users.agent, { queueId: first.id });
    // The watcher serves every tenant of the database: count what it did to this ticket.
    const fired = async () => (await timelineKinds(admin, ticket.id)).filter((k) => k === "sla_warning" || k === "sla_breached" || k === "escalated");
    clock.set("2026-03-02T02:29:00Z");
    await runSlaWatcherOnce(server.deps);
    expect(await fired()).toEqual([]);

    clock.set("2026-03-02T02:31:00Z");
    await runSlaWatcherOnce(server.deps);
    await runSlaWatcherOnce(server.deps);
    expect(await fired()).toEqual(["sla_warning"]);

    clock.set("2026-03-02T03:01:00Z");
    await Promise.all([runSlaWatcherOnce(server.deps), runSlaWatcherOnce(server.deps)]);
    clock.set("2026-03-02T04:00:00Z");
    await runSlaWatcherOnce(server.deps);
    expect(await fired()).toEqual(["sla_warning", "sla_breached", "escalated"]);

    const after = (await api(server, admin).get(`/api/tickets/${ticket.id}`)).body.data as { priority: string; queueId: string | null };
    expect(after.priority).toBe("high");
    expect(after.queueId).toBe(second.id);
    expect((await slaOf(admin, ticket.id)).clock("first_response")).toMatchObject({ state: "breached", overdueSeconds: 3600 });

    const audit = await api(server, admin).get("/api/audit-log").query({ entityId: ticket.id });
    const entries = audit.body.data.items as { action: string; actorType: string }[];
    const system = entries.filter((e) => ["sla.warning", "sla.breached", "ticket.escalated"].includes(e.action));
    expect(system.map((e) => e.action).sort()).toEqual(["sla.breached", "sla.warning", "ticket.escalated"]);
    expect(system.every((e) => e.actorType === "system")).toBe(true);

    await settle(server, supervisor.socket);
    await settle(server, agent.socket);
    await settle(server, outsider.socket);
    const expected = { ticketId: ticket.id, number: ticket.number, target: "first_response", dueAt: "2026-03-02T03:00:00.000Z" };
    expect(supervisor.seen).toEqual([
      { event: "sla:warning", e: expected },
      { event: "sla:breached", e: expected },
    ]);
    expect(agent.seen.map((s) => s.event)).toEqual(["sla:warning", "sla:breached"]);
    expect(outsider.seen).toEqual([]);
  });

  it("fires nothing for a ticket answered in time", async () => {
    const tenant = await createTestTenant(server);
    await createPolicy(tenant, { name: "标准", isDefault: true, targets: { resolutionMinutes: 60 } });
    clock.set("2026-03-02T02:00:00Z");
    const ticket = await createTicket(tenant.users.agent);
    clock.set("2026-03-02T02:40:00Z");
    await setStatus(tenant.users.agent, ticket.id, "resolved");
    clock.set("2026-03-02T05:00:00Z");
    await runSlaWatcherOnce(server.deps);
    const kinds = await timelineKinds(tenant.admin, ticket.id);
    expect(kinds.filter((k) => k.startsWith("sla_"))).toEqual([]);
    expect((await slaOf(tenant.admin, ticket.id)).clock("resolution")).toMatchObject({ state: "met" });
  });

  it("recomputes open tickets' clocks after their policy's targets change", async () => {
    const tenant = await createTestTenant(server);
    const policy = await createPolicy(tenant, { name: "标准", isDefault: true, targets: { firstResponseMinutes: 240 } });
    clock.set("2026-03-02T02:00:00Z");
    const ticket = await createTicket(tenant.users.agent);
    await runSlaWatcherOnce(server.deps);
    const patched = await api(server, tenant.admin).patch(`/api/sla-policies/${policy.id}`).send({ targets: { firstResponseMinutes: 30 } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    clock.set("2026-03-02T02:45:00Z");
    await runSlaWatcherOnce(server.deps);
    expect((await timelineKinds(tenant.admin, ticket.id)).filter((k) => k === "sla_breached")).toHaveLength(1);
  });
});

describe("the SLA watcher's catch-up", () => {
  it("refreshes many changed tickets of several tenants in one pass, storing the clocks each ticket's own view shows", async () => {
    clock.set("2026-03-02T02:00:00Z");
    const a = await createTestTenant(server);
    const calendar = await createCalendar(a);
    await createPolicy(a, { name: "紧急", priorities: ["urgent"], calendarId: calendar.id, targets: { firstResponseMinutes: 30, resolutionMinutes: 240 } });
    await createPolicy(a, { name: "标准", isDefault: true, targets: { firstResponseMinutes: 120, nextResponseMinutes: 60, resolutionMinutes: 480 } });
    const b = await createTestTenant(server);
    await createPolicy(b, { name: "VIP", servicePacks: ["vip"], targets: { resolutionMinutes: 90 } });
    await createPolicy(b, { name: "默认", isDefault: true, targets: { firstResponseMinutes: 240 } });
    const vip = await company(b, "vip");
    const tickets = [
      ...(await Promise.all(["urgent", "normal", "low", "urgent", "high", "normal"].map((priority) => createTicket(a.users.agent, { priority })))).map((t) => ({ t, user: a.admin })),
      ...(await Promise.all([vip, null, vip, null].map((companyId) => createTicket(b.users.agent, { companyId })))).map((t) => ({ t, user: b.admin })),
    ];
    await setStatus(a.users.agent, tickets[1]!.t.id, "pending");
    await setStatus(b.users.agent, tickets[7]!.t.id, "resolved");
    clock.set("2026-03-02T03:00:00Z");
    const pass = await runSlaWatcherOnce(server.deps);
    expect(pass.refreshed).toBeGreaterThanOrEqual(tickets.length);
    const { db } = server.deps;
    for (const { t, user } of tickets) {
      const live = await slaOf(user, t.id);
      const stored = await db.selectFrom("ticket_sla_clocks").selectAll().where("ticket_id", "=", t.id).orderBy("target").execute();
      expect(stored.map((c) => ({ target: c.target, dueAt: c.due_at && new Date(c.due_at).toISOString() })), t.number).toEqual(
        [...live.clocks].sort((x, y) => x.target.localeCompare(y.target)).map((c) => ({ target: c.target, dueAt: c.dueAt })),
      );
      const sla = await db.selectFrom("ticket_sla").innerJoin("tickets", "tickets.id", "ticket_sla.ticket_id").select(["ticket_sla.policy_id", "ticket_sla.ticket_updated_at", "tickets.updated_at"]).where("ticket_id", "=", t.id).executeTakeFirstOrThrow();
      expect(sla.policy_id).toBe(live.policy?.id ?? null);
      expect(new Date(sla.ticket_updated_at!).getTime()).toBe(new Date(sla.updated_at).getTime());
    }
    // nothing left behind: the next pass has nothing of these tenants to catch up
    const again = await runSlaWatcherOnce(server.deps);
    expect(again.refreshed).toBe(0);
  });
});

describe("SLA policy administration", () => {
  it("lists policies in matching order, changes and deletes them", async () => {
    const tenant = await createTestTenant(server);
    const admin = api(server, tenant.admin);
    const fallback = await createPolicy(tenant, { name: "默认", isDefault: true, targets: { resolutionMinutes: 1440 } });
    const vip = await createPolicy(tenant, { name: "VIP", match: { servicePacks: ["vip"] }, targets: { firstResponseMinutes: 15 } });
    const urgent = await createPolicy(tenant, { name: "紧急", position: 0, match: { priorities: ["urgent", "high"] }, targets: { firstResponseMinutes: 10 } });

    const list = await api(server, tenant.users.agent).get("/api/sla-policies");
    expect(list.status).toBe(200);
    expect(list.body.data.map((p: { id: string }) => p.id)).toEqual([urgent.id, vip.id, fallback.id]);
    expect(list.body.data[0]).toMatchObject({
      match: { priorities: ["high", "urgent"], servicePacks: [] },
      calendarId: null,
      targets: { firstResponseMinutes: 10, nextResponseMinutes: null, resolutionMinutes: null },
      warnFraction: 0.8,
      pauseWhenPending: true,
      escalation: { notifySupervisors: true, raisePriority: null, moveToQueueId: null },
    });

    const patched = await admin.patch(`/api/sla-policies/${vip.id}`).send({ targets: { nextResponseMinutes: 30 }, escalation: { raisePriority: "urgent" }, warnFraction: 0.9 });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.data).toMatchObject({ targets: { firstResponseMinutes: 15, nextResponseMinutes: 30 }, escalation: { raisePriority: "urgent", notifySupervisors: true }, warnFraction: 0.9 });
    expect((await admin.get(`/api/sla-policies/${vip.id}`)).body.data.targets.nextResponseMinutes).toBe(30);

    expect((await admin.delete(`/api/sla-policies/${vip.id}`)).status).toBe(204);
    expect((await admin.get(`/api/sla-policies/${vip.id}`)).status).toBe(404);
    const audit = await admin.get("/api/audit-log").query({ entityType: "sla_policy" });
    expect((audit.body.data.items as { action: string }[]).map((e) => e.action)).toEqual(expect.arrayContaining(["sla_policy.created", "sla_policy.updated", "sla_policy.deleted"]));
  });

  it("refuses invalid policies with VALIDATION_FAILED, a second default with CONFLICT and a taken name with NAME_TAKEN", async () => {
    const tenant = await createTestTenant(server);
    const admin = api(server, tenant.admin);
    const bad: object[] = [
      { name: "空" , targets: {} },
      { name: "负", targets: { firstResponseMinutes: -5 } },
      { name: "小数", targets: { firstResponseMinutes: 1.5 } },
      { name: "警告", targets: { firstResponseMinutes: 60 }, warnFraction: 1 },
      { name: "优先级", match: { priorities: ["critical"] }, targets: { firstResponseMinutes: 60 } },
      { name: "服务包", match: { servicePacks: ["gold"] }, targets: { firstResponseMinutes: 60 } },
      { name: "默认", isDefault: true, match: { priorities: ["low"] }, targets: { firstResponseMinutes: 60 } },
      { name: "升级", targets: { firstResponseMinutes: 60 }, escalation: { raisePriority: "max" } },
      { name: "日历", calendarId: "not-a-uuid", targets: { firstResponseMinutes: 60 } },
    ];
    for (const body of bad) {
      const res = await admin.post("/api/sla-policies").send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
    }
    const policy = await createPolicy(tenant, { name: "默认", isDefault: true, targets: { firstResponseMinutes: 60 } });
    const second = await admin.post("/api/sla-policies").send({ name: "另一个默认", isDefault: true, targets: { firstResponseMinutes: 30 } });
    expect([second.status, second.body.error.code]).toEqual([409, "CONFLICT"]);
    const same = await admin.post("/api/sla-policies").send({ name: "默认", targets: { firstResponseMinutes: 30 } });
    expect([same.status, same.body.error.code]).toEqual([409, "NAME_TAKEN"]);
    const cleared = await admin.patch(`/api/sla-policies/${policy.id}`).send({ targets: { firstResponseMinutes: null } });
    expect([cleared.status, cleared.body.error.code]).toEqual([400, "VALIDATION_FAILED"]);
    expect((await admin.get("/api/sla-policies")).body.data).toHaveLength(1);
  });

  it("lets agents read policies but only queue managers change them", async () => {
    const tenant = await createTestTenant(server);
    const agent = api(server, tenant.users.agent);
    expect((await agent.post("/api/sla-policies").send({ name: "x", targets: { firstResponseMinutes: 60 } })).status).toBe(403);
    expect((await api(server, tenant.users.supervisor).post("/api/sla-policies").send({ name: "x", targets: { firstResponseMinutes: 60 } })).status).toBe(201);
    expect((await agent.get("/api/sla-policies")).body.data).toHaveLength(1);
  });

  it("answers 404 for another tenant's policies, calendars, queues and tickets", async () => {
    const a = await createTestTenant(server, "A");
    const b = await createTestTenant(server, "B");
    const cal = await createCalendar(a);
    const queue = await post<{ id: string }>(a.admin, "/api/queues", { name: "A 队列" });
    const policy = await createPolicy(a, { name: "A", calendarId: cal.id, targets: { firstResponseMinutes: 60 } });
    clock.set("2026-03-02T02:00:00Z");
    const ticket = await createTicket(a.users.agent);
    const other = api(server, b.admin);
    const answers = [
      await other.get(`/api/sla-policies/${policy.id}`),
      await other.patch(`/api/sla-policies/${policy.id}`).send({ name: "mine" }),
      await other.delete(`/api/sla-policies/${policy.id}`),
      await other.get(`/api/tickets/${ticket.id}/sla`),
      await other.post("/api/sla-policies").send({ name: "B", calendarId: cal.id, targets: { firstResponseMinutes: 60 } }),
      await other.post("/api/sla-policies").send({ name: "B", targets: { firstResponseMinutes: 60 }, escalation: { moveToQueueId: queue.id } }),
    ];
    expect(answers.map((r) => [r.status, r.body?.error?.code])).toEqual(Array(6).fill([404, "NOT_FOUND"]));
    expect((await other.get("/api/sla-policies")).body.data).toEqual([]);
    expect((await api(server, a.admin).get(`/api/sla-policies/${policy.id}`)).body.data.name).toBe("A");
  });
});
