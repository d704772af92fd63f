import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wavSamples } from "../../telephony/src/media/index.ts";
import { api, createTestTenant, type TestServer, type TestTenant } from "./harness.ts";
import { agentHangsUpCallerRates, callChange, deskPhone, sippCall, startCallServer, trunkWithNumber, voiceQueue, type DeskPhone } from "./phone-kit.ts";
import { addUser, makeContact } from "./routing-kit.ts";

// Calls from a trunk (real sipp, its A-law audio and RFC 2833 keys) through the B2BUA and the
// server's own rtpengine to an agent's desk phone (our UA registered over UDP with the device's
// credentials), on the database TEST_DB names.
let server: TestServer;
const phones: DeskPhone[] = [];

beforeAll(async () => {
  server = await startCallServer();
});
afterAll(async () => {
  for (const phone of phones) await phone.close();
  await server?.stop();
});

async function englishTenant(): Promise<TestTenant> {
  const tenant = await createTestTenant(server);
  // English prompts are the shorter ones: the whole call stays inside sipp's seven seconds of audio
  await server.deps.db.updateTable("tenants").set({ locale: "en" }).where("id", "=", tenant.id).execute();
  return tenant;
}

async function phoneOf(agent: Parameters<typeof deskPhone>[1], options: { answer?: boolean } = {}): Promise<DeskPhone> {
  const phone = await deskPhone(server, agent, options);
  phones.push(phone);
  return phone;
}

describe("a call from a trunk", () => {
  it("rings the agent's desk phone, bridges audio both ways, takes the caller's rating and keeps the recording on the ticket", async () => {
    const tenant = await englishTenant();
    const agent = await addUser(server, tenant, "李娜");
    const queueId = await voiceQueue(server, tenant, [agent]);
    const number = await trunkWithNumber(server, tenant, queueId);
    const contactId = await makeContact(server, tenant);
    const caller = "+8613912345678";
    await server.deps.db.insertInto("identities").values({ tenant_id: tenant.id, contact_id: contactId, kind: "phone", value: caller, display_value: caller }).execute();
    const phone = await phoneOf(agent);

    const waiting = callChange(server, (c) => c.state === "waiting", "the IVR answering");
    const trunk = await sippCall(server, "rates", number, caller);
    const answeredByIvr = await waiting;
    const answeredAt = Date.now();
    const sipCallId = answeredByIvr.sipCallId;

    // routing offers the call to the agent: their desk phone rings with the offer and conversation, answers, and is bridged
    const bridged = await callChange(server, (c) => c.sipCallId === sipCallId && c.state === "bridged", "the agent's answer bridged");
    const invite = await phone.invite();
    expect(invite.request.headers.find((h) => h.name === "X-Yixian-Conversation")?.value).toBe(bridged.conversationId);
    const offerId = invite.request.headers.find((h) => h.name === "X-Yixian-Offer")?.value;
    const offer = await server.deps.db.selectFrom("offers").select(["agent_id", "state"]).where("id", "=", offerId!).executeTakeFirstOrThrow();
    expect(offer).toEqual({ agent_id: agent.id, state: "accepted" });
    const conversation = await server.deps.db.selectFrom("conversations").selectAll().where("id", "=", bridged.conversationId!).executeTakeFirstOrThrow();
    expect(conversation).toMatchObject({ channel: "phone", contact_id: contactId, external_ref: sipCallId });
    // the console names it by the call: in the agent's list and on its page
    const listed = await api(server, agent).get("/api/conversations").query({ assigneeId: "me" });
    expect(listed.body.data.items.find((c: { id: string }) => c.id === conversation.id)?.call).toEqual({ direction: "inbound", number: caller });
    expect((await api(server, agent).get(`/api/conversations/${conversation.id}`)).body.data.call).toEqual({ direction: "inbound", number: caller });

    // audio both ways: the caller's A-law reaches the agent, the agent's reaches rtpengine for the caller
    const agentTalks = phone.rtp.talk(phone.answered!.sendTo, 25, 0x2222);
    await phone.rtp.until(25);
    await agentTalks;
    const callerPayloads = new Set(phone.rtp.received.map((p) => p[1]! & 0x7f));
    expect(callerPayloads.has(8)).toBe(true);
    const counts = await server.phone.calls!.packets(sipCallId);
    expect(counts[phone.answered!.dialog.id.localTag]).toBeGreaterThanOrEqual(25);

    // the agent hangs up: the caller is asked for a rating and keys 4
    const { ended, soundMs: soundLength } = await agentHangsUpCallerRates(server, trunk, sipCallId, answeredAt, () => phone.hangUp());

    const rating = await server.deps.db.selectFrom("ratings").selectAll().where("conversation_id", "=", conversation.id).executeTakeFirstOrThrow();
    expect(rating).toMatchObject({ score: 4, channel: "phone" });
    const cdr = await server.deps.db.selectFrom("calls").selectAll().where("sip_call_id", "=", sipCallId).executeTakeFirstOrThrow();
    expect(cdr).toMatchObject({ direction: "inbound", from_number: caller, did: number, queue_id: queueId, agent_id: agent.id, disposition: "answered", hangup_side: "agent", rating: 4, recording_id: ended.recordingId });
    expect(cdr.answered_at).not.toBeNull();

    // the recording: the ticket's attachment, not silent, as long as the call
    const ticketId = (await server.deps.db.selectFrom("conversations").select("ticket_id").where("id", "=", conversation.id).executeTakeFirstOrThrow()).ticket_id;
    const attachment = await server.deps.db.selectFrom("attachments").selectAll().where("id", "=", ended.recordingId!).executeTakeFirstOrThrow();
    expect(attachment).toMatchObject({ ticket_id: ticketId, content_type: "audio/wav" });
    const wav = wavSamples(readFileSync(join(server.dataDir, "attachments", attachment.storage_key)));
    const loud = wav.samples.filter((s) => Math.abs(s) > 500).length;
    expect(loud / wav.samples.length).toBeGreaterThan(0.2);
    expect(Math.abs(wav.samples.length / 8 - soundLength)).toBeLessThan(1000);
    // on the ticket's timeline: the call (from its answer; the record shows the rest) and the rating
    const timeline = await server.deps.db.selectFrom("timeline_events").select(["kind", "data"]).where("ticket_id", "=", ticketId!).where("kind", "in", ["call", "rating"]).orderBy("id").execute();
    expect(timeline.map((t) => t.kind)).toEqual(["call", "rating"]);
    expect(timeline[0]!.data).toEqual({ callId: cdr.id });
  });
});
