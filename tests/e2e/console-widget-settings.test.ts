import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, createTestTenant } from "../src/harness.ts";
import { ARTIFACTS, browserForFile, signIn, startHostSite, type ClockedServer, type HostSite } from "./support.ts";

// Defect 12: the embed snippet works on a web site only once the site's origin is allowed, and an
// admin sets that on the console's widget settings page (validated, saved, in effect at once).

let server: ClockedServer;
let host: HostSite;
const { newContext, openConsole } = browserForFile((s) => (server = s));

beforeAll(async () => {
  host = await startHostSite();
});
afterAll(async () => {
  await host?.close();
});

describe("the widget settings page", () => {
  it("lets an admin allow a web site's origin, after which the embedded widget loads there", async () => {
    const tenant = await createTestTenant(server, "云账房");
    const created = await api(server, tenant.admin).post("/api/widget-configs").send({ name: "官网", theme: { title: { "zh-CN": "在线客服", en: "Customer service" }, primaryColor: "#0b5cad", textColor: "#ffffff" } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const widgetKey = created.body.data.publicKey as string;
    host.setHostPage(`<!doctype html><html><head><meta charset="utf-8"><title>Host</title></head>
<body><h1>云账房</h1><script src="${server.url}/widget.js" data-key="${widgetKey}" async></script></body></html>`);

    // before: the site's origin is not allowed, so the page may not read the widget's config
    const configUrl = `${server.url}/api/widget/${widgetKey}/config`;
    const fetchFromSite = () => visitor.evaluate((url) => fetch(url).then((r) => String(r.status), () => "blocked"), configUrl);
    const visitor = await (await newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US" })).newPage();
    await visitor.goto(`${host.hostOrigin}/`);
    await expect(fetchFromSite()).resolves.toBe("blocked");

    // an agent sees no settings link; the admin does
    const agentPage = await openConsole();
    await signIn(agentPage, tenant.users.agent);
    await expect(agentPage.locator('[data-nav="widget-settings"]').count()).resolves.toBe(0);

    const page = await openConsole();
    await signIn(page, tenant.admin);
    const settingsLink = page.locator('[data-nav="widget-settings"]');
    await expect(settingsLink.getAttribute("aria-current")).resolves.toBeNull();
    await settingsLink.click();
    const form = page.locator(`form[data-widget-id="${created.body.data.id as string}"]`);
    await form.waitFor();
    // the top bar's link to the page shown is marked as the current one
    await expect(settingsLink.getAttribute("aria-current")).resolves.toBe("page");
    await expect(form.locator('[data-field="snippet"]').textContent()).resolves.toContain(`data-key="${widgetKey}"`);

    // a page address is not an origin: refused before anything is sent
    const origins = form.locator('textarea[name="allowedOrigins"]');
    await origins.fill("www.example.com/shop");
    await form.locator('[data-field="origins-error"]').getByText("www.example.com/shop").waitFor();
    await expect(form.locator('[data-action="save-widget"]').isDisabled()).resolves.toBe(true);

    await origins.fill(`${host.hostOrigin}/`);
    await form.locator('select[name="preChat.name"]').selectOption("required");
    // the header title, one per language: both are needed
    const titleEn = form.getByRole("group", { name: "Header title" }).getByLabel("English");
    await titleEn.fill(" ");
    await expect(form.locator('[data-action="save-widget"]').isDisabled()).resolves.toBe(true);
    await form.getByText("Give the header title in each language.").waitFor();
    await titleEn.fill("Yunzhangfang support");
    await form.getByRole("group", { name: "Header title" }).getByLabel("Chinese").fill("云账房客服");
    await form.locator('[data-action="save-widget"]').click();
    await form.locator('[data-field="saved"]').waitFor();
    await page.screenshot({ path: `${ARTIFACTS}console-widget-settings.png`, fullPage: true });

    const stored = await api(server, tenant.admin).get(`/api/widget-configs/${created.body.data.id as string}`);
    expect(stored.body.data.allowedOrigins).toEqual([host.hostOrigin]);
    expect(stored.body.data.preChatForm.name).toBe("required");
    expect(stored.body.data.theme.title).toEqual({ "zh-CN": "云账房客服", en: "Yunzhangfang support" });

    // after: the same page of that origin now shows the widget
    await visitor.reload();
    await expect(fetchFromSite()).resolves.toBe("200");
    await visitor.locator("[data-testid=launcher]").click();
    // the widget's own title in its header, in the visitor's language: its config arrived on this site
    await visitor.locator("[data-testid=panel] .yx-title").getByText("Yunzhangfang support").waitFor();
    const chineseVisitor = await (await newContext({ viewport: { width: 1280, height: 800 }, locale: "zh-CN" })).newPage();
    await chineseVisitor.goto(`${host.hostOrigin}/`);
    await chineseVisitor.locator("[data-testid=launcher]").click();
    await chineseVisitor.locator("[data-testid=panel] .yx-title").getByText("云账房客服").waitFor();
  });
});
