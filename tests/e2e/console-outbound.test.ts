import { afterAll, describe, expect, it } from "vitest";
import { api, createTestTenant } from "../src/harness.ts";
import { outboundTrunk, sippProvider } from "../src/outbound-kit.ts";
import { callChange } from "../src/phone-kit.ts";
import { expectAccessible } from "./axe-kit.ts";
import { browserRtp, softphoneConsole } from "./softphone-kit.ts";
import { ARTIFACTS, browserForFile, signIn, type ClockedServer } from "./support.ts";

// Calling out from the console (issue 11, step 9), in Chromium with the real softphone, the
// server's call controller and its own rtpengine, and sipp as the provider behind the tenant's
// trunk: the admin sets the outbound limits on the trunks page; the agent's call to a number the
// limits refuse says so; "呼叫" beside the customer's number on a ticket reaches the provider with
// audio both ways, and once hung up the call and its recording are on that ticket. Needs `npm run build` first.

let server: ClockedServer;
const portMin = 30000 + Math.floor(Math.random() * 90) * 100;
const { openConsole } = browserForFile((s) => (server = s), {
  media: true,
  env: { SIP_UDP_PORT: "0", RTPENGINE_URL: "own", RTP_PORT_MIN: String(portMin), RTP_PORT_MAX: String(portMin + 99) },
});
const stops: (() => void)[] = [];
afterAll(() => stops.forEach((stop) => stop()));

const CUSTOMER = "+8613912345678";

