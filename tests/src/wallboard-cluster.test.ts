import type { WallboardClientEvents, WallboardServerEvents, WallboardSnapshot } from "@yixian/contracts";
import { migrate, openDatabase } from "@yixian/server";
import { io, type Socket } from "socket.io-client";
import { describe, expect, it } from "vitest";
import { holdPusherLease, takeChangedTenants } from "../../server/src/domain/metrics/pusher-lease.ts";
import { addAgent, addItem, addQueue } from "../e2e/support.ts";
import { api, createTestTenant, freshPostgresDatabase, type TestServer } from "./harness.ts";
import { twoNodesForFile, type NodeProcess } from "./node-process.ts";
import { eventually } from "./sockets.ts";

// Two server processes on one PostgreSQL and Redis: one of them (the lease holder) computes
// each wallboard update, and the Redis adapter carries it to pages on both.
type WallboardSocket = Socket<WallboardServerEvents, WallboardClientEvents>;

let node1: TestServer;
let node2: NodeProcess;
const sockets: WallboardSocket[] = [];
twoNodesForFile(
  (n1, n2) => {
    node1 = n1;
    node2 = n2;
  },
  { redis: true, closeAfterAll: sockets },
);

function watch(url: string, token: string): Promise<WallboardSnapshot[]> {
  const socket: WallboardSocket = io(`${url}/wallboard`, { transports: ["websocket"], reconnection: false, forceNew: true, auth: { token } });
  sockets.push(socket);
  const seen: WallboardSnapshot[] = [];
  socket.on("wallboard:update", (s) => seen.push(s));
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(seen));
    socket.once("connect_error", reject);
  });
}

describe("wallboard with two server processes", () => {
  it("pushes changes from the one process holding the lease to pages on both", async () => {
    const tenant = await createTestTenant(node1, "Cluster");
    const li = await addAgent(node1, tenant.id, "李雷");
    const queue = await addQueue(node1, tenant.id, "Hotline", [li]);
    const link = await api(node1, tenant.users.supervisor).post("/api/wallboard-links").send({ name: "TV" });
    expect(link.status).toBe(201);
    const onNode2 = await watch(node2.url, link.body.data.token as string);
    const onNode1 = await watch(node1.url, tenant.users.supervisor.token);
    await eventually(() => onNode1.length > 0 && onNode2.length > 0, "the first snapshots");

    const waitingOf = (seen: WallboardSnapshot[]) => seen.map((s) => s.queues.find((q) => q.queueId === queue)?.waiting ?? 0).filter((n) => n > 0);
    await addItem(node1, tenant.id, queue, { state: "waiting", enqueuedAt: new Date().toISOString() });
    await eventually(() => waitingOf(onNode1).includes(1) && waitingOf(onNode2).includes(1), "the first item on both pages");
    await addItem(node1, tenant.id, queue, { state: "waiting", enqueuedAt: new Date().toISOString() });
    await eventually(() => waitingOf(onNode1).includes(2) && waitingOf(onNode2).includes(2), "the second item on both pages");
    // one process computes, so the pages never see the count step back (two racing computers could)
    for (const seen of [waitingOf(onNode1), waitingOf(onNode2)]) expect(seen).toEqual([...seen].sort((x, y) => x - y));
    const leases = await node1.deps.db.selectFrom("wallboard_pusher_lease").selectAll().execute();
    expect(leases).toHaveLength(1);
    expect([process.pid, node2.child.pid].map(String)).toContain(leases[0]!.holder.split("-")[0]);
  });
});

describe("the pusher's lease", () => {
  it("is held by one process at a time and passes on when its holder stops renewing it", async () => {
    const fresh = await freshPostgresDatabase();
    const database = await openDatabase({ kind: "postgres", url: fresh.url });
    try {
      await migrate(database.db);
      const { db } = database;
      expect(await holdPusherLease(db, "process-a", 3000)).toBe(true);
      expect(await holdPusherLease(db, "process-b", 3000)).toBe(false);
      expect(await holdPusherLease(db, "process-a", 3000)).toBe(true);
      // process a dies: its lease runs out
      await db.updateTable("wallboard_pusher_lease").set({ expires_at: new Date(0) }).execute();
      expect(await holdPusherLease(db, "process-b", 3000)).toBe(true);
      expect(await holdPusherLease(db, "process-a", 3000)).toBe(false);

      // the change feed hands each change to one taker
      const tenant = await db.insertInto("tenants").values({ slug: "lease-test", name: "Lease" }).returning("id").executeTakeFirstOrThrow();
      await db.insertInto("queues").values({ tenant_id: tenant.id, name: "Q" }).execute();
      expect(await takeChangedTenants(db)).toEqual([tenant.id]);
      expect(await takeChangedTenants(db)).toEqual([]);
    } finally {
      await database.close();
      await fresh.drop();
    }
  });
});
