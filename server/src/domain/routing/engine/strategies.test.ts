import { describe, expect, it } from "vitest";
import { decide } from "./decide.ts";
import { MIXED, NAMES, NOW, VOICE_ONLY, agent, item, queue } from "./fixtures.ts";
import type { AgentSnapshot, Decision, QueueConfig, WorkItemSnapshot } from "./types.ts";

const START = { lastAgentId: null };

function offered(decision: Decision): string[] {
  if (decision.kind !== "offer") throw new Error(`expected an offer, got: ${decision.reason}`);
  return decision.agentIds;
}

function run(q: QueueConfig, agents: AgentSnapshot[], it: WorkItemSnapshot = item(), lastAgentId: string | null = null): Decision {
  return decide(it, q, agents, { lastAgentId }, NOW, MIXED, NAMES);
}

describe("least busy (负载)", () => {
  const q = queue({ strategy: "least_busy" });

  it("offers to the lowest load ratio for the item's medium, counting pending offers", () => {
    const agents = [
      agent("agent-a", { load: { chat: 1 }, idle: 340 }),
      agent("agent-b", { load: { chat: 0 }, pending: { chat: 2 } }),
      agent("agent-c", { capacity: { chat: 2 }, load: { chat: 1 } }),
      agent("agent-d", { load: { email: 0, chat: 3 } }),
    ];
    const decision = run(q, agents);
    expect(decision).toEqual({
      kind: "offer",
      itemId: "item-1",
      agentIds: ["agent-a"],
      strategy: "least_busy",
      reason: "least busy: 李娜 at 1/5 chats (20%), idle 340 s; next 王芳 at 2/5 chats incl. 2 offered (40%)",
    });
  });

  it("compares ratios, not counts", () => {
    const agents = [agent("agent-a", { capacity: { chat: 2 }, load: { chat: 1 } }), agent("agent-b", { capacity: { chat: 10 }, load: { chat: 3 } })];
    expect(offered(run(q, agents))).toEqual(["agent-b"]);
  });

  it("breaks a tie on load by skill level, then by idle time, then by id", () => {
    const skilled = queue({ strategy: "least_busy", requiredSkills: [{ skillId: "printers", minLevel: 3 }] });
    const bySkill = [agent("agent-a", { skills: { printers: 4 }, idle: 900 }), agent("agent-b", { skills: { printers: 8 }, idle: 10 })];
    const d1 = run(skilled, bySkill);
    expect(offered(d1)).toEqual(["agent-b"]);
    expect(d1.reason).toBe("least busy: 王芳 at 0/5 chats (0%), idle 10 s; tied on load with 李娜, higher skill level 8 vs 4");

    const byIdle = [agent("agent-a", { skills: { printers: 5 }, idle: 30 }), agent("agent-b", { skills: { printers: 5 }, idle: 90 })];
    const d2 = run(skilled, byIdle);
    expect(offered(d2)).toEqual(["agent-b"]);
    expect(d2.reason).toContain("tied on load and skill level with 李娜, idle longer");

    const byId = [agent("agent-b", { idle: 30 }), agent("agent-a", { idle: 30 })];
    expect(offered(run(q, byId))).toEqual(["agent-a"]);
  });
});

describe("longest idle", () => {
  const q = queue({ strategy: "longest_idle" });

  it("offers to the agent free the longest, whatever their load", () => {
    const agents = [agent("agent-a", { idle: 30 }), agent("agent-b", { idle: 600, load: { chat: 4 } }), agent("agent-c", { idle: 120 })];
    const decision = run(q, agents);
    expect(offered(decision)).toEqual(["agent-b"]);
    expect(decision.reason).toBe("longest idle: 王芳 idle 600 s (next 张伟 idle 120 s)");
  });

  it("breaks a tie on idle time by skill level", () => {
    const skilled = queue({ strategy: "longest_idle", requiredSkills: [{ skillId: "invoices", minLevel: 1 }] });
    const agents = [agent("agent-a", { idle: 60, skills: { invoices: 2 } }), agent("agent-b", { idle: 60, skills: { invoices: 7 } })];
    const decision = run(skilled, agents);
    expect(offered(decision)).toEqual(["agent-b"]);
    expect(decision.reason).toContain("higher skill level 7 vs 2");
  });
});

