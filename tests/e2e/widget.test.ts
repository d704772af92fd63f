import { mkdirSync } from "node:fs";
import { createServer as createNetServer } from "node:net";
import type { AddressInfo } from "node:net";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { api, freshPostgresDatabase, startTestServer, TEST_DB, type TestServer, type TestUser } from "../src/harness.ts";
import { accept, connectAgent, myOffers, until } from "../src/routing-kit.ts";
import { mine, theirs, thread } from "./flows-kit.ts";
import { ARTIFACTS, launchChromium, shop, startHostSite, type HostSite, type Shop } from "./support.ts";

// The chat widget in Chromium against the real server: embedded with one script tag in a host
// page (another origin) whose CSS tries its best to break it, and as the full-page H5 chat.
// Screenshots go to test-artifacts/.

/** Global rules a careless host page might have: every one would break a widget living in the page's DOM. */
/** A 1×1 PNG, as a visitor's screenshot would be. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkaPhfDwAEhAGAhKmMIQAAAABJRU5ErkJggg==", "base64");

const HOSTILE_CSS = `
  * { all: unset !important; }
  div, section, form, button, input, textarea, ol, li, p { display: none !important; }
  button { display: none !important; visibility: hidden !important; }
  body { font-size: 40px !important; color: red !important; }
  body * { opacity: 0.1 !important; transform: rotate(3deg) !important; }
`;

let server: TestServer;
let browser: Browser;
let host: HostSite;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startTestServer();
  // the customer's web site: another origin, serving whatever page the test sets
  host = await startHostSite();
  browser = await launchChromium();
});
afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close();
});
afterAll(async () => {
  await browser?.close();
  await host?.close();
  await server?.stop();
});

/** The shop's header title in each widget language. */
const TITLE = { "zh-CN": "云账房客服", en: "Yunzhangfang support" };

/** The shop, its widget allowed on the host page's origin, with the given pre-chat form and a theme of its own. */
function hostShop(agentAvailable: boolean, preChatForm: Record<string, string>, on: TestServer = server): Promise<Shop> {
  return shop(on, { agentAvailable, widget: { allowedOrigins: [host.hostOrigin], preChatForm, theme: { title: TITLE, primaryColor: "#0b7a5a", textColor: "#ffffff" } } });
}

async function newPage(viewport: { width: number; height: number }, options: { mobile?: boolean; locale?: string } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, isMobile: options.mobile ?? false, hasTouch: options.mobile ?? false, locale: options.locale ?? "en-US" });
  contexts.push(context);
  return { context, page: await context.newPage() };
}

