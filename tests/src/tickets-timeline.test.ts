import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, createTestTenant, startTestServer, type TestServer } from "./harness.ts";
import { makeChat, makeCompanyContact, openTicket, timelineKinds } from "./tickets-fixtures.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

interface Item {
  id: number;
  kind: string;
  actor: { type: string; id: string | null; name: string | null };
  conversationId: string | null;
  message: { text: string; direction: string; authorName: string | null; attachments: unknown[] } | null;
  data: Record<string, unknown>;
}

describe("the one timeline", () => {
  it("returns creation, message, note, status, assignment and rating in order, with actor names and the message body", async () => {
    const tenant = await createTestTenant(server);
    const { contact } = await makeCompanyContact(server, tenant, "李娜");
    const agent = tenant.users.agent;
    const ticket = await openTicket(server, agent, { subject: "发票打印不出来", contactId: contact.id });
    const chat = await makeChat(server, tenant, ticket.id, contact.id, "打印时提示驱动错误");
    await server.deps.db
      .insertInto("attachments")
      .values({ tenant_id: tenant.id, message_id: chat.messageId, ticket_id: ticket.id, filename: "报错截图.png", content_type: "image/png", size_bytes: 2048, sha256: "0".repeat(64), storage_key: `${tenant.id}/shot` })
      .execute();
    expect((await api(server, tenant.users.quality_inspector).post(`/api/tickets/${ticket.id}/notes`).send({ body: "驱动版本过旧" })).status).toBe(201);
    await api(server, agent).post(`/api/tickets/${ticket.id}/status`).send({ status: "open" });
    await api(server, tenant.users.supervisor).post(`/api/tickets/${ticket.id}/assign`).send({ assigneeId: agent.id });
    const rating = await api(server, agent).post(`/api/tickets/${ticket.id}/ratings`).send({ score: 4, comment: "解决得很快", channel: "webchat", conversationId: chat.conversationId });
    expect(rating.status).toBe(201);

    const res = await api(server, agent).get(`/api/tickets/${ticket.id}/timeline`);
    expect(res.status).toBe(200);
    const items = res.body.data.items as Item[];
    expect(items.map((i) => [i.kind, i.actor.name])).toEqual([
      ["ticket_created", `agent ${tenant.slug}`],
      ["message", "李娜"],
      ["note", `quality_inspector ${tenant.slug}`],
      ["status_changed", `agent ${tenant.slug}`],
      ["assigned", `supervisor ${tenant.slug}`],
      ["rating", `agent ${tenant.slug}`],
    ]);
    expect(items[1]!.message).toMatchObject({
      text: "打印时提示驱动错误",
      direction: "inbound",
      authorName: "李娜",
      attachments: [{ filename: "报错截图.png", contentType: "image/png", sizeBytes: 2048 }],
    });
    expect(items[2]!.data).toEqual({ body: "驱动版本过旧" });
    expect(items[5]).toMatchObject({ conversationId: chat.conversationId, data: { score: 4, comment: "解决得很快", channel: "webchat" } });
    expect(res.body.data.nextCursor).toBeNull();

    const pages: number[] = [];
    let cursor: string | null = null;
    do {
      const page = await api(server, agent).get(`/api/tickets/${ticket.id}/timeline`).query({ limit: 4, ...(cursor ? { cursor } : {}) });
      pages.push(...(page.body.data.items as Item[]).map((i) => i.id));
      cursor = page.body.data.nextCursor;
    } while (cursor);
    expect(pages).toEqual(items.map((i) => i.id));
  });

  it("finds a ticket by the text of its messages", async () => {
    const tenant = await createTestTenant(server);
    const { contact } = await makeCompanyContact(server, tenant);
    const ticket = await openTicket(server, tenant.users.agent, { subject: "咨询", contactId: contact.id });
    await openTicket(server, tenant.users.agent, { subject: "别的问题" });
    await makeChat(server, tenant, ticket.id, contact.id, "我的打印机型号是 LaserJet M104");
    const res = await api(server, tenant.users.agent).get("/api/tickets").query({ q: "laserjet 打印机" });
    expect(res.body.data.items.map((t: { id: string }) => t.id)).toEqual([ticket.id]);
  });
});

