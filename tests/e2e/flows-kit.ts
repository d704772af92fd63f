import { mkdirSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { api, createTestTenant, startTestServer, type TestServer, type TestTenant, type TestUser } from "../src/harness.ts";
import { ARTIFACTS, launchChromium, signIn, startHostSite } from "./support.ts";

/**
 * Support for the end-to-end flows that span the chat widget and the agent console: the real
 * server, a host web site of another origin that embeds the widget, Debian's Chromium, and a
 * tenant with a VIP customer, a chat queue and a widget. Screenshots go to test-artifacts/.
 */

export { ARTIFACTS };

/** The customer's phone, as the contact's identity is stored and as the visitor types it. */
export const CUSTOMER_PHONE = "13800138000";
export const CUSTOMER_NAME = "王建国";

export interface Stage {
  server: TestServer;
  browser: Browser;
  hostOrigin: string;
  /** The host page the next visit gets. */
  setHostPage(html: string): void;
  /** A fresh browser context (its own storage), closed by `closeContexts`. */
  newContext(viewport: { width: number; height: number }, locale?: string): Promise<BrowserContext>;
  closeContexts(): Promise<void>;
  stop(): Promise<void>;
}

/** What a stage has besides its server: the host site, Chromium and the contexts opened in it. */
export type StageSite = Omit<Stage, "server" | "stop"> & { close(): Promise<void> };

/** Starts the host site and Chromium of a stage; `close` closes the browser, then the site. */
export async function startStageSite(options: { autoplay?: boolean } = {}): Promise<StageSite> {
  const site = await startHostSite();
  const browser = await launchChromium(options);
  const contexts: BrowserContext[] = [];
  return {
    browser,
    hostOrigin: site.hostOrigin,
    setHostPage: site.setHostPage,
    newContext: async (viewport, locale = "en-US") => {
      const context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale });
      contexts.push(context);
      return context;
    },
    closeContexts: async () => {
      for (const c of contexts.splice(0)) await c.close();
    },
    close: async () => {
      await browser.close();
      await site.close();
    },
  };
}

export async function startStage(): Promise<Stage> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const server = await startTestServer();
  const { close, ...site } = await startStageSite({ autoplay: true });
  return {
    server,
    ...site,
    stop: async () => {
      await close();
      await server.stop();
    },
  };
}

/**
 * One stage for the whole test file: started before its first test and handed to `set`, its
 * browser contexts closed after each test, stopped after the last.
 */
export function stageForFile<S extends Stage>(start: () => Promise<S>, set: (stage: S) => void): void {
  let stage: S | undefined;
  beforeAll(async () => {
    stage = await start();
    set(stage);
  });
  afterEach(async () => {
    await stage!.closeContexts();
  });
  afterAll(async () => {
    await stage?.stop();
  });
}

export interface Hotline {
  tenant: TestTenant;
  agents: TestUser[];
  queueId: string;
  contactId: string;
  companyName: string;
  widgetKey: string;
}

/**
 * A tenant with a chat queue (the given agents, offers that wait for the test's clicks), a VIP
 * company whose service pack is current with a known contact (phone 13800138000), and a widget
 * for the host site whose pre-chat form asks for name and phone.
 */