describe("round robin (轮流)", () => {
  const q = queue({ strategy: "round_robin" });
  const team = [agent("agent-c"), agent("agent-a"), agent("agent-d", { state: "away" }), agent("agent-b")];

  it("rotates through the free agents in a stable order and wraps around", () => {
    const picks: string[] = [];
    let last: string | null = null;
    for (let i = 0; i < 5; i++) {
      const [next] = offered(run(q, team, item(), last));
      picks.push(next!);
      last = next!;
    }
    expect(picks).toEqual(["agent-a", "agent-b", "agent-c", "agent-a", "agent-b"]);
  });

  it("explains where the rotation stands", () => {
    expect(run(q, team).reason).toBe("round robin: 李娜 starts the rotation (3 of 4 agents free)");
    expect(run(q, team, item(), "agent-a").reason).toBe("round robin: 王芳 is next after 李娜 (3 of 4 agents free)");
    expect(run(q, team, item(), "agent-c").reason).toBe("round robin: 李娜 wraps around after 张伟 (3 of 4 agents free)");
  });

  it("continues from where a departed agent would sort", () => {
    // agent-bb left the queue; the rotation goes on with the next id after it
    expect(offered(run(q, team, item(), "agent-bb"))).toEqual(["agent-c"]);
    expect(offered(run(q, team, item(), "agent-z"))).toEqual(["agent-a"]);
  });

  it("skips an agent who cannot take the item without losing the turn order", () => {
    const busy = [agent("agent-a"), agent("agent-b", { load: { chat: 5 } }), agent("agent-c")];
    expect(offered(run(q, busy, item(), "agent-a"))).toEqual(["agent-c"]);
  });
});

describe("broadcast (抢单)", () => {
  const q = queue({ strategy: "broadcast" });

  it("offers to every eligible agent at once", () => {
    const agents = [agent("agent-c"), agent("agent-a"), agent("agent-b", { state: "busy" }), agent("agent-d", { load: { chat: 5 } }), agent("agent-e")];
    const decision = run(q, agents);
    expect(decision).toMatchObject({ kind: "offer", agentIds: ["agent-a", "agent-c", "agent-e"], strategy: "broadcast" });
    expect(decision.reason).toBe("broadcast: offered to 3 free agents at once, first to accept wins");
  });

  it("offers to the only free agent", () => {
    const decision = run(q, [agent("agent-a", { state: "away" }), agent("agent-b")]);
    expect(decision).toMatchObject({ kind: "offer", agentIds: ["agent-b"], reason: "broadcast: offered to 王芳, the only free agent" });
  });

  it("waits when nobody is free, saying why", () => {
    const agents = [agent("agent-a", { state: "away" }), agent("agent-b", { load: { chat: 5 } }), agent("agent-c", { load: { voice: 1 } })];
    expect(decide(item(), q, agents, START, NOW, VOICE_ONLY)).toEqual({
      kind: "wait",
      itemId: "item-1",
      reason: "no agent free for this chat: 3 in queue, 1 not available, 1 at chat capacity, 1 on a call",
    });
    expect(decide(item(), q, [], START, NOW, MIXED)).toEqual({ kind: "wait", itemId: "item-1", reason: "no agents in this queue" });
  });

  it("waits with a call when the free agents have no registered phone, saying so", () => {
    const agents = [agent("agent-a", { phone: false }), agent("agent-b", { phone: false }), agent("agent-c", { load: { voice: 1 } })];
    expect(decide(item({ media: "voice" }), q, agents, START, NOW, MIXED)).toEqual({
      kind: "wait",
      itemId: "item-1",
      reason: "no agent free for this call: 3 in queue, 2 without a registered phone, 1 at call capacity",
    });
  });
});

describe("every strategy", () => {
  it.each(["least_busy", "round_robin", "longest_idle", "broadcast"] as const)("%s decides the same whatever the agents' order", (strategy) => {
    const q = queue({ strategy, requiredSkills: [{ skillId: "printers", minLevel: 2 }] });
    const agents = ["agent-a", "agent-b", "agent-c", "agent-d", "agent-e"].map((id, i) =>
      agent(id, { idle: 100 + (i % 2) * 50, load: { chat: i % 3 }, skills: { printers: 2 + (i % 2) } }),
    );
    const first = decide(item(), q, agents, { lastAgentId: "agent-b" }, NOW, MIXED);
    for (const order of [[...agents].reverse(), [agents[2]!, agents[0]!, agents[4]!, agents[1]!, agents[3]!]]) {
      expect(decide(item(), q, order, { lastAgentId: "agent-b" }, NOW, MIXED)).toEqual(first);
    }
  });

  it("offers an agent who missed the item again only when nobody else is free", () => {
    const q = queue({ strategy: "longest_idle" });
    const agents = [agent("agent-a", { idle: 900 }), agent("agent-b", { idle: 10 })];
    expect(offered(run(q, agents, item({ excluded: ["agent-a"] })))).toEqual(["agent-b"]);
    const again = run(q, agents, item({ excluded: ["agent-a", "agent-b"] }));
    expect(offered(again)).toEqual(["agent-a"]);
    expect(again.reason).toMatch(/^only agents who already missed this item are free; longest idle: 李娜/);
  });
});
