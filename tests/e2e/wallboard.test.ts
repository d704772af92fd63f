import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { api, createTestTenant, type TestTenant } from "../src/harness.ts";
import { addAgent, addItem, addQueue, ARTIFACTS, browserForFile, setPresence, setTenantZone, updateItem, type ClockedServer } from "./support.ts";

// The wallboard page in Chromium against the real server: numbers and agent states change on
// the page, without a reload, when rows change on the server (written as the dispatcher writes
// them: the same triggers and push path). Screenshots go to test-artifacts/.
const local = (s: string) => `2026-11-20T${s}+08:00`;

let server: ClockedServer;
const { newContext } = browserForFile((s) => (server = s), { at: local("10:07:00") });

interface CallCentre {
  tenant: TestTenant;
  hotline: string;
  email: string;
  li: string;
  han: string;
}

/** A Shanghai call centre at 10:07: one answered and one abandoned call so far this interval. */
async function callCentre(): Promise<CallCentre> {
  server.clock.set(local("10:07:00"));
  const tenant = await createTestTenant(server, "上海热线");
  await setTenantZone(server, tenant.id, "Asia/Shanghai", "zh-CN");
  const li = await addAgent(server, tenant.id, "李雷");
  const han = await addAgent(server, tenant.id, "韩梅梅");
  const wang = await addAgent(server, tenant.id, "王芳");
  const hotline = await addQueue(server, tenant.id, "财务软件热线", [li, han, wang], 20);
  const email = await addQueue(server, tenant.id, "邮件工单", [wang], 3600);
  await setPresence(server, tenant.id, li, "available", local("10:03:00"));
  await setPresence(server, tenant.id, han, "away", local("09:40:00"), "培训");
  await addItem(server, tenant.id, hotline, { state: "completed", enqueuedAt: local("10:00:50"), assignedAt: local("10:01:00"), assignedTo: li, completedAt: local("10:03:00"), wrapMs: 30_000 });
  await addItem(server, tenant.id, hotline, { state: "abandoned", enqueuedAt: local("10:02:00"), abandonedAt: local("10:02:40") });
  await addItem(server, tenant.id, email, { state: "waiting", enqueuedAt: local("09:30:00") });
  return { tenant, hotline, email, li, han };
}

