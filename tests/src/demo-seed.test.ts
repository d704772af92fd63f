import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existingDemo, seedDemo } from "../../server/src/demo/seed-demo.ts";
import { api, createTestTenant, startTestServer, type TestServer } from "./harness.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

async function counts() {
  const { db } = server.deps;
  const n = async (table: "tenants" | "users" | "tickets" | "companies" | "timeline_events") =>
    Number((await db.selectFrom(table).select(db.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
  return { tenants: await n("tenants"), users: await n("users"), tickets: await n("tickets"), companies: await n("companies"), timeline: await n("timeline_events") };
}

describe("demo data", () => {
  it("fills an empty database with a working demo tenant, and never touches it again", async () => {
    const summary = await seedDemo(server.deps);
    expect(summary?.logins.map((l) => l.role).sort()).toEqual(
      ["admin", "agent", "field_engineer", "quality_inspector", "senior_agent", "service_operations", "supervisor", "vip_agent"],
    );

    const login = await api(server).post("/api/auth/login").send({ email: "agent@demo.yixian.dev", password: server.deps.config.demoPassword });
    expect(login.status).toBe(200);
    const agent = api(server).get("/api/companies").set("Authorization", `Bearer ${login.body.data.token as string}`);
    const companies = (await agent).body.data.items as { name: string; servicePack: string; serviceStatus: string; verificationCode: string }[];
    expect(companies.some((c) => c.servicePack === "vip" && c.serviceStatus === "active")).toBe(true);
    expect(companies.some((c) => c.serviceStatus === "expired")).toBe(true);
    expect(companies.every((c) => /^\d{6}$/.test(c.verificationCode))).toBe(true);

    const tickets = await api(server).get("/api/tickets").set("Authorization", `Bearer ${login.body.data.token as string}`);
    expect(tickets.body.data.items.length).toBeGreaterThanOrEqual(2);
    const resolved = (tickets.body.data.items as { id: string; status: string }[]).find((t) => t.status === "resolved")!;
    const timeline = await api(server).get(`/api/tickets/${resolved.id}/timeline`).set("Authorization", `Bearer ${login.body.data.token as string}`);
    const kinds = (timeline.body.data.items as { kind: string }[]).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(["ticket_created", "message", "status_changed", "rating"]));

    const caller = await api(server).get("/api/identify?phone=%2B862161234567").set("Authorization", `Bearer ${login.body.data.token as string}`);
    expect(caller.body.data.contact.name).toBe("王建国");

    // the phone: the hotline number on a trunk open to this machine, and the agent's extension
    const admin = await api(server).post("/api/auth/login").send({ email: "admin@demo.yixian.dev", password: server.deps.config.demoPassword });
    const trunks = await api(server).get("/api/voice/trunks").set("Authorization", `Bearer ${admin.body.data.token as string}`);
    expect(trunks.body.data).toEqual([
      expect.objectContaining({ allowedSources: ["127.0.0.1", "::1"], dids: [expect.objectContaining({ number: summary?.phoneNumber, queueId: expect.any(String) })] }),
    ]);
    const phone = await api(server).get("/api/me/softphone").set("Authorization", `Bearer ${login.body.data.token as string}`);
    expect(phone.body.data.username).toMatch(/^demo\.10\d\d$/);

    const before = await counts();
    expect(await seedDemo(server.deps)).toBeNull();
    expect(await counts()).toEqual(before);
    // a later start prints the same logins and chat page again
    const again = await existingDemo(server.deps);
    expect(again).toMatchObject({ tenantName: summary?.tenantName, logins: summary?.logins, widgetKey: summary?.widgetKey, wallboardPath: null, phoneNumber: summary?.phoneNumber });
    const visitor = await api(server).post(`/api/widget/${again?.widgetKey}/sessions`).send({});
    expect(visitor.status, JSON.stringify(visitor.body)).toBe(201);
    // the printed embed snippet works on a page served from this machine, on any port (defect 12)
    for (const origin of ["http://localhost:8000", "http://127.0.0.1:8080", "http://localhost:49152", "http://127.0.0.1:4321"]) {
      const embedded = await api(server).post(`/api/widget/${again?.widgetKey}/sessions`).set("Origin", origin).send({});
      expect(embedded.status, JSON.stringify(embedded.body)).toBe(201);
      expect(embedded.headers["access-control-allow-origin"]).toBe(origin);
    }
    const stranger = await api(server).post(`/api/widget/${again?.widgetKey}/sessions`).set("Origin", "https://elsewhere.example").send({});
    expect(stranger.status).toBe(403);
  });

  it("leaves a database that already holds another tenant alone", async () => {
    const other = await startTestServer();
    try {
      await createTestTenant(other);
      const { db } = other.deps;
      const tenantsBefore = await db.selectFrom("tenants").select("slug").execute();
      expect(await seedDemo(other.deps)).toBeNull();
      expect(await existingDemo(other.deps)).toBeNull();
      expect(await db.selectFrom("tenants").select("slug").execute()).toEqual(tenantsBefore);
      expect(await db.selectFrom("users").select("email").where("email", "like", "%@demo.yixian.dev").execute()).toEqual([]);
    } finally {
      await other.stop();
    }
  });
});
