import type { ConversationChangedEvent, MessageCreatedEvent, TicketChangedEvent } from "@yixian/contracts";
import { describe, expect, it } from "vitest";
import { api, type TestServer } from "./harness.ts";
import { addUser, connectAgent, heardOf, listen, type RoutingSocket } from "./routing-kit.ts";
import { serverForFile, type Closable } from "./server-kit.ts";
import { eventually } from "./sockets.ts";
import { connectVisitor, openDesk, openSession, visitorSend } from "./widget-kit.ts";

// Who hears of a new message: the conversation's agent, the supervisors and whoever follows the
// conversation or its ticket — not every console of the tenant (on a busy desk each of them would refetch on
// every message). Changes of state still reach the whole tenant.

let server: TestServer;
const sockets: Closable[] = [];
serverForFile((s) => (server = s), { closeAfterAll: sockets });

function hears(socket: RoutingSocket) {
  const heard = { messages: [] as MessageCreatedEvent[], conversations: [] as ConversationChangedEvent[], tickets: [] as TicketChangedEvent[] };
  socket.on("message:created", (e) => heard.messages.push(e));
  socket.on("conversation:changed", (e) => heard.conversations.push(e));
  socket.on("ticket:changed", (e) => heard.tickets.push(e));
  return heard;
}

async function consoleOf(token: string) {
  const socket = await connectAgent(server.url, token);
  sockets.push(socket);
  return hears(socket);
}

describe("who hears of a new message", () => {
  it("its agent and the supervisors, not the other agents; a change of state everyone", async () => {
    const desk = await openDesk(server, sockets);
    const mine = hears(desk.agentSocket);
    const offers = listen(desk.agentSocket);
    const colleague = await consoleOf((await addUser(server, desk.tenant, "李娜")).token);
    const supervisor = await consoleOf(desk.tenant.users.supervisor.token);

    const session = await openSession(server, desk.widgetKey);
    const visitor = await connectVisitor(server.url, session.visitorToken);
    sockets.push(visitor);
    const first = await visitorSend(visitor, "发票开错了", "a-1");
    const offer = await heardOf(offers.offers, (o) => o.conversationId === first.conversationId, "the offer");
    expect((await api(server, desk.agent).post(`/api/offers/${offer.offerId}/accept`)).status).toBe(200);
    // the acceptance is a change of state: the whole tenant hears it
    for (const [who, heard] of [["the agent", mine], ["a colleague", colleague], ["the supervisor", supervisor]] as const) {
      await heardOf(heard.conversations, (e) => e.id === first.conversationId && e.state === "active", `${who} hears the chat was accepted`);
    }

    const second = await visitorSend(visitor, "抬头要改成公司全称", "a-2");
    const ticketId = (await heardOf(mine.messages, (e) => e.id === second.id, "the agent hears the new message")).ticketId;
    await heardOf(supervisor.messages, (e) => e.id === second.id, "the supervisor hears the new message");
    // a colleague with the ticket's page open follows the ticket: they hear its new messages
    const follower = await connectAgent(server.url, (await addUser(server, desk.tenant, "王芳")).token);
    sockets.push(follower);
    const following = hears(follower);
    expect((await follower.emitWithAck("ticket:subscribe", ticketId!)).ok).toBe(true);
    const third = await visitorSend(visitor, "税号也要改", "a-3");
    await heardOf(following.messages, (e) => e.id === third.id && e.ticketId === ticketId, "the ticket's follower hears its new message");
    await heardOf(mine.messages, (e) => e.id === third.id, "the agent hears the third message");

    // the agent replies; by then the colleague would have heard both messages if they were told
    const reply = await api(server, desk.agent).post(`/api/conversations/${first.conversationId}/messages`).send({ text: "好的，马上改" });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    await eventually(() => supervisor.messages.some((e) => e.id === reply.body.data.id), "the supervisor hears the reply");
    expect(colleague.messages).toEqual([]);
    // a message is one event: no conversation:changed or ticket:changed follows it, for anyone
    for (const heard of [mine, colleague, supervisor]) {
      expect(heard.conversations.filter((e) => e.changes.every((c) => c === "messages"))).toEqual([]);
      // (the acceptance itself moved the first message onto the new ticket: that one all heard)
      expect(heard.tickets.filter((e) => e.id === ticketId && e.updatedAt >= second.createdAt)).toEqual([]);
    }
    expect(following.tickets.filter((e) => e.updatedAt >= third.createdAt)).toEqual([]);
  });
});
