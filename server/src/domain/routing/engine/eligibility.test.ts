import { describe, expect, it } from "vitest";
import { eligibleAgents } from "./eligibility.ts";
import { MIXED, VOICE_ONLY, agent, item, queue } from "./fixtures.ts";

const ids = (agents: { id: string }[]) => agents.map((a) => a.id);

describe("eligible agents", () => {
  it("takes only available members of the queue", () => {
    const agents = [
      agent("agent-a"),
      agent("agent-b", { state: "busy" }),
      agent("agent-c", { state: "away" }),
      agent("agent-d", { state: "wrap_up" }),
      agent("agent-e", { state: "offline" }),
      agent("agent-f", { queues: ["queue-sales"] }),
    ];
    expect(ids(eligibleAgents(item(), queue(), agents, MIXED))).toEqual(["agent-a"]);
  });

  it("requires every skill of the queue at its minimum level", () => {
    const q = queue({ requiredSkills: [{ skillId: "printers", minLevel: 5 }, { skillId: "cantonese", minLevel: 3 }] });
    const agents = [
      agent("agent-a", { skills: { printers: 5, cantonese: 3 } }),
      agent("agent-b", { skills: { printers: 9, cantonese: 2 } }),
      agent("agent-c", { skills: { printers: 4, cantonese: 10 } }),
      agent("agent-d", { skills: { printers: 10 } }),
      agent("agent-e", { skills: { printers: 10, cantonese: 10, invoices: 1 } }),
    ];
    expect(ids(eligibleAgents(item(), q, agents, MIXED))).toEqual(["agent-a", "agent-e"]);
  });

  it("counts pending offers against the item's medium capacity", () => {
    const agents = [
      agent("agent-a", { load: { chat: 4 } }),
      agent("agent-b", { load: { chat: 4 }, pending: { chat: 1 } }),
      agent("agent-c", { pending: { chat: 5 } }),
      agent("agent-d", { capacity: { chat: 0 } }),
      agent("agent-e", { load: { email: 10 } }),
    ];
    expect(ids(eligibleAgents(item(), queue(), agents, MIXED))).toEqual(["agent-a", "agent-e"]);
    expect(ids(eligibleAgents(item({ media: "email" }), queue(), agents, MIXED))).toEqual(["agent-a", "agent-b", "agent-c", "agent-d"]);
  });

  it("lets an agent on a call take chats only when the tenant allows it", () => {
    const agents = [agent("agent-a", { load: { voice: 1 } }), agent("agent-b", { pending: { voice: 1 } }), agent("agent-c")];
    expect(ids(eligibleAgents(item(), queue(), agents, MIXED))).toEqual(["agent-a", "agent-b", "agent-c"]);
    expect(ids(eligibleAgents(item(), queue(), agents, VOICE_ONLY))).toEqual(["agent-c"]);
    expect(ids(eligibleAgents(item({ media: "email" }), queue(), agents, VOICE_ONLY))).toEqual(["agent-c"]);
  });

  it("gives calls only to agents with nothing else when chats during calls are off", () => {
    const agents = [
      agent("agent-a", { load: { chat: 1 } }),
      agent("agent-b", { pending: { email: 1 } }),
      agent("agent-c"),
      agent("agent-d", { load: { voice: 1 } }),
    ];
    const call = item({ media: "voice" });
    expect(ids(eligibleAgents(call, queue(), agents, VOICE_ONLY))).toEqual(["agent-c"]);
    // with chats during calls allowed, chats do not block a call, but one call is the voice capacity
    expect(ids(eligibleAgents(call, queue(), agents, MIXED))).toEqual(["agent-a", "agent-b", "agent-c"]);
  });

  it("offers calls only to agents with a registered phone; chats and e-mails do not need one", () => {
    const agents = [agent("agent-a", { phone: false }), agent("agent-b")];
    expect(ids(eligibleAgents(item({ media: "voice" }), queue(), agents, MIXED))).toEqual(["agent-b"]);
    expect(ids(eligibleAgents(item(), queue(), agents, MIXED))).toEqual(["agent-a", "agent-b"]);
    expect(ids(eligibleAgents(item({ media: "email" }), queue(), agents, MIXED))).toEqual(["agent-a", "agent-b"]);
  });

  it("skips agents who missed the item unless nobody else can take it", () => {
    const agents = [agent("agent-a"), agent("agent-b"), agent("agent-c", { state: "away" })];
    expect(ids(eligibleAgents(item({ excluded: ["agent-a"] }), queue(), agents, MIXED))).toEqual(["agent-b"]);
    expect(ids(eligibleAgents(item({ excluded: ["agent-a", "agent-b"] }), queue(), agents, MIXED))).toEqual(["agent-a", "agent-b"]);
  });

  it("answers in id order whatever the input order", () => {
    const agents = [agent("agent-c"), agent("agent-a"), agent("agent-b")];
    expect(ids(eligibleAgents(item(), queue(), agents, MIXED))).toEqual(["agent-a", "agent-b", "agent-c"]);
  });
});
