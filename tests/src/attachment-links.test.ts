import supertest from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startClockedServer, type ClockedServer } from "../e2e/support.ts";
import type { Closable } from "./server-kit.ts";
import { asVisitor, connectVisitor, openDesk, openSession, visitorSend } from "./widget-kit.ts";

// A web chat attachment's address is a short-lived link signed for that one file: sharing it
// shares the file for a while, never the visitor's token or their conversation.
const PNG = Buffer.concat([Buffer.from("89504e470d0a1a0a0000000d49484452", "hex"), Buffer.alloc(64, 7)]);
const PDF = Buffer.from("%PDF-1.4\n% the other file\n");
const START = "2026-11-20T10:00:00+08:00";

let server: ClockedServer;
const sockets: Closable[] = [];
beforeAll(async () => {
  server = await startClockedServer(START);
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await server?.stop();
});

async function chatWithTwoFiles() {
  server.clock.set(START);
  const { widgetKey } = await openDesk(server, sockets);
  const session = await openSession(server, widgetKey);
  const visitor = asVisitor(server, session.visitorToken);
  const socket = await connectVisitor(server.url, session.visitorToken);
  sockets.push(socket);
  const image = await visitor.post("/api/widget/sessions/attachments").attach("file", PNG, { filename: "截图.png", contentType: "image/png" });
  const other = await visitor.post("/api/widget/sessions/attachments").attach("file", PDF, { filename: "发票.pdf", contentType: "application/pdf" });
  expect(image.status, JSON.stringify(image.body)).toBe(201);
  expect(other.status, JSON.stringify(other.body)).toBe(201);
  const sent = await visitorSend(socket, "发票截图", "files-1", [image.body.data.id, other.body.data.id]);
  return { session, visitor, sent, imageId: image.body.data.id as string, otherId: other.body.data.id as string, uploadUrl: image.body.data.url as string };
}

const anonymous = () => supertest(server.url);

describe("signed attachment links", () => {
  it("open the file without any token, and carry no token in them", async () => {
    const { session, visitor, sent, uploadUrl } = await chatWithTwoFiles();
    const resync = await visitor.get("/api/widget/sessions/messages?afterSeq=0");
    expect(resync.status).toBe(200);
    const urls = [uploadUrl, ...sent.attachments.map((a) => a.url), ...resync.body.data.items.flatMap((m: { attachments: { url: string }[] }) => m.attachments.map((a) => a.url))];
    expect(urls).toHaveLength(5);
    for (const url of urls) {
      expect(url).not.toContain(session.visitorToken);
      expect(url).not.toMatch(/[?&]token=/);
      expect(url).toMatch(/^\/api\/widget\/attachments\/[0-9a-f-]{36}\?tenant=[0-9a-f-]{36}&expires=\d+&signature=[\w-]+$/);
    }
    const file = await anonymous().get(sent.attachments[0]!.url);
    expect(file.status).toBe(200);
    expect(file.headers["content-type"]).toBe("image/png");
    expect(Buffer.compare(file.body as Buffer, PNG)).toBe(0);
  });

  it("stop working when they expire", async () => {
    const { sent } = await chatWithTwoFiles();
    server.clock.set("2026-11-20T10:50:00+08:00");
    expect((await anonymous().get(sent.attachments[0]!.url)).status).toBe(200);
    server.clock.set("2026-11-20T11:10:00+08:00");
    const expired = await anonymous().get(sent.attachments[0]!.url);
    expect(expired.status).toBe(404);
    expect(expired.body.error.code).toBe("NOT_FOUND");
  });

  it("open only the file they were signed for, in its own tenant", async () => {
    const { sent, imageId, otherId } = await chatWithTwoFiles();
    const imageUrl = sent.attachments.find((a) => a.id === imageId)!.url;
    const otherFile = await anonymous().get(imageUrl.replace(imageId, otherId));
    expect(otherFile.status).toBe(404);
    expect(otherFile.body.error.code).toBe("NOT_FOUND");
    const link = new URL(imageUrl, server.url);
    link.searchParams.set("expires", String(Number(link.searchParams.get("expires")) + 86_400));
    expect((await anonymous().get(link.pathname + link.search)).status).toBe(404);
    const elsewhere = new URL(imageUrl, server.url);
    elsewhere.searchParams.set("tenant", "00000000-0000-4000-8000-000000000000");
    expect((await anonymous().get(elsewhere.pathname + elsewhere.search)).status).toBe(404);
    const unsigned = await anonymous().get(`/api/widget/attachments/${imageId}`);
    expect(unsigned.status).toBe(400);
  });
});
