import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { api } from "../src/harness.ts";
import {
  acceptFromToast,
  ARTIFACTS,
  availableAgent,
  CUSTOMER_NAME,
  goAvailable,
  hostPage,
  hotline,
  mine,
  send,
  stageForFile,
  startStage,
  theirs,
  thread,
  visitorWrites,
  type Stage,
} from "./flows-kit.ts";

// Issue #4's end-to-end flows across both front ends: a customer in the chat widget on another
// web site, agents in the console, all against the real server in Chromium.

let stage: Stage;
stageForFile(startStage, (s) => (stage = s));

interface TimelineEntry {
  kind: string;
  data: Record<string, unknown>;
  message: { text: string; direction: string } | null;
}

/** One word per timeline entry, for checking order: "in:<text>", "out:<text>", "note:<text>", or the kind. */
function label(e: TimelineEntry): string {
  if (e.kind === "message" && e.message) return `${{ inbound: "in", outbound: "out", internal: "note" }[e.message.direction] ?? e.message.direction}:${e.message.text}`;
  if (e.kind === "status_changed") return `status:${String(e.data.to)}`;
  return e.kind;
}

/** The host page in a fresh browser, or in a new tab of the given one (same stored visitor token). */
async function customerPage(browserContext?: BrowserContext): Promise<Page> {
  const context = browserContext ?? (await stage.newContext({ width: 1280, height: 800 }));
  const page = await context.newPage();
  await page.goto(stage.hostOrigin);
  return page;
}

