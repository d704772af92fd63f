import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { api, startTestServer, type TestServer } from "../src/harness.ts";
import { accept, myOffers, until } from "../src/routing-kit.ts";
import { connectVisitor } from "../src/widget-kit.ts";
import { launchChromium, shop } from "./support.ts";

// The H5 chat page in Chromium: a file over the server's upload limit is refused in the browser
// with the real limit (nothing is uploaded, the typed text stays), and the notices the visitor
// saw (queued, agent joined) are still there after a reload; a message refused for a while is
// retried with a countdown and stored once. Needs `npm run build` first.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkaPhfDwAEhAGAhKmMIQAAAABJRU5ErkJggg==", "base64");

let server: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  server = await startTestServer({ env: { MAX_UPLOAD_BYTES: String(1024 * 1024) } });
  browser = await launchChromium();
});
afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function phonePage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: "zh-CN" });
  contexts.push(context);
  return context.newPage();
}

const thread = (page: Page) => page.locator("[data-testid=thread]");
const mine = (page: Page, text: string) => thread(page).locator(".yx-mine", { hasText: text });

describe("the chat widget's extras", () => {
  it("refuses a file over the server's limit before uploading it, with the limit, and keeps what the visitor typed", async () => {
    const s = await shop(server);
    const page = await phonePage();
    const uploads: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "POST" && r.url().includes("/widget/sessions/attachments")) uploads.push(r.url());
    });
    await page.goto(`${server.url}/chat/${s.widgetKey}`);
    const input = page.locator("#yx-input");
    await input.fill("这是报错截图");

    const file = page.locator("input[type=file]");
    await expect(file.getAttribute("accept")).resolves.toContain(".pdf");
    await file.setInputFiles({ name: "大截图.png", mimeType: "image/png", buffer: Buffer.concat([PNG, Buffer.alloc(1024 * 1024, 7)]) });
    await page.locator(".yx-error").getByText("文件超过 1 MB，无法发送").waitFor();
    await expect(input.inputValue()).resolves.toBe("这是报错截图");
    expect(uploads).toEqual([]);
    await expect(page.locator("[aria-label*='最大 1 MB']").count()).resolves.toBe(1);

    // a file within the limit goes, with the text the visitor had typed
    await file.setInputFiles({ name: "截图.png", mimeType: "image/png", buffer: PNG });
    await mine(page, "这是报错截图").locator("img.yx-img[alt='截图.png']").waitFor();
    await mine(page, "这是报错截图").locator("[data-status=delivered], [data-status=read]").waitFor();
    expect(uploads).toHaveLength(1);
    await page.locator(".yx-error").waitFor({ state: "detached" });
  });

  it("keeps the queued and agent-joined notices across a reload, once each, where they were", async () => {
    const s = await shop(server);
    const page = await phonePage();
    await page.goto(`${server.url}/chat/${s.widgetKey}`);
    const input = page.locator("#yx-input");
    await input.fill("打印机连不上");
    await input.press("Enter");
    await mine(page, "打印机连不上").locator("[data-status=delivered], [data-status=read]").waitFor();
    await thread(page).locator("[data-notice=queued]").waitFor();

    const offers = await until(() => myOffers(server, s.agent), (o) => o.some((x) => x.conversationId !== null), "an offer for the chat");
    expect((await accept(server, s.agent, offers[0]!.offerId)).status).toBe(200);
    const joined = thread(page).locator("[data-notice=agent_joined]");
    await joined.getByText("王芳已加入对话").waitFor();
    const conversationId = offers[0]!.conversationId!;
    expect((await api(server, s.agent).post(`/api/conversations/${conversationId}/messages`).send({ text: "您好，请问是哪个型号？" })).status).toBe(201);
    await thread(page).locator(".yx-theirs", { hasText: "您好，请问是哪个型号？" }).waitFor();

    const order = () => thread(page).locator(":scope > li").evaluateAll((els) => els.map((e) => e.getAttribute("data-notice") ?? e.textContent?.trim() ?? ""));
    const before = await order();

    await page.reload();
    await thread(page).locator(".yx-theirs", { hasText: "您好，请问是哪个型号？" }).waitFor();
    await joined.getByText("王芳已加入对话").waitFor();
    await expect(joined.count()).resolves.toBe(1);
    // the history's queued notice has no position (it was live only)
    await expect(thread(page).locator("[data-notice=queued]").textContent()).resolves.toBe("正在为您转接客服，请稍候");
    const after = await order();
    expect(after.filter((x) => x === "agent_joined" || x === "queued")).toEqual(["queued", "agent_joined"]);
    expect(after).toEqual(before);
  });

  it("retries a message the server refused for a while, counting down, and stores it once", async () => {
    const s = await shop(server);
    const page = await phonePage();
    await page.goto(`${server.url}/chat/${s.widgetKey}`);
    const input = page.locator("#yx-input");
    await input.fill("第一条");
    await input.press("Enter");
    await mine(page, "第一条").locator("[data-status=delivered], [data-status=read]").waitFor();

    // another tab of the same visitor sends as fast as it can: the visitor's message rate runs out
    const token = await page.evaluate(() => Object.entries(localStorage).find(([k]) => k.includes("visitor"))?.[1] ?? "");
    expect(token).not.toBe("");
    const tab = await connectVisitor(server.url, token);
    let hammering = true;
    let limited = false;
    // several sends at a time, back to back: each token that comes back is taken at once
    const hammer = (async () => {
      for (let i = 0; hammering; i += 4) {
        const results = await Promise.all([0, 1, 2, 3].map((k) => tab.emitWithAck("message:send", { clientId: `tab-${i + k}`, text: `另一个标签页 ${i + k}`, attachmentIds: [] })));
        if (results.some((r) => !r.ok && r.error.code === "RATE_LIMITED")) limited = true;
      }
    })();
    await until(async () => limited, (l) => l, "the visitor rate limited");

    await input.fill("限流时发的");
    await input.press("Enter");
    const retrying = mine(page, "限流时发的").locator("[data-testid=retrying][data-code=RATE_LIMITED]");
    await retrying.getByText(/未发送，\d+ 秒后重试/).waitFor();
    await expect(retrying.getByRole("button", { name: "立即重试" }).count()).resolves.toBe(1);
    await expect(mine(page, "限流时发的").locator("[data-status=sending]").count()).resolves.toBe(1);

    hammering = false;
    await hammer;
    tab.close();
    // the backoff's next attempt (or "retry now") gets it through
    await retrying.getByRole("button", { name: "立即重试" }).click({ timeout: 2000 }).catch(() => undefined);
    await mine(page, "限流时发的").locator("[data-status=delivered], [data-status=read]").waitFor({ timeout: 40_000 });
    await expect(mine(page, "限流时发的").locator("[data-testid=retrying]").count()).resolves.toBe(0);
    const offers = await until(() => myOffers(server, s.agent), (o) => o.some((x) => x.conversationId !== null), "an offer for the chat");
    const stored = await api(server, s.agent).get(`/api/conversations/${offers[0]!.conversationId!}/messages?limit=200`);
    expect((stored.body.data.items as { text: string }[]).filter((m) => m.text === "限流时发的")).toHaveLength(1);
    await expect(mine(page, "限流时发的").count()).resolves.toBe(1);
  });
});
