import { readFileSync } from "node:fs";
import { bookCallback, leaveVoicemail, openCallRecord, recordCallEvent, systemCtx } from "@yixian/server/domain";
import { describe, expect, it } from "vitest";
import { api, createTestTenant, type TestTenant } from "../src/harness.ts";
import { setPresence } from "../src/routing-kit.ts";
import { getHeader, type SipRequest } from "../../telephony/src/sip/index.ts";
import { expectAccessible } from "./axe-kit.ts";
import { onInvite } from "./softphone-kit.ts";
import { ARTIFACTS, browserForFile, signIn, type ClockedServer } from "./support.ts";

// What a caller left in the phone menu, in the console: the offer says what it is (a voicemail to
// play before accepting, a call-back with the number and when it was asked), accepting opens the
// ticket with the work on it, and Done with the outcome finishes it — the agent's call capacity
// is free, the ticket's timeline says how it ended, and a call-back's missed call moves with it
// (a call-back nobody answered waits for its next try).
// Needs `npm run build` first.

let server: ClockedServer;
const { openConsole } = browserForFile((s) => (server = s), { media: true });

const MESSAGE = readFileSync(new URL("../../telephony/prompts/en/voicemail-saved.wav", import.meta.url));

/** A desk: a queue with the tenant's agent, and a known customer calling from `caller`. */
async function desk(caller: string): Promise<{ tenant: TestTenant; queueId: string; company: string }> {
  const tenant = await createTestTenant(server, "云账房");
  const admin = api(server, tenant.admin);
  const queue = await admin.post("/api/queues").send({ name: "售后热线", memberIds: [tenant.users.agent.id] });
  expect(queue.status, JSON.stringify(queue.body)).toBe(201);
  const company = `华东电气 ${tenant.slug}`;
  const created = await admin.post("/api/companies").send({ name: company });
  const contact = await admin.post("/api/contacts").send({ name: "王建国", companyId: created.body.data.id, identities: [{ kind: "phone", value: caller }] });
  expect(contact.status, JSON.stringify(contact.body)).toBe(201);
  return { tenant, queueId: queue.body.data.id as string, company };
}

/** The customer calls, waits (nobody is available) and leaves a voicemail or asks for a call-back, as the IVR stores it. */
async function callerLeaves(d: { tenant: TestTenant; queueId: string }, caller: string, kind: "voicemail" | "callback"): Promise<{ ticketId: string; workItemId: string }> {
  const started = await api(server, d.tenant.admin).post("/api/conversations").send({ channel: "phone", identity: { kind: "phone", value: caller }, queueId: d.queueId });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  const conversationId = started.body.data.id as string;
  const ctx = systemCtx(server.deps, d.tenant.id);
  const callRecordId = await openCallRecord(ctx, { sipCallId: `call-${conversationId}`, direction: "inbound", from: caller, to: "+864008001234", did: "+864008001234", conversationId });
  await recordCallEvent(ctx, callRecordId, { type: "queued", queueId: d.queueId });
  const left = { tenantId: d.tenant.id, conversationId, callRecordId };
  const work = kind === "callback" ? await bookCallback(server.deps, left) : await leaveVoicemail(server.deps, { ...left, wav: MESSAGE, durationMs: 2000, filename: "voicemail.wav" });
  return { ticketId: work.ticketId, workItemId: work.workItemId! };
}

async function voiceLoad(d: { tenant: TestTenant }): Promise<number> {
  const res = await api(server, d.tenant.users.agent).get("/api/presence/me");
  return res.body.data.load.voice as number;
}

