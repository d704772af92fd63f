import type { TicketStatus } from "@yixian/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTransaction, systemCtx, type Ctx } from "../../server/src/domain/context.ts";
import { appendMessage } from "../../server/src/domain/conversations/append-message.ts";
import { searchTokens } from "../../server/src/domain/shared/search-tokens.ts";
import { insertTicket } from "../../server/src/domain/tickets/insert-ticket.ts";
import { api, createTestTenant, startTestServer, type TestServer, type TestTenant } from "./harness.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

function digits(n: number): string {
  let out = "";
  while (out.length < n) out += String(Math.floor(Math.random() * 10));
  return out;
}

async function makeContact(tenant: TestTenant, name = "张伟") {
  const { db } = server.deps;
  const company = await db
    .insertInto("companies")
    .values({ tenant_id: tenant.id, name: `${name}的公司`, verification_code: digits(8), custom_fields: "{}", search_tokens: searchTokens(name) })
    .returning(["id", "name"])
    .executeTakeFirstOrThrow();
  return db
    .insertInto("contacts")
    .values({ tenant_id: tenant.id, company_id: company.id, name, custom_fields: "{}", search_tokens: searchTokens(name) })
    .returning(["id", "name", "company_id"])
    .executeTakeFirstOrThrow();
}

/** A ticket of the contact in the given status, created the way every path creates one. */
async function makeTicket(tenant: TestTenant, contactId: string, status: TicketStatus, subject = "旧问题") {
  const ctx = systemCtx(server.deps, tenant.id);
  const ticket = await inTransaction(ctx, (tx) => insertTicket(tx, ctx, { subject, contactId, sourceChannel: "phone" }));
  await server.deps.db.updateTable("tickets").set({ status }).where("id", "=", ticket.id).execute();
  return ticket;
}

function customer(tenant: TestTenant, contactId: string): Ctx {
  return { tenantId: tenant.id, actor: { type: "contact", id: contactId }, deps: server.deps, log: server.deps.log };
}

async function timeline(ticketId: string) {
  return server.deps.db
    .selectFrom("timeline_events")
    .select(["kind", "message_id", "conversation_id", "data"])
    .where("ticket_id", "=", ticketId)
    .orderBy("occurred_at")
    .orderBy("id")
    .execute();
}

async function startChat(tenant: TestTenant, body: Record<string, unknown>) {
  const res = await api(server, tenant.users.agent).post("/api/conversations").send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data as { id: string; ticketId: string | null; contactId: string | null; state: string; [k: string]: unknown };
}

