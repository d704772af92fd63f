import type { Contact, ConversationChangedEvent, CustomerChangedEvent, TicketChangedEvent, TimelineItem } from "@yixian/contracts";
import { describe, expect, it } from "vitest";
import { api, createTestTenant, type TestServer, type TestTenant, type TestUser } from "./harness.ts";
import { heardOf, listen } from "./routing-kit.ts";
import { serverForFile, type Closable } from "./server-kit.ts";
import { asVisitor, connectVisitor, makeWidget, openDesk, openSession, visitorSend, type Desk } from "./widget-kit.ts";

let server: TestServer;
const sockets: Closable[] = [];
serverForFile((s) => (server = s), { closeAfterAll: sockets });

const desk = () => openDesk(server, sockets);

/** A web-chat visitor writes, the agent accepts: an active conversation with a ticket, on the visitor's anonymous contact. */
async function acceptedChat(d: Desk) {
  const offers = listen(d.agentSocket);
  const session = await openSession(server, d.widgetKey);
  const socket = await connectVisitor(server.url, session.visitorToken);
  sockets.push(socket);
  const first = await visitorSend(socket, "你好，我的发票打印不出来", "c-1");
  const offer = await heardOf(offers.offers, (o) => o.conversationId === first.conversationId, "the offer");
  const accepted = await api(server, d.agent).post(`/api/offers/${offer.offerId}/accept`);
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
  const detail = await api(server, d.agent).get(`/api/conversations/${first.conversationId}`);
  const conversation = detail.body.data as { id: string; contactId: string; ticketId: string; contact: { name: string } };
  expect(conversation.ticketId).toBeTruthy();
  return { session, socket, conversation, visitorContactId: conversation.contactId, visitorName: conversation.contact.name };
}

/** A known customer: 张三 of 上海瑞丰, standard pack, with a mobile number. */
async function knownCustomer(tenant: TestTenant, phone = "13800138000") {
  const company = await api(server, tenant.admin).post("/api/companies").send({ name: "上海瑞丰贸易", servicePack: "standard", serviceExpiresOn: "2099-12-31" });
  expect(company.status, JSON.stringify(company.body)).toBe(201);
  const contact = await api(server, tenant.admin)
    .post("/api/contacts")
    .send({ name: "张三", companyId: company.body.data.id, identities: [{ kind: "phone", value: phone }] });
  expect(contact.status, JSON.stringify(contact.body)).toBe(201);
  return { company: company.body.data as { id: string; name: string; verificationCode: string }, contact: contact.body.data as Contact };
}

async function timelineOf(user: TestUser, ticketId: string): Promise<TimelineItem[]> {
  const res = await api(server, user).get(`/api/tickets/${ticketId}/timeline?limit=200`);
  expect(res.status).toBe(200);
  return res.body.data.items as TimelineItem[];
}

