import express from "express";
import supertest from "supertest";
import { widgetCors } from "@yixian/channels/webchat";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMigrations, migrate } from "@yixian/server";
import { api, createTestTenant, emptyDatabase, startTestServer, TEST_DB, type TestServer } from "./harness.ts";
import { addUser, makeQueue, setPresence } from "./routing-kit.ts";
import { asVisitor, makeWidget, openSession, shanghaiToday } from "./widget-kit.ts";

let server: TestServer;
const cleanups: (() => Promise<void>)[] = [];
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await server?.stop();
});

describe("widget configuration", () => {
  it("is managed by admins, read by tenant readers, and validated", async () => {
    const tenant = await createTestTenant(server);
    const widget = await makeWidget(server, tenant, { allowedOrigins: ["https://shop.example.com"], entryPoint: "web-shop" });
    expect(widget.publicKey).toMatch(/^wk_[0-9a-f]{24}$/);
    expect(widget.entryPoint).toBe("web-shop");

    const listed = await api(server, tenant.users.quality_inspector).get("/api/widget-configs");
    expect(listed.status).toBe(200);
    expect(listed.body.data.items.map((w: { id: string }) => w.id)).toContain(widget.id);
    const byAgent = await api(server, tenant.users.agent).post("/api/widget-configs").send({ name: "x" });
    expect(byAgent.status).toBe(403);

    const patched = await api(server, tenant.admin).patch(`/api/widget-configs/${widget.id}`).send({ greeting: { "zh-CN": "欢迎光临", en: "Welcome" } });
    expect(patched.status).toBe(200);
    expect(patched.body.data.greeting["zh-CN"]).toBe("欢迎光临");
    expect(patched.body.data.publicKey).toBe(widget.publicKey);

    const badOrigin = await api(server, tenant.admin).post("/api/widget-configs").send({ name: "bad", allowedOrigins: ["https://x.example.com/path"] });
    expect(badOrigin.status).toBe(400);
    expect(badOrigin.body.error.code).toBe("VALIDATION_FAILED");
    const otherTenantsQueue = await api(server, (await createTestTenant(server)).admin).post("/api/widget-configs").send({ name: "q", defaultQueueId: widget.id });
    expect(otherTenantsQueue.status).toBe(404);

    const removed = await api(server, tenant.admin).delete(`/api/widget-configs/${widget.id}`);
    expect(removed.status).toBe(204);
    const gone = await supertest(server.url).get(`/api/widget/${widget.publicKey}/config`);
    expect(gone.status).toBe(404);
  });

  it("tells the widget whether someone is available now: an available agent of the queue, within business hours", async () => {
    const tenant = await createTestTenant(server);
    const agent = await addUser(server, tenant, "李娜");
    const queueId = await makeQueue(server, tenant, [agent]);
    const widget = await makeWidget(server, tenant, { defaultQueueId: queueId, greeting: { "zh-CN": "您好", en: "Hi" } });

    const before = await supertest(server.url).get(`/api/widget/${widget.publicKey}/config`);
    expect(before.status).toBe(200);
    expect(before.body.data).toMatchObject({ widgetKey: widget.publicKey, open: true, available: false, greeting: { en: "Hi" }, locale: "zh-CN" });
    expect(JSON.stringify(before.body.data)).not.toContain(tenant.id);

    await setPresence(server, agent, "available");
    const after = await supertest(server.url).get(`/api/widget/${widget.publicKey}/config`);
    expect(after.body.data.available).toBe(true);

    const allDay = [["00:00", "24:00"]];
    const calendar = await api(server, tenant.admin)
      .post("/api/calendars")
      .send({ name: "closed today", timeZone: "Asia/Shanghai", weeklyHours: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay }, holidays: [{ date: shanghaiToday(), name: "休息" }] });
    expect(calendar.status, JSON.stringify(calendar.body)).toBe(201);
    await api(server, tenant.admin).patch(`/api/widget-configs/${widget.id}`).send({ calendarId: calendar.body.data.id });
    const closed = await supertest(server.url).get(`/api/widget/${widget.publicKey}/config`);
    expect(closed.body.data).toMatchObject({ open: false, available: false });
  });

  it("answers 404 for an unknown key or another tenant's signed-in user, and only allowed origins get CORS", async () => {
    const tenant = await createTestTenant(server);
    const other = await createTestTenant(server);
    const widget = await makeWidget(server, tenant, { allowedOrigins: ["https://shop.example.com"] });
    expect((await supertest(server.url).get("/api/widget/wk_000000000000000000000000/config")).status).toBe(404);
    const foreign = await api(server, other.admin).get(`/api/widget/${widget.publicKey}/config`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe("NOT_FOUND");

    const allowed = await supertest(server.url).get(`/api/widget/${widget.publicKey}/config`).set("Origin", "https://shop.example.com");
    expect(allowed.status).toBe(200);
    expect(allowed.headers["access-control-allow-origin"]).toBe("https://shop.example.com");
    const refused = await supertest(server.url).post(`/api/widget/${widget.publicKey}/sessions`).set("Origin", "https://evil.example.net").send({});
    expect(refused.status).toBe(403);
    expect(refused.headers["access-control-allow-origin"]).toBeUndefined();
  });
});

