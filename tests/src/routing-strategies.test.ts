import { describe, expect, it } from "vitest";
import { api, createTestTenant, type TestServer } from "./harness.ts";
import { accept, addUser, givePhone, heardOf, itemOf, makeContact, makeQueue, myOffers, serverWithAgents, setCapacity, setPresence, startChat, until } from "./routing-kit.ts";

let server: TestServer;
const { agentSocket } = serverWithAgents((s) => (server = s));

describe("offers that are not taken", () => {
  it("re-routes an expired offer to another agent, and sets an agent away after the queue's maximum of misses", async () => {
    const tenant = await createTestTenant(server);
    const li = await addUser(server, tenant, "Li Lei");
    const wang = await addUser(server, tenant, "Wang Fang");
    const queueId = await makeQueue(server, tenant, [li, wang], { strategy: "least_busy", offerTimeoutSeconds: 1, maxMissedOffers: 2 });
    const a = await agentSocket(li);
    const b = await agentSocket(wang);
    await setPresence(server, li, "available");

    // Li alone is available and lets the first chat's offer expire; it then goes to Wang.
    const first = await startChat(server, tenant, { queueId, subject: "first" });
    const missed = await heardOf(a.heard.offers, (o) => o.conversationId === first.id, "Li's offer");
    await setPresence(server, wang, "available");
    await heardOf(a.heard.withdrawn, (e) => e.offerId === missed.offerId && e.reason === "expired", "Li's offer to expire");
    const rerouted = await heardOf(b.heard.offers, (o) => o.conversationId === first.id, "the chat re-routed to Wang");
    expect((await accept(server, wang, rerouted.offerId)).status).toBe(200);
    const late = await accept(server, li, missed.offerId);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe("OFFER_EXPIRED");
    expect((await api(server, li).get("/api/presence/me")).body.data).toMatchObject({ state: "available", missedOffers: 1 });

    // Li (least busy) misses a second one and is set away; Wang gets it.
    const second = await startChat(server, tenant, { queueId, subject: "second" });
    await heardOf(a.heard.offers, (o) => o.conversationId === second.id, "Li's second offer");
    const away = await heardOf(a.heard.presence, (e) => e.userId === li.id && e.state === "away", "Li to be set away");
    expect(away.reason).toBe("missed offers");
    const toWang = await heardOf(b.heard.offers, (o) => o.conversationId === second.id, "the second chat to Wang");
    expect(toWang.queueId).toBe(queueId);
    const decision = (await itemOf(server, second.id)).decision as { offer: { agentIds: string[]; reason: string } };
    expect(decision.offer.agentIds).toEqual([wang.id]);
  });

  it("re-routes a rejected offer to someone else and tells the rejecting agent", async () => {
    const tenant = await createTestTenant(server);
    const li = await addUser(server, tenant, "Li Lei");
    const wang = await addUser(server, tenant, "Wang Fang");
    const queueId = await makeQueue(server, tenant, [li, wang], { strategy: "longest_idle" });
    const a = await agentSocket(li);
    const b = await agentSocket(wang);
    await setPresence(server, li, "available");
    await setPresence(server, wang, "available");

    const chat = await startChat(server, tenant, { queueId });
    const first = await Promise.race([
      heardOf(a.heard.offers, (o) => o.conversationId === chat.id, "an offer").then((o) => ({ o, from: a, to: b })),
      heardOf(b.heard.offers, (o) => o.conversationId === chat.id, "an offer").then((o) => ({ o, from: b, to: a })),
    ]);
    const rejected = await first.from.socket.emitWithAck("offer:reject", first.o.offerId);
    expect(rejected).toMatchObject({ ok: true, data: { state: "rejected" } });
    await heardOf(first.from.heard.withdrawn, (e) => e.offerId === first.o.offerId && e.reason === "rejected", "the rejection to be confirmed");
    await heardOf(first.to.heard.offers, (o) => o.conversationId === chat.id, "the chat to go to the other agent");
    const again = await first.from.socket.emitWithAck("offer:reject", first.o.offerId);
    expect(again).toMatchObject({ ok: false, error: { code: "OFFER_CLOSED" } });
  });

  it("abandons an item whose customer left before an answer: the offer is withdrawn and the conversation ends", async () => {
    const tenant = await createTestTenant(server);
    const li = await addUser(server, tenant, "Li Lei");
    const queueId = await makeQueue(server, tenant, [li]);
    const a = await agentSocket(li);
    await setPresence(server, li, "available");
    const chat = await startChat(server, tenant, { queueId });
    const offer = await heardOf(a.heard.offers, (o) => o.conversationId === chat.id, "the offer");

    const abandoned = await api(server, tenant.users.agent).post(`/api/work-items/${offer.workItemId}/abandon`);
    expect(abandoned.status).toBe(200);
    expect(abandoned.body.data).toMatchObject({ state: "abandoned" });
    expect(abandoned.body.data.abandonedAt).not.toBeNull();
    await heardOf(a.heard.withdrawn, (e) => e.offerId === offer.offerId && e.reason === "cancelled", "the offer to be withdrawn");
    expect((await api(server, li).get(`/api/conversations/${chat.id}`)).body.data.state).toBe("ended");
    expect((await accept(server, li, offer.offerId)).body.error.code).toBe("OFFER_CLOSED");
    expect((await api(server, li).get("/api/presence/me")).body.data).toMatchObject({ state: "available", pending: { chat: 0 } });
  });
});