describe("calling out from the console", () => {
  it("keeps to the admin's outbound limits, and a call from a ticket reaches the customer, recorded on that ticket", async () => {
    const tenant = await createTestTenant(server, "云账房");
    const admin = api(server, tenant.admin);
    const agent = tenant.users.agent;
    const contact = await admin.post("/api/contacts").send({ name: "王建国", identities: [{ kind: "phone", value: CUSTOMER }] });
    expect(contact.status, JSON.stringify(contact.body)).toBe(201);
    const ticket = await admin.post("/api/tickets").send({ subject: "回访：发票打印不出来", contactId: contact.body.data.id });
    expect(ticket.status, JSON.stringify(ticket.body)).toBe(201);
    const ticketId = ticket.body.data.id as string;
    const provider = await sippProvider("answers");
    stops.push(provider.stop);
    await outboundTrunk(server, tenant, provider);

    // the admin: international is off by default; a denied prefix that is not one is named under the field
    const adminPage = await openConsole();
    await signIn(adminPage, tenant.admin);
    await adminPage.locator('[data-nav="trunk-settings"]').click();
    const limits = adminPage.locator('form[data-form="outbound-limits"]');
    await limits.getByText("Outbound call limits").waitFor();
    await expect(limits.getByLabel("International numbers").isChecked()).resolves.toBe(false);
    await limits.getByLabel("Number prefixes never dialled").fill("168");
    await limits.locator('[data-action="save-outbound-limits"]').click();
    await limits.locator('[data-error="deniedPrefixes"]').getByText('"168" is not a number prefix: start it with + and write digits only.').waitFor();
    await expectAccessible(adminPage, "the outbound limits with an error");
    await limits.getByLabel("Number prefixes never dialled").fill("+86 168\n+86170");
    await limits.locator('[data-action="save-outbound-limits"]').click();
    await limits.locator('[data-field="outbound-saved"]').getByText("Outbound limits saved.").waitFor();
    expect((await admin.get("/api/voice/outbound-limits")).body.data).toEqual({ national: true, mobile: true, international: false, deniedPrefixes: ["+86168", "+86170"] });

    // the agent, in Chinese on a phone-width screen: an international number is refused, and the phone bar says why
    const page = await softphoneConsole(openConsole, server, agent, "zh-CN", { width: 390, height: 844 });
    const bar = page.locator(".phone-bar");
    await bar.getByText("电话就绪").waitFor();
    await bar.locator('[data-action="toggle-dialpad"]').click();
    const pad = page.locator('[data-panel="dialpad"]');
    await pad.getByLabel("要拨打的号码").fill("+442079460000");
    await pad.locator('[data-action="dial"]').click();
    await page.locator('[data-field="last-call"][data-cause="destination-not-allowed"]').getByText("外呼限制不允许拨打这个号码").waitFor();
    await expectAccessible(page, "a call refused by the outbound limits (zh-CN, 390 px)");
    await page.screenshot({ path: `${ARTIFACTS}console-outbound-refused-390.png` });

    // from the ticket: the customer's number is called for this ticket, and the provider answers with its audio echoed
    await page.goto(`${server.url}/tickets/${ticketId}`);
    await bar.getByText("电话就绪").waitFor();
    const bridged = callChange(server, (c) => c.direction === "outbound" && c.state === "bridged", "the customer's answer bridged", 30_000);
    await page.getByRole("button", { name: `用电话呼叫 ${CUSTOMER}` }).click();
    const panel = page.locator('[data-panel="call"][data-call-status="active"]');
    await panel.getByText("通话中").waitFor();
    const call = await bridged;
    await expect.poll(async () => (await browserRtp(page)).received, { timeout: 15_000 }).toBeGreaterThanOrEqual(25);
    expect((await browserRtp(page)).sent).toBeGreaterThanOrEqual(25);

    const recorded = callChange(server, (c) => c.sipCallId === call.sipCallId && c.state === "ended" && c.recordingId !== null, "the recording kept", 30_000);
    await panel.locator('[data-action="hang-up"]').click();
    await page.locator('[data-field="last-call"][data-cause="hung-up"]').waitFor();
    const ended = await recorded;
    const run = await provider.done;
    expect(run.code, `${run.output.slice(-2000)}\n${run.errors}`).toBe(0);

    const cdr = await server.deps.db.selectFrom("calls").selectAll().where("sip_call_id", "=", call.sipCallId).executeTakeFirstOrThrow();
    expect(cdr).toMatchObject({ direction: "outbound", to_number: CUSTOMER, agent_id: agent.id, disposition: "answered", hangup_side: "agent", recording_id: ended.recordingId });
    const conversation = await server.deps.db.selectFrom("conversations").select("ticket_id").where("id", "=", call.conversationId!).executeTakeFirstOrThrow();
    expect(conversation.ticket_id).toBe(ticketId);

    // the ticket's timeline shows the call out with its recording
    await page.reload();
    const entry = page.locator('.timeline [data-kind="call"]');
    await entry.locator('[data-field="direction"]').getByText("呼出").waitFor();
    await entry.locator("audio").waitFor({ state: "attached" });
    await expectAccessible(page, "the call out on its ticket (zh-CN, 390 px)");
  });

  it("lets the agent hear the carrier's announcement before the customer answers (183 early media)", async () => {
    const tenant = await createTestTenant(server, "云账房");
    const provider = await sippProvider("early-media");
    stops.push(provider.stop);
    await outboundTrunk(server, tenant, provider);
    const page = await softphoneConsole(openConsole, server, tenant.users.agent);
    const bar = page.locator(".phone-bar");
    await bar.getByText("Phone ready").waitFor();
    await bar.locator('[data-action="toggle-dialpad"]').click();
    const pad = page.locator('[data-panel="dialpad"]');
    await pad.getByLabel("Number to call").fill("13900139000");
    await pad.locator('[data-action="dial"]').click();

    // still calling, and the far end's audio already plays in the browser
    const calling = page.locator('[data-panel="call"][data-call-status="calling"]');
    await calling.waitFor();
    await expect.poll(async () => (await browserRtp(page)).received, { timeout: 10_000 }).toBeGreaterThanOrEqual(25);
    await expect(calling.count()).resolves.toBe(1);
    const early = await server.deps.db.selectFrom("calls").select(["answered_at", "ringing_at"]).where("tenant_id", "=", tenant.id).executeTakeFirstOrThrow();
    expect(early.answered_at).toBeNull();
    expect(early.ringing_at).not.toBeNull();

    // then the customer answers: the same audio path goes on, and the agent hangs up
    const panel = page.locator('[data-panel="call"][data-call-status="active"]');
    await panel.waitFor({ timeout: 15_000 });
    const before = (await browserRtp(page)).received;
    await expect.poll(async () => (await browserRtp(page)).received, { timeout: 10_000 }).toBeGreaterThan(before + 25);
    await panel.locator('[data-action="hang-up"]').click();
    await page.locator('[data-field="last-call"][data-cause="hung-up"]').waitFor();
    const run = await provider.done;
    expect(run.code, `${run.output.slice(-2000)}\n${run.errors}`).toBe(0);
  });
});
