import type { InboxChangedEvent } from "@yixian/contracts";
import { describe, expect, it } from "vitest";
import { api, createTestTenant, type TestServer, type TestUser } from "./harness.ts";
import { acceptedChat, addUser, heardOf, itemOf, makeQueue, serverWithAgents, setPresence } from "./routing-kit.ts";

let server: TestServer;
const agents = serverWithAgents((s) => (server = s));

async function agentSocket(user: TestUser) {
  const { socket, heard } = await agents.agentSocket(user);
  const inbox: InboxChangedEvent[] = [];
  socket.on("inbox:changed", (e) => inbox.push(e));
  return { socket, heard, inbox };
}

async function presence(user: TestUser) {
  return (await api(server, user).get("/api/presence/me")).body.data as { state: string; load: Record<string, number> };
}

async function messages(user: TestUser, conversationId: string) {
  return (await api(server, user).get(`/api/conversations/${conversationId}/messages`)).body.data.items as { direction: string; authorType: string; text: string }[];
}

describe("transferring a conversation", () => {
  it("to an agent: they get the offer, accept, and the chat is theirs; the first agent is freed and the customer is told", async () => {
    const tenant = await createTestTenant(server);
    const li = await addUser(server, tenant, "Li Lei");
    const han = await addUser(server, tenant, "Han Meimei");
    const queueId = await makeQueue(server, tenant, [li, han], { wrapUpSeconds: 60 });
    const first = await agentSocket(li);
    const second = await agentSocket(han);
    await setPresence(server, li, "available");
    const chat = await acceptedChat(server, tenant, queueId, li, first.heard, { subject: "发票打印不出来" });
    await setPresence(server, han, "available");

    const res = await api(server, li).post(`/api/conversations/${chat.id}/transfer`).send({ toAgentId: han.id, note: "客户要开专票，请跟进" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toMatchObject({ target: "agent", toAgentId: han.id, toQueueId: queueId });
    const offer = await heardOf(second.heard.offers, (o) => o.conversationId === chat.id, "the transferred chat's offer to Han");
    expect(offer.offerId).toBe(res.body.data.offerId);
    await heardOf(second.inbox, (e) => e.reason === "transfer", "Han's inbox:changed");
    await heardOf(first.inbox, (e) => e.reason === "transfer", "Li's inbox:changed");

    const freed = await presence(li);
    expect(freed).toMatchObject({ state: "wrap_up", load: { chat: 0 } });
    const ack = await second.socket.emitWithAck("offer:accept", offer.offerId);
    expect(ack.ok, JSON.stringify(ack)).toBe(true);

    const conversation = await api(server, han).get(`/api/conversations/${chat.id}`);
    expect(conversation.body.data).toMatchObject({ state: "active", assigneeId: han.id, ticketId: chat.ticketId });
    const agents = (conversation.body.data.participants as { kind: string; userId: string | null; leftAt: string | null }[]).filter((p) => p.kind === "agent");
    expect(agents.find((p) => p.userId === li.id)?.leftAt).toBeTruthy();
    expect(agents.find((p) => p.userId === han.id)?.leftAt).toBeNull();
    expect(await presence(han)).toMatchObject({ state: "busy", load: { chat: 1 } });
    expect((await itemOf(server, chat.id)).assigned_to).toBe(han.id);

    const said = await messages(han, chat.id);
    expect(said.at(-1)).toMatchObject({ direction: "outbound", authorType: "system", text: "已为您转接至客服 Han Meimei，请稍候。" });
    const ticket = await api(server, han).get(`/api/tickets/${chat.ticketId}`);
    expect(ticket.body.data.assigneeId).toBe(han.id);
    const timeline = await api(server, han).get(`/api/tickets/${chat.ticketId}/timeline`);
    const transferred = (timeline.body.data.items as { kind: string; data: Record<string, unknown> }[]).find((e) => e.kind === "transferred");
    expect(transferred?.data).toMatchObject({ from: { id: li.id, name: "Li Lei" }, to: { agent: { id: han.id, name: "Han Meimei" } }, note: "客户要开专票，请跟进" });
  });

  it("to a queue: the queue's agent is offered it and takes it; the first agent's item completes as transferred", async () => {
    const tenant = await createTestTenant(server);
    const li = await addUser(server, tenant, "Li Lei");
    const han = await addUser(server, tenant, "Han Meimei");
    const generalId = await makeQueue(server, tenant, [li], { wrapUpSeconds: 0 });
    const financeId = await makeQueue(server, tenant, [han], { wrapUpSeconds: 0 });
    const first = await agentSocket(li);
    const second = await agentSocket(han);
    await setPresence(server, li, "available");
    await setPresence(server, han, "available");
    const chat = await acceptedChat(server, tenant, generalId, li, first.heard, { subject: "发票打印不出来" });
    const before = await itemOf(server, chat.id);

    const res = await api(server, li).post(`/api/conversations/${chat.id}/transfer`).send({ toQueueId: financeId, note: "财务问题" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toMatchObject({ target: "queue", toAgentId: null, toQueueId: financeId, offerId: null });
    const offer = await heardOf(second.heard.offers, (o) => o.conversationId === chat.id, "the finance queue's offer");
    expect(offer.queueId).toBe(financeId);
    expect((await api(server, han).post(`/api/offers/${offer.offerId}/accept`)).status).toBe(200);

    const old = await server.deps.db.selectFrom("work_items").selectAll().where("id", "=", before.id).executeTakeFirstOrThrow();
    expect(old.state).toBe("completed");
    expect(old.decision).toMatchObject({ transferred: { to: { queue: { id: financeId } }, note: "财务问题" } });
    expect(await presence(li)).toMatchObject({ state: "available", load: { chat: 0 } });
    const conversation = await api(server, han).get(`/api/conversations/${chat.id}`);
    expect(conversation.body.data).toMatchObject({ state: "active", assigneeId: han.id, queueId: financeId });
    const said = await messages(han, chat.id);
    expect(said.some((m) => m.authorType === "system" && m.text.startsWith("已为您转接至"))).toBe(true);
    // the ticket follows the conversation to the agent who took it from the queue
    const ticket = await api(server, han).get(`/api/tickets/${chat.ticketId as string}`);
    expect(ticket.body.data).toMatchObject({ assigneeId: han.id, queueId: financeId });
  });

  it("only the conversation's agent or a supervisor transfers it, and only to an agent with room", async () => {
    const tenant = await createTestTenant(server);
    const li = await addUser(server, tenant, "Li Lei");
    const han = await addUser(server, tenant, "Han Meimei");
    const queueId = await makeQueue(server, tenant, [li], { wrapUpSeconds: 0 });
    const first = await agentSocket(li);
    await setPresence(server, li, "available");
    const chat = await acceptedChat(server, tenant, queueId, li, first.heard, { subject: "发票打印不出来" });

    const stranger = await api(server, han).post(`/api/conversations/${chat.id}/transfer`).send({ toQueueId: queueId });
    expect(stranger.status).toBe(409);
    expect(stranger.body.error.code).toBe("CONFLICT");
    const away = await api(server, li).post(`/api/conversations/${chat.id}/transfer`).send({ toAgentId: han.id, note: "" });
    expect(away.status).toBe(409);
    expect(away.body.error.code).toBe("AGENT_UNAVAILABLE");
    const both = await api(server, li).post(`/api/conversations/${chat.id}/transfer`).send({ toAgentId: han.id, toQueueId: queueId });
    expect(both.status).toBe(400);
    expect((await api(server, li).get(`/api/conversations/${chat.id}`)).body.data).toMatchObject({ state: "active", assigneeId: li.id });

    await setPresence(server, han, "available");
    const bySupervisor = await api(server, tenant.users.supervisor).post(`/api/conversations/${chat.id}/transfer`).send({ toAgentId: han.id, note: "请接手" });
    expect(bySupervisor.status, JSON.stringify(bySupervisor.body)).toBe(200);
    const again = await api(server, li).post(`/api/conversations/${chat.id}/transfer`).send({ toQueueId: queueId });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("CONVERSATION_NOT_ACCEPTED");
  });
});