describe("the customer and the agent, end to end", () => {
  it("chats from the widget to the console and back, notes, resolves, rates, and keeps it all in one timeline in order", async () => {
    const h = await hotline(stage);
    const [agentUser] = h.agents;
    const agent = await availableAgent(stage, agentUser!);
    stage.setHostPage(hostPage(stage, h.widgetKey));
    const customer = await customerPage();

    const question = "月结的时候凭证过不了账，提示期间已关闭";
    await visitorWrites(customer, question);

    // the offer reaches the console with who is writing; accepted, the screen pop shows their company
    const toast = agent.locator(".toast.offer");
    await toast.waitFor();
    expect(await toast.locator('[data-field="contact"]').textContent()).toBe(CUSTOMER_NAME);
    expect(await toast.locator('[data-field="company"]').textContent()).toBe(h.companyName);
    const conversationId = await acceptFromToast(agent);
    const view = agent.locator(`[data-conversation="${conversationId}"]`);
    await view.locator('.msg[data-direction="inbound"]').filter({ hasText: question }).waitFor();
    const panel = agent.locator(".side-panel");
    expect(await panel.locator('[data-field="contact-name"]').textContent()).toContain(CUSTOMER_NAME);
    expect(await panel.locator('[data-field="company"]').textContent()).toBe(h.companyName);
    expect(await panel.locator('[data-field="service-pack"]').textContent()).toBe("VIP");
    await agent.screenshot({ path: `${ARTIFACTS}flow-console-screenpop.png` });

    // the agent replies; the customer sees it in the widget
    const reply = "您好，请先在总账里把本期重新打开，再过账一次。";
    const composer = agent.locator(".composer");
    await composer.locator("textarea").fill(reply);
    await composer.locator("textarea").press("Control+Enter");
    await view.locator('.msg[data-direction="outbound"]').filter({ hasText: reply }).waitFor();
    await theirs(customer, reply).waitFor();
    const thanks = "好的，已经可以过账了，谢谢";
    await send(customer, thanks);
    await view.locator('.msg[data-direction="inbound"]').filter({ hasText: thanks }).waitFor();

    // an internal note, for colleagues only
    const note = "客户的期间是被财务主管误关的";
    await composer.locator("textarea").press("Alt+KeyN");
    expect(await composer.getAttribute("data-mode")).toBe("internal");
    await composer.locator("textarea").fill(note);
    await composer.locator("textarea").press("Control+Enter");
    await view.locator('.msg[data-direction="internal"]').filter({ hasText: note }).waitFor();

    // the ticket is resolved in the ticket panel, then the conversation ends
    await agent.locator('[data-tab="ticket"]').click();
    const ticketPanel = agent.locator(".ticket-panel");
    await ticketPanel.waitFor();
    const ticketId = (await ticketPanel.getAttribute("data-ticket-id"))!;
    await ticketPanel.locator('[data-action="resolve"]').click();
    await ticketPanel.locator('textarea[aria-label="Resolution (optional)"]').fill("重新打开期间后过账成功");
    await ticketPanel.locator('[data-action="confirm-resolve"]').click();
    await agent.locator('.ticket-panel[data-status="resolved"]').waitFor();
    await agent.locator('[data-action="end-conversation"]').click();
    await agent.locator(".end-form textarea").fill("期间误关，已重新打开");
    await agent.locator('[data-action="confirm-end"]').click();
    await agent.locator(`[data-conversation="${conversationId}"][data-state="ended"]`).waitFor();

    // the customer rates 5, and never saw the note
    const rating = customer.locator("[data-testid=rating]");
    await rating.waitFor();
    expect(await thread(customer).getByText(note).count()).toBe(0);
    await rating.getByRole("button", { name: "5 stars" }).click();
    await rating.locator("button[type=submit]").click();
    await customer.locator("[data-testid=rated]").getByText("Thank you for your rating!").waitFor();
    expect(await thread(customer).getByText(note).count()).toBe(0);
    await customer.screenshot({ path: `${ARTIFACTS}flow-widget-rated.png` });

    // one timeline: the messages, the note, the resolution, the rating, in that order
    const expected = [`in:${question}`, `out:${reply}`, `in:${thanks}`, `note:${note}`, "status:resolved", "rating"];
    const timeline = await api(stage.server, agentUser!).get(`/api/tickets/${ticketId}/timeline`);
    expect(timeline.status, JSON.stringify(timeline.body)).toBe(200);
    const items = timeline.body.data.items as TimelineEntry[];
    expect(items.map(label).filter((l) => expected.includes(l))).toEqual(expected);
    expect(items.find((e) => e.kind === "rating")?.data.score).toBe(5);

    // and the console's ticket panel shows the same, in the same order
    const ratingItem = ticketPanel.locator('.tl-item[data-kind="rating"]').filter({ hasText: "★★★★★" });
    await ratingItem.waitFor();
    const shown = await ticketPanel.locator(".tl-item").evaluateAll((els) =>
      els.map((el) => {
        const kind = el.getAttribute("data-kind") ?? "";
        const body = el.querySelector(".tl-body")?.textContent ?? "";
        if (kind === "message") return `${{ inbound: "in", outbound: "out", internal: "note" }[el.getAttribute("data-direction") ?? ""] ?? "?"}:${body}`;
        if (kind === "status_changed" && body.includes("Resolved")) return "status:resolved";
        return kind;
      }),
    );
    expect(shown.filter((l) => expected.includes(l))).toEqual(expected);
    await ratingItem.scrollIntoViewIfNeeded();
    await agent.screenshot({ path: `${ARTIFACTS}flow-console-timeline.png` });
  });

  it("links a returning visitor's new conversation to their still-open ticket", async () => {
    const h = await hotline(stage);
    const [agentUser] = h.agents;
    const agent = await availableAgent(stage, agentUser!);
    stage.setHostPage(hostPage(stage, h.widgetKey));
    const customer = await customerPage();

    await visitorWrites(customer, "发票打印不出来");
    const first = await acceptFromToast(agent);
    await agent.locator('[data-tab="ticket"]').click();
    const ticketId = (await agent.locator(".ticket-panel").getAttribute("data-ticket-id"))!;
    await agent.locator('[data-action="end-conversation"]').click();
    await agent.locator(".end-form textarea").fill("待客户检查打印机");
    await agent.locator('[data-action="confirm-end"]').click();
    await agent.locator(`[data-conversation="${first}"][data-state="ended"]`).waitFor();
    const ticket = await api(stage.server, agentUser!).get(`/api/tickets/${ticketId}`);
    expect(["new", "open", "pending"]).toContain(ticket.body.data.status);
    // back from the chat, the agent takes the next one
    await goAvailable(agent);

    // the customer rates, comes back later in a new tab of the same browser, and writes again
    const rating = customer.locator("[data-testid=rating]");
    await rating.getByRole("button", { name: "4 stars" }).click();
    await rating.locator("button[type=submit]").click();
    await customer.locator("[data-testid=rated]").waitFor();
    await customer.close();
    const again = await customerPage(customer.context());
    await again.locator("[data-testid=launcher]").click();
    // recognised: no pre-chat form, the past chat is there, and a new chat joins the open ticket
    await mine(again, "发票打印不出来").waitFor();
    expect(await again.locator("[data-testid=prechat]").count()).toBe(0);
    // the ended chat takes no more messages; the customer starts a new one
    await again.locator("[data-testid=ended]").getByRole("button", { name: "Start a new chat" }).click();
    await send(again, "打印机还是不行");

    // the new conversation joins the open ticket
    const second = await acceptFromToast(agent);
    expect(second).not.toBe(first);
    const detail = await api(stage.server, agentUser!).get(`/api/conversations/${second}`);
    expect(detail.body.data.ticketId).toBe(ticketId);
    await agent.locator('[data-tab="ticket"]').click();
    const ticketPanel = agent.locator(`.ticket-panel[data-ticket-id="${ticketId}"]`);
    await ticketPanel.waitFor();
    await ticketPanel.locator('.tl-item[data-kind="message"]').filter({ hasText: "发票打印不出来" }).waitFor();
    await ticketPanel.locator('.tl-item[data-kind="message"]').filter({ hasText: "打印机还是不行" }).waitFor();
    await agent.screenshot({ path: `${ARTIFACTS}flow-returning-visitor.png` });
  });

  it("offers a broadcast queue's chat to both agents and withdraws it from the one who did not grab it", async () => {
    const h = await hotline(stage, { strategy: "broadcast", agentRoles: ["agent", "senior_agent"] });
    const [firstUser, secondUser] = h.agents;
    const first = await availableAgent(stage, firstUser!);
    const second = await availableAgent(stage, secondUser!);
    stage.setHostPage(hostPage(stage, h.widgetKey));
    const customer = await customerPage();
    await visitorWrites(customer, "在吗？急！");

    const firstToast = first.locator(".toast.offer");
    const secondToast = second.locator(".toast.offer");
    await firstToast.waitFor();
    await secondToast.waitFor();
    expect(await firstToast.locator('[data-field="contact"]').textContent()).toBe(CUSTOMER_NAME);
    expect(await secondToast.locator('[data-field="contact"]').textContent()).toBe(CUSTOMER_NAME);
    await second.screenshot({ path: `${ARTIFACTS}flow-grab-two-agents.png` });

    const conversationId = await acceptFromToast(first);
    await secondToast.waitFor({ state: "detached" });
    await second.screenshot({ path: `${ARTIFACTS}flow-grab-withdrawn.png` });
    const detail = await api(stage.server, firstUser!).get(`/api/conversations/${conversationId}`);
    expect(detail.body.data.assigneeId).toBe(firstUser!.id);
  });
});
