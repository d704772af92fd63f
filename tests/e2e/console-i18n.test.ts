import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { appendMessage } from "../../server/src/domain/conversations/append-message.ts";
import { api, createTestTenant } from "../src/harness.ts";
import { browserForFile, signIn, type ClockedServer } from "./support.ts";

// Defect 13 and the console half of defect 9, in Chromium: a Chinese agent walks through every
// page of the console and sees no English word (but the names below), web chats without a
// subject show who wrote and what, and the Enter that confirms pinyin never sends it.

let server: ClockedServer;
const { openConsole } = browserForFile((s) => (server = s));

/** Words that stay as they are in Chinese: product and key names, established abbreviations, and
 * the parts of the example addresses and the <body> tag in the widget page's hints. */
const ALLOWED = new Set(["VIP", "SLA", "Yixian", "Ctrl", "Enter", "Alt", "Esc", "English", "body", "https", "http", "www", "example", "com", "localhost", "SIP", "DID", "IP", "IPv", "UDP", "TCP", "TLS", "CSV"]);

/** The English words a page shows (its visible text; the embed snippet and other machine values, such as
 * SIP user names, left out). */
async function englishWords(page: Page, ticketPrefix: string): Promise<string[]> {
  const text = await page.evaluate(() => {
    const clone = document.body.cloneNode(true) as HTMLElement;
    clone.querySelectorAll("[data-field=snippet], kbd, code").forEach((code) => code.remove());
    document.body.append(clone);
    clone.style.position = "absolute";
    const visible = clone.innerText;
    clone.remove();
    return `${document.title}\n${visible}`;
  });
  return (text.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !ALLOWED.has(w) && w !== ticketPrefix);
}

/** Dispatches an input method's events around a Ctrl+Enter, in the given browser's order. */
async function composeAndConfirm(page: Page, order: "chrome" | "safari" | "plain-after-end"): Promise<void> {
  await page.locator("textarea[name=message]").evaluate((box, order) => {
    const key = (type: string, keyCode: number, isComposing: boolean) => {
      const e = new KeyboardEvent(type, { key: "Enter", code: "Enter", ctrlKey: true, isComposing, bubbles: true, cancelable: true });
      Object.defineProperty(e, "keyCode", { get: () => keyCode });
      box.dispatchEvent(e);
    };
    const composition = (type: string) => box.dispatchEvent(new CompositionEvent(type, { data: "你好", bubbles: true }));
    composition("compositionstart");
    if (order === "chrome") {
      key("keydown", 229, true);
      composition("compositionend");
    } else {
      composition("compositionend");
      key("keydown", order === "safari" ? 229 : 13, false);
    }
    key("keyup", 13, false);
  }, order);
}

