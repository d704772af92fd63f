import type { VisitorNotice, VisitorQueuePositionEvent } from "@yixian/contracts";
import { describe, expect, it } from "vitest";
import { api, createTestTenant, type TestServer, type TestTenant } from "./harness.ts";
import { addUser, heardOf, makeQueue, setPresence } from "./routing-kit.ts";
import { serverForFile, type Closable } from "./server-kit.ts";
import { connectVisitor, makeWidget, openSession } from "./widget-kit.ts";

// A queued web chat visitor sees their place move live as the people ahead of them are served,
// leave or are transferred.

let server: TestServer;
const sockets: Closable[] = [];
serverForFile((s) => (server = s), { closeAfterAll: sockets });

async function queuedVisitor(widgetKey: string, text: string) {
  const session = await openSession(server, widgetKey);
  const socket = await connectVisitor(server.url, session.visitorToken);
  sockets.push(socket);
  const notices: VisitorNotice[] = [];
  const places: VisitorQueuePositionEvent[] = [];
  socket.on("notice", (n) => notices.push(n));
  socket.on("queue:position", (e) => places.push(e));
  const sent = await socket.emitWithAck("message:send", { text, clientId: "first", attachmentIds: [] });
  if (!sent.ok) throw new Error(JSON.stringify(sent.error));
  const queued = await heardOf(notices, (n) => n.kind === "queued", `${text}: the queued notice`);
  return { socket, places, conversationId: sent.data.conversationId, queued };
}

async function queueWithWidget(tenant: TestTenant) {
  // the agent stays away: nobody is offered anything, the chats wait (and the agent may pick one up)
  const agent = await addUser(server, tenant, "张伟");
  const queueId = await makeQueue(server, tenant, [agent]);
  await setPresence(server, agent, "away");
  const widget = await makeWidget(server, tenant, { defaultQueueId: queueId });
  return { agent, widget };
}

describe("queue position in the widget", () => {
  it("moves up live when someone ahead is served or leaves, and stays quiet for everyone else", async () => {
    const tenant = await createTestTenant(server);
    const { agent, widget } = await queueWithWidget(tenant);
    const first = await queuedVisitor(widget.publicKey, "第一位");
    const second = await queuedVisitor(widget.publicKey, "第二位");
    const third = await queuedVisitor(widget.publicKey, "第三位");
    expect([first.queued.position, second.queued.position, third.queued.position]).toEqual([1, 2, 3]);

    // a visitor of another tenant waiting in their own queue
    const other = await createTestTenant(server, "Other");
    const elsewhere = await queuedVisitor((await queueWithWidget(other)).widget.publicKey, "别家");

    const accepted = await api(server, agent).post(`/api/conversations/${first.conversationId}/accept`);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    await heardOf(second.places, (p) => p.position === 1, "the second visitor is next");
    await heardOf(third.places, (p) => p.position === 2, "the third visitor moves to 2");

    const left = await second.socket.emitWithAck("conversation:end");
    expect(left.ok).toBe(true);
    await heardOf(third.places, (p) => p.position === 1, "the third visitor is next");

    expect(third.places.map((p) => [p.conversationId, p.position])).toEqual([
      [third.conversationId, 2],
      [third.conversationId, 1],
    ]);
    expect(first.places).toEqual([]);
    expect(elsewhere.places).toEqual([]);
  });
});
