import type { WallboardClientEvents, WallboardServerEvents } from "@yixian/contracts";
import { io, type Socket } from "socket.io-client";
import { describe, expect, it } from "vitest";
import { api, createTestTenant, type TestServer } from "./harness.ts";
import { twoNodesForFile, type NodeProcess } from "./node-process.ts";
import { connectSocket, eventually, settle, ticketEvents, type ClientSocket } from "./sockets.ts";

// Two nodes on one PostgreSQL and Redis: a sign-out on node 1 cuts off the session's sockets on
// node 2 too. Always PostgreSQL: PGlite is one process's database by design.
type WallboardSocket = Socket<WallboardServerEvents, WallboardClientEvents>;

let node1: TestServer;
let node2: NodeProcess;
const sockets: { close(): unknown }[] = [];
twoNodesForFile(
  (n1, n2) => {
    node1 = n1;
    node2 = n2;
  },
  { redis: true, closeAfterAll: sockets },
);

function closedBy(socket: { once(e: "disconnect", fn: (reason: string) => void): unknown }): { reason: string | null } {
  const seen: { reason: string | null } = { reason: null };
  socket.once("disconnect", (reason) => (seen.reason = reason));
  return seen;
}

describe("session revocation across nodes", () => {
  it("a sign-out through node 1 disconnects the session's sockets on node 2, which hear nothing more", async () => {
    const t = await createTestTenant(node1);
    const onNode2: ClientSocket = await connectSocket(node2.url, t.users.supervisor.token);
    const wallboard: WallboardSocket = io(`${node2.url}/wallboard`, { transports: ["websocket"], reconnection: false, forceNew: true, auth: { token: t.users.supervisor.token } });
    await new Promise<void>((resolve, reject) => {
      wallboard.once("connect", resolve);
      wallboard.once("connect_error", reject);
    });
    const witness: ClientSocket = await connectSocket(node2.url, t.admin.token);
    sockets.push(onNode2, wallboard, witness);
    const [closed, wallboardClosed] = [closedBy(onNode2), closedBy(wallboard)];
    const seenBySupervisor = ticketEvents(onNode2);
    const seenByWitness = ticketEvents(witness);

    const out = await api(node1, t.users.supervisor).post("/api/auth/logout");
    expect(out.status).toBe(204);
    await eventually(() => closed.reason !== null && wallboardClosed.reason !== null, "node 2's sockets of the session to be closed");
    expect(closed.reason).toBe("io server disconnect");
    expect(wallboardClosed.reason).toBe("io server disconnect");

    const created = await api(node1, t.admin).post("/api/tickets").send({ subject: "after the sign-out" });
    expect(created.status).toBe(201);
    await eventually(() => seenByWitness.some((e) => e.id === created.body.data.id), "the admin's socket on node 2 to hear of the ticket");
    await settle(node1, witness);
    expect(seenBySupervisor).toEqual([]);
    expect(witness.connected).toBe(true);
    await expect(connectSocket(node2.url, t.users.supervisor.token)).rejects.toThrow(/session expired or unknown/);
  });

  it("disabling a user on node 1 disconnects their socket on node 2", async () => {
    const t = await createTestTenant(node1);
    const agent = await connectSocket(node2.url, t.users.agent.token);
    sockets.push(agent);
    const closed = closedBy(agent);
    const disabled = await api(node1, t.admin).patch(`/api/users/${t.users.agent.id}`).send({ active: false });
    expect(disabled.status).toBe(200);
    await eventually(() => closed.reason !== null, "the agent's socket on node 2 to be closed");
    expect(closed.reason).toBe("io server disconnect");
  });
});