describe("voicemail and call-back work in the console", () => {
  it("offers a voicemail to play before accepting; accepting opens its ticket, and Done with the outcome frees the agent and is on the timeline (zh-CN, 390 px)", async () => {
    const caller = "+8613800138001";
    const d = await desk(caller);
    const agent = d.tenant.users.agent;
    const page = await openConsole({ width: 390, height: 844 }, "zh-CN");
    await signIn(page, agent);
    await page.locator('.phone-bar[data-softphone-state="registered"]').waitFor();
    const work = await callerLeaves(d, caller, "voicemail");
    await setPresence(server, agent, "available");

    const offer = page.locator('.toast.offer[data-kind="voicemail"]');
    await offer.waitFor();
    await expect(offer.getAttribute("aria-label")).resolves.toBe("新的语音留言");
    await expect(offer.locator('[data-field="offer-kind"]').textContent()).resolves.toBe("语音留言");
    await expect(offer.locator('[data-field="caller-number"]').textContent()).resolves.toBe(caller);
    await offer.locator('[data-field="caller-at"]').getByText(/^留言时间 /).waitFor();
    // the message plays in the offer: the player has loaded its length
    const audio = offer.locator("audio");
    await expect(audio.getAttribute("aria-label")).resolves.toBe(`收听留言 ${caller}`);
    await page.waitForFunction((el) => el instanceof HTMLAudioElement && el.duration > 1, await audio.elementHandle());
    await expectAccessible(page, "a voicemail offered (zh-CN, 390 px)");
    await page.screenshot({ path: `${ARTIFACTS}console-voicemail-offer-390.png` });

    await offer.locator('[data-action="accept-offer"]').click();
    await page.waitForURL(`**/tickets/${work.ticketId}`);
    const card = page.locator(`.caller-work-card[data-work-item-id="${work.workItemId}"]`);
    await card.waitFor();
    await expect(card.locator('[data-field="kind"]').textContent()).resolves.toBe("语音留言");
    await expect(card.locator('[data-field="customer"]').textContent()).resolves.toBe(`王建国 · ${d.company}`);
    await card.locator("audio").waitFor();
    expect(await voiceLoad(d)).toBe(1);
    await expectAccessible(page, "voicemail work on its ticket (zh-CN, 390 px)");
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    await page.screenshot({ path: `${ARTIFACTS}console-voicemail-work-390.png`, fullPage: true });

    await card.getByLabel("处理结果").selectOption({ label: "已处理，无需回电" });
    await card.getByLabel("备注（选填）").fill("客户已改用邮件联系");
    await card.getByRole("button", { name: `完成 ${caller}` }).click();
    await card.waitFor({ state: "detached" });
    const entry = page.locator('.timeline [data-kind="caller_work_done"]');
    await entry.getByText("处理完了来电者的请求").waitFor();
    await expect(entry.locator(".tl-body").textContent()).resolves.toBe(`语音留言 · ${caller} · 已处理，无需回电 · 客户已改用邮件联系`);
    expect(await voiceLoad(d)).toBe(0);
  });

  it("offers a call-back with the number and when it was asked; accepting claims its missed call, and \"no answer\" puts it back for another try that the list shows (en)", async () => {
    const caller = "+8613800138002";
    const d = await desk(caller);
    const agent = d.tenant.users.agent;
    const page = await openConsole();
    await signIn(page, agent);
    await page.locator('.phone-bar[data-softphone-state="registered"]').waitFor();
    const work = await callerLeaves(d, caller, "callback");
    await setPresence(server, agent, "available");

    const offer = page.locator('.toast.offer[data-kind="callback"]');
    await offer.waitFor();
    await expect(offer.getAttribute("aria-label")).resolves.toBe("New call-back request");
    await expect(offer.locator('[data-field="offer-kind"]').textContent()).resolves.toBe("Call-back request");
    await expect(offer.locator('[data-field="caller-number"]').textContent()).resolves.toBe(caller);
    await offer.locator('[data-field="caller-at"]').getByText(/^Asked at /).waitFor();
    await expect(offer.locator("audio").count()).resolves.toBe(0);
    await expectAccessible(page, "a call-back offered (en)");

    await offer.locator('[data-action="accept-offer"]').click();
    await page.waitForURL(`**/tickets/${work.ticketId}`);
    const card = page.locator(`.caller-work-card[data-work-item-id="${work.workItemId}"]`);
    await card.getByRole("button", { name: `Call back ${caller}` }).waitFor();

    // the Calls page: the work held, and its missed call claimed by this agent
    await page.locator('[data-nav="calls"]').click();
    const held = page.locator(`[data-panel="caller-work"] .caller-work-card[data-work-item-id="${work.workItemId}"]`);
    await held.waitFor();
    const missed = page.locator('[data-panel="missed-calls"] .missed-call');
    await missed.locator('[data-field="claimed-by"]').getByText("You are calling back").waitFor();
    await expectAccessible(page, "caller work and the missed calls on the Calls page (en)");

    // Call back from the Calls page: the call goes on the work's ticket (the customer does not answer)
    const dialled: SipRequest[] = [];
    const stopDialled = onInvite(server.phone.stack.ua, (invite) => {
      dialled.push(invite.request);
      invite.reject(480);
    });
    await held.getByRole("button", { name: `Call back ${caller}` }).click();
    await page.locator('[data-field="last-call"]').waitFor();
    stopDialled();
    expect(dialled.map((r) => getHeader(r, "X-Yixian-Ticket"))).toEqual([work.ticketId]);

    // no answer: the call-back goes back to its queue for another try, and its missed call says so
    await held.getByLabel("Outcome").selectOption({ label: "No answer" });
    await held.getByRole("button", { name: `Done: ${caller}` }).click();
    await held.waitFor({ state: "detached" });
    const open = page.locator('[data-panel="missed-calls"] .missed-call[data-state="open"]');
    await open.locator('[data-field="tries"]').getByText(/^try 1 of 3 unanswered · next try at /).waitFor();
    await expectAccessible(page, "a call-back waiting for its next try (en)");
    const entry = await server.deps.db.selectFrom("missed_calls").select(["outcome", "done_by"]).where("tenant_id", "=", d.tenant.id).executeTakeFirstOrThrow();
    expect(entry).toEqual({ outcome: null, done_by: null });
    const item = await server.deps.db.selectFrom("work_items").select(["state", "callback_tries"]).where("id", "=", work.workItemId).executeTakeFirstOrThrow();
    expect(item).toEqual({ state: "waiting", callback_tries: 1 });
    expect(await voiceLoad(d)).toBe(0);

    // the next try is due (as if ten minutes had passed; the softphone's registration would not): offered again, saying which try it is
    await server.deps.db.updateTable("work_items").set({ retry_at: new Date(server.clock.now().getTime() - 1000) }).where("id", "=", work.workItemId).execute();
    await setPresence(server, agent, "available");
    const again = page.locator('.toast.offer[data-kind="callback"]');
    await again.locator('[data-field="tries"]').getByText("Try 2 of 3 (1 unanswered)").waitFor();
    await expectAccessible(page, "a call-back offered for its second try (en)");
  });
});