describe("starting conversations", () => {
  it("finds the caller by phone number however it is written, creating the contact the first time", async () => {
    const tenant = await createTestTenant(server);
    const first = await startChat(tenant, { channel: "phone", identity: { kind: "phone", value: "138 0013 8000" } });
    expect(first).toMatchObject({ channel: "phone", state: "queued", ticketId: null, lastSeq: 0 });
    expect(first.contactId).toBeTruthy();
    expect(first.contact).toMatchObject({ id: first.contactId, name: "138 0013 8000" });
    expect(first.participants).toEqual([expect.objectContaining({ kind: "customer", contactId: first.contactId })]);

    const again = await startChat(tenant, { channel: "phone", identity: { kind: "phone", value: "+86 138-0013-8000" } });
    expect(again.id).not.toBe(first.id);
    expect(again.contactId).toBe(first.contactId);
    const contacts = await server.deps.db.selectFrom("contacts").select("id").where("tenant_id", "=", tenant.id).execute();
    expect(contacts).toHaveLength(1);
  });

  it("returns the existing conversation for a repeated externalRef, even when both arrive at once", async () => {
    const tenant = await createTestTenant(server);
    const body = { channel: "webchat", identity: { kind: "visitor_id", value: "v-42" }, externalRef: "session-42" };
    const first = await startChat(tenant, body);
    const repeat = await startChat(tenant, body);
    expect(repeat.id).toBe(first.id);

    const racing = await Promise.all([1, 2, 3].map(() => api(server, tenant.users.agent).post("/api/conversations").send({ ...body, externalRef: "session-43" })));
    expect(racing.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(new Set(racing.map((r) => r.body.data.id)).size).toBe(1);
    const rows = await server.deps.db.selectFrom("conversations").select("id").where("tenant_id", "=", tenant.id).execute();
    expect(rows).toHaveLength(2);
    const sameRefOtherChannel = await startChat(tenant, { channel: "wechat", externalRef: "session-42" });
    expect(sameRefOtherChannel.id).not.toBe(first.id);
  });

  it("refuses contactId together with identity, a malformed phone number, and another tenant's contact", async () => {
    const tenant = await createTestTenant(server);
    const other = await createTestTenant(server);
    const theirs = await makeContact(other);
    const agent = api(server, tenant.users.agent);
    const both = await agent.post("/api/conversations").send({ channel: "phone", contactId: theirs.id, identity: { kind: "phone", value: "13800138000" } });
    expect(both.status).toBe(400);
    expect(both.body.error.code).toBe("VALIDATION_FAILED");
    const badPhone = await agent.post("/api/conversations").send({ channel: "phone", identity: { kind: "phone", value: "not a number" } });
    expect(badPhone.status).toBe(400);
    expect(badPhone.body.error.code).toBe("INVALID_PHONE");
    const foreign = await agent.post("/api/conversations").send({ channel: "phone", contactId: theirs.id });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe("NOT_FOUND");
  });

  it("lets only roles with conversation:write start one", async () => {
    const tenant = await createTestTenant(server);
    const res = await api(server, tenant.users.field_engineer).post("/api/conversations").send({ channel: "phone" });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("FORBIDDEN");
  });
});

describe("one problem, one ticket", () => {
  it("links a returning customer's new conversation to their newest open ticket at once", async () => {
    const tenant = await createTestTenant(server);
    const contact = await makeContact(tenant);
    await makeTicket(tenant, contact.id, "closed", "很久以前的问题");
    await makeTicket(tenant, contact.id, "open", "较早的未结问题");
    const newest = await makeTicket(tenant, contact.id, "pending", "最新的未结问题");

    const chat = await startChat(tenant, { channel: "webchat", contactId: contact.id });
    expect(chat.ticketId).toBe(newest.id);
    expect(chat.ticket).toMatchObject({ id: newest.id, number: newest.number, status: "pending" });
    const entries = await timeline(newest.id);
    expect(entries.map((e) => e.kind)).toEqual(["ticket_created", "conversation_linked"]);
    expect(entries[1]!.conversation_id).toBe(chat.id);
  });

  it("gives a customer with only closed tickets a new ticket when an agent accepts, carrying the messages so far", async () => {
    const tenant = await createTestTenant(server);
    const contact = await makeContact(tenant, "李娜");
    const closed = await makeTicket(tenant, contact.id, "closed");
    const chat = await startChat(tenant, { channel: "webchat", contactId: contact.id });
    expect(chat.ticketId).toBeNull();
    await appendMessage(customer(tenant, contact.id), { conversationId: chat.id, direction: "inbound", text: "我的发票打印不出来\n用的是金蝶K3" });
    await appendMessage(customer(tenant, contact.id), { conversationId: chat.id, direction: "inbound", text: "很着急" });

    const res = await api(server, tenant.users.agent).post(`/api/conversations/${chat.id}/accept`);
    expect(res.status).toBe(200);
    const accepted = res.body.data;
    expect(accepted).toMatchObject({ state: "active", assigneeId: tenant.users.agent.id });
    expect(accepted.acceptedAt).toBeTruthy();
    expect(accepted.ticketId).not.toBe(closed.id);
    expect(accepted.ticket).toMatchObject({ subject: "我的发票打印不出来", status: "new", assigneeId: tenant.users.agent.id });
    expect(accepted.participants.map((p: { kind: string }) => p.kind)).toEqual(["customer", "agent"]);

    const ticket = await server.deps.db.selectFrom("tickets").selectAll().where("id", "=", accepted.ticketId).executeTakeFirstOrThrow();
    expect(ticket).toMatchObject({ contact_id: contact.id, company_id: contact.company_id, source_channel: "webchat" });
    const entries = await timeline(ticket.id);
    expect(entries.filter((e) => e.kind === "message")).toHaveLength(2);
    expect(entries.find((e) => e.kind === "ticket_created")?.data).toMatchObject({ conversationId: chat.id });
    const messages = await server.deps.db.selectFrom("messages").select("ticket_id").where("conversation_id", "=", chat.id).execute();
    expect(messages.every((m) => m.ticket_id === ticket.id)).toBe(true);
  });

  it("joins the ticket another conversation of the same customer opened while this one waited", async () => {
    const tenant = await createTestTenant(server);
    const contact = await makeContact(tenant);
    const chat = await startChat(tenant, { channel: "webchat", contactId: contact.id });
    const call = await startChat(tenant, { channel: "phone", contactId: contact.id });
    await appendMessage(customer(tenant, contact.id), { conversationId: call.id, direction: "inbound", text: "我刚在网页上也问了" });
    const first = await api(server, tenant.users.agent).post(`/api/conversations/${chat.id}/accept`);
    const second = await api(server, tenant.users.vip_agent).post(`/api/conversations/${call.id}/accept`);
    expect(second.status).toBe(200);
    expect(second.body.data.ticketId).toBe(first.body.data.ticketId);
    const entries = await timeline(first.body.data.ticketId);
    // The call's message keeps the time the customer wrote it, before the chat was accepted.
    expect(entries.map((e) => e.kind)).toEqual(["message", "ticket_created", "conversation_linked"]);
  });

  it("lets the first agent win: a colleague's accept is CONFLICT, accepting again oneself changes nothing", async () => {
    const tenant = await createTestTenant(server);
    const chat = await startChat(tenant, { channel: "wechat", subject: "微信咨询" });
    const mine = await api(server, tenant.users.agent).post(`/api/conversations/${chat.id}/accept`);
    expect(mine.status).toBe(200);
    expect(mine.body.data.ticket.subject).toBe("微信咨询");
    const theirs = await api(server, tenant.users.vip_agent).post(`/api/conversations/${chat.id}/accept`);
    expect(theirs.status).toBe(409);
    expect(theirs.body.error.code).toBe("CONFLICT");
    const again = await api(server, tenant.users.agent).post(`/api/conversations/${chat.id}/accept`);
    expect(again.status).toBe(200);
    expect(again.body.data.ticketId).toBe(mine.body.data.ticketId);
    const tickets = await server.deps.db.selectFrom("tickets").select("id").where("tenant_id", "=", tenant.id).execute();
    expect(tickets).toHaveLength(1);
  });

  it("detaches a conversation into a new ticket, taking its messages and their timeline entries", async () => {
    const tenant = await createTestTenant(server);
    const contact = await makeContact(tenant);
    const open = await makeTicket(tenant, contact.id, "open", "发票问题");
    const earlier = await startChat(tenant, { channel: "phone", contactId: contact.id });
    await appendMessage(customer(tenant, contact.id), { conversationId: earlier.id, direction: "inbound", text: "发票的事" });
    const chat = await startChat(tenant, { channel: "webchat", contactId: contact.id });
    expect(chat.ticketId).toBe(open.id);
    const agent = api(server, tenant.users.agent);
    await agent.post(`/api/conversations/${chat.id}/accept`);
    await appendMessage(customer(tenant, contact.id), { conversationId: chat.id, direction: "inbound", text: "另外打印机驱动也装不上" });
    const reply = await agent.post(`/api/conversations/${chat.id}/messages`).send({ text: "这是另一个问题，我单独建单" });
    expect(reply.status).toBe(201);

    const res = await agent.post(`/api/conversations/${chat.id}/detach`).send({ subject: "打印机驱动安装失败" });
    expect(res.status).toBe(200);
    const newTicketId: string = res.body.data.ticketId;
    expect(newTicketId).not.toBe(open.id);
    expect(res.body.data.ticket).toMatchObject({ subject: "打印机驱动安装失败", assigneeId: tenant.users.agent.id });

    const moved = await server.deps.db.selectFrom("messages").select(["ticket_id", "conversation_id"]).where("tenant_id", "=", tenant.id).execute();
    expect(moved.filter((m) => m.conversation_id === chat.id).every((m) => m.ticket_id === newTicketId)).toBe(true);
    expect(moved.filter((m) => m.conversation_id === earlier.id).every((m) => m.ticket_id === open.id)).toBe(true);

    const oldEntries = await timeline(open.id);
    expect(oldEntries.map((e) => e.kind)).toEqual(["ticket_created", "conversation_linked", "message", "conversation_linked", "conversation_detached"]);
    expect(oldEntries.at(-1)!.data).toMatchObject({ toTicketId: newTicketId });
    const newEntries = await timeline(newTicketId);
    expect(newEntries.map((e) => e.kind)).toEqual(["message", "message", "ticket_created"]);
    expect(newEntries.find((e) => e.kind === "ticket_created")!.data).toMatchObject({ detachedFrom: open.id, conversationId: chat.id });
  });

  it("answers CONVERSATION_HAS_NO_TICKET when detaching a conversation that has none", async () => {
    const tenant = await createTestTenant(server);
    const chat = await startChat(tenant, { channel: "portal" });
    const res = await api(server, tenant.users.agent).post(`/api/conversations/${chat.id}/detach`).send({});
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("CONVERSATION_HAS_NO_TICKET");
  });

  it("links a conversation to another open ticket of the same customer only", async () => {
    const tenant = await createTestTenant(server);
    const contact = await makeContact(tenant);
    const stranger = await makeContact(tenant, "王芳");
    const first = await makeTicket(tenant, contact.id, "open", "第一个问题");
    const chat = await startChat(tenant, { channel: "email", contactId: contact.id });
    await appendMessage(customer(tenant, contact.id), { conversationId: chat.id, direction: "inbound", text: "补充一下" });
    const second = await makeTicket(tenant, contact.id, "new", "第二个问题");
    const resolved = await makeTicket(tenant, contact.id, "resolved", "已处理的问题");
    const strangers = await makeTicket(tenant, stranger.id, "open", "别人的问题");
    const agent = api(server, tenant.users.agent);

    const toStranger = await agent.post(`/api/conversations/${chat.id}/link`).send({ ticketId: strangers.id });
    expect(toStranger.status).toBe(409);
    expect(toStranger.body.error.code).toBe("CONFLICT");
    const toResolved = await agent.post(`/api/conversations/${chat.id}/link`).send({ ticketId: resolved.id });
    expect(toResolved.status).toBe(409);
    expect(toResolved.body.error.code).toBe("TICKET_CLOSED");

    const res = await agent.post(`/api/conversations/${chat.id}/link`).send({ ticketId: second.id });
    expect(res.status).toBe(200);
    expect(res.body.data.ticketId).toBe(second.id);
    expect((await timeline(first.id)).map((e) => e.kind)).toEqual(["ticket_created", "conversation_linked", "conversation_detached"]);
    // The message keeps the time it was written, which was before the second ticket existed.
    expect((await timeline(second.id)).map((e) => e.kind)).toEqual(["message", "ticket_created", "conversation_linked"]);
  });
});

describe("ending, reading and listing conversations", () => {
  it("ends with a wrap-up note and then refuses messages with CONVERSATION_ENDED", async () => {
    const tenant = await createTestTenant(server);
    const contact = await makeContact(tenant);
    const chat = await startChat(tenant, { channel: "webchat", subject: "咨询", contactId: contact.id });
    const agent = api(server, tenant.users.agent);
    await agent.post(`/api/conversations/${chat.id}/accept`);
    const end = await agent.post(`/api/conversations/${chat.id}/end`).send({ wrapUp: "已解答，客户满意" });
    expect(end.status).toBe(200);
    expect(end.body.data).toMatchObject({ state: "ended", lastSeq: 1 });
    expect(end.body.data.endedAt).toBeTruthy();
    expect(end.body.data.participants.every((p: { leftAt: string | null }) => p.leftAt !== null)).toBe(true);
    const notes = await agent.get(`/api/conversations/${chat.id}/messages`);
    expect(notes.body.data.items).toEqual([expect.objectContaining({ direction: "internal", text: "已解答，客户满意", authorType: "user" })]);

    const late = await agent.post(`/api/conversations/${chat.id}/messages`).send({ text: "还在吗？" });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe("CONVERSATION_ENDED");
    const fromCustomer = appendMessage(customer(tenant, contact.id), { conversationId: chat.id, direction: "inbound", text: "你好" });
    await expect(fromCustomer).rejects.toMatchObject({ code: "CONVERSATION_ENDED" });
    // a retried end (its reply lost) answers as the first did
    const again = await agent.post(`/api/conversations/${chat.id}/end`).send({});
    expect(again.status).toBe(200);
    expect(again.body.data).toEqual(end.body.data);
    const acceptEnded = await agent.post(`/api/conversations/${chat.id}/accept`);
    expect(acceptEnded.body.error.code).toBe("CONVERSATION_ENDED");
  });

  it("lists by state, channel, contact, ticket and assignee=me, newest first, a page at a time", async () => {
    const tenant = await createTestTenant(server);
    const contact = await makeContact(tenant);
    const a = await startChat(tenant, { channel: "phone", contactId: contact.id });
    const b = await startChat(tenant, { channel: "webchat", contactId: contact.id });
    const c = await startChat(tenant, { channel: "webchat" });
    const agent = api(server, tenant.users.agent);
    const accepted = await agent.post(`/api/conversations/${b.id}/accept`);

    const ids = async (query: Record<string, string | number>) => {
      const res = await agent.get("/api/conversations").query(query);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return (res.body.data.items as { id: string }[]).map((i) => i.id);
    };
    expect(await ids({})).toEqual([c.id, b.id, a.id]);
    expect(await ids({ state: "queued" })).toEqual([c.id, a.id]);
    expect(await ids({ channel: "webchat" })).toEqual([c.id, b.id]);
    expect(await ids({ contactId: contact.id })).toEqual([b.id, a.id]);
    expect(await ids({ assigneeId: "me" })).toEqual([b.id]);
    expect(await ids({ ticketId: accepted.body.data.ticketId })).toEqual([b.id]);

    const page1 = await agent.get("/api/conversations").query({ limit: 2 });
    expect(page1.body.data.items).toHaveLength(2);
    const page2 = await agent.get("/api/conversations").query({ limit: 2, cursor: page1.body.data.nextCursor });
    expect(page2.body.data.items.map((i: { id: string }) => i.id)).toEqual([a.id]);
    expect(page2.body.data.nextCursor).toBeNull();
  });

  it("lists each conversation with its customer's name and first message, so chats without a subject can be told apart", async () => {
    const tenant = await createTestTenant(server);
    const contact = await makeContact(tenant);
    const chat = await startChat(tenant, { channel: "webchat", contactId: contact.id });
    await appendMessage(customer(tenant, contact.id), { conversationId: chat.id, direction: "inbound", text: "发票打印不出来，提示纸张错误" });
    await appendMessage(customer(tenant, contact.id), { conversationId: chat.id, direction: "inbound", text: "很着急" });
    const nobody = await startChat(tenant, { channel: "webchat" });
    const res = await api(server, tenant.users.agent).get("/api/conversations");
    const items = res.body.data.items as { id: string; contact: { name: string; anonymous: boolean } | null; firstMessage: string | null }[];
    const row = items.find((i) => i.id === chat.id);
    expect(row?.contact).toEqual({ name: contact.name, anonymous: false });
    expect(row?.firstMessage).toBe("发票打印不出来，提示纸张错误");
    expect(items.find((i) => i.id === nobody.id)).toMatchObject({ contact: null, firstMessage: null });
  });

  it("answers 404 NOT_FOUND for another tenant's conversation on every conversation route", async () => {
    const tenant = await createTestTenant(server);
    const other = await createTestTenant(server);
    const chat = await startChat(tenant, { channel: "webchat", subject: "秘密" });
    const outsider = api(server, other.users.admin);
    const answers = await Promise.all([
      outsider.get(`/api/conversations/${chat.id}`),
      outsider.get(`/api/conversations/${chat.id}/messages`),
      outsider.post(`/api/conversations/${chat.id}/messages`).send({ text: "hi", direction: "internal" }),
      outsider.post(`/api/conversations/${chat.id}/accept`),
      outsider.post(`/api/conversations/${chat.id}/end`).send({}),
    ]);
    for (const res of answers) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("NOT_FOUND");
    }
    const list = await outsider.get("/api/conversations");
    expect(list.body.data.items).toEqual([]);
    const untouched = await api(server, tenant.users.agent).get(`/api/conversations/${chat.id}`);
    expect(untouched.body.data).toMatchObject({ state: "queued", lastSeq: 0 });
  });
});
