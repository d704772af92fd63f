import { createHash } from "node:crypto";
import type { Page } from "playwright-core";
import { findSipAccount, openCallRecord, recordCallEvent, recordTrunkRegistration } from "@yixian/server/domain";
import { beforeAll, describe, expect, it } from "vitest";
import { systemCtx } from "../../server/src/domain/context.ts";
import { api, createTestTenant, type TestTenant } from "../src/harness.ts";
import { expectAccessible } from "./axe-kit.ts";
import { addQueue, ARTIFACTS, browserForFile, setTenantZone, signIn, type ClockedServer } from "./support.ts";

// The console's phone pages in Chromium: an admin adds, edits and deletes a SIP trunk with its
// numbers (validation and the write-only passwords explained in the form); an agent sets a desk-phone
// password and sees it once; the call records list, page and narrow by filter, in both languages,
// on a desktop and a phone-width screen. Needs `npm run build` first.

let server: ClockedServer;
const { openConsole } = browserForFile((s) => (server = s));

const md5 = (s: string) => createHash("md5").update(s).digest("hex");

/** The page fits its width: nothing sticks out sideways (wide tables scroll inside their box). */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
}

describe("the phone trunks page", () => {
  it("lets an admin add a trunk with a number and a queue, see it listed, edit it (passwords again or removed) and delete it", async () => {
    const tenant = await createTestTenant(server, "云账房");
    const queueId = await addQueue(server, tenant.id, "售后热线", [tenant.users.agent.id]);
    // another tenant's trunk holds a number already
    const otherNumber = `+86400${String(Date.now()).slice(-7)}`;
    const other = await createTestTenant(server, "别家");
    expect((await api(server, other.admin).post("/api/voice/trunks").send({ name: "别家中继", hosts: ["198.51.100.20"], allowedSources: ["198.51.100.20"], dids: [{ number: otherNumber, label: null, queueId: null }] })).status).toBe(201);

    const agentPage = await openConsole();
    await signIn(agentPage, tenant.users.agent);
    await expect(agentPage.locator('[data-nav="trunk-settings"]').count()).resolves.toBe(0);

    const page = await openConsole();
    await signIn(page, tenant.admin);
    await page.locator('[data-nav="trunk-settings"]').click();
    await page.getByText("No trunk yet. Add one so that customers can call in.").waitFor();
    await expectAccessible(page, "the trunks page without trunks");

    // saving an empty form says what is missing, under each input, and moves the focus to the first
    await page.locator('[data-action="add-trunk"]').click();
    const form = page.locator('form[data-trunk-form="new"]');
    await form.locator('[data-action="save-trunk"]').click();
    await form.getByText("Give the trunk a name.").waitFor();
    await form.getByText("Give at least one carrier host.").waitFor();
    await form.getByText("List allowed source addresses, or turn on digest authentication.").waitFor();
    await page.waitForFunction(() => document.activeElement?.getAttribute("name") === "name");
    await expect(form.getByLabel("Name", { exact: true }).getAttribute("aria-invalid")).resolves.toBe("true");
    await expectAccessible(page, "the trunk form with its errors");
    await page.screenshot({ path: `${ARTIFACTS}console-trunk-form-errors.png`, fullPage: true });

    await form.getByLabel("Name", { exact: true }).fill("电信 SIP 中继");
    await form.getByLabel("Carrier hosts").fill("198.51.100.10:5060");
    await form.getByLabel("Allowed source addresses").fill("198.51.100.0/28");
    await form.getByLabel(/Require digest authentication/).check();
    await form.getByLabel("User name", { exact: true }).fill("carrier");
    await form.getByLabel("Password", { exact: true }).fill("a long digest secret");
    await form.getByLabel(/Caller-ID/).fill("+864001234567");
    await form.locator('[data-action="add-did"]').click();
    const did = form.locator('[data-did-row="0"]');
    await did.getByLabel("Number", { exact: true }).fill("4001234567");
    await form.locator('[data-action="save-trunk"]').click();
    await did.getByText("Use the international format, such as +864001234567.").waitFor();
    await did.getByLabel("Number", { exact: true }).fill("+864001234567");
    await did.getByLabel("Label").fill("400 热线");
    await did.getByLabel("Queue").selectOption({ label: "售后热线" });
    // a number another trunk holds: refused by the server, said in the console's words
    await form.locator('[data-action="add-did"]').click();
    await form.locator('[data-did-row="1"]').getByLabel("Number", { exact: true }).fill(otherNumber);
    await form.locator('[data-action="save-trunk"]').click();
    await form.locator('[data-field="save-error"]').getByText("This number already lands on another trunk.").waitFor();
    await form.locator('[data-did-row="1"] [data-action="remove-did"]').click();
    await form.locator('[data-action="save-trunk"]').click();
    await page.locator('[data-field="saved"]').waitFor();

    const card = page.locator("[data-trunk-id]");
    await card.locator('[data-did="+864001234567"]').getByText("400 热线 → 售后热线").waitFor();
    await card.locator("code", { hasText: "carrier" }).waitFor();
    const trunkId = (await card.getAttribute("data-trunk-id"))!;
    const stored = await api(server, tenant.admin).get(`/api/voice/trunks/${trunkId}`);
    expect(stored.body.data).toMatchObject({ name: "电信 SIP 中继", hosts: ["198.51.100.10:5060"], digestUsername: "carrier", callerId: "+864001234567", dids: [{ number: "+864001234567", label: "400 热线", queueId }] });
    await expectAccessible(page, "the trunks page with a trunk");
    // an admin's top bar (every page link) still fits: it wraps instead of pushing the page sideways
    await expectNoSidewaysScroll(page);
    await page.setViewportSize({ width: 1024, height: 768 });
    await expectNoSidewaysScroll(page);
    await page.setViewportSize({ width: 1440, height: 900 });

    // editing: the password is not shown, and the form says an empty one removes digest authentication
    await card.locator('[data-action="edit-trunk"]').click();
    const edit = page.locator(`form[data-trunk-form="${trunkId}"]`);
    await edit.getByText("The saved password is never shown. To keep this, enter the password again; saving with the password empty removes it.").waitFor();
    await edit.locator('[data-field="digest-removed"]').getByText("No password: saving removes digest authentication.").waitFor();
    await expect(edit.getByLabel("Password", { exact: true }).inputValue()).resolves.toBe("");
    await expectAccessible(page, "the trunk form editing a trunk");
    await edit.getByLabel("Password", { exact: true }).fill("a new digest secret!");
    await expect(edit.locator('[data-field="digest-removed"]').count()).resolves.toBe(0);
    await edit.locator('[data-did-row="0"]').getByLabel("Label").fill("400 售后");
    await edit.locator('[data-action="add-did"]').click();
    await edit.locator('[data-did-row="1"]').getByLabel("Number", { exact: true }).fill("+8675512345678");
    await edit.locator('[data-action="save-trunk"]').click();
    await page.locator('[data-field="saved"]').waitFor();
    await card.locator('[data-did="+8675512345678"]').getByText("Navigation rules decide").waitFor();
    const edited = await api(server, tenant.admin).get(`/api/voice/trunks/${trunkId}`);
    expect(edited.body.data.digestUsername).toBe("carrier");
    expect(edited.body.data.dids.map((d: { number: string; label: string | null }) => [d.number, d.label]).sort()).toEqual([
      ["+864001234567", "400 售后"],
      ["+8675512345678", null],
    ]);
    const row = await server.deps.db.selectFrom("sip_trunks").select("digest_ha1_md5").where("id", "=", trunkId).executeTakeFirstOrThrow();
    expect(row.digest_ha1_md5).toBe(md5(`carrier:${server.deps.config.sipRealm}:a new digest secret!`));

    // saved with the password left empty: digest authentication is gone, as the form said
    await card.locator('[data-action="edit-trunk"]').click();
    await edit.locator('[data-field="digest-removed"]').waitFor();
    await edit.locator('[data-action="save-trunk"]').click();
    await page.locator('[data-field="saved"]').waitFor();
    expect((await api(server, tenant.admin).get(`/api/voice/trunks/${trunkId}`)).body.data.digestUsername).toBeNull();
    await page.screenshot({ path: `${ARTIFACTS}console-trunks.png`, fullPage: true });

    await card.locator('[data-action="remove-trunk"]').click();
    await card.getByText("Delete the trunk “电信 SIP 中继”? Its numbers stop taking calls.").waitFor();
    await card.locator('[data-action="confirm-remove"]').click();
    await page.getByText("No trunk yet. Add one so that customers can call in.").waitFor();
    expect((await api(server, tenant.admin).get("/api/voice/trunks")).body.data).toEqual([]);
  });
});

