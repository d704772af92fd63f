import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, createTestTenant, type TestTenant, type TestUser } from "../src/harness.ts";
import { accept, makeQueue, myOffers, setPresence, until } from "../src/routing-kit.ts";
import { expectAccessible } from "./axe-kit.ts";
import { mine, theirs } from "./flows-kit.ts";
import { addAgent, addQueue, ARTIFACTS, browserForFile, setPresence as putPresence, setTenantZone, signIn, startHostSite, type ClockedServer, type HostSite } from "./support.ts";

// axe-core on every page people use: no serious or critical finding on the console's main
// pages, the chat widget (launcher, pre-chat form, chat, rating, leave-a-message), the H5 chat
// page and the wallboard; and the wallboard's agents fit a TV and a 720p screen without
// scrolling. Needs `npm run build` first.

let server: ClockedServer;
const { newContext, openConsole } = browserForFile((s) => (server = s));
let host: HostSite;
beforeAll(async () => {
  host = await startHostSite();
});
afterAll(async () => {
  await host?.close();
});

interface Desk {
  tenant: TestTenant;
  agent: TestUser;
  queueId: string;
  widgetKey: string;
}

/** A tenant with a chat queue of one agent (available or not) and a widget with the default theme. */
async function desk(agentAvailable: boolean, preChatForm: Record<string, string>): Promise<Desk> {
  const tenant = await createTestTenant(server, "云账房");
  const agent = tenant.users.agent;
  // offers wait for the test's clicks
  const queueId = await makeQueue(server, tenant, [agent], { offerTimeoutSeconds: 300 });
  if (agentAvailable) await setPresence(server, agent, "available");
  const created = await api(server, tenant.admin).post("/api/widget-configs").send({ name: "官网", allowedOrigins: [host.hostOrigin], defaultQueueId: queueId, preChatForm });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { tenant, agent, queueId, widgetKey: created.body.data.publicKey as string };
}

