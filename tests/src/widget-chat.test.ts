import type { ConversationChangedEvent, ConversationTypingEvent, VisitorMessage, VisitorNotice, VisitorTypingEvent } from "@yixian/contracts";
import { describe, expect, it } from "vitest";
import { api, createTestTenant, startTestServer, type TestServer } from "./harness.ts";
import { heardOf, listen } from "./routing-kit.ts";
import { serverForFile, type Closable } from "./server-kit.ts";
import { eventually } from "./sockets.ts";
import { asVisitor, connectVisitor, makeWidget, openDesk, openSession, visitorSend } from "./widget-kit.ts";

let server: TestServer;
const sockets: Closable[] = [];
serverForFile((s) => (server = s), { start: { env: { MAX_UPLOAD_BYTES: "4096" } }, closeAfterAll: sockets });

const PNG = Buffer.concat([Buffer.from("89504e470d0a1a0a0000000d49484452", "hex"), Buffer.alloc(64, 1)]);

async function visitorOf(widgetKey: string) {
  const session = await openSession(server, widgetKey);
  const socket = await connectVisitor(server.url, session.visitorToken);
  sockets.push(socket);
  const heard = { messages: [] as VisitorMessage[], notices: [] as VisitorNotice[], typing: [] as VisitorTypingEvent[] };
  socket.on("message:new", (m) => heard.messages.push(m));
  socket.on("notice", (n) => heard.notices.push(n));
  socket.on("typing", (t) => heard.typing.push(t));
  return { session, socket, heard };
}

const send = visitorSend;

