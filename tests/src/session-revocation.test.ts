import type { WallboardClientEvents, WallboardServerEvents } from "@yixian/contracts";
import { io, type Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startClockedServer, type ClockedServer } from "../e2e/support.ts";
import { api, createTestTenant } from "./harness.ts";
import { connectSocket, eventually, settle, ticketEvents, type ClientSocket } from "./sockets.ts";

// A signed-out or disabled user's open sockets are cut off at once, in every namespace.
type WallboardSocket = Socket<WallboardServerEvents, WallboardClientEvents>;

let server: ClockedServer;
const open: { close(): unknown }[] = [];
beforeAll(async () => {
  server = await startClockedServer(new Date().toISOString());
});
afterEach(() => {
  for (const s of open.splice(0)) s.close();
  server.clock.set(new Date().toISOString());
});
afterAll(async () => {
  await server?.stop();
});

async function socketOf(token: string): Promise<ClientSocket> {
  const socket = await connectSocket(server.url, token);
  open.push(socket);
  return socket;
}

function wallboardOf(token: string): Promise<WallboardSocket> {
  const socket: WallboardSocket = io(`${server.url}/wallboard`, { transports: ["websocket"], reconnection: false, forceNew: true, auth: { token } });
  open.push(socket);
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

/** Records why the server closed the socket. */
function closedBy(socket: { once(e: "disconnect", fn: (reason: string) => void): unknown }): { reason: string | null } {
  const seen: { reason: string | null } = { reason: null };
  socket.once("disconnect", (reason) => (seen.reason = reason));
  return seen;
}

describe("sockets end with their session", () => {
  it("signing out disconnects the session's console and wallboard sockets; other sessions keep theirs", async () => {
    const t = await createTestTenant(server);
    const supervisor = await socketOf(t.users.supervisor.token);
    const wallboard = await wallboardOf(t.users.supervisor.token);
    const admin = await socketOf(t.admin.token);
    const revoked: string[] = [];
    supervisor.on("session:revoked", (e) => revoked.push(e.reason));
    const [mainClosed, wallboardClosed] = [closedBy(supervisor), closedBy(wallboard)];
    const seenByAdmin = ticketEvents(admin);
    const seenBySupervisor = ticketEvents(supervisor);

    const out = await api(server, t.users.supervisor).post("/api/auth/logout");
    expect(out.status).toBe(204);
    await eventually(() => mainClosed.reason !== null && wallboardClosed.reason !== null, "both of the session's sockets to be closed");
    expect(mainClosed.reason).toBe("io server disconnect");
    expect(wallboardClosed.reason).toBe("io server disconnect");
    expect(revoked).toEqual(["signed_out"]);

    const created = await api(server, t.admin).post("/api/tickets").send({ subject: "after the sign-out" });
    expect(created.status).toBe(201);
    await settle(server, admin);
    expect(seenByAdmin.map((e) => e.id)).toContain(created.body.data.id);
    expect(seenBySupervisor).toEqual([]);
    expect(admin.connected).toBe(true);
    // the token opens nothing again
    await expect(connectSocket(server.url, t.users.supervisor.token)).rejects.toThrow(/session expired or unknown/);
  });

  it("disabling a user disconnects their sockets, and they cannot subscribe again", async () => {
    const t = await createTestTenant(server);
    const agent = await socketOf(t.users.agent.token);
    const closed = closedBy(agent);
    const revoked: string[] = [];
    agent.on("session:revoked", (e) => revoked.push(e.reason));

    const disabled = await api(server, t.admin).patch(`/api/users/${t.users.agent.id}`).send({ active: false });
    expect(disabled.status).toBe(200);
    await eventually(() => closed.reason !== null, "the disabled agent's socket to be closed");
    expect(closed.reason).toBe("io server disconnect");
    expect(revoked).toEqual(["deactivated"]);
    await expect(connectSocket(server.url, t.users.agent.token)).rejects.toThrow(/session expired or unknown/);
  });

  it("a changed password ends the user's other sessions' sockets", async () => {
    const t = await createTestTenant(server);
    const agent = await socketOf(t.users.agent.token);
    const closed = closedBy(agent);
    const changed = await api(server, t.admin).patch(`/api/users/${t.users.agent.id}`).send({ password: "a new password 2026" });
    expect(changed.status).toBe(200);
    await eventually(() => closed.reason !== null, "the agent's socket to be closed");
  });

  it("a socket whose session expired is refused on its next request and closed", async () => {
    const t = await createTestTenant(server);
    const ticket = await api(server, t.users.agent).post("/api/tickets").send({ subject: "watched" });
    const agent = await socketOf(t.users.agent.token);
    expect(await agent.emitWithAck("ticket:subscribe", ticket.body.data.id)).toEqual({ ok: true });
    const closed = closedBy(agent);

    server.clock.set(new Date(Date.now() + 2 * 3_600_000).toISOString());
    agent.emit("ticket:subscribe", ticket.body.data.id, () => {
      throw new Error("an expired session's request was answered");
    });
    await eventually(() => closed.reason !== null, "the expired socket to be closed");
    expect(closed.reason).toBe("io server disconnect");
  });
});
