import { mkdirSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import type { RunningServer } from "@yixian/server";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { api, createTestTenant, startTestServer, TEST_PASSWORD, type TestDb, type TestTenant, type TestUser } from "../src/harness.ts";
import { addUser, makeQueue, setPresence as setAgentPresence } from "../src/routing-kit.ts";
import type { Closable } from "../src/server-kit.ts";

/**
 * Support for the metrics, wallboard and end-to-end tests: a server whose clock the test sets
 * (so "the current interval" and "today" are known), and rows of queues, presence and work
 * items written the way the dispatcher writes them (the wallboard's triggers see every write).
 */

export interface SettableClock {
  now(): Date;
  set(iso: string): void;
  advance(ms: number): void;
}

/** A clock standing at `iso` until set or advanced; `ticking` lets it run on from there at the wall clock's pace. */
export function settableClock(iso: string, options: { ticking?: boolean } = {}): SettableClock {
  let t = Date.parse(iso);
  let since = Date.now();
  const elapsed = () => (options.ticking ? Date.now() - since : 0);
  return {
    now: () => new Date(t + elapsed()),
    set: (next) => {
      t = Date.parse(next);
      since = Date.now();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

export interface ClockedServer extends RunningServer {
  clock: SettableClock;
  stop(): Promise<void>;
}

/** The real server on port 0 with a fresh database (TEST_DB's kind) and a clock the test sets. */
export async function startClockedServer(iso: string, options: { db?: TestDb; env?: Record<string, string>; ticking?: boolean } = {}): Promise<ClockedServer> {
  const clock = settableClock(iso, { ticking: options.ticking });
  const server = await startTestServer({ db: options.db, env: options.env, clock });
  return { ...server, clock };
}

export async function setTenantZone(server: RunningServer, tenantId: string, timeZone: string, locale = "zh-CN"): Promise<void> {
  await server.deps.db.updateTable("tenants").set({ time_zone: timeZone, locale }).where("id", "=", tenantId).execute();
}

/** An agent (display name given) of the tenant. */
export async function addAgent(server: RunningServer, tenantId: string, name: string): Promise<string> {
  const row = await server.deps.db
    .insertInto("users")
    .values({ tenant_id: tenantId, email: `${name.replace(/\W/g, "") || "agent"}.${Math.random().toString(36).slice(2)}@example.test`, display_name: name, password_hash: "x", role: "agent" })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function addQueue(server: RunningServer, tenantId: string, name: string, memberIds: string[], serviceLevelSeconds = 20): Promise<string> {
  const { db } = server.deps;
  const queue = await db.insertInto("queues").values({ tenant_id: tenantId, name, service_level_seconds: serviceLevelSeconds }).returning("id").executeTakeFirstOrThrow();
  if (memberIds.length) await db.insertInto("queue_members").values(memberIds.map((user_id) => ({ tenant_id: tenantId, queue_id: queue.id, user_id }))).execute();
  return queue.id;
}

/** Puts an agent in a state since a time, as the presence code does (row + state log). */
export async function setPresence(server: RunningServer, tenantId: string, userId: string, state: string, since: string, reason: string | null = null): Promise<void> {
  const { db } = server.deps;
  await db.transaction().execute(async (tx) => {
    await tx.updateTable("agent_state_log").set({ ended_at: since }).where("tenant_id", "=", tenantId).where("user_id", "=", userId).where("ended_at", "is", null).execute();
    await tx.insertInto("agent_state_log").values({ tenant_id: tenantId, user_id: userId, state, reason, started_at: since }).execute();
    await tx
      .insertInto("agent_presence")
      .values({ user_id: userId, tenant_id: tenantId, state, reason, state_since: since, idle_since: since, updated_at: since })
      .onConflict((oc) => oc.column("user_id").doUpdateSet({ state, reason, state_since: since, updated_at: since }))
      .execute();
  });
}

export interface ItemTimes {
  state: "waiting" | "offered" | "assigned" | "completed" | "abandoned" | "overflowed" | "cancelled";
  enqueuedAt: string;
  assignedAt?: string;
  assignedTo?: string;
  completedAt?: string;
  abandonedAt?: string;
  holdMs?: number;
  wrapMs?: number;
}

export async function addItem(server: RunningServer, tenantId: string, queueId: string, t: ItemTimes): Promise<string> {
  const row = await server.deps.db
    .insertInto("work_items")
    .values({
      tenant_id: tenantId,
      queue_id: queueId,
      media: "voice",
      channel: "phone",
      state: t.state,
      enqueued_at: t.enqueuedAt,
      offered_at: t.state === "offered" ? t.enqueuedAt : null,
      assigned_at: t.assignedAt ?? null,
      assigned_to: t.assignedTo ?? null,
      completed_at: t.completedAt ?? null,
      abandoned_at: t.abandonedAt ?? null,
      hold_ms: t.holdMs ?? 0,
      wrap_ms: t.wrapMs ?? 0,
      decision: JSON.stringify({}),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Moves an item on (answered, completed, abandoned), as the dispatcher's update does. */
export async function updateItem(server: RunningServer, tenantId: string, itemId: string, t: Partial<ItemTimes>): Promise<void> {
  await server.deps.db
    .updateTable("work_items")
    .set({
      ...(t.state ? { state: t.state } : {}),
      ...(t.assignedAt ? { assigned_at: t.assignedAt } : {}),
      ...(t.assignedTo ? { assigned_to: t.assignedTo } : {}),
      ...(t.completedAt ? { completed_at: t.completedAt } : {}),
      ...(t.abandonedAt ? { abandoned_at: t.abandonedAt } : {}),
      ...(t.holdMs !== undefined ? { hold_ms: t.holdMs } : {}),
      ...(t.wrapMs !== undefined ? { wrap_ms: t.wrapMs } : {}),
    })
    .where("id", "=", itemId)
    .where("tenant_id", "=", tenantId)
    .execute();
}

/** Where the browser tests put their screenshots. */
export const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** The browser binary itself, not Debian's wrapper script (which adds flags of its own): the WebRTC tests launch it directly. */
const CHROMIUM_BINARY = process.env.CHROMIUM_BINARY ?? "/usr/lib/chromium/chromium";
/**
 * WebRTC on loopback with a fake microphone: candidates on 127.0.0.1 are allowed and not hidden
 * behind mDNS names (rtpengine on loopback must reach them), the fake device plays a beep, and
 * the permission prompt is answered yes.
 */
const MEDIA_ARGS = ["--allow-loopback-in-peer-connection", "--disable-features=WebRtcHideLocalIpsWithMdns", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"];

/**
 * Debian's Chromium (or CHROMIUM_PATH), headless; `autoplay` lets pages play sounds without a
 * click first; `media` launches the binary itself with a fake microphone for WebRTC calls.
 */
export function launchChromium(options: { autoplay?: boolean; media?: boolean } = {}): Promise<Browser> {
  const args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--disable-dev-shm-usage"];
  if (options.autoplay) args.push("--autoplay-policy=no-user-gesture-required");
  if (options.media) args.push(...MEDIA_ARGS);
  return chromium.launch({ executablePath: options.media ? CHROMIUM_BINARY : CHROMIUM, args });
}

export interface HostSite {
  /** The site's origin: another origin than the server's. */
  hostOrigin: string;
  /** The page the next visit gets. */
  setHostPage(html: string): void;
  close(): Promise<void>;
}

/** A customer's web site on port 0, serving whatever page the test sets (to embed the widget in). */
export async function startHostSite(): Promise<HostSite> {
  let hostHtml = "";
  const host = createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(hostHtml);
  });
  await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
  return {
    hostOrigin: `http://127.0.0.1:${(host.address() as AddressInfo).port}`,
    setHostPage: (html) => {
      hostHtml = html;
    },
    close: () => new Promise<void>((resolve) => host.close(() => resolve())),
  };
}

/** Signs in on the console's sign-in form and waits until the console is live. */
export async function signIn(page: Page, user: TestUser): Promise<void> {
  await page.locator('input[name="email"]').fill(user.email);
  await page.locator('input[name="password"]').fill(TEST_PASSWORD);
  await page.locator('button[type="submit"]').click();
  await page.locator('[data-connection="live"]').waitFor();
}

/**
 * The browser tests' file setup: a clocked server (set to `at`, else the time it starts; `ticking`
 * runs it on from there; `env` adds to its configuration) and
 * Chromium for the whole file, the server handed to `set`. `newContext` opens a browser context
 * that is closed after the test (so is whatever the test put in `closeAfterEach`); `openConsole`
 * opens the agent console in a new one.
 */
export function browserForFile(
  set: (server: ClockedServer) => void,
  options: { at?: string; ticking?: boolean; env?: Record<string, string>; autoplay?: boolean; media?: boolean; closeAfterEach?: Closable[] } = {},
): { newContext(options: BrowserContextOptions): Promise<BrowserContext>; openConsole(viewport?: { width: number; height: number }, locale?: string): Promise<Page> } {
  let server: ClockedServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await startClockedServer(options.at ?? new Date().toISOString(), { ticking: options.ticking, env: options.env });
    set(server);
    browser = await launchChromium({ autoplay: options.autoplay, media: options.media });
  });
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
    for (const s of options.closeAfterEach?.splice(0) ?? []) s.close();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  const newContext = async (contextOptions: BrowserContextOptions) => {
    const context = await browser!.newContext(contextOptions);
    contexts.push(context);
    return context;
  };
  return {
    newContext,
    openConsole: async (viewport = { width: 1440, height: 900 }, locale = "en-US") => {
      const context = await newContext({ viewport, deviceScaleFactor: 1, locale });
      const page = await context.newPage();
      await page.goto(`${server!.url}/`);
      return page;
    },
  };
}

export interface Shop {
  tenant: TestTenant;
  agent: TestUser;
  queueId: string;
  widgetKey: string;
}

/** The pre-chat form that asks nothing: the visitor chats at once. */
export const NO_PRE_CHAT = { name: "off", phone: "off", company: "off", verificationCode: "off" } as const;

/**
 * The widget tests' shop: a tenant "云账房" with a chat queue of one agent, 王芳 (available unless
 * `agentAvailable: false`), and a widget on that queue without a pre-chat form. `widget` adds to
 * or overrides what the widget is created with (allowed origins, pre-chat form, theme …).
 */
export async function shop(server: RunningServer, options: { agentAvailable?: boolean; widget?: Record<string, unknown> } = {}): Promise<Shop> {
  const tenant = await createTestTenant(server, "云账房");
  const agent = await addUser(server, tenant, "王芳");
  const queueId = await makeQueue(server, tenant, [agent]);
  if (options.agentAvailable ?? true) await setAgentPresence(server, agent, "available");
  const created = await api(server, tenant.admin)
    .post("/api/widget-configs")
    .send({ name: "官网", defaultQueueId: queueId, preChatForm: NO_PRE_CHAT, ...options.widget });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { tenant, agent, queueId, widgetKey: created.body.data.publicKey as string };
}
