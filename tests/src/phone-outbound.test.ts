import { readFileSync } from "node:fs";
import { join } from "node:path";
import { openCallRecord, recordCallEvent, systemCtx } from "@yixian/server/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wavSamples } from "../../telephony/src/media/index.ts";
import { sdpPort } from "../../telephony/src/media/testing/rtp-peer.ts";
import { getHeader, type InviteResult } from "../../telephony/src/sip/index.ts";
import { api, createTestTenant, type TestServer, type TestTenant } from "./harness.ts";
import { CALLER_ID, deviceCredentials, dialer, outboundTrunk, sessionCredentials, sippProvider, type Dialer } from "./outbound-kit.ts";
import { callChange, startCallServer, voiceQueue } from "./phone-kit.ts";
import { addUser, makeContact } from "./routing-kit.ts";
import { openTicket, timelineKinds } from "./tickets-fixtures.ts";

// Calls an agent places (issue 11, step 9): their desk phone (our UA over UDP, digest with the
// device's or the session's password) dials through the B2BUA and the server's own rtpengine to
// real sipp standing in for the provider behind the tenant's trunk, on the database TEST_DB names.
let server: TestServer;
const phones: Dialer[] = [];

beforeAll(async () => {
  server = await startCallServer();
});
afterAll(async () => {
  for (const phone of phones) await phone.close();
  await server?.stop();
});

const CUSTOMER = "+8613912345678";

async function phoneOf(creds: Parameters<typeof dialer>[1]): Promise<Dialer> {
  const phone = await dialer(server, creds);
  phones.push(phone);
  return phone;
}

async function customerOf(tenant: TestTenant): Promise<string> {
  const contactId = await makeContact(server, tenant);
  await server.deps.db.insertInto("identities").values({ tenant_id: tenant.id, contact_id: contactId, kind: "phone", value: CUSTOMER, display_value: CUSTOMER }).execute();
  return contactId;
}

function refusal(result: InviteResult): { status: number; code: string | undefined } {
  return { status: result.response.status, code: getHeader(result.response, "X-Yixian-Refusal") };
}

