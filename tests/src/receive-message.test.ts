import { describe, expect, it } from "vitest";
import { receiveMessage, type Ctx } from "@yixian/server/domain";
import { inTransaction, systemCtx } from "../../server/src/domain/context.ts";
import { insertTicket } from "../../server/src/domain/tickets/insert-ticket.ts";
import { createTestTenant, type TestServer, type TestTenant } from "./harness.ts";
import { serverForFile } from "./server-kit.ts";

let server: TestServer;
serverForFile((s) => (server = s));

/** A channel adapter acts as an integration (as the e-mail and WeChat adapters will). */
function adapter(tenant: TestTenant): Ctx {
  return { tenantId: tenant.id, actor: { type: "integration", id: null, name: "test channel" }, deps: server.deps, log: server.deps.log };
}

function openId(): string {
  return `o${Math.random().toString(36).slice(2, 14)}`;
}

async function timelineKinds(ticketId: string): Promise<{ kind: string; conversation_id: string | null }[]> {
  return server.deps.db.selectFrom("timeline_events").select(["kind", "conversation_id"]).where("ticket_id", "=", ticketId).orderBy("occurred_at").orderBy("id").execute();
}

describe("receiveMessage, the one way in for every channel", () => {
  it("starts a conversation for a new customer: a contact for their identity, the message stored, queued for routing", async () => {
    const tenant = await createTestTenant(server);
    const sender = openId();
    const queue = await server.deps.db.insertInto("queues").values({ tenant_id: tenant.id, name: "微信客服" }).returning("id").executeTakeFirstOrThrow();
    const received = await receiveMessage(adapter(tenant), {
      channel: "wechat",
      account: "gh_service",
      start: { queueId: queue.id },
      from: { identity: { kind: "wechat_openid", value: sender } },
      externalRef: `thread-${sender}`,
      externalId: `msg-${sender}-1`,
      text: "你好，我的打印机连不上网",
    });
    expect(received.started).toBe(true);
    expect(received.conversation).toMatchObject({ channel: "wechat", state: "queued", ticket_id: null, external_ref: `thread-${sender}` });
    expect(received.message).toMatchObject({ seq: 1, direction: "inbound", authorType: "contact", text: "你好，我的打印机连不上网", externalId: `msg-${sender}-1` });
    const identity = await server.deps.db.selectFrom("identities").select("contact_id").where("tenant_id", "=", tenant.id).where("kind", "=", "wechat_openid").where("value", "=", sender).executeTakeFirstOrThrow();
    expect(received.conversation.contact_id).toBe(identity.contact_id);
    expect(received.message?.authorId).toBe(identity.contact_id);
    const work = await server.deps.db.selectFrom("work_items").select(["queue_id", "state"]).where("tenant_id", "=", tenant.id).where("conversation_id", "=", received.conversation.id).execute();
    expect(work).toEqual([{ queue_id: queue.id, state: "waiting" }]);

    // the next message under the same ref goes to the same conversation
    const next = await receiveMessage(adapter(tenant), { channel: "wechat", from: { identity: { kind: "wechat_openid", value: sender } }, externalRef: `thread-${sender}`, externalId: `msg-${sender}-2`, text: "急" });
    expect(next.started).toBe(false);
    expect(next.conversation.id).toBe(received.conversation.id);
    expect(next.message?.seq).toBe(2);
  });

  it("links a returning customer's new conversation to their open ticket, once", async () => {
    const tenant = await createTestTenant(server);
    const sender = openId();
    const first = await receiveMessage(adapter(tenant), { channel: "wechat", from: { identity: { kind: "wechat_openid", value: sender } }, externalRef: `a-${sender}`, text: "第一次" });
    const contactId = first.conversation.contact_id!;
    const ctx = systemCtx(server.deps, tenant.id);
    const open = await inTransaction(ctx, (tx) => insertTicket(tx, ctx, { subject: "未结的问题", contactId, sourceChannel: "wechat" }));

    const again = await receiveMessage(adapter(tenant), { channel: "wechat", from: { identity: { kind: "wechat_openid", value: sender } }, externalRef: `b-${sender}`, text: "还是那个问题" });
    expect(again.started).toBe(true);
    expect(again.conversation.contact_id).toBe(contactId);
    expect(again.conversation.ticket_id).toBe(open.id);
    expect(again.message?.ticketId).toBe(open.id);
    const entries = await timelineKinds(open.id);
    expect(entries.filter((e) => e.kind === "conversation_linked").map((e) => e.conversation_id)).toEqual([again.conversation.id]);
    expect(entries.map((e) => e.kind)).toEqual(["ticket_created", "conversation_linked", "message"]);
  });

  it("stores a retried delivery (same externalId) once, also when the retries arrive together", async () => {
    const tenant = await createTestTenant(server);
    const sender = openId();
    const delivery = {
      channel: "wechat" as const,
      from: { identity: { kind: "wechat_openid" as const, value: sender } },
      externalRef: `r-${sender}`,
      externalId: `msg-${sender}`,
      text: "重复投递的消息",
    };
    const [one, two] = await Promise.all([receiveMessage(adapter(tenant), delivery), receiveMessage(adapter(tenant), delivery)]);
    const three = await receiveMessage(adapter(tenant), delivery);
    expect(one.conversation.id).toBe(two.conversation.id);
    expect(three.conversation.id).toBe(one.conversation.id);
    expect(new Set([one.message?.id, two.message?.id, three.message?.id]).size).toBe(1);
    const stored = await server.deps.db.selectFrom("messages").select("id").where("tenant_id", "=", tenant.id).where("conversation_id", "=", one.conversation.id).execute();
    expect(stored).toHaveLength(1);
    const conversations = await server.deps.db.selectFrom("conversations").select("id").where("tenant_id", "=", tenant.id).execute();
    expect(conversations).toHaveLength(1);
  });
});
