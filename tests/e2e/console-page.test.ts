import supertest from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startClockedServer, type ClockedServer } from "./support.ts";

// The server hands out the built console at / and at every console route (a reload of
// /conversations/:id works), while /api, /wallboard and missing asset files keep their own answers.
let server: ClockedServer;

beforeAll(async () => {
  server = await startClockedServer(new Date().toISOString());
});
afterAll(async () => {
  await server?.stop();
});

describe("serving the agent console", () => {
  it("answers the page at / and at its client-side routes, with a strict content policy", async () => {
    for (const path of ["/", "/conversations/01a2011a-4c56-73c1-9915-0701b53d170c", "/supervisor"]) {
      const res = await supertest(server.url).get(path).set("Accept", "text/html");
      expect(res.status, path).toBe(200);
      expect(res.headers["content-type"]).toContain("text/html");
      expect(res.text).toContain('<div id="root"></div>');
      expect(res.headers["content-security-policy"]).toContain("script-src 'self'");
    }
    const script = /src="(\/assets\/[^"]+\.js)"/.exec((await supertest(server.url).get("/").set("Accept", "text/html")).text)?.[1];
    expect(script).toBeTruthy();
    const asset = await supertest(server.url).get(script!);
    expect(asset.status).toBe(200);
    expect(asset.headers["cache-control"]).toContain("immutable");
  });

  it("leaves the API, the wallboard and missing files alone", async () => {
    const api = await supertest(server.url).get("/api/no-such-thing").set("Accept", "text/html");
    expect(api.status).toBe(404);
    expect(api.body.error.code).toBe("NOT_FOUND");
    const wallboard = await supertest(server.url).get("/wallboard/").set("Accept", "text/html");
    expect(wallboard.status).toBe(200);
    expect(wallboard.text).toContain("Wallboard");
    const missing = await supertest(server.url).get("/assets/nothing-here.js");
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("NOT_FOUND");
  });
});