describe("an agent's call out", () => {
  it("reaches the customer through the trunk with its caller-ID, is recorded, and lands on the ticket the agent picked", async () => {
    const tenant = await createTestTenant(server);
    const agent = await addUser(server, tenant, "李娜");
    const contactId = await customerOf(tenant);
    const ticket = await openTicket(server, agent, { subject: "回访：发票问题", contactId });
    const provider = await sippProvider("answers");
    const trunkId = await outboundTrunk(server, tenant, provider);
    const phone = await phoneOf(await deviceCredentials(server, agent));
    // the customer had hung up while their call rang: a missed call, which reaching them now closes
    const ctx = systemCtx(server.deps, tenant.id);
    const missedCall = await openCallRecord(ctx, { sipCallId: `missed-${tenant.slug}`, direction: "inbound", from: CUSTOMER, to: CALLER_ID, did: CALLER_ID });
    await recordCallEvent(ctx, missedCall, { type: "ringing", agentId: agent.id });
    await recordCallEvent(ctx, missedCall, { type: "ended", side: "caller" });
    const missedBefore = await server.deps.db.selectFrom("missed_calls").select(["id", "done_at"]).where("tenant_id", "=", tenant.id).where("number", "=", CUSTOMER).executeTakeFirstOrThrow();
    expect(missedBefore.done_at).toBeNull();

    const bridged = callChange(server, (c) => c.direction === "outbound" && c.state === "bridged", "the far end's answer bridged");
    const answer = await phone.dial("139-1234-5678", { ticketId: ticket.id });
    expect(answer.response.status).toBe(200);
    const call = await bridged;

    // audio both ways: the agent's reaches the provider, which echoes it back through rtpengine
    const agentTalks = phone.rtp.talk(sdpPort(answer.response.body.toString("utf8")), 25, 0x3333);
    await phone.rtp.until(20);
    await agentTalks;

    // the agent holds: the customer hears music (sipp echoes it back, so the silent phone receives it); then resumes
    const sdp = (direction: string) => ({ body: Buffer.from(phone.rtp.sdp("11").replace("a=sendrecv", `a=${direction}`)), contentType: "application/sdp" });
    const heard = phone.rtp.received.length;
    const held = callChange(server, (c) => c.sipCallId === call.sipCallId && c.held, "the hold");
    const holding = await phone.stack.ua.reInvite(answer.dialog!, sdp("sendonly"));
    expect(holding.status).toBe(200);
    expect(holding.body.toString("utf8")).toContain("a=recvonly");
    await held;
    await phone.rtp.until(heard + 25);
    expect((await server.deps.db.selectFrom("calls").select("held_since").where("sip_call_id", "=", call.sipCallId).executeTakeFirstOrThrow()).held_since).not.toBeNull();
    const resumed = callChange(server, (c) => c.sipCallId === call.sipCallId && !c.held, "the resume");
    expect((await phone.stack.ua.reInvite(answer.dialog!, sdp("sendrecv"))).status).toBe(200);
    await resumed;

    const finished = callChange(server, (c) => c.sipCallId === call.sipCallId && c.state === "ended" && c.recordingId !== null, "the recording kept", 20_000);
    await phone.stack.ua.bye(answer.dialog!);
    const ended = await finished;
    const run = await provider.done;
    expect(run.code, `${run.output.slice(-2000)}\n${run.errors}`).toBe(0);

    const cdr = await server.deps.db.selectFrom("calls").selectAll().where("sip_call_id", "=", call.sipCallId).executeTakeFirstOrThrow();
    expect(cdr).toMatchObject({ direction: "outbound", from_number: CALLER_ID, to_number: CUSTOMER, trunk_id: trunkId, agent_id: agent.id, disposition: "answered", hangup_side: "agent", recording_id: ended.recordingId });
    expect(cdr.answered_at).not.toBeNull();
    const missedAfter = await server.deps.db.selectFrom("missed_calls").select(["outcome", "done_by"]).where("id", "=", missedBefore.id).executeTakeFirstOrThrow();
    expect(missedAfter).toEqual({ outcome: "reached", done_by: agent.id });
    const conversation = await server.deps.db.selectFrom("conversations").selectAll().where("id", "=", call.conversationId!).executeTakeFirstOrThrow();
    expect(conversation).toMatchObject({ channel: "phone", contact_id: contactId, ticket_id: ticket.id, assignee_id: agent.id, state: "ended" });

    // the recording: the picked ticket's attachment, not silent
    const attachment = await server.deps.db.selectFrom("attachments").selectAll().where("id", "=", ended.recordingId!).executeTakeFirstOrThrow();
    expect(attachment).toMatchObject({ ticket_id: ticket.id, content_type: "audio/wav" });
    const wav = wavSamples(readFileSync(join(server.dataDir, "attachments", attachment.storage_key)));
    expect(wav.samples.filter((s) => Math.abs(s) > 500).length).toBeGreaterThan(0);
    const kinds = await timelineKinds(server, agent, ticket.id);
    expect(kinds).toContain("conversation_linked");
    expect(kinds).toContain("call");
  });

  it("is work the agent holds: busy at their voice capacity while it lasts, then wrap-up and handled; the queue's own figures leave it out", async () => {
    const tenant = await createTestTenant(server);
    const agent = await addUser(server, tenant, "李娜");
    const queueId = await voiceQueue(server, tenant, [agent]);
    await customerOf(tenant);
    const provider = await sippProvider("answers");
    await outboundTrunk(server, tenant, provider);
    const phone = await phoneOf(await deviceCredentials(server, agent));
    const me = async () => (await api(server, agent).get("/api/presence/me")).body.data as { state: string; load: { voice: number }; wrapUpUntil: string | null };

    const bridged = callChange(server, (c) => c.direction === "outbound" && c.state === "bridged", "the far end's answer bridged");
    const answer = await phone.dial(CUSTOMER);
    expect(answer.response.status).toBe(200);
    const call = await bridged;
    // on the call: busy, the one voice item of their capacity held (routing offers them no call now)
    expect(await me()).toMatchObject({ state: "busy", load: { voice: 1 } });

    const finished = callChange(server, (c) => c.sipCallId === call.sipCallId && c.state === "ended", "the call's end", 20_000);
    await phone.stack.ua.bye(answer.dialog!);
    await finished;
    expect((await provider.done).code).toBe(0);
    // then wrap-up for the queue's 30 s, the call counted among the agent's handled today
    const after = await me();
    expect(after).toMatchObject({ state: "wrap_up", load: { voice: 0 } });
    expect(new Date(after.wrapUpUntil!).getTime()).toBeGreaterThan(Date.now() + 20_000);
    const agents = (await api(server, tenant.users.supervisor).get("/api/metrics/agents")).body.data.agents as { userId: string; handledToday: number }[];
    expect(agents.find((a) => a.userId === agent.id)?.handledToday).toBe(1);
    // it never waited in the queue: nothing answered there, nothing handled, nobody waiting
    const queues = (await api(server, tenant.users.supervisor).get("/api/metrics/queues")).body.data.queues as { queueId: string; answered: number; handled: number; waiting: number }[];
    expect(queues.find((q) => q.queueId === queueId)).toMatchObject({ answered: 0, handled: 0, waiting: 0 });
  });

  it("tells the phone the customer is busy and ends the record missed, on a new ticket when the customer has none", async () => {
    const tenant = await createTestTenant(server);
    const agent = await addUser(server, tenant, "王强");
    const provider = await sippProvider("busy");
    await outboundTrunk(server, tenant, provider);
    const phone = await phoneOf(await deviceCredentials(server, agent));

    const ended = callChange(server, (c) => c.direction === "outbound" && c.state === "ended", "the call ended");
    const answer = await phone.dial("13912345678");
    expect(answer.response.status).toBe(486);
    const call = await ended;
    expect((await provider.done).code).toBe(0);

    const cdr = await server.deps.db.selectFrom("calls").selectAll().where("sip_call_id", "=", call.sipCallId).executeTakeFirstOrThrow();
    expect(cdr).toMatchObject({ direction: "outbound", to_number: CUSTOMER, disposition: "missed", answered_at: null, recording_id: null });
    expect(cdr.hangup_cause).toMatch(/^busy/);
    const conversation = await server.deps.db.selectFrom("conversations").selectAll().where("id", "=", call.conversationId!).executeTakeFirstOrThrow();
    expect(conversation.state).toBe("ended");
    const ticket = await server.deps.db.selectFrom("tickets").select(["id", "assignee_id"]).where("id", "=", conversation.ticket_id!).executeTakeFirstOrThrow();
    expect(ticket.assignee_id).toBe(agent.id);
  });

  it("ends both legs when the customer hangs up", async () => {
    const tenant = await createTestTenant(server);
    const agent = await addUser(server, tenant, "陈晨");
    const provider = await sippProvider("hangs-up");
    await outboundTrunk(server, tenant, provider);
    const phone = await phoneOf(await deviceCredentials(server, agent));

    const ended = callChange(server, (c) => c.direction === "outbound" && c.state === "ended", "the call ended");
    const hungUp = new Promise<string>((resolve) => {
      void phone.dial("13912345678").then((answer) => {
        expect(answer.response.status).toBe(200);
        answer.dialog!.onTerminated = (by) => resolve(by);
      });
    });
    const call = await ended;
    // the server hung up the agent's phone (a BYE it received)
    await expect(hungUp).resolves.toBe("remote");
    const run = await provider.done;
    expect(run.code, `${run.output.slice(-2000)}\n${run.errors}`).toBe(0);
    const cdr = await server.deps.db.selectFrom("calls").selectAll().where("sip_call_id", "=", call.sipCallId).executeTakeFirstOrThrow();
    expect(cdr).toMatchObject({ direction: "outbound", disposition: "answered", hangup_side: "caller" });
  });
});

