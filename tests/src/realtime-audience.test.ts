import type { ConversationChangedEvent, MessageCreatedEvent, TicketChangedEvent } from "@yixian/contracts";
import { describe, expect, it } from "vitest";
import { api, type TestServer } from "./harness.ts";
import { addUser, connectAgent, heardOf, listen, type RoutingSocket } from "./routing-kit.ts";
import { serverForFile, type Closable } from "./server-kit.ts";
import { eventually } from "./sockets.ts";
import { connectVisitor, openDesk, openSession, visitorSend } from "./widget-kit.ts";

// Who hears of a new message: the conversation's agent, the supervisors and whoever follows the
// conversation — not every console of the tenant (on a busy desk each of them would refetch on
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
    await heardOf(mine.tickets, (e) => e.id === ticketId && e.changes.includes("timeline"), "the agent's ticket moved on");
    await heardOf(supervisor.tickets, (e) => e.id === ticketId && e.changes.includes("timeline"), "the supervisor's view of the ticket moved on");

    // the agent replies; by then the colleague would have heard both messages if they were told
    const reply = await api(server, desk.agent).post(`/api/conversations/${first.conversationId}/messages`).send({ text: "好的，马上改" });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    await eventually(() => supervisor.messages.some((e) => e.id === reply.body.data.id), "the supervisor hears the reply");
    expect(colleague.messages).toEqual([]);
    expect(colleague.conversations.filter((e) => e.changes.every((c) => c === "messages"))).toEqual([]);
    // (the acceptance itself moved the first message onto the new ticket: that one all heard)
    expect(colleague.tickets.filter((e) => e.id === ticketId && e.updatedAt >= second.createdAt)).toEqual([]);
  });
});
