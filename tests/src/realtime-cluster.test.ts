import { describe, expect, it } from "vitest";
import { connectSocket, eventually, ticketEvents, type ClientSocket } from "./sockets.ts";
import { api, createTestTenant, type TestServer } from "./harness.ts";
import { twoNodesForFile, type NodeProcess } from "./node-process.ts";

// Two nodes behind one load balancer share PostgreSQL and Redis. This always runs on PostgreSQL:
// PGlite is one process's database by design.
const OUTBOX_POLL_MS = 1000;



let node1: TestServer;
let node2: NodeProcess;
const sockets: ClientSocket[] = [];
twoNodesForFile(
  (n1, n2) => {
    node1 = n1;
    node2 = n2;
  },
  { redis: true, closeAfterAll: sockets },
);

describe("two server processes on the Redis adapter", () => {
  it("delivers a change made through node 1 to a client of node 2 exactly once, and to no other tenant", async () => {
    const a = await createTestTenant(node1, "A");
    const b = await createTestTenant(node1, "B");
    const onNode2 = await connectSocket(node2.url, a.users.agent.token);
    const onNode1 = await connectSocket(node1.url, a.users.supervisor.token);
    const otherTenant = await connectSocket(node2.url, b.users.agent.token);
    sockets.push(onNode2, onNode1, otherTenant);
    const seen2 = ticketEvents(onNode2);
    const seen1 = ticketEvents(onNode1);
    const seenB = ticketEvents(otherTenant);

    const created = await api(node1, a.users.agent).post("/api/tickets").send({ subject: "集群里的工单" });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const ticketId = created.body.data.id as string;
    const moved = await api(node1, a.users.agent).post(`/api/tickets/${ticketId}/status`).send({ status: "open" });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);

    await eventually(() => seen2.length >= 2 && seen1.length >= 2, "both clients to hear of both changes");
    // Either node may claim an outbox row; a second delivery would come within one poll.
    await new Promise((r) => setTimeout(r, OUTBOX_POLL_MS * 1.5));
    for (const seen of [seen2, seen1]) {
      expect(seen.map((e) => e.id)).toEqual([ticketId, ticketId]);
      expect(seen[0]!.changes).toEqual(["created"]);
      expect(seen[1]!.changes).toContain("status");
    }

    const own = await api(node1, b.users.agent).post("/api/tickets").send({ subject: "B's ticket" });
    expect(own.status).toBe(201);
    await eventually(() => seenB.some((e) => e.id === own.body.data.id), "tenant B's client to hear of its own ticket");
    expect(seenB.map((e) => e.id)).toEqual([own.body.data.id]);
  });

  it("lets node 2 answer the API for data node 1 wrote, with the same sessions", async () => {
    const tenant = await createTestTenant(node1);
    const created = await api(node1, tenant.users.agent).post("/api/tickets").send({ subject: "Seen from node 2" });
    expect(created.status).toBe(201);
    const res = await fetch(`${node2.url}/api/tickets/${created.body.data.id as string}`, {
      headers: { Authorization: `Bearer ${tenant.users.agent.token}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { subject: string } };
    expect(body.data.subject).toBe("Seen from node 2");
    expect(node2.output()).not.toMatch(/"level":(50|60)/);
  });
});
