import type { MissedCall, MissedCallChangedEvent, QueueMetrics } from "@yixian/contracts";
import { openCallRecord, recordCallEvent, systemCtx } from "@yixian/server/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, createTestTenant, type TestServer, type TestTenant, type TestUser } from "./harness.ts";
import { callChange, sippCall, startCallServer, trunkWithNumber } from "./phone-kit.ts";
import { addUser, agentOn, heardOf, makeContact, makeQueue, until, type RoutingSocket } from "./routing-kit.ts";

// A caller who hangs up while queued (real sipp as the trunk, through the B2BUA and the server's
// own rtpengine): the work item is abandoned and counted on the wallboard, and the number is
// listed as a missed call for the queue's agents to call back — once per number, repeat calls
// counted as attempts — claimed by one agent, then done with the outcome.
let server: TestServer;
const sockets: RoutingSocket[] = [];

beforeAll(async () => {
  server = await startCallServer();
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await server?.stop();
});

/** sipp calls `number` from `caller`, waits in the queue (nobody can answer: no phone is registered) and hangs up. */
async function hangUpWhileQueued(number: string, caller: string): Promise<string> {
  const waiting = callChange(server, (c) => c.state === "waiting", "the caller queued");
  const trunk = await sippCall(server, "hangs-up", number, caller);
  const { sipCallId } = await waiting;
  const ended = callChange(server, (c) => c.sipCallId === sipCallId && c.state === "ended", "the call ended");
  await trunk.go(sipCallId);
  await ended;
  const run = await trunk.done;
  expect(run.code, run.output.slice(-2000)).toBe(0);
  return sipCallId;
}

async function missedCalls(user: TestUser, query: Record<string, string> = {}): Promise<MissedCall[]> {
  const res = await api(server, user).get("/api/voice/missed-calls").query(query);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data.items as MissedCall[];
}

async function queueMetrics(tenant: TestTenant, queueId: string): Promise<QueueMetrics> {
  const res = await api(server, tenant.users.supervisor).get("/api/wallboard");
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body.data.queues as QueueMetrics[]).find((q) => q.queueId === queueId)!;
}

