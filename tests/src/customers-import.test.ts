import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, createTestTenant, startTestServer, type TestServer, type TestUser } from "./harness.ts";

const MAX_UPLOAD_BYTES = 64 * 1024;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES) } });
});
afterAll(async () => {
  await server?.stop();
});

function upload(user: TestUser, data: Buffer, filename = "customers.csv", contentType = "text/csv") {
  return api(server, user).post("/api/imports/customers").attach("file", data, { filename, contentType });
}

async function identifyPhone(user: TestUser, phone: string) {
  const res = await api(server, user).get("/api/identify").query({ phone });
  expect(res.status).toBe(200);
  return res.body.data as { contact: { id: string; name: string; title: string; company: { name: string; verificationCode: string; servicePack: string | null; serviceExpiresOn: string | null } | null } | null };
}

async function companyNames(user: TestUser): Promise<string[]> {
  const res = await api(server, user).get("/api/companies");
  return (res.body.data.items as { name: string }[]).map((c) => c.name);
}

describe("bulk import of customers", () => {
  it("stores the good rows of a CSV and reports each bad row with its column", async () => {
    const tenant = await createTestTenant(server);
    const user = tenant.users.service_operations;
    const csv = [
      "company,verification_code,service_pack,service_expires_on,group,contact_name,title,phone,email,remarks",
      "上海一线软件,246810,VIP,2026-06-30,华东,李雷,财务主管,021-6123 4567,li.lei@example.com,first",
      "上海一线软件,246810,,,,韩梅梅,会计,138 0013 8000,,same company again",
      "Bad Phone Co,,standard,2026-01-01,,Nobody,,12345,,should not exist",
      "Bad Pack Co,,gold,,,,,,,",
      "北京发票中心,,standard,2025/12/31,,王芳,,13900139000,WANG@Example.com,",
      "",
      ",,,,,,,,,",
      "No Date Co,,online,31.12.2025,,,,,,",
    ].join("\n");
    const res = await upload(user, Buffer.from(csv));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.created).toEqual({ companies: 2, contacts: 3 });
    expect(res.body.data.updated).toEqual({ companies: 0, contacts: 0 });
    expect(res.body.data.errors.map((e: { row: number; column: string; code: string }) => [e.row, e.column, e.code])).toEqual([
      [4, "phone", "INVALID_PHONE"],
      [5, "service_pack", "VALIDATION_FAILED"],
      [9, "service_expires_on", "VALIDATION_FAILED"],
    ]);

    expect((await companyNames(user)).sort()).toEqual(["上海一线软件", "北京发票中心"]);
    const li = await identifyPhone(user, "+862161234567");
    expect(li.contact).toMatchObject({ name: "李雷", title: "财务主管", company: { name: "上海一线软件", verificationCode: "246810", servicePack: "vip", serviceExpiresOn: "2026-06-30" } });
    const han = await identifyPhone(user, "13800138000");
    expect(han.contact?.company?.name).toBe("上海一线软件");
    const wang = await api(server, user).get("/api/identify").query({ email: "wang@example.com" });
    expect(wang.body.data.contact.company.serviceExpiresOn).toBe("2025-12-31");
    const groups = await api(server, user).get("/api/customer-groups");
    expect(groups.body.data.items.map((g: { name: string }) => g.name)).toEqual(["华东"]);
  });

  it("reads Chinese headers with a BOM, and a second import updates instead of duplicating", async () => {
    const tenant = await createTestTenant(server);
    const user = tenant.users.supervisor;
    const first = "\uFEFF公司,服务验证码,服务包,到期日,客户组,联系人,职务,电话,邮箱\r\n金蝶华南代理,8800123,标准服务包,2026年3月31日,华南,陈静,经理,0755-8888 1234,chen@example.com\r\n";
    const created = await upload(user, Buffer.from(first, "utf8"));
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.body.data).toEqual({ created: { companies: 1, contacts: 1 }, updated: { companies: 0, contacts: 0 }, errors: [] });

    // same company by its code (renamed, pack upgraded), same contact by e-mail with a new phone
    const second = "公司,服务验证码,服务包,到期日,联系人,职务,电话,邮箱\n金蝶华南服务中心,8800123,VIP,2027-03-31,陈静,总监,13600136000,CHEN@example.com\n";
    const updated = await upload(user, Buffer.from(second, "utf8"));
    expect(updated.body.data).toEqual({ created: { companies: 0, contacts: 0 }, updated: { companies: 1, contacts: 1 }, errors: [] });

    const chen = await identifyPhone(user, "+86 136 0013 6000");
    expect(chen.contact).toMatchObject({ name: "陈静", title: "总监", company: { name: "金蝶华南服务中心", servicePack: "vip", serviceExpiresOn: "2027-03-31" } });
    expect((await identifyPhone(user, "075588881234")).contact?.id).toBe(chen.contact?.id);
    expect(await companyNames(user)).toEqual(["金蝶华南服务中心"]);

    const unchanged = await upload(user, Buffer.from(second, "utf8"));
    expect(unchanged.body.data).toEqual({ created: { companies: 0, contacts: 0 }, updated: { companies: 0, contacts: 0 }, errors: [] });
  });

  it("reads a CSV saved by Excel on Chinese Windows (GB18030)", async () => {
    const tenant = await createTestTenant(server);
    // "公司,联系人,电话\r\n华南测试公司,张三,13800138000\r\n" in GB18030
    const gb = Buffer.from("b9abcbbe2cc1aacfb5c8cb2cb5e7bbb00d0abbaac4cfb2e2cad4b9abcbbe2cd5c5c8fd2c31333830303133383030300d0a", "hex");
    const res = await upload(tenant.users.admin, gb);
    expect(res.body.data).toEqual({ created: { companies: 1, contacts: 1 }, updated: { companies: 0, contacts: 0 }, errors: [] });
    expect((await identifyPhone(tenant.users.admin, "13800138000")).contact).toMatchObject({ name: "张三", company: { name: "华南测试公司" } });
  });

  it("rolls back a whole row that fails while writing, keeping the rows around it", async () => {
    const tenant = await createTestTenant(server);
    const user = tenant.users.admin;
    const setup = await upload(user, Buffer.from("contact_name,phone\n张伟,13800138000\n周杰,13900139000\n"));
    expect(setup.body.data.created.contacts).toBe(2);

    // row 3 names a phone of 张伟 and an e-mail of nobody → fine; row 4 mixes 张伟's phone with 周杰's e-mail
    await api(server, user).post("/api/contacts").send({ name: "刘洋", identities: [{ kind: "email", value: "liu@example.com" }] });
    const csv = [
      "company,contact_name,phone,email",
      "Row Two Co,Someone,13700137000,",
      "Row Three Co,张伟,13800138000,zhang@example.com",
      "Row Four Co,Clash,13900139000,liu@example.com",
      "Row Five Co,Another,13600136000,",
    ].join("\n");
    const res = await upload(user, Buffer.from(csv));
    expect(res.body.data.errors).toEqual([{ row: 4, column: "email", code: "IDENTITY_TAKEN", message: expect.any(String) }]);
    expect(res.body.data.created).toEqual({ companies: 3, contacts: 2 });
    expect(res.body.data.updated).toEqual({ companies: 0, contacts: 1 });
    expect((await companyNames(user)).sort()).toEqual(["Row Five Co", "Row Three Co", "Row Two Co"]);
    const zhou = await identifyPhone(user, "13900139000");
    expect(zhou.contact).toMatchObject({ name: "周杰", company: null });
  });

  it("imports an Excel workbook, dates and numbers as Excel stores them", async () => {
    const tenant = await createTestTenant(server);
    const user = tenant.users.service_operations;
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("客户");
    sheet.addRow(["公司", "服务验证码", "服务包", "到期日", "联系人", "电话"]);
    sheet.addRow(["管家婆成都", 5566778, "增值", new Date(Date.UTC(2026, 8, 30)), "赵磊", 13800138000]);
    sheet.addRow(["Bad Row Co", "12x", "", "", "", ""]);
    const data = Buffer.from(await workbook.xlsx.writeBuffer());
    const res = await upload(user, data, "客户.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.created).toEqual({ companies: 1, contacts: 1 });
    expect(res.body.data.errors.map((e: { row: number; column: string }) => [e.row, e.column])).toEqual([[3, "verification_code"]]);
    const zhao = await identifyPhone(user, "+8613800138000");
    expect(zhao.contact?.company).toMatchObject({ name: "管家婆成都", verificationCode: "5566778", servicePack: "value_added", serviceExpiresOn: "2026-09-30" });
  });

  it("refuses an oversized file with 413, stores nothing, and refuses what is not a customer sheet", async () => {
    const tenant = await createTestTenant(server);
    const user = tenant.users.admin;
    const header = "company,contact_name,phone\n";
    const big = header + "Huge Co,Someone,13800138000\n".repeat(Math.ceil(MAX_UPLOAD_BYTES / 20));
    const tooLarge = await upload(user, Buffer.from(big));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(await companyNames(user)).toEqual([]);

    const noHeader = await upload(user, Buffer.from("foo,bar\n1,2\n"));
    expect(noHeader.status).toBe(400);
    expect(noHeader.body.error.code).toBe("IMPORT_INVALID_FILE");
    const empty = await upload(user, Buffer.alloc(0));
    expect(empty.body.error.code).toBe("IMPORT_INVALID_FILE");
    const wrongField = await api(server, user).post("/api/imports/customers").attach("upload", Buffer.from(header), "customers.csv");
    expect(wrongField.status).toBe(400);
    expect(wrongField.body.error.code).toBe("VALIDATION_FAILED");
    const json = await api(server, user).post("/api/imports/customers").send({ file: header });
    expect(json.status).toBe(415);
    expect(json.body.error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
  });

  it("refuses a NUL character in a CSV or Excel cell, or in the file name, with a coded 400, importing nothing", async () => {
    const tenant = await createTestTenant(server);
    const user = tenant.users.service_operations;
    const csv = ["company,contact_name,phone", "上海一线软件,李雷,13800138000", "北京发票中心,王\u0000芳,13900139000"].join("\n");
    const fromCsv = await upload(user, Buffer.from(csv));
    expect(fromCsv.status, JSON.stringify(fromCsv.body)).toBe(400);
    expect(fromCsv.body.error).toMatchObject({ code: "IMPORT_INVALID_FILE", message: expect.stringContaining("cell B3") });

    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("客户");
    sheet.addRow(["公司", "联系人", "电话"]);
    sheet.addRow(["管家婆成都", "赵磊", 13800138001]);
    // XML cannot hold U+0000: a workbook stores it escaped, as _x0000_
    sheet.addRow(["成都分部", "钱_x0000_多", 13800138002]);
    const fromXlsx = await upload(user, Buffer.from(await workbook.xlsx.writeBuffer()), "客户.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(fromXlsx.status, JSON.stringify(fromXlsx.body)).toBe(400);
    expect(fromXlsx.body.error).toMatchObject({ code: "IMPORT_INVALID_FILE", message: expect.stringContaining("cell B3") });
    expect(await companyNames(user)).toEqual([]);
    expect((await identifyPhone(user, "13800138000")).contact).toBeNull();

    // a NUL in the part's own header (the file name) is a malformed form: answered, not left hanging
    const named = await upload(user, Buffer.from("company,contact_name,phone\n上海一线软件,李雷,13800138000\n"), "客户\u0000.csv");
    expect(named.status, JSON.stringify(named.body)).toBe(400);
    expect(named.body.error.code).toBe("VALIDATION_FAILED");
    expect(await companyNames(user)).toEqual([]);
  });

  it("is for roles with customer:import only", async () => {
    const tenant = await createTestTenant(server);
    const res = await upload(tenant.users.agent, Buffer.from("company\nAgent Co\n"));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("FORBIDDEN");
    expect(await companyNames(tenant.users.agent)).toEqual([]);
  });
});
