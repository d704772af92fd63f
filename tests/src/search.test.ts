import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTransaction, systemCtx, type Ctx } from "../../server/src/domain/context.ts";
import { appendMessage } from "../../server/src/domain/conversations/append-message.ts";
import { searchQuery, searchTokens } from "../../server/src/domain/shared/search-tokens.ts";
import { insertTicket } from "../../server/src/domain/tickets/insert-ticket.ts";
import { api, createTestTenant, startTestServer, type TestServer, type TestTenant } from "./harness.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

interface Hit {
  type: string;
  id: string;
  title: string;
  snippet: string;
  rank: number;
  ticketId: string | null;
  conversationId: string | null;
}

/** A customer with a company, a ticket and a chat in which they wrote `text`. */
async function world(tenant: TestTenant, text: string) {
  const { db } = server.deps;
  const company = await db
    .insertInto("companies")
    .values({ tenant_id: tenant.id, name: "北京星辰科技有限公司", verification_code: "80012345", address: "海淀区中关村大街1号", custom_fields: "{}", search_tokens: searchTokens("北京星辰科技有限公司") })
    .returning("id")
    .executeTakeFirstOrThrow();
  const contact = await db
    .insertInto("contacts")
    .values({ tenant_id: tenant.id, company_id: company.id, name: "张伟", title: "财务经理", custom_fields: "{}", search_tokens: searchTokens("张伟 财务经理 北京星辰科技有限公司") })
    .returning("id")
    .executeTakeFirstOrThrow();
  const ctx = systemCtx(server.deps, tenant.id);
  const ticket = await inTransaction(ctx, (tx) => insertTicket(tx, ctx, { subject: "Printer offline after upgrade", contactId: contact.id, companyId: company.id }));
  const chat = await api(server, tenant.users.agent).post("/api/conversations").send({ channel: "webchat", contactId: contact.id });
  expect(chat.body.data.ticketId).toBe(ticket.id);
  const customer: Ctx = { tenantId: tenant.id, actor: { type: "contact", id: contact.id }, deps: server.deps, log: server.deps.log };
  const message = await appendMessage(customer, { conversationId: chat.body.data.id, direction: "inbound", text });
  return { company, contact, ticket, conversationId: chat.body.data.id as string, message };
}