describe("a caller who hangs up while queued", () => {
  it("is abandoned on the wallboard and listed once as a missed call, repeat calls folded in; one agent claims it and marks it called back", async () => {
    const tenant = await createTestTenant(server, "未接");
    const li = await addUser(server, tenant, "李娜");
    const wang = await addUser(server, tenant, "王芳");
    const queueId = await makeQueue(server, tenant, [li, wang], { strategy: "least_busy", offerTimeoutSeconds: 600 });
    const number = await trunkWithNumber(server, tenant, queueId);
    const contactId = await makeContact(server, tenant);
    const caller = "+8613700137001";
    await server.deps.db.insertInto("identities").values({ tenant_id: tenant.id, contact_id: contactId, kind: "phone", value: caller, display_value: caller }).execute();
    const contact = await server.deps.db.selectFrom("contacts").select("name").where("id", "=", contactId).executeTakeFirstOrThrow();
    const other = await createTestTenant(server, "别家");
    const agentHears: MissedCallChangedEvent[] = [];
    (await agentOn(server.url, li, sockets)).socket.on("missed-call:changed", (e) => agentHears.push(e));
    const otherHears: MissedCallChangedEvent[] = [];
    (await agentOn(server.url, other.users.supervisor, sockets)).socket.on("missed-call:changed", (e) => otherHears.push(e));
    const abandonedBefore = (await queueMetrics(tenant, queueId)).abandoned;

    const sipCallId = await hangUpWhileQueued(number, caller);
    const cdr = await server.deps.db.selectFrom("calls").selectAll().where("sip_call_id", "=", sipCallId).executeTakeFirstOrThrow();
    expect(cdr).toMatchObject({ disposition: "abandoned", hangup_side: "caller", queue_id: queueId });
    const item = await server.deps.db.selectFrom("work_items").select(["state", "media"]).where("conversation_id", "=", cdr.conversation_id!).executeTakeFirstOrThrow();
    expect(item).toEqual({ state: "abandoned", media: "voice" });
    await until(() => queueMetrics(tenant, queueId), (q) => q.abandoned === abandonedBefore + 1, "the wallboard counting the abandoned call");

    // the queue's agent hears of it and sees one missed call: the caller, the customer, the queue, how long they waited
    const heard = await heardOf(agentHears, (e) => e.state === "open", "missed-call:changed for the queue's agent");
    const [first, ...none] = await missedCalls(li, { queueId });
    expect(none).toEqual([]);
    expect(first).toMatchObject({ id: heard.id, kind: "missed", state: "open", number: caller, contact: { id: contactId, name: contact.name }, queue: { id: queueId }, attempts: 1, lastCallId: cdr.id, claimedBy: null });
    const cdrWait = Math.round((new Date(cdr.ended_at!).getTime() - new Date(cdr.started_at).getTime()) / 1000);
    expect(first!.waitedSeconds).toBe(cdrWait);

    // the same number calls again and hangs up: folded into the open entry
    const secondCallId = await hangUpWhileQueued(number, caller);
    await heardOf(agentHears, (e) => e.id === first!.id && e.attempts === 2, "the second attempt heard");
    const folded = await missedCalls(li);
    expect(folded).toHaveLength(1);
    const second = await server.deps.db.selectFrom("calls").select("id").where("sip_call_id", "=", secondCallId).executeTakeFirstOrThrow();
    expect(folded[0]).toMatchObject({ id: first!.id, attempts: 2, lastCallId: second.id, firstAt: first!.firstAt });

    // another tenant never sees it, by list, by id or by event
    expect(await missedCalls(other.users.supervisor)).toEqual([]);
    expect((await api(server, other.users.supervisor).post(`/api/voice/missed-calls/${first!.id}/claim`)).body.error.code).toBe("NOT_FOUND");
    expect((await api(server, other.users.supervisor).post(`/api/voice/missed-calls/${first!.id}/done`).send({ outcome: "reached" })).body.error.code).toBe("NOT_FOUND");

    // 李娜 claims it to call back; 王芳 cannot claim it or mark it done meanwhile
    const claimed = await api(server, li).post(`/api/voice/missed-calls/${first!.id}/claim`);
    expect(claimed.status, JSON.stringify(claimed.body)).toBe(200);
    expect(claimed.body.data).toMatchObject({ state: "claimed", claimedBy: { id: li.id, name: "李娜" } });
    await heardOf(agentHears, (e) => e.id === first!.id && e.state === "claimed", "the claim heard");
    const taken = await api(server, wang).post(`/api/voice/missed-calls/${first!.id}/claim`);
    expect([taken.status, taken.body.error.code]).toEqual([409, "CALLBACK_TAKEN"]);
    expect((await api(server, wang).post(`/api/voice/missed-calls/${first!.id}/done`).send({ outcome: "reached" })).body.error.code).toBe("CALLBACK_TAKEN");
    expect((await api(server, li).post(`/api/voice/missed-calls/${first!.id}/done`).send({ outcome: "called" })).body.error.code).toBe("VALIDATION_FAILED");

    // called back: done with the outcome, off the open list, on the done list
    const done = await api(server, li).post(`/api/voice/missed-calls/${first!.id}/done`).send({ outcome: "reached", note: "发票问题已解决" });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.data).toMatchObject({ state: "done", outcome: "reached", note: "发票问题已解决", doneBy: { id: li.id } });
    await heardOf(agentHears, (e) => e.id === first!.id && e.state === "done", "done heard");
    expect(await missedCalls(li)).toEqual([]);
    expect((await missedCalls(wang, { state: "done" })).map((m) => m.id)).toEqual([first!.id]);
    expect((await api(server, wang).post(`/api/voice/missed-calls/${first!.id}/claim`)).body.error.code).toBe("CALLBACK_DONE");
    expect(otherHears).toEqual([]);
  });

  it("lists a caller who asked the IVR for a call-back as a call-back request, folding a missed call of the same number into it; a withheld number is not listed", async () => {
    const tenant = await createTestTenant(server, "回拨");
    const agent = await addUser(server, tenant, "赵敏");
    const queueId = await makeQueue(server, tenant, [agent]);
    const ctx = systemCtx(server.deps, tenant.id);
    let seq = 0;
    /** A call record as the call layer writes it: queued, then ended by the caller with `disposition` (the IVR's call-back key ends it so). */
    const call = async (from: string | null, disposition?: "callback") => {
      seq += 1;
      const id = await openCallRecord(ctx, { sipCallId: `cb-${tenant.slug}-${seq}`, direction: "inbound", from, to: "+864008001234", did: "+864008001234" });
      await recordCallEvent(ctx, id, { type: "queued", queueId });
      await recordCallEvent(ctx, id, { type: "ended", side: "caller", ...(disposition ? { disposition } : {}) });
      return id;
    };
    await call("+8613600136001");
    const asked = await call("+8613600136001", "callback");
    await call(null);
    const listed = await missedCalls(agent);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ kind: "callback", number: "+8613600136001", attempts: 2, lastCallId: asked, queue: { id: queueId }, contact: null });
  });
});
