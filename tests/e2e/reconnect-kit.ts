import { mkdirSync, rmSync } from "node:fs";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import type { Locator, Page } from "playwright-core";
import { expect, vi } from "vitest";
import { api, freshPostgresDatabase, startTestServer, TEST_DB, type TestServer, type TestUser } from "../src/harness.ts";
import { ARTIFACTS, startStageSite, thread, type Stage } from "./flows-kit.ts";

/**
 * Support for the reconnect flows: the stage of flows-kit (host site, Chromium, a tenant with a
 * hotline), but with a server that can be stopped and started again on the same port, data folder
 * and database, the way an operator restarts it, while the pages stay open.
 */

export interface RestartableStage extends Stage {
  /** Stops the server (every socket and request to it fails) until `start`. */
  kill(): Promise<void>;
  /** Starts the server again on the same port, data folder and database. */
  start(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise<number>((resolve) => {
    const probe = createNetServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export async function startRestartableStage(): Promise<RestartableStage> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const port = await freePort();
  const env = { PORT: String(port) };
  const fresh = TEST_DB === "postgres" ? await freshPostgresDatabase() : null;
  const db = fresh ? { databaseUrl: fresh.url } : {};
  let current: TestServer | null = await startTestServer({ env, keepData: true, ...db });
  const { dataDir } = current;
  let last: TestServer = current;

  const { close, ...site } = await startStageSite();
  return {
    get server(): TestServer {
      return current ?? last;
    },
    ...site,
    kill: async () => {
      const running = current;
      current = null;
      await running?.close();
    },
    start: async () => {
      if (current) return;
      current = await startTestServer({ env, dataDir, keepData: true, ...db });
      last = current;
    },
    stop: async () => {
      await close();
      await current?.close();
      current = null;
      await fresh?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** "in:<text>" for the customer's messages, "out:<text>" for the agent's replies. */
export type Line = `in:${string}` | `out:${string}`;

/** The chat as the widget shows it, top to bottom. */
export function widgetLines(page: Page): Promise<Line[]> {
  return thread(page)
    .locator(".yx-msg")
    .evaluateAll((els) => els.map((el) => `${el.getAttribute("data-from") === "visitor" ? "in" : "out"}:${el.querySelector(".yx-text")?.textContent ?? ""}` as Line));
}

/** The chat as the console's conversation view shows it, top to bottom (replies not yet stored included, notes left out). */
export function consoleLines(view: Locator): Promise<Line[]> {
  return view
    .locator(".messages .msg")
    .evaluateAll((els) =>
      els
        .filter((el) => !el.classList.contains("internal"))
        .map((el) => `${el.classList.contains("inbound") ? "in" : "out"}:${el.querySelector(".msg-text")?.textContent ?? ""}` as Line),
    );
}

/** The chat as the server stores it, in seq order. */
export async function storedLines(stage: Stage, user: TestUser, conversationId: string): Promise<Line[]> {
  const res = await api(stage.server, user).get(`/api/conversations/${conversationId}/messages?limit=500`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const items = res.body.data.items as { seq: number; direction: string; text: string }[];
  return [...items]
    .sort((a, b) => a.seq - b.seq)
    .filter((m) => m.direction === "inbound" || m.direction === "outbound")
    .map((m) => `${m.direction === "inbound" ? "in" : "out"}:${m.text}` as Line);
}

/**
 * Waits until the server holds every expected line exactly once and both pages show exactly what
 * the server holds, in its order, with nothing left sending; returns that order.
 */
export async function settled(stage: Stage, user: TestUser, conversationId: string, widget: Page, view: Locator, expected: Line[], timeout = 60_000): Promise<Line[]> {
  let last: { stored: Line[]; widget: Line[]; console: Line[] } | null = null;
  try {
    return await vi.waitFor(
      async () => {
        const stored = await storedLines(stage, user, conversationId).catch(() => [] as Line[]);
        last = { stored, widget: await widgetLines(widget), console: await consoleLines(view) };
        expect([...stored].sort()).toEqual([...expected].sort());
        expect(last.widget).toEqual(stored);
        expect(last.console).toEqual(stored);
        expect(await thread(widget).locator("[data-status=sending]").count()).toBe(0);
        expect(await view.locator(".msg.pending").count()).toBe(0);
        return stored;
      },
      { timeout, interval: 500 },
    );
  } catch (err) {
    throw new Error(`the two sides did not settle on the stored chat: ${JSON.stringify(last, null, 1)}`, { cause: err });
  }
}

/** The agent writes a reply in the console's composer and sends it with Ctrl+Enter; the box is free again at once. */
export async function agentSends(agent: Page, text: string): Promise<void> {
  const box = agent.locator(".composer textarea");
  await box.fill(text);
  await box.press("Control+Enter");
  await expect.poll(() => box.inputValue()).toBe("");
}

/** The customer writes in the widget and presses Enter, without waiting for the server. */
export async function customerTypes(page: Page, text: string): Promise<void> {
  const input = page.locator("#yx-input");
  await input.fill(text);
  await input.press("Enter");
  await thread(page).locator(".yx-mine", { hasText: text }).waitFor();
}
