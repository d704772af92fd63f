import { endCall, openCallRecord, recordCallEvent, systemCtx } from "@yixian/server/domain";
import { describe, expect, it } from "vitest";
import type { SipRequest } from "../../telephony/src/sip/index.ts";
import { api, createTestTenant } from "../src/harness.ts";
import { expectAccessible } from "./axe-kit.ts";
import { onInvite } from "./softphone-kit.ts";
import { ARTIFACTS, browserForFile, signIn, type ClockedServer } from "./support.ts";

// The missed-call list on the console's calls page, in Chinese on a phone-width screen: a caller
// who hangs up in the queue appears live (a repeat call folds into the same entry), Call back
// claims it for the agent and dials the number from the softphone (its INVITE reaches the
// server), and the agent records the outcome. Needs `npm run build` first.

let server: ClockedServer;
const { openConsole } = browserForFile((s) => (server = s), { media: true });

const CALLER = "+8613800138000";

/** The caller of a phone conversation hangs up after waiting `waitedMs` in the queue, as the call controller reports it (CDR queued, then the caller's hang-up). */
async function callerHangsUp(tenantId: string, queueId: string, conversationId: string, waitedMs: number): Promise<void> {
  const ctx = systemCtx(server.deps, tenantId);
  const callRecordId = await openCallRecord(ctx, { sipCallId: `call-${conversationId}`, direction: "inbound", from: CALLER, to: "+864008001234", did: "+864008001234", conversationId });
  await recordCallEvent(ctx, callRecordId, { type: "queued", queueId });
  server.clock.advance(waitedMs);
  await endCall(server.deps, { tenantId, conversationId, callRecordId, side: "caller" });
}

describe("missed calls in the console", () => {
  it("lists a caller who hung up in the queue live, folds a repeat call in, and Call back claims it and dials the number (zh-CN, 390 px)", async () => {
    const tenant = await createTestTenant(server, "云账房");
    const admin = api(server, tenant.admin);
    const agent = tenant.users.agent;
    const queue = await admin.post("/api/queues").send({ name: "售后热线", memberIds: [agent.id] });
    expect(queue.status, JSON.stringify(queue.body)).toBe(201);
    const queueId = queue.body.data.id as string;
    const company = await admin.post("/api/companies").send({ name: `华东电气 ${tenant.slug}` });
    expect(company.status, JSON.stringify(company.body)).toBe(201);
    const contact = await admin.post("/api/contacts").send({ name: "王建国", companyId: company.body.data.id, identities: [{ kind: "phone", value: CALLER }] });
    expect(contact.status, JSON.stringify(contact.body)).toBe(201);
    /** A call from the customer waits in the queue (nobody is available) and they hang up. */
    const missedCall = async (waitedMs: number) => {
      const started = await admin.post("/api/conversations").send({ channel: "phone", identity: { kind: "phone", value: CALLER }, queueId });
      expect(started.status, JSON.stringify(started.body)).toBe(201);
      await callerHangsUp(tenant.id, queueId, started.body.data.id as string, waitedMs);
    };

    const page = await openConsole({ width: 390, height: 844 }, "zh-CN");
    await signIn(page, agent);
    await page.locator('.phone-bar[data-softphone-state="registered"]').waitFor();
    await page.locator('[data-nav="calls"]').click();
    const list = page.locator('[data-panel="missed-calls"]');
    await list.getByText("没有待回拨的来电。").waitFor();

    // the caller hangs up after 45 s in the queue: the entry appears without a reload
    await missedCall(45_000);
    const card = list.locator(".missed-call");
    await card.waitFor();
    await expect(card.locator('[data-field="kind"]').textContent()).resolves.toBe("未接来电");
    await expect(card.locator('[data-field="customer"]').textContent()).resolves.toBe(`王建国 · 华东电气 ${tenant.slug}`);
    await expect(card.locator('[data-field="waited"]').textContent()).resolves.toBe("0:45");
    await card.getByText("来电 1 次").waitFor();
    await card.getByText("售后热线").waitFor();

    // they call again and hang up: the same entry, two attempts
    await missedCall(20_000);
    await card.getByText("来电 2 次").waitFor();
    await expect(list.locator(".missed-call").count()).resolves.toBe(1);
    await expectAccessible(page, "the missed-call list (zh-CN, 390 px)");
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    await page.screenshot({ path: `${ARTIFACTS}console-missed-calls-390.png`, fullPage: true });

    // Call back: claimed for this agent, and the softphone dials the number (the far end is busy)
    const invites: SipRequest[] = [];
    const stopInvites = onInvite(server.phone.stack.ua, (invite) => {
      invites.push(invite.request);
      invite.reject(486);
    });
    await card.getByRole("button", { name: `回拨 ${CALLER}` }).click();
    await page.locator('[data-field="last-call"][data-cause="busy"]').getByText("对方忙").waitFor();
    stopInvites();
    expect(invites).toHaveLength(1);
    expect(invites[0]!.uri).toMatchObject({ user: CALLER, host: server.deps.config.sipRealm });
    await card.locator('[data-field="claimed-by"]').getByText("你正在回拨").waitFor();
    const claimed = await server.deps.db.selectFrom("missed_calls").select(["claimed_by", "attempts"]).where("tenant_id", "=", tenant.id).executeTakeFirstOrThrow();
    expect(claimed).toEqual({ claimed_by: agent.id, attempts: 2 });
    await expectAccessible(page, "a missed call claimed, with its outcome form (zh-CN, 390 px)");

    // nobody answered: recorded as such, and the list is empty again
    await card.getByLabel("回拨结果").selectOption({ label: "无人接听" });
    await card.getByLabel("备注（选填）").fill("下午再打");
    await card.locator('[data-action="missed-call-done"]').click();
    await list.getByText("没有待回拨的来电。").waitFor();
    const done = await server.deps.db.selectFrom("missed_calls").select(["outcome", "note", "done_by"]).where("tenant_id", "=", tenant.id).executeTakeFirstOrThrow();
    expect(done).toEqual({ outcome: "no_answer", note: "下午再打", done_by: agent.id });
  });
});
