import { describe, expect, it } from "vitest";
import { api, createTestTenant, type TestServer } from "./harness.ts";
import { accept, addUser, heardOf, itemOf, makeQueue, serverWithAgents, setCapacity, setPresence, startChat } from "./routing-kit.ts";

let server: TestServer;
const { agentSocket } = serverWithAgents((s) => (server = s));

describe("offers", () => {
  it("offers a new chat to an available agent, who accepts it: the conversation and its new ticket are theirs", async () => {
    const tenant = await createTestTenant(server);
    const li = await addUser(server, tenant, "Li Lei");
    const queueId = await makeQueue(server, tenant, [li], { strategy: "least_busy", wrapUpSeconds: 0 });
    const { socket, heard } = await agentSocket(li);
    await setPresence(server, li, "available");

    const chat = await startChat(server, tenant, { queueId, subject: "发票打印不出来" });
    const offer = await heardOf(heard.offers, (o) => o.conversationId === chat.id, "the offer of the new chat");
    expect(offer).toMatchObject({ queueId, media: "chat", channel: "webchat" });

    const mine = await api(server, li).get("/api/offers/mine");
    expect(mine.body.data.map((o: { offerId: string }) => o.offerId)).toEqual([offer.offerId]);

    const res = await socket.emitWithAck("offer:accept", offer.offerId);
    expect(res.ok, JSON.stringify(res)).toBe(true);
    if (!res.ok) return;
    expect(res.data.state).toBe("accepted");
    expect(res.data.ticketId).toBeTruthy();
    await heardOf(heard.accepted, (e) => e.offerId === offer.offerId, "offer:accepted");

    const conversation = await api(server, li).get(`/api/conversations/${chat.id}`);
    expect(conversation.body.data).toMatchObject({ state: "active", assigneeId: li.id, ticketId: res.data.ticketId });
    const item = await itemOf(server, chat.id);
    expect(item).toMatchObject({ state: "assigned", assigned_to: li.id, ticket_id: res.data.ticketId });
    const presence = await api(server, li).get("/api/presence/me");
    expect(presence.body.data).toMatchObject({ state: "busy", load: { chat: 1, voice: 0, email: 0 } });

    const timeline = await api(server, li).get(`/api/tickets/${res.data.ticketId}/timeline`);
    const routed = timeline.body.data.items.find((e: { kind: string }) => e.kind === "routed");
    expect(routed.data).toMatchObject({ queueId, state: "assigned" });

    const again = await accept(server, li, offer.offerId);
    expect(again.status).toBe(200);
    expect(again.body.data.state).toBe("accepted");
  });

  it("never offers an agent more chats than their capacity; the next waits until one ends", async () => {
    const tenant = await createTestTenant(server);
    const li = await addUser(server, tenant, "Li Lei");
    const queueId = await makeQueue(server, tenant, [li], { wrapUpSeconds: 0 });
    await setCapacity(server, tenant, li, { chat: 2 });
    const { heard } = await agentSocket(li);
    await setPresence(server, li, "available");

    const chats: { id: string }[] = [];
    for (let i = 0; i < 3; i++) chats.push(await startChat(server, tenant, { queueId, subject: `chat ${i}` }));
    await heardOf(heard.offers, (o) => o.conversationId === chats[1]!.id, "the second offer");
    for (const o of [...heard.offers]) expect((await accept(server, li, o.offerId)).status).toBe(200);

    const waiting = await api(server, tenant.users.supervisor).get(`/api/work-items?queueId=${queueId}`);
    expect(waiting.body.data.map((w: { conversationId: string }) => w.conversationId)).toEqual([chats[2]!.id]);
    expect(heard.offers.map((o) => o.conversationId)).toEqual([chats[0]!.id, chats[1]!.id]);

    const ended = await api(server, li).post(`/api/conversations/${chats[0]!.id}/end`).send({});
    expect(ended.status).toBe(200);
    await heardOf(heard.offers, (o) => o.conversationId === chats[2]!.id, "the third chat once the first ended");
    expect((await itemOf(server, chats[0]!.id)).state).toBe("completed");
  });
});
