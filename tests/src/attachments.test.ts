import { createHash } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, createTestTenant, startTestServer, type TestServer, type TestTenant } from "./harness.ts";

const MAX = 64 * 1024;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { MAX_UPLOAD_BYTES: String(MAX) } });
});
afterAll(async () => {
  await server?.stop();
});

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from("IHDR 发票截图 pixels")]);

/** Every file under the attachments folder (including half-written .part files). */
function storedFiles(): string[] {
  const root = join(server.dataDir, "attachments");
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

async function attachmentRows(tenant: TestTenant) {
  return server.deps.db.selectFrom("attachments").selectAll().where("tenant_id", "=", tenant.id).execute();
}

function uploadAs(tenant: TestTenant, body: Buffer, filename: string, contentType: string) {
  return api(server, tenant.users.agent).post("/api/attachments").attach("file", body, { filename, contentType });
}

describe("attachments", () => {
  it("stores an upload with a Chinese name and gives the same bytes back", async () => {
    const tenant = await createTestTenant(server);
    const res = await uploadAs(tenant, PNG, "发票 截图(1).png", "image/png");
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const a = res.body.data;
    expect(a).toMatchObject({
      filename: "发票 截图(1).png",
      contentType: "image/png",
      size: PNG.length,
      sha256: createHash("sha256").update(PNG).digest("hex"),
      url: `/api/attachments/${a.id as string}`,
      messageId: null,
    });
    const row = (await attachmentRows(tenant))[0]!;
    expect(row.storage_key).toMatch(new RegExp(`^${tenant.id}/\\d{4}/\\d{2}/${a.id as string}$`));

    const download = await api(server, tenant.users.field_engineer)
      .get(a.url)
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on("data", (c: Buffer) => chunks.push(c));
        response.on("end", () => done(null, Buffer.concat(chunks)));
      });
    expect(download.status).toBe(200);
    expect(Buffer.compare(download.body as Buffer, PNG)).toBe(0);
    expect(download.headers["content-type"]).toBe("image/png");
    expect(download.headers["x-content-type-options"]).toBe("nosniff");
    const disposition = download.headers["content-disposition"] as string;
    expect(disposition).toMatch(/^inline; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    const encoded = disposition.split("filename*=UTF-8''")[1]!;
    expect(encoded).toMatch(/^[A-Za-z0-9%._~!-]+$/);
    expect(decodeURIComponent(encoded)).toBe("发票 截图(1).png");
  });

  it("drops bidi controls from file names, so a right-to-left override cannot disguise an .exe as a .pdf", async () => {
    const tenant = await createTestTenant(server);
    // shown as "invoiceexe.png" with the override: really "invoice" + "gnp.exe"
    const up = await uploadAs(tenant, PNG, "invoice\u202Egnp.exe\u2066.png", "image/png");
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body.data.filename).toBe("invoicegnp.exe.png");

    // a name stored before uploads dropped them is cleaned on the way out too
    await server.deps.db.updateTable("attachments").set({ filename: "报价\u202Efdp.exe" }).where("id", "=", up.body.data.id).execute();
    const down = await api(server, tenant.users.agent).get(up.body.data.url);
    const encoded = (down.headers["content-disposition"] as string).split("filename*=UTF-8''")[1]!;
    expect(decodeURIComponent(encoded)).toBe("报价fdp.exe");
  });

  it("serves text as a download with its charset", async () => {
    const tenant = await createTestTenant(server);
    const csv = Buffer.from("发票号,金额\n0001,100\n");
    const up = await uploadAs(tenant, csv, "对账单.csv", "text/csv");
    expect(up.status).toBe(201);
    const down = await api(server, tenant.users.agent).get(up.body.data.url);
    expect(down.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(down.headers["content-disposition"]).toMatch(/^attachment; /);
    expect(down.text).toBe(csv.toString());
  });

  it("refuses an oversized upload with 413 and leaves no row and no file behind", async () => {
    const tenant = await createTestTenant(server);
    const before = storedFiles();
    const big = Buffer.concat([PNG, Buffer.alloc(MAX * 3, 1)]);
    const res = await uploadAs(tenant, big, "太大了.png", "image/png");
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(await attachmentRows(tenant)).toEqual([]);
    expect(storedFiles()).toEqual(before);
  });

  it("refuses types that are not allowed, and programs disguised as allowed types, with 415", async () => {
    const tenant = await createTestTenant(server);
    const before = storedFiles();
    const exe = Buffer.concat([Buffer.from("MZ"), Buffer.alloc(2048, 0x90)]);
    const cases = [
      await uploadAs(tenant, exe, "setup.exe", "application/x-msdownload"),
      await uploadAs(tenant, exe, "发票.pdf", "application/pdf"),
      await uploadAs(tenant, exe, "readme.txt", "text/plain"),
      await uploadAs(tenant, Buffer.from("just text"), "photo.png", "image/png"),
      await uploadAs(tenant, exe, "setup.exe", "application/octet-stream"),
    ];
    for (const res of cases) {
      expect(res.status).toBe(415);
      expect(res.body.error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    }
    expect(await attachmentRows(tenant)).toEqual([]);
    expect(storedFiles()).toEqual(before);
  });

  it("takes the type from the name when the browser sends application/octet-stream", async () => {
    const tenant = await createTestTenant(server);
    const res = await uploadAs(tenant, Buffer.from("%PDF-1.7\n%…\n"), "合同.PDF", "application/octet-stream");
    expect(res.status).toBe(201);
    expect(res.body.data.contentType).toBe("application/pdf");
  });

  it("answers 400 when no file is sent", async () => {
    const tenant = await createTestTenant(server);
    const fieldOnly = await api(server, tenant.users.agent).post("/api/attachments").field("note", "没有文件");
    expect(fieldOnly.status).toBe(400);
    expect(fieldOnly.body.error.code).toBe("VALIDATION_FAILED");
    // a JSON body where a multipart upload belongs is the wrong media type, as on /imports/customers
    const json = await api(server, tenant.users.agent).post("/api/attachments").send({ file: "not a file" });
    expect(json.status).toBe(415);
    expect(json.body.error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    const wrongField = await api(server, tenant.users.agent).post("/api/attachments").attach("upload", PNG, { filename: "a.png", contentType: "image/png" });
    expect(wrongField.status).toBe(400);
  });

  it("keeps each tenant's files to itself and needs attachment:write to upload", async () => {
    const tenant = await createTestTenant(server);
    const other = await createTestTenant(server);
    const up = await uploadAs(tenant, PNG, "a.png", "image/png");
    const foreign = await api(server, other.users.admin).get(up.body.data.url);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe("NOT_FOUND");
    const inspector = await api(server, tenant.users.quality_inspector).post("/api/attachments").attach("file", PNG, { filename: "a.png", contentType: "image/png" });
    expect(inspector.status).toBe(403);
    expect(inspector.body.error.code).toBe("FORBIDDEN");
  });
});
