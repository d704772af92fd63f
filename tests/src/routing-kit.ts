import type { ClientToServerEvents, OfferClosedEvent, OfferEvent, PresenceChangedEvent, Role, ServerToClientEvents } from "@yixian/contracts";
import type { RunningServer } from "@yixian/server";
import { expect } from "vitest";
import { io, type Socket } from "socket.io-client";
import { hashToken } from "../../server/src/domain/auth/sessions.ts";
import { newId, randomToken } from "../../server/src/platform/ids.ts";
import { api, createTestTenant, type TestServer, type TestTenant, type TestUser } from "./harness.ts";
import { serverForFile } from "./server-kit.ts";
import { eventually } from "./sockets.ts";

/** Shared steps of the routing and presence tests: agents, queues, chats, and what agents hear. */

export type RoutingSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A real socket.io client that can also answer offers. */
export function connectAgent(url: string, token: string): Promise<RoutingSocket> {
  const socket: RoutingSocket = io(url, { path: "/socket.io", transports: ["websocket"], reconnection: false, forceNew: true, auth: { token } });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** Everything routing tells one socket, in arrival order. */
export interface Heard {
  offers: OfferEvent[];
  withdrawn: OfferClosedEvent[];
  accepted: OfferClosedEvent[];
  presence: PresenceChangedEvent[];
}

export function listen(socket: RoutingSocket): Heard {
  const heard: Heard = { offers: [], withdrawn: [], accepted: [], presence: [] };
  socket.on("offer:new", (e) => heard.offers.push(e));
  socket.on("offer:withdrawn", (e) => heard.withdrawn.push(e));
  socket.on("offer:accepted", (e) => heard.accepted.push(e));
  socket.on("presence:changed", (e) => heard.presence.push(e));
  return heard;
}

/** A user's console socket on the node at `url`, with what routing tells it; added to `open` to be closed later. */
export async function agentOn(url: string, user: TestUser, open: RoutingSocket[]): Promise<{ socket: RoutingSocket; heard: Heard }> {
  const socket = await connectAgent(url, user.token);
  open.push(socket);
  return { socket, heard: listen(socket) };
}

/** A fresh tenant with two agents, 李娜 and 王芳, in one least-busy queue whose offers wait ten minutes (nothing expires in a test). */
export async function liAndWang(server: TestServer): Promise<{ tenant: TestTenant; li: TestUser; wang: TestUser; queueId: string }> {
  const tenant = await createTestTenant(server);
  const li = await addUser(server, tenant, "李娜");
  const wang = await addUser(server, tenant, "王芳");
  const queueId = await makeQueue(server, tenant, [li, wang], { strategy: "least_busy", offerTimeoutSeconds: 600 });
  return { tenant, li, wang, queueId };
}

/** Waits until `list` has an entry matching `match`, and returns it. */
export async function heardOf<T>(list: T[], match: (e: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  await eventually(() => list.some(match), what, timeoutMs);
  return list.find(match)!;
}

/** Another signed-in user of the tenant (the harness gives one per role; routing tests need more agents). */
export async function addUser(server: RunningServer, tenant: TestTenant, name: string, role: Role = "agent"): Promise<TestUser> {
  const { db } = server.deps;
  const id = newId();
  const email = `${name.toLowerCase().replace(/[^a-z0-9]/g, "")}.${randomToken(4).toLowerCase().replace(/[^a-z0-9]/g, "x")}@${tenant.slug}.test`;
  await db.insertInto("users").values({ id, tenant_id: tenant.id, email, display_name: name, password_hash: "not-used", role }).execute();
  const token = randomToken();
  await db.insertInto("sessions").values({ tenant_id: tenant.id, user_id: id, token_hash: hashToken(token), expires_at: new Date(Date.now() + 3_600_000) }).execute();
  return { id, email, role, token };
}

/** A queue with members and routing configuration, made through the API as a supervisor would. */
export async function makeQueue(server: RunningServer, tenant: TestTenant, members: TestUser[], routing: Record<string, unknown> = {}): Promise<string> {
  const created = await api(server, tenant.admin).post("/api/queues").send({ name: `Queue ${randomToken(4)}`, memberIds: members.map((m) => m.id) });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.data.id as string;
  const configured = await api(server, tenant.admin).patch(`/api/queues/${id}/routing`).send(routing);
  expect(configured.status, JSON.stringify(configured.body)).toBe(200);
  return id;
}

/**
 * The agent's softphone is registered (a binding valid for an hour, as the registrar stores one):
 * without one routing offers them no calls. The registrar itself is tested in phone-register.test.ts.
 */
export async function givePhone(server: RunningServer, user: TestUser): Promise<void> {
  const creds = await api(server, user).get("/api/me/softphone");
  expect(creds.status, JSON.stringify(creds.body)).toBe(200);
  const device = await server.deps.db.selectFrom("sip_devices").select(["tenant_id", "username"]).where("user_id", "=", user.id).executeTakeFirstOrThrow();
  await server.deps.db
    .insertInto("sip_registrations")
    .values({
      username: device.username,
      contact: `sip:${randomToken(4)}@${randomToken(4).toLowerCase()}.invalid;transport=ws`,
      tenant_id: device.tenant_id,
      user_id: user.id,
      transport: "ws",
      flow: "",
      expires_at: new Date(Date.now() + 3_600_000),
      updated_at: new Date(),
    })
    .execute();
}

export async function setPresence(server: RunningServer, user: TestUser, state: "available" | "away" | "offline", reason?: string) {
  const res = await api(server, user).put("/api/presence/me").send(reason ? { state, reason } : { state });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data as { state: string; reason: string | null; load: Record<string, number>; capacity: Record<string, number>; missedOffers: number };
}

export async function setCapacity(server: RunningServer, tenant: TestTenant, user: TestUser, capacity: Record<string, number>) {
  const res = await api(server, tenant.users.supervisor).patch(`/api/presence/${user.id}/capacity`).send(capacity);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

/** A customer starts a chat (or call) in a queue; routing takes it from there. */
export async function startChat(server: RunningServer, tenant: TestTenant, body: Record<string, unknown>): Promise<{ id: string; ticketId: string | null }> {
  const res = await api(server, tenant.users.agent).post("/api/conversations").send({ channel: "webchat", ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data as { id: string; ticketId: string | null };
}

/** The work item routing made for a conversation. */
export async function itemOf(server: RunningServer, conversationId: string) {
  return server.deps.db.selectFrom("work_items").selectAll().where("conversation_id", "=", conversationId).orderBy("created_at", "desc").executeTakeFirstOrThrow();
}

export async function accept(server: RunningServer, user: TestUser, offerId: string) {
  return api(server, user).post(`/api/offers/${offerId}/accept`);
}

let contactSeq = 0;
/** A contact (with a company carrying a service pack) written directly. */
export async function makeContact(
  server: RunningServer,
  tenant: TestTenant,
  o: { vip?: boolean; servicePack?: string | null; expiresOn?: string | null; groupId?: string | null; language?: string | null } = {},
): Promise<string> {
  const { db } = server.deps;
  contactSeq += 1;
  const company = await db
    .insertInto("companies")
    .values({
      tenant_id: tenant.id,
      name: `Company ${contactSeq} ${randomToken(3)}`,
      verification_code: String(10_000_000 + Math.floor(Math.random() * 89_999_999)),
      service_pack: o.servicePack ?? null,
      service_expires_on: o.expiresOn ?? null,
      customer_group_id: o.groupId ?? null,
      custom_fields: "{}",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const contact = await db
    .insertInto("contacts")
    .values({ tenant_id: tenant.id, company_id: company.id, name: `客户 ${contactSeq}`, is_vip: o.vip ?? false, language: o.language ?? null, custom_fields: "{}" })
    .returning("id")
    .executeTakeFirstOrThrow();
  return contact.id;
}


/** Asks `read` again until its answer passes `ok`, and returns that answer; fails with `what` after `timeoutMs`. */
export async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last saw ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The agent's pending offers, as the console lists them after a reload. */
export async function myOffers(server: RunningServer, user: TestUser): Promise<{ offerId: string; conversationId: string | null; workItemId: string }[]> {
  const res = await api(server, user).get("/api/offers/mine");
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data as { offerId: string; conversationId: string | null; workItemId: string }[];
}

/**
 * The routing tests' file setup: one server for the file (handed to `set`, as `serverForFile`
 * does) and `agentSocket`, a user's signed-in socket with what routing tells it, closed after
 * each test.
 */
export function serverWithAgents(set: (server: TestServer) => void): { agentSocket(user: TestUser): Promise<{ socket: RoutingSocket; heard: Heard }> } {
  let server: TestServer;
  const open: RoutingSocket[] = [];
  serverForFile(
    (s) => {
      server = s;
      set(s);
    },
    { closeAfterEach: open },
  );
  return {
    agentSocket: async (user) => {
      const socket = await connectAgent(server.url, user.token);
      open.push(socket);
      return { socket, heard: listen(socket) };
    },
  };
}

/**
 * A chat of a new customer in the queue, offered to and accepted by `agent` (the only one
 * available there); `body` adds to what starts the chat (a subject, say).
 */
export async function acceptedChat(server: RunningServer, tenant: TestTenant, queueId: string, agent: TestUser, heard: Heard, body: Record<string, unknown> = {}) {
  const contactId = await makeContact(server, tenant);
  const chat = await startChat(server, tenant, { queueId, contactId, ...body });
  const offer = await heardOf(heard.offers, (o) => o.conversationId === chat.id, "the chat's offer");
  const accepted = await api(server, agent).post(`/api/offers/${offer.offerId}/accept`);
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
  return { id: chat.id, contactId, ticketId: accepted.body.data.ticketId as string };
}
