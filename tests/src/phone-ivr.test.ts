import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callQueuePlace, finishCallerWork } from "@yixian/server/domain";
import type { CallView } from "../../telephony/src/calls/index.ts";
import { wavSamples } from "../../telephony/src/media/index.ts";
import { speechKey } from "../../telephony/src/prompts/index.ts";
import { api, createTestTenant, type TestServer, type TestTenant, type TestUser } from "./harness.ts";
import { callChange, deskPhone, sippCall, startCallServer, trunkWithNumber } from "./phone-kit.ts";
import { accept, addUser, makeContact, makeQueue, myOffers, setPresence, until } from "./routing-kit.ts";
import { callerScenario, type CallerStep } from "./sipp-caller.ts";
import { shanghaiToday } from "./widget-kit.ts";

// The IVR of a trunk call (real sipp keying RFC 2833 digits and speaking A-law, the server's own
// rtpengine): verification code, menu, the wait with position and expected wait, voicemail and
// call-back — on the database TEST_DB names. Nobody is available in the queues: the caller waits.
let server: TestServer;

beforeAll(async () => {
  server = await startCallServer();
});
afterAll(async () => {
  await server?.stop();
});

async function englishTenant(): Promise<TestTenant> {
  const tenant = await createTestTenant(server);
  await server.deps.db.updateTable("tenants").set({ locale: "en" }).where("id", "=", tenant.id).execute();
  return tenant;
}

