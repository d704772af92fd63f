import supertest from "supertest";
import { describe, expect, it } from "vitest";
import type { Ctx } from "../../server/src/domain/context.ts";
import { endConversation } from "../../server/src/domain/conversations/end-conversation.ts";
import { api, createTestTenant, type TestServer, type TestUser } from "./harness.ts";
import { acceptedChat, addUser, heardOf, itemOf, makeContact, makeQueue, serverWithAgents, setCapacity, setPresence, startChat } from "./routing-kit.ts";
import { makeWidget, shanghaiToday } from "./widget-kit.ts";

let server: TestServer;
const agents = serverWithAgents((s) => (server = s));

function pickUp(user: TestUser, conversationId: string) {
  return api(server, user).post(`/api/conversations/${conversationId}/accept`);
}

describe("picking up a conversation directly", () => {
  it("lets an agent grab only what routing could have offered them; a supervisor may assign over the rules, audited", async () => {
    const tenant = await createTestTenant(server);
    const li = await addUser(server, tenant, "李娜");
    const wang = await addUser(server, tenant, "王芳");
    const zhao = await addUser(server, tenant, "赵强");
    const queueId = await makeQueue(server, tenant, [li, wang], { strategy: "least_busy", offerTimeoutSeconds: 600 });
    const { heard } = await agents.agentSocket(li);
    await setCapacity(server, tenant, li, { chat: 1 });
    await setPresence(server, li, "available");
    const first = await startChat(server, tenant, { queueId });
    await heardOf(heard.offers, (o) => o.conversationId === first.id, "Li's offer");

    // Wang is offline: no grabbing
    const offline = await pickUp(wang, first.id);
    expect(offline.status).toBe(409);
    expect(offline.body.error.code).toBe("AGENT_UNAVAILABLE");
    // away, Wang still may not take what is offered to Li
    await setPresence(server, wang, "away", "lunch");
    const stolen = await pickUp(wang, first.id);
    expect(stolen.status).toBe(409);
    expect(stolen.body.error.code).toBe("OFFERED_TO_ANOTHER_AGENT");
    // Zhao is not in the queue
    await setPresence(server, zhao, "away");
    const outsider = await pickUp(zhao, first.id);
    expect(outsider.status).toBe(403);
    expect(outsider.body.error.code).toBe("NOT_QUEUE_MEMBER");
    // Li takes her own offer directly: it counts once against her one chat
    expect((await pickUp(li, first.id)).status).toBe(200);
    expect((await itemOf(server, first.id)).assigned_to).toBe(li.id);

    // a waiting chat (Li is full) Wang may grab, within his capacity
    await setCapacity(server, tenant, wang, { chat: 1 });
    const second = await startChat(server, tenant, { queueId });
    expect((await pickUp(wang, second.id)).status).toBe(200);
    const third = await startChat(server, tenant, { queueId });
    const full = await pickUp(wang, third.id);
    expect(full.status).toBe(409);
    expect(full.body.error.code).toBe("AGENT_AT_CAPACITY");
    expect((await itemOf(server, third.id)).state).toBe("waiting");

    // the supervisor (offline, outside the queue) assigns it to themselves; the audit log says what was overridden
    const supervisor = tenant.users.supervisor;
    expect((await pickUp(supervisor, third.id)).status).toBe(200);
    expect((await itemOf(server, third.id)).assigned_to).toBe(supervisor.id);
    const audit = await api(server, tenant.admin).get(`/api/audit-log?entityType=conversation&entityId=${third.id}`);
    const override = audit.body.data.items.find((a: { action: string }) => a.action === "conversation.assigned_over_rules");
    expect(override?.changes.overridden).toEqual(["queue", "offline"]);
  });

  it("lets any member grab a broadcast item that is offered to others", async () => {
    const tenant = await createTestTenant(server);
    const li = await addUser(server, tenant, "李娜");
    const wang = await addUser(server, tenant, "王芳");
    const queueId = await makeQueue(server, tenant, [li, wang], { strategy: "broadcast", offerTimeoutSeconds: 600 });
    const { heard } = await agents.agentSocket(li);
    await setPresence(server, li, "available");
    const chat = await startChat(server, tenant, { queueId });
    const offer = await heardOf(heard.offers, (o) => o.conversationId === chat.id, "Li's offer");
    await setPresence(server, wang, "away");
    expect((await pickUp(wang, chat.id)).status).toBe(200);
    await heardOf(heard.withdrawn, (e) => e.offerId === offer.offerId && e.reason === "taken", "Li's offer to be withdrawn as taken");
  });
});

