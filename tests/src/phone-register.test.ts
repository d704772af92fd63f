import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { getHeader, getHeaders } from "../../telephony/src/sip/index.ts";
import { api, createTestTenant, startTestServer, type TestServer } from "./harness.ts";
import { softphone as softphoneOn, type SoftphoneCreds as Creds } from "./softphone-kit.ts";

// The console's softphone registering over SIP/WebSocket on the server's own /sip, as JsSIP does:
// REGISTER → 401 with a digest challenge → REGISTER with the session-derived password → 200.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const softphone = () => softphoneOn(server);

describe("the console softphone's registration", () => {
  it("registers with the session's softphone password, shows on the agent's device, and ends when the session does", async () => {
    const tenant = await createTestTenant(server);
    const agent = tenant.users.agent;
    const creds = (await api(server, agent).get("/api/me/softphone")).body.data as Creds;
    const phone = await softphone();

    const challenged = await phone.register(creds);
    expect(challenged.status).toBe(401);
    expect(getHeaders(challenged, "WWW-Authenticate").join(" ")).toMatch(new RegExp(`realm="${creds.realm}"`));

    const ok = await phone.register(creds, { challenge: challenged });
    expect(ok.status).toBe(200);
    expect(getHeader(ok, "Contact")).toMatch(/transport=ws>;expires=(59\d|600)/);
    const device = (await api(server, agent).get(`/api/users/${agent.id}/sip-device`)).body.data;
    expect(device.registrations).toEqual([expect.objectContaining({ transport: "ws", userAgent: "JsSIP 3.10.1" })]);

    // signed out: the binding is gone, and the same password no longer registers
    expect((await api(server, agent).post("/api/auth/logout")).status).toBeLessThan(300);
    await expect.poll(async () => (await server.deps.db.selectFrom("sip_registrations").select("contact").where("user_id", "=", agent.id).execute()).length).toBe(0);
    expect((await phone.signIn(creds)).status).toBe(401);
    phone.close();
  });

  it("refuses a wrong password, another agent's address, and unregisters with Expires: 0", async () => {
    const tenant = await createTestTenant(server);
    const agent = tenant.users.agent;
    const creds = (await api(server, agent).get("/api/me/softphone")).body.data as Creds;
    const phone = await softphone();
    expect((await phone.signIn(creds, { password: "not the password" })).status).toBe(401);

    const colleague = (await api(server, tenant.users.supervisor).get("/api/me/softphone")).body.data as Creds;
    // the agent's own credentials for the colleague's address-of-record
    expect((await phone.signIn({ ...creds, uri: colleague.uri })).status).toBe(403);

    expect((await phone.signIn(creds)).status).toBe(200);
    expect((await api(server, agent).get(`/api/users/${agent.id}/sip-device`)).body.data.registrations).toHaveLength(1);
    expect((await phone.signIn(creds, { expires: 0 })).status).toBe(200);
    expect((await api(server, agent).get(`/api/users/${agent.id}/sip-device`)).body.data.registrations).toEqual([]);
    phone.close();
  });

  it("answers garbage on /sip with 400 and keeps serving", async () => {
    const tenant = await createTestTenant(server);
    const creds = (await api(server, tenant.users.agent).get("/api/me/softphone")).body.data as Creds;
    const socket = new WebSocket(`${server.url.replace(/^http/, "ws")}/sip`, "sip");
    await once(socket, "open");
    const answer = new Promise<string>((resolve) => socket.once("message", (d: Buffer) => resolve(d.toString())));
    // a REGISTER whose CSeq is not a number
    socket.send(
      [`REGISTER sip:${creds.realm} SIP/2.0`, "Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bKbad1", `To: <${creds.uri}>`, `From: <${creds.uri}>;tag=1`, "Call-ID: bad-1", "CSeq: abc REGISTER", "Content-Length: 0", "", ""].join("\r\n"),
    );
    expect(await answer).toMatch(/^SIP\/2\.0 400/);
    socket.close();
    const phone = await softphone();
    expect((await phone.signIn(creds)).status).toBe(200);
    phone.close();
    expect((await api(server).get("/api/health")).status).toBe(200);
  });
});

describe("shutting down with softphones connected", () => {
  it("closes their SIP connections and stops", async () => {
    const own = await startTestServer();
    const socket = new WebSocket(`${own.url.replace(/^http/, "ws")}/sip`, "sip");
    await once(socket, "open");
    const closed = once(socket, "close");
    await own.stop();
    await closed;
    expect(socket.readyState).toBe(WebSocket.CLOSED);
  });
});
