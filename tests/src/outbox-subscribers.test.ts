import type { TicketChangedEvent } from "@yixian/contracts";
import { describe, expect, it } from "vitest";
import type { OutboxEvent } from "../../server/src/domain/events/outbox.ts";
import { connectSocket, eventually, ticketEvents, type ClientSocket } from "./sockets.ts";
import { api, createTestTenant, type TestServer } from "./harness.ts";
import { serverForFile } from "./server-kit.ts";

let server: TestServer;
const open: ClientSocket[] = [];
serverForFile((s) => (server = s), { closeAfterEach: open });

/** The ticket:changed events of one ticket that reached a subscriber, one entry per try. */
function triesOf(seen: OutboxEvent[], ticketId: string): OutboxEvent[] {
  return seen.filter((e) => e.event === "ticket:changed" && (e.payload as TicketChangedEvent).id === ticketId);
}

async function dispatchedAt(ticketId: string): Promise<unknown[]> {
  const rows = await server.deps.db.selectFrom("outbox").select(["payload", "dispatched_at"]).where("event", "=", "ticket:changed").execute();
  return rows.filter((r) => (r.payload as { id?: unknown }).id === ticketId).map((r) => r.dispatched_at);
}

describe("outbox subscribers", () => {
  it("retries a failing subscriber with backoff while the others (and the sockets) go on; the row is marked once it succeeds", async () => {
    const tenant = await createTestTenant(server);
    const socket = await connectSocket(server.url, tenant.users.agent.token);
    open.push(socket);
    const heard = ticketEvents(socket);
    let failing: string | null = null;
    let failuresLeft = 2;
    const flaky: OutboxEvent[] = [];
    const steady: OutboxEvent[] = [];
    const stopFlaky = server.deps.outbox.subscribe({
      name: "flaky test subscriber",
      async handle(e) {
        flaky.push(e);
        // the first two tries of the ticket's status change fail
        if (failing && triesOf([e], failing).length === 1 && failuresLeft-- > 0) throw new Error("the webhook endpoint is down");
      },
    });
    const stopSteady = server.deps.outbox.subscribe({ name: "steady test subscriber", handle: (e) => void steady.push(e) });
    try {
      const created = await api(server, tenant.users.agent).post("/api/tickets").send({ subject: "订阅者失败不影响他人" });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const ticketId = created.body.data.id as string;
      failing = ticketId;
      const moved = await api(server, tenant.users.agent).post(`/api/tickets/${ticketId}/status`).send({ status: "open" });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);

      // the socket fan-out and the steady subscriber hear the change at once, once
      await eventually(() => heard.some((e) => e.id === ticketId && e.changes.includes("status")), "the agent's socket to hear of the change");
      await eventually(() => triesOf(steady, ticketId).length === 2, "the steady subscriber to hear both events");
      // the flaky one got the creation once, and the status change three times (two failures, then success)
      await eventually(() => triesOf(flaky, ticketId).length === 4, "the failing subscriber's retries");
      await server.deps.outbox.flush();
      expect(triesOf(steady, ticketId)).toHaveLength(2);
      expect(heard.filter((e) => e.id === ticketId)).toHaveLength(2);
      expect(triesOf(flaky, ticketId)).toHaveLength(4);
      const marks = await dispatchedAt(ticketId);
      expect(marks).toHaveLength(2);
      expect(marks.every((at) => at !== null)).toBe(true);
    } finally {
      stopFlaky();
      stopSteady();
    }
  });

  it("gives up on an event a subscriber always fails on, after its last try, and keeps delivering the next ones", async () => {
    const tenant = await createTestTenant(server);
    const tries: OutboxEvent[] = [];
    const later: OutboxEvent[] = [];
    let poisoned: string | null = null;
    const stop = server.deps.outbox.subscribe({
      name: "always failing test subscriber",
      handle(e) {
        if (poisoned && triesOf([e], poisoned).length === 1) {
          tries.push(e);
          throw new Error("cannot handle this one");
        }
        later.push(e);
      },
    });
    try {
      const first = await api(server, tenant.users.agent).post("/api/tickets").send({ subject: "有毒事件" });
      expect(first.status).toBe(201);
      poisoned = first.body.data.id as string;
      await api(server, tenant.users.agent).post(`/api/tickets/${poisoned}/status`).send({ status: "open" }).expect(200);
      const second = await api(server, tenant.users.agent).post("/api/tickets").send({ subject: "之后的事件" });
      expect(second.status).toBe(201);
      await eventually(() => triesOf(later, second.body.data.id as string).length === 1, "the next event to reach the subscriber");
      await eventually(() => tries.length === 6, "all six tries of the failing event", 10_000);
      await server.deps.outbox.flush();
      expect(tries).toHaveLength(6);
      const marks = await dispatchedAt(poisoned);
      expect(marks).toHaveLength(2);
      expect(marks.every((at) => at !== null)).toBe(true);
    } finally {
      stop();
    }
  });
});
