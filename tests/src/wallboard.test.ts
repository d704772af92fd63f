import { rooms, type WallboardClientEvents, type WallboardServerEvents, type WallboardSnapshot } from "@yixian/contracts";
import { io, type Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { addAgent, addItem, addQueue, setPresence, setTenantZone, startClockedServer, updateItem, type ClockedServer } from "../e2e/support.ts";
import { api, createTestTenant, type TestTenant, type TestUser } from "./harness.ts";
import { connectSocket, eventually, type ClientSocket } from "./sockets.ts";

const local = (s: string) => `2026-11-20T${s}+08:00`;
type WallboardSocket = Socket<WallboardServerEvents, WallboardClientEvents>;

let server: ClockedServer;
const open: { close(): unknown }[] = [];

beforeAll(async () => {
  server = await startClockedServer(local("10:07:00"));
});
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});
afterAll(async () => {
  await server?.stop();
});

/** A socket on the wallboard namespace, like the page's: a link token, or a session token. */
function connectWallboard(token?: string): Promise<{ socket: WallboardSocket; seen: WallboardSnapshot[] }> {
  const socket: WallboardSocket = io(`${server.url}/wallboard`, { transports: ["websocket"], reconnection: false, forceNew: true, auth: token ? { token } : {} });
  open.push(socket);
  const seen: WallboardSnapshot[] = [];
  socket.on("wallboard:update", (s) => seen.push(s));
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve({ socket, seen }));
    socket.once("connect_error", (err) => reject(err));
  });
}

interface Floor {
  tenant: TestTenant;
  sales: string;
  support: string;
  li: string;
  han: string;
}

async function floor(): Promise<Floor> {
  server.clock.set(local("10:07:00"));
  const tenant = await createTestTenant(server, "Wallboard");
  await setTenantZone(server, tenant.id, "Asia/Shanghai");
  const li = await addAgent(server, tenant.id, "李雷");
  const han = await addAgent(server, tenant.id, "韩梅梅");
  const sales = await addQueue(server, tenant.id, "Sales 销售", [li]);
  const support = await addQueue(server, tenant.id, "Support 技术支持", [han, tenant.users.agent.id]);
  await setPresence(server, tenant.id, li, "available", local("10:00:00"));
  await setPresence(server, tenant.id, han, "away", local("09:00:00"), "training");
  return { tenant, sales, support, li, han };
}

async function createLink(user: TestUser, body: Record<string, unknown>): Promise<{ id: string; token: string; url: string }> {
  const res = await api(server, user).post("/api/wallboard-links").send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.data.link.id, token: res.body.data.token, url: res.body.data.url };
}

const queueOf = (s: WallboardSnapshot | undefined, id: string) => s?.queues.find((q) => q.queueId === id);

