import { beforeAll, describe, expect, it } from "vitest";
import { api, createTestTenant, type TestServer, type TestTenant, type TestUser } from "./harness.ts";
import { addUser, makeContact, makeQueue, serverWithAgents, setPresence } from "./routing-kit.ts";
import { answerCall, callEvent, callIn, recordingOf, registerPhone } from "./voice-kit.ts";
import { connectSocket, eventually, ticketEvents } from "./sockets.ts";

// A call is on its ticket's timeline once it ends: direction, number, talk time, agent, outcome,
// the caller's rating, and the recording — which plays through the attachment route for anyone
// who may read the ticket, and for nobody else.
let server: TestServer;
const { agentSocket } = serverWithAgents((s) => (server = s));
let tenant: TestTenant;
let agent: TestUser;
let queueId: string;
beforeAll(async () => {
  tenant = await createTestTenant(server);
  agent = await addUser(server, tenant, "李娜");
  queueId = await makeQueue(server, tenant, [agent], { offerTimeoutSeconds: 600 });
  await registerPhone(server, tenant, agent);
});

interface TimelineCall {
  kind: string;
  actor: { type: string; name: string | null };
  call: { id: string; direction: string; from: string; talkSeconds: number | null; agent: { name: string } | null; disposition: string | null; recordingId: string | null; rating: number | null } | null;
}

async function callEntries(ticketId: string, user: TestUser = agent): Promise<TimelineCall[]> {
  const res = await api(server, user).get(`/api/tickets/${ticketId}/timeline?limit=500`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body.data.items as TimelineCall[]).filter((i) => i.kind === "call");
}

describe("calls on the ticket timeline", () => {
  it("shows an answered call once it ends, with its recording and rating as they arrive, and tells the ticket's viewers", async () => {
    const { heard } = await agentSocket(agent);
    await setPresence(server, agent, "available");
    const call = await callIn(server, tenant, { from: "+8613800138000", queueId });
    const ticketId = await answerCall(server, tenant, agent, heard, call);
    const viewer = await connectSocket(server.url, tenant.users.supervisor.token);
    try {
      const changes = ticketEvents(viewer);
      expect(await callEntries(ticketId)).toEqual([]); // still up: not on the timeline yet
      await callEvent(server, tenant, call.callId, { type: "ended", side: "agent", cause: "BYE" });
      await eventually(() => changes.some((c) => c.id === ticketId && c.changes.includes("timeline")), "ticket:changed for the ended call");

      const [entry] = await callEntries(ticketId);
      expect(entry).toMatchObject({ actor: { type: "contact" }, call: { id: call.callId, direction: "inbound", from: "+8613800138000", agent: { name: "李娜" }, disposition: "answered", recordingId: null, rating: null } });

      const seen = changes.length;
      const recordingId = await recordingOf(server, tenant, call.callId, agent);
      await callEvent(server, tenant, call.callId, { type: "rated", score: 5 });
      await eventually(() => changes.length >= seen + 2, "ticket:changed for the recording and the rating");
      // reported again: no second entry
      await callEvent(server, tenant, call.callId, { type: "ended", side: "caller" });
      const entries = await callEntries(ticketId, tenant.users.quality_inspector);
      expect(entries).toHaveLength(1);
      expect(entries[0]!.call).toMatchObject({ recordingId, rating: 5 });

      // the recording plays for whoever reads the ticket, a range at a time, and for no other tenant
      const part = await api(server, tenant.users.quality_inspector).get(`/api/attachments/${recordingId}`).set("Range", "bytes=0-43");
      expect(part.status).toBe(206);
      expect(part.headers["content-type"]).toBe("audio/wav");
      const other = await createTestTenant(server);
      expect((await api(server, other.users.supervisor).get(`/api/attachments/${recordingId}`).set("Range", "bytes=0-43")).status).toBe(404);
      expect((await api(server, other.users.supervisor).get(`/api/tickets/${ticketId}/timeline`)).status).toBe(404);
    } finally {
      viewer.close();
      await setPresence(server, agent, "offline");
    }
  });

  it("shows a repeat caller's missed call on their open ticket, and a recording that arrives after the ticket does", async () => {
    const contactId = await makeContact(server, tenant);
    const phone = `+86139${String(Date.now()).slice(-8)}`;
    await server.deps.db.insertInto("identities").values({ tenant_id: tenant.id, contact_id: contactId, kind: "phone", value: phone, display_value: phone }).execute();
    const open = await api(server, agent).post("/api/tickets").send({ subject: "打印机卡纸", contactId });
    expect(open.status, JSON.stringify(open.body)).toBe(201);
    const ticketId = open.body.data.id as string;

    // nobody available: the caller waits, then hangs up
    const call = await callIn(server, tenant, { from: phone, queueId });
    await callEvent(server, tenant, call.callId, { type: "ended", side: "caller", cause: "CANCEL" });
    const [missed] = await callEntries(ticketId);
    expect(missed).toMatchObject({ call: { id: call.callId, disposition: "abandoned", talkSeconds: null, agent: null } });

    // an entry the call layer wrote when the call was answered counts as the call's entry
    const answered = await callIn(server, tenant, { from: phone, queueId });
    await server.deps.db
      .insertInto("timeline_events")
      .values({ tenant_id: tenant.id, ticket_id: ticketId, kind: "call", occurred_at: new Date(), actor_type: "system", conversation_id: answered.conversationId, data: JSON.stringify({ callId: answered.callId, phase: "answered" }) })
      .execute();
    await callEvent(server, tenant, answered.callId, { type: "ended", side: "agent" });
    expect((await callEntries(ticketId)).map((e) => e.call?.id)).toEqual([call.callId, answered.callId]);

    // a caller with no ticket: nothing to show until the call has one (a voicemail's ticket),
    // then the recording puts the call there
    const stranger = await callIn(server, tenant, { from: "+8613700137000", queueId });
    await callEvent(server, tenant, stranger.callId, { type: "ended", side: "caller", disposition: "voicemail" });
    const calls = () => server.deps.db.selectFrom("timeline_events").select("ticket_id").where("tenant_id", "=", tenant.id).where("kind", "=", "call").execute();
    expect(await calls()).toHaveLength(3); // the answered call of the first test, and this repeat caller's two
    const conversation = await server.deps.db.selectFrom("conversations").select("contact_id").where("id", "=", stranger.conversationId).executeTakeFirstOrThrow();
    const voicemail = await api(server, agent).post("/api/tickets").send({ subject: "语音留言", contactId: conversation.contact_id });
    expect(voicemail.status, JSON.stringify(voicemail.body)).toBe(201);
    await server.deps.db.updateTable("conversations").set({ ticket_id: voicemail.body.data.id }).where("id", "=", stranger.conversationId).execute();
    const recordingId = await recordingOf(server, tenant, stranger.callId, agent);
    const [entry] = await callEntries(voicemail.body.data.id);
    expect(entry).toMatchObject({ call: { id: stranger.callId, disposition: "voicemail", recordingId } });
    expect(await calls()).toHaveLength(4);
  });
});
