import { describe, expect, it } from "vitest";
import { decide } from "./decide.ts";
import { MIXED, NAMES, NOW, agent, item, queue } from "./fixtures.ts";
import type { AgentSnapshot, Decision, QueueConfig, WorkItemSnapshot } from "./types.ts";

function run(q: QueueConfig, agents: AgentSnapshot[], it: WorkItemSnapshot): Decision {
  return decide(it, q, agents, { lastAgentId: null }, NOW, MIXED, NAMES);
}

describe("returning-customer priority (回头客优先)", () => {
  const q = queue({ strategy: "least_busy", stickySeconds: 30 });
  const returning = (waited: number) => item({ preferredAgentId: "agent-b", waited });

  it("offers to the agent who served the customer last, even if someone is less busy", () => {
    const agents = [agent("agent-a"), agent("agent-b", { load: { chat: 4 } })];
    expect(run(q, agents, returning(0))).toEqual({
      kind: "offer",
      itemId: "item-1",
      agentIds: ["agent-b"],
      strategy: "sticky",
      reason: "returning customer: offered to 王芳, who served them last",
    });
  });

  it.each([
    ["busy", agent("agent-b", { state: "busy" }), "busy"],
    ["away", agent("agent-b", { state: "away" }), "away"],
    ["in wrap-up", agent("agent-b", { state: "wrap_up" }), "in wrap-up"],
    ["full", agent("agent-b", { load: { chat: 5 } }), "at 5/5 chats (100%)"],
  ])("waits for the agent while %s within the window, then falls back", (_label, preferred, why) => {
    const agents = [agent("agent-a"), preferred];
    expect(run(q, agents, returning(12))).toEqual({
      kind: "wait",
      itemId: "item-1",
      retryAt: NOW + 18_000,
      reason: `returning customer: waiting up to 30 s for 王芳 (${why}), 18 s left`,
    });
    const after = run(q, agents, returning(30));
    expect(after).toMatchObject({ kind: "offer", agentIds: ["agent-a"], strategy: "least_busy" });
    expect(after.reason).toMatch(new RegExp(`^returning customer's agent 王芳 still ${why.replace(/[()]/g, "\\$&")} after 30 s; least busy: 李娜`));
  });

  it("does not wait for an agent who is offline, left the queue or is unknown", () => {
    const cases: [AgentSnapshot[], string][] = [
      [[agent("agent-a"), agent("agent-b", { state: "offline" })], "returning customer's agent 王芳 is offline; "],
      [[agent("agent-a"), agent("agent-b", { queues: ["queue-sales"] })], "returning customer's agent 王芳 is not in this queue; "],
      [[agent("agent-a")], "returning customer's agent 王芳 is not in this queue; "],
    ];
    for (const [agents, prefix] of cases) {
      const decision = run(q, agents, returning(1));
      expect(decision).toMatchObject({ kind: "offer", agentIds: ["agent-a"], strategy: "least_busy" });
      expect(decision.reason.startsWith(prefix)).toBe(true);
    }
  });

  it("does not wait for an agent who lacks the queue's skills or already missed the item", () => {
    const skilled = queue({ stickySeconds: 30, requiredSkills: [{ skillId: "printers", minLevel: 5 }] });
    const agents = [agent("agent-a", { skills: { printers: 5 } }), agent("agent-b", { skills: { printers: 4 } })];
    const d1 = run(skilled, agents, returning(1));
    expect(d1).toMatchObject({ kind: "offer", agentIds: ["agent-a"] });
    expect(d1.reason).toContain("王芳 is lacking the queue's skills");

    const missed = item({ preferredAgentId: "agent-b", waited: 1, excluded: ["agent-b"] });
    const d2 = run(q, [agent("agent-a"), agent("agent-b")], missed);
    expect(d2).toMatchObject({ kind: "offer", agentIds: ["agent-a"], strategy: "least_busy" });
    expect(d2.reason).toMatch(/^returning customer's agent 王芳 already missed this item; /);
  });

  it("is off when the queue's window is 0", () => {
    const decision = run(queue({ stickySeconds: 0 }), [agent("agent-a"), agent("agent-b", { state: "busy" })], returning(1));
    expect(decision).toMatchObject({ kind: "offer", agentIds: ["agent-a"], strategy: "least_busy" });
    expect(decision.reason).toMatch(/^least busy/);
  });

  it("waits with the whole window when everybody is busy, then says nobody is free", () => {
    const agents = [agent("agent-a", { state: "away" }), agent("agent-b", { state: "busy" })];
    expect(run(q, agents, returning(0))).toMatchObject({ kind: "wait", retryAt: NOW + 30_000 });
    expect(run(q, agents, returning(31))).toEqual({
      kind: "wait",
      itemId: "item-1",
      reason: "returning customer's agent 王芳 still busy after 30 s; no agent free for this chat: 2 in queue, 2 not available",
    });
  });
});

describe("VIP priority", () => {
  const q = queue({ strategy: "least_busy", vipFirst: true });
  const agents = [agent("agent-a"), agent("agent-b", { vip: true, load: { chat: 3 } }), agent("agent-c", { vip: true, load: { chat: 2 } })];

  it("offers a VIP item to VIP agents first, with the queue's strategy among them", () => {
    const decision = run(q, agents, item({ vip: true }));
    expect(decision).toMatchObject({ kind: "offer", agentIds: ["agent-c"], strategy: "least_busy" });
    expect(decision.reason).toBe("VIP item to VIP agents first; least busy: 张伟 at 2/5 chats (40%), idle 60 s; next 王芳 at 3/5 chats (60%)");
  });

  it("offers a VIP item to anyone when no VIP agent is free", () => {
    const full = [agent("agent-a"), agent("agent-b", { vip: true, state: "away" }), agent("agent-c", { vip: true, load: { chat: 5 } })];
    const decision = run(q, full, item({ vip: true }));
    expect(decision).toMatchObject({ kind: "offer", agentIds: ["agent-a"] });
    expect(decision.reason).toMatch(/^VIP item, no VIP agent free; least busy: 李娜/);
  });

  it("treats VIP items like others when the queue does not put VIPs first, and normal items never wait for VIP agents", () => {
    expect(run(queue({ vipFirst: false }), agents, item({ vip: true }))).toMatchObject({ agentIds: ["agent-a"] });
    expect(run(q, agents, item({ vip: false }))).toMatchObject({ agentIds: ["agent-a"] });
  });

  it("broadcasts a VIP item to the VIP agents only", () => {
    const decision = run(queue({ strategy: "broadcast", vipFirst: true }), agents, item({ vip: true }));
    expect(decision).toMatchObject({ agentIds: ["agent-b", "agent-c"], strategy: "broadcast" });
  });
});
