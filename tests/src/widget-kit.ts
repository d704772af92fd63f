import type { VisitorClientEvents, VisitorServerEvents, VisitorSession } from "@yixian/contracts";
import type { RunningServer } from "@yixian/server";
import { io, type Socket } from "socket.io-client";
import supertest from "supertest";
import { expect } from "vitest";
import { api, createTestTenant, type TestTenant, type TestUser } from "./harness.ts";
import { addUser, connectAgent, makeQueue, setPresence, type RoutingSocket } from "./routing-kit.ts";
import type { Closable } from "./server-kit.ts";

/** Shared steps of the web chat widget tests: widgets, visitor sessions and visitor sockets. */

export type VisitorSocket = Socket<VisitorServerEvents, VisitorClientEvents>;

export async function makeWidget(server: RunningServer, tenant: TestTenant, body: Record<string, unknown> = {}): Promise<{ id: string; publicKey: string; entryPoint: string }> {
  const res = await api(server, tenant.admin).post("/api/widget-configs").send({ name: `官网 ${Math.random().toString(36).slice(2, 6)}`, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data as { id: string; publicKey: string; entryPoint: string };
}

/** A browser opening the widget: a fresh session, or the stored token's. */
export async function openSession(server: RunningServer, widgetKey: string, body: Record<string, unknown> = {}): Promise<VisitorSession> {
  const res = await supertest(server.url).post(`/api/widget/${widgetKey}/sessions`).send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data as VisitorSession;
}

/** A request to the visitor's own endpoints, with the visitor token as bearer. */
export function asVisitor(server: RunningServer, token: string) {
  const agent = supertest(server.url);
  return {
    get: (path: string) => agent.get(path).set("Authorization", `Bearer ${token}`),
    post: (path: string) => agent.post(path).set("Authorization", `Bearer ${token}`),
  };
}

/** A real socket.io client on the /visitor namespace. */
export function connectVisitor(url: string, token: string): Promise<VisitorSocket> {
  const socket: VisitorSocket = io(`${url}/visitor`, { path: "/socket.io", transports: ["websocket"], reconnection: false, forceNew: true, auth: { token } });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** Today's date in Shanghai, YYYY-MM-DD. */
export function shanghaiToday(): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
}

/** A tenant with one available agent in the widget's queue, signed in on a real socket. */
export interface Desk {
  tenant: TestTenant;
  agent: TestUser;
  agentSocket: RoutingSocket;
  widgetKey: string;
}

/** A fresh tenant's desk: the agent (张伟) in a least-busy queue; their socket goes into `sockets`, for the test file to close. */
export async function openDesk(server: RunningServer, sockets: Closable[]): Promise<Desk> {
  const tenant = await createTestTenant(server);
  const agent = await addUser(server, tenant, "张伟");
  const queueId = await makeQueue(server, tenant, [agent], { strategy: "least_busy" });
  const widget = await makeWidget(server, tenant, { defaultQueueId: queueId });
  const agentSocket = await connectAgent(server.url, agent.token);
  sockets.push(agentSocket);
  await setPresence(server, agent, "available");
  return { tenant, agent, agentSocket, widgetKey: widget.publicKey };
}

/** The visitor sends a message over the /visitor socket; throws with the server's error if refused. */
export async function visitorSend(socket: VisitorSocket, text: string, clientId: string, attachmentIds: string[] = []) {
  const res = await socket.emitWithAck("message:send", { text, clientId, attachmentIds });
  if (!res.ok) throw new Error(JSON.stringify(res.error));
  return res.data;
}
