import supertest from "supertest";
import { describe, expect, it } from "vitest";
import { TEST_PASSWORD, createTestTenant, type TestServer } from "./harness.ts";
import { serverForFile } from "./server-kit.ts";
import { makeWidget } from "./widget-kit.ts";

// A change carried by the session cookie must come from the console's own origin; bearer tokens
// and the widget's public endpoints (their own allowed-origins policy) are unaffected.
let server: TestServer;
serverForFile((s) => (server = s));

async function sessionCookie(email: string): Promise<string> {
  const login = await supertest(server.url).post("/api/auth/login").set("Origin", new URL(server.url).origin).send({ email, password: TEST_PASSWORD });
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  const cookie = ([] as string[]).concat(login.headers["set-cookie"] ?? [])[0];
  return cookie!.split(";")[0]!;
}

const own = () => new URL(server.url).origin;

describe("CSRF protection for cookie-authenticated changes", () => {
  it("refuses a change from another site's page, or one that names no origin, with 403 CSRF_REJECTED and changes nothing", async () => {
    const t = await createTestTenant(server);
    const cookie = await sessionCookie(t.users.agent.email);
    const fromEvil = await supertest(server.url).post("/api/tickets").set("Cookie", cookie).set("Origin", "https://evil.example").send({ subject: "伪造的工单" });
    expect(fromEvil.status).toBe(403);
    expect(fromEvil.body.error.code).toBe("CSRF_REJECTED");
    const silent = await supertest(server.url).post("/api/tickets").set("Cookie", cookie).send({ subject: "伪造的工单" });
    expect(silent.status).toBe(403);
    const forgedLogout = await supertest(server.url).post("/api/auth/logout").set("Cookie", cookie).set("Referer", "https://evil.example/page");
    expect(forgedLogout.status).toBe(403);
    const stored = await server.deps.db.selectFrom("tickets").select("id").where("tenant_id", "=", t.id).where("subject", "=", "伪造的工单").execute();
    expect(stored).toEqual([]);
    // still signed in: the forged sign-out did nothing
    expect((await supertest(server.url).get("/api/auth/me").set("Cookie", cookie)).status).toBe(200);
  });

  it("takes changes from the console's own origin (Origin, or Referer without one), reads from anywhere, bearer calls from anywhere", async () => {
    const t = await createTestTenant(server);
    const cookie = await sessionCookie(t.users.agent.email);
    const byOrigin = await supertest(server.url).post("/api/tickets").set("Cookie", cookie).set("Origin", own()).send({ subject: "控制台的工单" });
    expect(byOrigin.status, JSON.stringify(byOrigin.body)).toBe(201);
    const byReferer = await supertest(server.url).post("/api/tickets").set("Cookie", cookie).set("Referer", `${own()}/tickets`).send({ subject: "控制台的工单 2" });
    expect(byReferer.status, JSON.stringify(byReferer.body)).toBe(201);
    const read = await supertest(server.url).get(`/api/tickets/${byOrigin.body.data.id as string}`).set("Cookie", cookie).set("Origin", "https://evil.example");
    expect(read.status).toBe(200);
    const bearer = await supertest(server.url).post("/api/tickets").set("Authorization", `Bearer ${t.users.agent.token}`).set("Origin", "https://integration.example").send({ subject: "API" });
    expect(bearer.status).toBe(201);
    const out = await supertest(server.url).post("/api/auth/logout").set("Cookie", cookie).set("Origin", own());
    expect(out.status).toBe(204);
  });

  it("refuses a sign-in posted from another site's page (login CSRF) and signs in from the console's page or a client naming no origin", async () => {
    const t = await createTestTenant(server);
    const credentials = { email: t.users.agent.email, password: TEST_PASSWORD };
    const signIn = (headers: Record<string, string>) => supertest(server.url).post("/api/auth/login").set(headers).send(credentials);
    const forgedFrom: Record<string, string>[] = [{ Origin: "https://evil.example" }, { Referer: "https://evil.example/form.html" }, { Origin: "null" }];
    for (const headers of forgedFrom) {
      const forged = await signIn(headers);
      expect(forged.status, JSON.stringify(headers)).toBe(403);
      expect(forged.body.error.code).toBe("CSRF_REJECTED");
      expect(forged.headers["set-cookie"]).toBeUndefined();
    }
    const fromOwn: Record<string, string>[] = [{ Origin: own() }, { Referer: `${own()}/login` }, {}];
    for (const headers of fromOwn) {
      const res = await signIn(headers);
      expect(res.status, JSON.stringify(headers)).toBe(200);
      expect(([] as string[]).concat(res.headers["set-cookie"] ?? []).some((c) => c.startsWith("yx_session="))).toBe(true);
    }
  });

  it("leaves the widget's public endpoints to their allowed origins, even with an agent's cookie in the browser", async () => {
    const t = await createTestTenant(server);
    const cookie = await sessionCookie(t.users.agent.email);
    const widget = await makeWidget(server, t, { allowedOrigins: ["https://shop.example"] });
    const session = await supertest(server.url).post(`/api/widget/${widget.publicKey}/sessions`).set("Cookie", cookie).set("Origin", "https://shop.example").send({});
    expect(session.status, JSON.stringify(session.body)).toBe(201);
  });
});