describe("who may call where", () => {
  it("refuses an international number by default (403, kept as a refused record) and a denied prefix once set", async () => {
    const tenant = await createTestTenant(server);
    const agent = await addUser(server, tenant, "赵敏");
    await outboundTrunk(server, tenant, { port: 9 });
    const phone = await phoneOf(await deviceCredentials(server, agent));

    expect(refusal(await phone.dial("+442079460000"))).toEqual({ status: 403, code: "DESTINATION_NOT_ALLOWED" });
    const refused = await server.deps.db.selectFrom("calls").selectAll().where("tenant_id", "=", tenant.id).executeTakeFirstOrThrow();
    expect(refused).toMatchObject({ direction: "outbound", to_number: "+442079460000", agent_id: agent.id, disposition: "refused", conversation_id: null });

    const limits = await api(server, tenant.admin).get("/api/voice/outbound-limits");
    expect(limits.body.data).toEqual({ national: true, mobile: true, international: false, deniedPrefixes: [] });
    const set = await api(server, tenant.admin).put("/api/voice/outbound-limits").send({ national: true, mobile: true, international: true, deniedPrefixes: ["+86139"] });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(refusal(await phone.dial("13912345678"))).toEqual({ status: 403, code: "DESTINATION_NOT_ALLOWED" });
    expect((await api(server, agent).put("/api/voice/outbound-limits").send(set.body.data)).status).toBe(403);
  });

  it("refuses a phone that is not registered, wrong credentials, and a softphone whose session signed out", async () => {
    const tenant = await createTestTenant(server);
    const agent = await addUser(server, tenant, "孙丽");
    await outboundTrunk(server, tenant, { port: 9 });

    const desk = await phoneOf(await deviceCredentials(server, agent));
    expect(refusal(await desk.dial("13912345678", { password: "not the password at all" }))).toEqual({ status: 403, code: "FORBIDDEN" });
    await desk.unregister();
    expect(refusal(await desk.dial("13912345678"))).toEqual({ status: 403, code: "PHONE_NOT_REGISTERED" });

    // the console's softphone hears that this server carries call audio
    expect((await api(server, agent).get("/api/me/softphone")).body.data.media).toBe("ready");
    const softphone = await phoneOf(await sessionCredentials(server, agent));
    expect((await api(server, agent).post("/api/auth/logout")).status).toBeLessThan(300);
    expect(refusal(await softphone.dial("13912345678"))).toEqual({ status: 403, code: "FORBIDDEN" });
    expect(await server.deps.db.selectFrom("calls").select("id").where("tenant_id", "=", tenant.id).execute()).toEqual([]);
  });
});
