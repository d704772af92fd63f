import type { VisitorTypingEvent } from "@yixian/contracts";
import { describe, expect, it } from "vitest";
import { appendMessage } from "../../server/src/domain/conversations/append-message.ts";
import { api, createTestTenant, type TestTenant, type TestUser } from "../src/harness.ts";
import { connectVisitor, makeWidget, openSession } from "../src/widget-kit.ts";
import { ARTIFACTS, browserForFile, signIn, type ClockedServer } from "./support.ts";

// The agent's workspace in the console, in Chromium against the real server: canned replies
// picked with `/`, transfers, unread badges and mentions. Screenshots go to test-artifacts/.

let server: ClockedServer;
const sockets: { close(): unknown }[] = [];
const { openConsole } = browserForFile((s) => (server = s), { closeAfterEach: sockets });

interface Hotline {
  tenant: TestTenant;
  agent: TestUser;
  colleague: TestUser;
  queueId: string;
  contactId: string;
}

/** A hotline queue with two agents (agent and senior agent) and a customer. */
async function hotline(): Promise<Hotline> {
  const tenant = await createTestTenant(server, "华南热线");
  const admin = api(server, tenant.admin);
  const agent = tenant.users.agent;
  const colleague = tenant.users.senior_agent;
  const queue = await admin.post("/api/queues").send({ name: "发票热线", memberIds: [agent.id, colleague.id] });
  expect(queue.status, JSON.stringify(queue.body)).toBe(201);
  const queueId = queue.body.data.id as string;
  const routing = await admin.patch(`/api/queues/${queueId}/routing`).send({ offerTimeoutSeconds: 300 });
  expect(routing.status, JSON.stringify(routing.body)).toBe(200);
  const contact = await admin.post("/api/contacts").send({ name: "李秀英", identities: [{ kind: "phone", value: "13900139000" }] });
  expect(contact.status, JSON.stringify(contact.body)).toBe(201);
  return { tenant, agent, colleague, queueId, contactId: contact.body.data.id as string };
}

async function customerSays(h: Hotline, conversationId: string, text: string): Promise<void> {
  await appendMessage({ tenantId: h.tenant.id, actor: { type: "contact", id: h.contactId }, deps: server.deps, log: server.deps.log }, { conversationId, direction: "inbound", text });
}

/** The customer writes in on web chat and the agent (available) accepts the routed offer over the API. */
async function acceptedChat(h: Hotline, text: string): Promise<string> {
  const agent = api(server, h.agent);
  expect((await agent.put("/api/presence/me").send({ state: "available" })).status).toBe(200);
  const created = await api(server, h.tenant.admin).post("/api/conversations").send({ channel: "webchat", contactId: h.contactId, queueId: h.queueId, subject: "发票抬头写错了" });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.data.id as string;
  await customerSays(h, id, text);
  // the dispatcher offers it right after the commit, on its own time
  let offer: { offerId: string; conversationId: string | null } | undefined;
  for (const deadline = Date.now() + 10_000; !offer && Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
    const offers = await agent.get("/api/offers/mine");
    offer = (offers.body.data as { offerId: string; conversationId: string | null }[]).find((o) => o.conversationId === id);
  }
  expect(offer, "the offer of the new chat").toBeTruthy();
  const accepted = await agent.post(`/api/offers/${offer?.offerId}/accept`).send({});
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
  return id;
}

