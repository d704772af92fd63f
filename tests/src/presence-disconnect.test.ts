import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, createTestTenant, startTestServer, type TestServer, type TestTenant, type TestUser } from "./harness.ts";
import { addUser, agentOn, heardOf, liAndWang, makeQueue, myOffers, setCapacity, setPresence, startChat, until, type RoutingSocket } from "./routing-kit.ts";
import { serverForFile } from "./server-kit.ts";

// An agent whose console goes away (closed tab, lost network) leaves routing at once; a
// reconnect within the grace period restores them as they were; after it they are offline.

const open: RoutingSocket[] = [];
let server: TestServer;
// A grace period far longer than any wait below: whatever happens here happens before it ends.
serverForFile((s) => (server = s), { start: { env: { PRESENCE_GRACE_MS: "60000" } }, closeAfterEach: open });

const agentSocket = (url: string, user: TestUser) => agentOn(url, user, open);

/** The agent as supervisors see them: the presence list and the wallboard's agent grid. */
async function presenceOf(s: TestServer, tenant: TestTenant, user: TestUser): Promise<{ state: string; disconnectedAt: string | null; onWallboard: string | null }> {
  const res = await api(s, tenant.users.supervisor).get("/api/presence");
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const presence = (res.body.data as { userId: string; state: string; disconnectedAt: string | null }[]).find((p) => p.userId === user.id)!;
  const board = await api(s, tenant.users.supervisor).get("/api/metrics/agents");
  expect(board.status, JSON.stringify(board.body)).toBe(200);
  const tile = (board.body.data.agents as { userId: string; disconnectedAt: string | null }[]).find((a) => a.userId === user.id);
  return { state: presence.state, disconnectedAt: presence.disconnectedAt, onWallboard: tile?.disconnectedAt ?? null };
}

