import type { CallerWork, MissedCall, OfferEvent, Presence, QueueMetrics } from "@yixian/contracts";
import { answerCall } from "@yixian/server/domain";
import { beforeEach, describe, expect, it } from "vitest";
import { api, createTestTenant, type TestServer, type TestTenant, type TestUser } from "./harness.ts";
import { addUser, heardOf, makeQueue, serverWithAgents, setCapacity, setPresence } from "./routing-kit.ts";
import { callIn, callerLeaves, pcmWav, registerPhone } from "./voice-kit.ts";

// Voicemail and call-back work an agent can finish (decision 0018): the offer says what it is,
// Done with the outcome frees the agent's voice capacity and is on the ticket's timeline, and a
// call-back and its missed-call entry move as one — claim = accept, release = back to the queue,
// done = both done — so a customer is not called back twice. A customer reached by a later call
// closes their open missed call.
let server: TestServer;
const { agentSocket } = serverWithAgents((s) => (server = s));
let tenant: TestTenant;
let li: TestUser;
let wang: TestUser;
let queueId: string;
let seq = 0;

beforeEach(async () => {
  tenant = await createTestTenant(server, "回电");
  li = await addUser(server, tenant, "李娜");
  wang = await addUser(server, tenant, "王芳");
  queueId = await makeQueue(server, tenant, [li, wang], { offerTimeoutSeconds: 600, wrapUpSeconds: 30 });
  for (const agent of [li, wang]) await registerPhone(server, tenant, agent);
});

const caller = () => `+86137${String(Date.now() % 10_000_000).padStart(7, "0")}${(seq += 1) % 10}`;

async function callerWork(user: TestUser): Promise<CallerWork[]> {
  const res = await api(server, user).get("/api/caller-work");
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data as CallerWork[];
}

async function missedCallOf(number: string): Promise<MissedCall> {
  for (const state of ["open", "done"]) {
    const res = await api(server, li).get("/api/voice/missed-calls").query({ state });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const found = (res.body.data.items as MissedCall[]).find((m) => m.number === number);
    if (found) return found;
  }
  throw new Error(`no missed call of ${number}`);
}

async function presenceOf(user: TestUser): Promise<Presence> {
  const res = await api(server, user).get("/api/presence/me");
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data as Presence;
}

async function itemState(id: string) {
  return server.deps.db.selectFrom("work_items").select(["state", "assigned_to"]).where("id", "=", id).executeTakeFirstOrThrow();
}

/** A caller waits while nobody is available, then asks for a call-back (or leaves a voicemail). */
async function callerAsks(kind: "callback" | "voicemail", number = caller()) {
  const call = await callIn(server, tenant, { from: number, queueId });
  const work = await callerLeaves(server, tenant, call, kind === "callback" ? { kind } : { kind, wav: pcmWav(Buffer.alloc(16_000, 0x10)) });
  return { ...call, ...work, number };
}

async function offered(user: TestUser, workItemId: string): Promise<OfferEvent> {
  const { heard } = await agentSocket(user);
  await setPresence(server, user, "available");
  return heardOf(heard.offers, (o) => o.workItemId === workItemId, "the caller's work offered");
}