describe("the agent's workspace in the console", () => {
  it("creates a canned reply in the manager and inserts it, rendered, by typing / in the reply box", async () => {
    const h = await hotline();
    server.clock.set(new Date().toISOString());
    const other = await api(server, h.agent).post("/api/canned-replies").send({ shortcut: "/发货", title: "已发货", body: "您的发票已经寄出。" });
    expect(other.status, JSON.stringify(other.body)).toBe(201);
    const conversationId = await acceptedChat(h, "发票抬头写错了，能重开吗？");
    const page = await openConsole();
    await signIn(page, h.agent);
    await page.goto(`${server.url}/conversations/${conversationId}`);
    const view = page.locator(`[data-conversation="${conversationId}"]`);
    await view.locator('.msg[data-direction="inbound"]').filter({ hasText: "重开" }).waitFor();

    // a personal reply made in the manager
    await view.locator('[data-action="manage-canned"]').click();
    const manager = page.locator('[data-overlay="canned"]');
    await manager.locator('[data-action="new-canned"]').click();
    await manager.locator('input[name="shortcut"]').fill("/发票");
    await manager.locator('input[name="title"]').fill("重开发票");
    await manager.locator('textarea[name="body"]').fill("{{contact.name}}您好，我们今天为您重开发票。");
    await manager.locator('[data-action="save-canned"]').click();
    await manager.locator("li").filter({ hasText: "重开发票" }).waitFor();
    await page.screenshot({ path: `${ARTIFACTS}console-canned-manager.png` });
    await manager.locator("button").filter({ hasText: "Close" }).click();
    await manager.waitFor({ state: "detached" });

    // `/发` shows both; the arrow keys pick, Enter inserts the rendered text
    const box = view.locator('textarea[name="message"]');
    await box.click();
    await box.pressSequentially("/发");
    const picker = view.locator('[data-picker="canned"]');
    await picker.locator('[role="option"]').nth(1).waitFor();
    expect(await picker.locator('[role="option"]').count()).toBe(2);
    const target = picker.locator('[role="option"]').filter({ hasText: "重开发票" });
    while ((await target.getAttribute("aria-selected")) !== "true") await box.press("ArrowDown");
    await page.screenshot({ path: `${ARTIFACTS}console-canned-picker.png` });
    await box.press("Enter");
    await expect.poll(() => box.inputValue()).toBe("李秀英您好，我们今天为您重开发票。");
    await picker.waitFor({ state: "detached" });

    // typing narrows the list; the rendered reply can be sent as it is
    await box.press("Control+Enter");
    await view.locator('.msg[data-direction="outbound"]').filter({ hasText: "李秀英您好" }).waitFor();
    const mine = await api(server, h.agent).get("/api/canned-replies?q=/发票");
    expect(mine.body.data).toHaveLength(1);
    expect(mine.body.data[0]).toMatchObject({ scope: "personal", title: "重开发票", usageCount: 1 });

    // deleting it in the manager removes it from the picker
    await view.locator('[data-action="manage-canned"]').click();
    await manager.locator("li").filter({ hasText: "重开发票" }).locator('[data-action="delete-canned"]').click();
    await manager.locator("li").filter({ hasText: "重开发票" }).waitFor({ state: "detached" });
    await manager.locator("button").filter({ hasText: "Close" }).click();
    await box.pressSequentially("/发");
    await picker.locator('[role="option"]').filter({ hasText: "已发货" }).waitFor();
    expect(await picker.locator('[role="option"]').count()).toBe(1);
  });

  it("transfers a conversation to a colleague, readably refused while they are away, and they accept the offer", async () => {
    const h = await hotline();
    server.clock.set(new Date().toISOString());
    const colleague = api(server, h.colleague);
    expect((await colleague.put("/api/presence/me").send({ state: "away", reason: "lunch" })).status).toBe(200);
    const conversationId = await acceptedChat(h, "我要改发票抬头");
    const page = await openConsole();
    await signIn(page, h.agent);
    await page.goto(`${server.url}/conversations/${conversationId}`);
    const view = page.locator(`[data-conversation="${conversationId}"]`);
    await view.locator('.msg[data-direction="inbound"]').filter({ hasText: "改发票抬头" }).waitFor();

    await view.locator('[data-action="transfer"]').click();
    const dialog = page.locator('[data-overlay="transfer"]');
    const option = dialog.locator(`select[name="agent"] option[value="${h.colleague.id}"]`);
    await expect.poll(() => option.textContent()).toContain("Away (Lunch)");
    await dialog.locator('select[name="agent"]').selectOption(h.colleague.id);
    await dialog.locator('textarea[name="note"]').fill("客户要改抬头，已核对税号");
    await dialog.locator('[data-action="confirm-transfer"]').click();
    const refusal = dialog.locator('[role="alert"]');
    await refusal.waitFor();
    expect(await refusal.getAttribute("data-error-code")).toBe("AGENT_UNAVAILABLE");
    expect(await refusal.textContent()).toContain("cannot take it now");
    await page.screenshot({ path: `${ARTIFACTS}console-transfer-refused.png` });

    // back from lunch: the same transfer goes through and the colleague is offered the chat
    expect((await colleague.put("/api/presence/me").send({ state: "available" })).status).toBe(200);
    await expect.poll(() => option.textContent()).toContain("Available");
    await dialog.locator('[data-action="confirm-transfer"]').click();
    await dialog.waitFor({ state: "detached" });
    const result = view.locator('[data-field="transfer-result"]');
    await result.waitFor();
    expect(await result.textContent()).toContain("waiting for them to accept");
    await page.locator('[data-conversation][data-state="queued"]').waitFor();
    expect(await view.locator('[data-action="transfer"]').count()).toBe(0);

    const offers = await colleague.get("/api/offers/mine");
    const offer = (offers.body.data as { offerId: string; conversationId: string | null }[]).find((o) => o.conversationId === conversationId);
    expect(offer, JSON.stringify(offers.body)).toBeTruthy();
    const accepted = await colleague.post(`/api/offers/${offer?.offerId}/accept`).send({});
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    const now = await api(server, h.agent).get(`/api/conversations/${conversationId}`);
    expect(now.body.data).toMatchObject({ state: "active", assigneeId: h.colleague.id });
    await page.locator('[data-conversation][data-state="active"]').waitFor();
  });

  it("counts unread messages in the inbox until the conversation is opened, and lists a mention live", async () => {
    const h = await hotline();
    server.clock.set(new Date().toISOString());
    const conversationId = await acceptedChat(h, "发票什么时候能到？");
    const page = await openConsole();
    await signIn(page, h.agent);
    const row = page.locator(`.conv-list[data-list="mine"] [data-conversation-id="${conversationId}"]`);
    const badge = row.locator('[data-field="unread"]');
    await badge.waitFor();
    const before = Number(await badge.textContent());
    expect(before).toBeGreaterThan(0);

    // the customer writes again: the badge goes up live, in the row and on the tab
    await customerSays(h, conversationId, "我还在等，麻烦尽快。");
    await expect.poll(async () => Number(await badge.textContent())).toBe(before + 1);
    expect(Number(await page.locator('[data-view="mine"] [data-field="unread-total"]').textContent())).toBe(before + 1);
    await page.screenshot({ path: `${ARTIFACTS}console-unread.png` });

    // opened and visible: read, the badges go away and stay away for what arrives while reading
    await row.click();
    const view = page.locator(`[data-conversation="${conversationId}"]`);
    await view.locator('.msg[data-direction="inbound"]').filter({ hasText: "尽快" }).waitFor();
    await badge.waitFor({ state: "detached" });
    await page.locator('[data-view="mine"] [data-field="unread-total"]').waitFor({ state: "detached" });
    const counts = await api(server, h.agent).get("/api/inbox/counts");
    expect(counts.body.data.unreadTotal).toBe(0);
    await customerSays(h, conversationId, "好的，谢谢。");
    await view.locator('.msg[data-direction="inbound"]').filter({ hasText: "谢谢" }).waitFor();
    await expect.poll(async () => (await api(server, h.agent).get("/api/inbox/counts")).body.data.unreadTotal).toBe(0);

    // a colleague mentions the agent in a note: the Mentions badge appears, the view lists it
    const note = await api(server, h.tenant.admin)
      .post(`/api/conversations/${conversationId}/messages`)
      .send({ direction: "internal", text: `@agent ${h.tenant.slug} 这个客户的税号请再核对一下` });
    expect(note.status, JSON.stringify(note.body)).toBe(201);
    const mentionBadge = page.locator('[data-view="mentions"] [data-field="mentions"]');
    await mentionBadge.waitFor();
    expect(await mentionBadge.textContent()).toBe("1");
    await page.locator('[data-view="mentions"]').click();
    const mention = page.locator('.conv-list[data-list="mentions"] .mention-row');
    await mention.waitFor();
    expect(await mention.textContent()).toContain("税号请再核对");
    expect(await mention.textContent()).toContain(`admin ${h.tenant.slug} mentioned you`);
    await page.screenshot({ path: `${ARTIFACTS}console-mentions.png` });
    await mention.click();
    await mentionBadge.waitFor({ state: "detached" });
    await page.locator('.conv-list[data-list="mentions"] .mention-row').waitFor({ state: "detached" });
    const unread = await api(server, h.agent).get("/api/mentions?unread=true");
    expect(unread.body.data).toEqual([]);
  });

  it("shows the web chat visitor typing, and tells the visitor when the agent types", async () => {
    const h = await hotline();
    server.clock.set(new Date().toISOString());
    const widget = await makeWidget(server, h.tenant, { defaultQueueId: h.queueId });
    expect((await api(server, h.agent).put("/api/presence/me").send({ state: "available" })).status).toBe(200);
    const session = await openSession(server, widget.publicKey);
    const visitor = await connectVisitor(server.url, session.visitorToken);
    sockets.push(visitor);
    const heard: VisitorTypingEvent[] = [];
    visitor.on("typing", (e) => heard.push(e));
    const sent = await visitor.emitWithAck("message:send", { text: "你好，在吗？", clientId: "typing-1", attachmentIds: [] });
    if (!sent.ok) throw new Error(JSON.stringify(sent.error));
    const conversationId = sent.data.conversationId;
    await expect.poll(async () => ((await api(server, h.agent).get("/api/offers/mine")).body.data as { conversationId: string }[]).length).toBe(1);
    const offers = await api(server, h.agent).get("/api/offers/mine");
    expect((await api(server, h.agent).post(`/api/offers/${offers.body.data[0].offerId}/accept`).send({})).status).toBe(200);

    const page = await openConsole();
    await signIn(page, h.agent);
    await page.goto(`${server.url}/conversations/${conversationId}`);
    const view = page.locator(`[data-conversation="${conversationId}"]`);
    await view.locator('.msg[data-direction="inbound"]').filter({ hasText: "在吗" }).waitFor();
    await page.locator('[data-connection="live"]').waitFor();

    const indicator = view.locator('[data-field="typing"][data-by="visitor"]');
    await expect
      .poll(async () => {
        visitor.emit("typing", { typing: true });
        return indicator.count();
      })
      .toBe(1);
    expect(await indicator.textContent()).toBe("Customer is typing…");
    visitor.emit("typing", { typing: false });
    await indicator.waitFor({ state: "detached" });

    await view.locator('textarea[name="message"]').pressSequentially("您好");
    await expect.poll(() => heard.some((e) => e.conversationId === conversationId && e.typing)).toBe(true);
    // sending the reply ends the agent's typing
    await view.locator('textarea[name="message"]').press("Control+Enter");
    await view.locator('.msg[data-direction="outbound"]').filter({ hasText: "您好" }).waitFor();
    await expect.poll(() => heard.at(-1)).toMatchObject({ conversationId, typing: false });
  });

  it("links the conversation to another open ticket of the customer, then splits it into a new one", async () => {
    const h = await hotline();
    server.clock.set(new Date().toISOString());
    const conversationId = await acceptedChat(h, "打印机也连不上了");
    const first = await api(server, h.agent).get(`/api/conversations/${conversationId}`);
    const firstTicketId = first.body.data.ticketId as string;
    expect(firstTicketId).toBeTruthy();
    const other = await api(server, h.agent).post("/api/tickets").send({ subject: "打印机驱动", sourceChannel: "phone", contactId: h.contactId });
    expect(other.status, JSON.stringify(other.body)).toBe(201);
    const otherTicket = other.body.data as { id: string; number: string };

    const page = await openConsole();
    await signIn(page, h.agent);
    await page.goto(`${server.url}/conversations/${conversationId}`);
    const view = page.locator(`[data-conversation="${conversationId}"]`);
    await view.locator('.msg[data-direction="inbound"]').filter({ hasText: "连不上" }).waitFor();
    await page.locator('.side-tabs [data-tab="ticket"]').click();
    const filing = page.locator('[data-section="ticket-filing"]');
    await filing.locator(`select[name="link-ticket"] option[value="${otherTicket.id}"]`).waitFor({ state: "attached" });
    await filing.locator('select[name="link-ticket"]').selectOption(otherTicket.id);
    await filing.locator('[data-action="link-ticket"]').click();
    await expect.poll(() => view.locator('[data-field="ticket-number"]').textContent()).toContain(otherTicket.number);
    await page.locator(`.ticket-panel[data-ticket-id="${otherTicket.id}"]`).waitFor();
    expect((await api(server, h.agent).get(`/api/conversations/${conversationId}`)).body.data.ticketId).toBe(otherTicket.id);
    await page.screenshot({ path: `${ARTIFACTS}console-ticket-filing.png` });

    await filing.locator('input[name="split-subject"]').fill("另一个问题：网络打印机");
    await filing.locator('[data-action="split-ticket"]').click();
    await expect.poll(async () => (await api(server, h.agent).get(`/api/conversations/${conversationId}`)).body.data.ticketId).not.toBe(otherTicket.id);
    const split = await api(server, h.agent).get(`/api/conversations/${conversationId}`);
    const newTicketId = split.body.data.ticketId as string;
    expect(newTicketId).not.toBe(firstTicketId);
    const newTicket = await api(server, h.agent).get(`/api/tickets/${newTicketId}`);
    expect(newTicket.body.data.subject).toBe("另一个问题：网络打印机");
    await expect.poll(() => view.locator('[data-field="ticket-number"]').textContent()).toContain(newTicket.body.data.number as string);
  });
});
