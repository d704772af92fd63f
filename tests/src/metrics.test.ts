import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAgent, addItem, addQueue, setPresence, setTenantZone, startClockedServer, updateItem, type ClockedServer } from "../e2e/support.ts";
import { api, createTestTenant, type TestTenant } from "./harness.ts";

// A scripted morning in Shanghai, read back through the REST API. The clock stands at 10:14:30
// local time, so the current interval is 10:00–10:15; every number is worked out by hand.
const local = (s: string) => `2026-11-20T${s}+08:00`;
let server: ClockedServer;

beforeAll(async () => {
  server = await startClockedServer(local("10:14:30"));
});
afterAll(async () => {
  await server?.stop();
});

interface Morning {
  tenant: TestTenant;
  hotline: string;
  email: string;
  agents: { li: string; han: string; wang: string; zhao: string };
  items: Record<"a" | "b" | "c" | "d" | "e" | "f" | "h" | "g", string>;
}

async function scriptedMorning(): Promise<Morning> {
  server.clock.set(local("10:14:30"));
  const tenant = await createTestTenant(server, "Metrics");
  const t = tenant.id;
  await setTenantZone(server, t, "Asia/Shanghai");
  const agents = { li: await addAgent(server, t, "李雷"), han: await addAgent(server, t, "韩梅梅"), wang: await addAgent(server, t, "王芳"), zhao: await addAgent(server, t, "赵强") };
  const hotline = await addQueue(server, t, "Hotline 热线", [agents.li, agents.han, agents.wang, agents.zhao], 20);
  const email = await addQueue(server, t, "Email 邮件", [agents.wang], 3600);
  await setPresence(server, t, agents.li, "available", local("10:09:20"));
  await setPresence(server, t, agents.han, "busy", local("10:02:05"));
  await setPresence(server, t, agents.wang, "away", local("09:30:00"), "lunch");
  const item = (over: Parameters<typeof addItem>[3]) => addItem(server, t, hotline, over);
  const items = {
    a: await item({ state: "completed", enqueuedAt: local("09:58:00"), assignedAt: local("10:00:30"), assignedTo: agents.li, completedAt: local("10:05:30"), holdMs: 60_000, wrapMs: 30_000 }),
    b: await item({ state: "completed", enqueuedAt: local("10:01:00"), assignedAt: local("10:01:20"), assignedTo: agents.li, completedAt: local("10:09:20"), wrapMs: 20_000 }),
    c: await item({ state: "assigned", enqueuedAt: local("10:02:00"), assignedAt: local("10:02:05"), assignedTo: agents.han }),
    d: await item({ state: "abandoned", enqueuedAt: local("10:03:00"), abandonedAt: local("10:03:45") }),
    e: await item({ state: "offered", enqueuedAt: local("10:10:00") }),
    f: await item({ state: "waiting", enqueuedAt: local("10:12:00") }),
    h: await item({ state: "waiting", enqueuedAt: local("10:14:00") }),
    g: await item({ state: "completed", enqueuedAt: local("09:40:00"), assignedAt: local("09:40:10"), assignedTo: agents.han, completedAt: local("10:01:10"), holdMs: 120_000, wrapMs: 40_000 }),
  };
  await item({ state: "cancelled", enqueuedAt: local("10:04:00") });
  // Li also finished one item at the first instant of the day and one at the last of yesterday.
  await item({ state: "completed", enqueuedAt: "2026-11-19T23:58:00+08:00", assignedAt: "2026-11-19T23:58:30+08:00", assignedTo: agents.li, completedAt: local("00:00:00") });
  await item({ state: "completed", enqueuedAt: "2026-11-19T23:50:00+08:00", assignedAt: "2026-11-19T23:50:05+08:00", assignedTo: agents.li, completedAt: "2026-11-19T23:59:59+08:00" });
  await addItem(server, t, email, { state: "waiting", enqueuedAt: local("08:50:00") });
  return { tenant, hotline, email, agents, items };
}

describe("GET /metrics/queues", () => {
  it("answers the current interval's numbers for every queue", async () => {
    const m = await scriptedMorning();
    const res = await api(server, m.tenant.users.supervisor).get("/api/metrics/queues");
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toMatchObject({
      at: "2026-11-20T02:14:30.000Z",
      intervalStart: "2026-11-20T02:00:00.000Z",
      intervalEnd: "2026-11-20T02:15:00.000Z",
      timeZone: "Asia/Shanghai",
    });
    const [email, hotline] = res.body.data.queues;
    expect(hotline).toEqual({
      queueId: m.hotline,
      name: "Hotline 热线",
      waiting: 3, // e (offered), f, h
      longestWaitSeconds: 270, // e since 10:10:00
      oldestWaitingSince: "2026-11-20T02:10:00.000Z",
      serviceLevel: 2 / 3, // b (20 s = T) and c (5 s) of a, b, c
      serviceLevelSeconds: 20,
      answered: 3,
      answeredWithinThreshold: 2,
      asaSeconds: 58.333, // (150 + 20 + 5) / 3
      handled: 3, // a, b, g completed after 10:00
      ahtSeconds: 710, // (330 + 500 + 1300) / 3
      abandoned: 1, // d
      abandonRate: 0.25, // 1 / (3 + 1)
      agents: { offline: 1, available: 1, busy: 1, wrap_up: 0, away: 1 },
    });
    expect(email).toMatchObject({
      queueId: m.email,
      waiting: 1,
      longestWaitSeconds: 5070, // since 08:50:00
      serviceLevel: null,
      asaSeconds: null,
      ahtSeconds: null,
      abandonRate: null,
      agents: { offline: 0, available: 0, busy: 0, wrap_up: 0, away: 1 },
    });
  });

  it("narrows to one queue, and finds nothing by another tenant's queue", async () => {
    const m = await scriptedMorning();
    const other = await createTestTenant(server, "Other");
    const one = await api(server, m.tenant.users.agent).get("/api/metrics/queues").query({ queueId: m.email });
    expect(one.status).toBe(200);
    expect(one.body.data.queues.map((q: { queueId: string }) => q.queueId)).toEqual([m.email]);
    const foreign = await api(server, other.users.supervisor).get("/api/metrics/queues").query({ queueId: m.hotline });
    expect(foreign.status).toBe(200);
    expect(foreign.body.data.queues).toEqual([]);
  });

  it("is refused to a role that may not read queues", async () => {
    const m = await scriptedMorning();
    const res = await api(server, m.tenant.users.field_engineer).get("/api/metrics/queues");
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("FORBIDDEN");
  });
});

