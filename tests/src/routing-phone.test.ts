import { describe, expect, it } from "vitest";
import { sweepExpiredRegistrations } from "../../server/src/domain/voice/sip-accounts.ts";
import { api, createTestTenant, type TestServer } from "./harness.ts";
import { addUser, heardOf, itemOf, makeQueue, serverWithAgents, setPresence, startChat } from "./routing-kit.ts";
import { softphone, type SoftphoneCreds } from "./softphone-kit.ts";
import { settle } from "./sockets.ts";

// A call can only ring an agent whose softphone or desk phone is registered: routing offers
// calls to nobody else, chats go on as before, and supervisors see who can be rung.
let server: TestServer;

/** The first entry of `list` from position `from` on that matches, once it has arrived. */
async function heardAfter<T>(list: T[], from: number, match: (e: T) => boolean, what: string): Promise<T> {
  return heardOf(list, (e) => list.indexOf(e) >= from && match(e), what);
}
const { agentSocket } = serverWithAgents((s) => (server = s));

describe("calls go only to agents with a registered phone", () => {
  it("holds a call until the agent's softphone registers, offers chats meanwhile, and shows it in presence", async () => {
    const tenant = await createTestTenant(server);
    const li = await addUser(server, tenant, "Li Lei");
    const queueId = await makeQueue(server, tenant, [li], { strategy: "least_busy", wrapUpSeconds: 0 });
    const a = await agentSocket(li);
    const supervisor = await agentSocket(tenant.users.supervisor);
    await setPresence(server, li, "available");
    const presenceOf = async () => ((await api(server, tenant.users.supervisor).get(`/api/presence?queueId=${queueId}`)).body.data as { userId: string; phoneRegistered: boolean }[]).find((p) => p.userId === li.id);
    expect(await presenceOf()).toMatchObject({ phoneRegistered: false });

    // the call waits; the chat behind it is offered at once, so the call was considered and passed over
    const call = await startChat(server, tenant, { queueId, channel: "phone" });
    const chat = await startChat(server, tenant, { queueId });
    await heardOf(a.heard.offers, (o) => o.conversationId === chat.id, "the chat to be offered");
    expect(a.heard.offers.some((o) => o.conversationId === call.id)).toBe(false);
    expect((await itemOf(server, call.id)).state).toBe("waiting");

    // the softphone registers: supervisors hear it, and the call is offered at once
    const creds = (await api(server, li).get("/api/me/softphone")).body.data as SoftphoneCreds;
    const phone = await softphone(server);
    await settle(server, supervisor.socket);
    const heardBefore = supervisor.heard.presence.length;
    expect((await phone.signIn(creds)).status).toBe(200);
    const offer = await heardOf(a.heard.offers, (o) => o.conversationId === call.id, "the call once the phone registered");
    expect(offer.media).toBe("voice");
    await heardAfter(supervisor.heard.presence, heardBefore, (e) => e.userId === li.id, "presence:changed for the registration");
    expect(await presenceOf()).toMatchObject({ phoneRegistered: true });

    // unregistered: supervisors hear it again, and presence says so
    await settle(server, supervisor.socket);
    const heardRegistered = supervisor.heard.presence.length;
    expect((await phone.signIn(creds, { expires: 0 })).status).toBe(200);
    await heardAfter(supervisor.heard.presence, heardRegistered, (e) => e.userId === li.id, "presence:changed for the unregistration");
    expect(await presenceOf()).toMatchObject({ phoneRegistered: false });
    phone.close();
  });

  it("takes a registration that expired without an unREGISTER as gone, and tells supervisors when it is swept", async () => {
    const tenant = await createTestTenant(server);
    const li = await addUser(server, tenant, "Li Lei");
    const wang = await addUser(server, tenant, "Wang Fang");
    const queueId = await makeQueue(server, tenant, [li, wang], { strategy: "least_busy", wrapUpSeconds: 0 });
    const a = await agentSocket(li);
    const b = await agentSocket(wang);
    const supervisor = await agentSocket(tenant.users.supervisor);
    await setPresence(server, li, "available");
    await setPresence(server, wang, "available");
    const creds = (await api(server, li).get("/api/me/softphone")).body.data as SoftphoneCreds;
    const phone = await softphone(server);
    expect((await phone.signIn(creds)).status).toBe(200);
    // the device went away without a word: its binding is past its expiry
    await server.deps.db.updateTable("sip_registrations").set({ expires_at: new Date(Date.now() - 1000) }).where("user_id", "=", li.id).execute();

    // Wang has a registered phone: the call goes to Wang, never to Li
    const wangCreds = (await api(server, wang).get("/api/me/softphone")).body.data as SoftphoneCreds;
    const wangPhone = await softphone(server);
    expect((await wangPhone.signIn(wangCreds)).status).toBe(200);
    const call = await startChat(server, tenant, { queueId, channel: "phone" });
    await heardOf(b.heard.offers, (o) => o.conversationId === call.id, "the call to Wang");
    expect(a.heard.offers.some((o) => o.conversationId === call.id)).toBe(false);

    await settle(server, supervisor.socket);
    const heardBefore = supervisor.heard.presence.length;
    expect(await sweepExpiredRegistrations(server.deps)).toBeGreaterThanOrEqual(1);
    await heardAfter(supervisor.heard.presence, heardBefore, (e) => e.userId === li.id, "presence:changed for the expired registration");
    await settle(server, supervisor.socket);
    expect(supervisor.heard.presence.slice(heardBefore).some((e) => e.userId === wang.id)).toBe(false);
    phone.close();
    wangPhone.close();
  });
});