async function setIvr(tenant: TestTenant, number: string, ivr: Record<string, unknown>): Promise<void> {
  const res = await api(server, tenant.admin).put(`/api/voice/numbers/${encodeURIComponent(number)}/ivr`).send(ivr);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

/** The call once `ok` holds for it (now, or at a later change). */
function untilCall(sipCallId: string, ok: (call: CallView) => boolean, what: string): Promise<CallView> {
  const now = server.phone.calls!.call(sipCallId);
  if (now && ok(now)) return Promise.resolve(now);
  return callChange(server, (c) => c.sipCallId === sipCallId && ok(c), what, 45_000);
}

const heard = (sipCallId: string, what: string) => untilCall(sipCallId, (c) => c.heard.includes(what), `the caller hearing "${what}"`);

/** sipp calls `number` from `caller` and does `steps` when told; resolves once the IVR answered. */
async function callFrom(number: string, caller: string, steps: CallerStep[]) {
  const answered = callChange(server, (c) => c.state === "waiting", "the IVR answering");
  const trunk = await sippCall(server, { file: callerScenario(steps) }, number, caller);
  const call = await answered;
  return { trunk, sipCallId: call.sipCallId, conversationId: call.conversationId!, callRecordId: call.callRecordId! };
}

async function itemsOf(conversationId: string) {
  return server.deps.db.selectFrom("work_items").selectAll().where("conversation_id", "=", conversationId).execute();
}

describe("the IVR of a trunk call", { timeout: 90_000 }, () => {
  it("identifies an unknown caller by the code they key, and queues them where the rules send that company's menu choice", async () => {
    const tenant = await englishTenant();
    const db = server.deps.db;
    const [fallback, invoices, entitled] = [await makeQueue(server, tenant, []), await makeQueue(server, tenant, []), await makeQueue(server, tenant, [])];
    const company = await db
      .insertInto("companies")
      .values({ tenant_id: tenant.id, name: "华信科技", verification_code: "24680", service_pack: "vip", service_expires_on: "2099-12-31", custom_fields: "{}" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const supervisor = api(server, tenant.users.supervisor);
    for (const rule of [
      { name: "Invoices, entitled", conditions: { channels: ["phone"], serviceStatuses: ["active"], menuChoices: ["3"] }, action: { type: "queue", queueId: entitled } },
      { name: "Invoices", conditions: { channels: ["phone"], menuChoices: ["3"] }, action: { type: "queue", queueId: invoices } },
    ]) {
      const res = await supervisor.post("/api/routing-rules").send(rule);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const number = await trunkWithNumber(server, tenant, fallback);
    await setIvr(tenant, number, { welcome: false, verification: "unknown-callers", menu: [{ key: "3", label: "Invoices" }], announceEverySeconds: 0 });
    const caller = "+8613800001111";

    const call = await callFrom(number, caller, [{ sounds: [{ keys: "24680#" }] }, { sounds: [{ keys: "3" }] }, "hang up"]);
    await heard(call.sipCallId, "enter-code");
    // routing has nothing to offer before the IVR decides the queue
    expect(await itemsOf(call.conversationId)).toEqual([]);
    const conversation = await db.selectFrom("conversations").select("contact_id").where("id", "=", call.conversationId).executeTakeFirstOrThrow();
    const contactBefore = await db.selectFrom("contacts").select("company_id").where("id", "=", conversation.contact_id!).executeTakeFirstOrThrow();
    expect(contactBefore.company_id).toBeNull();
    await call.trunk.go(call.sipCallId);

    await heard(call.sipCallId, "menu");
    // the new contact with this number now belongs to the company whose code was keyed
    const contact = await db.selectFrom("contacts").select("company_id").where("id", "=", conversation.contact_id!).executeTakeFirstOrThrow();
    expect(contact.company_id).toBe(company.id);
    const identity = await db.selectFrom("identities").select(["contact_id"]).where("tenant_id", "=", tenant.id).where("kind", "=", "phone").where("value", "=", caller).executeTakeFirstOrThrow();
    expect(identity.contact_id).toBe(conversation.contact_id);
    expect(await itemsOf(call.conversationId)).toEqual([]);
    await call.trunk.go(call.sipCallId);

    // menu choice 3 of an entitled company: the first rule's queue; the caller waits there
    await heard(call.sipCallId, "waiting options");
    const [item] = await itemsOf(call.conversationId);
    expect(item).toMatchObject({ queue_id: entitled, state: "waiting", kind: "contact" });
    const cdr = await db.selectFrom("calls").selectAll().where("id", "=", call.callRecordId).executeTakeFirstOrThrow();
    expect(cdr.queue_id).toBe(entitled);
    expect(cdr.queued_at).not.toBeNull();

    const ended = untilCall(call.sipCallId, (c) => c.state === "ended", "the call ended");
    await call.trunk.go(call.sipCallId);
    await ended;
    const run = await call.trunk.done;
    expect(run.code, run.output.slice(-2000)).toBe(0);
    expect(await db.selectFrom("calls").select("disposition").where("id", "=", call.callRecordId).executeTakeFirstOrThrow()).toEqual({ disposition: "abandoned" });
  });

  /** A queue nobody is available in, whose last call took four minutes; a number to it; a known caller. */
  async function waitingLine(o: { agent?: string } = {}): Promise<{ tenant: TestTenant; queueId: string; number: string; caller: string; agent: TestUser | null }> {
    const tenant = await englishTenant();
    // an agent of the queue who is not signed in yet
    const agent = o.agent ? await addUser(server, tenant, o.agent) : null;
    const queueId = await makeQueue(server, tenant, agent ? [agent] : []);
    const now = Date.now();
    await server.deps.db
      .insertInto("work_items")
      .values({ tenant_id: tenant.id, queue_id: queueId, media: "voice", channel: "phone", state: "completed", enqueued_at: new Date(now - 600_000), assigned_at: new Date(now - 300_000), completed_at: new Date(now - 60_000), decision: "{}" })
      .execute();
    const number = await trunkWithNumber(server, tenant, queueId);
    await setIvr(tenant, number, { welcome: false, announceEverySeconds: 10, voicemailKey: "1", callbackKey: "2" });
    const caller = `+86139${String(now % 100_000_000).padStart(8, "0")}`;
    const contactId = await makeContact(server, tenant);
    await server.deps.db.insertInto("identities").values({ tenant_id: tenant.id, contact_id: contactId, kind: "phone", value: caller, display_value: caller }).execute();
    return { tenant, queueId, number, caller, agent };
  }

  it("tells the waiting caller their place and expected wait from the live queue, and keeps their voicemail on the ticket as work in their place", async () => {
    const { tenant, queueId, number, caller } = await waitingLine();
    const db = server.deps.db;
    const call = await callFrom(number, caller, [{ sounds: [{ keys: "1" }] }, { sounds: [{ speakMs: 1500 }, { keys: "#" }] }]);

    await heard(call.sipCallId, "position 1");
    await heard(call.sipCallId, "expected wait");
    // first in the queue; one call of four minutes with nobody signed in: about four minutes
    expect(await callQueuePlace(server.deps, tenant.id, call.conversationId)).toEqual({ position: 1, expectedWaitSeconds: 240 });
    const [queued] = await itemsOf(call.conversationId);
    await heard(call.sipCallId, "waiting options");
    await call.trunk.go(call.sipCallId); // 1: voicemail

    await heard(call.sipCallId, "beep");
    const ended = untilCall(call.sipCallId, (c) => c.state === "ended", "the call ended");
    await call.trunk.go(call.sipCallId); // speaks 1.5 s, then #
    const last = await ended;
    const run = await call.trunk.done;
    expect(run.code, run.output.slice(-2000)).toBe(0);
    expect(last.heard).toContain("voicemail-saved");
    expect(last.leaving).toBe("voicemail");

    const cdr = await db.selectFrom("calls").selectAll().where("id", "=", call.callRecordId).executeTakeFirstOrThrow();
    expect(cdr).toMatchObject({ disposition: "voicemail", hangup_side: "caller", queue_id: queueId, recording_id: last.recordingId });
    const conversation = await db.selectFrom("conversations").selectAll().where("id", "=", call.conversationId).executeTakeFirstOrThrow();
    expect(conversation.state).toBe("ended");
    expect(conversation.ticket_id).not.toBeNull();
    // the message: the ticket's attachment, what the caller said
    const attachment = await db.selectFrom("attachments").selectAll().where("id", "=", cdr.recording_id!).executeTakeFirstOrThrow();
    expect(attachment).toMatchObject({ ticket_id: conversation.ticket_id, content_type: "audio/wav" });
    const wav = wavSamples(readFileSync(join(server.dataDir, "attachments", attachment.storage_key)));
    expect(wav.samples.filter((s) => Math.abs(s) > 1000).length / wav.samples.length).toBeGreaterThan(0.5);
    expect(wav.samples.length / 8000).toBeGreaterThan(1);
    expect(wav.samples.length / 8000).toBeLessThan(2.5);
    const timeline = await db.selectFrom("timeline_events").select(["kind", "data"]).where("ticket_id", "=", conversation.ticket_id!).where("kind", "=", "call").execute();
    expect(timeline).toEqual([{ kind: "call", data: { callId: cdr.id } }]);
    // the caller's item is now voicemail work on the ticket, where it was in the queue
    const item = await db.selectFrom("work_items").selectAll().where("id", "=", queued!.id).executeTakeFirstOrThrow();
    expect(item).toMatchObject({ kind: "voicemail", state: "waiting", queue_id: queueId, ticket_id: conversation.ticket_id, conversation_id: null, call_id: cdr.id });
    expect(new Date(item.enqueued_at).getTime()).toBe(new Date(queued!.enqueued_at).getTime());
  });

  it("keeps the voicemail of a caller who hangs up while still speaking", async () => {
    const { number, caller } = await waitingLine();
    const db = server.deps.db;
    const call = await callFrom(number, caller, [{ sounds: [{ keys: "1" }] }, { sounds: [{ speakMs: 10_000 }] }, "hang up"]);
    await heard(call.sipCallId, "waiting options");
    await call.trunk.go(call.sipCallId); // 1: voicemail
    await heard(call.sipCallId, "beep");
    const before = (await server.phone.calls!.packets(call.sipCallId)).caller ?? 0;
    await call.trunk.go(call.sipCallId); // speaks…
    // …and hangs up once half a second of it has reached the media server
    await until(() => server.phone.calls!.packets(call.sipCallId), (counts) => (counts.caller ?? 0) >= before + 25, "the caller speaking");
    const ended = untilCall(call.sipCallId, (c) => c.state === "ended", "the call ended");
    await call.trunk.go(call.sipCallId);
    const last = await ended;
    const run = await call.trunk.done;
    expect(run.code, run.output.slice(-2000)).toBe(0);
    expect(last.heard).not.toContain("voicemail-saved"); // nobody left to hear it

    const cdr = await db.selectFrom("calls").selectAll().where("id", "=", call.callRecordId).executeTakeFirstOrThrow();
    expect(cdr).toMatchObject({ disposition: "voicemail", hangup_side: "caller", recording_id: last.recordingId });
    const attachment = await db.selectFrom("attachments").selectAll().where("id", "=", cdr.recording_id!).executeTakeFirstOrThrow();
    const wav = wavSamples(readFileSync(join(server.dataDir, "attachments", attachment.storage_key)));
    expect(wav.samples.length / 8000).toBeGreaterThan(0.4);
    expect(wav.samples.filter((s) => Math.abs(s) > 1000).length / wav.samples.length).toBeGreaterThan(0.5);
    expect(await db.selectFrom("work_items").select(["kind", "state"]).where("call_id", "=", cdr.id).execute()).toEqual([{ kind: "voicemail", state: "waiting" }]);
  });

  it("books a call-back that keeps the caller's place in the queue and says so before hanging up; the agent who takes it gets the ticket and finishes it", async () => {
    const { tenant, queueId, number, caller, agent } = await waitingLine({ agent: "王芳" });
    const db = server.deps.db;
    const call = await callFrom(number, caller, [{ sounds: [{ keys: "2" }] }]);
    await heard(call.sipCallId, "waiting options");
    const [queued] = await itemsOf(call.conversationId);
    const ended = untilCall(call.sipCallId, (c) => c.state === "ended", "the call ended");
    await call.trunk.go(call.sipCallId); // 2: call me back
    const last = await ended;
    const run = await call.trunk.done;
    expect(run.code, run.output.slice(-2000)).toBe(0);
    expect(last.heard).toContain("callback-booked");

    const cdr = await db.selectFrom("calls").selectAll().where("id", "=", call.callRecordId).executeTakeFirstOrThrow();
    expect(cdr).toMatchObject({ disposition: "callback", from_number: caller, queue_id: queueId });
    const conversation = await db.selectFrom("conversations").selectAll().where("id", "=", call.conversationId).executeTakeFirstOrThrow();
    expect(conversation.state).toBe("ended");
    const item = await db.selectFrom("work_items").selectAll().where("id", "=", queued!.id).executeTakeFirstOrThrow();
    expect(item).toMatchObject({ kind: "callback", state: "waiting", queue_id: queueId, ticket_id: conversation.ticket_id, conversation_id: null, call_id: cdr.id });
    expect(new Date(item.enqueued_at).getTime()).toBe(new Date(queued!.enqueued_at).getTime());

    // the agent signs in with a phone: routing offers the call-back as the ticket's work, which rings
    // no phone (nobody is on the line); accepting assigns the ticket
    const phone = await deskPhone(server, agent!, { answer: false });
    await setPresence(server, agent!, "available");
    const offer = await until(() => myOffers(server, agent!), (offers) => offers.some((o) => o.workItemId === item.id), "the call-back offered");
    const accepted = await accept(server, agent!, offer.find((o) => o.workItemId === item.id)!.offerId);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(await db.selectFrom("tickets").select("assignee_id").where("id", "=", conversation.ticket_id!).executeTakeFirstOrThrow()).toEqual({ assignee_id: agent!.id });
    // called back: the work is finished and the agent's voice capacity free again
    const agentCtx = { tenantId: tenant.id, actor: { type: "user" as const, id: agent!.id, role: "agent" as const, name: "王芳" }, deps: server.deps, log: server.deps.log };
    expect(await finishCallerWork(agentCtx, item.id, { outcome: "reached" })).toMatchObject({ state: "completed" });
    expect(await finishCallerWork(agentCtx, item.id, { outcome: "reached" })).toMatchObject({ state: "completed" }); // twice: the same
    expect(phone.invites).toEqual([]);
    await phone.close();
  });
});

describe("a call when the hotline is closed", { timeout: 90_000 }, () => {
  /** A calendar whose today is a holiday: closed all day. */
  async function holidayToday(tenant: TestTenant): Promise<string> {
    const allDay = [["00:00", "24:00"]];
    const res = await api(server, tenant.admin)
      .post("/api/calendars")
      .send({ name: "公众假期", timeZone: "Asia/Shanghai", weeklyHours: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay }, holidays: [{ date: shanghaiToday(), name: "国庆" }] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.data.id as string;
  }

  /** sipp calls in, hears the closed message and the tone, says 1.5 s and keys #; the call ends. */
  async function leavesMessageWhenClosed(number: string, caller: string): Promise<{ last: CallView; callRecordId: string; conversationId: string }> {
    const call = await callFrom(number, caller, [{ sounds: [{ speakMs: 1500 }, { keys: "#" }] }]);
    await heard(call.sipCallId, "beep");
    const ended = untilCall(call.sipCallId, (c) => c.state === "ended", "the call ended");
    await call.trunk.go(call.sipCallId);
    const last = await ended;
    const run = await call.trunk.done;
    expect(run.code, run.output.slice(-2000)).toBe(0);
    return { last, callRecordId: call.callRecordId, conversationId: call.conversationId };
  }

  /** The message is the ticket's recording, and voicemail work waits in the queue for when agents are back. */
  async function keptAsVoicemailWork(left: { last: CallView; callRecordId: string; conversationId: string }, queueId: string, closed = ["closed"]): Promise<void> {
    const db = server.deps.db;
    expect(left.last.heard).toEqual(expect.arrayContaining([...closed, "beep", "voicemail-saved"]));
    expect(left.last.heard).not.toContain("music");
    for (const what of closed) expect(left.last.heard.indexOf(what)).toBeLessThan(left.last.heard.indexOf("beep"));
    const cdr = await db.selectFrom("calls").selectAll().where("id", "=", left.callRecordId).executeTakeFirstOrThrow();
    expect(cdr).toMatchObject({ disposition: "voicemail", recording_id: left.last.recordingId });
    const conversation = await db.selectFrom("conversations").select(["state", "ticket_id"]).where("id", "=", left.conversationId).executeTakeFirstOrThrow();
    expect(conversation.state).toBe("ended");
    const attachment = await db.selectFrom("attachments").selectAll().where("id", "=", cdr.recording_id!).executeTakeFirstOrThrow();
    expect(attachment).toMatchObject({ ticket_id: conversation.ticket_id, content_type: "audio/wav" });
    const wav = wavSamples(readFileSync(join(server.dataDir, "attachments", attachment.storage_key)));
    expect(wav.samples.length / 8000).toBeGreaterThan(1);
    expect(await db.selectFrom("work_items").select(["kind", "state", "queue_id", "ticket_id"]).where("call_id", "=", cdr.id).execute()).toEqual([
      { kind: "voicemail", state: "waiting", queue_id: queueId, ticket_id: conversation.ticket_id },
    ]);
  }

  /** The rule's message as spoken for the phone (espeak-ng, 8 kHz): a WAV that is not silent, once made. */
  async function spokenFile(language: "zh-CN" | "en", text: string): Promise<string> {
    const file = join(server.dataDir, "speech", `${speechKey(language, text)}.wav`);
    await until(async () => existsSync(file), Boolean, `"${text}" spoken into ${file}`, 20_000);
    const { sampleRate, samples } = wavSamples(readFileSync(file));
    expect(sampleRate).toBe(8000);
    expect(samples.length / sampleRate).toBeGreaterThan(1);
    expect(samples.filter((s) => Math.abs(s) > 500).length / samples.length).toBeGreaterThan(0.1);
    return file;
  }

  it("says a navigation rule's own message when it says the hotline is closed today, then keeps the caller's message as voicemail work", async () => {
    const tenant = await englishTenant();
    const queueId = await makeQueue(server, tenant, []);
    const calendarId = await holidayToday(tenant);
    const rule = await api(server, tenant.users.supervisor)
      .post("/api/routing-rules")
      .send({ name: "Holiday", conditions: { channels: ["phone"], calendar: { calendarId, open: false } }, action: { type: "message", text: "We are closed for the holiday." } });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    // spoken as the rule is saved, before any call
    await spokenFile("en", "We are closed for the holiday.");
    const number = await trunkWithNumber(server, tenant, queueId);
    await setIvr(tenant, number, { welcome: false, announceEverySeconds: 0 });
    const left = await leavesMessageWhenClosed(number, "+8613900001234");
    await keptAsVoicemailWork(left, queueId, ["message: We are closed for the holiday.", "voicemail"]);
    expect(left.last.heard).not.toContain("closed");
  });

  it("says a rule's message in Chinese and hangs up when the number takes no voicemail, speaking it on the first call when it was not made ahead", async () => {
    const tenant = await createTestTenant(server);
    const queueId = await makeQueue(server, tenant, []);
    const text = "热线今天休息，请明天再来电";
    const rule = await api(server, tenant.users.supervisor).post("/api/routing-rules").send({ name: "休息日", conditions: { channels: ["phone"] }, action: { type: "message", text } });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    // as if espeak-ng had been installed after the rule was saved: the first call speaks it
    rmSync(await spokenFile("zh-CN", text));
    const number = await trunkWithNumber(server, tenant, queueId);
    await setIvr(tenant, number, { welcome: false, announceEverySeconds: 0, voicemailKey: null, language: "zh-CN" });
    const answered = callChange(server, (c) => c.state === "waiting", "the IVR answering");
    const trunk = await sippCall(server, { file: callerScenario([{ sounds: [{ keys: "5" }] }]) }, number, "+8613900004321");
    const { sipCallId } = await answered;
    const last = await untilCall(sipCallId, (c) => c.state === "ended", "the IVR hanging up");
    expect(last.heard).toEqual([`message: ${text}`]);
    await trunk.done;
    await spokenFile("zh-CN", text);
  });

  it("goes straight to the closed message and voicemail when the queue itself is closed by its calendar (overflow: voicemail)", async () => {
    const tenant = await englishTenant();
    const queueId = await makeQueue(server, tenant, [], { calendarId: await holidayToday(tenant), overflowAction: "voicemail" });
    const number = await trunkWithNumber(server, tenant, queueId);
    await setIvr(tenant, number, { welcome: false, announceEverySeconds: 0 });
    const left = await leavesMessageWhenClosed(number, "+8613900005678");
    await keptAsVoicemailWork(left, queueId);
  });

  it("says sorry and hangs up when the closed number takes no voicemail", async () => {
    const tenant = await englishTenant();
    const queueId = await makeQueue(server, tenant, [], { calendarId: await holidayToday(tenant), overflowAction: "voicemail" });
    const number = await trunkWithNumber(server, tenant, queueId);
    await setIvr(tenant, number, { welcome: false, announceEverySeconds: 0, voicemailKey: null });
    const answered = callChange(server, (c) => c.state === "waiting", "the IVR answering");
    // the caller would key 5 if asked anything: nothing is asked, the IVR hangs up on them
    const trunk = await sippCall(server, { file: callerScenario([{ sounds: [{ keys: "5" }] }]) }, number, "+8613900009999");
    const { sipCallId } = await answered;
    const last = await untilCall(sipCallId, (c) => c.state === "ended", "the IVR hanging up");
    expect(last.heard).toEqual(["sorry"]);
    await trunk.done; // sipp, still waiting to key, takes our BYE as unexpected: its exit code says nothing here
    const cdr = await server.deps.db.selectFrom("calls").select(["disposition", "hangup_side"]).where("sip_call_id", "=", sipCallId).executeTakeFirstOrThrow();
    expect(cdr.hangup_side).toBe("system");
  });
});
