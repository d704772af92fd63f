import { rooms } from "@yixian/contracts";
import { describe, expect, it } from "vitest";
import { inTransaction, systemCtx } from "../../server/src/domain/context.ts";
import { insertTicket } from "../../server/src/domain/tickets/insert-ticket.ts";
import { buildTenantFixtures } from "./fixtures.ts";
import { connectSocket, eventually, settle, ticketEvents, type ClientSocket } from "./sockets.ts";
import { api, createTestTenant, type TestServer, type TestUser } from "./harness.ts";
import { serverForFile } from "./server-kit.ts";

let server: TestServer;
const open: ClientSocket[] = [];
serverForFile((s) => (server = s), { closeAfterEach: open });

async function connect(user: TestUser): Promise<ClientSocket> {
  const socket = await connectSocket(server.url, user.token);
  open.push(socket);
  return socket;
}

async function createTicket(user: TestUser, subject: string): Promise<{ id: string; number: string }> {
  const res = await api(server, user).post("/api/tickets").send({ subject });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data as { id: string; number: string };
}

describe("realtime ticket:changed", () => {
  it("reaches the tenant's clients after an API change, and no client of another tenant", async () => {
    const a = await createTestTenant(server, "A");
    const b = await createTestTenant(server, "B");
    const clientA = await connect(a.users.agent);
    const clientB = await connect(b.users.agent);
    const seenA = ticketEvents(clientA);
    const seenB = ticketEvents(clientB);

    const ticket = await createTicket(a.users.agent, "打印机无法打印发票");
    await eventually(() => seenA.length >= 1, "tenant A's client to hear of the new ticket");
    expect(seenA[0]).toMatchObject({ id: ticket.id, number: ticket.number, changes: ["created"] });

    const moved = await api(server, a.users.agent).post(`/api/tickets/${ticket.id}/status`).send({ status: "open" });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    await eventually(() => seenA.some((e) => e.updatedAt === moved.body.data.updatedAt), "tenant A's client to hear of the status change");
    expect(seenA).toHaveLength(2);
    expect(seenA[1]).toMatchObject({ id: ticket.id });
    expect(seenA[1]!.changes).toContain("status");

    // Events reach one socket in commit order: once B hears of its own ticket, anything of A's would have come first.
    const own = await createTicket(b.users.agent, "B's own ticket");
    await eventually(() => seenB.some((e) => e.id === own.id), "tenant B's client to hear of its own ticket");
    expect(seenB.map((e) => e.id)).toEqual([own.id]);
  });

  it("emits nothing for a change refused with 409", async () => {
    const tenant = await createTestTenant(server);
    const ticket = await createTicket(tenant.users.agent, "Refused transition");
    const client = await connect(tenant.users.agent);
    const seen = ticketEvents(client);

    const refused = await api(server, tenant.users.agent).post(`/api/tickets/${ticket.id}/status`).send({ status: "closed" });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("INVALID_TRANSITION");

    const accepted = await api(server, tenant.users.agent).post(`/api/tickets/${ticket.id}/status`).send({ status: "pending" });
    expect(accepted.status).toBe(200);
    await eventually(() => seen.some((e) => e.updatedAt === accepted.body.data.updatedAt), "the accepted change");
    await settle(server, client);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.changes).toContain("status");
  });

  it("emits nothing for a transaction that rolls back after recording the event", async () => {
    const tenant = await createTestTenant(server);
    const client = await connect(tenant.users.agent);
    const seen = ticketEvents(client);
    const ctx = systemCtx(server.deps, tenant.id);

    await expect(
      inTransaction(ctx, async (tx) => {
        await insertTicket(tx, ctx, { subject: "Never committed" });
        throw new Error("the caller gave up");
      }),
    ).rejects.toThrow("the caller gave up");
    const committed = await inTransaction(ctx, (tx) => insertTicket(tx, ctx, { subject: "Committed" }));

    await eventually(() => seen.some((e) => e.id === committed.id), "the committed ticket");
    await settle(server, client);
    expect(seen.map((e) => e.id)).toEqual([committed.id]);
    const tickets = await api(server, tenant.users.agent).get("/api/tickets");
    expect(tickets.body.data.items.map((t: { subject: string }) => t.subject)).toEqual(["Committed"]);
  });
});

describe("socket sign-in and subscriptions", () => {
  it("refuses a socket without a token or with an unknown one", async () => {
    await expect(connectSocket(server.url)).rejects.toThrow(/sign in/i);
    await expect(connectSocket(server.url, "not-a-real-token")).rejects.toThrow(/session/i);
  });

  it("refuses a socket whose session was signed out", async () => {
    const tenant = await createTestTenant(server);
    const out = await api(server, tenant.users.agent).post("/api/auth/logout");
    expect(out.status).toBe(204);
    await expect(connectSocket(server.url, tenant.users.agent.token)).rejects.toThrow(/session/i);
  });

  it("lets a client follow its own tenant's ticket and not another tenant's", async () => {
    const a = await createTestTenant(server, "A");
    const b = await createTestTenant(server, "B");
    const foreign = await createTicket(a.users.agent, "A's ticket");
    const own = await createTicket(b.users.agent, "B's ticket");
    const client = await connect(b.users.supervisor);
    const seen = ticketEvents(client);

    const refused = await client.emitWithAck("ticket:subscribe", foreign.id);
    expect(refused).toEqual({ ok: false, error: { code: "NOT_FOUND", message: expect.any(String) } });
    const nonsense = await client.emitWithAck("ticket:subscribe", "../../etc");
    expect(nonsense).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect(await server.io.in(rooms.ticket(foreign.id)).fetchSockets()).toHaveLength(0);

    expect(await client.emitWithAck("ticket:subscribe", own.id)).toEqual({ ok: true });
    const inRoom = await server.io.in(rooms.ticket(own.id)).fetchSockets();
    expect(inRoom.map((s) => s.id)).toEqual([client.id]);

    const moved = await api(server, b.users.agent).post(`/api/tickets/${own.id}/status`).send({ status: "open" });
    expect(moved.status).toBe(200);
    await eventually(() => seen.length >= 1, "the followed ticket's change");
    await settle(server, client);
    // In the tenant room and the ticket room, the client still hears each change once.
    expect(seen.map((e) => e.id)).toEqual([own.id]);

    expect(await client.emitWithAck("ticket:unsubscribe", own.id)).toEqual({ ok: true });
    expect(await server.io.in(rooms.ticket(own.id)).fetchSockets()).toHaveLength(0);
  });

  it("lets a client follow its own tenant's conversation and not another tenant's", async () => {
    const a = await createTestTenant(server, "A");
    const b = await createTestTenant(server, "B");
    const fixturesA = await buildTenantFixtures(server, a);
    const fixturesB = await buildTenantFixtures(server, b);
    const client = await connect(b.users.agent);

    const refused = await client.emitWithAck("conversation:subscribe", fixturesA.ids.conversationId!);
    expect(refused).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect(await server.io.in(rooms.conversation(fixturesA.ids.conversationId!)).fetchSockets()).toHaveLength(0);

    expect(await client.emitWithAck("conversation:subscribe", fixturesB.ids.conversationId!)).toEqual({ ok: true });
    const inRoom = await server.io.in(rooms.conversation(fixturesB.ids.conversationId!)).fetchSockets();
    expect(inRoom.map((s) => s.id)).toEqual([client.id]);
  });
});
