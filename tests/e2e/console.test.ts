import { describe, expect, it } from "vitest";
import { appendMessage } from "../../server/src/domain/conversations/append-message.ts";
import { api, createTestTenant, type TestTenant, type TestUser } from "../src/harness.ts";
import { ARTIFACTS, browserForFile, signIn, type ClockedServer } from "./support.ts";

// The agent console in Chromium against the real server: sign in through the page, go
// available, take a routed chat from the offer toast, see the customer's company and service
// pack, reply, and find the reply stored. Screenshots go to test-artifacts/.

// a 2×2 red PNG
const PNG_2X2 = "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf7gP9i18U1AAAAABJRU5ErkJggg==";

let server: ClockedServer;
const { openConsole } = browserForFile((s) => (server = s), { autoplay: true });

interface Hotline {
  tenant: TestTenant;
  agent: TestUser;
  queueId: string;
  contactId: string;
  companyName: string;
}

/** A hotline queue with one agent, and a VIP customer whose company's service ends in 10 days. */
async function hotline(): Promise<Hotline> {
  const tenant = await createTestTenant(server, "华东热线");
  const admin = api(server, tenant.admin);
  const agent = tenant.users.agent;
  const queue = await admin.post("/api/queues").send({ name: "财务软件热线", memberIds: [agent.id] });
  expect(queue.status, JSON.stringify(queue.body)).toBe(201);
  const queueId = queue.body.data.id as string;
  // long enough that the offer waits for the test's clicks
  const routing = await admin.patch(`/api/queues/${queueId}/routing`).send({ offerTimeoutSeconds: 300 });
  expect(routing.status, JSON.stringify(routing.body)).toBe(200);
  const expiresOn = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
  const companyName = `华东电气 ${tenant.slug}`;
  const company = await admin.post("/api/companies").send({ name: companyName, servicePack: "vip", serviceExpiresOn: expiresOn });
  expect(company.status, JSON.stringify(company.body)).toBe(201);
  const contact = await admin
    .post("/api/contacts")
    .send({ name: "王建国", companyId: company.body.data.id, isVip: true, identities: [{ kind: "phone", value: "13800138000" }] });
  expect(contact.status, JSON.stringify(contact.body)).toBe(201);
  return { tenant, agent, queueId, contactId: contact.body.data.id as string, companyName };
}

/** The customer writes in on web chat, as a channel adapter would: routing offers it. */
async function customerWrites(h: Hotline, text: string): Promise<string> {
  const created = await api(server, h.tenant.admin).post("/api/conversations").send({ channel: "webchat", contactId: h.contactId, queueId: h.queueId, subject: "月结时凭证无法过账" });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.data.id as string;
  await appendMessage({ tenantId: h.tenant.id, actor: { type: "contact", id: h.contactId }, deps: server.deps, log: server.deps.log }, { conversationId: id, direction: "inbound", text });
  return id;
}