describe("ratings", () => {
  it("takes one rating per ticket and interaction, lists them, and checks score and permission", async () => {
    const tenant = await createTestTenant(server);
    const { contact } = await makeCompanyContact(server, tenant);
    const ticket = await openTicket(server, tenant.users.agent, { subject: "上门维修", contactId: contact.id });
    const chat = await makeChat(server, tenant, ticket.id, contact.id, "谢谢");
    const rate = (body: object, who = tenant.users.agent) => api(server, who).post(`/api/tickets/${ticket.id}/ratings`).send(body);

    const phone = await rate({ score: 5, comment: "师傅很专业", channel: "phone" });
    expect(phone.status).toBe(201);
    expect(phone.body.data).toMatchObject({ ticketId: ticket.id, contactId: contact.id, conversationId: null, score: 5 });
    const again = await rate({ score: 1, channel: "phone" });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("RATING_EXISTS");
    expect((await rate({ score: 3, channel: "webchat", conversationId: chat.conversationId })).status).toBe(201);
    expect((await rate({ score: 3, channel: "webchat", conversationId: chat.conversationId })).body.error.code).toBe("RATING_EXISTS");

    const otherTicket = await openTicket(server, tenant.users.agent, { subject: "另一个" });
    const otherChat = await makeChat(server, tenant, otherTicket.id, contact.id, "hi");
    expect((await rate({ score: 3, channel: "webchat", conversationId: otherChat.conversationId })).body.error.code).toBe("NOT_FOUND");
    expect((await rate({ score: 6, channel: "phone" })).body.error.code).toBe("VALIDATION_FAILED");
    expect((await rate({ score: 4, channel: "phone" }, tenant.users.quality_inspector)).body.error.code).toBe("FORBIDDEN");

    const list = await api(server, tenant.users.field_engineer).get(`/api/tickets/${ticket.id}/ratings`);
    expect(list.body.data.map((r: { score: number }) => r.score)).toEqual([5, 3]);
  });
});

