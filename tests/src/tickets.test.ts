import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTransaction, systemCtx } from "../../server/src/domain/context.ts";
import { reopenOnCustomerReply } from "../../server/src/domain/tickets/reopen-on-customer-reply.ts";
import { api, createTestTenant, startTestServer, type TestServer } from "./harness.ts";
import { makeCompanyContact, makeQueue, openTicket, timelineKinds } from "./tickets-fixtures.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

describe("opening and reading tickets", () => {
  it("opens a ticket for a contact, defaults the company, and shows the customer, category, queue and assignee", async () => {
    const tenant = await createTestTenant(server);
    const { company, contact } = await makeCompanyContact(server, tenant);
    const queue = await makeQueue(server, tenant, "财务软件组");
    const category = await api(server, tenant.users.supervisor).post("/api/categories").send({ name: "开票问题", difficulty: 1.5 });
    expect(category.status).toBe(201);

    const created = await openTicket(server, tenant.users.agent, {
      subject: "发票打印不出来",
      priority: "high",
      sourceChannel: "phone",
      contactId: contact.id,
      categoryId: category.body.data.id,
      queueId: queue.id,
      assigneeId: tenant.users.agent.id,
      tags: ["发票", "发票", "打印"],
      description: "点击打印后没有反应",
    });
    expect(created).toMatchObject({ status: "new", priority: "high", companyId: company.id, companyName: company.name, contactName: contact.name, tags: ["发票", "打印"] });
    expect(created.number).toMatch(/^YX-\d{8}-\d{4}$/);

    const detail = await api(server, tenant.users.field_engineer).get(`/api/tickets/${created.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.data).toMatchObject({
      contact: { id: contact.id, name: contact.name, isVip: true, companyId: company.id },
      company: { id: company.id, name: company.name, servicePack: "vip", serviceExpiresOn: "2027-06-30" },
      category: { name: "开票问题", difficulty: 1.5 },
      queue: { id: queue.id, name: "财务软件组" },
      assignee: { id: tenant.users.agent.id, name: `agent ${tenant.slug}` },
      links: [],
      mergedIntoId: null,
    });

    const timeline = await api(server, tenant.users.agent).get(`/api/tickets/${created.id}/timeline`);
    expect(timeline.body.data.items[0]).toMatchObject({
      kind: "ticket_created",
      actor: { type: "user", id: tenant.users.agent.id, name: `agent ${tenant.slug}` },
      data: { number: created.number, subject: "发票打印不出来", description: "点击打印后没有反应" },
    });
  });

  it("refuses references to another tenant's records and hides another tenant's tickets", async () => {
    const mine = await createTestTenant(server);
    const other = await createTestTenant(server);
    const { contact: foreignContact } = await makeCompanyContact(server, other);
    const foreignQueue = await makeQueue(server, other, "Other queue");
    for (const body of [
      { subject: "x", contactId: foreignContact.id },
      { subject: "x", queueId: foreignQueue.id },
      { subject: "x", assigneeId: other.users.agent.id },
    ]) {
      const res = await api(server, mine.users.agent).post("/api/tickets").send(body);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("NOT_FOUND");
    }

    const theirs = await openTicket(server, other.users.agent, { subject: "Their problem" });
    for (const res of [
      await api(server, mine.admin).get(`/api/tickets/${theirs.id}`),
      await api(server, mine.admin).get(`/api/tickets/${theirs.id}/timeline`),
      await api(server, mine.admin).patch(`/api/tickets/${theirs.id}`).send({ priority: "low" }),
      await api(server, mine.admin).post(`/api/tickets/${theirs.id}/status`).send({ status: "open" }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("NOT_FOUND");
    }
    const list = await api(server, mine.admin).get("/api/tickets");
    expect(list.body.data.items).toEqual([]);
  });

  it("numbers tickets PREFIX-YYYYMMDD-NNNN by the tenant's calendar day, uniquely under 20 concurrent creates", async () => {
    const tenant = await createTestTenant(server);
    const timeZone = "Pacific/Kiritimati";
    await server.deps.db.updateTable("tenants").set({ ticket_prefix: "KF", time_zone: timeZone }).where("id", "=", tenant.id).execute();
    const day = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date()).replaceAll("-", "");

    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => api(server, tenant.users.agent).post("/api/tickets").send({ subject: `并发工单 ${i}` })));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const numbers = results.map((r) => r.body.data.number as string).sort();
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => `KF-${day}-${String(i + 1).padStart(4, "0")}`));
  });
});

describe("the ticket lifecycle", () => {
  it("goes new → open → pending → open → resolved → open (reopen) → resolved → closed, stamping the times", async () => {
    const tenant = await createTestTenant(server);
    const user = tenant.users.agent;
    const ticket = await openTicket(server, user, { subject: "网络时断时续" });
    const move = (status: string, reason?: string) => api(server, user).post(`/api/tickets/${ticket.id}/status`).send({ status, reason });

    for (const status of ["open", "pending", "open"]) expect((await move(status)).body.data.status).toBe(status);
    const resolved = await move("resolved", "更换路由器后恢复");
    expect(resolved.body.data.resolvedAt).not.toBeNull();
    const reopened = await move("open");
    expect(reopened.body.data).toMatchObject({ status: "open", resolvedAt: null });
    expect((await move("resolved")).status).toBe(200);
    const closed = await move("closed");
    expect(closed.body.data.status).toBe("closed");
    expect(closed.body.data.closedAt).not.toBeNull();

    const again = await move("open");
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("TICKET_CLOSED");
    const edit = await api(server, user).patch(`/api/tickets/${ticket.id}`).send({ priority: "urgent" });
    expect(edit.body.error.code).toBe("TICKET_CLOSED");

    const timeline = await api(server, user).get(`/api/tickets/${ticket.id}/timeline`);
    const changes = (timeline.body.data.items as { kind: string; data: { from: string; to: string; reason?: string } }[])
      .filter((i) => i.kind === "status_changed")
      .map((i) => `${i.data.from}→${i.data.to}`);
    expect(changes).toEqual(["new→open", "open→pending", "pending→open", "open→resolved", "resolved→open", "open→resolved", "resolved→closed"]);
    expect(timeline.body.data.items.find((i: { data: { reason?: string } }) => i.data.reason)?.data.reason).toBe("更换路由器后恢复");
  });

  it("refuses moves the lifecycle does not allow with INVALID_TRANSITION naming both statuses", async () => {
    const tenant = await createTestTenant(server);
    const ticket = await openTicket(server, tenant.users.agent, { subject: "无法登录" });
    const res = await api(server, tenant.users.agent).post(`/api/tickets/${ticket.id}/status`).send({ status: "closed" });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("INVALID_TRANSITION");
    expect(res.body.error.message).toMatch(/new.*closed/);
    await api(server, tenant.users.agent).post(`/api/tickets/${ticket.id}/status`).send({ status: "open" });
    const back = await api(server, tenant.users.agent).post(`/api/tickets/${ticket.id}/status`).send({ status: "new" });
    expect(back.body.error.code).toBe("INVALID_TRANSITION");
    expect((await api(server, tenant.users.agent).get(`/api/tickets/${ticket.id}`)).body.data.status).toBe("open");
  });

  it("reopens a resolved or pending ticket when the customer writes, and reports a closed one", async () => {
    const tenant = await createTestTenant(server);
    const user = tenant.users.agent;
    const ctx = systemCtx(server.deps, tenant.id);
    const ticket = async (...path: string[]) => {
      const t = await openTicket(server, user, { subject: "客户回复" });
      for (const status of path) await api(server, user).post(`/api/tickets/${t.id}/status`).send({ status });
      return t;
    };
    const resolved = await ticket("resolved");
    const pending = await ticket("pending");
    const fresh = await ticket();
    const closed = await ticket("resolved", "closed");

    const outcome = await inTransaction(ctx, (tx) => reopenOnCustomerReply(tx, ctx, resolved.id));
    expect(outcome).toMatchObject({ reopened: true, closed: false, ticket: { status: "open", resolved_at: null } });
    const entry = (await api(server, user).get(`/api/tickets/${resolved.id}/timeline`)).body.data.items.at(-1);
    expect(entry).toMatchObject({ kind: "status_changed", data: { from: "resolved", to: "open", reason: "customer_reply" } });

    expect((await inTransaction(ctx, (tx) => reopenOnCustomerReply(tx, ctx, pending.id))).ticket.status).toBe("open");
    expect(await inTransaction(ctx, (tx) => reopenOnCustomerReply(tx, ctx, fresh.id))).toMatchObject({ reopened: false, closed: false, ticket: { status: "new" } });
    expect(await inTransaction(ctx, (tx) => reopenOnCustomerReply(tx, ctx, closed.id))).toMatchObject({ reopened: false, closed: true, ticket: { status: "closed" } });
    expect((await api(server, user).get(`/api/tickets/${closed.id}`)).body.data.status).toBe("closed");
  });
});

describe("editing and assigning", () => {
  it("records each kind of change on the timeline and in the audit log, and refreshes search", async () => {
    const tenant = await createTestTenant(server);
    const user = tenant.users.agent;
    const [first, second] = [await makeQueue(server, tenant, "一线"), await makeQueue(server, tenant, "二线")];
    const category = (await api(server, tenant.admin).post("/api/categories").send({ name: "硬件" })).body.data;
    const ticket = await openTicket(server, user, { subject: "电脑蓝屏", queueId: first.id });

    const res = await api(server, user)
      .patch(`/api/tickets/${ticket.id}`)
      .send({ subject: "显示器闪烁", priority: "urgent", categoryId: category.id, queueId: second.id, tags: ["硬件"] });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ subject: "显示器闪烁", priority: "urgent", categoryId: category.id, queueId: second.id, tags: ["硬件"] });

    const items = (await api(server, user).get(`/api/tickets/${ticket.id}/timeline`)).body.data.items as { kind: string; data: Record<string, unknown> }[];
    expect(items.map((i) => i.kind)).toEqual(["ticket_created", "priority_changed", "category_changed", "transferred", "fields_changed"]);
    expect(items[1]!.data).toEqual({ from: "normal", to: "urgent" });
    expect(items[2]!.data).toEqual({ from: null, to: { id: category.id, name: "硬件" } });
    expect(items[3]!.data).toEqual({ from: { queue: { id: first.id, name: "一线" } }, to: { queue: { id: second.id, name: "二线" } } });
    expect(items[4]!.data).toEqual({ changes: { subject: ["电脑蓝屏", "显示器闪烁"], tags: [[], ["硬件"]] } });

    const audit = await server.deps.db.selectFrom("audit_log").select(["action", "changes"]).where("tenant_id", "=", tenant.id).where("action", "=", "ticket.updated").executeTakeFirstOrThrow();
    expect(audit.changes).toMatchObject({ priority: ["normal", "urgent"], queueId: [first.id, second.id] });

    const found = await api(server, user).get("/api/tickets").query({ q: "闪烁" });
    expect(found.body.data.items.map((t: { id: string }) => t.id)).toEqual([ticket.id]);
    expect((await api(server, user).get("/api/tickets").query({ q: "蓝屏" })).body.data.items).toEqual([]);
  });

  it("assigns to active users of the tenant only, unassigns with null, and keeps field engineers from assigning", async () => {
    const tenant = await createTestTenant(server);
    const other = await createTestTenant(server);
    const ticket = await openTicket(server, tenant.users.agent, { subject: "打印机卡纸" });
    const assign = (body: object, who = tenant.users.supervisor) => api(server, who).post(`/api/tickets/${ticket.id}/assign`).send(body);

    const ok = await assign({ assigneeId: tenant.users.senior_agent.id, note: "熟悉该型号" });
    expect(ok.body.data).toMatchObject({ assigneeId: tenant.users.senior_agent.id, assigneeName: `senior_agent ${tenant.slug}` });
    expect((await assign({ assigneeId: other.users.agent.id })).body.error.code).toBe("NOT_FOUND");
    await server.deps.db.updateTable("users").set({ is_active: false }).where("id", "=", tenant.users.vip_agent.id).execute();
    expect((await assign({ assigneeId: tenant.users.vip_agent.id })).body.error.code).toBe("VALIDATION_FAILED");

    const forbidden = await assign({ assigneeId: tenant.users.field_engineer.id }, tenant.users.field_engineer);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe("FORBIDDEN");

    const cleared = await assign({ assigneeId: null });
    expect(cleared.body.data).toMatchObject({ assigneeId: null, assigneeName: null });
    const items = (await api(server, tenant.users.agent).get(`/api/tickets/${ticket.id}/timeline`)).body.data.items.filter((i: { kind: string }) => i.kind === "assigned");
    expect(items.map((i: { data: unknown }) => i.data)).toEqual([
      { from: null, to: { id: tenant.users.senior_agent.id, name: `senior_agent ${tenant.slug}` }, note: "熟悉该型号" },
      { from: { id: tenant.users.senior_agent.id, name: `senior_agent ${tenant.slug}` }, to: null },
    ]);
  });
});

describe("finding tickets", () => {
  it("filters by assignee (me), status, priority, tag and Chinese text, newest change first", async () => {
    const tenant = await createTestTenant(server);
    const me = tenant.users.agent;
    const invoice = await openTicket(server, me, { subject: "发票打印不出来", assigneeId: me.id, tags: ["财务"] });
    const jam = await openTicket(server, me, { subject: "打印机卡纸", assigneeId: tenant.users.senior_agent.id, priority: "urgent" });
    const login = await openTicket(server, me, { subject: "Cannot log in to the portal" });
    await api(server, me).post(`/api/tickets/${jam.id}/status`).send({ status: "pending" });
    const ids = async (query: Record<string, string | string[]>) => {
      const res = await api(server, me).get("/api/tickets").query(query);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.data.items.map((t: { id: string }) => t.id);
    };

    expect(await ids({})).toEqual([jam.id, login.id, invoice.id]);
    expect(await ids({ assigneeId: "me" })).toEqual([invoice.id]);
    expect(await ids({ assigneeId: "none" })).toEqual([login.id]);
    expect(await ids({ status: "pending" })).toEqual([jam.id]);
    expect(await ids({ status: ["new", "pending"] })).toEqual([jam.id, login.id, invoice.id]);
    expect(await ids({ status: "new,open" })).toEqual([login.id, invoice.id]);
    expect(await ids({ priority: "urgent" })).toEqual([jam.id]);
    expect(await ids({ tag: "财务" })).toEqual([invoice.id]);
    expect(await ids({ q: "发票" })).toEqual([invoice.id]);
    expect(await ids({ q: "打印" })).toEqual([jam.id, invoice.id]);
    expect(await ids({ q: "log" })).toEqual([login.id]);
    expect(await ids({ q: invoice.number })).toEqual([invoice.id]);
    const bad = await api(server, me).get("/api/tickets").query({ status: "done" });
    expect(bad.body.error.code).toBe("VALIDATION_FAILED");
  });

  it("pages through every ticket once, by most recent change", async () => {
    const tenant = await createTestTenant(server);
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await openTicket(server, tenant.users.agent, { subject: `第${i}个问题` }));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await api(server, tenant.users.agent).get("/api/tickets").query({ limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...res.body.data.items.map((t: { id: string }) => t.id));
      cursor = res.body.data.nextCursor;
    } while (cursor);
    expect(seen).toEqual(created.map((t) => t.id).reverse());
  });
});

describe("timeline basics", () => {
  it("lists every entry of a ticket in order", async () => {
    const tenant = await createTestTenant(server);
    const ticket = await openTicket(server, tenant.users.agent, { subject: "扫描仪无法连接" });
    await api(server, tenant.users.agent).post(`/api/tickets/${ticket.id}/notes`).send({ body: "已让客户重启" });
    expect(await timelineKinds(server, tenant.users.agent, ticket.id)).toEqual(["ticket_created", "note"]);
  });
});