describe("web chat over the /visitor namespace", () => {
  it("stores, acks with seq, routes to an agent who accepts and replies; the visitor hears the reply but never internal notes", async () => {
    const { tenant, agent, agentSocket, widgetKey } = await openDesk(server, sockets);
    const offers = listen(agentSocket);
    const v = await visitorOf(widgetKey);

    const first = await send(v.socket, "你好，发票开错了", "c-1");
    expect(first).toMatchObject({ seq: 1, from: "visitor", text: "你好，发票开错了", clientId: "c-1" });
    const queued = await heardOf(v.heard.notices, (n) => n.kind === "queued", "the queued notice");
    expect(queued.position).toBe(1);

    const offer = await heardOf(offers.offers, (o) => o.conversationId === first.conversationId, "the offer");
    expect(offer.channel).toBe("webchat");
    const accepted = await api(server, agent).post(`/api/offers/${offer.offerId}/accept`);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    const joined = await heardOf(v.heard.notices, (n) => n.kind === "agent_joined", "the agent joined notice");
    expect(joined.agent).toEqual({ name: "张伟", initials: "张" });

    const note = await api(server, agent).post(`/api/conversations/${first.conversationId}/messages`).send({ text: "内部：客户是老客户", direction: "internal" });
    expect(note.status).toBe(201);
    const reply = await api(server, agent).post(`/api/conversations/${first.conversationId}/messages`).send({ text: "您好，我来帮您处理" });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    const heardReply = await heardOf(v.heard.messages, (m) => m.from === "agent", "the agent's reply");
    expect(heardReply).toMatchObject({ text: "您好，我来帮您处理", seq: 3, agent: { name: "张伟" } });

    const synced = await v.socket.emitWithAck("messages:sync", { afterSeq: 0 });
    expect(synced.ok && synced.data.items.map((m) => m.text)).toEqual(["你好，发票开错了", "您好，我来帮您处理"]);
    expect(JSON.stringify(v.heard.messages)).not.toContain("内部");
    const rest = await asVisitor(server, v.session.visitorToken).get("/api/widget/sessions/messages?afterSeq=1");
    expect(rest.body.data.items.map((m: VisitorMessage) => m.seq)).toEqual([3]);
    expect(rest.body.data.conversation).toMatchObject({ state: "active", agent: { name: "张伟" }, agentReadSeq: 3 });
    expect(JSON.stringify(rest.body)).not.toContain("内部");

    // the ticket the conversation got holds the visitor's message
    const conversation = await api(server, tenant.users.supervisor).get(`/api/conversations/${first.conversationId}`);
    expect(conversation.body.data.ticketId).toBeTruthy();
  });

  it("tells the visitor's other tab their own message once, and the sending tab only in its ack", async () => {
    const { widgetKey } = await openDesk(server, sockets);
    const v = await visitorOf(widgetKey);
    const other = await connectVisitor(server.url, v.session.visitorToken);
    sockets.push(other);
    const inOther: VisitorMessage[] = [];
    other.on("message:new", (m) => inOther.push(m));
    const first = await send(v.socket, "另一个标签页也要看到", "tab-1");
    const second = await send(v.socket, "第二条", "tab-2");
    await eventually(() => inOther.length >= 2, "both messages in the other tab");
    expect(inOther.map((m) => m.id)).toEqual([first.id, second.id]);
    expect(inOther[0]).toEqual(first);
    // the sending tab had them in its acks only
    expect(v.heard.messages).toEqual([]);
  });

  it("stores a retried client id once, even when the retries arrive together", async () => {
    const { widgetKey } = await openDesk(server, sockets);
    const v = await visitorOf(widgetKey);
    const first = await send(v.socket, "在吗", "same-id");
    const retry = await send(v.socket, "在吗", "same-id");
    expect(retry.id).toBe(first.id);
    const together = await Promise.all(Array.from({ length: 6 }, () => send(v.socket, "第二条", "burst-id")));
    expect(new Set(together.map((m) => m.id)).size).toBe(1);
    const all = await v.socket.emitWithAck("messages:sync", { afterSeq: 0 });
    expect(all.ok && all.data.items.map((m) => m.clientId)).toEqual(["same-id", "burst-id"]);

    const invalid = await v.socket.emitWithAck("message:send", { text: "no client id" } as never);
    expect(invalid).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });
    const badQuery = await asVisitor(server, v.session.visitorToken).get("/api/widget/sessions/messages?afterSeq=-1");
    expect(badQuery.status).toBe(400);
  });

  it("carries typing both ways and the visitor's read mark to the agents", async () => {
    const { agent, agentSocket, widgetKey } = await openDesk(server, sockets);
    const offers = listen(agentSocket);
    const v = await visitorOf(widgetKey);
    const first = await send(v.socket, "请问", "t-1");
    const offer = await heardOf(offers.offers, (o) => o.conversationId === first.conversationId, "the offer");
    await api(server, agent).post(`/api/offers/${offer.offerId}/accept`);
    const joined = await agentSocket.emitWithAck("conversation:subscribe", first.conversationId);
    expect(joined.ok).toBe(true);
    const agentTyping: ConversationTypingEvent[] = [];
    const changed: ConversationChangedEvent[] = [];
    agentSocket.on("conversation:typing", (e) => agentTyping.push(e));
    agentSocket.on("conversation:changed", (e) => changed.push(e));

    v.socket.emit("typing", { typing: true });
    await heardOf(agentTyping, (e) => e.by.type === "visitor" && e.typing, "the visitor typing");
    agentSocket.emit("conversation:typing", { conversationId: first.conversationId, typing: true });
    const typing = await heardOf(v.heard.typing, (e) => e.typing, "the agent typing");
    expect(typing.agent?.name).toBe("张伟");

    await api(server, agent).post(`/api/conversations/${first.conversationId}/messages`).send({ text: "在的" });
    const read = await v.socket.emitWithAck("messages:read", { seq: 2 });
    expect(read.ok && read.data.visitorReadSeq).toBe(2);
    await heardOf(changed, (e) => e.id === first.conversationId && e.changes.includes("visitorRead"), "the read mark");
  });

  it("takes an uploaded file with a message, refuses oversized uploads and others' files", async () => {
    const { widgetKey } = await openDesk(server, sockets);
    const v = await visitorOf(widgetKey);
    const visitor = asVisitor(server, v.session.visitorToken);
    const upload = await visitor.post("/api/widget/sessions/attachments").attach("file", PNG, { filename: "截图.png", contentType: "image/png" });
    expect(upload.status, JSON.stringify(upload.body)).toBe(201);
    const big = await visitor.post("/api/widget/sessions/attachments").attach("file", Buffer.concat([PNG, Buffer.alloc(8192)]), { filename: "big.png", contentType: "image/png" });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe("PAYLOAD_TOO_LARGE");

    const other = await visitorOf(widgetKey);
    const stolen = await other.socket.emitWithAck("message:send", { text: "", clientId: "x", attachmentIds: [upload.body.data.id] });
    expect(stolen).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });

    const sent = await send(v.socket, "", "with-file", [upload.body.data.id]);
    expect(sent.attachments).toMatchObject([{ filename: "截图.png", contentType: "image/png" }]);
    // the signed link is the grant (for <img src>): no token needed, none in it
    const file = await asVisitor(server, "nobody").get(sent.attachments[0]!.url);
    expect(file.status).toBe(200);
    expect(Buffer.compare(file.body as Buffer, PNG)).toBe(0);
    expect(sent.attachments[0]!.url).not.toContain(v.session.visitorToken);
  });

  it("lets the visitor rate the ended chat once, on the ticket's timeline; another visitor cannot read, write or rate it", async () => {
    const { tenant, agent, agentSocket, widgetKey } = await openDesk(server, sockets);
    const offers = listen(agentSocket);
    const v = await visitorOf(widgetKey);
    const first = await send(v.socket, "密码忘了", "r-1");
    const offer = await heardOf(offers.offers, (o) => o.conversationId === first.conversationId, "the offer");
    await api(server, agent).post(`/api/offers/${offer.offerId}/accept`);
    const intruder = await visitorOf(widgetKey);
    const peek = await asVisitor(server, intruder.session.visitorToken).get("/api/widget/sessions/messages");
    expect(peek.body.data).toEqual({ conversation: null, items: [], nextAfterSeq: null, notices: [] });
    const early = await asVisitor(server, intruder.session.visitorToken).post("/api/widget/sessions/rating").send({ score: 1 });
    expect(early.status).toBe(404);

    const ended = await api(server, agent).post(`/api/conversations/${first.conversationId}/end`).send({});
    expect(ended.status, JSON.stringify(ended.body)).toBe(200);
    await heardOf(v.heard.notices, (n) => n.kind === "ended", "the ended notice");
    const late = await v.socket.emitWithAck("messages:sync", { afterSeq: 0 });
    expect(late.ok && late.data.conversation?.state).toBe("ended");

    const visitor = asVisitor(server, v.session.visitorToken);
    const bad = await visitor.post("/api/widget/sessions/rating").send({ score: 6 });
    expect(bad.status).toBe(400);
    const rated = await visitor.post("/api/widget/sessions/rating").send({ score: 5, comment: "很快解决了" });
    expect(rated.status, JSON.stringify(rated.body)).toBe(201);
    const twice = await visitor.post("/api/widget/sessions/rating").send({ score: 4 });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe("RATING_EXISTS");
    const ticketId = (await api(server, tenant.users.supervisor).get(`/api/conversations/${first.conversationId}`)).body.data.ticketId as string;
    const timeline = await api(server, tenant.users.supervisor).get(`/api/tickets/${ticketId}/timeline`);
    expect(JSON.stringify(timeline.body.data)).toContain("很快解决了");
    const again = await openSession(server, widgetKey, { visitorToken: v.session.visitorToken });
    expect(again.conversation).toBeNull();
  });

  it("refuses sockets without a valid visitor token", async () => {
    await expect(connectVisitor(server.url, "vt.nope")).rejects.toThrow();
    const { tenant } = await openDesk(server, sockets);
    await expect(connectVisitor(server.url, tenant.admin.token)).rejects.toThrow();
  });
});