describe("POST /conversations/{conversationId}/contact", () => {
  it("identifies a web-chat visitor as a known customer: the visitor merges in, the ticket follows, the browser is recognised next time", async () => {
    const d = await desk();
    const { contact: zhang, company } = await knownCustomer(d.tenant);
    const chat = await acceptedChat(d);

    const before = await api(server, d.agent).get(`/api/contacts/${chat.visitorContactId}`);
    expect(before.body.data).toMatchObject({ anonymous: true, companyId: null });
    expect(zhang.anonymous).toBe(false);

    const conversationEvents: ConversationChangedEvent[] = [];
    const customerEvents: CustomerChangedEvent[] = [];
    const ticketEvents: TicketChangedEvent[] = [];
    d.agentSocket.on("conversation:changed", (e) => conversationEvents.push(e));
    d.agentSocket.on("customer:changed", (e) => customerEvents.push(e));
    d.agentSocket.on("ticket:changed", (e) => ticketEvents.push(e));

    const linked = await api(server, d.agent).post(`/api/conversations/${chat.conversation.id}/contact`).send({ contactId: zhang.id });
    expect(linked.status, JSON.stringify(linked.body)).toBe(200);
    expect(linked.body.data).toMatchObject({ id: chat.conversation.id, contactId: zhang.id, contact: { id: zhang.id, name: "张三", companyName: "上海瑞丰贸易" } });

    // the console hears about it live
    await heardOf(conversationEvents, (e) => e.id === chat.conversation.id && e.changes.includes("contact"), "conversation:changed");
    await heardOf(customerEvents, (e) => e.id === zhang.id, "customer:changed for 张三");
    await heardOf(ticketEvents, (e) => e.id === chat.conversation.ticketId, "ticket:changed");

    // the ticket is 张三's now, in his company, and says so on its timeline
    const ticket = await api(server, d.agent).get(`/api/tickets/${chat.conversation.ticketId}`);
    expect(ticket.body.data).toMatchObject({ contactId: zhang.id, companyId: company.id });
    const identified = (await timelineOf(d.agent, chat.conversation.ticketId)).find((i) => i.kind === "contact_identified");
    expect(identified?.data).toMatchObject({ how: "identified", from: chat.visitorName, to: "张三", contactId: zhang.id });
    expect(identified?.actor).toMatchObject({ type: "user", id: d.agent.id });

    // the anonymous contact is merged away; 张三 owns the visitor's identity and the history
    const gone = await api(server, d.agent).get(`/api/contacts/${chat.visitorContactId}`);
    expect(gone.body.data.mergedIntoId).toBe(zhang.id);
    const after = await api(server, d.agent).get(`/api/contacts/${zhang.id}`);
    expect((after.body.data as Contact).identities.map((i) => i.kind).sort()).toEqual(["phone", "visitor_id"]);
    expect(after.body.data.anonymous).toBe(false);
    const history = await api(server, d.agent).get(`/api/conversations?contactId=${zhang.id}`);
    expect(history.body.data.items.map((c: { id: string }) => c.id)).toContain(chat.conversation.id);
    const byVisitor = await api(server, d.agent).get(`/api/identify?visitorId=${chat.session.visitorId}`);
    expect(byVisitor.body.data.contact).toMatchObject({ id: zhang.id, name: "张三" });

    // the audit log has it
    const audit = await api(server, d.tenant.users.supervisor).get(`/api/audit-log?entityType=conversation&entityId=${chat.conversation.id}`);
    expect(audit.status).toBe(200);
    expect(audit.body.data.items.map((e: { action: string }) => e.action)).toContain("conversation.contact_identified");

    // the visitor keeps chatting in the same conversation, now 张三's
    const next = await visitorSend(chat.socket, "好的，谢谢", "c-2");
    expect(next.conversationId).toBe(chat.conversation.id);

    // next visit from that browser: greeted as 张三, no pre-chat form
    const again = await openSession(server, d.widgetKey, { visitorToken: chat.session.visitorToken });
    expect(again).toMatchObject({ returning: true, visitorId: chat.session.visitorId, contact: { name: "张三", companyName: "上海瑞丰贸易", identified: true }, needsPreChat: false });

    // identifying again as the same customer changes nothing; as someone else is refused
    const same = await api(server, d.agent).post(`/api/conversations/${chat.conversation.id}/contact`).send({ contactId: zhang.id });
    expect(same.status).toBe(200);
    const other = await knownCustomer(d.tenant, "13900139000");
    const refused = await api(server, d.agent).post(`/api/conversations/${chat.conversation.id}/contact`).send({ contactId: other.contact.id });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("CONTACT_ALREADY_IDENTIFIED");
    const create = await api(server, d.agent).post(`/api/conversations/${chat.conversation.id}/contact`).send({ create: { name: "李四" } });
    expect(create.status).toBe(409);
    expect(create.body.error.code).toBe("CONTACT_ALREADY_IDENTIFIED");
  });

  it("creates the contact: the anonymous visitor becomes a named customer with phone, e-mail and company", async () => {
    const d = await desk();
    const { company } = await knownCustomer(d.tenant);
    const chat = await acceptedChat(d);
    const customerEvents: CustomerChangedEvent[] = [];
    d.agentSocket.on("customer:changed", (e) => customerEvents.push(e));

    const created = await api(server, d.agent)
      .post(`/api/conversations/${chat.conversation.id}/contact`)
      .send({ create: { name: "王五", phone: "+86 138 0013 8001", email: "Wang.Wu@Example.com", companyId: company.id } });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.body.data).toMatchObject({ contactId: chat.visitorContactId, contact: { name: "王五", companyName: "上海瑞丰贸易" } });
    await heardOf(customerEvents, (e) => e.id === chat.visitorContactId, "customer:changed for 王五");

    const contact = (await api(server, d.agent).get(`/api/contacts/${chat.visitorContactId}`)).body.data as Contact;
    expect(contact).toMatchObject({ name: "王五", anonymous: false, companyId: company.id, mergedIntoId: null });
    expect(Object.fromEntries(contact.identities.map((i) => [i.kind, i.value]))).toEqual({
      visitor_id: chat.session.visitorId,
      phone: "+8613800138001",
      email: "wang.wu@example.com",
    });
    // findable by the phone typed any way
    const byPhone = await api(server, d.agent).get(`/api/identify?phone=${encodeURIComponent("138-0013-8001")}`);
    expect(byPhone.body.data.contact?.id).toBe(chat.visitorContactId);

    const ticket = await api(server, d.agent).get(`/api/tickets/${chat.conversation.ticketId}`);
    expect(ticket.body.data).toMatchObject({ contactId: chat.visitorContactId, companyId: company.id });
    const entry = (await timelineOf(d.agent, chat.conversation.ticketId)).find((i) => i.kind === "contact_identified");
    expect(entry?.data).toMatchObject({ how: "created", from: chat.visitorName, to: "王五" });

    const again = await openSession(server, d.widgetKey, { visitorToken: chat.session.visitorToken });
    expect(again.contact).toMatchObject({ name: "王五", companyName: "上海瑞丰贸易", identified: true });
    expect(again.needsPreChat).toBe(false);

    const twice = await api(server, d.agent).post(`/api/conversations/${chat.conversation.id}/contact`).send({ create: { name: "王五五" } });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe("CONTACT_ALREADY_IDENTIFIED");
  });

  it("refuses a phone that is another customer's (identify them instead) and leaves the visitor as they were", async () => {
    const d = await desk();
    await knownCustomer(d.tenant, "13800138000");
    const chat = await acceptedChat(d);
    const taken = await api(server, d.agent).post(`/api/conversations/${chat.conversation.id}/contact`).send({ create: { name: "张三", phone: "138 0013 8000" } });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe("IDENTITY_TAKEN");
    const contact = await api(server, d.agent).get(`/api/contacts/${chat.visitorContactId}`);
    expect(contact.body.data).toMatchObject({ name: chat.visitorName, anonymous: true });
    const bad = await api(server, d.agent).post(`/api/conversations/${chat.conversation.id}/contact`).send({ create: { name: "张三", phone: "not a phone" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("INVALID_PHONE");
  });

  it("refuses an unidentified visitor as the one to identify as", async () => {
    const d = await desk();
    const a = await acceptedChat(d);
    const b = await acceptedChat(d);
    const res = await api(server, d.agent).post(`/api/conversations/${a.conversation.id}/contact`).send({ contactId: b.visitorContactId });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
  });

  it("gives a conversation without a customer its contact: a known one, or a new one", async () => {
    const d = await desk();
    const { contact: zhang } = await knownCustomer(d.tenant);
    const start = async () => {
      const res = await api(server, d.agent).post("/api/conversations").send({ channel: "phone", subject: "无来电号码" });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.data.contactId).toBeNull();
      return res.body.data.id as string;
    };
    const first = await start();
    const linked = await api(server, d.agent).post(`/api/conversations/${first}/contact`).send({ contactId: zhang.id });
    expect(linked.status, JSON.stringify(linked.body)).toBe(200);
    expect(linked.body.data.contactId).toBe(zhang.id);

    const second = await start();
    const created = await api(server, d.agent).post(`/api/conversations/${second}/contact`).send({ create: { name: "赵六", phone: "13700137000" } });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const contact = (await api(server, d.agent).get(`/api/contacts/${created.body.data.contactId}`)).body.data as Contact;
    expect(contact).toMatchObject({ name: "赵六", anonymous: false });
    expect(contact.identities.map((i) => i.value)).toEqual(["+8613700137000"]);
  });

  it("answers 404 for another tenant's conversation, contact or company, and never touches them", async () => {
    const d = await desk();
    const chat = await acceptedChat(d);
    const other = await createTestTenant(server);
    const theirs = await knownCustomer(other);

    const foreignContact = await api(server, d.agent).post(`/api/conversations/${chat.conversation.id}/contact`).send({ contactId: theirs.contact.id });
    expect(foreignContact.status).toBe(404);
    expect(foreignContact.body.error.code).toBe("NOT_FOUND");
    const foreignCompany = await api(server, d.agent).post(`/api/conversations/${chat.conversation.id}/contact`).send({ create: { name: "王五", companyId: theirs.company.id } });
    expect(foreignCompany.status).toBe(404);
    const foreignConversation = await api(server, other.users.agent).post(`/api/conversations/${chat.conversation.id}/contact`).send({ create: { name: "王五" } });
    expect(foreignConversation.status).toBe(404);

    const still = await api(server, d.agent).get(`/api/contacts/${chat.visitorContactId}`);
    expect(still.body.data).toMatchObject({ name: chat.visitorName, anonymous: true, companyId: null });
    const theirContact = await api(server, other.admin).get(`/api/contacts/${theirs.contact.id}`);
    expect(theirContact.body.data.identities).toHaveLength(1);
  });

  it("validates the body with coded errors, and only agents who may change customers may do it", async () => {
    const d = await desk();
    const chat = await acceptedChat(d);
    const path = `/api/conversations/${chat.conversation.id}/contact`;
    for (const body of [{}, { contactId: "not-an-id" }, { create: { name: "  " } }, { create: {} }, { contactId: chat.visitorContactId, create: { name: "x" } }, { create: { name: "王五", phone: 138 } }]) {
      const res = await api(server, d.agent).post(path).send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
    }
    const inspector = await api(server, d.tenant.users.quality_inspector).post(path).send({ create: { name: "王五" } });
    expect(inspector.status).toBe(403);
    const engineer = await api(server, d.tenant.users.field_engineer).post(path).send({ create: { name: "王五" } });
    expect(engineer.status).toBe(403);
    const still = await api(server, d.agent).get(`/api/contacts/${chat.visitorContactId}`);
    expect(still.body.data.anonymous).toBe(true);
  });

  it("a visitor who gives their name in the pre-chat form is no longer anonymous", async () => {
    const tenant = await createTestTenant(server);
    const widget = await makeWidget(server, tenant, { preChatForm: { name: "required", phone: "optional", company: "off", verificationCode: "off" } });
    const session = await openSession(server, widget.publicKey);
    const byVisitor = async () => (await api(server, tenant.admin).get(`/api/identify?visitorId=${session.visitorId}`)).body.data.contact as Contact;
    expect((await byVisitor()).anonymous).toBe(true);
    const res = await asVisitor(server, session.visitorToken).post("/api/widget/sessions/prechat").send({ name: "钱七" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await byVisitor()).toMatchObject({ name: "钱七", anonymous: false });
  });
});