function hostPage(widgetKey: string, attrs: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Host</title><style>${HOSTILE_CSS}</style></head>
<body><h1>云账房 — 财务软件</h1><p>Some product page.</p>
<script src="${server.url}/widget.js" data-key="${widgetKey}" ${attrs} async></script></body></html>`;
}


async function messagesOf(conversationId: string, agent: TestUser, on: TestServer = server): Promise<{ text: string; clientId: string | null; direction: string; seq: number }[]> {
  const res = await api(on, agent).get(`/api/conversations/${conversationId}/messages`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data.items as { text: string; clientId: string | null; direction: string; seq: number }[];
}

describe("the chat widget", () => {
  it("works in a hostile host page: pre-chat form, chat with an agent, a network drop, a return visit", async () => {
    const s = await hostShop(true, { name: "required", phone: "optional", company: "off", verificationCode: "off" });
    host.setHostPage(hostPage(s.widgetKey, `data-lang="en"`));
    const { context, page } = await newPage({ width: 1280, height: 800 });
    await page.goto(host.hostOrigin);

    // the launcher shows despite the page's CSS, and opens the panel with the pre-chat form
    const launcher = page.locator("[data-testid=launcher]");
    await launcher.waitFor({ state: "visible" });
    const box = await launcher.boundingBox();
    expect(box?.width).toBeGreaterThan(40);
    await launcher.click();
    const form = page.locator("[data-testid=prechat]");
    await form.waitFor();
    // the English widget (data-lang="en") has the English title
    await expect(page.locator("[data-testid=panel] .yx-title").textContent()).resolves.toBe(TITLE.en);
    // Esc closes and gives focus back to the launcher
    const focused = () => page.evaluate(() => document.querySelector("[data-yixian-chat]")?.shadowRoot?.activeElement?.getAttribute("id") ?? null);
    await expect(focused()).resolves.toBe("yx-name");
    await page.keyboard.press("Escape");
    await form.waitFor({ state: "detached" });
    await expect(page.evaluate(() => document.querySelector("[data-yixian-chat]")?.shadowRoot?.activeElement?.getAttribute("data-testid"))).resolves.toBe("launcher");
    await launcher.click();

    await form.locator("button[type=submit]").click();
    await form.getByText("Please enter your Name").waitFor();
    await form.getByLabel("Phone").fill("12");
    await form.locator("button[type=submit]").click();
    await form.getByText("Please enter a valid phone number").waitFor();
    await form.getByLabel("Name").fill("Wang Fang");
    await form.getByLabel("Phone").fill("+86 138 0013 8000");
    await form.locator("button[type=submit]").click();

    // a message: sending, then stored (the server's ack carries its seq)
    const input = page.locator("#yx-input");
    await input.fill("My invoice total is wrong");
    await input.press("Enter");
    await mine(page, "My invoice total is wrong").locator("[data-status=delivered], [data-status=read]").waitFor();

    // the agent gets the offer, accepts it, and finds the message stored once
    const offer = await until(() => myOffers(server, s.agent), (o) => o.some((x) => x.conversationId !== null), "an offer for the chat");
    const conversationId = offer.find((x) => x.conversationId)!.conversationId!;
    expect((await accept(server, s.agent, offer[0]!.offerId)).status).toBe(200);
    const stored = await messagesOf(conversationId, s.agent);
    expect(stored.filter((m) => m.text === "My invoice total is wrong")).toHaveLength(1);
    expect(stored.find((m) => m.text === "My invoice total is wrong")!.clientId).toMatch(/^[0-9a-f-]{36}$/);

    // typing, both ways: the agent's console hears the visitor, the visitor sees the agent
    const agentSocket = await connectAgent(server.url, s.agent.token);
    const heardTyping: { typing: boolean; by: { type: string } }[] = [];
    agentSocket.on("conversation:typing", (e) => heardTyping.push(e));
    await agentSocket.emitWithAck("conversation:subscribe", conversationId);
    await input.pressSequentially("Hel");
    await until(async () => heardTyping, (h) => h.some((e) => e.typing && e.by.type === "visitor"), "the visitor's typing");
    await input.fill("");
    agentSocket.emit("conversation:typing", { conversationId, typing: true });
    await page.locator("[data-testid=typing]").getByText("王芳 is typing…").waitFor();

    // the agent replies; the visitor sees it with the agent's name and initials
    const reply = await api(server, s.agent).post(`/api/conversations/${conversationId}/messages`).send({ text: "Let me check that for you", clientId: "agent-1" });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    await theirs(page, "Let me check that for you").waitFor();
    await expect(theirs(page, "Let me check that for you").locator(".yx-avatar").textContent()).resolves.toBe("王");
    await page.screenshot({ path: `${ARTIFACTS}widget-desktop.png` });

    // the network drops: the visitor writes anyway, the agent too
    await context.setOffline(true);
    await page.locator(".yx-banner").waitFor();
    await input.fill("Are you still there?");
    await input.press("Enter");
    await mine(page, "Are you still there?").locator("[data-status=sending]").waitFor();
    await api(server, s.agent).post(`/api/conversations/${conversationId}/messages`).send({ text: "Found it: a rounding error", clientId: "agent-2" });
    await context.setOffline(false);
    await mine(page, "Are you still there?").locator("[data-status=delivered], [data-status=read]").waitFor({ timeout: 20_000 });
    await theirs(page, "Found it: a rounding error").waitFor();

    // exactly once on the server, and exactly once on the page, in seq order
    const after = await messagesOf(conversationId, s.agent);
    expect(after.filter((m) => m.text === "Are you still there?")).toHaveLength(1);
    await expect(mine(page, "Are you still there?").count()).resolves.toBe(1);
    await expect(theirs(page, "Found it: a rounding error").count()).resolves.toBe(1);
    const seqs = await thread(page).locator("[data-seq]").evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-seq"))));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);

    // the emoji picker adds to the text being written
    await page.getByRole("button", { name: "Emoji" }).click();
    await page.getByRole("button", { name: "👍" }).click();
    await page.locator(".yx-send").click();
    await mine(page, "👍").locator("[data-status=delivered], [data-status=read]").waitFor();

    // closed, the launcher counts the agent's new messages
    await page.keyboard.press("Escape");
    await api(server, s.agent).post(`/api/conversations/${conversationId}/messages`).send({ text: "One more thing", clientId: "agent-3" });
    await page.locator("[data-testid=unread]").getByText("1").waitFor();
    await launcher.click();
    await theirs(page, "One more thing").waitFor();
    await page.locator("[data-testid=unread]").waitFor({ state: "detached" });

    // a return visit: the same browser is recognised and resumes the conversation, no form
    await page.reload();
    await page.locator("[data-testid=launcher]").click();
    await theirs(page, "Found it: a rounding error").waitFor();
    await expect(page.locator("[data-testid=prechat]").count()).resolves.toBe(0);
    await expect(mine(page, "My invoice total is wrong").count()).resolves.toBe(1);

    // files: a type the server refuses is stopped before upload; an image goes and is previewed
    const file = page.locator("input[type=file]");
    await file.setInputFiles({ name: "setup.exe", mimeType: "application/x-msdownload", buffer: Buffer.from("MZ") });
    await page.getByText("This file type is not allowed").waitFor();
    await file.setInputFiles({ name: "screenshot.png", mimeType: "image/png", buffer: PNG });
    await thread(page).locator(".yx-mine img.yx-img[alt='screenshot.png']").waitFor();
    await until(() => messagesOf(conversationId, s.agent), (m) => m.some((x) => (x as { attachments?: unknown[] }).attachments?.length === 1), "the image stored");

    // the agent ends the chat: the visitor rates it
    expect((await api(server, s.agent).post(`/api/conversations/${conversationId}/end`).send({})).status).toBe(200);
    const rating = page.locator("[data-testid=rating]");
    await rating.waitFor();
    // the ended chat takes no more messages (writing would start a new one and drop the rating card)
    await page.locator("[data-testid=ended]").getByText("The chat has ended").waitFor();
    expect(await page.locator("#yx-input").count()).toBe(0);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${ARTIFACTS}widget-phone-rating.png` });
    await rating.getByRole("button", { name: "5 stars" }).click();
    await rating.getByPlaceholder("Comment (optional)").fill("Quick and clear");
    await rating.locator("button[type=submit]").click();
    await page.locator("[data-testid=rated]").getByText("Thank you for your rating!").waitFor();
    const detail = await api(server, s.agent).get(`/api/conversations/${conversationId}`);
    const ratings = await api(server, s.tenant.admin).get(`/api/tickets/${detail.body.data.ticketId as string}/ratings`);
    expect(ratings.body.data).toMatchObject([{ score: 5, comment: "Quick and clear", conversationId }]);
    agentSocket.close();
  });

  it("is a full-page chat on a phone, and takes a message when nobody is available", async () => {
    const s = await hostShop(false, { name: "optional", phone: "optional", company: "off", verificationCode: "off" });
    // the script is plain ASCII JavaScript (right whatever charset the host page has); a key that is not one is refused
    const script = await fetch(`${server.url}/widget.js`);
    expect(script.headers.get("content-type")).toContain("javascript");
    expect(/^[\t\n\r\x20-\x7e]*$/.test(await script.text())).toBe(true);
    expect((await fetch(`${server.url}/chat/${encodeURIComponent('"><script>')}`)).status).toBe(404);

    const { page } = await newPage({ width: 390, height: 844 }, { mobile: true, locale: "zh-CN" });
    await page.goto(`${server.url}/chat/${s.widgetKey}`);
    const form = page.locator("[data-testid=leave]");
    await form.waitFor();
    // the Chinese widget (a Chinese phone) has the Chinese title
    await expect(page.locator("[data-testid=panel] .yx-title").textContent()).resolves.toBe(TITLE["zh-CN"]);
    const panel = await page.locator("[data-testid=panel]").boundingBox();
    expect(panel?.width).toBe(390);

    await form.locator("button[type=submit]").click();
    await form.getByText("请填写姓名").waitFor();
    await form.getByLabel("姓名").fill("李雷");
    await form.getByLabel("手机号或邮箱").fill("13800138000");
    await form.getByLabel("留言内容").fill("请明天上午回电，发票抬头要改");
    await page.screenshot({ path: `${ARTIFACTS}widget-phone-leave-message.png` });
    await form.locator("button[type=submit]").click();
    const done = page.locator("[data-testid=left]");
    await done.getByText("留言已提交。").waitFor();
    const ticketNumber = (await done.locator(".yx-muted").textContent())!.replace("#", "");

    const tickets = await api(server, s.tenant.admin).get(`/api/tickets?q=${encodeURIComponent(ticketNumber)}`);
    expect(tickets.status).toBe(200);
    expect(JSON.stringify(tickets.body)).toContain(ticketNumber);
  });

  it("keeps every message across a server restart: resends what was written meanwhile, exactly once", async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createNetServer().listen(0, "127.0.0.1", () => {
        const { port: free } = probe.address() as AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    const fresh = TEST_DB === "postgres" ? await freshPostgresDatabase() : null;
    const env = { PORT: String(port) };
    let first: TestServer | null = await startTestServer({ env, keepData: true, ...(fresh ? { databaseUrl: fresh.url } : {}) });
    let second: TestServer | null = null;
    try {
      const s = await hostShop(true, { name: "off", phone: "off", company: "off", verificationCode: "off" }, first);
      const { page } = await newPage({ width: 390, height: 844 }, { mobile: true, locale: "zh-CN" });
      await page.goto(`${first.url}/chat/${s.widgetKey}`);
      const input = page.locator("#yx-input");
      await input.fill("打印机连不上");
      await input.press("Enter");
      await mine(page, "打印机连不上").locator("[data-status=delivered], [data-status=read]").waitFor();

      await first.close();
      const { dataDir } = first;
      first = null;
      await page.locator(".yx-banner").getByText("连接已断开，正在重新连接…").waitFor();
      await input.fill("服务器重启时发的");
      await input.press("Enter");
      await mine(page, "服务器重启时发的").locator("[data-status=sending]").waitFor();

      second = await startTestServer({ env, dataDir, ...(fresh ? { databaseUrl: fresh.url } : {}) });
      await mine(page, "服务器重启时发的").locator("[data-status=delivered], [data-status=read]").waitFor({ timeout: 30_000 });
      const offer = await until(() => myOffers(second!, s.agent), (o) => o.some((x) => x.conversationId !== null), "an offer for the chat", 20_000);
      const conversationId = offer.find((x) => x.conversationId)!.conversationId!;
      const stored = await messagesOf(conversationId, s.agent, second);
      expect(stored.map((m) => m.text)).toEqual(["打印机连不上", "服务器重启时发的"]);
      await expect(mine(page, "服务器重启时发的").count()).resolves.toBe(1);
      await page.screenshot({ path: `${ARTIFACTS}widget-phone-h5.png` });
    } finally {
      await first?.stop();
      await second?.stop();
      await fresh?.drop();
    }
  });
});