async function openPage(url: string, viewport: { width: number; height: number }, options: { mobile?: boolean; sessionToken?: string } = {}): Promise<Page> {
  const context = await newContext({ viewport, deviceScaleFactor: 1, isMobile: options.mobile ?? false, hasTouch: options.mobile ?? false, locale: "en-US" });
  if (options.sessionToken) await context.addCookies([{ name: "yx_session", value: options.sessionToken, url: server.url }]);
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

const metric = (page: Page, queueId: string, name: string) => page.locator(`[data-queue-id="${queueId}"] [data-metric="${name}"]`);
const agent = (page: Page, userId: string) => page.locator(`[data-user-id="${userId}"]`);

async function expectText(page: Page, selector: string, text: string | RegExp): Promise<void> {
  await page.locator(selector).filter({ hasText: text }).first().waitFor({ timeout: 10_000 });
}

describe("the wallboard page", () => {
  it("shows live numbers from a read-only link and updates them without reload, in English and Chinese", async () => {
    const c = await callCentre();
    const link = await api(server, c.tenant.users.supervisor).post("/api/wallboard-links").send({ name: "大厅电视", queueIds: [] });
    expect(link.status).toBe(201);
    const page = await openPage(`${link.body.data.url as string}&lang=en`, { width: 1920, height: 1080 });

    await page.locator('[data-connection="live"]').waitFor();
    await expectText(page, "h1", "Live wallboard");
    const waiting = metric(page, c.hotline, "waiting");
    expect(await waiting.locator(".metric-label").textContent()).toBe("Waiting");
    expect(await waiting.locator(".metric-value").textContent()).toBe("0");
    expect(await metric(page, c.hotline, "serviceLevel").locator(".metric-value").textContent()).toBe("100%");
    expect(await metric(page, c.hotline, "serviceLevel").getAttribute("data-level")).toBe("good");
    expect(await metric(page, c.hotline, "abandonRate").locator(".metric-value").textContent()).toBe("50%");
    expect(await metric(page, c.hotline, "abandonRate").getAttribute("data-level")).toBe("bad");
    expect(await metric(page, c.hotline, "asa").locator(".metric-value").textContent()).toBe("0:10");
    expect(await metric(page, c.hotline, "aht").locator(".metric-value").textContent()).toBe("2:30");
    expect(await agent(page, c.li).getAttribute("data-state")).toBe("available");
    expect(await agent(page, c.li).locator('[data-field="state"]').textContent()).toBe("Available");
    expect(await agent(page, c.han).textContent()).toContain("培训");
    expect(await metric(page, c.email, "waiting").locator(".metric-value").textContent()).toBe("1");
    // a mark on the window survives only if the page is never reloaded
    await page.evaluate(() => Object.assign(window, { wallboardMark: "still here" }));

    // two calls arrive; the longest has waited 30 s, past T = 20 s
    await addItem(server, c.tenant.id, c.hotline, { state: "waiting", enqueuedAt: local("10:06:30") });
    const second = await addItem(server, c.tenant.id, c.hotline, { state: "waiting", enqueuedAt: local("10:06:50") });
    await page.locator(`[data-queue-id="${c.hotline}"] [data-metric="waiting"][data-level="bad"] .metric-value`).filter({ hasText: /^2$/ }).waitFor();

    // Li answers the newer call at 10:07 (20 s: within T) and becomes busy
    await updateItem(server, c.tenant.id, second, { state: "assigned", assignedAt: local("10:07:10"), assignedTo: c.li });
    await setPresence(server, c.tenant.id, c.li, "busy", local("10:07:10"));
    await page.locator(`[data-user-id="${c.li}"][data-state="busy"]`).waitFor();
    expect(await agent(page, c.li).locator('[data-field="state"]').textContent()).toBe("Busy");
    await waiting.locator(".metric-value").filter({ hasText: /^1$/ }).waitFor();
    expect(await metric(page, c.hotline, "serviceLevel").locator(".metric-value").textContent()).toBe("100%");
    expect(await metric(page, c.hotline, "abandonRate").locator(".metric-value").textContent()).toBe("33%");
    expect(await page.evaluate(() => (window as unknown as { wallboardMark?: string }).wallboardMark)).toBe("still here");
    // Han's console drops (as the server marks it): her tile says so while she keeps her state
    await server.deps.db.updateTable("agent_presence").set({ disconnected_at: local("10:07:20") }).where("user_id", "=", c.han).execute();
    await page.locator(`[data-user-id="${c.han}"][data-connection="reconnecting"]`).waitFor();
    expect(await agent(page, c.han).locator('[data-field="reconnecting"]').textContent()).toBe("· Reconnecting");
    expect(await agent(page, c.han).getAttribute("data-state")).toBe("away");
    await page.screenshot({ path: `${ARTIFACTS}wallboard-tv-en.png` });

    // 中文
    await page.locator('[data-action="switch-lang"]').click();
    await expectText(page, "h1", "实时监控墙");
    expect(await waiting.locator(".metric-label").textContent()).toBe("排队中");
    expect(await metric(page, c.hotline, "serviceLevel").locator(".metric-label").textContent()).toBe("服务水平");
    expect(await agent(page, c.li).locator('[data-field="state"]').textContent()).toBe("忙碌");
    expect(await agent(page, c.han).locator('[data-field="reconnecting"]').textContent()).toBe("· 断线重连中");
    expect(page.url()).toContain("lang=zh-CN");
    await page.screenshot({ path: `${ARTIFACTS}wallboard-tv-zh.png` });
  });

  it("fits a phone, in the tenant's language by default", async () => {
    const c = await callCentre();
    const link = await api(server, c.tenant.users.supervisor).post("/api/wallboard-links").send({ name: "主管手机", queueIds: [c.hotline] });
    const page = await openPage(link.body.data.url as string, { width: 390, height: 844 }, { mobile: true });
    await page.locator('[data-connection="live"]').waitFor();
    await expectText(page, "h1", "实时监控墙");
    // the socket can be live before the snapshot (loaded over HTTP) has drawn the queues
    await expect.poll(() => page.locator("[data-queue-id]").count()).toBe(1);
    // nothing wider than the screen
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${ARTIFACTS}wallboard-phone-zh.png`, fullPage: true });
  });

  it("opens for a signed-in supervisor without a link, and tells a revoked link's page that it is over", async () => {
    const c = await callCentre();
    const board = await openPage(`${server.url}/wallboard?lang=en`, { width: 1280, height: 800 }, { sessionToken: c.tenant.users.supervisor.token });
    await board.locator('[data-connection="live"]').waitFor();
    await expect.poll(() => board.locator("[data-queue-id]").count()).toBe(2);

    const link = await api(server, c.tenant.users.supervisor).post("/api/wallboard-links").send({ name: "Temporary", queueIds: [] });
    const page = await openPage(`${link.body.data.url as string}&lang=en`, { width: 1280, height: 800 });
    await page.locator('[data-connection="live"]').waitFor();
    const revoked = await api(server, c.tenant.users.supervisor).delete(`/api/wallboard-links/${link.body.data.link.id as string}`);
    expect(revoked.status).toBe(204);
    await page.locator('[data-notice="linkInvalid"]').waitFor();
    expect(await page.locator('[data-notice="linkInvalid"]').textContent()).toContain("expired or was revoked");
    expect(await page.locator("[data-connection]").getAttribute("data-connection")).toBe("offline");

    const reopened = await openPage(`${link.body.data.url as string}&lang=zh-CN`, { width: 1280, height: 800 });
    await reopened.locator('[data-notice="linkInvalid"]').waitFor();
    expect(await reopened.locator('[data-notice="linkInvalid"]').textContent()).toContain("已过期或已被撤销");
    expect(await reopened.locator("[data-queue-id]").count()).toBe(0);
  });
});
