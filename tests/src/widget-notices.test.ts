import type { VisitorMessageList, VisitorNotice } from "@yixian/contracts";
import { describe, expect, it } from "vitest";
import { api, createTestTenant, type TestServer, type TestTenant, type TestUser } from "./harness.ts";
import { addUser, connectAgent, heardOf, listen, makeQueue, setPresence, type Heard } from "./routing-kit.ts";
import { serverForFile, type Closable } from "./server-kit.ts";
import { asVisitor, connectVisitor, makeWidget, openSession, type VisitorSocket } from "./widget-kit.ts";

// The web chat's notices (queued, agent joined, transferred, ended) come live over the /visitor
// socket and again with the history (messages:sync and GET /widget/sessions/messages), derived
// from what the conversation stores, so that a reload shows what the visitor saw.

let server: TestServer;
const sockets: Closable[] = [];
serverForFile((s) => (server = s), { closeAfterAll: sockets });

interface Agent {
  user: TestUser;
  heard: Heard;
}

async function agentOn(tenant: TestTenant, name: string): Promise<Agent> {
  const user = await addUser(server, tenant, name);
  const socket = await connectAgent(server.url, user.token);
  sockets.push(socket);
  return { user, heard: listen(socket) };
}

async function visitorOf(widgetKey: string, token?: string) {
  const session = await openSession(server, widgetKey, token ? { visitorToken: token } : {});
  const socket = await connectVisitor(server.url, session.visitorToken);
  sockets.push(socket);
  const notices: VisitorNotice[] = [];
  socket.on("notice", (n) => notices.push(n));
  return { session, socket, notices };
}

async function send(socket: VisitorSocket, text: string, clientId: string) {
  const res = await socket.emitWithAck("message:send", { text, clientId, attachmentIds: [] });
  if (!res.ok) throw new Error(JSON.stringify(res.error));
  return res.data;
}

async function sync(socket: VisitorSocket, afterSeq = 0): Promise<VisitorMessageList> {
  const res = await socket.emitWithAck("messages:sync", { afterSeq });
  if (!res.ok) throw new Error(JSON.stringify(res.error));
  return res.data;
}

/** What identifies a notice to the widget: conversation, kind and time. */
const identity = (n: VisitorNotice) => ({ kind: n.kind, conversationId: n.conversationId, at: n.at });