describe("the agent console", () => {
  it("signs in, goes available, accepts an offered chat, shows the screen pop and sends a reply", async () => {
    const h = await hotline();
    server.clock.set(new Date().toISOString());
    const page = await openConsole({ width: 1440, height: 900 });
    await page.locator('[data-testid="login"]').waitFor();
    expect(await page.locator("h1").textContent()).toBe("Sign in to the agent console");
    await signIn(page, h.agent);

    await page.locator(".presence-current").click();
    await page.locator('[data-set-presence="available"]').click();
    await page.locator('.presence-current[data-presence="available"]').waitFor();
    const presence = await api(server, h.agent).get("/api/presence/me");
    expect(presence.body.data.state).toBe("available");

    const conversationId = await customerWrites(h, "你好，月结的时候凭证过不了账，提示期间已关闭。");
    const toast = page.locator(".toast.offer");
    await toast.waitFor();
    expect(await toast.locator('[data-field="contact"]').textContent()).toBe("王建国");
    expect(await toast.locator('[data-field="company"]').textContent()).toBe(h.companyName);
    expect(await toast.locator(".vip-badge").count()).toBe(1);
    expect(await toast.textContent()).toContain("财务软件热线");
    await page.screenshot({ path: `${ARTIFACTS}console-offer-desktop.png` });
    await toast.locator('[data-action="accept-offer"]').click();

    await page.waitForURL(`**/conversations/${conversationId}`);
    await toast.waitFor({ state: "detached" });
    const view = page.locator(`[data-conversation="${conversationId}"]`);
    await view.locator('.msg[data-direction="inbound"]').filter({ hasText: "凭证过不了账" }).waitFor();
    const panel = page.locator(".side-panel");
    expect(await panel.locator('[data-field="contact-name"]').textContent()).toContain("王建国");
    expect(await panel.locator('[data-field="company"]').textContent()).toBe(h.companyName);
    expect(await panel.locator('[data-field="service-pack"]').textContent()).toBe("VIP");
    expect(await panel.locator('[data-field="service-status"]').getAttribute("data-status")).toBe("expiring");
    expect(await panel.locator('[data-field="service-status"]').textContent()).toBe("Expiring soon");
    await page.locator(`.conv-list[data-list="mine"] [data-conversation-id="${conversationId}"]`).waitFor();
    await page.locator('.presence-current[data-presence="busy"]').waitFor();

    const reply = "您好，请先在总账里把本期重新打开，再过账一次。";
    await view.locator('textarea[name="message"]').fill(reply);
    await view.locator('textarea[name="message"]').press("Control+Enter");
    await view.locator('.msg[data-direction="outbound"]').filter({ hasText: reply }).waitFor();
    expect(await view.locator('textarea[name="message"]').inputValue()).toBe("");

    const stored = await api(server, h.agent).get(`/api/conversations/${conversationId}/messages`);
    expect(stored.status).toBe(200);
    const last = (stored.body.data.items as { text: string; direction: string; authorId: string | null; clientId: string | null }[]).at(-1);
    expect(last).toMatchObject({ text: reply, direction: "outbound", authorId: h.agent.id });
    expect(last?.clientId).toBeTruthy();
    await page.screenshot({ path: `${ARTIFACTS}console-desktop-1440.png` });

    await page.setViewportSize({ width: 1024, height: 768 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    await panel.locator('[data-field="company"]').waitFor();
    await page.screenshot({ path: `${ARTIFACTS}console-tablet-1024.png` });

    await page.locator('[data-action="sign-out"]').click();
    await page.locator('[data-testid="login"]').waitFor();
    await page.reload();
    await page.locator('[data-testid="login"]').waitFor();
  });

  it("keeps internal notes apart, speaks Chinese, and returns to the sign-in page when the session ends", async () => {
    const h = await hotline();
    server.clock.set(new Date().toISOString());
    const page = await openConsole({ width: 1280, height: 800 }, "zh-CN");
    expect(await page.locator("h1").textContent()).toBe("登录坐席控制台");
    await signIn(page, h.agent);
    await page.locator(".presence-current").click();
    await page.locator('[data-set-presence="available"]').click();
    const conversationId = await customerWrites(h, "发票打印不出来");
    await page.locator('.toast.offer [data-action="accept-offer"]').click();
    await page.waitForURL(`**/conversations/${conversationId}`);

    // the agent sees the customer's words, then switches the reply box to an internal note
    await page.locator(".messages").getByText("发票打印不出来").first().waitFor();
    const composer = page.locator(".composer");
    await composer.locator("textarea").press("Alt+KeyN");
    await expect.poll(() => composer.getAttribute("data-mode")).toBe("internal");
    await composer.locator("textarea").fill("打印机端口被改成了 USB002");
    await composer.locator("textarea").press("Control+Enter");
    const note = page.locator('.msg[data-direction="internal"]').filter({ hasText: "USB002" });
    await note.waitFor();
    expect(await note.locator(".msg-label").textContent()).toBe("内部备注");
    const stored = await api(server, h.agent).get(`/api/conversations/${conversationId}/messages`);
    expect((stored.body.data.items as { direction: string }[]).at(-1)?.direction).toBe("internal");

    // a screenshot for the customer: uploaded, sent with the reply, shown inline
    await composer.locator("textarea").press("Alt+KeyN");
    expect(await composer.getAttribute("data-mode")).toBe("outbound");
    await composer.locator('input[type="file"]').setInputFiles({ name: "端口设置.png", mimeType: "image/png", buffer: Buffer.from(PNG_2X2, "base64") });
    await composer.locator(".pending-files").filter({ hasText: "端口设置.png" }).waitFor();
    await composer.locator("textarea").fill("请按截图设置端口");
    await composer.locator('[data-action="send"]').click();
    const image = page.locator('.msg[data-direction="outbound"] img.msg-image');
    await image.waitFor();
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(2);
    const withFile = await api(server, h.agent).get(`/api/conversations/${conversationId}/messages`);
    const sent = (withFile.body.data.items as { text: string; attachments: { filename: string }[] }[]).at(-1);
    expect(sent?.text).toBe("请按截图设置端口");
    expect(sent?.attachments.map((a) => a.filename)).toEqual(["端口设置.png"]);

    await page.locator('[data-action="end-conversation"]').click();
    await page.locator(".end-form textarea").fill("打印机端口设置");
    await page.locator('[data-action="confirm-end"]').click();
    await page.locator('[data-conversation][data-state="ended"]').waitFor();
    const ended = await api(server, h.agent).get(`/api/conversations/${conversationId}`);
    expect(ended.body.data.state).toBe("ended");

    // the session is revoked elsewhere: the next request sends the console back to sign-in
    await server.deps.db.deleteFrom("sessions").where("tenant_id", "=", h.tenant.id).where("user_id", "=", h.agent.id).execute();
    // the next request meets the revoked session: the agent's own click, or a background refetch
    // (the console refreshes its lists after the chat ended) if that comes first
    const expired = page.locator('[data-notice="expired"]');
    const goOffline = async () => {
      await page.locator(".presence-current").click({ timeout: 10_000 });
      await page.locator('[data-set-presence="offline"]').click({ timeout: 10_000 });
    };
    await Promise.race([goOffline().catch(() => expired.waitFor()), expired.waitFor()]);
    expect(await page.locator('[data-notice="expired"]').textContent()).toBe("登录已过期，请重新登录");
  });

  it("works the ticket from the keyboard, finds it in Chinese search, and lets a supervisor watch and reassign", async () => {
    const h = await hotline();
    server.clock.set(new Date().toISOString());
    const page = await openConsole({ width: 1440, height: 900 });
    await signIn(page, h.agent);
    await page.locator(".presence-current").click();
    await page.locator('[data-set-presence="available"]').click();
    await page.locator('.presence-current[data-presence="available"]').waitFor();
    const conversationId = await customerWrites(h, "凭证过账的时候提示期间已关闭");
    await page.locator(".toast.offer").waitFor();
    await page.locator("body").press("a");
    await page.waitForURL(`**/conversations/${conversationId}`);
    // the conversation is on screen (its shortcuts work once it is)
    await page.locator(".messages").getByText("凭证过账的时候提示期间已关闭").first().waitFor();

    // the shortcut help
    await page.locator("body").press("?");
    await page.locator('[data-overlay="shortcuts"]').waitFor();
    expect(await page.locator('[data-overlay="shortcuts"]').textContent()).toContain("Accept the newest offer");
    await page.locator("body").press("Escape");
    await page.locator('[data-overlay="shortcuts"]').waitFor({ state: "detached" });

    const reply = "请到总账-期末处理里重新打开本期。";
    await page.locator("body").press("r");
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe("TEXTAREA");
    await page.keyboard.type(reply);
    await page.keyboard.press("Control+Enter");
    await page.locator('.msg[data-direction="outbound"]').filter({ hasText: reply }).waitFor();

    // the ticket panel: fields, SLA, the timeline with the reply, then resolve
    await page.locator('[data-tab="ticket"]').click();
    const ticketPanel = page.locator(".ticket-panel");
    await ticketPanel.waitFor();
    const ticketId = (await ticketPanel.getAttribute("data-ticket-id"))!;
    await ticketPanel.locator('.tl-item[data-kind="message"]').filter({ hasText: reply }).waitFor();
    await ticketPanel.locator('.tl-item[data-kind="ticket_created"]').first().waitFor();
    await ticketPanel.locator('select[aria-label="Priority"]').selectOption("high");
    await ticketPanel.locator('.tl-item[data-kind="priority_changed"]').filter({ hasText: "Normal → High" }).waitFor();
    await ticketPanel.locator('[data-action="resolve"]').click();
    await ticketPanel.locator('textarea[aria-label="Resolution (optional)"]').fill("重新打开期间后过账成功");
    await ticketPanel.locator('[data-action="confirm-resolve"]').click();
    await page.locator('.ticket-panel[data-status="resolved"]').waitFor();
    await ticketPanel.locator('.tl-item[data-kind="status_changed"]').filter({ hasText: "Resolved" }).waitFor();
    const ticket = await api(server, h.agent).get(`/api/tickets/${ticketId}`);
    expect(ticket.body.data).toMatchObject({ status: "resolved", priority: "high" });
    await page.screenshot({ path: `${ARTIFACTS}console-ticket-desktop.png` });

    // search in Chinese, from the keyboard
    await page.locator("body").click({ position: { x: 700, y: 400 } });
    await page.locator("body").press("/");
    await page.keyboard.type("期间已关闭");
    const hit = page.locator('.search-results [data-hit-type="message"]').first();
    await hit.waitFor();
    expect(await hit.textContent()).toContain("期间已关闭");
    await page.locator('input[name="search"]').fill("无法过账");
    const ticketHit = page.locator('.search-results [data-hit-type="ticket"]').filter({ hasText: "月结时凭证无法过账" }).first();
    await ticketHit.waitFor();
    await ticketHit.click();
    await page.waitForURL(`**/tickets/${ticketId}`);
    await page.locator(`.ticket-panel[data-ticket-id="${ticketId}"]`).waitFor();

    // a supervisor sees agents change state live and reassigns the live conversation's ticket
    const supervisor = await openConsole({ width: 1440, height: 900 });
    await signIn(supervisor, h.tenant.users.supervisor);
    await supervisor.locator('[data-nav="supervisor"]').click();
    await supervisor.waitForURL("**/supervisor");
    const agentRow = supervisor.locator(`tr[data-user-id="${h.agent.id}"]`);
    await agentRow.waitFor();
    expect(await supervisor.locator('[data-action="open-wallboard"]').getAttribute("href")).toBe("/wallboard");
    const away = await api(server, h.agent).put("/api/presence/me").send({ state: "away", reason: "lunch" });
    expect(away.status).toBe(200);
    await supervisor.locator(`tr[data-user-id="${h.agent.id}"][data-state="away"]`).waitFor();
    expect(await agentRow.locator('[data-field="state"]').textContent()).toContain("Lunch");
    const row = supervisor.locator(`tr[data-conversation-id="${conversationId}"]`);
    await row.waitFor();
    await row.locator('[data-field="reassign"]').selectOption(h.tenant.users.senior_agent.id);
    await expect.poll(async () => (await api(server, h.agent).get(`/api/tickets/${ticketId}`)).body.data.assigneeId).toBe(h.tenant.users.senior_agent.id);
    await supervisor.screenshot({ path: `${ARTIFACTS}console-supervisor-desktop.png` });

    // the agent's console goes away: the supervisor sees them reconnecting, still away
    await page.close();
    await supervisor.locator(`tr[data-user-id="${h.agent.id}"][data-connection="reconnecting"]`).waitFor();
    expect(await agentRow.locator('[data-field="state"]').textContent()).toMatch(/Lunch · Reconnecting$/);
  });

  it("shows a pending offer again after a reload, drops it when the customer leaves, and identifies an unknown visitor", async () => {
    const h = await hotline();
    server.clock.set(new Date().toISOString());
    const page = await openConsole({ width: 1024, height: 768 });
    await signIn(page, h.agent);
    await page.locator(".presence-current").click();
    await page.locator('[data-set-presence="available"]').click();
    await page.locator('.presence-current[data-presence="available"]').waitFor();
    const conversationId = await customerWrites(h, "在吗？");
    await page.locator(".toast.offer").waitFor();
    await page.reload();
    await page.locator('[data-connection="live"]').waitFor();
    const toast = page.locator(".toast.offer");
    await toast.waitFor();
    expect(await toast.locator('[data-field="contact"]').textContent()).toBe("王建国");

    // the customer closes the chat window before anyone answers
    const item = await server.deps.db.selectFrom("work_items").select("id").where("conversation_id", "=", conversationId).executeTakeFirstOrThrow();
    const abandoned = await api(server, h.tenant.admin).post(`/api/work-items/${item.id}/abandon`).send({});
    expect(abandoned.status, JSON.stringify(abandoned.body)).toBe(200);
    await toast.waitFor({ state: "detached" });

    // a visitor nobody knows yet waits in the queue; the agent looks them up by phone
    const anonymous = await api(server, h.tenant.admin).post("/api/conversations").send({ channel: "webchat", queueId: h.queueId, subject: "咨询续费" });
    expect(anonymous.status, JSON.stringify(anonymous.body)).toBe(201);
    await page.locator(".presence-current").click();
    await page.locator('[data-set-presence="away"][data-reason="meeting"]').click();
    await page.locator('.presence-current[data-presence="away"]').waitFor();
    await page.locator('[data-view="queued"]').click();
    await page.locator(`[data-conversation-id="${anonymous.body.data.id as string}"]`).click();
    const identify = page.locator('[data-panel="unidentified"]');
    await identify.waitFor();
    await identify.locator('[data-field="identify-value"]').fill("138 0013 8000");
    await identify.locator('[data-action="identify-find"]').click();
    await identify.locator('[data-field="match"] [data-action="identify-link"]').click();
    await page.locator(`.contact-card[data-contact-id="${h.contactId}"] [data-field="company"]`).filter({ hasText: h.companyName }).waitFor();
    await page.screenshot({ path: `${ARTIFACTS}console-tablet-identify.png` });
  });
});
