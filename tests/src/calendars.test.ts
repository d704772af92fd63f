import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, createTestTenant, startTestServer, type TestServer, type TestTenant } from "./harness.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const workday = [
  ["09:00", "12:00"],
  ["13:00", "18:00"],
];
const shanghaiOffice = {
  name: "上海办公时间",
  timeZone: "Asia/Shanghai",
  weeklyHours: { mon: workday, tue: workday, wed: workday, thu: workday, fri: workday },
  holidays: [{ date: "2026-10-01", name: "国庆节" }],
  extraWorkdays: [{ date: "2026-10-10", hours: [["09:00", "18:00"]], name: "调休" }],
};

async function createCalendar(tenant: TestTenant, body: Record<string, unknown> = shanghaiOffice) {
  const res = await api(server, tenant.admin).post("/api/calendars").send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data as { id: string; name: string; timeZone: string; weeklyHours: Record<string, string[][]> };
}

describe("business-hours calendars", () => {
  it("creates, shows, lists, changes and deletes a calendar, with an audit trail", async () => {
    const tenant = await createTestTenant(server);
    const admin = api(server, tenant.admin);
    const created = await createCalendar(tenant);
    expect(created).toMatchObject({ name: "上海办公时间", timeZone: "Asia/Shanghai", weeklyHours: { mon: workday, fri: workday } });
    expect(created.weeklyHours).not.toHaveProperty("sat");

    const read = await api(server, tenant.users.agent).get(`/api/calendars/${created.id}`);
    expect(read.status).toBe(200);
    expect(read.body.data.extraWorkdays).toEqual([{ date: "2026-10-10", hours: [["09:00", "18:00"]], name: "调休" }]);
    const list = await api(server, tenant.users.agent).get("/api/calendars");
    expect(list.body.data.map((c: { id: string }) => c.id)).toEqual([created.id]);

    const patched = await admin.patch(`/api/calendars/${created.id}`).send({ timeZone: "europe/berlin", holidays: [] });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.data).toMatchObject({ timeZone: "Europe/Berlin", holidays: [], name: "上海办公时间" });

    const deleted = await admin.delete(`/api/calendars/${created.id}`);
    expect(deleted.status).toBe(204);
    expect((await admin.get(`/api/calendars/${created.id}`)).status).toBe(404);

    const audit = await admin.get("/api/audit-log").query({ entityType: "calendar" });
    expect(audit.status).toBe(200);
    const actions = (audit.body.data.items as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["calendar.created", "calendar.updated", "calendar.deleted"]));
  });

  it("takes the tenant's time zone when none is given", async () => {
    const tenant = await createTestTenant(server);
    const { timeZone: _tz, ...withoutZone } = shanghaiOffice;
    const created = await createCalendar(tenant, withoutZone);
    const tenantZone = (await api(server, tenant.admin).get("/api/tenant")).body.data.timeZone as string;
    expect(created.timeZone).toBe(tenantZone);
  });

  it("says whether it is open at an instant and when that changes", async () => {
    const tenant = await createTestTenant(server);
    const cal = await createCalendar(tenant);
    const status = (at: string) => api(server, tenant.users.agent).get(`/api/calendars/${cal.id}/status`).query({ at });

    // Monday 2 March 2026, 11:00 in Shanghai: open until the lunch break at 12:00
    const morning = await status("2026-03-02T11:00:00+08:00");
    expect(morning.status, JSON.stringify(morning.body)).toBe(200);
    expect(morning.body.data).toEqual({ at: "2026-03-02T03:00:00.000Z", open: true, nextChange: "2026-03-02T04:00:00.000Z" });
    // Saturday: closed until Monday 09:00
    expect((await status("2026-03-07T10:00:00+08:00")).body.data).toMatchObject({ open: false, nextChange: "2026-03-09T01:00:00.000Z" });
    // National Day is a holiday; the 调休 Saturday is open
    expect((await status("2026-10-01T10:00:00+08:00")).body.data.open).toBe(false);
    expect((await status("2026-10-10T12:30:00+08:00")).body.data).toMatchObject({ open: true, nextChange: "2026-10-10T10:00:00.000Z" });
  });

  it("refuses malformed hours, dates and zones with VALIDATION_FAILED", async () => {
    const tenant = await createTestTenant(server);
    const admin = api(server, tenant.admin);
    const bad: Record<string, unknown>[] = [
      { ...shanghaiOffice, weeklyHours: { mon: [["9:00", "12:00"]] } },
      { ...shanghaiOffice, weeklyHours: { mon: [["09:00", "24:30"]] } },
      { ...shanghaiOffice, weeklyHours: { mon: [["12:00", "09:00"]] } },
      { ...shanghaiOffice, weeklyHours: { mon: [["09:00", "13:00"], ["12:00", "18:00"]] } },
      { ...shanghaiOffice, weeklyHours: { mon: [["13:00", "18:00"], ["09:00", "12:00"]] } },
      { ...shanghaiOffice, weeklyHours: { monday: workday } },
      { ...shanghaiOffice, weeklyHours: {} },
      { ...shanghaiOffice, holidays: [{ date: "2026-02-30" }] },
      { ...shanghaiOffice, holidays: [{ date: "2026/10/01" }] },
      { ...shanghaiOffice, timeZone: "Mars/Olympus_Mons" },
      { ...shanghaiOffice, extraWorkdays: [{ date: "2026-10-01", hours: [["09:00", "18:00"]] }] },
      { ...shanghaiOffice, extraWorkdays: [{ date: "2026-10-11", hours: [] }] },
    ];
    for (const body of bad) {
      const res = await admin.post("/api/calendars").send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
    }
    const cal = await createCalendar(tenant);
    const clash = await admin.patch(`/api/calendars/${cal.id}`).send({ holidays: [{ date: "2026-10-10" }] });
    expect(clash.status).toBe(400);
    expect(clash.body.error.code).toBe("VALIDATION_FAILED");
    const badAt = await admin.get(`/api/calendars/${cal.id}/status`).query({ at: "yesterday" });
    expect(badAt.status).toBe(400);
    expect((await admin.get("/api/calendars")).body.data).toHaveLength(1);
  });

  it("refuses a duplicate name and deleting a calendar an SLA policy uses", async () => {
    const tenant = await createTestTenant(server);
    const admin = api(server, tenant.admin);
    const cal = await createCalendar(tenant);
    const again = await admin.post("/api/calendars").send(shanghaiOffice);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("NAME_TAKEN");
    const policy = await admin.post("/api/sla-policies").send({ name: "标准", calendarId: cal.id, targets: { firstResponseMinutes: 60 } });
    expect(policy.status, JSON.stringify(policy.body)).toBe(201);
    const del = await admin.delete(`/api/calendars/${cal.id}`);
    expect(del.status).toBe(409);
    expect(del.body.error.code).toBe("CONFLICT");
    expect((await admin.get(`/api/calendars/${cal.id}`)).status).toBe(200);
  });

  it("lets agents read calendars but only queue managers change them", async () => {
    const tenant = await createTestTenant(server);
    const cal = await createCalendar(tenant);
    const agent = api(server, tenant.users.agent);
    expect((await agent.post("/api/calendars").send({ ...shanghaiOffice, name: "x" })).status).toBe(403);
    expect((await agent.patch(`/api/calendars/${cal.id}`).send({ name: "y" })).status).toBe(403);
    const supervisor = api(server, tenant.users.supervisor);
    expect((await supervisor.patch(`/api/calendars/${cal.id}`).send({ name: "y" })).status).toBe(200);
  });

  it("answers 404 for another tenant's calendar on every calendar route", async () => {
    const a = await createTestTenant(server, "A");
    const b = await createTestTenant(server, "B");
    const cal = await createCalendar(a);
    const other = api(server, b.admin);
    const answers = [
      await other.get(`/api/calendars/${cal.id}`),
      await other.get(`/api/calendars/${cal.id}/status`),
      await other.patch(`/api/calendars/${cal.id}`).send({ name: "taken over" }),
      await other.delete(`/api/calendars/${cal.id}`),
    ];
    expect(answers.map((r) => [r.status, r.body?.error?.code])).toEqual(Array(4).fill([404, "NOT_FOUND"]));
    expect((await other.get("/api/calendars")).body.data).toEqual([]);
    expect((await api(server, a.admin).get(`/api/calendars/${cal.id}`)).body.data.name).toBe("上海办公时间");
  });
});
