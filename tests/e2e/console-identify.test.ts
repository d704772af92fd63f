import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { api } from "../src/harness.ts";
import { acceptFromToast, ARTIFACTS, availableAgent, CUSTOMER_NAME, goAvailable, hostPage, hotline, send, stageForFile, startStage, type Hotline, type Stage } from "./flows-kit.ts";
import { signIn } from "./support.ts";

// The console's screen pop for an unknown web-chat visitor: the agent identifies them by phone
// (the visitor is merged into the known customer) or creates their contact; it sticks on reload.
// The same from the ticket's own page, where the chat has ended and no conversation is open.

let stage: Stage;
stageForFile(startStage, (s) => (stage = s));

/** A widget without a pre-chat form: the visitor writes straight away, as an anonymous "Visitor 1234". */
async function anonymousWidget(h: Hotline): Promise<string> {
  const res = await api(stage.server, h.tenant.admin)
    .post("/api/widget-configs")
    .send({ name: "产品页", allowedOrigins: [stage.hostOrigin], defaultQueueId: h.queueId, preChatForm: { name: "off", phone: "off", company: "off", verificationCode: "off" } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data.publicKey as string;
}

/** A visitor on the host page opens the widget and writes, without saying who they are. */
async function anonymousVisitorWrites(text: string): Promise<Page> {
  const context = await stage.newContext({ width: 1280, height: 800 });
  const page = await context.newPage();
  await page.goto(stage.hostOrigin);
  await page.locator("[data-testid=launcher]").click();
  await page.locator("#yx-input").waitFor();
  await send(page, text);
  return page;
}

/** A new desk; an anonymous visitor writes `text` and an available agent accepts it from the toast. */
async function anonymousChatAccepted(text: string): Promise<{ h: Hotline; agent: Page; conversationId: string }> {
  const h = await hotline(stage);
  const agent = await availableAgent(stage, h.agents[0]!);
  stage.setHostPage(hostPage(stage, await anonymousWidget(h)));
  await anonymousVisitorWrites(text);
  return { h, agent, conversationId: await acceptFromToast(agent) };
}

async function timelineKinds(h: Hotline, ticketId: string): Promise<{ kind: string; data: Record<string, unknown> }[]> {
  const res = await api(stage.server, h.tenant.admin).get(`/api/tickets/${ticketId}/timeline?limit=200`);
  return res.body.data.items as { kind: string; data: Record<string, unknown> }[];
}

describe("identifying an unknown web-chat visitor in the console", () => {
  it("finds the customer by phone, links them, and the screen pop shows their company and pack, also after reload", async () => {
    const { h, agent, conversationId } = await anonymousChatAccepted("发票打印出来是空白的");

    const panel = agent.locator(".side-panel");
    const unknown = panel.locator('[data-panel="unidentified"]');
    await unknown.waitFor();
    expect(await unknown.locator('[data-field="contact-name"]').textContent()).toBe("Unidentified visitor");

    await unknown.locator('[data-field="identify-value"]').fill("138 0013 8000");
    await unknown.locator('[data-action="identify-find"]').click();
    const match = unknown.locator('[data-field="match"]');
    await match.waitFor();
    expect(await match.textContent()).toContain(CUSTOMER_NAME);
    expect(await match.textContent()).toContain(h.companyName);
    await agent.screenshot({ path: `${ARTIFACTS}console-identify-found.png` });
    await match.locator('[data-action="identify-link"]').click();

    await unknown.waitFor({ state: "detached" });
    const name = panel.locator('[data-field="contact-name"]');
    await name.filter({ hasText: CUSTOMER_NAME }).waitFor();
    expect(await panel.locator('[data-field="company"]').textContent()).toBe(h.companyName);
    expect(await panel.locator('[data-field="service-pack"]').textContent()).toBe("VIP");
    expect(await panel.locator('[data-field="service-status"]').getAttribute("data-status")).toBe("active");
    await agent.screenshot({ path: `${ARTIFACTS}console-identify-linked.png` });

    await agent.reload();
    await agent.locator(`[data-conversation="${conversationId}"]`).waitFor();
    await panel.locator('[data-field="contact-name"]').filter({ hasText: CUSTOMER_NAME }).waitFor();
    expect(await panel.locator('[data-field="company"]').textContent()).toBe(h.companyName);
    expect(await panel.locator('[data-field="service-pack"]').textContent()).toBe("VIP");
    expect(await panel.locator('[data-panel="unidentified"]').count()).toBe(0);

    const conversation = await api(stage.server, h.tenant.admin).get(`/api/conversations/${conversationId}`);
    expect(conversation.body.data.contactId).toBe(h.contactId);
    const ticketId = conversation.body.data.ticketId as string;
    expect((await timelineKinds(h, ticketId)).find((e) => e.kind === "contact_identified")?.data).toMatchObject({ to: CUSTOMER_NAME });
  });

  it("identifies the visitor from the ticket's page after the chat has ended; the ticket is the customer's", async () => {
    const { h, agent, conversationId } = await anonymousChatAccepted("上门维修后打印机还是卡纸");
    const conversation = await api(stage.server, h.tenant.admin).get(`/api/conversations/${conversationId}`);
    const ticketId = conversation.body.data.ticketId as string;
    const ended = await api(stage.server, h.agents[0]!).post(`/api/conversations/${conversationId}/end`).send({});
    expect(ended.status, JSON.stringify(ended.body)).toBe(200);

    await agent.goto(`${stage.server.url}/tickets/${ticketId}`);
    const panel = agent.locator(".side-panel");
    const unknown = panel.locator('[data-panel="unidentified"]');
    await unknown.waitFor();
    await unknown.locator('[data-field="identify-value"]').fill("13800138000");
    await unknown.locator('[data-action="identify-find"]').click();
    const match = unknown.locator('[data-field="match"]');
    await match.waitFor();
    expect(await match.textContent()).toContain(CUSTOMER_NAME);
    await match.locator('[data-action="identify-link"]').click();

    await panel.locator('[data-field="contact-name"]').filter({ hasText: CUSTOMER_NAME }).waitFor();
    expect(await panel.locator('[data-field="service-pack"]').textContent()).toBe("VIP");
    await agent.screenshot({ path: `${ARTIFACTS}console-identify-ticket.png` });
    const ticket = await api(stage.server, h.tenant.admin).get(`/api/tickets/${ticketId}`);
    expect(ticket.body.data.contactId).toBe(h.contactId);
    expect((await timelineKinds(h, ticketId)).find((e) => e.kind === "contact_identified")?.data).toMatchObject({ to: CUSTOMER_NAME });
  });

  it("creates a contact for the visitor at tablet width, in a company picked by name; it sticks on reload", async () => {
    const h = await hotline(stage);
    // a tablet in landscape: the customer panel sits under the conversation
    const agent = await (await stage.newContext({ width: 1024, height: 768 })).newPage();
    await agent.goto(`${stage.server.url}/`);
    await signIn(agent, h.agents[0]!);
    await goAvailable(agent);

    stage.setHostPage(hostPage(stage, await anonymousWidget(h)));
    await anonymousVisitorWrites("想开通增值服务");
    const conversationId = await acceptFromToast(agent);

    const panel = agent.locator(".side-panel");
    const unknown = panel.locator('[data-panel="unidentified"]');
    await unknown.waitFor();
    await unknown.locator('[data-tab="create"]').click();
    await unknown.locator('[data-field="new-name"]').fill("刘洋");
    await unknown.locator('[data-field="new-phone"]').fill("139 1234 5678");
    await unknown.locator('[data-field="company-search"]').fill("华东电气");
    await unknown.locator(".pick-list button", { hasText: h.companyName }).click();
    expect(await unknown.locator('[data-field="picked-company"]').textContent()).toContain(h.companyName);
    await agent.screenshot({ path: `${ARTIFACTS}console-identify-create-tablet.png` });
    await unknown.locator('[data-action="create-contact"]').click();

    await panel.locator('[data-field="contact-name"]').filter({ hasText: "刘洋" }).waitFor();
    expect(await panel.locator('[data-field="company"]').textContent()).toBe(h.companyName);
    expect(await panel.locator(".identities").textContent()).toContain("139 1234 5678");

    await agent.reload();
    await agent.locator(`[data-conversation="${conversationId}"]`).waitFor();
    await panel.locator('[data-field="contact-name"]').filter({ hasText: "刘洋" }).waitFor();
    expect(await panel.locator('[data-field="service-pack"]').textContent()).toBe("VIP");

    const byPhone = await api(stage.server, h.tenant.admin).get("/api/identify?phone=13912345678");
    expect(byPhone.body.data.contact).toMatchObject({ name: "刘洋", anonymous: false });
  });
});
