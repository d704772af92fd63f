import { describe, expect, it } from "vitest";
import { decide } from "./decide.ts";
import { MIXED, NOW, QUEUE_ID, agent, item, queue } from "./fixtures.ts";
import { RoutingIndex, applyOffer } from "./routing-index.ts";
import type { Decision } from "./types.ts";

function offered(decision: Decision): string[] {
  if (decision.kind !== "offer") throw new Error(`expected an offer, got: ${decision.reason}`);
  return decision.agentIds;
}

describe("routing index", () => {
  it("counts each offer against capacity so the next decision spreads the load", () => {
    const agents = [agent("agent-a", { capacity: { chat: 2 } }), agent("agent-b", { capacity: { chat: 2 } })];
    const index = new RoutingIndex([queue({ strategy: "least_busy" })], agents);
    const picks: string[] = [];
    for (let i = 0; i < 5; i++) {
      const it = item({ id: `chat-${i}` });
      const decision = index.decide(it, NOW, MIXED);
      if (decision.kind === "offer") picks.push(...decision.agentIds);
      else picks.push("wait");
      applyOffer(index, decision, it);
    }
    expect(picks).toEqual(["agent-a", "agent-b", "agent-a", "agent-b", "wait"]);
    expect(index.agent("agent-a")!.pending.chat).toBe(2);
    // the caller's snapshots are not changed
    expect(agents[0]!.pending.chat).toBe(0);
  });

  it("holds a broadcast offer against every agent it went to", () => {
    const index = new RoutingIndex([queue({ strategy: "broadcast" })], [agent("agent-a"), agent("agent-b"), agent("agent-c", { queues: ["queue-sales"] })]);
    const call = item({ media: "voice" });
    const decision = index.decide(call, NOW, MIXED);
    index.applyOffer(decision, call);
    expect(offered(decision)).toEqual(["agent-a", "agent-b"]);
    expect(index.decide(item({ id: "call-2", media: "voice" }), NOW, MIXED)).toMatchObject({
      kind: "wait",
      reason: "no agent free for this call: 2 in queue, 2 at call capacity",
    });
    expect(index.agent("agent-c")!.pending.voice).toBe(0);
  });

  it("continues the round-robin rotation after a restart from the persisted cursor", () => {
    const q = queue({ strategy: "round_robin" });
    const team = () => ["agent-a", "agent-b", "agent-c", "agent-d"].map((id) => agent(id, { capacity: { chat: 100 } }));
    const before = new RoutingIndex([q], team());
    for (let i = 0; i < 2; i++) {
      const it = item({ id: `chat-${i}` });
      before.applyOffer(before.decide(it, NOW, MIXED), it);
    }
    expect(before.state(QUEUE_ID)).toEqual({ lastAgentId: "agent-b" });

    // the dispatcher stored lastAgentId; a new process builds a new index from it
    const after = new RoutingIndex([q], team(), new Map([[QUEUE_ID, before.state(QUEUE_ID)]]));
    const picks: string[] = [];
    for (let i = 2; i < 6; i++) {
      const it = item({ id: `chat-${i}` });
      const decision = after.decide(it, NOW, MIXED);
      after.applyOffer(decision, it);
      picks.push(...offered(decision));
    }
    expect(picks).toEqual(["agent-c", "agent-d", "agent-a", "agent-b"]);
  });

  it("does not move the rotation for offers round robin did not choose", () => {
    const index = new RoutingIndex([queue({ strategy: "round_robin", stickySeconds: 60 })], [agent("agent-a"), agent("agent-b"), agent("agent-c")]);
    const sticky = item({ preferredAgentId: "agent-c" });
    const decision = index.decide(sticky, NOW, MIXED);
    index.applyOffer(decision, sticky);
    expect(decision).toMatchObject({ strategy: "sticky", agentIds: ["agent-c"] });
    expect(index.state(QUEUE_ID)).toEqual({ lastAgentId: null });
  });

  it("takes presence and membership changes", () => {
    const index = new RoutingIndex([queue({ strategy: "longest_idle" }), queue({ id: "queue-sales" })], [agent("agent-a", { idle: 10 })]);
    index.upsertAgent(agent("agent-b", { idle: 500 }));
    expect(offered(index.decide(item(), NOW, MIXED))).toEqual(["agent-b"]);
    index.upsertAgent(agent("agent-b", { idle: 500, state: "away" }));
    expect(offered(index.decide(item(), NOW, MIXED))).toEqual(["agent-a"]);
    index.upsertAgent(agent("agent-a", { queues: ["queue-sales"] }));
    expect(index.decide(item(), NOW, MIXED)).toMatchObject({ kind: "wait" });
    expect(offered(index.decide(item({ queueId: "queue-sales" }), NOW, MIXED))).toEqual(["agent-a"]);
    index.removeAgent("agent-a");
    expect(index.decide(item({ queueId: "queue-sales" }), NOW, MIXED)).toMatchObject({ kind: "wait", reason: "no agents in this queue" });
  });

  it("decides like decide() over the same snapshots", () => {
    const q = queue({ strategy: "least_busy", vipFirst: true, requiredSkills: [{ skillId: "printers", minLevel: 3 }] });
    const agents = ["agent-a", "agent-b", "agent-c", "agent-d", "agent-e"].map((id, i) =>
      agent(id, { vip: i % 2 === 0, load: { chat: (i * 7) % 4 }, idle: 50 * i, skills: { printers: 2 + i } }),
    );
    const index = new RoutingIndex([q], agents);
    for (const it of [item(), item({ vip: true }), item({ media: "email" }), item({ excluded: ["agent-d"] })]) {
      expect(index.decide(it, NOW, MIXED)).toEqual(decide(it, q, agents, { lastAgentId: null }, NOW, MIXED));
    }
  });

  it("refuses an item of a queue it does not hold", () => {
    const index = new RoutingIndex([queue()], [agent("agent-a")]);
    expect(() => index.decide(item({ queueId: "queue-gone" }), NOW, MIXED)).toThrow("routing index has no queue queue-gone");
  });
});
