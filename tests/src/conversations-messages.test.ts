import type { ConversationChangedEvent, MessageCreatedEvent, TicketStatus } from "@yixian/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTransaction, systemCtx, type Ctx } from "../../server/src/domain/context.ts";
import { appendMessage } from "../../server/src/domain/conversations/append-message.ts";
import { searchTokens } from "../../server/src/domain/shared/search-tokens.ts";
import { insertTicket } from "../../server/src/domain/tickets/insert-ticket.ts";
import { connectSocket, eventually } from "./sockets.ts";
import { api, createTestTenant, startTestServer, TEST_DB, type TestServer, type TestTenant } from "./harness.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

async function makeContact(tenant: TestTenant, name = "张伟") {
  return server.deps.db
    .insertInto("contacts")
    .values({ tenant_id: tenant.id, name, custom_fields: "{}", search_tokens: searchTokens(name) })
    .returning(["id", "name"])
    .executeTakeFirstOrThrow();
}

async function makeTicket(tenant: TestTenant, contactId: string, status: TicketStatus) {
  const ctx = systemCtx(server.deps, tenant.id);
  const ticket = await inTransaction(ctx, (tx) => insertTicket(tx, ctx, { subject: "发票打印不出来", contactId, sourceChannel: "webchat" }));
  await server.deps.db.updateTable("tickets").set({ status }).where("id", "=", ticket.id).execute();
  return ticket;
}

function customer(tenant: TestTenant, contactId: string): Ctx {
  return { tenantId: tenant.id, actor: { type: "contact", id: contactId }, deps: server.deps, log: server.deps.log };
}

function integration(tenant: TestTenant): Ctx {
  return { tenantId: tenant.id, actor: { type: "integration", id: null, name: "wechat" }, deps: server.deps, log: server.deps.log };
}

/** A customer's accepted web chat on a ticket. */
async function activeChat(tenant: TestTenant, channel = "webchat") {
  const contact = await makeContact(tenant);
  const agent = api(server, tenant.users.agent);
  const created = await agent.post("/api/conversations").send({ channel, contactId: contact.id, subject: "发票" });
  expect(created.status).toBe(201);
  const accepted = await agent.post(`/api/conversations/${created.body.data.id as string}/accept`);
  expect(accepted.status).toBe(200);
  return { contact, id: accepted.body.data.id as string, ticketId: accepted.body.data.ticketId as string };
}

async function messageRows(conversationId: string) {
  return server.deps.db.selectFrom("messages").selectAll().where("conversation_id", "=", conversationId).orderBy("seq").execute();
}

