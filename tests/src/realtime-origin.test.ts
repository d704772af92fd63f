import { WALLBOARD_NAMESPACE, type ClientToServerEvents, type ServerToClientEvents, type VisitorClientEvents, type VisitorServerEvents } from "@yixian/contracts";
import { io, type Socket } from "socket.io-client";
import { describe, expect, it } from "vitest";
import { api, createTestTenant, TEST_PASSWORD, type TestServer } from "./harness.ts";
import { serverForFile } from "./server-kit.ts";
import { makeWidget, openSession } from "./widget-kit.ts";

// Which pages may open a socket: the console's session cookie only from the server's own origin
// (another site must not ride an agent's cookie into a socket); the chat widget from the sites
// its widget allows, over WebSocket or, where a proxy blocks it, HTTP long-polling.

let server: TestServer;
const open: { close(): unknown }[] = [];
serverForFile((s) => (server = s), { closeAfterEach: open });

/** Connects and resolves with the socket, or with the connect error's message. */
function attempt<S extends Socket>(path: string, options: Record<string, unknown>): Promise<{ socket: S } | { error: string }> {
  const socket = io(`${server.url}${path}`, { path: "/socket.io", reconnection: false, forceNew: true, ...options }) as S;
  open.push(socket);
  return new Promise((resolve) => {
    socket.once("connect", () => resolve({ socket }));
    socket.once("connect_error", (err) => resolve({ error: err.message }));
  });
}

async function sessionCookie(email: string): Promise<string> {
  const login = await api(server).post("/api/auth/login").send({ email, password: TEST_PASSWORD });
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  const cookie = ([] as string[]).concat(login.headers["set-cookie"] ?? [])[0];
  expect(cookie).toBeTruthy();
  return cookie!.split(";")[0]!;
}

describe("socket origins", () => {
  it("takes an agent's session cookie from the console's own origin only", async () => {
    const tenant = await createTestTenant(server);
    const cookie = await sessionCookie(tenant.users.agent.email);
    const own = new URL(server.url).origin;

    for (const transports of [["websocket"], ["polling"]]) {
      const fromConsole = await attempt<Socket<ServerToClientEvents, ClientToServerEvents>>("/", { transports, extraHeaders: { cookie, origin: own } });
      expect("socket" in fromConsole, `${transports[0]} from the console's origin`).toBe(true);
      const fromElsewhere = await attempt("/", { transports, extraHeaders: { cookie, origin: "https://evil.example" } });
      expect(fromElsewhere, `${transports[0]} from another site with the agent's cookie`).toEqual({ error: "sign in first" });
    }
    // the wallboard namespace takes the cookie the same way (it would otherwise show the tenant's queues to any site)
    const wallboardAtHome = await attempt(WALLBOARD_NAMESPACE, { transports: ["websocket"], extraHeaders: { cookie: await sessionCookie(tenant.users.supervisor.email), origin: own } });
    expect("socket" in wallboardAtHome).toBe(true);
    const wallboardElsewhere = await attempt(WALLBOARD_NAMESPACE, { transports: ["websocket"], extraHeaders: { cookie: await sessionCookie(tenant.users.supervisor.email), origin: "https://evil.example" } });
    expect(wallboardElsewhere).toEqual({ error: "open the wallboard with a wallboard link or sign in first" });
    // a bearer token is not sent by browsers on their own: it counts from anywhere (API clients)
    const withToken = await attempt("/", { transports: ["websocket"], auth: { token: tenant.users.agent.token }, extraHeaders: { origin: "https://tools.example" } });
    expect("socket" in withToken).toBe(true);
  });

  it("lets the widget chat over long-polling from an allowed site, with CORS for that site and no credentials", async () => {
    const tenant = await createTestTenant(server);
    const widget = await makeWidget(server, tenant, { allowedOrigins: ["https://shop.example"] });
    const session = await openSession(server, widget.publicKey);

    const preflight = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: "https://shop.example" } });
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://shop.example");
    expect(preflight.headers.get("access-control-allow-credentials")).toBeNull();

    const polling = await attempt<Socket<VisitorServerEvents, VisitorClientEvents>>("/visitor", {
      transports: ["polling"],
      auth: { token: session.visitorToken },
      extraHeaders: { origin: "https://shop.example" },
    });
    if (!("socket" in polling)) throw new Error(`the allowed site could not connect: ${polling.error}`);
    const sent = await polling.socket.emitWithAck("message:send", { text: "公司网络挡住了 WebSocket", clientId: "poll-1", attachmentIds: [] });
    expect(sent.ok, JSON.stringify(sent)).toBe(true);

    const elsewhere = await attempt("/visitor", { transports: ["polling"], auth: { token: session.visitorToken }, extraHeaders: { origin: "https://evil.example" } });
    expect("error" in elsewhere).toBe(true);
  });
});
