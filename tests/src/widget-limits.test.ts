import type { VisitorMessage, WidgetPublicConfig } from "@yixian/contracts";
import supertest from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestTenant, startTestServer, type TestServer } from "./harness.ts";
import { asVisitor, connectVisitor, makeWidget, openSession } from "./widget-kit.ts";

// What the widget is told about uploads is what the server enforces: one source (the server's
// MAX_UPLOAD_BYTES / ALLOWED_UPLOAD_TYPES), checked by the widget before uploading and by the
// server again. And a message refused for a while (RATE_LIMITED) is stored once when retried.

let server: TestServer;
const sockets: { close(): unknown }[] = [];
beforeAll(async () => {
  server = await startTestServer({ env: { MAX_UPLOAD_BYTES: "4096", ALLOWED_UPLOAD_TYPES: "image/png, text/plain,Application/PDF" } });
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await server?.stop();
});

const PNG = Buffer.concat([Buffer.from("89504e470d0a1a0a0000000d49484452", "hex"), Buffer.alloc(64, 1)]);

async function visitorWidget() {
  const tenant = await createTestTenant(server);
  const widget = await makeWidget(server, tenant);
  const session = await openSession(server, widget.publicKey);
  return { widget, session, visitor: asVisitor(server, session.visitorToken) };
}

describe("upload limits in the public widget config", () => {
  it("are the server's own: the largest size, the types, and the extensions it takes a typeless file by", async () => {
    const { widget } = await visitorWidget();
    const res = await supertest(server.url).get(`/api/widget/${widget.publicKey}/config`);
    expect(res.status).toBe(200);
    const config = res.body.data as WidgetPublicConfig;
    expect(config.uploads).toEqual({ maxBytes: 4096, types: ["image/png", "text/plain", "application/pdf"], extensions: ["log", "pdf", "png", "txt"] });
  });

  it("are enforced by the server too: too big is PAYLOAD_TOO_LARGE, another type UNSUPPORTED_MEDIA_TYPE, a typeless file goes by its extension", async () => {
    const { widget, visitor } = await visitorWidget();
    const { uploads } = (await supertest(server.url).get(`/api/widget/${widget.publicKey}/config`)).body.data as WidgetPublicConfig;

    const fits = await visitor.post("/api/widget/sessions/attachments").attach("file", Buffer.concat([PNG, Buffer.alloc(uploads.maxBytes - PNG.length, 1)]), { filename: "刚好.png", contentType: "image/png" });
    expect(fits.status, JSON.stringify(fits.body)).toBe(201);
    expect(fits.body.data.size).toBe(uploads.maxBytes);
    const tooBig = await visitor.post("/api/widget/sessions/attachments").attach("file", Buffer.concat([PNG, Buffer.alloc(uploads.maxBytes, 1)]), { filename: "大图.png", contentType: "image/png" });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.code).toBe("PAYLOAD_TOO_LARGE");

    // a type the config does not list
    const gif = await visitor.post("/api/widget/sessions/attachments").attach("file", Buffer.from("GIF89a\x01\x00\x01\x00"), { filename: "a.gif", contentType: "image/gif" });
    expect(gif.status).toBe(415);
    expect(gif.body.error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    expect(uploads.types).not.toContain("image/gif");

    // no type from the browser: the extension decides, exactly by the config's list
    const log = await visitor.post("/api/widget/sessions/attachments").attach("file", Buffer.from("2026-11-22 printer offline\n"), { filename: "printer.log", contentType: "application/octet-stream" });
    expect(log.status, JSON.stringify(log.body)).toBe(201);
    expect(log.body.data.contentType).toBe("text/plain");
    expect(uploads.extensions).toContain("log");
    const csv = await visitor.post("/api/widget/sessions/attachments").attach("file", Buffer.from("a,b\n1,2\n"), { filename: "data.csv", contentType: "application/octet-stream" });
    expect(csv.status).toBe(415);
    expect(uploads.extensions).not.toContain("csv");
  });
});

describe("a message refused for a while", () => {
  it("is RATE_LIMITED when the visitor sends too fast, and a retry with the same clientId later is stored once", async () => {
    const { session } = await visitorWidget();
    const socket = await connectVisitor(server.url, session.visitorToken);
    sockets.push(socket);
    // the burst allowance, then refusals
    const results = [];
    for (let i = 0; i < 40; i++) results.push(await socket.emitWithAck("message:send", { clientId: `burst-${i}`, text: `第 ${i} 条`, attachmentIds: [] }));
    const refused = results.findIndex((r) => !r.ok);
    expect(refused).toBeGreaterThan(0);
    expect(results[refused]).toMatchObject({ ok: false, error: { code: "RATE_LIMITED" } });

    // the widget waits (2 s backoff) and sends the same message again, with the same clientId
    await new Promise((r) => setTimeout(r, 2000));
    const retry = await socket.emitWithAck("message:send", { clientId: `burst-${refused}`, text: `第 ${refused} 条`, attachmentIds: [] });
    expect(retry.ok, JSON.stringify(retry)).toBe(true);
    const again = await socket.emitWithAck("message:send", { clientId: `burst-${refused}`, text: `第 ${refused} 条`, attachmentIds: [] });
    expect(again.ok && retry.ok && again.data.id).toBe(retry.ok && retry.data.id);

    const all: VisitorMessage[] = [];
    let afterSeq = 0;
    for (;;) {
      const page = await socket.emitWithAck("messages:sync", { afterSeq });
      if (!page.ok) throw new Error(JSON.stringify(page.error));
      all.push(...page.data.items);
      if (page.data.nextAfterSeq === null) break;
      afterSeq = page.data.nextAfterSeq;
    }
    expect(all.filter((m) => m.clientId === `burst-${refused}`)).toHaveLength(1);
    // every message taken is stored once, the retried one last
    const taken = results.flatMap((r, i) => (r.ok ? [`burst-${i}`] : []));
    expect(all.map((m) => m.clientId)).toEqual([...taken, `burst-${refused}`]);
  });

  it("that the server will never take is refused with a permanent code (no retry helps)", async () => {
    const { session } = await visitorWidget();
    const socket = await connectVisitor(server.url, session.visitorToken);
    sockets.push(socket);
    const foreignFile = await socket.emitWithAck("message:send", { clientId: "p-1", text: "", attachmentIds: ["00000000-0000-4000-8000-000000000000"] });
    expect(foreignFile).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    const empty = await socket.emitWithAck("message:send", { clientId: "p-2", text: "   ", attachmentIds: [] });
    expect(empty).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });
  });
});