describe("messages", () => {
  it("numbers messages 1, 2, 3 … and returns them in seq order after afterSeq", async () => {
    const tenant = await createTestTenant(server);
    const chat = await activeChat(tenant);
    const agent = api(server, tenant.users.agent);
    await appendMessage(customer(tenant, chat.contact.id), { conversationId: chat.id, direction: "inbound", text: "你好" });
    const reply = await agent.post(`/api/conversations/${chat.id}/messages`).send({ text: "您好，请讲", clientId: "c1" });
    expect(reply.status).toBe(201);
    expect(reply.body.data).toMatchObject({ seq: 2, direction: "outbound", authorType: "user", authorId: tenant.users.agent.id, ticketId: chat.ticketId, deliveryState: "sent" });
    const note = await agent.post(`/api/conversations/${chat.id}/messages`).send({ text: "客户是VIP", direction: "internal" });
    expect(note.body.data.seq).toBe(3);
    await Promise.all(["a", "b", "c", "d"].map((t) => agent.post(`/api/conversations/${chat.id}/messages`).send({ text: t })));

    const all = await agent.get(`/api/conversations/${chat.id}/messages`);
    expect(all.status).toBe(200);
    expect(all.body.data.items.map((m: { seq: number }) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(all.body.data.nextAfterSeq).toBeNull();
    const page = await agent.get(`/api/conversations/${chat.id}/messages`).query({ afterSeq: 2, limit: 2 });
    expect(page.body.data.items.map((m: { seq: number }) => m.seq)).toEqual([3, 4]);
    expect(page.body.data.nextAfterSeq).toBe(4);
    const detail = await agent.get(`/api/conversations/${chat.id}`);
    expect(detail.body.data.lastSeq).toBe(7);
  });

  it("stores a retried message with the same clientId once, also when the copies arrive together", async () => {
    const tenant = await createTestTenant(server);
    const chat = await activeChat(tenant);
    const agent = api(server, tenant.users.agent);
    const first = await agent.post(`/api/conversations/${chat.id}/messages`).send({ text: "稍等", clientId: "retry-1" });
    const second = await agent.post(`/api/conversations/${chat.id}/messages`).send({ text: "稍等", clientId: "retry-1" });
    expect(second.status).toBe(201);
    expect(second.body.data.id).toBe(first.body.data.id);

    const racing = await Promise.all([1, 2, 3, 4, 5].map(() => agent.post(`/api/conversations/${chat.id}/messages`).send({ text: "马上好", clientId: "race-1" })));
    expect(racing.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(racing.map((r) => r.body.data.id)).size).toBe(1);
    const rows = await messageRows(chat.id);
    expect(rows.map((r) => r.client_id)).toEqual(["retry-1", "race-1"]);
    expect(rows.map((r) => r.seq)).toEqual([1, 2]);
    const timeline = await server.deps.db.selectFrom("timeline_events").select("id").where("ticket_id", "=", chat.ticketId).where("kind", "=", "message").execute();
    expect(timeline).toHaveLength(2);
  });

  it("stores a channel's redelivery with the same externalId once, also concurrently", async () => {
    const tenant = await createTestTenant(server);
    const chat = await activeChat(tenant, "wechat");
    const deliver = () => appendMessage(integration(tenant), { conversationId: chat.id, direction: "inbound", text: "在吗", externalId: "wx-msg-1001" });
    const first = await deliver();
    const again = await deliver();
    expect(again.id).toBe(first.id);
    expect(first).toMatchObject({ authorType: "contact", authorId: chat.contact.id, direction: "inbound" });
    const racing = await Promise.all([1, 2, 3, 4].map(() => appendMessage(integration(tenant), { conversationId: chat.id, direction: "inbound", text: "图片", externalId: "wx-msg-1002" })));
    expect(new Set(racing.map((m) => m.id)).size).toBe(1);
    expect((await messageRows(chat.id)).map((r) => r.external_id)).toEqual(["wx-msg-1001", "wx-msg-1002"]);
  });

  it("puts every message on the ticket's timeline in order", async () => {
    const tenant = await createTestTenant(server);
    const chat = await activeChat(tenant);
    const agent = api(server, tenant.users.agent);
    const sent: string[] = [];
    sent.push((await appendMessage(customer(tenant, chat.contact.id), { conversationId: chat.id, direction: "inbound", text: "一" })).id);
    sent.push((await agent.post(`/api/conversations/${chat.id}/messages`).send({ text: "二" })).body.data.id);
    sent.push((await agent.post(`/api/conversations/${chat.id}/messages`).send({ text: "三", direction: "internal" })).body.data.id);
    sent.push((await appendMessage(customer(tenant, chat.contact.id), { conversationId: chat.id, direction: "inbound", text: "四" })).id);
    const entries = await server.deps.db
      .selectFrom("timeline_events")
      .select(["kind", "message_id", "conversation_id"])
      .where("ticket_id", "=", chat.ticketId)
      .where("kind", "=", "message")
      .orderBy("occurred_at")
      .orderBy("id")
      .execute();
    expect(entries.map((e) => e.message_id)).toEqual(sent);
    expect(entries.every((e) => e.conversation_id === chat.id)).toBe(true);

    const shown = await agent.get(`/api/tickets/${chat.ticketId}/timeline`);
    expect(shown.status).toBe(200);
    const items = shown.body.data.items as { kind: string; message: { text: string; direction: string } | null }[];
    expect(items.filter((i) => i.kind === "message").map((i) => i.message?.text)).toEqual(["一", "二", "三", "四"]);
  });

  it("shows the customer as the author of what they wrote before an agent accepted", async () => {
    const tenant = await createTestTenant(server);
    const contact = await makeContact(tenant, "林峰");
    const agent = api(server, tenant.users.agent);
    const created = await agent.post("/api/conversations").send({ channel: "webchat", contactId: contact.id });
    await appendMessage(customer(tenant, contact.id), { conversationId: created.body.data.id, direction: "inbound", text: "打印不出来" });
    const accepted = await agent.post(`/api/conversations/${created.body.data.id as string}/accept`);
    await agent.post(`/api/conversations/${created.body.data.id as string}/messages`).send({ text: "您好" });
    const shown = await agent.get(`/api/tickets/${accepted.body.data.ticketId as string}/timeline`);
    const messages = (shown.body.data.items as { kind: string; actor: { type: string; name: string | null } }[]).filter((i) => i.kind === "message");
    expect(messages.map((m) => [m.actor.type, m.actor.name])).toEqual([
      ["contact", "林峰"],
      ["user", `agent ${tenant.slug}`],
    ]);
  });

  it("sets the ticket's first response time on the first agent reply only, not on notes", async () => {
    const tenant = await createTestTenant(server);
    const chat = await activeChat(tenant);
    const agent = api(server, tenant.users.agent);
    const firstResponse = async () =>
      (await server.deps.db.selectFrom("tickets").select("first_response_at").where("id", "=", chat.ticketId).executeTakeFirstOrThrow()).first_response_at;
    await agent.post(`/api/conversations/${chat.id}/messages`).send({ text: "内部备注", direction: "internal" });
    expect(await firstResponse()).toBeNull();
    const reply = await agent.post(`/api/conversations/${chat.id}/messages`).send({ text: "您好" });
    const at = await firstResponse();
    expect(new Date(at!).toISOString()).toBe(reply.body.data.createdAt);
    await agent.post(`/api/conversations/${chat.id}/messages`).send({ text: "还有别的问题吗" });
    expect(new Date((await firstResponse())!).toISOString()).toBe(reply.body.data.createdAt);
  });

  it("reopens a resolved ticket when the customer writes again", async () => {
    const tenant = await createTestTenant(server);
    const contact = await makeContact(tenant);
    const ticket = await makeTicket(tenant, contact.id, "pending");
    const created = await api(server, tenant.users.agent).post("/api/conversations").send({ channel: "webchat", contactId: contact.id });
    expect(created.body.data.ticketId).toBe(ticket.id);
    await server.deps.db.updateTable("tickets").set({ status: "resolved", resolved_at: new Date() }).where("id", "=", ticket.id).execute();

    const message = await appendMessage(customer(tenant, contact.id), { conversationId: created.body.data.id, direction: "inbound", text: "还是打印不出来" });
    expect(message.ticketId).toBe(ticket.id);
    const after = await server.deps.db.selectFrom("tickets").select("status").where("id", "=", ticket.id).executeTakeFirstOrThrow();
    expect(after.status).toBe("open");
    const kinds = await server.deps.db.selectFrom("timeline_events").select(["kind", "data"]).where("ticket_id", "=", ticket.id).orderBy("id").execute();
    expect(kinds.map((k) => k.kind)).toEqual(["ticket_created", "conversation_linked", "status_changed", "message"]);
    expect(kinds[2]!.data).toMatchObject({ from: "resolved", to: "open", reason: "customer_reply" });
  });

  // PGlite runs one transaction at a time: the race needs a server's concurrent transactions.
  it.skipIf(TEST_DB !== "postgres")("reopens the ticket when an agent resolves it while the customer's message is being stored", async () => {
    const tenant = await createTestTenant(server);
    const contact = await makeContact(tenant);
    const ticket = await makeTicket(tenant, contact.id, "open");
    const created = await api(server, tenant.users.agent).post("/api/conversations").send({ channel: "webchat", contactId: contact.id });
    // the agent's resolution holds the ticket's row lock while the message goes in
    const resolving = server.deps.db.transaction().execute(async (tx) => {
      await tx.updateTable("tickets").set({ status: "resolved", resolved_at: new Date() }).where("id", "=", ticket.id).execute();
      await new Promise((r) => setTimeout(r, 400));
    });
    await new Promise((r) => setTimeout(r, 100));
    const message = await appendMessage(customer(tenant, contact.id), { conversationId: created.body.data.id, direction: "inbound", text: "刚好又坏了" });
    await resolving;
    expect(message.ticketId).toBe(ticket.id);
    const after = await server.deps.db.selectFrom("tickets").select("status").where("id", "=", ticket.id).executeTakeFirstOrThrow();
    expect(after.status).toBe("open");
    const entries = await server.deps.db.selectFrom("timeline_events").select(["kind", "data", "message_id"]).where("ticket_id", "=", ticket.id).orderBy("id").execute();
    expect(entries.map((k) => k.kind)).toEqual(["ticket_created", "conversation_linked", "status_changed", "message"]);
    expect(entries[2]!.data).toMatchObject({ from: "resolved", to: "open", reason: "customer_reply" });
    expect(entries[3]!.message_id).toBe(message.id);
  });

  it("moves a customer's new message on a closed ticket to a new ticket", async () => {
    const tenant = await createTestTenant(server);
    const contact = await makeContact(tenant);
    const ticket = await makeTicket(tenant, contact.id, "open");
    const created = await api(server, tenant.users.agent).post("/api/conversations").send({ channel: "webchat", contactId: contact.id });
    await server.deps.db.updateTable("tickets").set({ status: "closed", closed_at: new Date() }).where("id", "=", ticket.id).execute();

    const message = await appendMessage(customer(tenant, contact.id), { conversationId: created.body.data.id, direction: "inbound", text: "又有新问题" });
    expect(message.ticketId).not.toBe(ticket.id);
    const fresh = await server.deps.db.selectFrom("tickets").select(["status", "contact_id"]).where("id", "=", message.ticketId!).executeTakeFirstOrThrow();
    expect(fresh).toEqual({ status: "new", contact_id: contact.id });
    const detail = await api(server, tenant.users.agent).get(`/api/conversations/${created.body.data.id as string}`);
    expect(detail.body.data.ticketId).toBe(message.ticketId);
    const closed = await server.deps.db.selectFrom("tickets").select("status").where("id", "=", ticket.id).executeTakeFirstOrThrow();
    expect(closed.status).toBe("closed");
  });

  it("asks the agent to accept before replying, but takes notes and customer messages while queued", async () => {
    const tenant = await createTestTenant(server);
    const contact = await makeContact(tenant);
    const created = await api(server, tenant.users.agent).post("/api/conversations").send({ channel: "webchat", contactId: contact.id });
    const id = created.body.data.id as string;
    const agent = api(server, tenant.users.agent);
    const reply = await agent.post(`/api/conversations/${id}/messages`).send({ text: "您好" });
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe("CONVERSATION_NOT_ACCEPTED");
    const note = await agent.post(`/api/conversations/${id}/messages`).send({ text: "老客户", direction: "internal" });
    expect(note.status).toBe(201);
    const inbound = await appendMessage(customer(tenant, contact.id), { conversationId: id, direction: "inbound", text: "有人吗" });
    expect(inbound).toMatchObject({ seq: 2, ticketId: null });
    const empty = await agent.post(`/api/conversations/${id}/messages`).send({ text: "  " });
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe("VALIDATION_FAILED");
  });

  it("keeps a customer out of another customer's conversation", async () => {
    const tenant = await createTestTenant(server);
    const chat = await activeChat(tenant);
    const stranger = await makeContact(tenant, "王芳");
    const attempt = appendMessage(customer(tenant, stranger.id), { conversationId: chat.id, direction: "inbound", text: "我能看见吗" });
    await expect(attempt).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await messageRows(chat.id)).toHaveLength(0);
  });

  it("tells the tenant's consoles about new messages after they are stored", async () => {
    const tenant = await createTestTenant(server);
    const chat = await activeChat(tenant);
    const socket = await connectSocket(server.url, tenant.users.supervisor.token);
    try {
      const created: MessageCreatedEvent[] = [];
      const changed: ConversationChangedEvent[] = [];
      socket.on("message:created", (e) => created.push(e));
      socket.on("conversation:changed", (e) => changed.push(e));
      const reply = await api(server, tenant.users.agent).post(`/api/conversations/${chat.id}/messages`).send({ text: "您好" });
      await eventually(() => created.length > 0, "message:created");
      expect(created[0]).toMatchObject({ id: reply.body.data.id, conversationId: chat.id, ticketId: chat.ticketId, seq: 1, direction: "outbound" });
      // the one event of a message: a later change of the conversation arrives after it, and no
      // conversation:changed of its own went before
      const ended = await api(server, tenant.users.agent).post(`/api/conversations/${chat.id}/end`).send({});
      expect(ended.status, JSON.stringify(ended.body)).toBe(200);
      await eventually(() => changed.some((c) => c.state === "ended"), "conversation:changed for the end");
      expect(changed.filter((c) => c.changes.includes("messages"))).toEqual([]);
    } finally {
      socket.close();
    }
  });
});

describe("attachments on messages", () => {
  async function upload(tenant: TestTenant, name = "截图.png") {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);
    const res = await api(server, tenant.users.agent).post("/api/attachments").attach("file", png, { filename: name, contentType: "image/png" });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.data as { id: string };
  }

  it("binds uploads to the message and its ticket; an upload is sent once; another tenant's is not found", async () => {
    const tenant = await createTestTenant(server);
    const chat = await activeChat(tenant);
    const agent = api(server, tenant.users.agent);
    const file = await upload(tenant);
    const sent = await agent.post(`/api/conversations/${chat.id}/messages`).send({ text: "", attachmentIds: [file.id] });
    expect(sent.status).toBe(201);
    expect(sent.body.data.attachments).toEqual([expect.objectContaining({ id: file.id, filename: "截图.png", messageId: sent.body.data.id, ticketId: chat.ticketId })]);
    const listed = await agent.get(`/api/conversations/${chat.id}/messages`);
    expect(listed.body.data.items[0].attachments[0].id).toBe(file.id);

    const reuse = await agent.post(`/api/conversations/${chat.id}/messages`).send({ text: "再发一次", attachmentIds: [file.id] });
    expect(reuse.status).toBe(409);
    expect(reuse.body.error.code).toBe("CONFLICT");

    const other = await createTestTenant(server);
    const theirs = await upload(other);
    const foreign = await agent.post(`/api/conversations/${chat.id}/messages`).send({ text: "别人的文件", attachmentIds: [theirs.id] });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe("NOT_FOUND");
    expect(await messageRows(chat.id)).toHaveLength(1);
    const untouched = await server.deps.db.selectFrom("attachments").select("message_id").where("id", "=", theirs.id).executeTakeFirstOrThrow();
    expect(untouched.message_id).toBeNull();
  });
});
