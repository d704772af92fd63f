import type { Message, MessageDeliveryEvent } from "@yixian/contracts";
import { afterEach, describe, expect, it } from "vitest";
import { recordDelivery, type Delivery, type OutboundConversation, type OutboundPort } from "@yixian/server/domain";
import { connectSocket, eventually, type ClientSocket } from "./sockets.ts";
import { api, createTestTenant, type TestServer, type TestTenant } from "./harness.ts";
import { serverForFile } from "./server-kit.ts";

let server: TestServer;
const open: ClientSocket[] = [];
serverForFile((s) => (server = s), { closeAfterEach: open });

let unregister: (() => void) | null = null;
afterEach(() => {
  unregister?.();
  unregister = null;
});

/**
 * An e-mail outbound port for the test: the mail server is not reachable here, so it answers as
 * one would (a queued message id, or a refusal), and records what it was asked to send.
 */
function mailPort(answer: (message: Message, attempt: number) => Delivery): { sent: { message: Message; conversation: OutboundConversation }[] } {
  const sent: { message: Message; conversation: OutboundConversation }[] = [];
  const port: OutboundPort = {
    channel: "email",
    async deliver(message, conversation) {
      sent.push({ message, conversation });
      return answer(message, sent.filter((s) => s.message.id === message.id).length);
    },
  };
  unregister = server.deps.channels.register(port);
  return { sent };
}

/** An accepted e-mail conversation of a customer who wrote from `address`. */
async function mailConversation(tenant: TestTenant, address: string): Promise<string> {
  const agent = api(server, tenant.users.agent);
  const created = await agent.post("/api/conversations").send({ channel: "email", identity: { kind: "email", value: address }, subject: "发票抬头错误", externalRef: `<${address}-thread@example.test>` });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const accepted = await agent.post(`/api/conversations/${created.body.data.id as string}/accept`);
  expect(accepted.status).toBe(200);
  return created.body.data.id as string;
}

async function reply(tenant: TestTenant, conversationId: string, text: string): Promise<Message> {
  const res = await api(server, tenant.users.agent).post(`/api/conversations/${conversationId}/messages`).send({ text });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data as Message;
}

async function stored(tenant: TestTenant, conversationId: string, messageId: string): Promise<Message> {
  const res = await api(server, tenant.users.agent).get(`/api/conversations/${conversationId}/messages`);
  expect(res.status).toBe(200);
  return (res.body.data.items as Message[]).find((m) => m.id === messageId)!;
}

describe("an agent's reply through its channel's outbound port", () => {
  it("is stored sending, handed to the port with the customer's identity, then sent with the channel's id; the console hears each move", async () => {
    const tenant = await createTestTenant(server);
    const { sent } = mailPort((m) => ({ state: "sent", externalId: `<${m.id}@mail.example.test>` }));
    const conversationId = await mailConversation(tenant, "wang@example.test");
    const socket = await connectSocket(server.url, tenant.users.agent.token);
    open.push(socket);
    const moves: MessageDeliveryEvent[] = [];
    socket.on("message:delivery", (e) => moves.push(e));

    const message = await reply(tenant, conversationId, "您好，发票已重开");
    expect(message.deliveryState).toBe("sending");
    await eventually(() => moves.some((e) => e.id === message.id && e.deliveryState === "sent"), "the reply to be sent");
    expect(sent).toHaveLength(1);
    expect(sent[0]!.message).toMatchObject({ id: message.id, text: "您好，发票已重开" });
    expect(sent[0]!.conversation).toMatchObject({ id: conversationId, channel: "email", identity: { kind: "email", value: "wang@example.test" } });
    expect(await stored(tenant, conversationId, message.id)).toMatchObject({ deliveryState: "sent", deliveryError: null, externalId: `<${message.id}@mail.example.test>` });

    // receipts move it forward by the channel's id; a late one never moves it back
    expect(await recordDelivery(server.deps, { tenantId: tenant.id, channel: "email", externalId: `<${message.id}@mail.example.test>` }, { state: "read" })).toBe(true);
    expect(await recordDelivery(server.deps, { tenantId: tenant.id, channel: "email", externalId: `<${message.id}@mail.example.test>` }, { state: "delivered" })).toBe(false);
    expect((await stored(tenant, conversationId, message.id)).deliveryState).toBe("read");
    await eventually(() => moves.some((e) => e.id === message.id && e.deliveryState === "read"), "the read receipt to reach the console");
  });

  it("is tried again when the port fails for a while, and sent once it works", async () => {
    const tenant = await createTestTenant(server);
    const { sent } = mailPort((_m, attempt) => {
      if (attempt < 3) throw new Error("connect ECONNREFUSED smtp.example.test:587");
      return { state: "sent", externalId: "queued-1" };
    });
    const conversationId = await mailConversation(tenant, "li@example.test");
    const message = await reply(tenant, conversationId, "已处理");
    await server.deps.outbox.flush();
    expect(sent.map((s) => s.message.id)).toEqual([message.id, message.id, message.id]);
    expect(await stored(tenant, conversationId, message.id)).toMatchObject({ deliveryState: "sent", deliveryError: null, externalId: "queued-1" });
  });

  it("is failed with the channel's reason when the port refuses it, or fails on every try", async () => {
    const tenant = await createTestTenant(server);
    const { sent } = mailPort((m) => {
      if (m.text === "拒收") return { state: "failed", reason: "550 5.1.1 mailbox unavailable" };
      throw new Error("connect ETIMEDOUT smtp.example.test:587");
    });
    const conversationId = await mailConversation(tenant, "zhao@example.test");
    const refused = await reply(tenant, conversationId, "拒收");
    const unreachable = await reply(tenant, conversationId, "发不出去");
    await server.deps.outbox.flush();
    expect(await stored(tenant, conversationId, refused.id)).toMatchObject({ deliveryState: "failed", deliveryError: "550 5.1.1 mailbox unavailable" });
    expect(await stored(tenant, conversationId, unreachable.id)).toMatchObject({ deliveryState: "failed", deliveryError: "connect ETIMEDOUT smtp.example.test:587" });
    expect(sent.filter((s) => s.message.id === unreachable.id)).toHaveLength(6);
    expect(sent.filter((s) => s.message.id === refused.id)).toHaveLength(1);
  });

  it("leaves web chat replies sent (the relay to the visitor is their delivery) and a channel without a port as before", async () => {
    const tenant = await createTestTenant(server);
    const agent = api(server, tenant.users.agent);
    const created = await agent.post("/api/conversations").send({ channel: "phone", identity: { kind: "phone", value: "13800138000" } });
    await agent.post(`/api/conversations/${created.body.data.id as string}/accept`).expect(200);
    const message = await reply(tenant, created.body.data.id as string, "稍后回电");
    expect(message.deliveryState).toBe("sent");
    await server.deps.outbox.flush();
    expect((await stored(tenant, created.body.data.id as string, message.id)).deliveryState).toBe("sent");
  });
});
