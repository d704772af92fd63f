import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, createTestTenant, startTestServer, type TestServer } from "./harness.ts";
import { openTicket } from "./tickets-fixtures.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

describe("categories with difficulty coefficients", () => {
  it("lets a supervisor add, nest and re-weight categories that agents read and tickets show", async () => {
    const tenant = await createTestTenant(server);
    const sup = api(server, tenant.users.supervisor);
    const hardware = await sup.post("/api/categories").send({ name: "硬件", difficulty: 1.5 });
    expect(hardware.status).toBe(201);
    expect(hardware.body.data).toMatchObject({ name: "硬件", parentId: null, difficulty: 1.5 });
    const printer = await sup.post("/api/categories").send({ name: "打印机", parentId: hardware.body.data.id });
    expect(printer.body.data).toMatchObject({ parentId: hardware.body.data.id, difficulty: 1 });

    const reweighted = await sup.patch(`/api/categories/${printer.body.data.id}`).send({ difficulty: 2.25 });
    expect(reweighted.body.data.difficulty).toBe(2.25);
    const list = await api(server, tenant.users.agent).get("/api/categories");
    expect(list.body.data.map((c: { name: string; difficulty: number }) => [c.name, c.difficulty])).toEqual([
      ["打印机", 2.25],
      ["硬件", 1.5],
    ]);
    const ticket = await openTicket(server, tenant.users.agent, { subject: "卡纸", categoryId: printer.body.data.id });
    expect((await api(server, tenant.users.agent).get(`/api/tickets/${ticket.id}`)).body.data.category).toEqual({ id: printer.body.data.id, name: "打印机", difficulty: 2.25 });

    const audit = await server.deps.db.selectFrom("audit_log").select("changes").where("tenant_id", "=", tenant.id).where("action", "=", "category.updated").executeTakeFirstOrThrow();
    expect(audit.changes).toEqual({ difficulty: [1, 2.25] });
  });

  it("refuses a non-positive difficulty, a duplicate name, a cycle and agents who try to manage", async () => {
    const tenant = await createTestTenant(server);
    const sup = api(server, tenant.users.supervisor);
    for (const difficulty of [0, -1]) {
      const res = await sup.post("/api/categories").send({ name: "软件", difficulty });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
    }
    const parent = (await sup.post("/api/categories").send({ name: "软件" })).body.data;
    const child = (await sup.post("/api/categories").send({ name: "财务软件", parentId: parent.id })).body.data;
    expect((await sup.post("/api/categories").send({ name: "软件" })).body.error.code).toBe("NAME_TAKEN");
    expect((await sup.patch(`/api/categories/${child.id}`).send({ name: "软件" })).body.error.code).toBe("NAME_TAKEN");
    const cycle = await sup.patch(`/api/categories/${parent.id}`).send({ parentId: child.id });
    expect(cycle.body.error.code).toBe("VALIDATION_FAILED");
    const byAgent = await api(server, tenant.users.agent).post("/api/categories").send({ name: "网络" });
    expect(byAgent.status).toBe(403);
    expect(byAgent.body.error.code).toBe("FORBIDDEN");
    const other = await createTestTenant(server);
    const foreign = await api(server, other.users.supervisor).patch(`/api/categories/${parent.id}`).send({ difficulty: 3 });
    expect(foreign.body.error.code).toBe("NOT_FOUND");
  });
});