describe("who is served first", () => {
  it("lets a VIP's item jump the queue", async () => {
    const tenant = await createTestTenant(server);
    const li = await addUser(server, tenant, "Li Lei");
    const queueId = await makeQueue(server, tenant, [li]);
    await setCapacity(server, tenant, li, { chat: 1 });
    const plain = await startChat(server, tenant, { queueId, subject: "plain, first in line" });
    const vip = await startChat(server, tenant, { queueId, subject: "VIP", contactId: await makeContact(server, tenant, { vip: true }) });
    const queued = await api(server, tenant.users.supervisor).get(`/api/work-items?queueId=${queueId}`);
    expect(queued.body.data.map((w: { conversationId: string; vip: boolean }) => [w.conversationId, w.vip])).toEqual([
      [vip.id, true],
      [plain.id, false],
    ]);

    await setPresence(server, li, "available");
    const offers = await until(() => myOffers(server, li), (o) => o.length > 0, "Li's first offer");
    expect(offers.map((o) => o.conversationId)).toEqual([vip.id]);
  });

  it("offers a returning customer to the agent who served them last, and falls back after the window", async () => {
    const tenant = await createTestTenant(server);
    const li = await addUser(server, tenant, "Li Lei");
    const wang = await addUser(server, tenant, "Wang Fang");
    const queueId = await makeQueue(server, tenant, [li, wang], { strategy: "longest_idle", stickySeconds: 1, wrapUpSeconds: 0 });
    const customer = await makeContact(server, tenant);
    const a = await agentSocket(li);
    const b = await agentSocket(wang);

    // Wang serves the customer once.
    await setPresence(server, wang, "available");
    const earlier = await startChat(server, tenant, { queueId, contactId: customer });
    const served = await heardOf(b.heard.offers, (o) => o.conversationId === earlier.id, "Wang's first offer");
    expect((await accept(server, wang, served.offerId)).status).toBe(200);
    expect((await api(server, wang).post(`/api/conversations/${earlier.id}/end`).send({})).status).toBe(200);

    // Li has been idle longer, but the customer comes back to Wang.
    await setPresence(server, li, "available");
    await setPresence(server, wang, "available");
    const back = await startChat(server, tenant, { queueId, contactId: customer });
    const toWang = await heardOf(b.heard.offers, (o) => o.conversationId === back.id, "the returning customer to go to Wang");
    expect(a.heard.offers.some((o) => o.conversationId === back.id)).toBe(false);
    const decision = (await itemOf(server, back.id)).decision as { offer: { strategy: string } };
    expect(decision.offer.strategy).toBe("sticky");
    expect((await accept(server, wang, toWang.offerId)).status).toBe(200);
    expect((await api(server, wang).post(`/api/conversations/${back.id}/end`).send({})).status).toBe(200);

    // Wang is away now: the item waits out the window, then goes to Li.
    await setPresence(server, wang, "away", "lunch");
    const third = await startChat(server, tenant, { queueId, contactId: customer });
    await heardOf(a.heard.offers, (o) => o.conversationId === third.id, "the fallback to Li after the window");
    const fallback = (await itemOf(server, third.id)).decision as { offer: { reason: string } };
    expect(fallback.offer.reason).toContain("returning customer's agent");
  });

  it("keeps chats away from an agent on a call when the tenant says so", async () => {
    const tenant = await createTestTenant(server);
    const li = await addUser(server, tenant, "Li Lei");
    const queueId = await makeQueue(server, tenant, [li], { wrapUpSeconds: 0 });
    await server.deps.db.updateTable("tenants").set({ settings: JSON.stringify({ chatDuringVoice: false }) }).where("id", "=", tenant.id).execute();
    await givePhone(server, li);
    const a = await agentSocket(li);
    await setPresence(server, li, "available");
    const call = await startChat(server, tenant, { queueId, channel: "phone" });
    const offer = await heardOf(a.heard.offers, (o) => o.conversationId === call.id, "the call");
    expect(offer.media).toBe("voice");
    expect((await accept(server, li, offer.offerId)).status).toBe(200);

    const chat = await startChat(server, tenant, { queueId });
    const waiting = await api(server, tenant.users.supervisor).get(`/api/work-items?queueId=${queueId}`);
    expect(waiting.body.data.map((w: { conversationId: string; state: string }) => [w.conversationId, w.state])).toEqual([[chat.id, "waiting"]]);
    expect((await api(server, li).post(`/api/conversations/${call.id}/end`).send({})).status).toBe(200);
    await heardOf(a.heard.offers, (o) => o.conversationId === chat.id, "the chat once the call ended");
  });
});

