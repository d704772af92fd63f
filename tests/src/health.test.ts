import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, createTestTenant, startTestServer, TEST_DB, TEST_PASSWORD, type TestServer } from "./harness.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

describe("health, sign-in and the API document", () => {
  it("reports ready with the database in use", async () => {
    const res = await api(server).get("/api/health");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok", database: TEST_DB });
  });

  it("signs in with e-mail and password, and the token and cookie both work", async () => {
    const tenant = await createTestTenant(server);
    const login = await api(server).post("/api/auth/login").send({ email: tenant.users.agent.email.toUpperCase(), password: TEST_PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body.data.user.role).toBe("agent");
    const cookie = login.headers["set-cookie"]?.[0] ?? "";
    expect(cookie).toMatch(/yx_session=.*HttpOnly/i);

    const byBearer = await api(server).get("/api/auth/me").set("Authorization", `Bearer ${login.body.data.token}`);
    expect(byBearer.body.data.user.email).toBe(tenant.users.agent.email);
    expect(byBearer.body.data.permissions).toContain("ticket:write");
    const byCookie = await api(server).get("/api/auth/me").set("Cookie", cookie.split(";")[0]!);
    expect(byCookie.status).toBe(200);

    const out = await api(server).post("/api/auth/logout").set("Authorization", `Bearer ${login.body.data.token}`);
    expect(out.status).toBe(204);
    const after = await api(server).get("/api/auth/me").set("Authorization", `Bearer ${login.body.data.token}`);
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe("UNAUTHENTICATED");
  });

  it("refuses a wrong password with a coded error", async () => {
    const tenant = await createTestTenant(server);
    const res = await api(server).post("/api/auth/login").send({ email: tenant.users.agent.email, password: "nope-nope-nope" });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("INVALID_CREDENTIALS");
  });

  it("answers malformed JSON with 400 VALIDATION_FAILED", async () => {
    const res = await api(server).post("/api/auth/login").set("Content-Type", "application/json").send("{not json");
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
  });

  it("publishes an OpenAPI 3.1 document describing the routes", async () => {
    const res = await api(server).get("/api/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    expect(res.body.paths["/api/auth/login"].post.requestBody.content["application/json"].schema.properties.email).toBeDefined();
  });
});
