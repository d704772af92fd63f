import { beforeAll, describe, expect, it } from "vitest";
import { wavSamples } from "../../telephony/src/media/index.ts";
import { sippInstalled, SIPP_MISSING } from "../../telephony/src/sip/interop/sipp.ts";
import { api } from "../src/harness.ts";
import { agentHangsUpCallerRates, callChange, musicOnlyIvr, phoneServerEnv, sippCall, trunkWithNumber } from "../src/phone-kit.ts";
import { setPresence } from "../src/routing-kit.ts";
import { browserRtp, desk, loadedDuration, softphoneConsole } from "./softphone-kit.ts";
import { ARTIFACTS, browserForFile, type ClockedServer } from "./support.ts";

// The whole path of a phone call in Chromium: real sipp as the trunk calls the tenant's number,
// the server's B2BUA and its own rtpengine answer with music, routing offers the call to the
// agent and the console's softphone (JsSIP, fake microphone) rings in the offer's card with the
// caller's company; the agent answers, audio flows both ways through rtpengine, the agent hangs
// up in the console, the caller keys 4 as the rating, and the recording plays on the ticket.
// Needs `npm run build` first.

let server: ClockedServer;
const { openConsole } = browserForFile((s) => (server = s), { media: true, ticking: true, env: phoneServerEnv() });
beforeAll(() => {
  expect(sippInstalled, SIPP_MISSING).toBe(true);
  expect(server.phone.calls, server.phone.mediaStatus).not.toBeNull();
});

const CALLER = "+8613912345678";

describe("a trunk call to the console's softphone", () => {
  it("rings with the caller's company before it is answered, carries audio both ways, is rated 4 by the caller and its recording plays on the ticket", async () => {
    const d = await desk(server, CALLER);
    const number = await trunkWithNumber(server, d.tenant, d.queueId);
    await musicOnlyIvr(server, d.tenant, number);
    const page = await softphoneConsole(openConsole, server, d.agent);
    await setPresence(server, d.agent, "available");

    const waiting = callChange(server, (c) => c.state === "waiting", "the IVR answering");
    const trunk = await sippCall(server, "rates", number, CALLER);
    const { sipCallId } = await waiting;
    const answeredAt = Date.now();

    // the softphone rings in the offer's card: who calls and their company, before anyone answers
    const ringing = page.locator("[data-ringing-call][data-offer-id]");
    await ringing.waitFor();
    await ringing.locator('[data-field="contact"]').getByText("王建国").waitFor();
    await ringing.locator('[data-field="company"]').getByText(d.companyName).waitFor();
    await expect(page.locator(".toast").count()).resolves.toBe(1);
    const offerId = (await ringing.getAttribute("data-offer-id"))!;
    expect(server.phone.calls!.call(sipCallId)).toMatchObject({ state: "waiting", legs: [{ offerId, agentId: d.agent.id, state: "ringing" }] });
    await page.screenshot({ path: `${ARTIFACTS}console-call-ringing.png` });

    // answered in the console: the call is bridged, the conversation opens with the customer panel
    const bridged = callChange(server, (c) => c.sipCallId === sipCallId && c.state === "bridged", "the agent's answer bridged");
    await ringing.locator('[data-action="answer-call"]').click();
    const call = await bridged;
    const offer = await server.deps.db.selectFrom("offers").select(["agent_id", "state"]).where("id", "=", offerId).executeTakeFirstOrThrow();
    expect(offer).toEqual({ agent_id: d.agent.id, state: "accepted" });
    await page.waitForURL(`**/conversations/${call.conversationId}`);
    await page.locator(".side-panel").getByText(d.companyName).first().waitFor();
    // the conversation is named by the call: which way and the caller's number, as people read it
    await page.locator("h2").filter({ hasText: "Call from 139 1234 5678" }).waitFor();
    const panel = page.locator('[data-panel="call"][data-call-status="active"]');
    await panel.waitFor();

    // audio both ways: the browser hears the caller's A-law and sends its microphone; rtpengine has both
    await expect.poll(() => browserRtp(page), { timeout: 10_000 }).toMatchObject({ received: expect.toSatisfy((n: number) => n >= 50), sent: expect.toSatisfy((n: number) => n >= 50) });
    const counts = await server.phone.calls!.packets(sipCallId);
    expect(counts.caller).toBeGreaterThanOrEqual(50);
    const agentPackets = Object.entries(counts).filter(([tag]) => tag !== "caller" && tag !== "ivr").reduce((sum, [, n]) => sum + n, 0);
    expect(agentPackets).toBeGreaterThanOrEqual(50);

    // the agent hangs up in the console: the caller is asked to rate and keys 4
    const { ended, soundMs } = await agentHangsUpCallerRates(server, trunk, sipCallId, answeredAt, () => panel.locator('[data-action="hang-up"]').click());
    await page.locator('[data-field="last-call"][data-cause="hung-up"]').waitFor();

    const { db } = server.deps;
    const conversation = await db.selectFrom("conversations").select(["ticket_id", "contact_id"]).where("id", "=", call.conversationId!).executeTakeFirstOrThrow();
    expect(conversation.contact_id).toBe(d.contactId);
    const rating = await db.selectFrom("ratings").select(["score", "channel"]).where("conversation_id", "=", call.conversationId!).executeTakeFirstOrThrow();
    expect(rating).toEqual({ score: 4, channel: "phone" });
    const cdr = await db.selectFrom("calls").selectAll().where("sip_call_id", "=", sipCallId).executeTakeFirstOrThrow();
    expect(cdr).toMatchObject({ agent_id: d.agent.id, disposition: "answered", hangup_side: "agent", rating: 4, recording_id: ended.recordingId });

    // the recording, as the agent downloads it: a WAV as long as the call, not silent
    const download = await api(server, d.agent)
      .get(`/api/attachments/${ended.recordingId}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => done(null, Buffer.concat(chunks)));
      });
    expect(download.status).toBe(200);
    const wav = wavSamples(download.body as Buffer);
    const seconds = wav.samples.length / 8000;
    expect(Math.abs(seconds * 1000 - soundMs)).toBeLessThan(1000);
    const loud = wav.samples.filter((s) => Math.abs(s) > 500).length;
    expect(loud / wav.samples.length).toBeGreaterThan(0.2);

    // on the ticket's timeline: the call with its rating, and the recording plays in the page
    await page.goto(`${server.url}/tickets/${conversation.ticket_id}`);
    const entry = page.locator('.timeline [data-kind="call"][data-call-id]');
    await entry.locator('[data-field="call-facts"]').getByText(/★★★★/).waitFor();
    expect(await entry.locator('[data-field="call-facts"]').textContent()).not.toContain("★★★★★");
    expect(await loadedDuration(page, '.timeline [data-kind="call"] audio')).toBeCloseTo(seconds, 1);
    await page.screenshot({ path: `${ARTIFACTS}console-call-ticket.png`, fullPage: true });
  });
});