export async function hotline(stage: Stage, options: { strategy?: "least_busy" | "broadcast"; agentRoles?: ("agent" | "senior_agent")[] } = {}): Promise<Hotline> {
  const { server } = stage;
  const tenant = await createTestTenant(server, "华东热线");
  const admin = api(server, tenant.admin);
  const agents = (options.agentRoles ?? ["agent"]).map((role) => tenant.users[role]);
  const queue = await admin.post("/api/queues").send({ name: "财务软件热线", memberIds: agents.map((a) => a.id) });
  expect(queue.status, JSON.stringify(queue.body)).toBe(201);
  const queueId = queue.body.data.id as string;
  const routing = await admin.patch(`/api/queues/${queueId}/routing`).send({ offerTimeoutSeconds: 300, ...(options.strategy ? { strategy: options.strategy } : {}) });
  expect(routing.status, JSON.stringify(routing.body)).toBe(200);
  const expiresOn = new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10);
  const companyName = `华东电气 ${tenant.slug}`;
  const company = await admin.post("/api/companies").send({ name: companyName, servicePack: "vip", serviceExpiresOn: expiresOn });
  expect(company.status, JSON.stringify(company.body)).toBe(201);
  const contact = await admin
    .post("/api/contacts")
    .send({ name: CUSTOMER_NAME, companyId: company.body.data.id, isVip: true, identities: [{ kind: "phone", value: CUSTOMER_PHONE }] });
  expect(contact.status, JSON.stringify(contact.body)).toBe(201);
  const widget = await admin.post("/api/widget-configs").send({
    name: "官网",
    allowedOrigins: [stage.hostOrigin],
    defaultQueueId: queueId,
    preChatForm: { name: "required", phone: "required", company: "off", verificationCode: "off" },
    theme: { title: { "zh-CN": "华东热线客服", en: "East China hotline" }, primaryColor: "#0b7a5a", textColor: "#ffffff" },
  });
  expect(widget.status, JSON.stringify(widget.body)).toBe(201);
  return { tenant, agents, queueId, contactId: contact.body.data.id as string, companyName, widgetKey: widget.body.data.publicKey as string };
}

/** The customer's product page, embedding the widget with its one script tag. */
export function hostPage(stage: Stage, widgetKey: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>华东电气</title></head>
<body><h1>华东电气 — 财务软件</h1><p>产品介绍</p>
<script src="${stage.server.url}/widget.js" data-key="${widgetKey}" data-lang="en" async></script></body></html>`;
}

/** The agent console in its own browser context, signed in through the page and set available. */
export async function availableAgent(stage: Stage, user: TestUser): Promise<Page> {
  const context = await stage.newContext({ width: 1440, height: 900 });
  const page = await context.newPage();
  await page.goto(`${stage.server.url}/`);
  await signIn(page, user);
  await goAvailable(page);
  return page;
}

export async function goAvailable(page: Page): Promise<void> {
  await page.locator(".presence-current").click();
  await page.locator('[data-set-presence="available"]').click();
  await page.locator('.presence-current[data-presence="available"]').waitFor();
}

// Playwright's CSS locators pierce the widget's open shadow root.
export const thread = (page: Page) => page.locator("[data-testid=thread]");
export const mine = (page: Page, text: string) => thread(page).locator(".yx-mine", { hasText: text });
export const theirs = (page: Page, text: string) => thread(page).locator(".yx-theirs", { hasText: text });

/** The visitor opens the widget, fills the pre-chat form and sends a first message, stored on the server. */
export async function visitorWrites(page: Page, text: string): Promise<void> {
  await page.locator("[data-testid=launcher]").click();
  const form = page.locator("[data-testid=prechat]");
  await form.waitFor();
  await form.getByLabel("Name").fill(CUSTOMER_NAME);
  await form.getByLabel("Phone").fill("138 0013 8000");
  await form.locator("button[type=submit]").click();
  await form.waitFor({ state: "detached" });
  await send(page, text);
}

/** Sends a message from the widget and waits for the server's ack. */
export async function send(page: Page, text: string): Promise<void> {
  const input = page.locator("#yx-input");
  await input.fill(text);
  await input.press("Enter");
  await mine(page, text).locator("[data-status=delivered], [data-status=read]").waitFor();
}

/** The agent takes the offer from the console's toast; returns the conversation's id. */
export async function acceptFromToast(page: Page): Promise<string> {
  const toast = page.locator(".toast.offer");
  await toast.waitFor();
  // the agent may be on another conversation's page: wait for the accepted one's
  const before = page.url();
  await toast.locator('[data-action="accept-offer"]').click();
  await page.waitForURL((url) => /^\/conversations\/[0-9a-f-]{36}$/.test(url.pathname) && url.href !== before);
  await toast.waitFor({ state: "detached" });
  return new URL(page.url()).pathname.split("/").at(-1)!;
}