describe("a dropped console socket", () => {
  it("stops offers to the agent, gives their pending offer to another, and a reconnect restores them", async () => {
    const { tenant, li, wang, queueId } = await liAndWang(server);
    const liConsole = await agentSocket(server.url, li);
    const wangConsole = await agentSocket(server.url, wang);
    const supervisor = await agentSocket(server.url, tenant.users.supervisor);
    await setPresence(server, li, "available");

    const first = await startChat(server, tenant, { queueId });
    await heardOf(liConsole.heard.offers, (o) => o.conversationId === first.id, "Li's offer");
    liConsole.socket.close();
    // supervisors see Li reconnecting, still available, on the presence list and the wallboard
    await heardOf(supervisor.heard.presence, (e) => e.userId === li.id && e.disconnectedAt !== null, "the supervisor to hear Li's console dropped");
    const dropped = await presenceOf(server, tenant, li);
    expect(dropped).toMatchObject({ state: "available", disconnectedAt: expect.any(String) });
    expect(dropped.onWallboard).toBe(dropped.disconnectedAt);

    // the offer is withdrawn without waiting for it to expire, and the next agent gets the chat
    await until(() => myOffers(server, li), (o) => o.length === 0, "Li's offer to be withdrawn");
    await setPresence(server, wang, "available");
    await heardOf(wangConsole.heard.offers, (o) => o.conversationId === first.id, "Wang to be offered the chat Li left");
    // least busy would pick Li (nothing held) over Wang (one offer): Li gets nothing new
    const second = await startChat(server, tenant, { queueId });
    await heardOf(wangConsole.heard.offers, (o) => o.conversationId === second.id, "Wang to be offered the next chat");
    expect(await myOffers(server, li)).toEqual([]);
    // Li's state is kept through the grace period: no missed offers, not away
    expect((await api(server, li).get("/api/presence/me")).body.data).toMatchObject({ state: "available", missedOffers: 0 });

    // Wang is full; a third chat waits until Li's console comes back, and then goes to Li
    await setCapacity(server, tenant, wang, { chat: 2 });
    const third = await startChat(server, tenant, { queueId });
    await agentSocket(server.url, li);
    await until(() => myOffers(server, li), (o) => o.some((c) => c.conversationId === third.id), "Li to be offered the waiting chat after reconnecting");
    expect(await presenceOf(server, tenant, li)).toEqual({ state: "available", disconnectedAt: null, onWallboard: null });
    await heardOf(supervisor.heard.presence, (e) => e.userId === li.id && e.disconnectedAt === null, "the supervisor to hear Li is back");
  });

  it("keeps a reloading console's agent in routing: the pending chat is offered again at once, reload after reload", async () => {
    const tenant = await createTestTenant(server);
    const li = await addUser(server, tenant, "李娜");
    const queueId = await makeQueue(server, tenant, [li], { offerTimeoutSeconds: 600 });
    let tab = await agentSocket(server.url, li);
    await setPresence(server, li, "available");
    const chat = await startChat(server, tenant, { queueId });
    await heardOf(tab.heard.offers, (o) => o.conversationId === chat.id, "Li's offer");
    // a reload: the old page's socket closes while the new page's connects, in either order
    for (let reload = 0; reload < 5; reload++) {
      const old = tab;
      const opening = agentSocket(server.url, li);
      old.socket.close();
      tab = await opening;
      // far inside the 60 s grace period: only a correct order of connect/disconnect gets here
      await until(() => myOffers(server, li), (o) => o.some((c) => c.conversationId === chat.id), `the chat offered to Li after reload ${reload + 1}`);
      await until(() => presenceOf(server, tenant, li), (p) => p.disconnectedAt === null, `Li connected after reload ${reload + 1}`);
    }
    // and still routed afterwards: the next chat reaches Li's last console
    const next = await startChat(server, tenant, { queueId });
    await heardOf(tab.heard.offers, (o) => o.conversationId === next.id, "the next chat offered on Li's last console");
    expect(await presenceOf(server, tenant, li)).toEqual({ state: "available", disconnectedAt: null, onWallboard: null });
  });

  it("offers the withdrawn chat again to the same agent when the console comes back", async () => {
    const tenant = await createTestTenant(server);
    const li = await addUser(server, tenant, "李娜");
    const queueId = await makeQueue(server, tenant, [li], { offerTimeoutSeconds: 600 });
    const tab = await agentSocket(server.url, li);
    await setPresence(server, li, "available");
    const chat = await startChat(server, tenant, { queueId });
    await heardOf(tab.heard.offers, (o) => o.conversationId === chat.id, "Li's offer");
    tab.socket.close();
    await until(() => myOffers(server, li), (o) => o.length === 0, "Li's offer to be withdrawn");
    await agentSocket(server.url, li);
    await until(() => myOffers(server, li), (o) => o.some((c) => c.conversationId === chat.id), "the chat offered again to Li");
  });

  it("keeps the agent in routing while another console of theirs is still connected", async () => {
    const tenant = await createTestTenant(server);
    const li = await addUser(server, tenant, "李娜");
    const queueId = await makeQueue(server, tenant, [li], { offerTimeoutSeconds: 600 });
    const tab1 = await agentSocket(server.url, li);
    const tab2 = await agentSocket(server.url, li);
    await setPresence(server, li, "available");
    tab1.socket.close();
    const chat = await startChat(server, tenant, { queueId });
    const offer = await heardOf(tab2.heard.offers, (o) => o.conversationId === chat.id, "the offer on the tab still open");
    expect((await api(server, li).post(`/api/offers/${offer.offerId}/accept`)).status).toBe(200);
    expect((await presenceOf(server, tenant, li)).state).toBe("busy");
  });

  it("ends presence at once when the agent signed out, not after the grace period", async () => {
    const tenant = await createTestTenant(server);
    const li = await addUser(server, tenant, "李娜");
    const queueId = await makeQueue(server, tenant, [li], { offerTimeoutSeconds: 600 });
    const desk = await agentSocket(server.url, li);
    await setPresence(server, li, "available");
    const chat = await startChat(server, tenant, { queueId });
    await heardOf(desk.heard.offers, (o) => o.conversationId === chat.id, "Li's offer");

    expect((await api(server, li).post("/api/auth/logout")).status).toBe(204);
    desk.socket.close();
    await until(() => presenceOf(server, tenant, li), (p) => p.state === "offline", "Li to be offline after signing out");
    // and the chat waits for someone else, not for Li's offer to expire
    await until(() => server.deps.db.selectFrom("work_items").select("state").where("conversation_id", "=", chat.id).executeTakeFirstOrThrow(), (i) => i.state === "waiting", "the chat to wait again");
  });
});

describe("the grace period", () => {
  let short: TestServer;
  beforeAll(async () => {
    short = await startTestServer({ env: { PRESENCE_GRACE_MS: "300" } });
  });
  afterAll(async () => {
    await short?.stop();
  });

  it("ends with the agent offline when their console does not come back; a later reconnect leaves them offline", async () => {
    const tenant = await createTestTenant(short);
    const li = await addUser(short, tenant, "李娜");
    await makeQueue(short, tenant, [li]);
    const supervisor = await agentSocket(short.url, tenant.users.supervisor);
    const desk = await agentSocket(short.url, li);
    await setPresence(short, li, "available");
    desk.socket.close();
    await heardOf(supervisor.heard.presence, (e) => e.userId === li.id && e.state === "offline", "Li to go offline after the grace period");
    await agentSocket(short.url, li);
    expect((await presenceOf(short, tenant, li)).state).toBe("offline");
    const log = await short.deps.db.selectFrom("agent_state_log").select("state").where("user_id", "=", li.id).orderBy("id").execute();
    expect(log.map((l) => l.state)).toEqual(["offline", "available", "offline"]);
  });
});