describe("resync after a server restart", () => {
  it("keeps the visitor token valid and answers the messages after a seq (PGlite, same DATA_DIR)", async () => {
    const first = await startTestServer({ db: "pglite", keepData: true });
    const tenant = await createTestTenant(first);
    const widget = await makeWidget(first, tenant);
    const session = await openSession(first, widget.publicKey);
    const socket = await connectVisitor(first.url, session.visitorToken);
    const one = await socket.emitWithAck("message:send", { text: "第一条", clientId: "p-1", attachmentIds: [] });
    const two = await socket.emitWithAck("message:send", { text: "第二条", clientId: "p-2", attachmentIds: [] });
    expect(one.ok && two.ok).toBe(true);
    socket.close();
    await first.close();

    const second = await startTestServer({ db: "pglite", dataDir: first.dataDir });
    try {
      const back = await connectVisitor(second.url, session.visitorToken);
      const missed = await back.emitWithAck("messages:sync", { afterSeq: 1 });
      expect(missed.ok && missed.data.items.map((m) => m.text)).toEqual(["第二条"]);
      const rest = await asVisitor(second, session.visitorToken).get("/api/widget/sessions/messages?afterSeq=0");
      expect(rest.body.data.items.map((m: VisitorMessage) => m.seq)).toEqual([1, 2]);
      back.close();
      await eventually(() => back.disconnected, "the socket to close");
    } finally {
      await second.stop();
    }
  });
});