describe("allowed origins with any port", () => {
  it("lets http://localhost:* admit a page on any local port, and nothing else; only the port may be a wildcard", async () => {
    const tenant = await createTestTenant(server);
    const widget = await makeWidget(server, tenant, { allowedOrigins: ["http://localhost:*", "http://127.0.0.1:*"] });
    for (const origin of ["http://localhost:5501", "http://localhost:41234", "http://127.0.0.1:8000"]) {
      const session = await supertest(server.url).post(`/api/widget/${widget.publicKey}/sessions`).set("Origin", origin).send({});
      expect(session.status, origin).toBe(201);
      expect(session.headers["access-control-allow-origin"], origin).toBe(origin);
    }
    for (const origin of ["https://localhost:5501", "http://localhost.evil.example:5501", "http://evil.example:5501"]) {
      const refused = await supertest(server.url).post(`/api/widget/${widget.publicKey}/sessions`).set("Origin", origin).send({});
      expect(refused.status, origin).toBe(403);
      expect(refused.headers["access-control-allow-origin"], origin).toBeUndefined();
    }

    for (const pattern of ["http://*.example.com", "*", "http://localhost:80*", "http://localhost:8080:*", "https://*:443"]) {
      const bad = await api(server, tenant.admin).patch(`/api/widget-configs/${widget.id}`).send({ allowedOrigins: [pattern] });
      expect(bad.status, pattern).toBe(400);
      expect(bad.body.error.code).toBe("VALIDATION_FAILED");
    }
    const ipv6 = await api(server, tenant.admin).patch(`/api/widget-configs/${widget.id}`).send({ allowedOrigins: ["http://[::1]:*"] });
    expect(ipv6.status, JSON.stringify(ipv6.body)).toBe(200);
  });
});