describe("broadcast grab (抢单)", () => {
  it("offers to every eligible agent at once; the first to accept wins and the others see it withdrawn", async () => {
    const tenant = await createTestTenant(server);
    const li = await addUser(server, tenant, "Li Lei");
    const wang = await addUser(server, tenant, "Wang Fang");
    const queueId = await makeQueue(server, tenant, [li, wang], { strategy: "broadcast" });
    const a = await agentSocket(li);
    const b = await agentSocket(wang);
    await setPresence(server, li, "available");
    await setPresence(server, wang, "available");

    const chat = await startChat(server, tenant, { queueId, subject: "谁来抢" });
    const forLi = await heardOf(a.heard.offers, (o) => o.conversationId === chat.id, "Li's offer");
    const forWang = await heardOf(b.heard.offers, (o) => o.conversationId === chat.id, "Wang's offer");
    expect(forLi.workItemId).toBe(forWang.workItemId);
    expect(forLi.offerId).not.toBe(forWang.offerId);

    const won = await b.socket.emitWithAck("offer:accept", forWang.offerId);
    expect(won).toMatchObject({ ok: true, data: { state: "accepted" } });
    await heardOf(b.heard.accepted, (e) => e.offerId === forWang.offerId, "Wang to hear he won");
    const lost = await heardOf(a.heard.withdrawn, (e) => e.offerId === forLi.offerId, "Li to see the offer withdrawn");
    expect(lost.reason).toBe("taken");
    const late = await a.socket.emitWithAck("offer:accept", forLi.offerId);
    expect(late).toMatchObject({ ok: false, error: { code: "OFFER_CLOSED" } });
    expect((await api(server, li).get(`/api/conversations/${chat.id}`)).body.data.assigneeId).toBe(wang.id);
  });
});