describe("ending a conversation twice", () => {
  it("answers a retry by the same side with the same result, and the other side's late end with CONVERSATION_ENDED", async () => {
    const tenant = await createTestTenant(server);
    const li = await addUser(server, tenant, "李娜");
    const queueId = await makeQueue(server, tenant, [li], { wrapUpSeconds: 0 });
    const { heard } = await agents.agentSocket(li);
    await setPresence(server, li, "available");
    const chat = await acceptedChat(server, tenant, queueId, li, heard);
    const ended = await api(server, li).post(`/api/conversations/${chat.id}/end`).send({ wrapUp: "已解决" });
    expect(ended.status).toBe(200);
    const retried = await api(server, li).post(`/api/conversations/${chat.id}/end`).send({ wrapUp: "已解决" });
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.body.data).toEqual(ended.body.data);
    const notes = await server.deps.db.selectFrom("messages").select("body_text").where("conversation_id", "=", chat.id).where("direction", "=", "internal").execute();
    expect(notes.map((n) => n.body_text)).toEqual(["已解决"]);

    // the customer hung up first: the agent's end comes too late
    const contactId = await makeContact(server, tenant);
    const other = await acceptedChat(server, tenant, queueId, li, heard, { contactId });
    const customer: Ctx = { tenantId: tenant.id, actor: { type: "contact", id: contactId }, deps: server.deps, log: server.deps.log };
    await endConversation(customer, other.id, {});
    await endConversation(customer, other.id, {});
    const late = await api(server, li).post(`/api/conversations/${other.id}/end`).send({});
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe("CONVERSATION_ENDED");
  });
});

describe("the widget's open flag", () => {
  it("follows the calendar of the queue that would serve the chat, through overflow", async () => {
    const tenant = await createTestTenant(server);
    const li = await addUser(server, tenant, "李娜");
    const queueId = await makeQueue(server, tenant, [li]);
    const widget = await makeWidget(server, tenant, { defaultQueueId: queueId });
    await setPresence(server, li, "available");
    const config = async () => (await supertest(server.url).get(`/api/widget/${widget.publicKey}/config`)).body.data as { open: boolean; available: boolean };
    expect(await config()).toMatchObject({ open: true, available: true });

    const allDay = [["00:00", "24:00"]];
    const holiday = await api(server, tenant.admin)
      .post("/api/calendars")
      .send({ name: "公众假期", timeZone: "Asia/Shanghai", weeklyHours: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay }, holidays: [{ date: shanghaiToday(), name: "假期" }] });
    expect(holiday.status, JSON.stringify(holiday.body)).toBe(201);
    const closed = await api(server, tenant.admin).patch(`/api/queues/${queueId}/routing`).send({ calendarId: holiday.body.data.id, overflowAction: "ticket" });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(await config()).toEqual(expect.objectContaining({ open: false, available: false }));

    // overflowing into an open queue with someone available: open again
    const wang = await addUser(server, tenant, "王芳");
    const backup = await makeQueue(server, tenant, [wang]);
    await setPresence(server, wang, "available");
    expect((await api(server, tenant.admin).patch(`/api/queues/${queueId}/routing`).send({ overflowAction: "queue", overflowQueueId: backup })).status).toBe(200);
    expect(await config()).toMatchObject({ open: true, available: true });
  });
});