describe("the console in Chinese", () => {
  it("shows no English on any page, names each web chat by its customer and first message, and never sends pinyin being confirmed", async () => {
    const tenant = await createTestTenant(server, "华东热线");
    const { db } = server.deps;
    await db.updateTable("tenants").set({ name: "华东热线", locale: "zh-CN" }).where("id", "=", tenant.id).execute();
    // people are named in Chinese too: only the console's own words are under test
    for (const [i, user] of Object.values(tenant.users).entries()) await db.updateTable("users").set({ display_name: `坐席${i + 1}号` }).where("id", "=", user.id).execute();
    await db.updateTable("users").set({ display_name: "王芳" }).where("id", "=", tenant.admin.id).execute();
    const ticketPrefix = (await db.selectFrom("tenants").select("ticket_prefix").where("id", "=", tenant.id).executeTakeFirstOrThrow()).ticket_prefix;

    const admin = api(server, tenant.admin);
    const queue = await admin.post("/api/queues").send({ name: "发票热线", memberIds: [tenant.admin.id] });
    expect(queue.status, JSON.stringify(queue.body)).toBe(201);
    const queueId = queue.body.data.id as string;
    expect((await admin.patch(`/api/queues/${queueId}/routing`).send({ offerTimeoutSeconds: 300 })).status).toBe(200);
    expect((await admin.post("/api/widget-configs").send({ name: "官网", theme: { title: { "zh-CN": "在线客服", en: "Customer service" }, primaryColor: "#0b5cad", textColor: "#ffffff" } })).status).toBe(201);
    const contact = await admin.post("/api/contacts").send({ name: "李秀英", identities: [{ kind: "phone", value: "13900139000" }] });
    expect(contact.status, JSON.stringify(contact.body)).toBe(201);
    const contactId = contact.body.data.id as string;

    // a web chat without a subject, offered to the admin (available) and accepted
    expect((await admin.put("/api/presence/me").send({ state: "available" })).status).toBe(200);
    const created = await admin.post("/api/conversations").send({ channel: "webchat", contactId, queueId });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.data.id as string;
    await appendMessage({ tenantId: tenant.id, actor: { type: "contact", id: contactId }, deps: server.deps, log: server.deps.log }, { conversationId: id, direction: "inbound", text: "发票打印不出来" });
    let offerId: string | undefined;
    for (const deadline = Date.now() + 10_000; !offerId && Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
      const offers = await admin.get("/api/offers/mine");
      offerId = (offers.body.data as { offerId: string; conversationId: string | null }[]).find((o) => o.conversationId === id)?.offerId;
    }
    expect(offerId, "the offer of the new chat").toBeTruthy();
    const accepted = await admin.post(`/api/offers/${offerId}/accept`).send({});
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    const ticketId = accepted.body.data.ticketId as string;
    const reply = await admin.post(`/api/conversations/${id}/messages`).send({ text: "请稍等，我看一下", direction: "outbound", clientId: "reply-1" });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);

    const page = await openConsole({ width: 1440, height: 900 }, "zh-CN");
    await signIn(page, tenant.admin);
    await expect(page.title()).resolves.toBe("一线 · 坐席控制台");

    // the inbox row: the customer's name and what they wrote, not "(no subject)"
    const row = page.locator(`[data-conversation-id="${id}"]`);
    await row.locator('[data-field="contact"]').getByText("李秀英").waitFor();
    await row.getByText("发票打印不出来").waitFor();
    expect(await englishWords(page, ticketPrefix)).toEqual([]);

    await row.click();
    const view = page.locator(`[data-conversation="${id}"]`);
    await view.locator('.msg[data-direction="inbound"]').waitFor();
    await expect(view.locator("h2").textContent()).resolves.toContain("发票打印不出来");
    await view.locator(".msg.outbound .delivery").first().waitFor();
    await page.locator('.side-panel [data-field="contact-name"]').getByText("李秀英").waitFor();
    expect(await englishWords(page, ticketPrefix)).toEqual([]);

    // pinyin confirmed with (Ctrl+)Enter stays in the box, in each browser's order of events
    const box = view.locator("textarea[name=message]");
    for (const order of ["chrome", "safari", "plain-after-end"] as const) {
      await box.fill("nihao");
      await composeAndConfirm(page, order);
      await expect(box.inputValue(), order).resolves.toBe("nihao");
    }
    await box.fill("你好，请问发票抬头是什么？");
    await box.press("Control+Enter");
    await view.locator('.msg[data-direction="outbound"]').filter({ hasText: "发票抬头" }).waitFor();
    await expect(view.locator(".msg").filter({ hasText: "nihao" }).count()).resolves.toBe(0);

    for (const [path, ready] of [
      [`/tickets/${ticketId}`, `.ticket-panel[data-ticket-id="${ticketId}"] .tl-event`],
      [`/contacts/${contactId}`, `[data-contact-id="${contactId}"] .history`],
      ["/supervisor", `.supervisor [data-conversation-id="${id}"]`],
      ["/settings/widget", ".widget-form"],
      ["/settings/trunks", ".trunk-settings h2"],
      ["/settings/phone", '.device [data-field="extension"]'],
      ["/calls", ".call-filters"],
    ] as const) {
      await page.goto(`${server.url}${path}`);
      await page.locator(ready).first().waitFor();
      expect(await englishWords(page, ticketPrefix), path).toEqual([]);
    }
  });
});