describe("the widget's header title, one per language", () => {
  it("is stored and served per language, defaults to 在线客服 / Customer service, and a plain string is refused naming the field", async () => {
    const tenant = await createTestTenant(server);
    const admin = api(server, tenant.admin);
    const plain = await makeWidget(server, tenant);
    const config = async (key: string) => (await supertest(server.url).get(`/api/widget/${key}/config`)).body.data as { theme: { title: unknown } };
    expect((await config(plain.publicKey)).theme.title).toEqual({ "zh-CN": "在线客服", en: "Customer service" });

    const title = { "zh-CN": "云账房客服", en: "Yunzhangfang support" };
    const theme = { title, primaryColor: "#0b7a5a", textColor: "#ffffff" };
    const created = await admin.post("/api/widget-configs").send({ name: "官网", theme });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.data.theme).toEqual(theme);
    expect((await config(created.body.data.publicKey)).theme.title).toEqual(title);

    const renamed = await admin.patch(`/api/widget-configs/${created.body.data.id}`).send({ theme: { ...theme, title: { "zh-CN": " 云账房在线客服 ", en: "Chat with Yunzhangfang" } } });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect((await admin.get(`/api/widget-configs/${created.body.data.id}`)).body.data.theme.title).toEqual({ "zh-CN": "云账房在线客服", en: "Chat with Yunzhangfang" });
    expect((await config(created.body.data.publicKey)).theme.title).toEqual({ "zh-CN": "云账房在线客服", en: "Chat with Yunzhangfang" });

    // an old client's single string cannot be right in both languages: 400, saying what to send
    const old = await admin.patch(`/api/widget-configs/${created.body.data.id}`).send({ theme: { ...theme, title: "云账房客服" } });
    expect(old.status).toBe(400);
    expect(old.body.error.code).toBe("VALIDATION_FAILED");
    expect(old.body.error.message).toBe('body.theme.title: one text per widget language: { "zh-CN": "…", "en": "…" }');
    const oldCreate = await admin.post("/api/widget-configs").send({ name: "旧", theme: { ...theme, title: "Support" } });
    expect(oldCreate.status).toBe(400);
    expect(oldCreate.body.error.message).toContain("body.theme.title: one text per widget language");
    const blank = await admin.patch(`/api/widget-configs/${created.body.data.id}`).send({ theme: { ...theme, title: { "zh-CN": "客服", en: "  " } } });
    expect(blank.status).toBe(400);
    expect(blank.body.error.message).toMatch(/^body\.theme\.title\.en: /);
    expect((await config(created.body.data.publicKey)).theme.title).toEqual({ "zh-CN": "云账房在线客服", en: "Chat with Yunzhangfang" });
  });

  it("migrates a stored single-string title into the language it is written in, the other language keeping its default", async () => {
    const database = await emptyDatabase();
    cleanups.push(() => database.close());
    const { db } = database;
    const before = loadMigrations().filter((m) => m.version < "0016");
    await migrate(db, before);
    const tenant = await db.insertInto("tenants").values({ slug: `t-${TEST_DB}`, name: "迁移" }).returning("id").executeTakeFirstOrThrow();
    const titles = { old: "在线客服", chinese: "华东电气客服", english: "ACME Support" };
    for (const [name, title] of Object.entries(titles)) {
      await db
        .insertInto("widget_configs")
        .values({
          tenant_id: tenant.id,
          public_key: `wk_${name}`,
          name,
          pre_chat_form: JSON.stringify({ name: "off", phone: "off", company: "off", verificationCode: "off" }),
          greeting: JSON.stringify({ "zh-CN": "您好", en: "Hello" }),
          offline_message: JSON.stringify({ "zh-CN": "请留言", en: "Leave a message" }),
          entry_point: name,
          theme: JSON.stringify({ title, primaryColor: "#0958d9", textColor: "#ffffff" }),
        })
        .execute();
    }

    expect(await migrate(db)).toContain("0016_widget_title_per_language");
    const rows = await db.selectFrom("widget_configs").select(["name", "theme"]).execute();
    const migrated = Object.fromEntries(rows.map((r) => [r.name, r.theme]));
    expect(migrated).toEqual({
      old: { title: { "zh-CN": "在线客服", en: "Customer service" }, primaryColor: "#0958d9", textColor: "#ffffff" },
      chinese: { title: { "zh-CN": "华东电气客服", en: "Customer service" }, primaryColor: "#0958d9", textColor: "#ffffff" },
      english: { title: { "zh-CN": "在线客服", en: "ACME Support" }, primaryColor: "#0958d9", textColor: "#ffffff" },
    });
  });
});