describe("GET /metrics/agents", () => {
  it("shows each member's state, time in state and what they completed in the tenant's day", async () => {
    const m = await scriptedMorning();
    const res = await api(server, m.tenant.users.supervisor).get("/api/metrics/agents");
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.dayStart).toBe("2026-11-19T16:00:00.000Z");
    const byName = Object.fromEntries(res.body.data.agents.map((a: { name: string }) => [a.name, a]));
    expect(Object.keys(byName).sort()).toEqual(["李雷", "王芳", "赵强", "韩梅梅"].sort());
    expect(byName["李雷"]).toMatchObject({ state: "available", stateSince: "2026-11-20T02:09:20.000Z", timeInStateSeconds: 310, handledToday: 3 });
    expect(byName["韩梅梅"]).toMatchObject({ state: "busy", timeInStateSeconds: 745, handledToday: 1 });
    expect(byName["王芳"]).toMatchObject({ state: "away", reason: "lunch", timeInStateSeconds: 2670, handledToday: 0 });
    expect(byName["王芳"].queueIds.sort()).toEqual([m.hotline, m.email].sort());
    expect(byName["赵强"]).toMatchObject({ state: "offline", stateSince: null, timeInStateSeconds: null, handledToday: 0 });

    const emailOnly = await api(server, m.tenant.users.agent).get("/api/metrics/agents").query({ queueId: m.email });
    expect(emailOnly.body.data.agents.map((a: { name: string }) => a.name)).toEqual(["王芳"]);
  });
});

describe("GET /metrics/queues/{queueId}/intervals", () => {
  it("reports 15-minute intervals of the tenant's time zone with the same definitions", async () => {
    const m = await scriptedMorning();
    const t = m.tenant.id;
    // the rest of the morning: c is completed, h hangs up at 10:15:00 sharp, e and f are answered
    await updateItem(server, t, m.items.c, { state: "completed", completedAt: local("10:20:05"), wrapMs: 15_000 });
    await updateItem(server, t, m.items.h, { state: "abandoned", abandonedAt: local("10:15:00") });
    await updateItem(server, t, m.items.e, { state: "assigned", assignedAt: local("10:16:00"), assignedTo: m.agents.li });
    await updateItem(server, t, m.items.f, { state: "assigned", assignedAt: local("10:16:10"), assignedTo: m.agents.han });
    server.clock.set(local("23:05:00"));

    const res = await api(server, m.tenant.users.supervisor)
      .get(`/api/metrics/queues/${m.hotline}/intervals`)
      .query({ from: local("09:30:00"), to: local("10:30:00") });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toMatchObject({ queueId: m.hotline, timeZone: "Asia/Shanghai", serviceLevelSeconds: 20 });
    const rows = res.body.data.intervals.map((i: Record<string, unknown>) => [i.start, i.entered, i.answered, i.serviceLevel, i.asaSeconds, i.handled, i.ahtSeconds, i.abandoned, i.abandonRate]);
    expect(rows).toEqual([
      ["2026-11-20T01:30:00.000Z", 1, 1, 1, 10, 0, null, 0, 0], // g
      ["2026-11-20T01:45:00.000Z", 1, 0, null, null, 0, null, 0, null], // a arrives
      ["2026-11-20T02:00:00.000Z", 7, 3, 2 / 3, 58.333, 3, 710, 1, 0.25],
      ["2026-11-20T02:15:00.000Z", 0, 2, 0, 305, 1, 1095, 1, 1 / 3], // e 360 s, f 250 s; c; h
    ]);

    const today = await api(server, m.tenant.users.agent).get(`/api/metrics/queues/${m.hotline}/intervals`);
    expect(today.status).toBe(200);
    // local midnight to 23:05: 00:00 … 23:00
    expect(today.body.data.intervals).toHaveLength(93);
    expect(today.body.data.intervals[0].start).toBe("2026-11-19T16:00:00.000Z");
    expect(today.body.data.intervals[0].handled).toBe(1); // Li's item completed at 00:00:00
  });

  it("refuses a reversed or too long range, and another tenant's queue", async () => {
    const m = await scriptedMorning();
    const other = await createTestTenant(server, "Other");
    const reversed = await api(server, m.tenant.users.supervisor).get(`/api/metrics/queues/${m.hotline}/intervals`).query({ from: local("10:00:00"), to: local("09:00:00") });
    expect(reversed.status).toBe(400);
    expect(reversed.body.error.code).toBe("VALIDATION_FAILED");
    const long = await api(server, m.tenant.users.supervisor)
      .get(`/api/metrics/queues/${m.hotline}/intervals`)
      .query({ from: "2026-09-01T00:00:00+08:00", to: local("00:00:00") });
    expect(long.status).toBe(400);
    const foreign = await api(server, other.users.supervisor).get(`/api/metrics/queues/${m.hotline}/intervals`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe("NOT_FOUND");
  });
});
