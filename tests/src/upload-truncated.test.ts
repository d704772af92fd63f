import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, createTestTenant, startTestServer, type TestServer, type TestTenant } from "./harness.ts";
import { makeWidget, openSession } from "./widget-kit.ts";

// Issue 10, defect 1: a multipart body cut off in the middle of a part used to crash the
// process (imports) or answer 500 (attachments, widget uploads). Each upload endpoint now
// answers UPLOAD_TRUNCATED, keeps nothing of the half file, and the server stays up.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { MAX_UPLOAD_BYTES: String(64 * 1024) } });
});
afterAll(async () => {
  await server?.stop();
});

const BOUNDARY = "----yixian-cut-off";
const PNG_HEAD = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");

/** The start of a form whose `file` part never ends: no closing boundary. */
function cutOffForm(filename: string, contentType: string, content: Buffer): Buffer {
  const head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head), content]);
}

interface RawAnswer {
  status: number;
  body: string;
}

/**
 * Sends raw bytes over a socket. `declared` is the Content-Length announced: equal to what is
 * sent (the form itself is cut off), or larger (the client then stops sending and half-closes).
 */
function sendRaw(path: string, token: string, body: Buffer, declared: number): Promise<RawAnswer> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("error", reject);
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, body: text.slice(text.indexOf("\r\n\r\n") + 4) });
    });
    socket.on("connect", () => {
      const head = [
        `POST ${path} HTTP/1.1`,
        `Host: ${url.host}`,
        `Authorization: Bearer ${token}`,
        `Content-Type: multipart/form-data; boundary=${BOUNDARY}`,
        `Content-Length: ${declared}`,
        "Connection: close",
        "",
        "",
      ].join("\r\n");
      socket.write(Buffer.concat([Buffer.from(head), body]));
      if (declared > body.length) socket.end();
    });
  });
}

/**
 * A form cut off inside a complete request gets the coded answer. A request that stops short
 * of its Content-Length and half-closes is refused by Node's HTTP parser itself (a bare 400)
 * before the app could answer; what matters there is that nothing is kept and the server lives.
 */
function expectCutOffAnswer(mode: "form cut off" | "request cut off", answer: RawAnswer): void {
  expect(answer.status, answer.body).toBe(400);
  if (mode === "form cut off") expect(JSON.parse(answer.body).error.code).toBe("UPLOAD_TRUNCATED");
}

async function expectStillUp(): Promise<void> {
  const health = await api(server).get("/api/health");
  expect(health.status).toBe(200);
}

async function attachmentRows(tenant: TestTenant): Promise<number> {
  const rows = await server.deps.db.selectFrom("attachments").select("id").where("tenant_id", "=", tenant.id).execute();
  return rows.length;
}

const CSV = Buffer.from("company,contact_name,phone\n截断公司,半个人,13900139000\n截断公司,另一个人,139001");

describe("a multipart upload cut off mid-part", () => {
  for (const mode of ["form cut off", "request cut off"] as const) {
    const declared = (body: Buffer) => (mode === "form cut off" ? body.length : body.length + 4096);

    it(`customer import: ${mode} → UPLOAD_TRUNCATED, nothing imported, server up`, async () => {
      const tenant = await createTestTenant(server);
      const body = cutOffForm("customers.csv", "text/csv", CSV);
      const answer = await sendRaw("/api/imports/customers", tenant.users.service_operations.token, body, declared(body));
      expectCutOffAnswer(mode, answer);
      await expectStillUp();
      const contacts = await server.deps.db.selectFrom("contacts").select("id").where("tenant_id", "=", tenant.id).execute();
      expect(contacts).toEqual([]);
    });

    it(`attachments: ${mode} → UPLOAD_TRUNCATED, nothing stored, server up`, async () => {
      const tenant = await createTestTenant(server);
      const body = cutOffForm("截图.png", "image/png", Buffer.concat([PNG_HEAD, Buffer.alloc(2048, 1)]));
      const answer = await sendRaw("/api/attachments", tenant.users.agent.token, body, declared(body));
      expectCutOffAnswer(mode, answer);
      await expectStillUp();
      expect(await attachmentRows(tenant)).toBe(0);
    });

    it(`phone prompt: ${mode} → UPLOAD_TRUNCATED, nothing stored, server up`, async () => {
      const tenant = await createTestTenant(server);
      const wavHead = Buffer.from("524946462400010057415645666d74201000000001000100401f0000803e000002001000646174610000010000", "hex");
      const body = cutOffForm("欢迎语.wav", "audio/wav", Buffer.concat([wavHead, Buffer.alloc(4096, 7)]));
      const answer = await sendRaw("/api/voice/prompts?name=welcome&language=zh-CN", tenant.admin.token, body, declared(body));
      expectCutOffAnswer(mode, answer);
      await expectStillUp();
      expect(await server.deps.db.selectFrom("tenant_prompts").select("id").where("tenant_id", "=", tenant.id).execute()).toEqual([]);
    });

    it(`widget upload: ${mode} → UPLOAD_TRUNCATED, nothing stored, server up`, async () => {
      const tenant = await createTestTenant(server);
      const widget = await makeWidget(server, tenant);
      const session = await openSession(server, widget.publicKey);
      const body = cutOffForm("截图.png", "image/png", Buffer.concat([PNG_HEAD, Buffer.alloc(2048, 1)]));
      const answer = await sendRaw("/api/widget/sessions/attachments", session.visitorToken, body, declared(body));
      expectCutOffAnswer(mode, answer);
      await expectStillUp();
      expect(await attachmentRows(tenant)).toBe(0);
      const uploads = await server.deps.db.selectFrom("widget_uploads").select("attachment_id").where("tenant_id", "=", tenant.id).execute();
      expect(uploads).toEqual([]);
    });
  }
});
