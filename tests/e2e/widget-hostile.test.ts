import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { api } from "../src/harness.ts";
import { myOffers, until } from "../src/routing-kit.ts";
import { ARTIFACTS, mine, stageForFile, startStage, thread, type Stage } from "./flows-kit.ts";
import { shop } from "./support.ts";

// The chat widget against host pages that fight it (a full-screen layer at the maximum z-index,
// a scaled <body>, a script that moves the widget) and against a Chinese input method's Enter in
// both browsers' event orders. Needs `npm run build` first.

let stage: Stage;
stageForFile(startStage, (s) => (stage = s));

/** The shop, its widget allowed on the host site. */
const hostShop = () => shop(stage.server, { widget: { allowedOrigins: [stage.hostOrigin] } });

function hostPage(widgetKey: string, head: string, body = ""): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Host</title>${head}</head>
<body><h1>云账房 — 财务软件</h1><p>Some product page.</p>${body}
<script src="${stage.server.url}/widget.js" data-key="${widgetKey}" data-lang="en" async></script></body></html>`;
}

async function openHost(html: string): Promise<Page> {
  stage.setHostPage(html);
  const context = await stage.newContext({ width: 1280, height: 800 });
  const page = await context.newPage();
  await page.goto(stage.hostOrigin);
  return page;
}

/** The launcher's box, and whether a click at its centre reaches the widget (not the page). */
async function launcherAt(page: Page, launcher: Locator) {
  const box = (await launcher.boundingBox())!;
  const hit = await page.evaluate(
    ([x, y]) => document.elementFromPoint(x!, y!)?.hasAttribute("data-yixian-chat") ?? false,
    [box.x + box.width / 2, box.y + box.height / 2],
  );
  return { box, hit };
}

describe("the chat widget on a hostile host page", () => {
  it("stays on top and at its own size under a full-screen layer at the maximum z-index and a scaled body, also when moved", async () => {
    const { widgetKey } = await hostShop();
    const page = await openHost(
      hostPage(
        widgetKey,
        `<style>body { transform: scale(.5) !important; transform-origin: 0 0 !important; } .cover { position: fixed; inset: 0; z-index: 2147483647; background: rgba(255, 255, 255, 0.01); }</style>`,
        // the cover hangs off <html>, after <body>: the body's transform does not shrink it
        `<script>const cover = document.createElement("div"); cover.className = "cover"; document.documentElement.appendChild(cover);</script>`,
      ),
    );
    const launcher = page.locator("[data-testid=launcher]");
    await launcher.waitFor({ state: "visible" });
    // 56 px, 20 px from the viewport's bottom right corner (1280 × 800), and the click lands on it
    const normal = { x: 1280 - 20 - 56, y: 800 - 20 - 56, width: 56, height: 56 };
    await page.locator(".cover").waitFor();
    expect(await page.locator(".cover").boundingBox()).toEqual({ x: 0, y: 0, width: 1280, height: 800 });
    const first = await launcherAt(page, launcher);
    expect(first.box).toEqual(normal);
    expect(first.hit).toBe(true);
    await page.mouse.click(normal.x + 28, normal.y + 28);
    await page.locator("[data-testid=panel]").waitFor();
    await page.screenshot({ path: `${ARTIFACTS}widget-hostile-page.png` });
    await page.keyboard.press("Escape");
    await page.locator("[data-testid=panel]").waitFor({ state: "detached" });

    // the page's script moves the widget into its cover and tries to hide it: it comes back
    await page.evaluate(() => {
      const host = document.querySelector<HTMLElement>("[data-yixian-chat]")!;
      document.querySelector(".cover")!.appendChild(host);
      host.style.setProperty("display", "none", "important");
    });
    await page.waitForFunction(() => {
      const host = document.querySelector<HTMLElement>("[data-yixian-chat]")!;
      const box = host.shadowRoot?.querySelector("[data-testid=launcher]")?.getBoundingClientRect();
      return !host.closest(".cover") && box?.width === 56 && document.elementFromPoint(box.x + 28, box.y + 28) === host;
    });
    const again = await launcherAt(page, launcher);
    expect(again.box).toEqual(normal);
    expect(again.hit).toBe(true);
    await launcher.click();
    await page.locator("[data-testid=panel]").waitFor();
  });
});

describe("a Chinese input method in the widget", () => {
  it("does not send on the Enter that confirms a candidate, in Safari's and in Chrome's event order", async () => {
    const { widgetKey, agent } = await hostShop();
    const page = await openHost(hostPage(widgetKey, ""));
    await page.locator("[data-testid=launcher]").click();
    const input = page.locator("#yx-input");
    await input.waitFor();

    // pinyin "nihao" becomes 你好, confirmed with Enter: the three orders browsers use
    const orders = {
      // Safari: compositionend first, then keydown Enter with keyCode 229, not composing
      safari: ["start", "end", "keydown229"],
      // Safari (older) / some IMEs: compositionend, then a plain Enter keydown
      justEnded: ["start", "end", "keydown13"],
      // Chrome / Firefox: keydown while composing, then compositionend
      chrome: ["start", "keydown229composing", "end"],
    } as const;
    for (const [name, steps] of Object.entries(orders)) {
      const sent = await input.evaluate((el, steps) => {
        const area = el as HTMLTextAreaElement;
        area.focus();
        // the composer takes an Enter as "send" by cancelling it: a cancelled Enter is a send
        let defaultPrevented = false;
        for (const step of steps) {
          if (step === "start") {
            area.dispatchEvent(new CompositionEvent("compositionstart", { bubbles: true, data: "" }));
            area.value = "nihao";
            area.dispatchEvent(new InputEvent("input", { bubbles: true, isComposing: true, data: "nihao" }));
          } else if (step === "end") {
            area.value = "你好";
            area.dispatchEvent(new InputEvent("input", { bubbles: true, isComposing: true, data: "你好" }));
            area.dispatchEvent(new CompositionEvent("compositionend", { bubbles: true, data: "你好" }));
          } else {
            const keyCode = step === "keydown13" ? 13 : 229;
            const key = new KeyboardEvent("keydown", { key: "Enter", code: "Enter", keyCode, bubbles: true, cancelable: true, composed: true, isComposing: step === "keydown229composing" });
            area.dispatchEvent(key);
            defaultPrevented ||= key.defaultPrevented;
          }
        }
        area.dispatchEvent(new KeyboardEvent("keyup", { key: "Enter", code: "Enter", keyCode: 13, bubbles: true }));
        return defaultPrevented;
      }, steps);
      expect(sent, `${name}: the IME's Enter was taken as send`).toBe(false);
      await expect(input.inputValue(), name).resolves.toBe("你好");
      // the same text again for the next order
      await input.fill("");
    }

    // a real Enter afterwards sends, once: had an IME Enter sent "你好" it would be on the server first
    await input.fill("你好，发票打不出来");
    await input.press("Enter");
    await mine(page, "你好，发票打不出来").locator("[data-status=delivered], [data-status=read]").waitFor();
    await expect(thread(page).locator(".yx-mine").count()).resolves.toBe(1);
    const offers = await until(() => myOffers(stage.server, agent), (o) => o.some((x) => x.conversationId !== null), "an offer for the chat");
    const messages = await api(stage.server, agent).get(`/api/conversations/${offers.find((o) => o.conversationId)!.conversationId!}/messages`);
    expect((messages.body.data.items as { text: string }[]).map((m) => m.text)).toEqual(["你好，发票打不出来"]);
  });
});
