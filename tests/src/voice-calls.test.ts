import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openCallRecord, recordCallEvent } from "@yixian/server/domain";
import { systemCtx } from "../../server/src/domain/context.ts";
import { api, createTestTenant, startTestServer, type TestServer, type TestTenant } from "./harness.ts";

// The call layer reports each step of a call; the clock steps so that durations are exact.
let now = new Date("2026-12-07T02:00:00.000Z");
const at = (seconds: number) => (now = new Date(Date.parse("2026-12-07T02:00:00.000Z") + seconds * 1000));
let server: TestServer;
let tenant: TestTenant;
let queueId: string;
beforeAll(async () => {
  server = await startTestServer({ clock: { now: () => now } });
  tenant = await createTestTenant(server);
  queueId = (await server.deps.db.insertInto("queues").values({ tenant_id: tenant.id, name: "售后热线" }).returning("id").executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  await server?.stop();
});

describe("call detail records", () => {
  it("times an answered call with hold and wrap-up, once however often each step is reported", async () => {
    const ctx = systemCtx(server.deps, tenant.id);
    const agent = tenant.users.agent.id;
    at(0);
    const id = await openCallRecord(ctx, { sipCallId: "a84b4c76e66710@pc33", direction: "inbound", from: "+8613800138000", to: "+864001234567", did: "+864001234567" });
    expect(await openCallRecord(ctx, { sipCallId: "a84b4c76e66710@pc33", direction: "inbound", from: "+8613800138000", to: "+864001234567" })).toBe(id);
    at(4);
    expect(await recordCallEvent(ctx, id, { type: "queued", queueId })).toBe(true);
    at(20);
    await recordCallEvent(ctx, id, { type: "ringing", agentId: agent });
    at(25);
    expect(await recordCallEvent(ctx, id, { type: "answered", agentId: agent })).toBe(true);
    expect(await recordCallEvent(ctx, id, { type: "answered", agentId: agent })).toBe(false);
    at(60);
    await recordCallEvent(ctx, id, { type: "held" });
    at(90);
    await recordCallEvent(ctx, id, { type: "resumed" });
    at(145);
    await recordCallEvent(ctx, id, { type: "ended", side: "agent", cause: "BYE" });
    expect(await recordCallEvent(ctx, id, { type: "ended", side: "caller" })).toBe(false);
    await recordCallEvent(ctx, id, { type: "rated", score: 4 });
    expect(await recordCallEvent(ctx, id, { type: "rated", score: 1 })).toBe(false);
    at(175);
    await recordCallEvent(ctx, id, { type: "wrapped-up" });

    const list = await api(server, tenant.users.supervisor).get("/api/voice/calls");
    expect(list.status).toBe(200);
    expect(list.body.data.items).toHaveLength(1);
    expect(list.body.data.items[0]).toMatchObject({
      from: "+8613800138000",
      queue: { id: queueId, name: "售后热线" },
      agent: { id: agent },
      waitSeconds: 25,
      talkSeconds: 90, // 120 s answered, 30 of them on hold
      holdSeconds: 30,
      wrapUpSeconds: 30,
      disposition: "answered",
      hangupSide: "agent",
      rating: 4,
    });
  });

  it("counts a caller who hangs up while queued as abandoned, and one nobody answered as missed", async () => {
    const ctx = systemCtx(server.deps, tenant.id);
    at(1000);
    const gone = await openCallRecord(ctx, { sipCallId: "abandon-1", direction: "inbound", from: "+8613900139000", to: "+864001234567" });
    await recordCallEvent(ctx, gone, { type: "queued", queueId });
    at(1040);
    await recordCallEvent(ctx, gone, { type: "ended", side: "caller", cause: "CANCEL" });
    const closed = await openCallRecord(ctx, { sipCallId: "missed-1", direction: "inbound", from: "+8613700137000", to: "+864001234567" });
    at(1041);
    await recordCallEvent(ctx, closed, { type: "ended", side: "system", cause: "no agent" });
    const abandoned = await api(server, tenant.users.supervisor).get("/api/voice/calls?disposition=abandoned");
    expect(abandoned.body.data.items.map((c: { sipCallId: string; waitSeconds: number }) => [c.sipCallId, c.waitSeconds])).toEqual([["abandon-1", 40]]);
    const missed = await api(server, tenant.users.supervisor).get("/api/voice/calls?disposition=missed");
    expect(missed.body.data.items.map((c: { sipCallId: string }) => c.sipCallId)).toEqual(["missed-1"]);
    const byNumber = await api(server, tenant.users.agent).get("/api/voice/calls?number=139001");
    expect(byNumber.body.data.items.map((c: { sipCallId: string }) => c.sipCallId)).toEqual(["abandon-1"]);
    // pages, newest first
    const first = await api(server, tenant.users.agent).get("/api/voice/calls?limit=2");
    expect(first.body.data.items).toHaveLength(2);
    const second = await api(server, tenant.users.agent).get(`/api/voice/calls?limit=2&cursor=${first.body.data.nextCursor}`);
    expect(second.body.data.items.map((c: { sipCallId: string }) => c.sipCallId)).toEqual(["a84b4c76e66710@pc33"]);
  });

  it("exports the records as CSV a spreadsheet opens safely, and shows no other tenant's calls", async () => {
    const ctx = systemCtx(server.deps, tenant.id);
    at(2000);
    const hostile = await openCallRecord(ctx, { sipCallId: "csv-1", direction: "inbound", from: "=HYPERLINK(\"http://evil\")", to: "+864001234567" });
    await recordCallEvent(ctx, hostile, { type: "ended", side: "caller" });
    const csv = await api(server, tenant.users.supervisor).get("/api/voice/calls/export");
    expect(csv.status).toBe(200);
    expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(csv.headers["content-disposition"]).toMatch(/attachment; filename.*calls-\d{4}-\d{2}-\d{2}\.csv/);
    const lines = csv.text.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toMatch(/^started_at,direction,from,to,did,queue,agent,/);
    expect(lines).toHaveLength(5);
    expect(csv.text).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(csv.text).toContain(",+8613800138000,");
    expect(csv.text).toContain("售后热线");
    const other = await createTestTenant(server);
    expect((await api(server, other.users.supervisor).get("/api/voice/calls")).body.data.items).toEqual([]);
    expect((await api(server, tenant.users.field_engineer).get("/api/voice/calls")).status).toBe(403);
  });
});