async function find(tenant: TestTenant, q: string, extra: Record<string, string | number> = {}, role: keyof TestTenant["users"] = "agent") {
  const res = await api(server, tenant.users[role]).get("/api/search").query({ q, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data.items as Hit[];
}

describe("search", () => {
  it("finds a Chinese message by a two-character word inside the sentence", async () => {
    const tenant = await createTestTenant(server);
    const w = await world(tenant, "我的发票打印不出来，一直提示错误");
    const hits = await find(tenant, "发票");
    const hit = hits.find((h) => h.type === "message");
    expect(hit).toMatchObject({ id: w.message.id, ticketId: w.ticket.id, conversationId: w.conversationId });
    expect(hit!.title).toContain(w.ticket.number);
    expect(hit!.snippet).toContain("发票打印不出来");
    expect(await find(tenant, "打印不出")).toEqual([expect.objectContaining({ id: w.message.id })]);
    expect(await find(tenant, "发货")).toEqual([]);
  });

  it("finds contacts and companies by Chinese names, and tickets by English prefixes", async () => {
    const tenant = await createTestTenant(server);
    const w = await world(tenant, "hello");
    const people = await find(tenant, "张伟");
    expect(people).toEqual([expect.objectContaining({ type: "contact", id: w.contact.id, title: "张伟", snippet: "财务经理 · 北京星辰科技有限公司" })]);
    const companies = await find(tenant, "星辰科技", { types: "companies" });
    expect(companies).toEqual([expect.objectContaining({ type: "company", id: w.company.id, title: "北京星辰科技有限公司" })]);
    const tickets = await find(tenant, "print off");
    expect(tickets).toEqual([expect.objectContaining({ type: "ticket", id: w.ticket.id, ticketId: w.ticket.id, title: "Printer offline after upgrade" })]);
    expect(await find(tenant, w.ticket.number)).toEqual([expect.objectContaining({ id: w.ticket.id })]);
  });

  it("ranks better matches first and limits the answer", async () => {
    const tenant = await createTestTenant(server);
    const w = await world(tenant, "发票 发票 发票，还是发票的问题");
    const ctx = systemCtx(server.deps, tenant.id);
    await inTransaction(ctx, (tx) => insertTicket(tx, ctx, { subject: "发票抬头变更" }));
    const hits = await find(tenant, "发票");
    expect(hits.length).toBe(2);
    expect(hits[0]!.rank).toBeGreaterThanOrEqual(hits[1]!.rank);
    expect(hits.map((h) => h.type).sort()).toEqual(["message", "ticket"]);
    expect(await find(tenant, "发票", { limit: 1 })).toHaveLength(1);
    expect(await find(tenant, "发票", { types: "messages" })).toEqual([expect.objectContaining({ id: w.message.id })]);
  });

  it("never shows another tenant's records", async () => {
    const tenant = await createTestTenant(server);
    await world(tenant, "我的发票打印不出来");
    const other = await createTestTenant(server);
    expect(await find(other, "发票")).toEqual([]);
    expect(await find(other, "张伟")).toEqual([]);
    expect(await find(other, "printer")).toEqual([]);
  });

  it("leaves out what the role may not read, and refuses when nothing is left", async () => {
    const tenant = await createTestTenant(server);
    const w = await world(tenant, "发票打印");
    const engineer = await find(tenant, "发票", {}, "field_engineer");
    expect(engineer.some((h) => h.type === "message")).toBe(false);
    const onlyMessages = await api(server, tenant.users.field_engineer).get("/api/search").query({ q: "发票", types: "messages" });
    expect(onlyMessages.status).toBe(403);
    expect(onlyMessages.body.error.code).toBe("FORBIDDEN");
    expect(await find(tenant, "发票", {}, "quality_inspector")).toEqual([expect.objectContaining({ id: w.message.id })]);
  });

  it("validates the query", async () => {
    const tenant = await createTestTenant(server);
    for (const query of [{}, { q: "" }, { q: "发票", types: "tickets,nonsense" }, { q: "发票", limit: 0 }]) {
      const res = await api(server, tenant.users.agent).get("/api/search").query(query);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
    }
    expect(await find(tenant, "&|!()")).toEqual([]);
  });
});

/** The lexemes of to_tsvector('simple', tokens), as the database in use makes them. */
async function lexemesOf(tokens: string): Promise<string[]> {
  const row = await server.deps.db
    .selectNoFrom((eb) =>
      eb.fn<string[]>("tsvector_to_array", [eb.fn("to_tsvector", [eb.val("simple"), eb.cast(eb.val(tokens), "text")])]).as("lexemes"),
    )
    .executeTakeFirstOrThrow();
  return row.lexemes;
}

/** to_tsvector('simple', searchTokens(text)) @@ to_tsquery('simple', searchQuery(query)) in the database. */
async function matches(text: string, query: string): Promise<boolean> {
  const tsquery = searchQuery(query);
  expect(tsquery).not.toBeNull();
  const row = await server.deps.db
    .selectNoFrom((eb) =>
      eb(
        eb.fn("to_tsvector", [eb.val("simple"), eb.cast(eb.val(searchTokens(text)), "text")]),
        "@@",
        eb.fn("to_tsquery", [eb.val("simple"), eb.cast(eb.val(tsquery), "text")]),
      ).as("hit"),
    )
    .executeTakeFirstOrThrow();
  return Boolean(row.hit);
}

describe("PostgreSQL's simple configuration and our tokens", () => {
  const texts = [
    "我的发票打印不出来",
    "金蝶K3 财务软件无法登录，提示 error 0x80070005",
    "zhang.wei@example.com 来电 138-0013-8000",
    "ＵＳＢ打印机驱动（Windows 11）安装失败",
  ];

  it("keeps every Chinese token and plain word as one lexeme, and finds compound ones by their own query", async () => {
    for (const text of texts) {
      const tokens = searchTokens(text).split(" ");
      const lexemes = new Set(await lexemesOf(searchTokens(text)));
      // The parser splits 138-0013-8000 and foo_bar into parts (a phrase); everything else must survive whole.
      const lost = tokens.filter((t) => !/[-_]/.test(t) && !lexemes.has(t));
      expect(lost, text).toEqual([]);
      const unfindable = [];
      for (const t of tokens) if (!(await matches(text, t))) unfindable.push(t);
      expect(unfindable, text).toEqual([]);
    }
  });

  it("matches each text with queries made of its words", async () => {
    const cases: [string, string][] = [
      ["我的发票打印不出来", "发票"],
      ["我的发票打印不出来", "打印不出"],
      ["我的发票打印不出来", "票"],
      ["金蝶K3 财务软件无法登录，提示 error 0x80070005", "金蝶 登录 err"],
      ["zhang.wei@example.com 来电 138-0013-8000", "zhang.wei@example.com"],
      ["zhang.wei@example.com 来电 138-0013-8000", "zhang"],
      ["zhang.wei@example.com 来电 138-0013-8000", "138-0013-8000"],
      ["zhang.wei@example.com 来电 138-0013-8000", "8000"],
      ["ＵＳＢ打印机驱动（Windows 11）安装失败", "usb 驱动 windows"],
    ];
    for (const [text, q] of cases) expect(await matches(text, q), `${q} in ${text}`).toBe(true);
    expect(await matches(texts[0]!, "发货")).toBe(false);
    expect(await matches(texts[1]!, "金蝶 登陆")).toBe(false);
  });
});
