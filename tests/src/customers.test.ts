import type { CustomerChangedEvent } from "@yixian/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTransaction, systemCtx } from "../../server/src/domain/context.ts";
import { insertTicket } from "../../server/src/domain/tickets/insert-ticket.ts";
import { newId } from "../../server/src/platform/ids.ts";
import { connectSocket, eventually } from "./sockets.ts";
import { api, createTestTenant, startTestServer, type TestServer, type TestTenant, type TestUser } from "./harness.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

interface CompanyDto {
  id: string;
  name: string;
  verificationCode: string;
  servicePack: string | null;
  serviceExpiresOn: string | null;
  serviceStatus: string;
}
interface IdentityDto {
  id: string;
  kind: string;
  value: string;
  displayValue: string;
}
interface ContactDto {
  id: string;
  name: string;
  companyId: string | null;
  mergedIntoId: string | null;
  identities: IdentityDto[];
  company: CompanyDto | null;
}

async function createCompany(user: TestUser, body: Record<string, unknown>): Promise<CompanyDto> {
  const res = await api(server, user).post("/api/companies").send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data as CompanyDto;
}

async function createContact(user: TestUser, body: Record<string, unknown>): Promise<ContactDto> {
  const res = await api(server, user).post("/api/contacts").send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data as ContactDto;
}

function identify(user: TestUser, query: Record<string, string>) {
  return api(server, user).get("/api/identify").query(query);
}

/** Today on the tenant's calendar (test tenants are in Asia/Shanghai), plus days. */
function shanghaiDay(plusDays: number): string {
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  const [y, m, d] = today.split("-").map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + plusDays)).toISOString().slice(0, 10);
}

