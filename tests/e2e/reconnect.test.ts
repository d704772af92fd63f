import { describe, expect, it } from "vitest";
import { acceptFromToast, ARTIFACTS, availableAgent, hostPage, hotline, mine, send, stageForFile, theirs, thread, visitorWrites } from "./flows-kit.ts";
import { agentSends, consoleLines, customerTypes, settled, startRestartableStage, type Line, type RestartableStage } from "./reconnect-kit.ts";

// Issue #4, flow 3 from both sides: the customer in the chat widget, the agent in the console,
// while the widget's network drops, the server restarts and the console's network drops. Every
// message written meanwhile, on either side, ends up stored once and shown once, in the same
// order, on both pages, without reloading either.

let stage: RestartableStage;
stageForFile(startRestartableStage, (s) => (stage = s));

describe("a chat across dropped connections and a server restart", () => {
  it("keeps every message of both sides exactly once and in order, in the widget, in the console and on the server", { timeout: 300_000 }, async () => {
    const h = await hotline(stage);
    const agentUser = h.agents[0]!;
    const agent = await availableAgent(stage, agentUser);
    stage.setHostPage(hostPage(stage, h.widgetKey));
    const customerContext = await stage.newContext({ width: 1280, height: 800 });
    const customer = await customerContext.newPage();
    await customer.goto(stage.hostOrigin);

    // a chat under way: a question, a reply, an answer
    const lines: Line[] = [];
    const question = "月结的时候凭证过不了账";
    await visitorWrites(customer, question);
    const conversationId = await acceptFromToast(agent);
    const view = agent.locator(`[data-conversation="${conversationId}"]`);
    await view.locator('.msg[data-direction="inbound"]').filter({ hasText: question }).waitFor();
    await agentSends(agent, "您好，请问是哪个期间？");
    await theirs(customer, "您好，请问是哪个期间？").waitFor();
    await send(customer, "是十月份的");
    lines.push(`in:${question}`, "out:您好，请问是哪个期间？", "in:是十月份的");
    await settled(stage, agentUser, conversationId, customer, view, lines);

    // 1. the widget's network drops: the customer writes on, the agent replies meanwhile
    await customerContext.setOffline(true);
    await customer.locator(".yx-banner").waitFor();
    const offlineCustomer = ["断网时写的第一条", "断网时写的第二条", "断网时写的第三条"];
    for (const text of offlineCustomer) {
      await customerTypes(customer, text);
      await mine(customer, text).locator("[data-status=sending]").waitFor();
    }
    const whileWidgetOffline = ["我先查一下十月的凭证", "找到了，是期间被关闭了", "我帮您重新打开"];
    for (const text of whileWidgetOffline) {
      await agentSends(agent, text);
      await view.locator('.msg[data-direction="outbound"]:not(.pending)').filter({ hasText: text }).waitFor();
    }
    // the agent's replies are stored, the customer's wait in the widget
    expect(await theirs(customer, whileWidgetOffline[0]!).count()).toBe(0);
    await customerContext.setOffline(false);
    lines.push(...whileWidgetOffline.map((t): Line => `out:${t}`), ...offlineCustomer.map((t): Line => `in:${t}`));
    const afterWidgetDrop = await settled(stage, agentUser, conversationId, customer, view, lines);
    // the replies were stored while the widget was away; the customer's words once it was back
    expect(afterWidgetDrop, "the customer's offline messages stored in the order written, after the agent's replies").toEqual(lines);
    await customer.locator(".yx-banner").waitFor({ state: "detached" });

    // 2. the server restarts: both sides write while it is down, and both catch up by themselves
    await stage.kill();
    await customer.locator(".yx-banner").waitFor();
    await agent.locator('.connection[data-connection="offline"]').waitFor();
    await view.locator(".conn-banner").waitFor();
    const duringRestartCustomer = ["服务器重启时客户写的一", "服务器重启时客户写的二"];
    const duringRestartAgent = ["服务器重启时坐席回的一", "服务器重启时坐席回的二"];
    await customerTypes(customer, duringRestartCustomer[0]!);
    await agentSends(agent, duringRestartAgent[0]!);
    await customerTypes(customer, duringRestartCustomer[1]!);
    await agentSends(agent, duringRestartAgent[1]!);
    // the console keeps what the agent wrote, "sending", in the order written
    for (const text of duringRestartAgent) await view.locator('.msg.pending[data-status="sending"]').filter({ hasText: text }).waitFor();
    for (const text of duringRestartCustomer) await mine(customer, text).locator("[data-status=sending]").waitFor();
    expect((await consoleLines(view)).slice(-2)).toEqual(duringRestartAgent.map((t) => `out:${t}`));
    await agent.screenshot({ path: `${ARTIFACTS}reconnect-console-server-down.png` });

    await stage.start();
    await agent.locator('.connection[data-connection="live"]').waitFor({ timeout: 60_000 });
    lines.push(...duringRestartCustomer.map((t): Line => `in:${t}`), ...duringRestartAgent.map((t): Line => `out:${t}`));
    const afterRestart = await settled(stage, agentUser, conversationId, customer, view, lines);
    // each side's own messages keep the order they were written in
    const position = (l: Line) => afterRestart.indexOf(l);
    expect(position(`in:${duringRestartCustomer[0]!}`), `the customer's messages in the order written: ${afterRestart.join(" | ")}`).toBeLessThan(position(`in:${duringRestartCustomer[1]!}`));
    expect(position(`out:${duringRestartAgent[0]!}`), `the agent's replies in the order written: ${afterRestart.join(" | ")}`).toBeLessThan(position(`out:${duringRestartAgent[1]!}`));
    expect(afterRestart.slice(0, lines.length - 4)).toEqual(lines.slice(0, -4));
    await view.locator(".conn-banner").waitFor({ state: "detached" });
    await customer.locator(".yx-banner").waitFor({ state: "detached" });
    await customer.screenshot({ path: `${ARTIFACTS}reconnect-widget-after-restart.png` });
    await agent.screenshot({ path: `${ARTIFACTS}reconnect-console-after-restart.png` });

    // 3. the console's network drops: the customer writes, the agent writes too; the console catches up
    const agentContext = agent.context();
    await agentContext.setOffline(true);
    await agent.locator('.connection[data-connection="offline"]').waitFor();
    const whileConsoleOffline = ["坐席断网时客户写的一", "坐席断网时客户写的二"];
    for (const text of whileConsoleOffline) await send(customer, text);
    const agentOffline = "坐席断网时写的回复";
    await agentSends(agent, agentOffline);
    await view.locator('.msg.pending[data-status="sending"]').filter({ hasText: agentOffline }).waitFor();
    expect(await view.locator(".msg").filter({ hasText: whileConsoleOffline[0]! }).count()).toBe(0);
    await agentContext.setOffline(false);
    await agent.locator('.connection[data-connection="live"]').waitFor({ timeout: 60_000 });
    lines.push(...whileConsoleOffline.map((t): Line => `in:${t}`), `out:${agentOffline}`);
    const afterConsoleDrop = await settled(stage, agentUser, conversationId, customer, view, lines);
    expect(afterConsoleDrop.slice(-3)).toEqual(lines.slice(-3));
    await theirs(customer, agentOffline).waitFor();
    expect(await thread(customer).locator(".yx-msg").count()).toBe(lines.length);
    await customer.screenshot({ path: `${ARTIFACTS}reconnect-widget.png` });
    await agent.screenshot({ path: `${ARTIFACTS}reconnect-console.png` });
  });
});