async function openPage(url: string, viewport: { width: number; height: number }, locale = "en-US"): Promise<Page> {
  const context = await newContext({ viewport, deviceScaleFactor: 1, locale });
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

function hostPage(widgetKey: string, lang: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>云账房 — 财务软件</title></head><body><main><h1>云账房 — 财务软件</h1><p>Some product page.</p></main>
<script src="${server.url}/widget.js" data-key="${widgetKey}" data-lang="${lang}" async></script></body></html>`;
}

/** The visitor's chat, as the agent's API sees it: the conversation routing offered. */
async function offeredConversation(d: Desk): Promise<{ offerId: string; conversationId: string }> {
  const offers = await until(() => myOffers(server, d.agent), (o) => o.some((x) => x.conversationId !== null), "an offer for the chat");
  const offer = offers.find((o) => o.conversationId)!;
  return { offerId: offer.offerId, conversationId: offer.conversationId! };
}

describe("accessibility (axe-core: no serious or critical finding)", () => {
  it("the console: sign-in, inbox with an offer, conversation, ticket, supervisor and widget settings pages; the H5 chat page", async () => {
    server.clock.set(new Date().toISOString());
    const d = await desk(true, { name: "off", phone: "off", company: "off", verificationCode: "off" });
    const page = await openConsole({ width: 1440, height: 900 });
    await page.locator('[data-testid="login"]').waitFor();
    await expectAccessible(page, "the sign-in page");
    await signIn(page, d.agent);
    await page.locator('.presence-current[data-presence="available"]').waitFor();
    await expectAccessible(page, "the inbox");

    // the customer writes on the H5 page, on a phone
    const visitor = await openPage(`${server.url}/chat/${d.widgetKey}`, { width: 390, height: 844 }, "zh-CN");
    const input = visitor.locator("#yx-input");
    await input.fill("打印机连不上");
    await input.press("Enter");
    await mine(visitor, "打印机连不上").locator("[data-status=delivered], [data-status=read]").waitFor();
    await expectAccessible(visitor, "the H5 chat page");

    const { conversationId } = await offeredConversation(d);
    await page.locator(".toast.offer").waitFor();
    await expectAccessible(page, "the inbox with an offer");
    await page.locator('.toast.offer [data-action="accept-offer"]').click();
    await page.waitForURL(`**/conversations/${conversationId}`);
    const view = page.locator(`[data-conversation="${conversationId}"]`);
    await view.locator('.msg[data-direction="inbound"]').filter({ hasText: "打印机连不上" }).waitFor();
    await view.locator('textarea[name="message"]').fill("请把打印机端口改回 USB001");
    await view.locator('textarea[name="message"]').press("Control+Enter");
    await view.locator('.msg[data-direction="outbound"]').filter({ hasText: "USB001" }).waitFor();
    await expectAccessible(page, "the conversation page");
    await theirs(visitor, "USB001").waitFor();
    await expectAccessible(visitor, "the H5 chat page with the agent's reply");

    await page.locator('[data-tab="ticket"]').click();
    const ticketPanel = page.locator(".ticket-panel");
    await ticketPanel.waitFor();
    await expectAccessible(page, "the conversation page's ticket panel");
    const ticketId = (await ticketPanel.getAttribute("data-ticket-id"))!;
    await page.goto(`${server.url}/tickets/${ticketId}`);
    await page.locator(`.ticket-panel[data-ticket-id="${ticketId}"]`).waitFor();
    await expectAccessible(page, "the ticket page");

    const supervisor = await openConsole({ width: 1440, height: 900 });
    await signIn(supervisor, d.tenant.users.supervisor);
    await supervisor.locator('[data-nav="supervisor"]').click();
    await supervisor.locator(`tr[data-user-id="${d.agent.id}"]`).waitFor();
    await expectAccessible(supervisor, "the supervisor's page");

    // the admin's web chat settings, also with a refused origin
    const admin = await openConsole({ width: 1440, height: 900 });
    await signIn(admin, d.tenant.admin);
    await admin.locator('[data-nav="widget-settings"]').click();
    const settings = admin.locator("form[data-widget-id]").first();
    await settings.waitFor();
    await expectAccessible(admin, "the widget settings page");
    await settings.locator('textarea[name="allowedOrigins"]').fill("www.example.com/shop");
    await settings.locator('[data-field="origins-error"]').waitFor();
    await expectAccessible(admin, "the widget settings page with a refused origin");
  });

  it("the widget: launcher, pre-chat form with its errors, chat, rating, and leave-a-message", async () => {
    const d = await desk(true, { name: "required", phone: "optional", company: "off", verificationCode: "off" });
    host.setHostPage(hostPage(d.widgetKey, "en"));
    const page = await openPage(host.hostOrigin, { width: 1280, height: 800 });
    const launcher = page.locator("[data-testid=launcher]");
    await launcher.waitFor();
    await expectAccessible(page, "the widget's launcher");

    await launcher.click();
    const form = page.locator("[data-testid=prechat]");
    await form.waitFor();
    await expectAccessible(page, "the pre-chat form");
    await form.locator("button[type=submit]").click();
    await form.getByText("Please enter your Name").waitFor();
    await expectAccessible(page, "the pre-chat form with errors");
    await form.getByLabel("Name").fill("Wang Fang");
    await form.locator("button[type=submit]").click();

    const input = page.locator("#yx-input");
    await input.fill("My invoice total is wrong");
    await input.press("Enter");
    await mine(page, "My invoice total is wrong").locator("[data-status=delivered], [data-status=read]").waitFor();
    const { offerId, conversationId } = await offeredConversation(d);
    expect((await accept(server, d.agent, offerId)).status).toBe(200);
    await api(server, d.agent).post(`/api/conversations/${conversationId}/messages`).send({ text: "Let me check that for you", clientId: "agent-1" });
    await theirs(page, "Let me check that for you").waitFor();
    await page.getByRole("button", { name: "Emoji" }).click();
    await expectAccessible(page, "the open chat");

    expect((await api(server, d.agent).post(`/api/conversations/${conversationId}/end`).send({})).status).toBe(200);
    await page.locator("[data-testid=rating]").waitFor();
    await expectAccessible(page, "the rating card");

    // nobody available: leave a message, in Chinese
    const away = await desk(false, { name: "optional", phone: "optional", company: "off", verificationCode: "off" });
    host.setHostPage(hostPage(away.widgetKey, "zh-CN"));
    const leave = await openPage(host.hostOrigin, { width: 1280, height: 800 }, "zh-CN");
    await leave.locator("[data-testid=launcher]").click();
    const leaveForm = leave.locator("[data-testid=leave]");
    await leaveForm.waitFor();
    await expectAccessible(leave, "the leave-a-message form");
    await leaveForm.locator("button[type=submit]").click();
    await leaveForm.getByText("请填写姓名").waitFor();
    await expectAccessible(leave, "the leave-a-message form with errors");
    await leaveForm.getByLabel("姓名").fill("李雷");
    await leaveForm.getByLabel("手机号或邮箱").fill("13800138000");
    await leaveForm.getByLabel("留言内容").fill("请明天上午回电");
    await leaveForm.locator("button[type=submit]").click();
    await leave.locator("[data-testid=left]").waitFor();
    await expectAccessible(leave, "the message left");
  });

  it("the wallboard: no finding, and 60 agents fit 1920×1080 and 1280×720 without scrolling", async () => {
    const at = new Date().toISOString();
    server.clock.set(at);
    const tenant = await createTestTenant(server, "上海热线");
    await setTenantZone(server, tenant.id, "Asia/Shanghai", "zh-CN");
    const states = ["available", "busy", "wrap_up", "away", "offline"] as const;
    const agents: string[] = [];
    for (let i = 0; i < 60; i += 1) {
      const id = await addAgent(server, tenant.id, `坐席 ${String(i + 1).padStart(2, "0")} 号`);
      await putPresence(server, tenant.id, id, states[i % states.length]!, at, i % 5 === 3 ? "培训" : null);
      agents.push(id);
    }
    await addQueue(server, tenant.id, "财务软件热线", agents.slice(0, 40), 20);
    await addQueue(server, tenant.id, "邮件工单", agents.slice(30), 3600);
    const link = await api(server, tenant.users.supervisor).post("/api/wallboard-links").send({ name: "大厅电视", queueIds: [] });
    expect(link.status).toBe(201);

    for (const [viewport, lang] of [
      [{ width: 1920, height: 1080 }, "zh-CN"],
      [{ width: 1280, height: 720 }, "en"],
    ] as const) {
      const page = await openPage(`${link.body.data.url as string}&lang=${lang}`, viewport);
      await page.locator('[data-connection="live"]').waitFor();
      await page.locator("[data-user-id]").nth(59).waitFor();
      const fit = await page.evaluate(() => {
        const tiles = Array.from(document.querySelectorAll("[data-user-id]"), (el) => el.getBoundingClientRect());
        const inside = tiles.filter((r) => r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth).length;
        return { scrollHeight: document.scrollingElement!.scrollHeight, scrollWidth: document.scrollingElement!.scrollWidth, tiles: tiles.length, inside };
      });
      expect(fit, `${viewport.width}×${viewport.height}`).toEqual({ scrollHeight: viewport.height, scrollWidth: viewport.width, tiles: 60, inside: 60 });
      await page.screenshot({ path: `${ARTIFACTS}wallboard-60-agents-${viewport.width}.png` });
      await expectAccessible(page, `the wallboard at ${viewport.width}×${viewport.height}`);
    }
  });
});