describe("wallboard links", () => {
  it("lets a supervisor make a read-only link that opens the tenant's snapshot, keeping only the token's hash", async () => {
    const f = await floor();
    const link = await createLink(f.tenant.users.supervisor, { name: "Hall TV 大厅" });
    expect(link.token).toMatch(/^wb_[\w-]{40,}$/);
    expect(link.url).toBe(`${server.url}/wallboard?token=${link.token}`);
    const stored = await server.deps.db.selectFrom("wallboard_links").selectAll().where("id", "=", link.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(link.token);

    const snapshot = await api(server).get("/api/wallboard").query({ token: link.token });
    expect(snapshot.status, JSON.stringify(snapshot.body)).toBe(200);
    expect(snapshot.body.data).toMatchObject({ tenantId: f.tenant.id, timeZone: "Asia/Shanghai", intervalStart: "2026-11-20T02:00:00.000Z" });
    expect(snapshot.body.data.queues.map((q: { name: string }) => q.name)).toEqual(["Sales 销售", "Support 技术支持"]);

    const list = await api(server, f.tenant.users.supervisor).get("/api/wallboard-links");
    expect(list.body.data).toEqual([expect.objectContaining({ id: link.id, name: "Hall TV 大厅", state: "active", queueIds: [], expiresAt: "2026-12-20T02:07:00.000Z" })]);
    const audit = await api(server, f.tenant.users.admin).get("/api/audit-log");
    expect(audit.body.data.items.map((e: { action: string }) => e.action)).toContain("wallboard_link.created");

    const byAgent = await api(server, f.tenant.users.agent).post("/api/wallboard-links").send({ name: "Mine" });
    expect(byAgent.status).toBe(403);
  });

  it("shows a link narrowed to a queue only that queue and its members", async () => {
    const f = await floor();
    const link = await createLink(f.tenant.users.supervisor, { name: "Sales TV", queueIds: [f.sales] });
    const res = await api(server).get("/api/wallboard").query({ token: link.token });
    expect(res.body.data.queues.map((q: { queueId: string }) => q.queueId)).toEqual([f.sales]);
    expect(res.body.data.agents.map((a: { name: string }) => a.name)).toEqual(["李雷"]);
  });

  it("refuses a queue filter naming another tenant's queue", async () => {
    const f = await floor();
    const other = await floor();
    const res = await api(server, f.tenant.users.supervisor).post("/api/wallboard-links").send({ name: "Sneaky", queueIds: [other.sales] });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("NOT_FOUND");
    expect((await api(server, f.tenant.users.supervisor).get("/api/wallboard-links")).body.data).toEqual([]);
  });

  it("stops opening anything once expired, over REST and over the socket", async () => {
    const f = await floor();
    const link = await createLink(f.tenant.users.supervisor, { name: "Short", expiresAt: local("11:07:00") });
    expect((await api(server).get("/api/wallboard").query({ token: link.token })).status).toBe(200);
    server.clock.set(local("11:07:00"));
    const res = await api(server).get("/api/wallboard").query({ token: link.token });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("UNAUTHENTICATED");
    await expect(connectWallboard(link.token)).rejects.toThrow(/expired, was revoked/);
    const list = await api(server, f.tenant.users.supervisor).get("/api/wallboard-links");
    expect(list.body.data[0].state).toBe("expired");

    const past = await api(server, f.tenant.users.supervisor).post("/api/wallboard-links").send({ name: "Past", expiresAt: local("09:00:00") });
    expect(past.status).toBe(400);
    expect(past.body.error.code).toBe("VALIDATION_FAILED");
  });

  it("cuts off a page open with a link when the link is revoked, and opens nothing after", async () => {
    const f = await floor();
    const link = await createLink(f.tenant.users.supervisor, { name: "Revoke me" });
    const { socket } = await connectWallboard(link.token);
    let disconnected = "";
    socket.on("disconnect", (reason) => (disconnected = reason));

    const del = await api(server, f.tenant.users.supervisor).delete(`/api/wallboard-links/${link.id}`);
    expect(del.status).toBe(204);
    await eventually(() => disconnected !== "", "the open page to be disconnected");
    expect(disconnected).toBe("io server disconnect");
    expect((await api(server).get("/api/wallboard").query({ token: link.token })).status).toBe(401);
    await expect(connectWallboard(link.token)).rejects.toThrow(/expired, was revoked/);
    expect((await api(server, f.tenant.users.supervisor).get("/api/wallboard-links")).body.data[0]).toMatchObject({ state: "revoked", revokedAt: "2026-11-20T02:07:00.000Z" });
    // revoking again changes nothing; another tenant cannot see or revoke it
    expect((await api(server, f.tenant.users.supervisor).delete(`/api/wallboard-links/${link.id}`)).status).toBe(204);
    const other = await createTestTenant(server, "Other");
    expect((await api(server, other.users.supervisor).delete(`/api/wallboard-links/${link.id}`)).status).toBe(404);
  });

  it("answers GET /wallboard to a signed-in user who may read queues, and nobody else without a link", async () => {
    const f = await floor();
    expect((await api(server, f.tenant.users.supervisor).get("/api/wallboard")).body.data.tenantId).toBe(f.tenant.id);
    expect((await api(server).get("/api/wallboard")).status).toBe(401);
    expect((await api(server, f.tenant.users.field_engineer).get("/api/wallboard")).status).toBe(403);
    const wrong = await api(server).get("/api/wallboard").query({ token: "wb_this-token-was-never-issued-by-the-server" });
    expect(wrong.status).toBe(401);
  });
});

describe("wallboard push", () => {
  it("sends a snapshot on connect and a new one after work items and presence change, without reload", async () => {
    const f = await floor();
    const link = await createLink(f.tenant.users.supervisor, { name: "TV" });
    const { seen } = await connectWallboard(link.token);
    await eventually(() => seen.length >= 1, "the first snapshot");
    expect(queueOf(seen[0], f.sales)).toMatchObject({ waiting: 0, serviceLevel: null, agents: { available: 1 } });

    const item = await addItem(server, f.tenant.id, f.sales, { state: "waiting", enqueuedAt: local("10:06:40") });
    await eventually(() => queueOf(seen.at(-1), f.sales)?.waiting === 1, "the waiting item to be pushed");
    expect(queueOf(seen.at(-1), f.sales)).toMatchObject({ longestWaitSeconds: 20, oldestWaitingSince: "2026-11-20T02:06:40.000Z" });

    await updateItem(server, f.tenant.id, item, { state: "assigned", assignedAt: local("10:07:00"), assignedTo: f.li });
    await setPresence(server, f.tenant.id, f.li, "busy", local("10:07:00"));
    await eventually(() => seen.at(-1)?.agents.find((a) => a.userId === f.li)?.state === "busy", "Li to show busy");
    expect(queueOf(seen.at(-1), f.sales)).toMatchObject({ waiting: 0, answered: 1, serviceLevel: 1, asaSeconds: 20, agents: { available: 0, busy: 1 } });
  });

  it("pushes a link narrowed to a queue only that queue", async () => {
    const f = await floor();
    const link = await createLink(f.tenant.users.supervisor, { name: "Support TV", queueIds: [f.support] });
    const { seen } = await connectWallboard(link.token);
    await addItem(server, f.tenant.id, f.sales, { state: "waiting", enqueuedAt: local("10:06:00") });
    await addItem(server, f.tenant.id, f.support, { state: "waiting", enqueuedAt: local("10:06:30") });
    await eventually(() => queueOf(seen.at(-1), f.support)?.waiting === 1, "the support item");
    for (const s of seen) {
      expect(s.queues.map((q) => q.queueId)).toEqual([f.support]);
      expect(s.agents.map((a) => a.userId)).not.toContain(f.li);
    }
  });

  it("reaches a signed-in supervisor's wallboard socket and an agent's queue room, and no other tenant", async () => {
    const f = await floor();
    const other = await floor();
    const supervisor = await connectWallboard(f.tenant.users.supervisor.token);
    const otherBoard = await connectWallboard(other.tenant.users.supervisor.token);
    const agent: ClientSocket = await connectSocket(server.url, f.tenant.users.agent.token);
    open.push(agent);
    const agentSeen: WallboardSnapshot[] = [];
    agent.on("wallboard:update", (s) => agentSeen.push(s));
    let inQueueRoom = 0;
    await eventually(() => {
      void server.io.in(rooms.queue(f.support)).fetchSockets().then((s) => (inQueueRoom = s.length));
      return inQueueRoom > 0;
    }, "the agent's socket to join its queue room");
    await eventually(() => supervisor.seen.length >= 1 && otherBoard.seen.length >= 1, "the first snapshots");

    await addItem(server, f.tenant.id, f.support, { state: "waiting", enqueuedAt: local("10:05:00") });
    await eventually(() => queueOf(supervisor.seen.at(-1), f.support)?.waiting === 1, "the supervisor's board to update");
    await eventually(() => queueOf(agentSeen.at(-1), f.support)?.waiting === 1, "the agent's queue room to hear of its queue");
    // the agent's queue room carries only the agent's queue
    expect(agentSeen.every((s) => s.queues.length === 1 && s.queues[0]!.queueId === f.support)).toBe(true);
    // a change in the other tenant is the only thing its board ever hears about
    await addItem(server, other.tenant.id, other.sales, { state: "waiting", enqueuedAt: local("10:06:00") });
    await eventually(() => queueOf(otherBoard.seen.at(-1), other.sales)?.waiting === 1, "the other tenant's board");
    expect(otherBoard.seen.every((s) => s.tenantId === other.tenant.id)).toBe(true);
    expect(supervisor.seen.every((s) => s.tenantId === f.tenant.id)).toBe(true);
  });

  it("refuses a socket without a link or session, and a role that may not read queues", async () => {
    const f = await floor();
    await expect(connectWallboard()).rejects.toThrow(/wallboard link or sign in/);
    await expect(connectWallboard(f.tenant.users.field_engineer.token)).rejects.toThrow(/may not read queues/);
  });

  it("answers a refresh with the current snapshot (the page asks at each new interval)", async () => {
    const f = await floor();
    const link = await createLink(f.tenant.users.supervisor, { name: "TV" });
    const { socket } = await connectWallboard(link.token);
    server.clock.set(local("10:15:05"));
    const res = await socket.emitWithAck("wallboard:refresh");
    expect(res.ok).toBe(true);
    if (res.ok) expect(res.snapshot).toMatchObject({ intervalStart: "2026-11-20T02:15:00.000Z", at: "2026-11-20T02:15:05.000Z" });
  });
});