describe("a trunk's registration at its provider", () => {
  const LANGS = [
    { locale: "en-US", viewport: { width: 1440, height: 900 }, registered: "Registered", failing: "Failing", reason: "Reason: 403 Forbidden", pending: "Not registered yet (the server is on it)" },
    { locale: "zh-CN", viewport: { width: 390, height: 844 }, registered: "已注册", failing: "注册失败", reason: "原因：403 Forbidden", pending: "尚未注册（服务器正在处理）" },
  ];
  it.each(LANGS)("shows on each trunk's card whether it is registered, failing and why, or not yet, and follows changes live ($locale, $viewport.width px)", async (lang) => {
    const tenant = await createTestTenant(server, "云账房");
    const trunk = async (name: string, registrar: string) => {
      const res = await api(server, tenant.admin)
        .post("/api/voice/trunks")
        .send({ name, hosts: [registrar], allowedSources: ["198.51.100.30"], registration: { registrar, username: "yx", password: "provider secret 1", expiresSeconds: 600 } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.data.id as string;
    };
    const telecom = await trunk("电信", "sip.telecom.example");
    const unicom = await trunk("联通", "sip.unicom.example");
    const mobile = await trunk("移动", "sip.mobile.example");
    // this server opens no SIP port, so no node registers them: the states are the ones a node would write
    const now = server.deps.clock.now();
    await server.deps.db
      .insertInto("sip_trunk_registrations")
      .values([
        { trunk_id: telecom, holder: "node-a", lease_expires_at: new Date(now.getTime() + 60_000), state: "registered", changed_at: now, expires_at: new Date(now.getTime() + 600_000) },
        { trunk_id: unicom, holder: "node-a", lease_expires_at: new Date(now.getTime() + 60_000), state: "failing", reason: "403 Forbidden", changed_at: now },
      ])
      .execute();

    const page = await openConsole(lang.viewport, lang.locale);
    await signIn(page, tenant.admin);
    await page.locator('[data-nav="trunk-settings"]').click();
    const state = (id: string) => page.locator(`[data-trunk-id="${id}"] [data-registration]`);
    await state(telecom).getByText(lang.registered).waitFor();
    await state(unicom).getByText(lang.failing).waitFor();
    await state(unicom).getByText(lang.reason).waitFor();
    await state(mobile).getByText(lang.pending).waitFor();
    await expectAccessible(page, `the trunks page with registration states (${lang.locale})`);
    await expectNoSidewaysScroll(page);
    await page.screenshot({ path: `${ARTIFACTS}console-trunk-registration-${lang.locale}.png`, fullPage: true });

    // the failing one registers on its next try: the card follows without a reload
    await recordTrunkRegistration(server.deps, { id: unicom, tenantId: tenant.id }, "node-a", { state: "registered", expiresAt: new Date(now.getTime() + 600_000) });
    await state(unicom).getByText(lang.registered).waitFor();
    await expect(state(unicom).locator('[data-field="registration-reason"]').count()).resolves.toBe(0);
  });
});

describe("my desk phone", () => {
  it("shows an agent what a desk phone needs and a new password once, on a phone-width screen in Chinese; an admin sets one for a colleague", async () => {
    const tenant = await createTestTenant(server, "云账房");
    const agent = tenant.users.agent;
    const page = await openConsole({ width: 390, height: 844 }, "zh-CN");
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    await signIn(page, agent);
    await page.locator('[data-nav="my-phone"]').click();
    const device = page.locator(`.device[data-user-id="${agent.id}"]`);
    await device.locator('[data-field="extension"]').getByText("1001").waitFor();
    await device.locator('[data-field="sip-username"]').getByText(`${tenant.slug}.1001`).waitFor();
    await device.locator('[data-field="realm"]').getByText(server.deps.config.sipRealm).waitFor();
    await device.locator('[data-field="server"]').getByText(server.deps.config.sipAddress).waitFor();
    // this server opens no UDP/TCP port for SIP: the agent is told so, not given a port that answers nothing
    expect(server.deps.config.sipUdpPort).toBeNull();
    await device.locator('[data-field="ports"]').getByText("本服务器未开启桌面话机（UDP/TCP/TLS）", { exact: false }).waitFor();
    await device.getByText("没有已注册的话机。").waitFor();
    await expectNoSidewaysScroll(page);
    await expectAccessible(page, "my desk phone");

    await device.locator('[data-action="new-password"]').click();
    await device.getByText("设置新密码后，用旧密码注册的话机会断开，需要在话机里填写新密码。").waitFor();
    await device.locator('[data-action="confirm-password"]').click();
    const once = device.locator('[data-field="once-password"]');
    await once.getByText("这个密码只显示这一次。请现在填进话机或复制保存；离开或刷新此页后就看不到了，只能重新设置。").waitFor();
    const password = await once.getByLabel("新的话机密码").inputValue();
    expect(password).toMatch(/^[A-Za-z0-9]{16}$/);
    // the password shown is the one the registrar checks
    const account = await findSipAccount(server.deps, `${tenant.slug}.1001`);
    expect(account?.device.md5).toBe(md5(`${tenant.slug}.1001:${server.deps.config.sipRealm}:${password}`));
    await once.locator('[data-action="copy-password"]').click();
    await once.locator('[data-field="copy-state"]').getByText("已复制。").waitFor();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(password);
    await expectNoSidewaysScroll(page);
    await expectAccessible(page, "my desk phone with the new password");
    await page.screenshot({ path: `${ARTIFACTS}console-my-phone-390.png`, fullPage: true });

    // reloaded: the password is not shown again
    await page.reload();
    await device.locator('[data-field="extension"]').waitFor();
    await expect(page.locator('[data-field="once-password"]').count()).resolves.toBe(0);
    await expect(page.content()).resolves.not.toContain(password);

    // a desk phone registered over TLS is listed as TLS with the desk phones
    await server.deps.db
      .insertInto("sip_registrations")
      .values({ username: `${tenant.slug}.1001`, contact: "<sip:desk@127.0.0.1:50610;transport=tls>", tenant_id: tenant.id, user_id: agent.id, transport: "tls", flow: "", user_agent: "Yealink T54W", expires_at: new Date(server.deps.clock.now().getTime() + 600_000) })
      .execute();

    // an admin picks a colleague and sets theirs
    const admin = await openConsole();
    await signIn(admin, tenant.admin);
    await admin.locator('[data-nav="my-phone"]').click();
    await admin.getByLabel("Whose phone").selectOption(agent.id);
    const theirs = admin.locator(`.device[data-user-id="${agent.id}"]`);
    await theirs.locator('[data-field="extension"]').getByText("1001").waitFor();
    await theirs.locator('[data-field="registrations"]').getByText("TLS").waitFor();
    await theirs.locator('[data-field="registrations"]').getByText("Yealink T54W", { exact: false }).waitFor();
    await expectAccessible(admin, "a colleague's desk phone registered over TLS");
    await theirs.locator('[data-action="new-password"]').click();
    await theirs.locator('[data-action="confirm-password"]').click();
    const next = await theirs.locator('[data-field="once-password"]').getByLabel("New desk-phone password").inputValue();
    expect(next).not.toBe(password);
    expect((await findSipAccount(server.deps, `${tenant.slug}.1001`))?.device.md5).toBe(md5(`${tenant.slug}.1001:${server.deps.config.sipRealm}:${next}`));
  });
});

describe("the calls page", () => {
  let tenant: TestTenant;
  const DAY = 86_400_000;
  /** A day in Shanghai (no daylight saving: +08:00), as a date input writes it. */
  const shanghaiDay = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
  const now = Date.now();
  const [twoDaysAgo, yesterday, lastWeek] = [shanghaiDay(now - 2 * DAY), shanghaiDay(now - DAY), shanghaiDay(now - 5 * DAY)];

  beforeAll(async () => {
    tenant = await createTestTenant(server, "云账房");
    await setTenantZone(server, tenant.id, "Asia/Shanghai");
    const queueId = await addQueue(server, tenant.id, "售后热线", [tenant.users.agent.id]);
    const ctx = systemCtx(server.deps, tenant.id);
    const agentId = tenant.users.agent.id;
    const at = (day: string, time: string, seconds = 0) => server.clock.set(new Date(Date.parse(`${day}T${time}+08:00`) + seconds * 1000).toISOString());
    // 50 outbound calls last week: the first page ends among them
    for (let i = 0; i < 50; i += 1) {
      at(lastWeek, "08:00:00", i * 60);
      const id = await openCallRecord(ctx, { sipCallId: `out-${i}`, direction: "outbound", from: "+864001234567", to: `+86755123${String(i).padStart(5, "0")}` });
      await recordCallEvent(ctx, id, { type: "answered", agentId });
      at(lastWeek, "08:00:30", i * 60);
      await recordCallEvent(ctx, id, { type: "ended", side: "agent" });
    }
    // two days ago: an answered call with hold and a rating, and one abandoned in the queue
    at(twoDaysAgo, "10:00:00");
    const answered = await openCallRecord(ctx, { sipCallId: "answered-1", direction: "inbound", from: "+8613800138000", to: "+864001234567", did: "+864001234567" });
    await recordCallEvent(ctx, answered, { type: "queued", queueId });
    at(twoDaysAgo, "10:00:25");
    await recordCallEvent(ctx, answered, { type: "answered", agentId });
    at(twoDaysAgo, "10:01:00");
    await recordCallEvent(ctx, answered, { type: "held" });
    at(twoDaysAgo, "10:01:30");
    await recordCallEvent(ctx, answered, { type: "resumed" });
    at(twoDaysAgo, "10:02:25");
    await recordCallEvent(ctx, answered, { type: "ended", side: "caller" });
    await recordCallEvent(ctx, answered, { type: "rated", score: 4 });
    at(twoDaysAgo, "11:00:00");
    const abandoned = await openCallRecord(ctx, { sipCallId: "abandoned-1", direction: "inbound", from: "+8613900139000", to: "+864001234567", did: "+864001234567" });
    await recordCallEvent(ctx, abandoned, { type: "queued", queueId });
    at(twoDaysAgo, "11:00:40");
    await recordCallEvent(ctx, abandoned, { type: "ended", side: "caller", cause: "CANCEL" });
    // yesterday: nobody answered
    at(yesterday, "09:00:00");
    const missed = await openCallRecord(ctx, { sipCallId: "missed-1", direction: "inbound", from: "+8613700137000", to: "+864001234567", did: "+864001234567" });
    at(yesterday, "09:00:05");
    await recordCallEvent(ctx, missed, { type: "ended", side: "system", cause: "no agent" });
    server.clock.set(new Date().toISOString());
  });

  const LANGS = [
    { locale: "en-US", viewport: { width: 1440, height: 900 }, answered: "Answered", abandoned: "Abandoned", missed: "Missed", shown: (n: number) => `${n} shown`, more: "Load more", none: "No calls match." },
    { locale: "zh-CN", viewport: { width: 390, height: 844 }, answered: "已接听", abandoned: "放弃", missed: "未接", shown: (n: number) => `已显示 ${n} 条`, more: "加载更多", none: "没有符合条件的通话。" },
  ] as const;

  it.each(LANGS)("lists the call records a page at a time and narrows them by day, outcome and number ($locale, $viewport.width px)", async (lang) => {
    const page = await openConsole(lang.viewport, lang.locale);
    await signIn(page, tenant.users.supervisor);
    await page.locator('[data-nav="calls"]').click();
    const rows = page.locator("tr[data-call-id]");
    await page.locator('[data-field="calls-shown"]').getByText(lang.shown(50)).waitFor();
    // newest first: yesterday's missed call, then the two of two days ago
    const first = rows.nth(0);
    await first.getByText("+8613700137000").waitFor();
    await expect(first.locator('[data-field="disposition"]').textContent()).resolves.toBe(lang.missed);
    const answered = rows.filter({ hasText: "+8613800138000" });
    // waited 25 s, talked 90 s of the 120 s answered (30 s on hold), rated 4
    await expect(answered.locator("td").allTextContents()).resolves.toEqual(expect.arrayContaining([lang.answered, "0:25", "1:30", "0:30", "4", "售后热线"]));
    await expectNoSidewaysScroll(page);
    await expectAccessible(page, `the calls page (${lang.locale})`);
    await page.screenshot({ path: `${ARTIFACTS}console-calls-${lang.viewport.width}.png`, fullPage: true });

    await page.getByRole("button", { name: lang.more }).click();
    await page.locator('[data-field="calls-shown"]').getByText(lang.shown(53)).waitFor();
    await expect(page.getByRole("button", { name: lang.more }).count()).resolves.toBe(0);

    // the day two days ago, from and to: its two calls
    const filters = page.locator("form.call-filters");
    await filters.locator('input[name="from"]').fill(twoDaysAgo);
    await filters.locator('input[name="to"]').fill(twoDaysAgo);
    await filters.locator('[data-action="filter-calls"]').click();
    await page.locator('[data-field="calls-shown"]').getByText(lang.shown(2)).waitFor();
    await expect(rows.locator('[data-field="disposition"]').allTextContents()).resolves.toEqual([lang.abandoned, lang.answered]);

    // abandoned only, on any day: the export link carries the same filter
    await filters.locator('[data-action="reset-calls"]').click();
    // the unfiltered list as it was: both pages
    await page.locator('[data-field="calls-shown"]').getByText(lang.shown(53)).waitFor();
    await filters.locator('select[name="disposition"]').selectOption("abandoned");
    await filters.locator('[data-action="filter-calls"]').click();
    await page.locator('[data-field="calls-shown"]').getByText(lang.shown(1)).waitFor();
    await rows.getByText("+8613900139000").waitFor();
    const href = (await page.locator('[data-action="export-calls"]').getAttribute("href"))!;
    expect(href).toContain("disposition=abandoned");
    const csv = await page.evaluate((url) => fetch(url).then((r) => r.text()), href);
    expect(csv).toContain("+8613900139000");
    expect(csv).not.toContain("+8613800138000");

    // part of a number, with the outcome cleared
    await filters.locator('select[name="disposition"]').selectOption("");
    await filters.locator('input[name="number"]').fill("13700");
    await filters.locator('[data-action="filter-calls"]').click();
    await page.locator('[data-field="calls-shown"]').getByText(lang.shown(1)).waitFor();
    await rows.getByText("+8613700137000").waitFor();
    await filters.locator('input[name="number"]').fill("99999");
    await filters.locator('[data-action="filter-calls"]').click();
    await page.locator('[data-field="no-calls"]').getByText(lang.none).waitFor();
  });
});
