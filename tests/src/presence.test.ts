import { describe, expect, it } from "vitest";
import { api, createTestTenant, type TestServer, type TestUser } from "./harness.ts";
import { accept, addUser, heardOf, itemOf, makeQueue, myOffers, serverWithAgents, setPresence, startChat, until } from "./routing-kit.ts";

let server: TestServer;
const agents = serverWithAgents((s) => (server = s));

async function socketOf(user: TestUser) {
  return (await agents.agentSocket(user)).heard;
}

async function stateLog(userId: string) {
  return server.deps.db.selectFrom("agent_state_log").select(["state", "reason", "started_at", "ended_at"]).where("user_id", "=", userId).orderBy("id").execute();
}

describe("agent presence", () => {
  it("moves an agent between available, away with a reason, and offline; logs every stretch and tells the tenant", async () => {
    const tenant = await createTestTenant(server);
    const li = await addUser(server, tenant, "Li Lei");
    const supervisor = await socketOf(tenant.users.supervisor);

    expect((await api(server, li).get("/api/presence/me")).body.data).toMatchObject({ userId: li.id, state: "offline", capacity: { voice: 1, chat: 5, email: 10 } });
    expect(await setPresence(server, li, "available")).toMatchObject({ state: "available", reason: null });
    expect(await setPresence(server, li, "away", "lunch")).toMatchObject({ state: "away", reason: "lunch" });
    expect(await setPresence(server, li, "offline")).toMatchObject({ state: "offline", reason: null });

    await heardOf(supervisor.presence, (e) => e.userId === li.id && e.state === "offline", "the supervisor to hear Li went offline");
    expect(supervisor.presence.filter((e) => e.userId === li.id).map((e) => [e.state, e.reason])).toEqual([
      ["available", null],
      ["away", "lunch"],
      ["offline", null],
    ]);
    const log = await stateLog(li.id);
    expect(log.map((l) => [l.state, l.reason])).toEqual([
      ["offline", null],
      ["available", null],
      ["away", "lunch"],
      ["offline", null],
    ]);
    // each stretch ends where the next begins; only the last is open
    for (let i = 0; i < log.length - 1; i++) expect(new Date(log[i]!.ended_at!).getTime()).toBe(new Date(log[i + 1]!.started_at).getTime());
    expect(log.at(-1)!.ended_at).toBeNull();
    const audit = await api(server, tenant.admin).get(`/api/audit-log?entityType=user&entityId=${li.id}`);
    expect(audit.body.data.items.filter((a: { action: string }) => a.action === "presence.changed")).toHaveLength(3);
  });

  it("lets supervisors see every agent and change their state and capacity; agents only their own", async () => {
    const tenant = await createTestTenant(server);
    const li = await addUser(server, tenant, "Li Lei");
    const wang = await addUser(server, tenant, "Wang Fang");
    const queueId = await makeQueue(server, tenant, [li, wang]);
    await setPresence(server, li, "available");

    const byAgent = await api(server, li).put(`/api/presence/${wang.id}`).send({ state: "available" });
    expect(byAgent.status).toBe(403);
    expect(byAgent.body.error.code).toBe("FORBIDDEN");
    const bySupervisor = await api(server, tenant.users.supervisor).put(`/api/presence/${wang.id}`).send({ state: "away", reason: "training" });
    expect(bySupervisor.status).toBe(200);
    expect(bySupervisor.body.data).toMatchObject({ state: "away", reason: "training" });
    const capacity = await api(server, tenant.users.supervisor).patch(`/api/presence/${wang.id}/capacity`).send({ chat: 3 });
    expect(capacity.body.data.capacity).toEqual({ voice: 1, chat: 3, email: 10 });

    const all = await api(server, li).get(`/api/presence?queueId=${queueId}`);
    expect(all.status).toBe(200);
    expect(all.body.data.map((p: { userId: string; state: string }) => [p.userId, p.state]).sort()).toEqual(
      [
        [li.id, "available"],
        [wang.id, "away"],
      ].sort(),
    );
    const away = await api(server, li).get("/api/presence?state=away");
    expect(away.body.data.map((p: { userId: string }) => p.userId)).toEqual([wang.id]);
    const foreign = await api(server, tenant.users.supervisor).put("/api/presence/00000000-0000-7000-8000-000000000000").send({ state: "available" });
    expect(foreign.status).toBe(404);
  });

  it("makes an agent busy while they hold work, then wrap-up for the queue's time, then available again", async () => {
    const tenant = await createTestTenant(server);
    const li = await addUser(server, tenant, "Li Lei");
    const queueId = await makeQueue(server, tenant, [li], { wrapUpSeconds: 1 });
    const heard = await socketOf(li);
    await setPresence(server, li, "available");

    const chat = await startChat(server, tenant, { queueId });
    const offer = await heardOf(heard.offers, (o) => o.conversationId === chat.id, "the offer");
    expect((await accept(server, li, offer.offerId)).status).toBe(200);
    expect((await api(server, li).get("/api/presence/me")).body.data.state).toBe("busy");
    // asking to be available while holding work keeps the agent busy
    expect(await setPresence(server, li, "available")).toMatchObject({ state: "busy", load: { chat: 1 } });

    expect((await api(server, li).post(`/api/conversations/${chat.id}/end`).send({ wrapUp: "已解决" })).status).toBe(200);
    const wrapping = (await api(server, li).get("/api/presence/me")).body.data;
    expect(wrapping.state).toBe("wrap_up");
    expect(wrapping.wrapUpUntil).not.toBeNull();
    // no offer reaches an agent in wrap-up
    const next = await startChat(server, tenant, { queueId });
    await heardOf(heard.presence, (e) => e.userId === li.id && e.state === "available", "the end of wrap-up");
    const second = await heardOf(heard.offers, (o) => o.conversationId === next.id, "the next offer after wrap-up");
    expect(second.workItemId).toBe((await itemOf(server, next.id)).id);

    const item = await itemOf(server, chat.id);
    expect(item.state).toBe("completed");
    expect(item.completed_at).not.toBeNull();
    expect(item.wrap_ms).toBeGreaterThan(0);
    const log = await stateLog(li.id);
    expect(log.map((l) => l.state)).toEqual(["offline", "available", "busy", "wrap_up", "available"]);
  });

  it("lets an agent end wrap-up early by becoming available", async () => {
    const tenant = await createTestTenant(server);
    const li = await addUser(server, tenant, "Li Lei");
    const queueId = await makeQueue(server, tenant, [li], { wrapUpSeconds: 3600 });
    await setPresence(server, li, "available");
    const chat = await startChat(server, tenant, { queueId });
    const [offer] = await until(() => myOffers(server, li), (o) => o.length > 0, "the offer");
    expect((await accept(server, li, offer!.offerId)).status).toBe(200);
    expect((await api(server, li).post(`/api/conversations/${chat.id}/end`).send({})).status).toBe(200);
    expect((await api(server, li).get("/api/presence/me")).body.data.state).toBe("wrap_up");
    expect(await setPresence(server, li, "available")).toMatchObject({ state: "available", wrapUpUntil: null });
    expect((await itemOf(server, chat.id)).wrap_ms).toBeGreaterThanOrEqual(0);
  });
});