describe("voicemail and call-back work", () => {
  it("is offered as what it is; the agent who accepts it holds it until Done with the outcome, which frees their voice capacity and is on the ticket's timeline", async () => {
    const voicemail = await callerAsks("voicemail");
    const offer = await offered(li, voicemail.workItemId);
    expect(offer).toMatchObject({ kind: "voicemail", media: "voice", ticketId: voicemail.ticketId, conversationId: null, caller: { callId: voicemail.callId, number: voicemail.number } });
    expect(offer.caller!.recordingId).not.toBeNull();
    const mine = await api(server, li).get("/api/offers/mine");
    expect(mine.body.data).toEqual([expect.objectContaining({ offerId: offer.offerId, kind: "voicemail", caller: offer.caller })]);
    expect((await api(server, li).post(`/api/offers/${offer.offerId}/accept`)).status).toBe(200);

    const [held, ...none] = await callerWork(li);
    expect(none).toEqual([]);
    expect(held).toMatchObject({ workItemId: voicemail.workItemId, kind: "voicemail", state: "assigned", ticketId: voicemail.ticketId, queue: { id: queueId }, number: voicemail.number, recordingId: offer.caller!.recordingId });
    expect(await callerWork(wang)).toEqual([]);
    expect((await presenceOf(li)).load.voice).toBe(1);

    // someone else's, no outcome, unknown: refused with a code
    expect((await api(server, wang).post(`/api/caller-work/${voicemail.workItemId}/done`).send({ outcome: "reached" })).body.error.code).toBe("NOT_FOUND");
    expect((await api(server, li).post(`/api/caller-work/${voicemail.workItemId}/done`).send({})).body.error.code).toBe("VALIDATION_FAILED");
    const other = await createTestTenant(server, "别家");
    expect((await api(server, other.users.agent).post(`/api/caller-work/${voicemail.workItemId}/done`).send({ outcome: "reached" })).body.error.code).toBe("NOT_FOUND");

    const done = await api(server, li).post(`/api/caller-work/${voicemail.workItemId}/done`).send({ outcome: "handled", note: "客户已改用邮件联系" });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.data).toMatchObject({ state: "completed", kind: "voicemail" });
    const again = await api(server, li).post(`/api/caller-work/${voicemail.workItemId}/done`).send({ outcome: "handled" });
    expect(again.status).toBe(200);
    expect(again.body.data).toEqual(done.body.data);
    expect(await callerWork(li)).toEqual([]);
    const presence = await presenceOf(li);
    expect(presence.load.voice).toBe(0);
    expect(presence.state).toBe("wrap_up");

    const timeline = await api(server, li).get(`/api/tickets/${voicemail.ticketId}/timeline`).query({ limit: 500 });
    const entries = (timeline.body.data.items as { kind: string; data: Record<string, unknown>; actor: { name: string | null } }[]).filter((i) => i.kind === "caller_work_done");
    expect(entries).toEqual([expect.objectContaining({ data: { work: "voicemail", outcome: "handled", number: voicemail.number, note: "客户已改用邮件联系" }, actor: expect.objectContaining({ name: "李娜" }) })]);
  });

  it("moves a call-back and its missed-call entry as one: accepting claims the entry, Done finishes both", async () => {
    const callback = await callerAsks("callback");
    expect(await missedCallOf(callback.number)).toMatchObject({ kind: "callback", state: "open" });
    const offer = await offered(li, callback.workItemId);
    expect(offer).toMatchObject({ kind: "callback", caller: { callId: callback.callId, number: callback.number, recordingId: null } });
    expect((await api(server, li).post(`/api/offers/${offer.offerId}/accept`)).status).toBe(200);
    expect(await missedCallOf(callback.number)).toMatchObject({ state: "claimed", claimedBy: { id: li.id } });
    // the list's entry is li's now: nobody else calls
    expect((await api(server, wang).post(`/api/voice/missed-calls/${(await missedCallOf(callback.number)).id}/claim`)).body.error.code).toBe("CALLBACK_TAKEN");

    const done = await api(server, li).post(`/api/caller-work/${callback.workItemId}/done`).send({ outcome: "wrong_number" });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(await missedCallOf(callback.number)).toMatchObject({ state: "done", outcome: "wrong_number", doneBy: { id: li.id } });
    expect(await itemState(callback.workItemId)).toEqual({ state: "completed", assigned_to: li.id });
  });

  it("claiming the call-back's missed call accepts its work (refused while another agent has it), release puts it back in the queue, and done from the list finishes it", async () => {
    const callback = await callerAsks("callback");
    const entry = await missedCallOf(callback.number);

    const claimed = await api(server, li).post(`/api/voice/missed-calls/${entry.id}/claim`);
    expect(claimed.status, JSON.stringify(claimed.body)).toBe(200);
    expect(await itemState(callback.workItemId)).toEqual({ state: "assigned", assigned_to: li.id });
    expect(await callerWork(li)).toEqual([expect.objectContaining({ workItemId: callback.workItemId, kind: "callback", number: callback.number })]);
    const ticket = await api(server, li).get(`/api/tickets/${callback.ticketId}`);
    expect(ticket.body.data.assignee).toMatchObject({ id: li.id });
    expect((await api(server, wang).post(`/api/voice/missed-calls/${entry.id}/claim`)).body.error.code).toBe("CALLBACK_TAKEN");
    expect((await api(server, wang).post(`/api/voice/missed-calls/${entry.id}/done`).send({ outcome: "reached" })).body.error.code).toBe("CALLBACK_TAKEN");

    // li gives it up: the entry is open and the work waits in its queue again, li's capacity free
    const released = await api(server, li).post(`/api/voice/missed-calls/${entry.id}/release`);
    expect(released.body.data).toMatchObject({ state: "open", claimedBy: null });
    expect(await itemState(callback.workItemId)).toEqual({ state: "waiting", assigned_to: null });
    expect(await callerWork(li)).toEqual([]);
    expect((await presenceOf(li)).load.voice).toBe(0);

    // wang calls back from the list and records the outcome: the work is finished with it
    expect((await api(server, wang).post(`/api/voice/missed-calls/${entry.id}/claim`)).status).toBe(200);
    const done = await api(server, wang).post(`/api/voice/missed-calls/${entry.id}/done`).send({ outcome: "reached", note: "已解决" });
    expect(done.body.data).toMatchObject({ state: "done", outcome: "reached", doneBy: { id: wang.id } });
    expect(await itemState(callback.workItemId)).toEqual({ state: "completed", assigned_to: wang.id });
    expect(await callerWork(wang)).toEqual([]);
    expect((await api(server, wang).post(`/api/voice/missed-calls/${entry.id}/done`).send({ outcome: "reached" })).status).toBe(200); // a retry
  });

  it("pairs each call-back with its own missed-call entry by id: two call-backs from one number are two entries, and finishing one leaves the other open", async () => {
    const number = caller();
    const first = await callerAsks("callback", number);
    const second = await callerAsks("callback", number);
    const open = async () => ((await api(server, li).get("/api/voice/missed-calls").query({ state: "open" })).body.data.items as MissedCall[]).filter((m) => m.number === number);
    const entries = await open();
    expect(entries.map((e) => e.workItemId).sort()).toEqual([first.workItemId, second.workItemId].sort());
    expect(entries.every((e) => e.kind === "callback" && e.attempts === 1)).toBe(true);

    const offer = await offered(li, first.workItemId);
    expect((await api(server, li).post(`/api/offers/${offer.offerId}/accept`)).status).toBe(200);
    const done = await api(server, li).post(`/api/caller-work/${first.workItemId}/done`).send({ outcome: "reached" });
    expect(done.status, JSON.stringify(done.body)).toBe(200);

    // the first pair is done; the second call-back still waits in its queue with its open entry
    expect(await open()).toEqual([expect.objectContaining({ workItemId: second.workItemId, state: "open", claimedBy: null })]);
    expect((await itemState(second.workItemId)).state).toMatch(/^(waiting|offered)$/);
    const secondEntry = (await open())[0]!;
    expect((await api(server, wang).post(`/api/voice/missed-calls/${secondEntry.id}/claim`)).status).toBe(200);
    expect(await itemState(second.workItemId)).toEqual({ state: "assigned", assigned_to: wang.id });
    expect(await itemState(first.workItemId)).toEqual({ state: "completed", assigned_to: li.id });
  });

  it("tries a call-back again after \"no answer\": back in its queue (not a new call in the queue's figures), offered again once its next try is due, and finished unreached after the queue's last try", async () => {
    const routing = await api(server, tenant.admin).patch(`/api/queues/${queueId}/routing`).send({ callbackRetryMinutes: 10, callbackMaxTries: 2 });
    expect(routing.status, JSON.stringify(routing.body)).toBe(200);
    expect(routing.body.data).toMatchObject({ callbackRetryMinutes: 10, callbackMaxTries: 2 });
    const callback = await callerAsks("callback");
    const offer = await offered(li, callback.workItemId);
    expect((await api(server, li).post(`/api/offers/${offer.offerId}/accept`)).status).toBe(200);
    expect((await callerWork(li))[0]).toMatchObject({ callbackTries: 0, maxTries: 2, retryAt: null });

    // the first try: nobody answers, so the call-back waits in its queue for the next one, ten minutes on
    const tried = await api(server, li).post(`/api/caller-work/${callback.workItemId}/done`).send({ outcome: "no_answer" });
    expect(tried.status, JSON.stringify(tried.body)).toBe(200);
    expect(tried.body.data).toMatchObject({ state: "waiting", callbackTries: 1, maxTries: 2 });
    const retryAt = tried.body.data.retryAt as string;
    expect(Date.parse(retryAt) - Date.now()).toBeGreaterThan(9 * 60_000);
    const entry = await missedCallOf(callback.number);
    expect(entry).toMatchObject({ state: "open", claimedBy: null, callbackTries: 1, maxTries: 2, retryAt });
    expect(await callerWork(li)).toEqual([]);
    expect((await presenceOf(li)).load.voice).toBe(0);
    // "no answer" again from the list before the next try is due changes nothing
    const early = await api(server, wang).post(`/api/voice/missed-calls/${entry.id}/done`).send({ outcome: "no_answer" });
    expect(early.body.data).toMatchObject({ state: "open", callbackTries: 1 });

    // not offered before its next try, and not waiting on the wallboard meanwhile
    const { heard } = await agentSocket(wang);
    await setPresence(server, wang, "available");
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(heard.offers.filter((o) => o.workItemId === callback.workItemId)).toEqual([]);
    const live = async () => ((await api(server, li).get("/api/metrics/queues").query({ queueId })).body.data.queues as QueueMetrics[])[0]!;
    expect(await live()).toMatchObject({ waiting: 0 });

    // the next try is due (as if ten minutes passed): offered again, saying which try it is
    await server.deps.db.updateTable("work_items").set({ retry_at: new Date(Date.now() - 1000) }).where("id", "=", callback.workItemId).execute();
    const again = await heardOf(heard.offers, (o) => o.workItemId === callback.workItemId, "the call-back offered again");
    expect(again.caller).toMatchObject({ number: callback.number, callbackTries: 1, maxTries: 2 });
    const accepted = await api(server, wang).post(`/api/offers/${again.offerId}/accept`);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(await callerWork(wang)).toEqual([expect.objectContaining({ workItemId: callback.workItemId, state: "assigned", callbackTries: 1, maxTries: 2 })]);
    const last = await api(server, wang).post(`/api/caller-work/${callback.workItemId}/done`).send({ outcome: "no_answer", note: "两次都没人接" });
    expect(last.body.data).toMatchObject({ state: "completed", callbackTries: 2, retryAt: null });
    expect(await missedCallOf(callback.number)).toMatchObject({ state: "done", outcome: "no_answer", doneBy: { id: wang.id }, callbackTries: 2 });

    // one call in the queue's figures: answered once, handled once, nothing waiting
    expect(await live()).toMatchObject({ waiting: 0, answered: 1, handled: 1 });
    const timeline = await api(server, li).get(`/api/tickets/${callback.ticketId}/timeline`).query({ limit: 500 });
    const tries = (timeline.body.data.items as { kind: string; data: Record<string, unknown> }[]).filter((i) => i.kind === "callback_retry" || i.kind === "caller_work_done");
    expect(tries).toEqual([
      expect.objectContaining({ kind: "callback_retry", data: { work: "callback", outcome: "no_answer", number: callback.number, tries: 1, maxTries: 2, retryAt } }),
      expect.objectContaining({ kind: "caller_work_done", data: { work: "callback", outcome: "no_answer", number: callback.number, tries: 2, maxTries: 2, note: "两次都没人接" } }),
    ]);
  });

  it("closes the customer's open missed call, and finishes the call-back nobody took yet, when they call again and an agent answers", async () => {
    const callback = await callerAsks("callback");
    const again = await callIn(server, tenant, { from: callback.number, queueId });
    const { heard } = await agentSocket(li);
    await setCapacity(server, tenant, li, { voice: 2 }); // offered the call-back and the call
    await setPresence(server, li, "available");
    const offer = await heardOf(heard.offers, (o) => o.conversationId === again.conversationId, "the new call's offer");
    expect(offer.kind).toBe("contact");
    expect(offer.caller).toBeNull();
    await answerCall(server.deps, { tenantId: tenant.id, agentId: li.id, offerId: offer.offerId, callRecordId: again.callId });
    expect(await missedCallOf(callback.number)).toMatchObject({ state: "done", outcome: "reached", doneBy: { id: li.id } });
    expect((await itemState(callback.workItemId)).state).toBe("completed");
    await heardOf(heard.withdrawn, (w) => w.workItemId === callback.workItemId, "the call-back's offer withdrawn");
  });
});
