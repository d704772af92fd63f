import type { InboxChangedEvent, MentionEvent, MessageCreatedEvent } from "@yixian/contracts";
import { describe, expect, it } from "vitest";
import type { Ctx } from "../../server/src/domain/context.ts";
import { appendMessage } from "../../server/src/domain/conversations/append-message.ts";
import { api, createTestTenant, type TestServer, type TestTenant, type TestUser } from "./harness.ts";
import { acceptedChat, addUser, heardOf, makeContact, makeQueue, serverWithAgents, setPresence, startChat } from "./routing-kit.ts";

let server: TestServer;
const agents = serverWithAgents((s) => (server = s));

async function agentSocket(user: TestUser) {
  const { socket, heard } = await agents.agentSocket(user);
  const inbox: InboxChangedEvent[] = [];
  const mentions: MentionEvent[] = [];
  const messages: MessageCreatedEvent[] = [];
  socket.on("inbox:changed", (e) => inbox.push(e));
  socket.on("mention:new", (e) => mentions.push(e));
  socket.on("message:created", (e) => messages.push(e));
  return { socket, heard, inbox, mentions, messages };
}

function customer(tenant: TestTenant, contactId: string): Ctx {
  return { tenantId: tenant.id, actor: { type: "contact", id: contactId }, deps: server.deps, log: server.deps.log };
}

interface Counts {
  conversations: { conversationId: string; unread: number }[];
  unreadTotal: number;
  queues: { queueId: string; waiting: number }[];
  unassigned: number;
  mentions: number;
}

async function counts(user: TestUser): Promise<Counts> {
  const res = await api(server, user).get("/api/inbox/counts");
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data as Counts;
}

describe("unread counts and read markers", () => {
  it("counts the customer's new messages until the agent reads them, and queue waits for the agent's queues", async () => {
    const tenant = await createTestTenant(server);
    const li = await addUser(server, tenant, "Li Lei");
    const queueId = await makeQueue(server, tenant, [li], { wrapUpSeconds: 0 });
    await setCapacity1(tenant, li);
    const me = await agentSocket(li);
    await setPresence(server, li, "available");
    const chat = await acceptedChat(server, tenant, queueId, li, me.heard);

    await appendMessage(customer(tenant, chat.contactId), { conversationId: chat.id, direction: "inbound", text: "在吗？" });
    const last = await appendMessage(customer(tenant, chat.contactId), { conversationId: chat.id, direction: "inbound", text: "发票打印不出来" });
    // the agent's console learns of it from the message's own event
    await heardOf(me.messages, (e) => e.id === last.id && e.conversationId === chat.id, "message:created for the new message");
    await api(server, li).post(`/api/conversations/${chat.id}/messages`).send({ text: "您好，我看一下" });

    const waitingChat = await startChat(server, tenant, { queueId, contactId: await makeContact(server, tenant) });
    let now = await counts(li);
    expect(now.conversations).toEqual([{ conversationId: chat.id, unread: 2 }]);
    expect(now.unreadTotal).toBe(2);
    expect(now.queues).toEqual([expect.objectContaining({ queueId, waiting: 1 })]);
    expect(now.unassigned).toBe(1);

    const read = await api(server, li).post(`/api/conversations/${chat.id}/read`).send({ seq: last.seq - 1 });
    expect(read.body.data).toMatchObject({ lastReadSeq: last.seq - 1, unread: 1 });
    await heardOf(me.inbox, (e) => e.reason === "read", "inbox:changed for the read marker");
    const all = await api(server, li).post(`/api/conversations/${chat.id}/read`).send({ seq: 10_000 });
    expect(all.body.data.unread).toBe(0);
    const stale = await api(server, li).post(`/api/conversations/${chat.id}/read`).send({ seq: 1 });
    expect(stale.body.data.lastReadSeq).toBeGreaterThan(1);
    now = await counts(li);
    expect(now.unreadTotal).toBe(0);

    await api(server, li).post(`/api/conversations/${chat.id}/end`).send({});
    await heardOf(me.heard.offers, (o) => o.conversationId === waitingChat.id, "the waiting chat's offer");
    now = await counts(li);
    expect(now.conversations).toEqual([]);
    expect(now.unassigned).toBe(1);
  });
});

async function setCapacity1(tenant: TestTenant, user: TestUser) {
  const res = await api(server, tenant.users.supervisor).patch(`/api/presence/${user.id}/capacity`).send({ chat: 1 });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

describe("mentions", () => {
  it("tells the mentioned agent at once and lists the mention until it is read", async () => {
    const tenant = await createTestTenant(server);
    const li = await addUser(server, tenant, "李雷");
    const han = await addUser(server, tenant, "Han Meimei");
    const queueId = await makeQueue(server, tenant, [han], { wrapUpSeconds: 0 });
    const hanSocket = await agentSocket(han);
    const liSocket = await agentSocket(li);
    await setPresence(server, han, "available");
    const chat = await acceptedChat(server, tenant, queueId, han, hanSocket.heard);

    const note = await api(server, han).post(`/api/conversations/${chat.id}/messages`).send({ direction: "internal", text: "@李雷请看一下这张发票，客户很着急" });
    expect(note.status, JSON.stringify(note.body)).toBe(201);
    const heard = await heardOf(liSocket.mentions, (m) => m.conversationId === chat.id, "mention:new for Li");
    expect(heard).toMatchObject({ authorId: han.id, authorName: "Han Meimei", excerpt: "@李雷请看一下这张发票，客户很着急" });
    await heardOf(liSocket.inbox, (e) => e.reason === "mention", "Li's inbox:changed");

    const ticketNote = await api(server, han).post(`/api/tickets/${chat.ticketId}/notes`).send({ body: "@李雷 已转财务" });
    expect(ticketNote.status, JSON.stringify(ticketNote.body)).toBe(201);
    await heardOf(liSocket.mentions, (m) => m.ticketId === chat.ticketId && m.conversationId === null, "mention:new for the ticket note");
    const picked = await api(server, han).post(`/api/conversations/${chat.id}/messages`).send({ direction: "internal", text: "FYI", rich: { mentions: [li.id] } });
    expect(picked.status).toBe(201);
    const outbound = await api(server, han).post(`/api/conversations/${chat.id}/messages`).send({ text: "@李雷 is not a note" });
    expect(outbound.status).toBe(201);

    const unread = await api(server, li).get("/api/mentions").query({ unread: "true" });
    expect(unread.status).toBe(200);
    const items = unread.body.data as { id: string; excerpt: string; ticketNumber: string | null; conversationId: string | null }[];
    expect(items.map((m) => m.excerpt)).toEqual(["FYI", "@李雷 已转财务", "@李雷请看一下这张发票，客户很着急"]);
    expect(items[1]!.ticketNumber).toMatch(/-\d{4}$/);
    expect((await counts(li)).mentions).toBe(3);
    expect(await api(server, han).get("/api/mentions").then((r) => r.body.data)).toEqual([]);

    expect((await api(server, han).post(`/api/mentions/${items[0]!.id}/read`)).status).toBe(404);
    const read = await api(server, li).post(`/api/mentions/${items[0]!.id}/read`);
    expect(read.status).toBe(200);
    expect(read.body.data.readAt).toBeTruthy();
    const left = await api(server, li).get("/api/mentions").query({ unread: "true" });
    expect(left.body.data).toHaveLength(2);
    expect((await api(server, li).get("/api/mentions")).body.data).toHaveLength(3);
    expect((await counts(li)).mentions).toBe(2);
  });
});