describe("visitor notices in the history", () => {
  it("come back after a reload as they came live: same identity, after the message they followed, queued without a position", async () => {
    const tenant = await createTestTenant(server);
    const zhang = await agentOn(tenant, "张伟");
    const queueId = await makeQueue(server, tenant, [zhang.user], { strategy: "least_busy" });
    const widget = await makeWidget(server, tenant, { defaultQueueId: queueId });
    await setPresence(server, zhang.user, "available");
    const v = await visitorOf(widget.publicKey);

    const first = await send(v.socket, "发票开错了", "n-1");
    const queued = await heardOf(v.notices, (n) => n.kind === "queued", "the live queued notice");
    expect(queued.position).toBe(1);
    await send(v.socket, "抬头要改成公司", "n-2");
    const offer = await heardOf(zhang.heard.offers, (o) => o.conversationId === first.conversationId, "the offer");
    expect((await api(server, zhang.user).post(`/api/offers/${offer.offerId}/accept`)).status).toBe(200);
    const joined = await heardOf(v.notices, (n) => n.kind === "agent_joined", "the live agent joined notice");
    const reply = await api(server, zhang.user).post(`/api/conversations/${first.conversationId}/messages`).send({ text: "好的，我来改" });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);

    // the page reloads: a new socket of the same visitor syncs from the start
    const again = await visitorOf(widget.publicKey, v.session.visitorToken);
    const history = await sync(again.socket);
    expect(history.items.map((m) => m.text)).toEqual(["发票开错了", "抬头要改成公司", "好的，我来改"]);
    expect(history.notices.map(identity)).toEqual([identity(queued), identity(joined)]);
    expect(history.notices).toMatchObject([
      { kind: "queued", position: null, agent: null, afterSeq: 1 },
      { kind: "agent_joined", position: null, agent: { name: "张伟", initials: "张" }, afterSeq: 2 },
    ]);

    // the REST history says the same
    const rest = await asVisitor(server, v.session.visitorToken).get("/api/widget/sessions/messages?afterSeq=0");
    expect(rest.status).toBe(200);
    expect(rest.body.data.notices).toEqual(history.notices);

    // a resync after seq 2 brings the notice placed after seq 2 (new to a widget that has 2), not the one after 1
    expect((await sync(again.socket, 2)).notices.map((n) => n.kind)).toEqual(["agent_joined"]);
    expect((await sync(again.socket, 3)).notices).toEqual([]);
    // a page of the history holds the notices placed within it, the next page the rest
    const firstPage = await asVisitor(server, v.session.visitorToken).get("/api/widget/sessions/messages?afterSeq=0&limit=1");
    expect(firstPage.body.data).toMatchObject({ nextAfterSeq: 1, notices: [] });
    const secondPage = await asVisitor(server, v.session.visitorToken).get("/api/widget/sessions/messages?afterSeq=1&limit=1");
    expect(secondPage.body.data.notices.map((n: VisitorNotice) => n.kind)).toEqual(["queued"]);

    // the agent ends the chat: the ended notice, live and in the history, is one notice
    expect((await api(server, zhang.user).post(`/api/conversations/${first.conversationId}/end`).send({})).status).toBe(200);
    const ended = await heardOf(again.notices, (n) => n.kind === "ended", "the live ended notice");
    const afterEnd = await sync(again.socket);
    expect(afterEnd.notices.map(identity)).toEqual([identity(queued), identity(joined), identity(ended)]);
    expect(afterEnd.notices.at(-1)).toMatchObject({ kind: "ended", afterSeq: 3 });
  });

  it("tell a transfer: the second agent's accept is 'transferred' with their name, at the time the visitor heard them join", async () => {
    const tenant = await createTestTenant(server);
    const li = await agentOn(tenant, "李雷");
    const han = await agentOn(tenant, "韩梅梅");
    const queueId = await makeQueue(server, tenant, [li.user, han.user]);
    const widget = await makeWidget(server, tenant, { defaultQueueId: queueId });
    await setPresence(server, li.user, "available");
    const v = await visitorOf(widget.publicKey);

    const first = await send(v.socket, "要开专票", "t-1");
    const offer = await heardOf(li.heard.offers, (o) => o.conversationId === first.conversationId, "Li's offer");
    expect((await api(server, li.user).post(`/api/offers/${offer.offerId}/accept`)).status).toBe(200);
    await heardOf(v.notices, (n) => n.kind === "agent_joined", "Li joined");
    await setPresence(server, han.user, "available");
    const moved = await api(server, li.user).post(`/api/conversations/${first.conversationId}/transfer`).send({ toAgentId: han.user.id, note: "专票" });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    const second = await heardOf(han.heard.offers, (o) => o.conversationId === first.conversationId, "Han's offer");
    expect((await api(server, han.user).post(`/api/offers/${second.offerId}/accept`)).status).toBe(200);
    const hanJoined = await heardOf(v.notices, (n) => (n.kind === "agent_joined" || n.kind === "transferred") && n.agent?.name === "韩梅梅", "Han joined");

    const history = await sync(v.socket);
    expect(history.notices.map((n) => [n.kind, n.agent?.name ?? null])).toEqual([
      ["queued", null],
      ["agent_joined", "李雷"],
      ["transferred", "韩梅梅"],
    ]);
    // the same moment as the live notice: the widget shows it once
    expect(history.notices[2]!.at).toBe(hanJoined.at);
    // it sits after the transfer's own message to the customer (seq 2)
    const transferMessage = history.items.find((m) => m.from === "system");
    expect(transferMessage?.seq).toBe(2);
    expect(history.notices[2]!.afterSeq).toBe(2);
  });

  it("are the visitor's own: another visitor's history has none of them, and a visitor without a chat has none", async () => {
    const tenant = await createTestTenant(server);
    const agent = await agentOn(tenant, "王芳");
    const queueId = await makeQueue(server, tenant, [agent.user]);
    const widget = await makeWidget(server, tenant, { defaultQueueId: queueId });
    const v = await visitorOf(widget.publicKey);
    await send(v.socket, "在吗", "o-1");
    const other = await visitorOf(widget.publicKey);
    expect(await sync(other.socket)).toMatchObject({ conversation: null, items: [], notices: [] });
    expect((await sync(v.socket)).notices.map((n) => n.kind)).toEqual(["queued"]);
  });
});