describe("visitor sessions", () => {
  it("gives a new visitor a signed token and a contact, and recognises them when they come back", async () => {
    const tenant = await createTestTenant(server);
    const widget = await makeWidget(server, tenant);
    const first = await openSession(server, widget.publicKey);
    expect(first.returning).toBe(false);
    expect(first.contact.name).toMatch(/^访客 \d{4}$/);
    expect(first.conversation).toBeNull();

    const again = await openSession(server, widget.publicKey, { visitorToken: first.visitorToken });
    expect(again).toMatchObject({ returning: true, visitorId: first.visitorId, contact: { name: first.contact.name } });
    const identified = await api(server, tenant.users.agent).get(`/api/identify?visitorId=${first.visitorId}`);
    expect(identified.body.data.contact.name).toBe(first.contact.name);

    const english = await openSession(server, widget.publicKey, { locale: "en-US" });
    expect(english.contact.name).toMatch(/^Visitor \d{4}$/);

    // a token of another tenant's widget, or a forged one, starts a new visitor
    const elsewhere = await makeWidget(server, await createTestTenant(server));
    const foreign = await openSession(server, elsewhere.publicKey, { visitorToken: first.visitorToken });
    expect(foreign.returning).toBe(false);
    expect(foreign.visitorId).not.toBe(first.visitorId);
    const forged = first.visitorToken.slice(0, -4) + "AAAA";
    expect((await openSession(server, widget.publicKey, { visitorToken: forged })).returning).toBe(false);
    const noSession = await asVisitor(server, forged).get("/api/widget/sessions/messages");
    expect(noSession.status).toBe(401);
  });

  it("rate limits session creation per client and widget with RATE_LIMITED", async () => {
    const widget = await makeWidget(server, await createTestTenant(server));
    const answers: { status: number; body: { error?: { code: string } } }[] = [];
    // a burst of 20 is allowed; beyond it requests outrun the refill (one per two seconds)
    while (answers.length < 200 && answers.at(-1)?.status !== 429) answers.push(await supertest(server.url).post(`/api/widget/${widget.publicKey}/sessions`).send({}));
    expect(answers.slice(0, 20).every((a) => a.status === 201)).toBe(true);
    expect(answers.at(-1)).toMatchObject({ status: 429, body: { error: { code: "RATE_LIMITED" } } });
    // another widget is another bucket
    const other = await makeWidget(server, await createTestTenant(server));
    expect((await supertest(server.url).post(`/api/widget/${other.publicKey}/sessions`).send({})).status).toBe(201);
  });

  it("identifies a visitor by phone (national or +86) or verification code, and refuses bad values with codes", async () => {
    const tenant = await createTestTenant(server);
    const widget = await makeWidget(server, tenant, { preChatForm: { name: "required", phone: "optional", company: "optional", verificationCode: "optional" } });
    const company = await api(server, tenant.admin).post("/api/companies").send({ name: "华东电气", verificationCode: "880123" });
    expect(company.status, JSON.stringify(company.body)).toBe(201);
    const known = await api(server, tenant.admin).post("/api/contacts").send({ name: "陈静", identities: [{ kind: "phone", value: "13800138000" }] });
    expect(known.status, JSON.stringify(known.body)).toBe(201);

    const session = await openSession(server, widget.publicKey);
    expect(session.needsPreChat).toBe(true);
    const visitor = asVisitor(server, session.visitorToken);
    const missing = await visitor.post("/api/widget/sessions/prechat").send({ phone: "13800138000" });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe("VALIDATION_FAILED");
    const badPhone = await visitor.post("/api/widget/sessions/prechat").send({ name: "陈", phone: "12ab" });
    expect(badPhone.status).toBe(400);
    expect(badPhone.body.error.code).toBe("INVALID_PHONE");
    const badCode = await visitor.post("/api/widget/sessions/prechat").send({ name: "陈", verificationCode: "999999" });
    expect(badCode.status).toBe(400);
    expect(badCode.body.error.code).toBe("INVALID_VERIFICATION_CODE");

    const byPhone = await visitor.post("/api/widget/sessions/prechat").send({ name: "陈女士", phone: "+86 138 0013 8000" });
    expect(byPhone.status, JSON.stringify(byPhone.body)).toBe(200);
    expect(byPhone.body.data.contact).toMatchObject({ name: "陈静", identified: true });
    const owner = await api(server, tenant.users.agent).get(`/api/identify?visitorId=${session.visitorId}`);
    expect(owner.body.data.contact.id).toBe(known.body.data.id);
    const back = await openSession(server, widget.publicKey, { visitorToken: session.visitorToken });
    expect(back).toMatchObject({ returning: true, needsPreChat: false, contact: { name: "陈静", identified: true } });

    const stranger = await openSession(server, widget.publicKey);
    const byCode = await asVisitor(server, stranger.visitorToken).post("/api/widget/sessions/prechat").send({ name: "王工", verificationCode: "880123", message: "发票抬头要改", clientId: "first" });
    expect(byCode.status, JSON.stringify(byCode.body)).toBe(200);
    expect(byCode.body.data.contact).toMatchObject({ name: "王工", companyName: "华东电气" });
    expect(byCode.body.data.message).toMatchObject({ seq: 1, from: "visitor", text: "发票抬头要改", clientId: "first" });
    expect(byCode.body.data.conversation).toMatchObject({ id: byCode.body.data.message.conversationId, lastSeq: 1 });
    const theirs = await api(server, tenant.users.agent).get(`/api/identify?visitorId=${stranger.visitorId}`);
    expect(theirs.body.data.contact.companyId).toBe(company.body.data.id);
  });
});