describe("custom fields on tickets", () => {
  it("checks ticket values against the tenant's definitions with INVALID_CUSTOM_FIELD naming the field", async () => {
    const tenant = await createTestTenant(server);
    const admin = api(server, tenant.admin);
    const model = await admin.post("/api/custom-fields").send({ key: "printer_model", label: "打印机型号", type: "select", options: ["HP M104", "Canon LBP2900"], required: true });
    expect(model.status).toBe(201);
    expect(model.body.data).toMatchObject({ entity: "ticket", key: "printer_model", type: "select", required: true });
    await admin.post("/api/custom-fields").send({ key: "pages", label: "打印页数", type: "number" });
    await admin.post("/api/custom-fields").send({ key: "bought_on", label: "购买日期", type: "date" });

    const attempt = (customFields: object) => api(server, tenant.users.agent).post("/api/tickets").send({ subject: "打印机故障", customFields });
    for (const [customFields, key] of [
      [{}, "printer_model"],
      [{ printer_model: "Epson L3150" }, "printer_model"],
      [{ printer_model: "HP M104", pages: "十" }, "pages"],
      [{ printer_model: "HP M104", bought_on: "2024-13-01" }, "bought_on"],
      [{ printer_model: "HP M104", colour: "red" }, "colour"],
    ] as const) {
      const res = await attempt(customFields);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("INVALID_CUSTOM_FIELD");
      expect(res.body.error.message).toContain(key);
      expect(res.body.error.details).toEqual({ key });
    }
    const ok = await attempt({ printer_model: "HP M104", pages: 10, bought_on: "2024-02-29" });
    expect(ok.status).toBe(201);
    expect(ok.body.data.customFields).toEqual({ printer_model: "HP M104", pages: 10, bought_on: "2024-02-29" });

    const patched = await api(server, tenant.users.agent).patch(`/api/tickets/${ok.body.data.id}`).send({ customFields: { pages: null, printer_model: "Canon LBP2900" } });
    expect(patched.body.data.customFields).toEqual({ printer_model: "Canon LBP2900", bought_on: "2024-02-29" });
    const cleared = await api(server, tenant.users.agent).patch(`/api/tickets/${ok.body.data.id}`).send({ customFields: { printer_model: null } });
    expect(cleared.body.error.code).toBe("INVALID_CUSTOM_FIELD");
  });

  it("lets definitions be listed, changed and deleted, keeping values already stored", async () => {
    const tenant = await createTestTenant(server);
    const admin = api(server, tenant.admin);
    const field = (await admin.post("/api/custom-fields").send({ key: "asset_no", label: "资产编号", type: "text" })).body.data;
    await admin.post("/api/custom-fields").send({ entity: "contact", key: "wechat_name", label: "微信昵称", type: "text" });
    expect((await admin.post("/api/custom-fields").send({ key: "asset_no", label: "again", type: "text" })).body.error.code).toBe("NAME_TAKEN");
    expect((await admin.post("/api/custom-fields").send({ key: "kind", label: "类型", type: "select", options: [] })).body.error.code).toBe("VALIDATION_FAILED");

    const ticket = await openTicket(server, tenant.users.agent, { subject: "资产登记", customFields: { asset_no: "ZC-0042" } });
    const renamed = await admin.patch(`/api/custom-fields/${field.id}`).send({ label: "固定资产编号", required: true });
    expect(renamed.body.data).toMatchObject({ key: "asset_no", label: "固定资产编号", required: true });
    const ticketFields = await api(server, tenant.users.agent).get("/api/custom-fields").query({ entity: "ticket" });
    expect(ticketFields.body.data.map((f: { key: string }) => f.key)).toEqual(["asset_no"]);
    expect((await api(server, tenant.users.agent).patch(`/api/custom-fields/${field.id}`).send({ label: "x" })).body.error.code).toBe("FORBIDDEN");

    expect((await admin.delete(`/api/custom-fields/${field.id}`)).status).toBe(204);
    expect((await api(server, tenant.users.agent).get(`/api/tickets/${ticket.id}`)).body.data.customFields).toEqual({ asset_no: "ZC-0042" });
    const set = await api(server, tenant.users.agent).patch(`/api/tickets/${ticket.id}`).send({ customFields: { asset_no: "ZC-0043" } });
    expect(set.body.error.code).toBe("INVALID_CUSTOM_FIELD");
    expect((await admin.delete(`/api/custom-fields/${field.id}`)).body.error.code).toBe("NOT_FOUND");
  });
});