describe("merging tickets", () => {
  it("moves the source's conversations, messages and timeline to the target and closes the source", async () => {
    const tenant = await createTestTenant(server);
    const { contact } = await makeCompanyContact(server, tenant);
    const senior = tenant.users.senior_agent;
    const target = await openTicket(server, senior, { subject: "发票打印不出来", contactId: contact.id });
    const source = await openTicket(server, senior, { subject: "开票软件打印没反应", contactId: contact.id });
    const chat = await makeChat(server, tenant, source.id, contact.id, "还是打印不了");
    await api(server, senior).post(`/api/tickets/${source.id}/notes`).send({ body: "同一个问题" });

    const byAgent = await api(server, tenant.users.agent).post(`/api/tickets/${target.id}/merge`).send({ sourceTicketId: source.id });
    expect(byAgent.body.error.code).toBe("FORBIDDEN");
    const merged = await api(server, senior).post(`/api/tickets/${target.id}/merge`).send({ sourceTicketId: source.id });
    expect(merged.status).toBe(200);
    expect(merged.body.data.id).toBe(target.id);

    const after = (await api(server, senior).get(`/api/tickets/${source.id}`)).body.data;
    expect(after).toMatchObject({ status: "closed", mergedIntoId: target.id, mergedInto: { id: target.id, number: target.number } });
    expect(after.closedAt).not.toBeNull();
    const { db } = server.deps;
    const conversation = await db.selectFrom("conversations").select("ticket_id").where("id", "=", chat.conversationId).executeTakeFirstOrThrow();
    const message = await db.selectFrom("messages").select("ticket_id").where("id", "=", chat.messageId).executeTakeFirstOrThrow();
    expect([conversation.ticket_id, message.ticket_id]).toEqual([target.id, target.id]);

    const targetItems = (await api(server, senior).get(`/api/tickets/${target.id}/timeline`)).body.data.items as Item[];
    expect(targetItems.map((i) => i.kind)).toEqual(["ticket_created", "ticket_created", "message", "note", "merged_in"]);
    expect(targetItems[2]!.message?.text).toBe("还是打印不了");
    expect(targetItems[4]!.data).toMatchObject({ ticketId: source.id, number: source.number });
    expect(await timelineKinds(server, senior, source.id)).toEqual(["merged_into"]);
    const found = await api(server, senior).get("/api/tickets").query({ q: "还是打印" });
    expect(found.body.data.items.map((t: { id: string }) => t.id)).toEqual([target.id]);
  });

  it("refuses merging a ticket into itself, merging twice, and changing a merged ticket", async () => {
    const tenant = await createTestTenant(server);
    const senior = tenant.users.senior_agent;
    const target = await openTicket(server, senior, { subject: "A" });
    const source = await openTicket(server, senior, { subject: "B" });
    const self = await api(server, senior).post(`/api/tickets/${target.id}/merge`).send({ sourceTicketId: target.id });
    expect(self.status).toBe(400);
    expect(self.body.error.code).toBe("MERGE_SAME_TICKET");
    expect((await api(server, senior).post(`/api/tickets/${target.id}/merge`).send({ sourceTicketId: source.id })).status).toBe(200);

    const twice = await api(server, senior).post(`/api/tickets/${target.id}/merge`).send({ sourceTicketId: source.id });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe("TICKET_MERGED");
    for (const res of [
      await api(server, senior).patch(`/api/tickets/${source.id}`).send({ subject: "C" }),
      await api(server, senior).post(`/api/tickets/${source.id}/notes`).send({ body: "还在吗" }),
      await api(server, senior).post(`/api/tickets/${source.id}/assign`).send({ assigneeId: senior.id }),
      await api(server, senior).post(`/api/tickets/${source.id}/status`).send({ status: "open" }),
    ]) {
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe("TICKET_MERGED");
    }
  });
});

describe("linking tickets", () => {
  it("links two tickets, shows the link from both sides, and removes it from either side", async () => {
    const tenant = await createTestTenant(server);
    const other = await createTestTenant(server);
    const user = tenant.users.agent;
    const child = await openTicket(server, user, { subject: "三楼打印机坏了" });
    const parent = await openTicket(server, user, { subject: "整栋楼网络故障" });

    const linked = await api(server, user).post(`/api/tickets/${child.id}/links`).send({ linkedTicketId: parent.id, kind: "parent" });
    expect(linked.status).toBe(201);
    expect(linked.body.data.links).toMatchObject([{ ticketId: parent.id, number: parent.number, kind: "parent", status: "new" }]);
    const fromParent = (await api(server, user).get(`/api/tickets/${parent.id}`)).body.data;
    expect(fromParent.links).toMatchObject([{ ticketId: child.id, kind: "child" }]);
    expect(await timelineKinds(server, user, parent.id)).toEqual(["ticket_created", "linked"]);

    const twice = await api(server, user).post(`/api/tickets/${parent.id}/links`).send({ linkedTicketId: child.id, kind: "related" });
    expect(twice.body.error.code).toBe("CONFLICT");
    const self = await api(server, user).post(`/api/tickets/${parent.id}/links`).send({ linkedTicketId: parent.id, kind: "related" });
    expect(self.body.error.code).toBe("VALIDATION_FAILED");
    const foreign = await openTicket(server, other.users.agent, { subject: "别家的" });
    const cross = await api(server, user).post(`/api/tickets/${parent.id}/links`).send({ linkedTicketId: foreign.id, kind: "related" });
    expect(cross.body.error.code).toBe("NOT_FOUND");

    expect((await api(server, user).delete(`/api/tickets/${parent.id}/links/${child.id}`)).status).toBe(204);
    expect((await api(server, user).get(`/api/tickets/${child.id}`)).body.data.links).toEqual([]);
    const gone = await api(server, user).delete(`/api/tickets/${parent.id}/links/${child.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe("NOT_FOUND");
  });
});