describe("identification by phone, e-mail and verification code", () => {
  it("finds the same contact from every way a number is typed or presented", async () => {
    const tenant = await createTestTenant(server);
    const company = await createCompany(tenant.users.agent, { name: "上海一线软件", verificationCode: "246810" });
    const contact = await createContact(tenant.users.agent, {
      name: "李雷",
      companyId: company.id,
      identities: [
        { kind: "phone", value: "021-6123 4567" },
        { kind: "phone", value: "138 0013 8000" },
        { kind: "phone", value: "4008-123-456" },
      ],
    });
    expect(contact.identities.map((i) => [i.value, i.displayValue])).toEqual([
      ["+862161234567", "021-6123 4567"],
      ["+8613800138000", "138 0013 8000"],
      ["+864008123456", "4008-123-456"],
    ]);

    const forms = [
      "021-6123 4567",
      "(021)61234567",
      "+862161234567",
      "862161234567",
      "0086 21 6123 4567",
      "+86 138 0013 8000",
      "008613800138000",
      "13800138000",
      "8613800138000",
      "4008-123-456",
      "+864008123456",
    ];
    for (const phone of forms) {
      const res = await identify(tenant.users.agent, { phone });
      expect(res.status, phone).toBe(200);
      expect(res.body.data.contact?.id, phone).toBe(contact.id);
      expect(res.body.data.matchedBy).toBe("phone");
      expect(res.body.data.company.id).toBe(company.id);
      expect(res.body.data.identity.contactId).toBe(contact.id);
    }

    // A trunk that puts +86… into a URL unencoded: the plus arrives as a space.
    const raw = await api(server, tenant.users.agent).get("/api/identify?phone=+8613800138000");
    expect(raw.body.data.contact?.id).toBe(contact.id);
  });

  it("matches e-mail whatever its case, answers nobody for a stranger, and refuses a non-number", async () => {
    const tenant = await createTestTenant(server);
    const contact = await createContact(tenant.users.agent, { name: "韩梅梅", identities: [{ kind: "email", value: "Han.MeiMei@Example.com" }] });

    const byEmail = await identify(tenant.users.agent, { email: "  han.meimei@EXAMPLE.com " });
    expect(byEmail.body.data).toMatchObject({ contact: { id: contact.id }, matchedBy: "email", company: null });

    const stranger = await identify(tenant.users.agent, { phone: "13900139000" });
    expect(stranger.status).toBe(200);
    expect(stranger.body.data).toEqual({ contact: null, company: null, identity: null, matchedBy: null });

    const bad = await identify(tenant.users.agent, { phone: "12345" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("INVALID_PHONE");

    // a valid number with letters around it is not that number
    for (const phone of ["13800138000abc", "call 13800138000"]) {
      const garbage = await identify(tenant.users.agent, { phone });
      expect(garbage.body.error?.code, phone).toBe("INVALID_PHONE");
      const created = await api(server, tenant.users.agent).post("/api/contacts").send({ name: "乱码", identities: [{ kind: "phone", value: phone }] });
      expect(created.status, phone).toBe(400);
      expect(created.body.error.code).toBe("INVALID_PHONE");
    }

    const several = await identify(tenant.users.agent, { phone: "13900139000", email: "a@b.cn" });
    expect(several.status).toBe(400);
    expect(several.body.error.code).toBe("VALIDATION_FAILED");
  });

  it("identifies a company by its verification code, and a contact by WeChat id", async () => {
    const tenant = await createTestTenant(server);
    const company = await createCompany(tenant.users.agent, { name: "金蝶代理", verificationCode: "8800123", servicePack: "vip", serviceExpiresOn: shanghaiDay(100) });
    const contact = await createContact(tenant.users.agent, { name: "王芳", identities: [{ kind: "wechat_openid", value: "oWx-123AbC" }] });

    const byCode = await identify(tenant.users.agent, { verificationCode: "8800123" });
    expect(byCode.body.data).toMatchObject({ contact: null, identity: null, matchedBy: "verification_code", company: { id: company.id, serviceStatus: "active" } });
    const wrongCode = await identify(tenant.users.agent, { verificationCode: "0000" });
    expect(wrongCode.body.data.company).toBeNull();

    const byWechat = await identify(tenant.users.agent, { wechatOpenid: "oWx-123AbC" });
    expect(byWechat.body.data).toMatchObject({ contact: { id: contact.id }, matchedBy: "wechat_openid" });
    const otherCase = await identify(tenant.users.agent, { wechatOpenid: "owx-123abc" });
    expect(otherCase.body.data.contact).toBeNull();
  });
});

describe("companies", () => {
  it("gives each company a verification code and refuses a code already in use", async () => {
    const tenant = await createTestTenant(server);
    const generated = await createCompany(tenant.users.agent, { name: "用友华东" });
    expect(generated.verificationCode).toMatch(/^[1-9][0-9]{5}$/);

    const taken = await api(server, tenant.users.agent).post("/api/companies").send({ name: "Copycat", verificationCode: generated.verificationCode });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe("VERIFICATION_CODE_TAKEN");

    const other = await createCompany(tenant.users.agent, { name: "管家婆" });
    const clash = await api(server, tenant.users.agent).patch(`/api/companies/${other.id}`).send({ verificationCode: generated.verificationCode });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe("VERIFICATION_CODE_TAKEN");

    // another tenant may use the same code
    const elsewhere = await createTestTenant(server);
    await createCompany(elsewhere.users.agent, { name: "Same code", verificationCode: generated.verificationCode });
  });

  it("shows service status on the tenant's calendar and filters by pack and expiry", async () => {
    const tenant = await createTestTenant(server);
    const user = tenant.users.service_operations;
    const expired = await createCompany(user, { name: "Expired Co", servicePack: "standard", serviceExpiresOn: shanghaiDay(-1) });
    const expiring = await createCompany(user, { name: "Expiring Co", servicePack: "online", serviceExpiresOn: shanghaiDay(10) });
    const lastDay = await createCompany(user, { name: "Last Day Co", servicePack: "standard", serviceExpiresOn: shanghaiDay(0) });
    const vip = await createCompany(user, { name: "VIP Co", servicePack: "vip", serviceExpiresOn: shanghaiDay(200) });
    const none = await createCompany(user, { name: "No Pack Co" });
    expect([expired, expiring, lastDay, vip, none].map((c) => c.serviceStatus)).toEqual(["expired", "expiring", "expiring", "active", "none"]);

    const vips = await api(server, user).get("/api/companies").query({ servicePack: "vip" });
    expect(vips.body.data.items.map((c: CompanyDto) => c.id)).toEqual([vip.id]);

    const soon = await api(server, user).get("/api/companies").query({ expiresBefore: shanghaiDay(30) });
    expect(soon.body.data.items.map((c: CompanyDto) => c.name)).toEqual(["Expired Co", "Expiring Co", "Last Day Co"]);

    const renewed = await api(server, user).patch(`/api/companies/${expired.id}`).send({ serviceExpiresOn: shanghaiDay(365) });
    expect(renewed.status).toBe(200);
    expect(renewed.body.data.serviceStatus).toBe("active");
  });

  it("searches by name words (Chinese and English) and by group, page by page", async () => {
    const tenant = await createTestTenant(server);
    const user = tenant.users.agent;
    const group = await api(server, user).post("/api/customer-groups").send({ name: "华东代理商" });
    expect(group.status).toBe(201);
    const dup = await api(server, user).post("/api/customer-groups").send({ name: "华东代理商" });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe("NAME_TAKEN");

    await createCompany(user, { name: "上海发票软件有限公司", customerGroupId: group.body.data.id });
    await createCompany(user, { name: "北京发票服务中心" });
    await createCompany(user, { name: "Acme Printing Ltd" });

    const byWord = await api(server, user).get("/api/companies").query({ q: "发票" });
    expect(byWord.body.data.items.map((c: CompanyDto) => c.name).sort()).toEqual(["上海发票软件有限公司", "北京发票服务中心"]);
    const byPrefix = await api(server, user).get("/api/companies").query({ q: "acme prin" });
    expect(byPrefix.body.data.items.map((c: CompanyDto) => c.name)).toEqual(["Acme Printing Ltd"]);
    const byGroup = await api(server, user).get("/api/companies").query({ customerGroupId: group.body.data.id });
    expect(byGroup.body.data.items.map((c: CompanyDto) => c.name)).toEqual(["上海发票软件有限公司"]);

    const first = await api(server, user).get("/api/companies").query({ limit: 2 });
    expect(first.body.data.items).toHaveLength(2);
    const second = await api(server, user).get("/api/companies").query({ limit: 2, cursor: first.body.data.nextCursor });
    expect(second.body.data.items).toHaveLength(1);
    expect(second.body.data.nextCursor).toBeNull();
    const all = [...first.body.data.items, ...second.body.data.items].map((c: CompanyDto) => c.name);
    expect(new Set(all).size).toBe(3);
  });
});

describe("contacts and identities", () => {
  it("refuses an identity that belongs to another contact, in any written form", async () => {
    const tenant = await createTestTenant(server);
    const owner = await createContact(tenant.users.agent, { name: "张伟", identities: [{ kind: "phone", value: "13800138000" }] });

    const twin = await api(server, tenant.users.agent).post("/api/contacts").send({ name: "张伟 (dup)", identities: [{ kind: "phone", value: "+86 138-0013-8000" }] });
    expect(twin.status).toBe(409);
    expect(twin.body.error.code).toBe("IDENTITY_TAKEN");
    const listed = await api(server, tenant.users.agent).get("/api/contacts");
    expect(listed.body.data.items.map((c: ContactDto) => c.id)).toEqual([owner.id]);

    const other = await createContact(tenant.users.agent, { name: "刘洋" });
    const add = await api(server, tenant.users.agent).post(`/api/contacts/${other.id}/identities`).send({ kind: "phone", value: "008613800138000" });
    expect(add.status).toBe(409);
    expect(add.body.error.code).toBe("IDENTITY_TAKEN");

    // the owner adding it again changes nothing
    const again = await api(server, tenant.users.agent).post(`/api/contacts/${owner.id}/identities`).send({ kind: "phone", value: "138 0013 8000" });
    expect(again.status).toBe(201);
    expect(again.body.data.id).toBe(owner.identities[0]!.id);
  });

  it("adds and removes identities, and finds contacts by name, company and phone", async () => {
    const tenant = await createTestTenant(server);
    const user = tenant.users.agent;
    const company = await createCompany(user, { name: "深圳华强电子" });
    const contact = await createContact(user, { name: "陈静", title: "财务主管", companyId: company.id });
    await createContact(user, { name: "Someone Else" });

    const added = await api(server, user).post(`/api/contacts/${contact.id}/identities`).send({ kind: "phone", value: "0755-8888 1234" });
    expect(added.status).toBe(201);
    expect(added.body.data).toMatchObject({ kind: "phone", value: "+8675588881234", displayValue: "0755-8888 1234" });

    for (const q of ["陈静", "财务", "华强", "075588881234", "+86 755 8888 1234"]) {
      const res = await api(server, user).get("/api/contacts").query({ q });
      expect(res.body.data.items.map((c: ContactDto) => c.id), q).toEqual([contact.id]);
    }
    const byCompany = await api(server, user).get("/api/contacts").query({ companyId: company.id });
    expect(byCompany.body.data.items).toHaveLength(1);
    expect(byCompany.body.data.items[0].company.name).toBe("深圳华强电子");

    // renaming the company keeps the contact findable by the new name
    await api(server, user).patch(`/api/companies/${company.id}`).send({ name: "深圳赛格电子" });
    const renamed = await api(server, user).get("/api/contacts").query({ q: "赛格" });
    expect(renamed.body.data.items.map((c: ContactDto) => c.id)).toEqual([contact.id]);

    const removed = await api(server, user).delete(`/api/contacts/${contact.id}/identities/${added.body.data.id as string}`);
    expect(removed.status).toBe(204);
    const gone = await identify(user, { phone: "0755-88881234" });
    expect(gone.body.data.contact).toBeNull();
    const fetched = await api(server, user).get(`/api/contacts/${contact.id}`);
    expect(fetched.body.data.identities).toEqual([]);
  });

  it("announces changes to the tenant's consoles and audits them", async () => {
    const tenant = await createTestTenant(server);
    const socket = await connectSocket(server.url, tenant.users.agent.token);
    const seen: CustomerChangedEvent[] = [];
    socket.on("customer:changed", (e) => seen.push(e));
    try {
      const contact = await createContact(tenant.users.agent, { name: "赵磊" });
      await api(server, tenant.users.agent).patch(`/api/contacts/${contact.id}`).send({ title: "IT 经理", isVip: true });
      await eventually(() => seen.length >= 2, "two customer:changed events");
      expect(seen[0]).toMatchObject({ kind: "contact", id: contact.id, changes: ["created"] });
      expect(seen[1]!.changes.sort()).toEqual(["isVip", "title"]);
    } finally {
      socket.close();
    }
    const audit = await server.deps.db.selectFrom("audit_log").select(["action", "actor_id"]).where("tenant_id", "=", tenant.id).orderBy("id").execute();
    expect(audit.map((a) => a.action)).toEqual(["contact.created", "contact.updated"]);
    expect(audit[0]!.actor_id).toBe(tenant.users.agent.id);
  });
});

async function insertConversationAndTicket(tenant: TestTenant, contactId: string, identityId: string): Promise<{ conversationId: string; ticketId: string }> {
  const ctx = systemCtx(server.deps, tenant.id);
  return inTransaction(ctx, async (tx) => {
    const ticket = await insertTicket(tx, ctx, { subject: "发票打印不出来", contactId, sourceChannel: "phone" });
    const conversation = await tx
      .insertInto("conversations")
      .values({ id: newId(), tenant_id: tenant.id, channel: "phone", contact_id: contactId, identity_id: identityId, ticket_id: ticket.id, state: "ended" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await tx.insertInto("ratings").values({ tenant_id: tenant.id, ticket_id: ticket.id, conversation_id: conversation.id, contact_id: contactId, score: 4, channel: "phone" }).execute();
    return { conversationId: conversation.id, ticketId: ticket.id };
  });
}

describe("merging contacts", () => {
  it("moves identities, conversations, tickets and ratings to the survivor", async () => {
    const tenant = await createTestTenant(server);
    const user = tenant.users.senior_agent;
    const company = await createCompany(user, { name: "杭州云账房" });
    const target = await createContact(user, { name: "孙丽", identities: [{ kind: "email", value: "sun.li@example.com" }] });
    const source = await createContact(user, { name: "孙丽 (来电)", title: "会计", companyId: company.id, identities: [{ kind: "phone", value: "13900001111" }] });
    const { conversationId, ticketId } = await insertConversationAndTicket(tenant, source.id, source.identities[0]!.id);

    const merged = await api(server, user).post(`/api/contacts/${target.id}/merge`).send({ sourceContactId: source.id });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(merged.body.data).toMatchObject({ id: target.id, companyId: company.id, title: "会计", mergedIntoId: null });
    expect(merged.body.data.identities.map((i: IdentityDto) => i.value).sort()).toEqual(["+8613900001111", "sun.li@example.com"]);

    const caller = await identify(user, { phone: "+86 139 0000 1111" });
    expect(caller.body.data.contact.id).toBe(target.id);
    const { db } = server.deps;
    expect((await db.selectFrom("conversations").select("contact_id").where("id", "=", conversationId).executeTakeFirstOrThrow()).contact_id).toBe(target.id);
    expect((await db.selectFrom("tickets").select("contact_id").where("id", "=", ticketId).executeTakeFirstOrThrow()).contact_id).toBe(target.id);
    expect((await db.selectFrom("ratings").select("contact_id").where("ticket_id", "=", ticketId).executeTakeFirstOrThrow()).contact_id).toBe(target.id);

    const gone = await api(server, user).get(`/api/contacts/${source.id}`);
    expect(gone.status).toBe(200);
    expect(gone.body.data).toMatchObject({ mergedIntoId: target.id, identities: [] });
    const listed = await api(server, user).get("/api/contacts").query({ q: "孙丽" });
    expect(listed.body.data.items.map((c: ContactDto) => c.id)).toEqual([target.id]);

    const audit = await db.selectFrom("audit_log").select(["action", "changes"]).where("tenant_id", "=", tenant.id).where("action", "=", "contact.merged").executeTakeFirstOrThrow();
    expect(audit.changes).toMatchObject({ sourceContactId: source.id, moved: { identities: 1, conversations: 1, tickets: 1, ratings: 1 } });
  });

  it("refuses merging into itself, merging a merged contact, and agents without the permission", async () => {
    const tenant = await createTestTenant(server);
    const a = await createContact(tenant.users.agent, { name: "周杰" });
    const b = await createContact(tenant.users.agent, { name: "周杰 2" });

    const byAgent = await api(server, tenant.users.agent).post(`/api/contacts/${a.id}/merge`).send({ sourceContactId: b.id });
    expect(byAgent.status).toBe(403);
    expect(byAgent.body.error.code).toBe("FORBIDDEN");

    const self = await api(server, tenant.users.supervisor).post(`/api/contacts/${a.id}/merge`).send({ sourceContactId: a.id });
    expect(self.status).toBe(400);
    expect(self.body.error.code).toBe("MERGE_SAME_CONTACT");

    expect((await api(server, tenant.users.supervisor).post(`/api/contacts/${a.id}/merge`).send({ sourceContactId: b.id })).status).toBe(200);
    const again = await api(server, tenant.users.supervisor).post(`/api/contacts/${a.id}/merge`).send({ sourceContactId: b.id });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("CONTACT_MERGED");
    const editMerged = await api(server, tenant.users.agent).patch(`/api/contacts/${b.id}`).send({ name: "Renamed" });
    expect(editMerged.status).toBe(409);
    expect(editMerged.body.error.code).toBe("CONTACT_MERGED");
  });
});

describe("validation and tenant isolation", () => {
  it("answers 400 VALIDATION_FAILED for malformed input", async () => {
    const tenant = await createTestTenant(server);
    const user = tenant.users.agent;
    const cases = [
      api(server, user).post("/api/contacts").send({}),
      api(server, user).post("/api/contacts").send({ name: "X", identities: [{ kind: "fax", value: "1" }] }),
      api(server, user).post("/api/companies").send({ name: "X", verificationCode: "12ab" }),
      api(server, user).post("/api/companies").send({ name: "X", serviceExpiresOn: "30/06/2026" }),
      api(server, user).post("/api/companies").send({ name: "X", servicePack: "gold" }),
      api(server, user).get("/api/companies").query({ cursor: "not-a-cursor" }),
      api(server, user).get("/api/contacts/not-a-uuid"),
      api(server, user).post("/api/contacts").send({ name: "X", identities: [{ kind: "email", value: "no-at-sign" }] }),
    ];
    for (const req of cases) {
      const res = await req;
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
    }
  });

  it("answers 404 for another tenant's groups, companies, contacts and identities", async () => {
    const a = await createTestTenant(server, "A");
    const b = await createTestTenant(server, "B");
    const group = await api(server, a.users.agent).post("/api/customer-groups").send({ name: "A's group" });
    const company = await createCompany(a.users.agent, { name: "A's company", verificationCode: "97531" });
    const contact = await createContact(a.users.agent, { name: "A's contact", identities: [{ kind: "phone", value: "13700137000" }] });
    const mine = await createContact(b.users.admin, { name: "B's contact" });
    const identityId = contact.identities[0]!.id;

    const calls = [
      api(server, b.users.admin).get(`/api/customer-groups/${group.body.data.id as string}`),
      api(server, b.users.admin).patch(`/api/customer-groups/${group.body.data.id as string}`).send({ name: "taken over" }),
      api(server, b.users.admin).get(`/api/companies/${company.id}`),
      api(server, b.users.admin).patch(`/api/companies/${company.id}`).send({ name: "taken over" }),
      api(server, b.users.admin).get(`/api/contacts/${contact.id}`),
      api(server, b.users.admin).patch(`/api/contacts/${contact.id}`).send({ name: "taken over" }),
      api(server, b.users.admin).post(`/api/contacts/${contact.id}/identities`).send({ kind: "email", value: "x@example.com" }),
      api(server, b.users.admin).delete(`/api/contacts/${contact.id}/identities/${identityId}`),
      api(server, b.users.admin).delete(`/api/contacts/${mine.id}/identities/${identityId}`),
      api(server, b.users.admin).post(`/api/contacts/${mine.id}/merge`).send({ sourceContactId: contact.id }),
      api(server, b.users.admin).patch(`/api/contacts/${mine.id}`).send({ companyId: company.id }),
      api(server, b.users.admin).post("/api/contacts").send({ name: "X", companyId: company.id }),
    ];
    for (const req of calls) {
      const res = await req;
      expect(res.status, JSON.stringify(res.body)).toBe(404);
      expect(res.body.error.code).toBe("NOT_FOUND");
    }
    // B's lookups never see A's customers
    expect((await identify(b.users.admin, { phone: "13700137000" })).body.data.contact).toBeNull();
    expect((await identify(b.users.admin, { verificationCode: "97531" })).body.data.company).toBeNull();
    const still = await api(server, a.users.agent).get(`/api/contacts/${contact.id}`);
    expect(still.body.data).toMatchObject({ name: "A's contact", identities: [{ id: identityId }] });
  });
});