describe("leaving a message", () => {
  it("makes a ticket with the message, found by the customer's phone, and says how they will be answered", async () => {
    const tenant = await createTestTenant(server);
    const widget = await makeWidget(server, tenant, { offlineMessage: { "zh-CN": "我们会在一个工作日内回电。", en: "We will call you back within a working day." } });
    const session = await openSession(server, widget.publicKey);
    const visitor = asVisitor(server, session.visitorToken);
    const bad = await visitor.post("/api/widget/sessions/leave-message").send({ name: "赵先生", text: "你好" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("VALIDATION_FAILED");

    const left = await visitor.post("/api/widget/sessions/leave-message").send({ name: "赵先生", phone: "139 1234 5678", text: "打印机无法联网\n请回电" });
    expect(left.status, JSON.stringify(left.body)).toBe(201);
    expect(left.body.data.reply["zh-CN"]).toBe("我们会在一个工作日内回电。");
    const tickets = await api(server, tenant.users.agent).get(`/api/tickets?q=${encodeURIComponent(left.body.data.ticketNumber)}`);
    const ticket = (tickets.body.data.items as { id: string; number: string; subject: string; sourceChannel: string }[]).find((t) => t.number === left.body.data.ticketNumber);
    expect(ticket).toMatchObject({ subject: "打印机无法联网", sourceChannel: "webchat" });
    const timeline = await api(server, tenant.users.agent).get(`/api/tickets/${ticket!.id}/timeline`);
    expect(JSON.stringify(timeline.body.data)).toContain("打印机无法联网");
    const caller = await api(server, tenant.users.agent).get(`/api/identify?phone=${encodeURIComponent("+8613912345678")}`);
    expect(caller.body.data.contact.name).toBe("赵先生");
  });
});

describe("CORS for the widget's endpoints", () => {
  it("answers preflights and lets allowed origins read answers, errors included", async () => {
    const tenant = await createTestTenant(server);
    const widget = await makeWidget(server, tenant, { allowedOrigins: ["https://help.example.org"] });
    // the middleware as the app mounts it, on /api/widget in front of the API
    const app = express();
    app.use("/api/widget", widgetCors(server.deps));
    app.use("/api/widget", (_req, res) => {
      res.status(400).json({ error: { code: "VALIDATION_FAILED", message: "x" } });
    });
    const preflight = await supertest(app)
      .options("/api/widget/sessions/prechat")
      .set("Origin", "https://help.example.org")
      .set("Access-Control-Request-Method", "POST")
      .set("Access-Control-Request-Headers", "authorization, content-type");
    expect(preflight.status).toBe(204);
    expect(preflight.headers["access-control-allow-origin"]).toBe("https://help.example.org");
    expect(preflight.headers["access-control-allow-headers"]).toContain("Authorization");
    const error = await supertest(app).post("/api/widget/sessions/prechat").set("Origin", "https://help.example.org").send({});
    expect(error.status).toBe(400);
    expect(error.headers["access-control-allow-origin"]).toBe("https://help.example.org");
    const stranger = await supertest(app).options(`/api/widget/${widget.publicKey}/sessions`).set("Origin", "https://evil.example.net").set("Access-Control-Request-Method", "POST");
    expect(stranger.headers["access-control-allow-origin"]).toBeUndefined();
  });
});
