import type { Page } from "playwright-core";
import { openCallRecord, recordCallEvent } from "@yixian/server/domain";
import { beforeAll, describe, expect, it } from "vitest";
import { systemCtx } from "../../server/src/domain/context.ts";
import { newId } from "../../server/src/platform/ids.ts";
import { api, createTestTenant, type TestTenant } from "../src/harness.ts";
import { DID, silentWav } from "../src/voice-kit.ts";
import { expectAccessible } from "./axe-kit.ts";
import { loadedDuration } from "./softphone-kit.ts";
import { addQueue, ARTIFACTS, browserForFile, setTenantZone, signIn, type ClockedServer } from "./support.ts";

// What agents and supervisors see of calls in the console, in Chromium: a call on its ticket's
// timeline with its recording playing in the page (the attachment route's byte ranges, the
// session cookie), and the same recording from its row on the calls page; in English on a
// desktop and in Chinese on a phone-width screen. Needs `npm run build` first.

let server: ClockedServer;
const { openConsole } = browserForFile((s) => (server = s));

/** The page fits its width: nothing sticks out sideways (wide tables scroll inside their box). */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
}

describe("calls in the console", () => {
  let tenant: TestTenant;
  let ticketId: string;

  beforeAll(async () => {
    tenant = await createTestTenant(server, "云账房");
    await setTenantZone(server, tenant.id, "Asia/Shanghai");
    const agent = tenant.users.agent;
    const queueId = await addQueue(server, tenant.id, "售后热线", [agent.id]);
    const ctx = systemCtx(server.deps, tenant.id);
    const { db } = server.deps;
    // a customer's ticket with the call on it, as the call layer leaves it after the call
    const contact = await db.insertInto("contacts").values({ tenant_id: tenant.id, name: "王小明", custom_fields: "{}" }).returning("id").executeTakeFirstOrThrow();
    const ticket = await api(server, agent).post("/api/tickets").send({ subject: "发票开错了", contactId: contact.id });
    expect(ticket.status, JSON.stringify(ticket.body)).toBe(201);
    ticketId = ticket.body.data.id;
    const conversation = await db
      .insertInto("conversations")
      .values({ id: newId(), tenant_id: tenant.id, channel: "phone", contact_id: contact.id, ticket_id: ticketId, state: "ended", last_seq: 0, started_at: new Date(), external_ref: "e2e-call-1@trunk" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const start = Date.now() - 10 * 60_000;
    const at = (seconds: number) => server.clock.set(new Date(start + seconds * 1000).toISOString());
    at(0);
    const callId = await openCallRecord(ctx, { sipCallId: "e2e-call-1@trunk", direction: "inbound", from: "+8613800138000", to: DID, did: DID, conversationId: conversation.id });
    await recordCallEvent(ctx, callId, { type: "queued", queueId });
    at(12);
    await recordCallEvent(ctx, callId, { type: "answered", agentId: agent.id });
    at(137);
    await recordCallEvent(ctx, callId, { type: "ended", side: "caller" });
    await recordCallEvent(ctx, callId, { type: "rated", score: 4 });
    server.clock.set(new Date().toISOString());
    const recording = await api(server, agent).post("/api/attachments").attach("file", silentWav(3), { filename: "call.wav", contentType: "audio/wav" });
    expect(recording.status, JSON.stringify(recording.body)).toBe(201);
    await recordCallEvent(ctx, callId, { type: "recorded", attachmentId: recording.body.data.id });
    // the call layer notes the recording on the timeline too: one line, the call is shown once
    await db
      .insertInto("timeline_events")
      .values({ tenant_id: tenant.id, ticket_id: ticketId, kind: "call", occurred_at: new Date(), actor_type: "system", conversation_id: conversation.id, data: JSON.stringify({ callId, phase: "recorded", attachmentId: recording.body.data.id }) })
      .execute();
  });

  const LANGS = [
    { locale: "en-US", viewport: { width: 1440, height: 900 }, direction: "Inbound", facts: "+8613800138000 · talked 2:05 · agent agent", answered: "Answered", play: "Play recording", recorded: "kept the call's recording" },
    { locale: "zh-CN", viewport: { width: 390, height: 844 }, direction: "呼入", facts: "+8613800138000 · 通话 2:05 · 坐席 agent", answered: "已接听", play: "播放录音", recorded: "保存了通话录音" },
  ];

  for (const lang of LANGS) {
    it(`plays the recording on the ticket's timeline and from the calls page (${lang.locale}, ${lang.viewport.width} px)`, async () => {
      const page = await openConsole(lang.viewport, lang.locale);
      await signIn(page, tenant.users.quality_inspector);
      await page.goto(`${server.url}/tickets/${ticketId}`);
      const entry = page.locator('.timeline [data-kind="call"]');
      await entry.locator('[data-field="direction"]').getByText(lang.direction).waitFor();
      const facts = await entry.locator('[data-field="call-facts"]').textContent();
      expect(facts).toContain(lang.facts);
      expect(facts).toContain(lang.answered);
      expect(facts).toContain("★★★★");
      expect(await loadedDuration(page, '.timeline [data-kind="call"] audio')).toBeCloseTo(3, 1);
      await expect(page.locator(".timeline audio").count()).resolves.toBe(1);
      await page.locator('.timeline [data-kind="call"]:not([data-call-id])').getByText(lang.recorded).waitFor();
      await expectAccessible(page, `a call on the ticket timeline (${lang.locale})`);
      await expectNoSidewaysScroll(page);
      await page.screenshot({ path: `${ARTIFACTS}console-call-timeline-${lang.viewport.width}.png`, fullPage: true });

      await page.goto(`${server.url}/calls`);
      const row = page.locator("tr[data-call-id]").first();
      await row.locator('[data-field="disposition"]').getByText(lang.answered).waitFor();
      const play = row.locator('[data-action="play-recording"]');
      await expect(play.textContent()).resolves.toBe(lang.play);
      await play.click();
      await expect(play.getAttribute("aria-expanded")).resolves.toBe("true");
      expect(await loadedDuration(page, "tr.call-player audio")).toBeCloseTo(3, 1);
      await expectAccessible(page, `the calls page with a recording open (${lang.locale})`);
      await expectNoSidewaysScroll(page);
      await page.screenshot({ path: `${ARTIFACTS}console-calls-recording-${lang.viewport.width}.png`, fullPage: true });
      await play.click();
      await expect(page.locator("tr.call-player").count()).resolves.toBe(0);
    });
  }
});
